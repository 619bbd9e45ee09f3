import { ConnectionLostError } from '../harness/base/errors.js';
import type { Table } from '../harness/model/catalog.js';
import type { Database, Session, SnapshotRef } from '../harness/model/database.js';
import type { EnginePair, StrategyName, StrategyParams } from '../harness/model/contender.js';
import type { CopyTask } from '../harness/model/task.js';

/**
 * What one trial gives the contender it measures, a strategy or a peer tool: both databases, the tables,
 * the trial's parallelism and knobs, a scratch directory and the abort signal.
 */
export interface CopyContext {
  readonly source: Database;
  readonly target: Database;
  readonly tables: readonly Table[];
  /** Concurrent copies the trial runs (the point's label). */
  readonly parallelism: number;
  readonly params: Readonly<StrategyParams>;
  /** Per-trial scratch directory (spill files). Removed after the trial. */
  readonly workDir: string;
  /** Fires on Ctrl-C or when another task of the trial failed: stop, and let the runner clean up. */
  readonly signal: AbortSignal;
  /**
   * Connection URLs with passwords, for contenders that drive an external tool (bcp, the peers), which
   * needs the server, login and database rather than a pool. Never printed: redact anything derived
   * from them, and hand them to child processes through the environment, not argv.
   */
  readonly urls: { readonly source: string; readonly target: string };
  /**
   * The application_name an external tool's sessions carry (PGAPPNAME): it begins with the command's
   * session tag, so the servers' count of a trial's busy sessions includes the tool's copies.
   */
  readonly toolApplicationName: string;
  /**
   * The trial's source snapshot (exported in prepare, untimed): every source read imports it, so all
   * tasks of a trial see the source at one moment (withSessions does it for a strategy's sessions; a
   * tool gets it as pg_dump's or pgcopydb's --snapshot). Absent where the engine has none.
   */
  readonly snapshot?: SnapshotRef;
}

export interface TaskContext extends CopyContext {
  readonly task: CopyTask;
  /** Report progress as it happens (rows may be 0 when only bytes are known, as in binary COPY). */
  progress(rows: number, bytes: number): void;
}

export interface TaskStats {
  /** Rows written, as counted by the target where it reports a count (COPY n). */
  readonly rows: number;
  /** Bytes moved, where the strategy can tell (wire bytes for COPY); 0 otherwise. */
  readonly bytes: number;
  /** Strategy-specific evidence, summed over a trial's tasks: spill bytes, queue waits, chunks… */
  readonly counters?: Readonly<Record<string, number>>;
  /** Something the user should know, e.g. a fallback taken ("no primary key: one chunk"). */
  readonly note?: string;
}

/**
 * A way of copying one task (a table or a key range of one) from source to target. The runner owns
 * scheduling, parallelism, schema, timing and validation; a strategy only moves rows.
 */
export interface Strategy {
  readonly name: StrategyName;
  /** One line for help and reports. */
  readonly description: string;
  /** Batch size when the user gives none (csv-buffer keeps the seeds' 1,000). Absent: not a row strategy. */
  readonly defaultBatchSize?: number;
  /** True, or why not: the trial is then recorded as skipped with this reason. */
  supports(pair: EnginePair): true | string;
  /**
   * For strategies that drive an external tool: true when it is installed and can copy these tables
   * correctly, else why not (the trial is then skipped with this reason, like a missing peer). Asked
   * after supports(), before the target reset.
   */
  available?(tables: readonly Table[]): Promise<true | string>;
  /** Untimed set-up before the copy (workers, spill directories). */
  prepare?(ctx: CopyContext): Promise<void>;
  /** The timed work for one task. */
  copyTask(ctx: TaskContext): Promise<TaskStats>;
  /** Untimed; runs even when the copy failed. */
  cleanup?(ctx: CopyContext): Promise<void>;
}

/**
 * Holds one source and one target session for the duration of `fn`, the source's reading in the
 * trial's snapshot. On failure both are destroyed rather than pooled: a connection left mid-COPY does
 * not answer its next query.
 */
export async function withSessions<T>(ctx: CopyContext, fn: (source: Session, target: Session) => Promise<T>): Promise<T> {
  const source = await ctx.source.acquire(ctx.snapshot ? { snapshot: ctx.snapshot.id } : undefined);
  let target: Session;
  try {
    target = await ctx.target.acquire();
  } catch (err) {
    await source.release();
    throw err;
  }
  try {
    const result = await fn(source, target);
    // Awaited: the task holds its sessions until they are back in the pools (see Session.release).
    await Promise.all([source.release(), target.release()]);
    return result;
  } catch (err) {
    // Which side's connection went with the failure: a COPY pipe fails on both streams at once.
    const lost = err instanceof ConnectionLostError ? err : await firstDefined([source.connectionLost?.(err), target.connectionLost?.(err)]);
    source.destroy();
    target.destroy();
    throw lost ?? err;
  }
}

/** The first of these to resolve to something, or undefined once all have resolved to nothing. */
function firstDefined<T>(promises: readonly (Promise<T | undefined> | undefined)[]): Promise<T | undefined> {
  const live = promises.filter((p): p is Promise<T | undefined> => p !== undefined);
  return new Promise((resolve) => {
    let pending = live.length;
    if (pending === 0) resolve(undefined);
    for (const p of live) {
      p.then(
        (value) => {
          if (value !== undefined) resolve(value);
          else if (--pending === 0) resolve(undefined);
        },
        () => {
          if (--pending === 0) resolve(undefined);
        },
      );
    }
  });
}
