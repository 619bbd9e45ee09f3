import { forEachLimited } from '../base/concurrency.js';
import { qualified } from '../model/catalog.js';
import type { ConstraintStep } from '../model/database.js';
import type { RunContext } from '../setup/run-context.js';

/**
 * Keys, checks and indexes table by table (a table's own steps in order, since ALTER TABLE locks it),
 * different tables in parallel; foreign keys last, once every referenced key exists.
 */
export async function applyConstraints(run: Pick<RunContext, 'source' | 'target' | 'tables'>, parallelism: number): Promise<void> {
  const steps = run.target.constraintSteps(run.tables);
  const byTable = (list: readonly ConstraintStep[]) => {
    const groups = new Map<string, ConstraintStep[]>();
    for (const s of list) groups.set(qualified(s.table), [...(groups.get(qualified(s.table)) ?? []), s]);
    return [...groups.values()];
  };
  const apply = (groups: ConstraintStep[][]) =>
    forEachLimited(groups, parallelism, async (group) => {
      for (const step of group) await run.target.applyConstraint(step, run.source.engine);
    });
  await apply(byTable(steps.filter((s) => s.kind !== 'foreign-key')));
  await apply(byTable(steps.filter((s) => s.kind === 'foreign-key')));
}
