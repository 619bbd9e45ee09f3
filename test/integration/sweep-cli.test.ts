import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../harness/base/paths.js';
import type { TrialResult } from '../../harness/model/trial.js';
import { readTrialLog } from '../../harness/results/trial-log.js';
import { loadProfile } from '../../profiles/profile.js';
import type { ResultsFile } from '../../harness/results/results-file.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';

/**
 * `bench sweep` and `bench report` end to end through the compiled CLI (`npm test` builds dist/ first),
 * against fresh databases on the test clusters: the files a sweep leaves, --resume, the refusal to
 * overwrite, Ctrl-C, and a failing trial.
 */
const bin = join(packageRoot, 'bin', 'bench.js');

function bench(args: string[], stateDir: string, timeout = 110_000) {
  if (!existsSync(join(packageRoot, 'dist', 'harness', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  return execa('node', [bin, ...args], { reject: false, timeout, env: { BENCH_STATE_DIR: stateDir } });
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('(node:'));
}

/** The child's stderr so far, once it matches `pattern`; fails if the child ends first. */
function stderrUntil(child: ResultPromise, pattern: RegExp, what: string): Promise<string> {
  let stderr = '';
  return new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (pattern.test(stderr)) resolve(stderr);
    });
    child.then(() => reject(new Error(`the sweep ended before ${what}:\n${stderr}`)), reject);
  });
}

const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

/** Three tables a few thousand rows each, one referencing another. */
async function seedSmall(url: string): Promise<void> {
  const c = await connect(url);
  try {
    await c.query(`
      CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 3000) g;
      CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), total numeric(10, 2), placed timestamptz);
      INSERT INTO orders SELECT g, 1 + g % 3000, (g % 1000) / 7.0, '2024-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 5000) g;
      CREATE TABLE notes (id int PRIMARY KEY, body text);
      INSERT INTO notes SELECT g, repeat('n', g % 40) FROM generate_series(1, 4000) g;
      ANALYZE;`);
  } finally {
    await c.end();
  }
}

