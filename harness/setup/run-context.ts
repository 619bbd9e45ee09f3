/** What every trial of a command shares (built once by open-run.ts), and what a trial adds. */
import type { CopyContext } from '../../strategies/strategy.js';
import type { Database, TableFingerprint } from '../engines/engine.js';
import type { ServerProbe } from '../metrics/servers.js';
import type { Table } from '../model/catalog.js';
import type { TrialProgress } from '../model/run.js';
import type { CopyTask } from '../model/task.js';
import type { WorkerSetup } from '../workers/protocol.js';

/** What a command's trials share, and what a running trial reports. */

export interface TrialEnvironment {
  readonly source: Database;
  readonly target: Database;
  readonly tables: readonly Table[];
  readonly tasks: readonly CopyTask[];
  /** Parent of per-trial scratch directories. */
  readonly workRoot: string;
  readonly signal: AbortSignal;
  /** Source fingerprints, shared across the trials of one command (the source does not change). */
  readonly sourceFingerprints: Map<string, TableFingerprint>;
  readonly onProgress?: (p: TrialProgress) => void;
  /** Servers to sample CPU (and, in containers, memory and block I/O) of during the timed region. */
  readonly metricsProbes?: readonly ServerProbe[];
  /** Connection details for copy worker threads (spec.workers > 0); without them tasks run in this thread. */
  readonly workerSetup?: Omit<WorkerSetup, 'poolSize'>;
  /** Connection URLs (with passwords) for strategies that drive external tools; see CopyContext.urls. */
  readonly urls?: CopyContext['urls'];
}
