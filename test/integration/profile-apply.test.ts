import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterPaths, packageRoot } from '../../harness/base/paths.js';
import { findPostgresBinaries } from '../../harness/providers/pg-binaries.js';
import { serverOsUser } from '../../harness/providers/os-user.js';
import { findFreePort } from '../../harness/providers/ports.js';
import { initCluster, startCluster, stopCluster, writeSettings, type ClusterLocation } from '../../harness/providers/native-cluster.js';
import { withPointRecords } from '../../harness/analysis/point-records.js';
import { loadProfile } from '../../profiles/profile.js';
import { settingNotes } from '../../profiles/setting-notes.js';
import { resultsFileOf, trialsTaking } from '../support/results.js';

/**
 * Issue 15: what `bench profile export` writes applies to a fresh cluster the way a DBA would apply it
 * (postgresql.conf `include`), every setting it applies is the one it says, and the ones that risk the
 * data are not applied. The export is made through the compiled CLI from a sweep's results.json and from
 * the profile.json `bench report` writes next to it, and says which point it exported.
 */
const bin = join(packageRoot, 'bin', 'bench.js');

describe('bench profile export applied to a fresh cluster', () => {
  let work: string;
  let loc: ClusterLocation;
  const password = 'export-test';
  let port: number;
  let results: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'bench-profile-apply-'));
    chmodSync(work, 0o755);
    // The sweep ran with bulk-load's settings and one more that only a throwaway cluster should have.
    const profileServer = { ...loadProfile('bulk-load').server, both: { ...loadProfile('bulk-load').server.both, fsync: 'off' } };
    const trials = [...trialsTaking({ strategy: 'native-bulk', parallelism: 4 }, [1, 1.02, 0.98]), ...trialsTaking({ strategy: 'pipeline', parallelism: 2 }, [2, 2.1, 1.9])];
    results = join(work, 'results.json');
    writeFileSync(results, JSON.stringify(withPointRecords({ ...resultsFileOf(trials), config: { profileServer } })));
    loc = { home: join(work, 'cluster'), bin: await findPostgresBinaries(), user: await serverOsUser() };
    await initCluster(loc, password);
    port = await findFreePort(56400);
    writeSettings(loc, port, {});
  }, 180_000);

  afterAll(async () => {
    if (loc) await stopCluster(loc).catch(() => undefined);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const bench = (args: string[]) => execa('node', [bin, ...args], { reject: false, timeout: 60_000, env: { BENCH_STATE_DIR: join(work, 'state') } });

  it('the target postgresql.conf export from results.json applies through include, setting by setting; fsync stays on', async () => {
    const confFile = join(clusterPaths.dataDir(loc.home), 'bench-load.conf');
    const r = await bench(['profile', 'export', results, '--format', 'postgresql-conf', '--role', 'target', '--out', confFile]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^exporting the sweep's winner native-bulk\/p4 of .*results\.json \(10,000 rows\/s, median of 3\)$/m);
    expect(r.stderr).toMatch(/^warning: fsync is written commented out: it risks the data for speed/m);
    const conf = readFileSync(confFile, 'utf8');
    const applied = Object.fromEntries(
      conf
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => /^(\w+) = '?([^']*)'?$/.exec(l)!.slice(1, 3) as [string, string]),
    );
    expect(Object.keys(applied).sort()).toEqual(['autovacuum', 'effective_cache_size', 'maintenance_work_mem', 'max_connections', 'max_wal_size', 'shared_buffers', 'synchronous_commit', 'wal_buffers']);

    // As the export's own header says: one include line at the end of postgresql.conf, then a restart.
    appendFileSync(join(clusterPaths.dataDir(loc.home), 'postgresql.conf'), "include 'bench-load.conf'\n");
    await startCluster(loc, port, 'target');
    const c = new pg.Client({ connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` });
    await c.connect();
    try {
      const rows = (await c.query<{ name: string; value: string; sourcefile: string | null; source: string }>(
        `SELECT name, current_setting(name) AS value, sourcefile, source FROM pg_settings WHERE name = ANY($1)`,
        [[...Object.keys(applied), 'fsync']],
      )).rows;
      const byName = new Map(rows.map((row) => [row.name, row]));
      for (const [name, value] of Object.entries(applied)) {
        expect(byName.get(name), name).toMatchObject({ value, sourcefile: confFile });
      }
      expect(byName.get('fsync')).toMatchObject({ value: 'on', source: 'default' });

      // The value each note says to go back to is this PostgreSQL's own default (its boot value).
      const boot = (await c.query<{ name: string; boot_val: string; unit: string | null }>('SELECT name, boot_val, unit FROM pg_settings WHERE name = ANY($1)', [Object.keys(settingNotes)])).rows;
      expect(boot.map((row) => row.name).sort()).toEqual(Object.keys(settingNotes).sort());
      for (const row of boot) expect(settingNotes[row.name]!.default.split(' ')[0], row.name).toBe(withUnit(row.boot_val, row.unit));
    } finally {
      await c.end();
    }
  });

  it('from the profile.json a report writes, and as an Airflow env file every line of which a shell can source', async () => {
    const report = await bench(['report', results, '--out', join(work, 'report')]);
    expect(report.exitCode, report.stderr).toBe(0);
    const profile = join(work, 'report', 'profile.json');
    const env = join(work, 'airflow.env');
    const r = await bench(['profile', 'export', profile, '--format', 'airflow-env', '--out', env]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^exporting .*profile\.json: the winner native-bulk\/p4 of the sweep on testhost at 2025-01-01T00:00:00\.000Z/m);
    const sourced = await execa('bash', ['-c', `set -a; . '${env}'; env`], { env: {}, extendEnv: false });
    const vars = Object.fromEntries(sourced.stdout.split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
    expect(vars).toMatchObject({
      AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG: '4',
      AIRFLOW__CORE__PARALLELISM: '8',
      AIRFLOW_VAR_BENCH_COPY_STRATEGY: 'native-bulk',
      AIRFLOW_VAR_BENCH_PARTITIONS_PER_TABLE: '1',
      AIRFLOW_VAR_BENCH_DB_POOL_SIZE: '4',
    });
    // --point exports another point of the same sweep; an unknown one is refused with the points there are.
    const other = await bench(['profile', 'export', results, '--point', 'pipeline/p2', '--format', 'json']);
    expect(other.exitCode, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout)).toMatchObject({ copy: { strategy: 'pipeline', parallelism: 2 }, recommendation: { point: 'pipeline/p2', winner: false, established: false } });
    const missing = await bench(['profile', 'export', results, '--point', 'chunked/p9']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/has no point chunked\/p9 of bench's; its points are native-bulk\/p4, pipeline\/p2/);
  });
});

/** A pg_settings boot value in the units postgresql.conf is written in: 16384 × 8kB is 128MB, 300 s is 5min. */
function withUnit(value: string, unit: string | null): string {
  const n = Number(value);
  if (unit === null || !Number.isFinite(n) || n < 0) return value;
  const bytes = { '8kB': 8192, kB: 1024, MB: 1024 ** 2 }[unit];
  if (bytes !== undefined) {
    const total = n * bytes;
    for (const [suffix, size] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['kB', 1024]] as const) if (total % size === 0 && total >= size) return `${total / size}${suffix}`;
    return `${total}B`;
  }
  if (unit === 's') return n % 60 === 0 && n > 0 ? `${n / 60}min` : `${n}s`;
  if (unit === 'ms') return `${n}ms`;
  return value;
}
