import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type Options, type ResultPromise } from 'execa';
import { packageRoot } from '../../harness/base/paths.js';
import { connect } from '../support/databases.js';

/**
 * The fault-injection suite (issue 16) drives the real, compiled `bench` (npm test builds dist/ first)
 * against the test clusters, and injects real faults: signals, full disks (tmpfs), hostile names,
 * servers that drop connections. Helpers shared by its files live here.
 */
export const bin = join(packageRoot, 'bin', 'bench.js');

export function assertBuilt(): void {
  if (!existsSync(join(packageRoot, 'dist', 'harness', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
}

/** A scratch directory the servers' OS user can reach (as root they run as postgres). */
export function scratch(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `bench-faults-${prefix}-`));
  chmodSync(dir, 0o755);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface BenchOptions {
  readonly stateDir: string;
  readonly timeout?: number;
  readonly env?: Record<string, string>;
  readonly extra?: Options;
}

export interface Ran {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Runs the CLI to its end. */
export async function bench(args: readonly string[], options: BenchOptions): Promise<Ran> {
  assertBuilt();
  const r = await execa('node', [bin, ...args], {
    reject: false,
    timeout: options.timeout ?? 110_000,
    env: { BENCH_STATE_DIR: options.stateDir, ...options.env },
    ...options.extra,
  });
  return { exitCode: r.exitCode, signal: r.signal, stdout: text(r.stdout), stderr: text(r.stderr) };
}

/** Starts the CLI and returns the running child (the visible bench, which re-runs itself). */
export function startBench(args: readonly string[], options: BenchOptions): ResultPromise {
  assertBuilt();
  return execa('node', [bin, ...args], {
    reject: false,
    timeout: options.timeout ?? 110_000,
    env: { BENCH_STATE_DIR: options.stateDir, ...options.env },
    ...options.extra,
  }) as ResultPromise;
}

/**
 * Runs the CLI under GNU time and returns its result with the peak RSS in MiB of the whole process tree
 * that was waited for (bin/bench.js and the capped bench it re-runs). Undefined without /usr/bin/time.
 */
export async function benchWithPeakRss(args: readonly string[], options: BenchOptions) {
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const out = join(dir, 'rss');
  try {
    const hasTime = existsSync('/usr/bin/time');
    const r: Ran = hasTime
      ? await execa('/usr/bin/time', ['-f', '%M', '-o', out, 'node', bin, ...args], {
          reject: false,
          timeout: options.timeout ?? 110_000,
          env: { BENCH_STATE_DIR: options.stateDir, ...options.env },
        }).then((x) => ({ exitCode: x.exitCode, signal: x.signal, stdout: text(x.stdout), stderr: text(x.stderr) }))
      : await bench(args, options);
    const kib = hasTime && existsSync(out) ? Number(readFileSync(out, 'utf8').trim().split('\n').at(-1)) : NaN;
    return { ...r, peakRssMiB: Number.isFinite(kib) ? kib / 1024 : undefined };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** stderr without blank lines and Node's own warnings. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('(node:') && !l.startsWith('(Use `node'));
}

/** The child's stderr so far, once it matches `pattern`; fails if the child ends first. */
export function stderrUntil(child: ResultPromise, pattern: RegExp, what: string): Promise<string> {
  let stderr = '';
  return new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (pattern.test(stderr)) resolve(stderr);
    });
    child.then(() => reject(new Error(`bench ended before ${what}:\n${stderr}`)), reject);
  });
}

export async function sql(url: string, text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const c = await connect(url);
  try {
    return (await c.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}

/** Processes whose command line contains `needle`, excluding this test process. */
export async function processesWith(needle: string): Promise<string[]> {
  const r = await execa('ps', ['-eo', 'pid=,args='], { reject: false });
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes(needle) && !l.startsWith(`${process.pid} `) && !l.includes('ps -eo'));
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Mounts a tmpfs of `size` (e.g. '5m') on `dir`: a real disk that fills up. Root only. */
export async function mountTmpfs(dir: string, size: string): Promise<{ unmount(): Promise<void> }> {
  await execa('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
  return { unmount: async () => void (await execa('umount', ['-l', dir], { reject: false })) };
}

/** Every file and directory under `dir`, relative, sorted. */
export async function listTree(dir: string): Promise<string[]> {
  const r = await execa('find', [dir, '-mindepth', '1'], { reject: false });
  return r.stdout.split('\n').filter(Boolean).map((p) => p.slice(dir.length + 1)).sort();
}

/** Running postgres servers whose data directory lies under `dir`. */
export async function serversUnder(dir: string): Promise<string[]> {
  return (await processesWith(dir)).filter((l) => /postgres/.test(l) && !/node /.test(l));
}

/** True while `pid` runs (a zombie waiting for its parent to reap it has ended). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
