import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../harness/base/paths.js';
import { cpuQuotaUnavailable, postmasterPid, throttle, type Throttle } from '../support/cgroup.js';
import { connect, createItems, freshDatabases, type TestDatabases } from '../support/databases.js';

/**
 * Proves `bench check` where people run it: the default 3 repeats (and the default warm-up), a sweep of
 * two points, slowdowns made from outside bench's process. Five A/A pairs (the same code, one sweep after
 * the other) must pass; a target server throttled to ¼ of a core, and one throttled to 70% of a core, by
 * a cgroup v1 CPU quota on the server's processes, must fail the check. Sweeps run one after the other,
 * as a CI job runs a baseline and then the current code. The same throttles at --repeat 5 must fail too.
 */
const bin = join(packageRoot, 'bin', 'bench.js');
const unavailable = cpuQuotaUnavailable();

describe.skipIf(unavailable !== undefined)('bench check at --repeat 3 against slowdowns made outside bench', () => {
  let dbs: TestDatabases;
  let dir: string;
  let targetPostmaster: number;
  let active: Throttle | undefined;

  beforeAll(async () => {
    if (!existsSync(join(packageRoot, 'dist', 'harness', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    dbs = await freshDatabases('check');
    dir = mkdtempSync(join(tmpdir(), 'bench-check-'));
    await createItems(dbs.source, 1000000);
    const t = await connect(dbs.target);
    targetPostmaster = postmasterPid((await t.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0]!.d);
    await t.end();
  });

  afterAll(async () => {
    active?.release();
    await dbs?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const sweep = (out: string, repeat = 3) =>
    execa(
      'node',
      [bin, 'sweep', '--strategies', 'native-bulk', '--parallelism', '1,2', '--partitions', '1', '--repeat', String(repeat), '--no-peers', '--fresh', '--out', join(dir, out), '--source-url', dbs.source, '--target-url', dbs.target],
      { reject: false, timeout: 300_000, env: { BENCH_STATE_DIR: join(dir, 'state') } },
    );
  const check = (base: string, current: string) =>
    execa('node', [bin, 'check', '--baseline', join(dir, base, 'results.json'), '--current', join(dir, current, 'results.json')], {
      reject: false,
      timeout: 60_000,
      env: { GITHUB_STEP_SUMMARY: join(dir, 'summary.md') },
    });
  const rows = (out: string) => out.split('\n').filter((l) => l.startsWith('| native-bulk/'));

  /** Each throttle, swept at `repeat` while the quota holds, must fail the check against `base`. */
  async function expectThrottlesFlagged(base: string, repeat: number): Promise<void> {
    for (const cores of [0.25, 0.7]) {
      active = throttle(targetPostmaster, cores);
      let r;
      try {
        r = await sweep(`throttled-${cores}-r${repeat}`, repeat);
      } finally {
        active.release();
        active = undefined;
      }
      expect(r.exitCode, r.stderr).toBe(0);
      const ab = await check(base, `throttled-${cores}-r${repeat}`);
      console.log(`--repeat ${repeat}, target throttled to ${cores} core:\n${rows(ab.stdout).join('\n')}`);
      expect(ab.exitCode, ab.stdout).toBe(1);
      expect(ab.stdout).toMatch(/native-bulk\/p\d \|.*\*\*regressed\*\*/);
    }
  }

  it('stays quiet on 5 A/A pairs, and fails on a target throttled to ¼ core and to 70% of a core', async () => {
    const runs = ['aa0', 'aa1', 'aa2', 'aa3', 'aa4', 'aa5'];
    for (const out of runs) {
      const r = await sweep(out);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    for (let i = 1; i < runs.length; i++) {
      const aa = await check(runs[i - 1]!, runs[i]!);
      console.log(`A/A ${runs[i - 1]} → ${runs[i]}:\n${rows(aa.stdout).join('\n')}`);
      expect(aa.exitCode, aa.stdout).toBe(0);
      expect(aa.stdout).toContain('no regression');
    }

    await expectThrottlesFlagged('aa5', 3);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('### bench check');
  }, 1_200_000);

  it('fails on the same two throttles at --repeat 5', async () => {
    const base = await sweep('base-r5', 5);
    expect(base.exitCode, base.stderr).toBe(0);
    await expectThrottlesFlagged('base-r5', 5);
  }, 900_000);
});

if (unavailable !== undefined) {
  describe('bench check against an outside slowdown', () => {
    it.skip(`skipped: ${unavailable}`, () => undefined);
  });
}
