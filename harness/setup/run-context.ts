import type { ServerProbe } from '../metrics/servers.js';
import type { Table } from '../model/catalog.js';
import type { Database, TableFingerprint } from '../model/database.js';
import type { DatasetTable } from '../model/trial.js';
import type { Role } from '../model/roles.js';
import type { CopyTask } from '../model/task.js';
import type { ServerHandle } from '../providers/provider.js';
import type { WorkerSetup } from '../workers/protocol.js';
import type { EnvironmentInfo } from './environment.js';

/**
 * What every trial of one command shares, built once by openRun(): the servers and their pools, the
 * source's tables and how they split into tasks, the scratch root, the command's cancellation, the
 * source checksums, the connection details worker threads and external tools need, and the servers to
 * sample. A trial adds its spec; a task adds its key range (strategies/strategy.ts).
 */
export interface RunContext {
  readonly source: Database;
  readonly target: Database;
  readonly tables: readonly Table[];
  /** The copy tasks at `partitions` parts per large table (cached: the split asks the source once per count). */
  tasksFor(partitions: number): Promise<readonly CopyTask[]>;
  /** Parent of per-trial scratch directories, one per process. */
  readonly workRoot: string;
  readonly signal: AbortSignal;
  /** Source fingerprints, shared across the trials of one command (the source does not change). */
  readonly sourceFingerprints: Map<string, TableFingerprint>;
  /** What copy worker threads need to open their own connections. */
  readonly workerSetup: Omit<WorkerSetup, 'poolSize'>;
  /** Connection URLs with passwords, for contenders that drive external tools; never printed. */
  readonly urls: { readonly source: string; readonly target: string };
  /** Servers whose CPU (and, in containers, memory and block I/O) is sampled during each trial. */
  readonly metricsProbes: readonly ServerProbe[];
}

/** A run opened by a copy command: the trials' context, plus where and on what it was measured. */
export interface OpenedRun extends RunContext {
  readonly handles: Readonly<Record<Role, ServerHandle>>;
  readonly environment: EnvironmentInfo;
  readonly dataset: { readonly source: string; readonly tables: readonly DatasetTable[] };
}

/**
 * The context for trials between two connected databases: tasks split on demand (once per partition
 * count) and cached, fresh source checksums.
 */
export function runContextOf(parts: Omit<RunContext, 'tasksFor' | 'sourceFingerprints'>, split: (partitions: number) => Promise<CopyTask[]>): RunContext {
  const splits = new Map<number, Promise<CopyTask[]>>();
  return {
    ...parts,
    tasksFor(partitions) {
      if (!splits.has(partitions)) splits.set(partitions, split(partitions));
      return splits.get(partitions)!;
    },
    sourceFingerprints: new Map<string, TableFingerprint>(),
  };
}
