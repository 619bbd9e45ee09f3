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
  const apply = (groups: ConstraintStep[][]) =>
    forEachLimited(groups, parallelism, async (group) => {
      for (const step of group) await run.target.applyConstraint(step, run.source.engine);
    });
  await apply([...byTable(steps.filter((s) => s.kind !== 'foreign-key')).values()]);
  await apply([...byTable(steps.filter((s) => s.kind === 'foreign-key')).values()]);
}

function byTable(list: readonly ConstraintStep[]): Map<string, ConstraintStep[]> {
  const groups = new Map<string, ConstraintStep[]>();
  for (const s of list) groups.set(qualified(s.table), [...(groups.get(qualified(s.table)) ?? []), s]);
  return groups;
}

/**
 * `--constraints overlap`: each table's keys, checks and indexes start the moment its last task has
 * loaded, while other tables still copy (pgcopydb's index jobs), at most `parallelism` tables at a time;
 * foreign keys wait for every key, at the end. The index builds of the small tables then hide behind the
 * copy of the large one instead of adding to the total.
 */
export class OverlappedConstraints {
  private readonly pending: Map<string, ConstraintStep[]>;
  private readonly running: Promise<void>[] = [];
  private readonly queue: (() => void)[] = [];
  private active = 0;
  private failure: unknown;

  constructor(
    private readonly run: Pick<RunContext, 'source' | 'target' | 'tables'>,
    private readonly parallelism: number,
  ) {
    this.pending = byTable(run.target.constraintSteps(run.tables).filter((s) => s.kind !== 'foreign-key'));
  }

  /** The table's data is in: start its steps (queued behind others if `parallelism` tables are building). */
  tableLoaded(table: string): void {
    const steps = this.pending.get(table);
    if (!steps) return;
    this.pending.delete(table);
    this.running.push(
      this.slot(async () => {
        for (const step of steps) await this.run.target.applyConstraint(step, this.run.source.engine);
      }).catch((err: unknown) => {
        this.failure ??= err;
      }),
    );
  }

  /** Waits for what started, runs what did not (a table that had no task), then the foreign keys. */
  async finish(): Promise<void> {
    for (const table of [...this.pending.keys()]) this.tableLoaded(table);
    await Promise.all(this.running);
    if (this.failure !== undefined) throw this.failure;
    const fks = byTable(this.run.target.constraintSteps(this.run.tables).filter((s) => s.kind === 'foreign-key'));
    await forEachLimited([...fks.values()], this.parallelism, async (group) => {
      for (const step of group) await this.run.target.applyConstraint(step, this.run.source.engine);
    });
  }

  private async slot(fn: () => Promise<void>): Promise<void> {
    if (this.active >= this.parallelism) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active += 1;
    try {
      await fn();
    } finally {
      this.active -= 1;
      this.queue.shift()?.();
    }
  }
}
