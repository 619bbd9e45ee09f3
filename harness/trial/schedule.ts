import type { TaskStats } from '../../strategies/strategy.js';
import type { CopyTask } from '../model/task.js';

export interface TaskOutcome {
  readonly task: CopyTask;
  /** Milliseconds since the copy phase began. */
  readonly startMs: number;
  readonly endMs: number;
  readonly stats: TaskStats;
}

export class TaskFailedError extends Error {
  constructor(
    readonly taskId: string,
    override readonly cause: unknown,
  ) {
    super(`${taskId}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'TaskFailedError';
  }
}

/**
 * Runs copy tasks with at most `parallelism` in flight, and counts the most that really were. With `byLevel`, foreign-key levels run one after
 * the other (constraints exist before the load, so parents must be complete first). The first failure
 * aborts the rest through the signal handed to each task, and is rethrown once everything has settled,
 * so no task is still writing when the runner cleans up.
 */
export async function runTasks(
  tasks: readonly CopyTask[],
  options: { parallelism: number; byLevel: boolean; signal: AbortSignal; clock?: () => number },
  run: (task: CopyTask, signal: AbortSignal) => Promise<TaskStats>,
): Promise<{ outcomes: TaskOutcome[]; peakInFlight: number }> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal.aborted) onOuterAbort();

  const now = options.clock ?? (() => performance.now());
  const t0 = now();
  const outcomes: TaskOutcome[] = [];
  let firstError: unknown;
  let inFlight = 0;
  let peakInFlight = 0;

  const runGroup = async (group: readonly CopyTask[]) => {
    let next = 0;
    const worker = async () => {
      while (!controller.signal.aborted && next < group.length) {
        const task = group[next++]!;
        const startMs = now() - t0;
        peakInFlight = Math.max(peakInFlight, ++inFlight);
        try {
          const stats = await run(task, controller.signal);
          outcomes.push({ task, startMs, endMs: now() - t0, stats });
        } catch (err) {
          if (firstError === undefined) {
            firstError = controller.signal.aborted ? controller.signal.reason : new TaskFailedError(task.id, err);
            controller.abort(firstError);
          }
        } finally {
          inFlight -= 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.parallelism, group.length) }, worker));
  };

  try {
    if (options.byLevel) {
      const levels = [...new Set(tasks.map((t) => t.level))].sort((a, b) => a - b);
      for (const level of levels) {
        await runGroup(tasks.filter((t) => t.level === level));
        if (controller.signal.aborted) break;
      }
    } else {
      await runGroup(tasks);
    }
  } finally {
    options.signal.removeEventListener('abort', onOuterAbort);
  }
  if (firstError !== undefined) throw firstError;
  if (controller.signal.aborted) throw controller.signal.reason;
  return { outcomes, peakInFlight };
}
