import { Worker } from 'node:worker_threads';
import type { TaskStats } from '../../strategies/strategy.js';
import type { StrategyName, StrategyParams } from '../model/contender.js';
import { BenchError } from '../base/errors.js';
import type { SnapshotRef } from '../model/database.js';
import type { CopyTask } from '../model/task.js';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.js';

const workerFile = new URL('./copy-worker.js', import.meta.url);

/**
 * Copy worker threads for the strategies that decode rows in JavaScript (every one but native-bulk):
 * with one thread, bench's own CPU caps their throughput at one core whatever the parallelism. Tasks go
 * to the least busy worker; each worker holds its own connection pools.
 */
export class CopyWorkerPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<number, { resolve(s: TaskStats): void; reject(e: unknown): void; progress(rows: number, bytes: number): void }>();
  private nextId = 1;

  private constructor() {}

  static async start(count: number, setup: WorkerSetup): Promise<CopyWorkerPool> {
    const pool = new CopyWorkerPool();
    try {
      await Promise.all(Array.from({ length: count }, () => pool.spawn(setup)));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  private spawn(setup: WorkerSetup): Promise<void> {
    return new Promise((resolve, reject) => {
      // The same heap cap as the main process (bin/bench.js): each worker stays small too.
      const worker = new Worker(workerFile, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 } });
      const entry = { worker, busy: 0 };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          this.workers.push(entry);
          resolve();
        } else if (m.type === 'setup-failed') reject(new BenchError(`a copy worker could not connect: ${m.error}`));
        else if (m.type === 'progress') this.pending.get(m.id)?.progress(m.rows, m.bytes);
        else if (m.type === 'done' || m.type === 'failed') {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          entry.busy -= 1;
          if (m.type === 'done') p?.resolve(m.stats);
          else p?.reject(m.aborted ? Object.assign(new Error(m.error), { name: 'AbortError' }) : new Error(m.error));
        }
      });
      worker.on('error', (err) => {
        reject(err);
        for (const [id, p] of this.pending) {
          p.reject(new BenchError(`a copy worker crashed: ${err.message}`));
          this.pending.delete(id);
        }
      });
    });
  }

  /** Runs one task in the least busy worker; `snapshot` is the trial's source snapshot, imported there too. */
  run(strategy: StrategyName, task: CopyTask, params: StrategyParams, workDir: string, signal: AbortSignal, progress: (rows: number, bytes: number) => void, snapshot?: SnapshotRef): Promise<TaskStats> {
    const entry = [...this.workers].sort((a, b) => a.busy - b.busy)[0]!;
    const id = this.nextId++;
    entry.busy += 1;
    return new Promise<TaskStats>((resolve, reject) => {
      const onAbort = () => entry.worker.postMessage({ type: 'abort', id } satisfies ToWorker);
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (s) => {
          signal.removeEventListener('abort', onAbort);
          resolve(s);
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(signal.aborted ? signal.reason : e);
        },
        progress,
      });
      entry.worker.postMessage({ type: 'task', id, strategy, task, params, workDir, ...(snapshot ? { snapshot } : {}) } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        ({ worker }) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 10_000);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.postMessage({ type: 'close' } satisfies ToWorker);
          }),
      ),
    );
  }
}
