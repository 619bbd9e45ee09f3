import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../harness/base/paths.js';
import { parseResults } from '../../harness/results/schema.js';
import type { ResultsFile } from '../../harness/results/results-file.js';
import { createItems, freshDatabases, type TestDatabases } from '../support/databases.js';

/**
 * Issue 15, through the compiled CLI on real servers: results machines can read (the `points` section,
 * CSV and markdown exports, `--json` on run, status, detect and check, `-` for stdout and stdin), and exit
 * codes that tell the truth (a sweep with no valid trial fails; check warns about another bench version).
 */
const bin = join(packageRoot, 'bin', 'bench.js');

describe('machine-readable output and truthful exit codes', () => {
  let dbs: TestDatabases;
  let work: string;
  const bench = (args: string[], input?: string) =>
    execa('node', [bin, ...args], { reject: false, timeout: 110_000, env: { BENCH_STATE_DIR: join(work, 'state') }, ...(input !== undefined ? { input } : {}) });
  const urls = () => ['--source-url', dbs.source, '--target-url', dbs.target];
  const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

  beforeAll(async () => {
    dbs = await freshDatabases('machine_output');
    work = mkdtempSync(join(tmpdir(), 'bench-machine-output-'));
    await createItems(dbs.source, 20000);
  });

  afterAll(async () => {
    await dbs?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('sweep writes per-point statistics into results.json, and --export-csv - puts only the CSV on stdout', async () => {
    const out = join(work, 'sweep');
    const r = await bench(['sweep', '-s', 'native-bulk,direct-stream', '-p', '1', '--partitions', '1', '--repeat', '2', '--warmup', '0', '--no-peers', '--out', out, '--export-csv', '-', '--export-markdown', join(work, 'points.md'), ...urls()]);
    expect(r.exitCode, r.stderr).toBe(0);
    const results = parseResults(readJson(join(out, 'results.json')), 'results.json');
    expect(results.version).toBe(2);
    expect(results.points!.map((p) => [p.point, p.n, p.trials.ok])).toEqual([['direct-stream/p1', 2, 2], ['native-bulk/p1', 2, 2]]);
    for (const p of results.points!) {
      expect(p.seconds!.median).toBeGreaterThan(0);
      expect(p.cv).not.toBeNull();
      // What was reached depends on when the samples fell in so short a copy: only the label is certain.
      expect(p.concurrency === null || p.concurrency.planned === 1).toBe(true);
    }
    expect(results.claims!.best!.point).toMatch(/^(direct-stream|native-bulk)\/p1$/);
    // stdout is the CSV and nothing else: the summary table went to stderr.
    const csv = r.stdout.trim().split('\n');
    expect(csv[0]).toMatch(/^point,kind,contender,/);
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['direct-stream/p1', 'native-bulk/p1']);
    expect(r.stderr).toMatch(/median rows\/s|rows\/s/);
    expect(readFileSync(join(work, 'points.md'), 'utf8')).toMatch(/\| native-bulk\/p1 \| 2\/2 \|/);

    // bench report reads the results from stdin (-) and renders the same points.
    const again = await bench(['report', '-', '--out', join(work, 'again'), '--export-csv', '-'], readFileSync(join(out, 'results.json'), 'utf8'));
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toBe(r.stdout);
  });

  it('check --json - prints the verdicts as JSON; a baseline from another bench version is compared with a warning', async () => {
    const current = join(work, 'sweep', 'results.json');
    const baseline = readJson<ResultsFile>(current);
    const older = join(work, 'older.json');
    writeFileSync(older, JSON.stringify({ ...baseline, environment: { ...baseline.environment, bench: { ...baseline.environment.bench, version: '0.0.9' } } }));
    const r = await bench(['check', '--baseline', older, '--current', current, '--json', '-']);
    expect(r.exitCode, r.stderr).toBe(0);
    const verdicts = JSON.parse(r.stdout) as { format: string; outcome: string; exitCode: number; warnings: string[]; points: { point: string; verdict: string }[] };
    expect(verdicts).toMatchObject({ format: 'bench-check', outcome: 'pass', exitCode: 0 });
    expect(verdicts.points.map((p) => [p.point, p.verdict])).toEqual([['direct-stream/p1', 'unchanged'], ['native-bulk/p1', 'unchanged']]);
    expect(verdicts.warnings).toEqual([expect.stringMatching(/^another bench version: baseline 0\.0\.9, current /)]);
    expect(r.stderr).toMatch(/^warning: another bench version/m);
    expect(r.stderr).toContain('### bench check: no regression');
  });

  it('check --json - that runs its own sweep keeps stdout for the JSON (the sweep\'s summary goes to stderr)', async () => {
    const r = await bench(['check', '--baseline', join(work, 'sweep', 'results.json'), '-s', 'native-bulk,direct-stream', '-p', '1', '--partitions', '1', '--repeat', '2', '--warmup', '0', '--no-peers', '--out', join(work, 'check-sweep'), '--json', '-', ...urls()]);
    expect([0, 1], r.stderr).toContain(r.exitCode);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'bench-check', current: join(work, 'check-sweep', 'results.json') });
    expect(r.stderr).toContain('### bench check:');
  });

  it('run --json - writes the result as JSON on stdout and the tables on stderr', async () => {
    const r = await bench(['run', '-s', 'native-bulk', '-p', '1', '--json', '-', ...urls()]);
    expect(r.exitCode, r.stderr).toBe(0);
    // stdout is the JSON alone: the per-table tables went to stderr.
    const results = parseResults(JSON.parse(r.stdout), 'stdout');
    expect(results.command).toBe('run');
    expect(results.trials.map((t) => t.state)).toEqual(['ok']);
    expect(results.points).toHaveLength(1);
    expect(r.stderr).toContain('total (copy + constraints)');
  });

  it('a sweep whose every trial is skipped exits 1 and says nothing was measured', async () => {
    const r = await bench(['sweep', '-s', 'bcp', '-p', '1', '--repeat', '1', '--warmup', '0', '--no-peers', '--out', join(work, 'bcp'), ...urls()]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/skipped/);
    expect(r.stderr).toMatch(/no trial of bench ran to a valid copy: nothing was measured/);
  });

  it('status and detect print JSON with --json', async () => {
    const status = await bench(['status', '--json']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { role: string }[]).map((s) => s.role).sort()).toEqual(['source', 'target']);
    const detect = await bench(['detect', '--json', '-', '--no-docker']);
    expect(detect.exitCode, detect.stderr).toBe(0);
    expect(JSON.parse(detect.stdout)).toHaveProperty('classification.profile');
  });

  it('options a command does not take are refused with exit 2 (status --image, quick --quick)', async () => {
    for (const args of [['status', '--image', 'x'], ['quick', '--quick']]) {
      const r = await bench(args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/unknown option/);
    }
  });
});
