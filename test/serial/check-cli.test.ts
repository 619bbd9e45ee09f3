import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../harness/base/paths.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';

/**
 * Proves `bench check` on real sweeps: quiet on an A/A pair (the same code twice), failing on a strategy
 * slowed by 35% with a real wait (BENCH_TEST_SLOWDOWN, inside the timed region). Six repeats per point, run in
 * rounds across the three sweeps: the rank test needs repeats to tell a slowdown from noise, and the
 * rounds keep the machine's drift from favouring one sweep.
 */
const bin = join(packageRoot, 'bin', 'bench.js');

describe('bench check against real sweeps', () => {
  let dbs: TestDatabases;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(join(packageRoot, 'dist', 'harness', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    dbs = await freshDatabases('check');
    dir = mkdtempSync(join(tmpdir(), 'bench-check-'));
    const c = await connect(dbs.source);
    await c.query(`CREATE TABLE items (id int PRIMARY KEY, label text, qty int);
      INSERT INTO items SELECT g, 'item ' || g, g % 97 FROM generate_series(1, 800000) g; ANALYZE;`);
    await c.end();
  });

  afterAll(async () => {
    await dbs?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // One more repetition of a sweep per call (--resume --repeat r): the three sweeps advance in rounds, so a
  // drift of the machine lands on all of them alike, as the sweep itself interleaves its points.
  const sweep = (out: string, round: number, env: Record<string, string> = {}) =>
    execa(
      'node',
      [bin, 'sweep', '--strategies', 'native-bulk', '--parallelism', '1', '--partitions', '1', '--repeat', String(round), '--no-peers', '--out', join(dir, out), ...(round === 1 ? ['--fresh'] : ['--resume']), '--source-url', dbs.source, '--target-url', dbs.target],
      { reject: false, timeout: 170_000, env: { BENCH_STATE_DIR: join(dir, 'state'), ...env } },
    );
  const check = (base: string, current: string) =>
    execa('node', [bin, 'check', '--baseline', join(dir, base, 'results.json'), '--current', join(dir, current, 'results.json')], {
      reject: false,
      timeout: 60_000,
      env: { GITHUB_STEP_SUMMARY: join(dir, 'summary.md') },
    });

  it('A/A passes, a 35%-slowed strategy fails, and the verdict is written for GitHub', async () => {
    for (let round = 1; round <= 6; round++) {
      for (const [out, env] of [['a1', {}], ['a2', {}], ['slow', { BENCH_TEST_SLOWDOWN: 'native-bulk=0.35' }]] as const) {
        const r = await sweep(out, round, env);
        expect(r.exitCode, r.stderr).toBe(0);
      }
    }
    const aa = await check('a1', 'a2');
    expect(aa.exitCode, aa.stdout).toBe(0);
    expect(aa.stdout).toContain('no regression');

    const row = (out: string) => out.split('\n').find((l) => l.startsWith('| native-bulk/p1 |')) ?? out;
    console.log(`A/A: ${row(aa.stdout)}`);
    const ab = await check('a1', 'slow');
    console.log(`A/B (35% slower): ${row(ab.stdout)}`);
    expect(ab.exitCode, ab.stdout).toBe(1);
    expect(ab.stdout).toMatch(/native-bulk\/p1 \|.*\*\*regressed\*\*/);
    expect(existsSync(join(dir, 'summary.md'))).toBe(true);
  }, 600_000);
});
