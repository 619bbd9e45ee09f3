import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { qualified } from '../model/catalog.js';
import { captureEnvironment } from './environment.js';
import { BenchError, ExitCode } from '../base/errors.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { scratchPaths, statePaths } from '../base/paths.js';
import { makePrivateDir, removeLeftovers } from '../base/private-files.js';
import { connectDatabases, newRunTag, provisionServers } from './provision.js';
import { type ServerOptions } from '../config/options.js';
import { tableTasks } from '../plan/tasks.js';
import { runContextOf, type OpenedRun } from './run-context.js';
import { describeSplit, partitionTasks } from '../plan/partition.js';
import { probesFromHandles } from '../metrics/server-probes.js';

export interface OpenRunOptions {
  readonly tables?: readonly string[];
  readonly spillDir?: string;
  readonly partitionMinRows: number;
  /** The most sessions one trial will hold on a side: pools are sized from the plan, never from a default. */
  readonly maxParallelism: number;
}

/** Everything a copy command needs before its first trial: servers, pools, the source's tables. */
export async function openRun(server: ServerOptions, options: OpenRunOptions, lifecycle: Lifecycle): Promise<OpenedRun> {
  // The scratch directory first: one that cannot be created fails the command before servers start.
  const workRoot = privateWorkRoot(options.spillDir ?? statePaths.spillDir(server.stateDir));
  lifecycle.defer('remove spill files', () => rmSync(workRoot, { recursive: true, force: true }));
  const handles = await provisionServers(server, lifecycle);
  // Pool: one connection per concurrent task, plus two for validation and side queries. Each trial then
  // opens its own parallelism's worth before it starts (Database.ensureSessions).
  // One tag names every session of the command (pools, worker threads, external tools): the servers'
  // count of busy sessions during a trial is then of this command's sessions only.
  const sessionTag = newRunTag();
  const dbs = await connectDatabases(handles, options.maxParallelism + 2, lifecycle, sessionTag);
  const [sourceId, targetId] = await Promise.all([dbs.source.identity(), dbs.target.identity()]);
  if (sourceId === targetId) {
    throw new BenchError(`the source and target are the same database (${dbs.source.display}): bench would drop the source tables`, {
      exitCode: ExitCode.usage,
    });
  }
  await dbs.target.claimForCopy?.();
  const catalog = await dbs.source.introspect(options.tables);
  if (catalog.tables.length === 0) {
    throw new BenchError(
      options.tables
        ? `no table in ${dbs.source.display} matches --tables ${options.tables.join(',')} (check the names; patterns look like public.posts or sales.*)`
        : `the source database ${dbs.source.display} has no tables (run \`bench seed --scale 0.01\` first, or point --source-url at your data)`,
      { exitCode: ExitCode.usage },
    );
  }
  const tables = catalog.tables;
  log.debug(`source tables: ${tables.map((t) => `${t.schema}.${t.name}`).join(', ')}`);
  const environment = await captureEnvironment(handles, dbs);
  const wholeTables = tableTasks(tables);
  const run = runContextOf(
    {
      source: dbs.source,
      target: dbs.target,
      tables,
      ...(options.tables ? { selection: options.tables } : {}),
      workRoot,
      signal: lifecycle.signal,
      workerSetup: {
        source: { engine: handles.source.engine, url: handles.source.url },
        target: { engine: handles.target.engine, url: handles.target.url },
      },
      sessionTag,
      urls: { source: handles.source.url, target: handles.target.url },
      metricsProbes: probesFromHandles(Object.values(handles)),
    },
    async (partitions) => {
      const tasks = await partitionTasks(dbs.source, wholeTables, { partitions, minRows: options.partitionMinRows });
      // What each partitions setting really runs: its label is the setting, this is the split.
      if (partitions > 1) log.info(`partitions ${partitions}: ${describeSplit(tasks)}`);
      return tasks;
    },
  );
  // The target schema is planned now, before the first trial's timing starts (pg_dump reads the source).
  const schema = await run.targetSchema();
  log.debug(`target schema: ${schema.description}`);
  if (handles.source.engine === 'mssql') {
    log.warn(
      'a SQL Server source is read without one snapshot shared by every task: rows written to it during a copy can make a trial fail validation. ' +
        'Copy from a database snapshot (CREATE DATABASE … AS SNAPSHOT OF …) or a source nobody writes to',
    );
  }
  return {
    ...run,
    handles,
    environment,
    dataset: {
      source: dbs.source.display,
      tables: tables.map((t) => ({ table: qualified(t), rows: Math.max(0, t.estimatedRows), bytes: t.estimatedBytes })),
    },
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

/** The dataset as recorded with results: exact row counts once validation has counted them. */
export function datasetOf(run: Pick<OpenedRun, 'dataset' | 'sourceFingerprints'>): OpenedRun['dataset'] {
  return {
    source: run.dataset.source,
    tables: run.dataset.tables.map((t) => ({ ...t, rows: run.sourceFingerprints.latest(t.table)?.rows ?? t.rows })),
  };
}
