/** Worker-thread policy: how many copy worker threads a trial gets. */
import { availableParallelism } from 'node:os';

/**
 * `--workers auto` (the default): a worker thread per four cores, at most one per concurrent task. The
 * source and target servers usually share the machine and need cores of their own; on this project's
 * 2-core CI machine that gives 0, i.e. everything on the main thread (measured: bench used 0.4–0.8 of a
 * core there, so a thread pool would only add overhead).
 */
export function autoWorkers(parallelism: number, cores = availableParallelism()): number {
  return Math.max(0, Math.min(parallelism, Math.floor(cores / 4)));
}