/** Sessions of bench still running a statement in this test's database. */
async function activeBenchSessions(url: string): Promise<string[]> {
  const c = await connect(url);
  try {
    const r = await c.query<{ application_name: string; query: string }>(
      `SELECT application_name, query FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE 'bench%' AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    return r.rows.map((row) => `${row.application_name}: ${row.query}`);
  } finally {
    await c.end();
  }
}

describe('bench sweep through the CLI', () => {
  let dbs: TestDatabases;
  let work: string;
  let out: string;
  let stateDir: string;
  const grid = ['--strategies', 'native-bulk,direct-stream', '--parallelism', '1,2', '--partitions', '1', '--repeat', '2'];
  const urls = () => ['--no-peers', '--source-url', dbs.source, '--target-url', dbs.target];

  beforeAll(async () => {
    dbs = await freshDatabases('sweep_cli');
    await seedSmall(dbs.source);
    work = mkdtempSync(join(tmpdir(), 'bench-sweep-cli-'));
    out = join(work, 'out');
    stateDir = join(work, 'state');
  });

  afterAll(async () => {
    await dbs?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs the grid and leaves results.json, trials.jsonl, report.md, charts and a profile', async () => {
    const r = await bench(['sweep', ...grid, '--out', out, ...urls()], stateDir);
    expect(r.exitCode, r.stderr).toBe(0);

    const results = readJson<ResultsFile>(join(out, 'results.json'));
    expect(results.format).toBe('bench-results');
    expect(results.version).toBe(2);
    expect(results.command).toBe('sweep');
    expect(results.trials).toHaveLength(8);
    expect(results.trials.map((t) => t.state)).toEqual(Array(8).fill('ok'));
    // Strategies run in the registry's order (baseline first), repetitions in interleaved rounds, each
    // round one point later; the warm-up round (default 1) is logged but not in results.json.
    expect(results.trials.map((t) => t.spec.id)).toEqual([
      'direct-stream/p2#1', 'native-bulk/p1#1', 'native-bulk/p2#1', 'direct-stream/p1#1',
      'native-bulk/p1#2', 'native-bulk/p2#2', 'direct-stream/p1#2', 'direct-stream/p2#2',
    ]);
    expect(readTrialLog(join(out, 'trials.jsonl')).trials.filter((t) => t.spec.warmup).map((t) => t.spec.id)).toEqual([
      'direct-stream/p1#w1', 'direct-stream/p2#w1', 'native-bulk/p1#w1', 'native-bulk/p2#w1',
    ]);
    expect(results.sweep).toMatchObject({ strategies: ['direct-stream', 'native-bulk'], parallelism: [1, 2], partitions: [1], repeat: 2, warmup: 1, trialsPlanned: 12, complete: true });
    for (const t of results.trials) {
      if (t.state !== 'ok') continue;
      expect(t.metrics.rows).toBe(12_000);
      expect(t.validation.map((v) => v.match)).toEqual([true, true, true]);
    }
    expect(results.dataset.tables.map((t) => [t.table, t.rows]).sort()).toEqual([['public.customers', 3000], ['public.notes', 4000], ['public.orders', 5000]]);
    // No password anywhere in what is kept.
    expect(readFileSync(join(out, 'results.json'), 'utf8')).not.toContain(new URL(dbs.source).password || '\u0000');

    const log = readTrialLog(join(out, 'trials.jsonl'));
    expect(log.header.kind).toBe('bench-trial-log');
    expect(log.trials.filter((t) => !t.spec.warmup)).toEqual(results.trials);
    expect(readFileSync(join(out, 'trials.jsonl'), 'utf8').trim().split('\n')).toHaveLength(13);

    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('Throughput matrix');
    expect(report).toContain('native-bulk');
    expect(report).toContain('direct-stream');
    expect(report).not.toContain('## Failed trials');
    expect(readFileSync(join(out, 'charts', 'throughput.svg'), 'utf8').startsWith('<svg')).toBe(true);

    const profile = loadProfile(join(out, 'profile.json'));
    expect(['native-bulk', 'direct-stream']).toContain(profile.copy.strategy);
    expect([1, 2]).toContain(profile.copy.parallelism);
    expect(r.stderr).toContain('[12/12]');
  });

  it('--constraints after,overlap --freeze off,on are dimensions: every pair measured, the levers recorded, the report says what each bought', async () => {
    const levers = join(work, 'levers');
    const r = await bench(['sweep', '--strategies', 'native-bulk', '--parallelism', '2', '--partitions', '1', '--repeat', '2', '--warmup', '0', '--constraints', 'after,overlap', '--freeze', 'off,on', '--out', levers, ...urls()], stateDir);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('× constraints after,overlap × freeze off,on');
    const results = readJson<ResultsFile>(join(levers, 'results.json'));
    expect(results.sweep?.levers).toEqual({ constraints: ['after', 'overlap'], freeze: ['off', 'on'] });
    const specs = new Map(results.trials.map((t) => [t.spec.point, t.spec]));
    expect([...specs.keys()].sort()).toEqual([
      'native-bulk/p2/constraints:after/freeze:off', 'native-bulk/p2/constraints:after/freeze:on',
      'native-bulk/p2/constraints:overlap/freeze:off', 'native-bulk/p2/constraints:overlap/freeze:on',
    ]);
    for (const [point, spec] of specs) {
      if (spec.kind !== 'strategy') continue;
      expect(spec.constraints).toBe(point.includes('constraints:overlap') ? 'overlap' : 'after');
      expect(spec.params.freeze).toBe(point.endsWith('freeze:on'));
    }
    expect(results.trials.every((t) => t.state === 'ok' && t.validation.every((v) => v.match))).toBe(true);
    const report = readFileSync(join(levers, 'report.md'), 'utf8');
    expect(report).toContain('## What each loading option bought');
    expect(report).toMatch(/\| native-bulk\/p2\/freeze:off \| `--constraints overlap` \|/);
    expect(report).toMatch(/\| native-bulk\/p2\/constraints:after \| `--freeze on` \|/);
  });

  it('bench report renders the same files from results.json alone', async () => {
    const out2 = join(work, 'report-again');
    const r = await bench(['report', join(out, 'results.json'), '--out', out2], stateDir);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(join(out2, 'report.md'), 'utf8')).toBe(readFileSync(join(out, 'report.md'), 'utf8').replaceAll(out, out2));
    expect(readFileSync(join(out2, 'charts', 'throughput.svg'), 'utf8')).toBe(readFileSync(join(out, 'charts', 'throughput.svg'), 'utf8'));
    expect(readJson(join(out2, 'profile.json'))).toEqual(readJson(join(out, 'profile.json')));
    expect(readdirSync(join(out2, 'charts')).sort()).toEqual(readdirSync(join(out, 'charts')).sort());
    // Nothing of the sweep's own is written there.
    expect(existsSync(join(out2, 'trials.jsonl'))).toBe(false);
  });

  it('--resume of a finished sweep runs no trial and keeps the 8 results', async () => {
    const before = readFileSync(join(out, 'trials.jsonl'), 'utf8');
    const r = await bench(['sweep', ...grid, '--out', out, '--resume', ...urls()], stateDir);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('resuming: 8 already done');
    expect(r.stderr).not.toMatch(/^\[1\//m);
    expect(readFileSync(join(out, 'trials.jsonl'), 'utf8')).toBe(before);
    const results = readJson<ResultsFile>(join(out, 'results.json'));
    expect(results.trials).toHaveLength(8);
    expect(results.sweep?.complete).toBe(true);
  });

  it('the same sweep without --resume or --fresh refuses with exit 2 and one line', async () => {
    const before = readFileSync(join(out, 'trials.jsonl'), 'utf8');
    const r = await bench(['sweep', ...grid, '--out', out, ...urls()], stateDir);
    expect(r.exitCode).toBe(2);
    expect(errorLines(r.stderr)).toEqual([`error: ${out} already holds a sweep's results: pass --resume to continue it, --fresh to start over, or --out DIR`]);
    expect(readFileSync(join(out, 'trials.jsonl'), 'utf8')).toBe(before);
  });

  it('--resume with another grid refuses with exit 2 and names the way out', async () => {
    // Another parallelism list (a higher --repeat is allowed: it adds repetitions to the same grid).
    const otherGrid = grid.map((a) => (a === '1,2' ? '1,4' : a));
    const r = await bench(['sweep', ...otherGrid, '--out', out, '--resume', ...urls()], stateDir);
    expect(r.exitCode).toBe(2);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*trials\.jsonl belongs to a sweep with different options or data: .*--fresh.*--out DIR/);
  });

  it('Ctrl-C stops the sweep: exit 130, finished trials kept, an interrupted report, no session left running', async () => {
    const c = await connect(dbs.source);
    await c.query(`CREATE TABLE events (id int PRIMARY KEY, customer_id int REFERENCES customers (id), payload text);
      INSERT INTO events SELECT g, 1 + g % 3000, repeat(md5(g::text), 3) FROM generate_series(1, 300000) g;
      ANALYZE events;`);
    await c.end();

    const child: ResultPromise = execa('node', [bin, 'sweep', ...grid.slice(0, -1), '3', '--fresh', '--out', out, ...urls()], {
      reject: false,
      timeout: 110_000,
      env: { BENCH_STATE_DIR: stateDir },
    });
    const stderr = await stderrUntil(child, /^\[\d+\/\d+\] [^ ]+#1:/m, 'its first measured trial finished');
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, `${stderr}${String(r.stderr)}`).toBe(130);
    expect(String(r.stderr)).toMatch(/interrupted by SIGINT/);

    const log = readTrialLog(join(out, 'trials.jsonl'));
    expect(log.trials.length).toBeGreaterThanOrEqual(5);
    expect(log.trials.length).toBeLessThan(16);
    expect(log.trials[0]!.spec.id).toBe('direct-stream/p1#w1');
    expect(log.trials.every((t: TrialResult) => t.state === 'ok')).toBe(true);
    // --fresh kept the earlier sweep aside (its log with its report), in one directory.
    const aside = readdirSync(out).filter((f) => f.startsWith('previous-'));
    expect(aside).toHaveLength(1);
    expect(existsSync(join(out, aside[0]!, 'trials.jsonl'))).toBe(true);

    const results = readJson<ResultsFile>(join(out, 'results.json'));
    expect(results.sweep?.complete).toBe(false);
    expect(results.sweep?.trialsPlanned).toBe(16);
    expect(results.trials).toEqual(log.trials.filter((t) => !t.spec.warmup));
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('interrupted');

    await new Promise((res) => setTimeout(res, 1000));
    expect(await activeBenchSessions(dbs.source)).toEqual([]);
    expect(await activeBenchSessions(dbs.target)).toEqual([]);
  });

  it('Ctrl-C of a --fresh sweep before its first trial ends leaves no results of the earlier sweep behind', async () => {
    const child: ResultPromise = execa('node', [bin, 'sweep', ...grid, '--fresh', '--out', out, ...urls()], {
      reject: false,
      timeout: 110_000,
      env: { BENCH_STATE_DIR: stateDir },
    });
    const stderr = await stderrUntil(child, /^results go to /m, 'it started');
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, `${stderr}${String(r.stderr)}`).toBe(130);
    const log = readTrialLog(join(out, 'trials.jsonl'));
    expect(log.trials).toEqual([]);
    // What the directory shows must be this sweep's: the earlier sweep's results, report and profile
    // would otherwise pass for it (`bench report` and `bench run --profile` would use them).
    if (existsSync(join(out, 'results.json'))) expect(readJson<ResultsFile>(join(out, 'results.json')).trials).toEqual(log.trials);
    expect(existsSync(join(out, 'profile.json'))).toBe(false);
  });
});

