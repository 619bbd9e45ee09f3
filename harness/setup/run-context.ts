import type { ServerProbe } from '../metrics/servers.js';
import type { Table } from '../model/catalog.js';
import type { Database } from '../model/database.js';
import { SourceFingerprints } from '../model/fingerprint-cache.js';
import type { TargetSchema } from '../model/target-schema.js';
import type { DatasetTable } from '../model/trial.js';
import type { Role } from '../model/roles.js';
import type { CopyTask } from '../model/task.js';
import type { ServerHandle } from '../providers/provider.js';
import type { WorkerSetup } from '../workers/protocol.js';
import type { EnvironmentInfo } from './environment.js';
import { planTargetSchema } from './target-schema.js';

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
  /** The `--tables` patterns the tables were chosen by, when the user gave some. */
  readonly selection?: readonly string[];
  /**
   * How the target's schema is built (setup/target-schema.ts): planned once per command, on first use
   * (openRun asks before the first trial, so no trial's timing pays for it).
   */
  targetSchema(): Promise<TargetSchema>;
  /** The copy tasks at `partitions` parts per large table (cached: the split asks the source once per count). */
  tasksFor(partitions: number): Promise<readonly CopyTask[]>;
  /** Parent of per-trial scratch directories, one per process. */
  readonly workRoot: string;
  readonly signal: AbortSignal;
  /** Source fingerprints, shared across the trials of one command that read the same snapshot version. */
  readonly sourceFingerprints: SourceFingerprints;
  /**
   * The tag every session of the command carries (`<tag>-source`, `<tag>-worker`, `<tag>-tool`…): what
   * the servers' activity probes count as this command's copies.
   */
  readonly sessionTag: string;
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
 * count) and cached, the target schema planned once, fresh source checksums.
 */
export function runContextOf(
  parts: Omit<RunContext, 'tasksFor' | 'sourceFingerprints' | 'targetSchema' | 'workerSetup'> & { readonly workerSetup: Omit<RunContext['workerSetup'], 'applicationName'> },
  split: (partitions: number) => Promise<CopyTask[]>,
): RunContext {
  const splits = new Map<number, Promise<CopyTask[]>>();
  let schema: Promise<TargetSchema> | undefined;
  return {
    ...parts,
    // Worker threads' sessions carry the command's tag, so the servers' count of busy sessions has them.
    workerSetup: { ...parts.workerSetup, applicationName: `${parts.sessionTag}-worker` },
    tasksFor(partitions) {
      if (!splits.has(partitions)) splits.set(partitions, split(partitions));
      return splits.get(partitions)!;
    },
    targetSchema() {
      schema ??= planTargetSchema(parts);
      // A plan that failed (the source unreachable a moment) is tried again by the next trial.
      schema.catch(() => (schema = undefined));
      return schema;
    },
    sourceFingerprints: new SourceFingerprints(),
  };
}
