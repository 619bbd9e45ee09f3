import { rmSync } from 'node:fs';
import pg from 'pg';
import { parseSeedConfig, type RawOptions, type SeedConfig } from '../config/options.js';
import { engineOfUrl } from '../base/connection-url.js';
import { GENERATOR_VERSION, plannedRowCounts, readSeedMarker, seedStackOverflow } from '../dataset/index.js';
import { clearMssqlSeedMarker, readMssqlSeedMarker, writeMssqlSeedMarker } from '../dataset/mssql-marker.js';
import { engineFor } from '../engines/index.js';
import { describeMssqlError } from '../engines/mssql-pool.js';
import { BenchError, ExitCode } from '../base/errors.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { scratchPaths, statePaths } from '../base/paths.js';
import { provisionServers } from '../setup/provision.js';
import { runTrial } from '../trial/run-trial.js';
import { tableTasks } from '../plan/tasks.js';
import { runContextOf } from '../setup/run-context.js';
import type { TrialSpec } from '../model/trial.js';
import { fmt } from '../../reports/format.js';
import { renderSeedTables, renderSeedValidation } from '../../reports/terminal-setup.js';
import { defaultStrategyParams } from '../model/contender.js';

/**
 * `bench seed --scale S [--seed N] [--force]`: the StackOverflow-shaped dataset in the source database,
 * generated inside the server. Skipped when the source already holds the same scale, seed and generator
 * version (the `_bench.dataset` marker), unless --force.
 *
 * A SQL Server source (`--source-url mssql://…`) is seeded by copy: the dataset is generated in the
 * managed PostgreSQL source cluster (staging), then bulk-loaded into SQL Server with bench's own
 * native-bulk copy and validated, so both engines hold the same content by construction.
 */
export async function seedCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const config = parseSeedConfig(raw);
  const { concurrency } = config;
  if (config.server.sourceUrl && engineOfUrl(config.server.sourceUrl) === 'mssql') return seedSqlServer(config, config.server.sourceUrl, concurrency, lifecycle);
  const handles = await provisionServers(config.server, lifecycle, ['source']);
  await seedPostgres(handles.source.url, config, concurrency, lifecycle);
  return ExitCode.ok;
}

function totalRows(scale: number): number {
  return Object.values(plannedRowCounts(scale)).reduce((a, b) => a + b, 0);
}

function sameSeed(marker: { scale: number; seed: number; version: number } | undefined, config: SeedConfig): boolean {
  return marker !== undefined && marker.scale === config.scale && marker.seed === config.seed && marker.version === GENERATOR_VERSION;
}

async function seedPostgres(url: string, config: SeedConfig, concurrency: number, lifecycle: Lifecycle): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: concurrency + 2, application_name: 'bench-seed' });
  pool.on('error', () => undefined);
  lifecycle.defer('close the seed connections', () => pool.end());

  const marker = await readSeedMarker(pool).catch((err: unknown) => {
    throw new BenchError(`could not read the source database: ${(err as Error).message}`, { cause: err });
  });
  const total = totalRows(config.scale);
  if (!config.force && sameSeed(marker, config)) {
    log.info(`the source already holds the StackOverflow dataset at scale ${config.scale}, seed ${config.seed} (${fmt.int(total)} rows): nothing to do (--force re-seeds)`);
    return;
  }
  log.info(`seeding the StackOverflow dataset at scale ${config.scale}, seed ${config.seed}: ${fmt.int(total)} rows into ${url.replace(/:[^:@/]*@/, ':*****@')}`);
  const report = await seedStackOverflow(pool, {
    scale: config.scale,
    seed: config.seed,
    concurrency,
    signal: lifecycle.signal,
    onTableDone: (table, rows, seconds) => log.status(`loaded ${table}: ${fmt.int(rows)} rows in ${fmt.secs(seconds)} s`),
  });
  log.clearStatus();
  log.out(renderSeedTables(report));
  log.info(`phases: ${report.phases.map((p) => `${p.name} ${fmt.secs(p.seconds)} s`).join(' · ')}`);
  log.info(`seeded in ${fmt.secs(report.seconds)} s`);
}

