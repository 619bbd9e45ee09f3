import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { alive, bench, processesWith, scratch, serversUnder, sql, startBench, stderrUntil, waitFor } from './support.js';

/**
 * Defects 4 and 5 of issue 16, with real signals. A closed terminal (SIGHUP) skipped every cleanup; and
 * `kill -9` of the bench one sees (bin/bench.js, which re-runs itself detached with a capped heap) left
 * the real one copying in the background, holding the target lock, out of Ctrl-C's reach. Each run here
 * starts the target cluster itself and copies one row per INSERT (--batch-size 1), so it is
 * mid-trial when the signal arrives.
 */
describe('signals', () => {
  let dbs: TestDatabases;
  const work = scratch('signals');

  beforeAll(async () => {
    dbs = await freshDatabases('faults_signals');
    await sql(dbs.source, `CREATE TABLE items (id int PRIMARY KEY, name text)`);
    await sql(dbs.source, `INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 50000) g`);
  });

  afterAll(async () => {
    await dbs?.drop();
    for (const s of ['hup', 'kill']) await bench(['down', '--state-dir', join(work.dir, s)], { stateDir: join(work.dir, s) });
    work.remove();
  });

  /** Starts `bench run` with a native target it starts itself; resolves once the copy has begun. */
  async function startRun(stateName: string) {
    const state = join(work.dir, stateName);
    // One row per INSERT: 50,000 round trips keep the copy going for many seconds.
    const child = startBench(['run', '-s', 'direct-stream', '-p', '1', '--batch-size', '1', '--source-url', dbs.source, '--state-dir', state], {
      stateDir: state,
    });
    const stderr = await stderrUntil(child, /^copying \d+ tables/m, 'the copy started');
    await new Promise((r) => setTimeout(r, 1500));
    return { child, state, stderr };
  }

  /** The pid of the bench that bin/bench.js re-ran with a capped heap. */
  async function realBench(state: string): Promise<number> {
    const line = await waitFor(async () => (await processesWith(`--state-dir ${state}`)).find((l) => l.includes('--max-old-space-size')), 'the re-run bench');
    return Number(line.split(' ')[0]);
  }

  it('SIGHUP (a closed terminal) cleans up like Ctrl-C: exit 130, one line, the server it started stopped', async () => {
    const { child, state, stderr } = await startRun('hup');
    const realPid = await realBench(state);
    child.kill('SIGHUP');
    const r = await child;
    expect(r.exitCode, `${stderr}${String(r.stderr)}`).toBe(130);
    expect(String(r.stderr)).toMatch(/^error: interrupted by SIGHUP; cleaned up what this command started/m);
    expect(await serversUnder(state)).toEqual([]);
    expect(existsSync(join(state, 'spill', `bench-${realPid}`))).toBe(false);
  });

  it('kill -9 of the visible bench ends the real one too: it cleans up and stops the server it started', async () => {
    const { child, state } = await startRun('kill');
    const realPid = await realBench(state);
    child.kill('SIGKILL');
    await waitFor(async () => ((await processesWith(`--state-dir ${state}`)).length === 0 ? true : undefined), 'the re-run bench to end', 15_000);
    expect(alive(realPid)).toBe(false);
    expect(await serversUnder(state)).toEqual([]);
    expect(existsSync(join(state, 'spill', `bench-${realPid}`))).toBe(false);
    // Its sessions, and with them the target lock, are gone.
    const sessions = await sql(dbs.source, `SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'bench-%'`);
    expect(sessions).toEqual([]);
  });
});
