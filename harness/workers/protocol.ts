import type { EngineName } from '../model/roles.js';
import type { TaskStats } from '../../strategies/strategy.js';
import type { StrategyName, StrategyParams } from '../model/contender.js';
import type { SnapshotRef } from '../model/database.js';
import type { CopyTask } from '../model/task.js';

/** What a copy worker needs to open its own connections (Database objects cannot cross threads). */
export interface WorkerSetup {
  readonly source: { readonly engine: EngineName; readonly url: string };
  readonly target: { readonly engine: EngineName; readonly url: string };
  readonly poolSize: number;
  readonly applicationName: string;
}

export type ToWorker =
  | { readonly type: 'task'; readonly id: number; readonly strategy: StrategyName; readonly task: CopyTask; readonly params: StrategyParams; readonly workDir: string; readonly snapshot?: SnapshotRef }
  | { readonly type: 'abort'; readonly id: number }
  | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'setup-failed'; readonly error: string }
  | { readonly type: 'progress'; readonly id: number; readonly rows: number; readonly bytes: number }
  | { readonly type: 'done'; readonly id: number; readonly stats: TaskStats }
  | { readonly type: 'failed'; readonly id: number; readonly error: string; readonly aborted: boolean }
  | { readonly type: 'closed' };
