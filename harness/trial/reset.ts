import type { TargetSetup } from '../peers/peer.js';
import type { RunContext } from '../setup/run-context.js';

/**
 * Every trial starts from the same target: the tables dropped, then (for contenders that load into
 * existing tables) created again with columns only, and a checkpoint so the previous trial's WAL is not
 * flushed inside this one's timing.
 */
export async function resetTarget(run: Pick<RunContext, 'source' | 'target' | 'tables'>, setup: TargetSetup = 'tables'): Promise<void> {
  await run.target.dropTables(run.tables.map((t) => ({ schema: t.schema, name: t.name })));
  if (setup === 'tables') await run.target.createTables(run.tables, run.source.engine);
  await run.target.settle?.();
}