/** The schema the generator writes on PostgreSQL; the SQL Server copy keeps the same names. */
const DATASET_SCHEMA = 'public';

async function seedSqlServer(config: SeedConfig, mssqlUrl: string, concurrency: number, lifecycle: Lifecycle): Promise<number> {
  const marker = await readMssqlSeedMarker(mssqlUrl, DATASET_SCHEMA).catch((err: unknown) => {
    throw new BenchError(`could not read the SQL Server source: ${describeMssqlError(err)}`, { cause: err });
  });
  if (!config.force && sameSeed(marker, config)) {
    log.info(`SQL Server already holds the StackOverflow dataset at scale ${config.scale}, seed ${config.seed} (${fmt.int(totalRows(config.scale))} rows): nothing to do (--force re-seeds)`);
    return ExitCode.ok;
  }
  // Staging: the managed PostgreSQL source cluster (native unless --provider docker).
  const staging = await provisionServers({ ...config.server, sourceUrl: undefined }, lifecycle, ['source']);
  await seedPostgres(staging.source.url, config, concurrency, lifecycle);

  await clearMssqlSeedMarker(mssqlUrl);
  const source = await (await engineFor('postgres')).connect(staging.source.url, { role: 'source', poolSize: concurrency + 2, applicationName: 'bench-seed-source', sessionTag: 'bench-seed' });
  lifecycle.defer('close the staging connections', () => source.close());
  const target = await (await engineFor('mssql')).connect(mssqlUrl, { role: 'target', poolSize: concurrency + 2, applicationName: 'bench-seed' });
  lifecycle.defer('close the SQL Server connections', () => target.close());
  const tables = (await source.introspect()).tables.filter((t) => t.schema === DATASET_SCHEMA);
  const workRoot = scratchPaths.seedWorkRoot(statePaths.spillDir(config.server.stateDir));
  lifecycle.defer('remove spill files', () => rmSync(workRoot, { recursive: true, force: true }));

  const spec: TrialSpec = {
    kind: 'strategy',
    id: 'seed#1',
    point: 'seed',
    strategy: 'native-bulk',
    parallelism: concurrency,
    partitions: 1,
    workers: 0,
    constraints: 'after',
    params: defaultStrategyParams,
    repetition: 1,
  };
  log.info(`copying the dataset into ${target.display} (native-bulk: TDS bulk load, parallelism ${concurrency}), then keys and validation`);
  const run = runContextOf(
    {
      source,
      target,
      tables,
      workRoot,
      signal: lifecycle.signal,
      workerSetup: { source: { engine: 'postgres', url: staging.source.url }, target: { engine: 'mssql', url: mssqlUrl } },
      sessionTag: 'bench-seed',
      urls: { source: staging.source.url, target: mssqlUrl },
      metricsProbes: [],
    },
    async () => tableTasks(tables),
  );
  const result = await runTrial(spec, run, { onProgress: (p) => log.status(`${p.phase}: ${fmt.int(p.rows)} rows, ${p.tasksDone}/${p.tasksTotal} tables`) });
  log.clearStatus();
  if (result.state !== 'ok') {
    const why = result.state === 'failed' ? `${result.phase}: ${result.error}` : result.reason;
    throw new BenchError(`seeding SQL Server failed while copying from the staging PostgreSQL (${why})`);
  }
  await writeMssqlSeedMarker(mssqlUrl, DATASET_SCHEMA, { scale: config.scale, seed: config.seed, version: GENERATOR_VERSION });
  log.out(renderSeedValidation(result.validation));
  log.info(`seeded SQL Server: copy ${fmt.secs(result.metrics.seconds.copy)} s, keys and indexes ${fmt.secs(result.metrics.seconds.constraints)} s`);
  return ExitCode.ok;
}
