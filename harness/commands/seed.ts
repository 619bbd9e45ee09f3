import Table from 'cli-table3';
import pg from 'pg';
import { parseSeedConfig, type RawOptions } from '../config.js';
import { GENERATOR_VERSION, plannedRowCounts, readSeedMarker, seedStackOverflow } from '../dataset/index.js';
import { BenchError, ExitCode } from '../errors.js';
import type { Lifecycle } from '../lifecycle.js';
import { log } from '../log.js';
import { provisionServers } from '../provision.js';
import { fmt } from '../../reports/format.js';

/**
 * `bench seed --scale S [--seed N] [--force]`: the StackOverflow-shaped dataset in the source database,
 * generated inside the server. Skipped when the source already holds the same scale, seed and generator
 * version (the `_bench.dataset` marker), unless --force.
 */
export async function seedCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const config = parseSeedConfig(raw);
  const handles = await provisionServers(config.server, lifecycle, ['source']);
  if (handles.source.engine !== 'postgres') {
    throw new BenchError(`bench seed writes PostgreSQL sources only for now; ${handles.source.engine} sources are seeded by copying from a seeded PostgreSQL`, { exitCode: ExitCode.usage });
  }
  const concurrency = Math.max(1, Number(raw.concurrency ?? 2));
  const pool = new pg.Pool({ connectionString: handles.source.url, max: concurrency + 2, application_name: 'bench-seed' });
  pool.on('error', () => undefined);
  lifecycle.defer('close the seed connections', () => pool.end());

  const marker = await readSeedMarker(pool).catch((err: unknown) => {
    throw new BenchError(`could not read the source database: ${(err as Error).message}`, { cause: err });
  });
  const planned = plannedRowCounts(config.scale);
  const total = Object.values(planned).reduce((a, b) => a + b, 0);
  if (!config.force && marker && marker.scale === config.scale && marker.seed === config.seed && marker.version === GENERATOR_VERSION) {
    log.info(`the source already holds the StackOverflow dataset at scale ${config.scale}, seed ${config.seed} (${fmt.int(total)} rows): nothing to do (--force re-seeds)`);
    return ExitCode.ok;
  }
  log.info(`seeding the StackOverflow dataset at scale ${config.scale}, seed ${config.seed}: ${fmt.int(total)} rows into ${handles.source.url.replace(/:[^:@/]*@/, ':*****@')}`);
  const report = await seedStackOverflow(pool, {
    scale: config.scale,
    seed: config.seed,
    concurrency,
    signal: lifecycle.signal,
    onTableDone: (table, rows, seconds) => log.status(`loaded ${table}: ${fmt.int(rows)} rows in ${fmt.secs(seconds)} s`),
  });
  log.clearStatus();
  const t = new Table({ head: ['table', 'rows', 'load s', 'size'], colAligns: ['left', 'right', 'right', 'right'], style: { head: [], border: [] } });
  for (const r of [...report.tables].sort((a, b) => b.rows - a.rows)) t.push([r.name, fmt.int(r.rows), fmt.secs(r.seconds), fmt.bytesHuman(r.bytes)]);
  const bytes = report.tables.reduce((n, r) => n + r.bytes, 0);
  t.push(['total', fmt.int(report.tables.reduce((n, r) => n + r.rows, 0)), fmt.secs(report.seconds), fmt.bytesHuman(bytes)]);
  log.out(t.toString());
  log.info(`phases: ${report.phases.map((p) => `${p.name} ${fmt.secs(p.seconds)} s`).join(' · ')}`);
  log.info(`seeded in ${fmt.secs(report.seconds)} s`);
  return ExitCode.ok;
}
