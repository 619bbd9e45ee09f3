import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../harness/base/paths.js';
import type { ResultsFile } from '../../harness/results/results-file.js';
import type { TrialResult } from '../../harness/model/trial.js';
import { createItems, freshDatabases, type TestDatabases } from '../support/databases.js';

/**
 * The GitHub Action's steps without GitHub (issue 15): action.yml only runs action/*.sh, and these run
 * here as the runner would run them, with GitHub's files ($GITHUB_OUTPUT, $GITHUB_ENV, $GITHUB_STEP_SUMMARY)
 * as temporary files, inputs as INPUT_* variables, a real sweep against the test clusters, and a fake
 * `gh` and `npm` where the runner would reach GitHub's API or the registry. The regression is seeded from
 * the real sweep's results with every trial 3 times slower (the statistics are tested in test/unit): a
 * factor the trials' own noise cannot explain even on a busy machine, so the gate fires every time.
 */
const actionDir = join(packageRoot, 'action');
const bin = join(packageRoot, 'bin', 'bench.js');

interface Step {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  env: string;
}

describe('the GitHub Action\'s scripts', () => {
  let dbs: TestDatabases;
  let work: string;
  let baseline: string;
  let step = 0;

  /** Runs one step of the action like the runner: its env, fresh output files, the job summary kept across steps. */
  async function run(script: string, env: Record<string, string>, path?: string): Promise<Step> {
    step += 1;
    const files = { GITHUB_OUTPUT: join(work, `output-${step}`), GITHUB_ENV: join(work, `env-${step}`) };
    const r = await execa('bash', [join(actionDir, script)], {
      reject: false,
      timeout: 150_000,
      env: {
        BENCH_CLI: `node ${bin}`,
        BENCH_STATE_DIR: join(work, 'state'),
        RUNNER_TEMP: join(work, 'runner-temp'),
        GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
        GITHUB_ACTION_PATH: packageRoot,
        ...files,
        ...(path ? { PATH: `${path}:${process.env.PATH}` } : {}),
        ...env,
      },
      all: true,
    });
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
    const outputs = Object.fromEntries(read(files.GITHUB_OUTPUT).split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));
    return { code: r.exitCode ?? -1, stdout: r.all ?? '', outputs, summary: read(join(work, 'summary.md')), env: read(files.GITHUB_ENV) };
  }

  const resetSummary = () => rmSync(join(work, 'summary.md'), { force: true });

  /** A copy of a results file with every measured trial `factor` times as long. */
  function slowed(file: string, factor: number, name: string): string {
    const results = JSON.parse(readFileSync(file, 'utf8')) as ResultsFile;
    const trials = results.trials.map((t): TrialResult => {
      if (t.state !== 'ok') return t;
      const s = t.metrics.seconds;
      return { ...t, metrics: { ...t.metrics, seconds: { ...s, copy: s.copy * factor, constraints: s.constraints * factor, total: s.total * factor }, rowsPerSecond: t.metrics.rowsPerSecond / factor } };
    });
    const out = join(work, name);
    writeFileSync(out, JSON.stringify({ ...results, trials, points: undefined, claims: undefined }));
    return out;
  }

  beforeAll(async () => {
    dbs = await freshDatabases('action');
    work = mkdtempSync(join(tmpdir(), 'bench-action-'));
    await createItems(dbs.source, 200000);
  });

  afterAll(async () => {
    await dbs?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('sweep.sh runs the sweep with the inputs, and records where the results are', async () => {
    const r = await run('sweep.sh', {
      INPUT_SCALE: '',
      INPUT_OUT: join(work, 'base'),
      INPUT_SWEEP_ARGS: `-s native-bulk -p 1 --partitions 1 --repeat 3 --warmup 0 --no-peers --source-url '${dbs.source}' --target-url '${dbs.target}'`,
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toEqual({ results: join(work, 'base', 'results.json'), points: join(work, 'base', 'points.md'), 'sweep-exit-code': '0' });
    baseline = r.outputs.results!;
    const results = JSON.parse(readFileSync(baseline, 'utf8')) as ResultsFile;
    expect(results.trials.map((t) => t.state)).toEqual(['ok', 'ok', 'ok']);
    expect(readFileSync(r.outputs.points!, 'utf8')).toContain('| native-bulk/p1 | 3/3 |');
  });

  it('a sweep that fails is recorded, and the verdict fails the job after the rest has run', async () => {
    const r = await run('sweep.sh', { INPUT_SCALE: '', INPUT_OUT: join(work, 'bcp'), INPUT_SWEEP_ARGS: `-s bcp -p 1 --repeat 1 --warmup 0 --no-peers --source-url ${dbs.source} --target-url ${dbs.target}` });
    expect(r.code).toBe(0);
    expect(r.outputs['sweep-exit-code']).toBe('1');
    expect(r.stdout).toMatch(/^::error::bench exited 1/m);
    const verdict = await run('verdict.sh', { SWEEP_EXIT_CODE: '1', OUTCOME: 'pass' });
    expect(verdict.code).toBe(1);
    expect(verdict.stdout).toMatch(/^::error::the sweep failed \(bench exited 1\)/m);
  });

  it('check.sh passes the same results against themselves and writes the verdict table to the job summary', async () => {
    resetSummary();
    const b = await run('baseline.sh', { INPUT_BASELINE: baseline });
    expect(b.outputs).toEqual({ baseline });
    const r = await run('check.sh', { BASELINE: baseline, CURRENT: baseline, POINTS: join(work, 'base', 'points.md') });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({ outcome: 'pass', 'check-exit-code': '0' });
    expect(r.summary).toMatch(/^### bench check: no regression$/m);
    expect(r.summary).toMatch(/<details><summary>Every point of this run<\/summary>\n\n.*\n\n\| point \|/);
    expect(JSON.parse(readFileSync(r.outputs.verdicts!, 'utf8'))).toMatchObject({ format: 'bench-check', outcome: 'pass' });
    expect((await run('verdict.sh', { SWEEP_EXIT_CODE: '0', OUTCOME: 'pass' })).code).toBe(0);
    // summary-always false: a passing check leaves the job summary alone.
    resetSummary();
    const quiet = await run('check.sh', { BASELINE: baseline, CURRENT: baseline, INPUT_SUMMARY_ALWAYS: 'false' });
    expect(quiet.outputs.outcome).toBe('pass');
    expect(quiet.summary).toBe('');
  });

  it('a seeded regression (every trial 3 times slower) fails the job, with the table in the summary', async () => {
    resetSummary();
    const slow = slowed(baseline, 3, 'slow.json');
    const r = await run('check.sh', { BASELINE: baseline, CURRENT: slow, INPUT_SUMMARY_ALWAYS: 'false' });
    expect(r.outputs).toMatchObject({ outcome: 'regressed', 'check-exit-code': '1' });
    expect(r.summary).toMatch(/^### bench check: 1 point\(s\) regressed, failed or missing$/m);
    expect(r.summary).toMatch(/\| native-bulk\/p1 \| .* \| -66\.7% \| \*\*regressed\*\* \|/);
    const verdict = await run('verdict.sh', { SWEEP_EXIT_CODE: '0', OUTCOME: r.outputs.outcome! });
    expect(verdict.code).toBe(1);
    expect(verdict.stdout).toMatch(/^::error::bench: throughput regressed/m);
    // fail-on-alert false (github-action-benchmark's default): a warning, the job passes.
    const lenient = await run('verdict.sh', { SWEEP_EXIT_CODE: '0', OUTCOME: 'regressed', INPUT_FAIL_ON_ALERT: 'false' });
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/^::warning::bench: throughput regressed/m);
  });

  it('alert-threshold in github-action-benchmark\'s form: 400% lets a 3 times slower run pass, 200% does not', async () => {
    const slow = join(work, 'slow.json');
    const loose = await run('check.sh', { BASELINE: baseline, CURRENT: slow, INPUT_ALERT_THRESHOLD: '400%', INPUT_THRESHOLD: '5' });
    expect(loose.outputs.outcome).toBe('pass');
    const tight = await run('check.sh', { BASELINE: baseline, CURRENT: slow, INPUT_ALERT_THRESHOLD: '200%' });
    expect(tight.outputs.outcome).toBe('regressed');
    const bad = await run('check.sh', { BASELINE: baseline, CURRENT: slow, INPUT_ALERT_THRESHOLD: '90%' });
    expect(bad.outputs.outcome).toBe('error');
    expect(bad.stdout).toMatch(/alert-threshold is 90%: give a percentage above 100%/);
  });

  it('points that cannot be judged fail the job unless fail-on-unjudged is false', async () => {
    const one = join(work, 'one-trial.json');
    const results = JSON.parse(readFileSync(baseline, 'utf8')) as ResultsFile;
    writeFileSync(one, JSON.stringify({ ...results, trials: results.trials.slice(0, 1) }));
    const r = await run('check.sh', { BASELINE: one, CURRENT: baseline });
    expect(r.outputs).toMatchObject({ outcome: 'cannot judge', 'check-exit-code': '2' });
    expect((await run('verdict.sh', { OUTCOME: 'cannot judge' })).code).toBe(1);
    expect((await run('verdict.sh', { OUTCOME: 'cannot judge', INPUT_FAIL_ON_UNJUDGED: 'false' })).code).toBe(0);
  });

  it('baseline.sh fetches the base branch\'s artifact with gh; without one, the run is the first and passes', async () => {
    const fake = join(work, 'fake-bin');
    mkdirSync(fake, { recursive: true });
    const calls = join(work, 'gh-calls');
    writeFileSync(
      join(fake, 'gh'),
      `#!/usr/bin/env bash
echo "gh $*" >>'${calls}'
if [ "$1 $2" = "run list" ]; then [ -n "$FAKE_RUN" ] && echo "$FAKE_RUN"; exit 0; fi
if [ "$1 $2" = "run download" ]; then
  while [ $# -gt 0 ]; do [ "$1" = --dir ] && dir=$2; shift; done
  mkdir -p "$dir/bench-results" && cp '${baseline}' "$dir/bench-results/results.json"; exit 0
fi
exit 1
`,
    );
    chmodSync(join(fake, 'gh'), 0o755);
    const github = { GITHUB_REPOSITORY: 'someone/app', GITHUB_BASE_REF: 'main', GITHUB_WORKFLOW_REF: 'someone/app/.github/workflows/copy.yml@refs/pull/7/merge', INPUT_BASELINE_ARTIFACT: 'bench-results' };
    const found = await run('baseline.sh', { ...github, FAKE_RUN: '4242' }, fake);
    expect(found.code, found.stdout).toBe(0);
    expect(found.outputs.baseline).toBe(join(work, 'runner-temp', 'bench-baseline', 'bench-results', 'results.json'));
    expect(readFileSync(found.outputs.baseline!, 'utf8')).toBe(readFileSync(baseline, 'utf8'));
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
      "gh run list --repo someone/app --workflow copy.yml --branch main --status success --limit 1 --json databaseId --jq .[0].databaseId // empty",
      `gh run download 4242 --repo someone/app --name bench-results --dir ${join(work, 'runner-temp', 'bench-baseline')}`,
    ]);

    resetSummary();
    const none = await run('baseline.sh', { ...github, FAKE_RUN: '' }, fake);
    expect(none.outputs).toEqual({ baseline: '' });
    expect(none.stdout).toMatch(/^::notice::no successful run of copy\.yml on main yet/m);
    const check = await run('check.sh', { BASELINE: '', CURRENT: baseline, POINTS: join(work, 'base', 'points.md') });
    expect(check.outputs.outcome).toBe('no baseline');
    expect(check.summary).toMatch(/^### bench: no baseline to compare with$/m);
    expect(check.summary).toContain('| native-bulk/p1 | 3/3 |');
    expect((await run('verdict.sh', { SWEEP_EXIT_CODE: '0', OUTCOME: 'no baseline' })).code).toBe(0);
  });

  it('install.sh installs db-copy-bench at the action\'s version by default, and hands BENCH_CLI to the next steps', async () => {
    const fake = join(work, 'fake-npm');
    mkdirSync(fake, { recursive: true });
    const calls = join(work, 'npm-calls');
    writeFileSync(
      join(fake, 'npm'),
      `#!/usr/bin/env bash
echo "npm $*" >>'${calls}'
if [ "$1" = install ]; then mkdir -p node_modules/.bin && printf '#!/bin/sh\\necho 0.1.0\\n' >node_modules/.bin/db-copy-bench && chmod +x node_modules/.bin/db-copy-bench; fi
if [ "$1" = init ]; then echo '{}' >package.json; fi
`,
    );
    chmodSync(join(fake, 'npm'), 0o755);
    const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const r = await run('install.sh', { INPUT_PACKAGE: '' }, fake);
    expect(r.code, r.stdout).toBe(0);
    expect(readFileSync(calls, 'utf8')).toContain(`npm install --no-audit --no-fund --loglevel=error db-copy-bench@${version}`);
    expect(r.env).toBe(`BENCH_CLI=${join(work, 'runner-temp', 'db-copy-bench', 'install', 'node_modules', '.bin', 'db-copy-bench')}\n`);
    const tarball = await run('install.sh', { INPUT_PACKAGE: '/tmp/db-copy-bench-9.9.9.tgz' }, fake);
    expect(tarball.code).toBe(0);
    expect(readFileSync(calls, 'utf8')).toContain('npm install --no-audit --no-fund --loglevel=error /tmp/db-copy-bench-9.9.9.tgz');
  });

  it('down.sh stops what the sweep started, and runs without a bench too', async () => {
    expect((await run('down.sh', {})).code).toBe(0);
    expect((await run('down.sh', { BENCH_CLI: '' })).code).toBe(0);
  });
});

describe('action.yml', () => {
  const yml = readFileSync(join(packageRoot, 'action.yml'), 'utf8');
  const declared = [...yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:')).matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]!);

  it('runs only the scripts in action/, each of which exists', () => {
    const scripts = [...yml.matchAll(/run: bash "\$GITHUB_ACTION_PATH\/action\/([a-z-]+\.sh)"/g)].map((m) => m[1]!);
    expect(scripts).toEqual(['install.sh', 'sweep.sh', 'baseline.sh', 'check.sh', 'down.sh', 'verdict.sh']);
    for (const s of scripts) expect(existsSync(join(packageRoot, 'action', s)), s).toBe(true);
    expect([...yml.matchAll(/^\s+run: (.*)$/gm)].map((m) => m[1])).toHaveLength(scripts.length);
  });

  it('declares every input it uses, uses every input it declares, and passes each script the INPUT_ variables it reads', () => {
    const used = new Set([...yml.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]!));
    expect([...used].sort()).toEqual([...declared].sort());
    const passed = new Set([...yml.matchAll(/^\s+(INPUT_[A-Z_]+): \$\{\{ inputs\.([a-z-]+) \}\}$/gm)].map((m) => {
      expect(m[1]).toBe(`INPUT_${m[2]!.toUpperCase().replace(/-/g, '_')}`);
      return m[1]!;
    }));
    const scripts = ['lib.sh', 'install.sh', 'sweep.sh', 'baseline.sh', 'check.sh', 'verdict.sh', 'down.sh'].map((s) => readFileSync(join(packageRoot, 'action', s), 'utf8'));
    const read = new Set(scripts.flatMap((s) => [...s.matchAll(/\$\{?(INPUT_[A-Z_]+)/g)].map((m) => m[1]!)));
    expect([...read].filter((v) => !passed.has(v))).toEqual([]);
  });

  it('follows github-action-benchmark\'s names where they mean the same', () => {
    expect(declared).toEqual(expect.arrayContaining(['alert-threshold', 'fail-on-alert', 'summary-always', 'github-token']));
  });
});
