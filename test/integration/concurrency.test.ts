import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../harness/base/paths.js';
import { seedStackOverflow } from '../../harness/dataset/index.js';
import type { ResultsFile } from '../../harness/results/results-file.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';

/**
 * A point called p8 runs 8 copies at once (issue 11: it ran at most 4, because the pools were sized
 * from a default). Checked from outside bench: while `bench run` copies the StackOverflow dataset at
 * scale 0.005 split into 8 parts per large table, the test itself polls the target's pg_stat_activity
 * and counts the COPY statements running at once. The same for p16. bench's own record of the
 * concurrency it reached must agree.
 */
const bin = join(packageRoot, 'bin', 'bench.js');

describe('concurrency as labelled', () => {
  let dbs: TestDatabases;
  let work: string;

  beforeAll(async () => {
    dbs = await freshDatabases('concurrency');
    const pool = new pg.Pool({ connectionString: dbs.source, max: 2 });
    await seedStackOverflow(pool, { scale: 0.005, seed: 1 });
    await pool.end();
    work = mkdtempSync(join(tmpdir(), 'bench-concurrency-'));
  }, 180_000);

  afterAll(async () => {
    await dbs?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** The most COPY … FROM STDIN statements the target ran at once while `run` was going. */
  async function peakCopies(run: Promise<unknown>): Promise<number> {
    const c = await connect(dbs.target);
    let peak = 0;
    let done = false;
    void run.finally(() => {
      done = true;
    });
    try {
      while (!done) {
        const r = await c.query<{ n: string }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query ILIKE 'COPY%FROM STDIN%'",
        );
        peak = Math.max(peak, Number(r.rows[0]!.n));
        await new Promise((res) => setTimeout(res, 20));
      }
    } finally {
      await c.end();
    }
    return peak;
  }

  it.each([8, 16])('p%i with 8 parts per large table keeps that many copies active on the target', async (p) => {
    const json = join(work, `p${p}.json`);
    const run = execa(
      'node',
      [bin, 'run', '-s', 'native-bulk', '-p', String(p), '--partitions', '8', '--partition-min-rows', '1000', '--json', json, '--source-url', dbs.source, '--target-url', dbs.target],
      { reject: false, timeout: 170_000, env: { BENCH_STATE_DIR: join(work, 'state') } },
    );
    const peak = await peakCopies(run);
    const r = await run;
    expect(r.exitCode, r.stderr).toBe(0);
    console.log(`p${p}: ${peak} COPY statements active at once on the target, sampled by the test`);
    expect(peak).toBe(p);
    const results = JSON.parse(readFileSync(json, 'utf8')) as ResultsFile;
    const trial = results.trials[0]!;
    if (trial.state !== 'ok') throw new Error(`trial ${trial.state}`);
    const c = trial.metrics.concurrency!;
    expect(c.planned).toBe(p);
    expect(c.possible).toBe(p);
    expect(c.clientPeak).toBe(p);
    // bench's own sample (every 25 ms, on both servers): a trial's reach is the most either server saw.
    expect(Math.max(c.servers.target!.peak, c.servers.source!.peak)).toBe(p);
  }, 180_000);
});
