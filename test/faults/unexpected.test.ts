import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrialLog } from '../../harness/results/trial-log.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { bench, errorLines, scratch, serversUnder, sql } from './support.js';

/**
 * Issue 16's process-level guarantee: whatever throws or rejects, wherever, ends in the one exit path
 * (harness/main.ts): the trial under way is recorded as failed with its phase, what the command started
 * is stopped, finished results are kept, and bench exits 1 with one line. The fault is injected from
 * outside bench's own code (fixtures/inject-fault.mjs, preloaded with node --import), at a moment
 * chosen by bench's own output.
 */
const inject = join(import.meta.dirname, 'fixtures', 'inject-fault.mjs');

describe('an unhandled rejection or uncaught exception anywhere', () => {
  let dbs: TestDatabases;
  const work = scratch('unexpected');

  beforeAll(async () => {
    dbs = await freshDatabases('faults_unexpected');
    await sql(dbs.source, `CREATE TABLE items (id int PRIMARY KEY, name text)`);
    await sql(dbs.source, `INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 20000) g`);
  });

  afterAll(async () => {
    await dbs?.drop();
    await bench(['down', '--state-dir', join(work.dir, 'state')], { stateDir: join(work.dir, 'state') });
    work.remove();
  });

  it('in a sweep: the trial under way is recorded as failed, the sweep stops with a report and exit 1', async () => {
    const out = join(work.dir, 'sweep');
    const r = await bench(
      ['sweep', '--strategies', 'native-bulk,direct-stream,pipeline', '--parallelism', '1', '--partitions', '1', '--repeat', '1', '--warmup', '0', '--no-peers',
        '--out', out, '--source-url', dbs.source, '--target-url', dbs.target],
      { stateDir: join(work.dir, 'state'), env: { NODE_OPTIONS: `--import=${inject}`, BENCH_FAULT: 'rejection', BENCH_FAULT_AFTER: '\\[1/3\\]' } },
    );
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/triggerUncaughtException|node:internal|\n\s+at /);
    expect(r.exitCode).toBe(1);
    expect(errorLines(r.stderr).filter((l) => l.startsWith('error:')).at(-1)).toMatch(/^error: unexpected failure: injected unhandled rejection/);
    const trials = readTrialLog(join(out, 'trials.jsonl')).trials;
    // The first trial finished before the fault; the second was under way; the third never started.
    expect(trials.map((t) => t.state)).toEqual(['ok', 'failed']);
    expect(trials[1]).toMatchObject({ error: expect.stringMatching(/unexpected failure: injected unhandled rejection/) });
    expect(existsSync(join(out, 'report.md'))).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/injected unhandled rejection/);
  });

  it('in a run: one line, exit 1, and the server the command started is stopped', async () => {
    const state = join(work.dir, 'state');
    const r = await bench(['run', '-s', 'direct-stream', '-p', '1', '--source-url', dbs.source, '--state-dir', state], {
      stateDir: state,
      env: { NODE_OPTIONS: `--import=${inject}`, BENCH_FAULT: 'exception', BENCH_FAULT_AFTER: 'copying \\d+ tables' },
    });
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/node:internal|\n\s+at /);
    expect(r.exitCode).toBe(1);
    expect(errorLines(r.stderr).filter((l) => l.startsWith('error:'))).toEqual([
      expect.stringMatching(/^error: direct-stream\/p1#1 failed in \w+: unexpected failure: injected uncaught exception/),
    ]);
    // The cluster was initialised by this command, so it is not only stopped but removed.
    expect(await serversUnder(state)).toEqual([]);
    expect(existsSync(join(state, 'native', 'target', 'data'))).toBe(false);
  });
});
