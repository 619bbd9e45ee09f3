import type { TargetSchema, TargetSetup } from '../model/target-schema.js';
import type { RunContext } from '../setup/run-context.js';

/**
 * Every trial starts from the same target: what earlier trials left removed and, for contenders that
 * load into existing tables, the schema they load into created again (setup/target-schema.ts says how:
 * the source's own pre-data, or bench's DDL across engines), then a checkpoint so the previous trial's
 * WAL is not flushed inside this one's timing.
 */
export async function resetTarget(run: Pick<RunContext, 'target'>, schema: Pick<TargetSchema, 'reset'>, setup: TargetSetup = 'tables'): Promise<void> {
  await schema.reset(setup);
  await run.target.settle?.();
}
