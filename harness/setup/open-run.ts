import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { qualified, type Table } from '../model/catalog.js';
import type { CopyOptions } from '../config/options.js';
import type { Database, TableFingerprint } from '../engines/engine.js';
import { captureEnvironment, type EnvironmentInfo } from './environment.js';
import { BenchError, ExitCode } from '../base/errors.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { scratchPaths, statePaths } from '../base/paths.js';
import { makePrivateDir, removeLeftovers } from '../base/private-files.js';
import type { ServerHandle } from '../providers/provider.js';
import type { Role } from '../model/roles.js';
import { connectDatabases, provisionServers } from './provision.js';
import { type ServerOptions } from '../config/options.js';
import { tableTasks } from '../plan/tasks.js';
import { type CopyTask } from '../model/task.js';
import type { WorkerSetup } from '../workers/protocol.js';
import type { TrialEnvironment } from './run-context.js';
import { probesFromHandles } from '../metrics/server-probes.js';
import type { DatasetTable } from '../model/trial.js';

/** Everything a copy command needs before its first trial: servers, pools, the source's tables. */
export interface CopySetup {
  readonly handles: Readonly<Record<Role, ServerHandle>>;
  readonly dbs: Readonly<Record<Role, Database>>;
  readonly tables: readonly Table[];
  readonly tasks: readonly CopyTask[];
  readonly environment: EnvironmentInfo;
  readonly dataset: { readonly source: string; readonly tables: readonly DatasetTable[] };
  readonly workRoot: string;
  /** What copy worker threads need to open their own connections. */
  readonly workerSetup: Omit<WorkerSetup, 'poolSize'>;
}

export async function openCopySetup(
  server: ServerOptions,
  copy: Pick<CopyOptions, 'tables' | 'spillDir'> & { poolSize: number },
  lifecycle: Lifecycle,
): Promise<CopySetup> {
  // The scratch directory first: one that cannot be created fails the command before servers start.
  const workRoot = privateWorkRoot(copy.spillDir ?? statePaths.spillDir(server.stateDir));
  lifecycle.defer('remove spill files', () => rmSync(workRoot, { recursive: true, force: true }));
  const handles = await provisionServers(server, lifecycle);
  // Pool: one connection per concurrent task, plus two for validation and side queries.
  const dbs = await connectDatabases(handles, copy.poolSize + 2, lifecycle);
  const [sourceId, targetId] = await Promise.all([dbs.source.identity(), dbs.target.identity()]);
  if (sourceId === targetId) {
    throw new BenchError(`the source and target are the same database (${dbs.source.display}): bench would drop the source tables`, {
      exitCode: ExitCode.usage,
    });
  }
  await dbs.target.claimForCopy?.();
  const catalog = await dbs.source.introspect(copy.tables);
  if (catalog.tables.length === 0) {
    throw new BenchError(
      copy.tables
        ? `no table in ${dbs.source.display} matches --tables ${copy.tables.join(',')} (check the names; patterns look like public.posts or sales.*)`
        : `the source database ${dbs.source.display} has no tables (run \`bench seed --scale 0.01\` first, or point --source-url at your data)`,
      { exitCode: ExitCode.usage },
    );
  }
  const tables = catalog.tables;
  log.debug(`source tables: ${tables.map((t) => `${t.schema}.${t.name}`).join(', ')}`);
  const environment = await captureEnvironment(handles, dbs);
  return {
    handles,
    dbs,
    tables,
    tasks: tableTasks(tables),
    environment,
    dataset: {
      source: dbs.source.display,
      tables: tables.map((t) => ({ table: qualified(t), rows: Math.max(0, t.estimatedRows), bytes: t.estimatedBytes })),
    },
    workerSetup: {
      source: { engine: handles.source.engine, url: handles.source.url },
      target: { engine: handles.target.engine, url: handles.target.url },
      applicationName: `bench-worker-${process.pid}`,
    },
    workRoot,
  };
}

/**
 * The command's scratch directory: one per process, so two benches sharing a spill directory never
 * collide, 0700 since spill files hold table data. What earlier benches that were killed left there and
 * in the temp directory (server-copy's exports) is removed first (issue 16): their pid has ended.
 */
function privateWorkRoot(spillRoot: string): string {
  const leftovers = [...removeLeftovers(spillRoot, scratchPaths.workRootPattern), ...removeLeftovers(tmpdir(), scratchPaths.serverCopyPattern)];
  for (const dir of leftovers) log.info(`removed ${dir}: the scratch files of a bench that did not end cleanly`);
  const root = scratchPaths.workRoot(spillRoot);
  makePrivateDir(root, { what: 'spill directory', option: '--spill-dir' });
  return root;
}

/**
 * What every trial of a command shares, built once: both pools, the tables, the scratch root, the
 * command's cancellation, the source checksums (the source does not change between trials), the
 * worker-thread connection details, the URLs external tools need and the servers to sample. Trials add their tasks and progress.
 */
export type TrialBase = Omit<TrialEnvironment, 'tasks' | 'onProgress'>;

export function trialBase(setup: CopySetup, signal: AbortSignal): TrialBase {
  return {
    source: setup.dbs.source,
    target: setup.dbs.target,
    tables: setup.tables,
    workRoot: setup.workRoot,
    signal,
    sourceFingerprints: new Map<string, TableFingerprint>(),
    workerSetup: setup.workerSetup,
    urls: { source: setup.handles.source.url, target: setup.handles.target.url },
    metricsProbes: probesFromHandles(Object.values(setup.handles)),
  };
}

/** The dataset as recorded with results: exact row counts once validation has counted them. */
export function datasetOf(
  setup: Pick<CopySetup, 'dataset'>,
  fingerprints: ReadonlyMap<string, TableFingerprint>,
): CopySetup['dataset'] {
  return {
    source: setup.dataset.source,
    tables: setup.dataset.tables.map((t) => ({ ...t, rows: fingerprints.get(t.table)?.rows ?? t.rows })),
  };
}
