import type { TargetSchema } from '../model/target-schema.js';
import type { RunContext } from '../setup/run-context.js';

/**
 * Every trial starts from the same target: what earlier trials left removed and a checkpoint, so the
 * previous trial's dirty pages and WAL are not flushed inside this one's timing. Not timed: a copy into
 * an empty database has neither to do. What the contender loads into is created afterwards, timed as the
 * schema phase (TargetSchema.create).
 */
export async function clearTarget(run: Pick<RunContext, 'target'>, schema: Pick<TargetSchema, 'clear'>): Promise<void> {
  await schema.clear();
  await run.target.settle?.();
}