describe('bench sweep with a failing trial', () => {
  let dbs: TestDatabases;
  let work: string;

  beforeAll(async () => {
    dbs = await freshDatabases('sweep_cli_fail');
    await seedSmall(dbs.source);
    work = mkdtempSync(join(tmpdir(), 'bench-sweep-fail-'));
    // The target counts the trials (each recreates "orders") and refuses one row in the seventh trial
    // only (native-bulk/p2#1: four warm-ups, then the first measured round starting one point later),
    // so exactly one trial of one point fails (the event-trigger trick of strategies.test.ts). Its names
    // are qualified: bench creates tables with the empty search_path of pg_dump's restore script.
    const t = await connect(dbs.target);
    await t.query(`
      CREATE TABLE trial_counter (n int NOT NULL);
      INSERT INTO trial_counter VALUES (0);
      CREATE FUNCTION reject_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.id = 2500 AND (SELECT n FROM trial_counter) = 7 THEN RAISE EXCEPTION 'target refuses | order %', NEW.id; END IF;
          RETURN NEW;
        END $$;
      CREATE FUNCTION add_reject() RETURNS event_trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'orders')
             AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'reject' AND tgrelid = to_regclass('public.orders')) THEN
            UPDATE public.trial_counter SET n = n + 1;
            EXECUTE 'CREATE TRIGGER reject BEFORE INSERT ON public.orders FOR EACH ROW EXECUTE FUNCTION public.reject_row()';
          END IF;
        END $$;
      CREATE EVENT TRIGGER add_reject ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION add_reject();`);
    await t.end();
  });

  afterAll(async () => {
    if (dbs) {
      const t = await connect(dbs.target);
      await t.query('DROP EVENT TRIGGER IF EXISTS add_reject').finally(() => t.end());
      await dbs.drop();
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('exits 1, reports the failed trial, and recommends a point without failures', async () => {
    const out = join(work, 'out');
    const r = await bench(
      ['sweep', '--no-peers', '--strategies', 'native-bulk,direct-stream', '--parallelism', '1,2', '--partitions', '1', '--repeat', '2', '--out', out, '--source-url', dbs.source, '--target-url', dbs.target],
      join(work, 'state'),
    );
    expect(r.exitCode, r.stderr).toBe(1);
    // The warm-ups run direct-stream/p1, direct-stream/p2, native-bulk/p1, native-bulk/p2; measured round 1
    // runs direct-stream/p2, native-bulk/p1, native-bulk/p2: the seventh trial is refused.
    expect(r.stderr).toMatch(/native-bulk\/p2#1 failed in copy: .*target refuses \| order 2500/);

    const results = readJson<ResultsFile>(join(out, 'results.json'));
    expect(results.trials).toHaveLength(8);
    const failed = results.trials.filter((t) => t.state === 'failed');
    expect(failed.map((t) => t.spec.id)).toEqual(['native-bulk/p2#1']);
    expect(results.trials.find((t) => t.spec.id === 'native-bulk/p2#2')?.state).toBe('ok');
    expect(results.sweep?.complete).toBe(true);

    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Failed trials');
    expect(report).toMatch(/\| native-bulk\/p2#1 \| copy \| .*target refuses \\\| order 2500/);
    expect(report).toContain('Trials: 7 valid, 1 failed, 0 skipped');
    const fastest = /(?:Fastest: |the best median is )`([^`]+)`/.exec(report)?.[1];
    expect(fastest).toBeDefined();
    expect(fastest).not.toBe('native-bulk/p2');

    const profile = loadProfile(join(out, 'profile.json'));
    expect(`${profile.copy.strategy}/p${profile.copy.parallelism}`).toBe(fastest);
  });
});
