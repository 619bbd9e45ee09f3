import { rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { execa, type Result } from 'execa';
import { BenchError } from '../base/errors.js';
import { firstErrorLine, redact, rowsCopied } from './bcp-output.js';
import type { BcpCommand } from './bcp.js';

export interface PipeCopy {
  /** Rows the `in` side reports (for freebcp, the server's count). */
  readonly rows: number;
  /** Rows the `out` side reports, when it printed a count. */
  readonly outRows?: number;
}

/**
 * Runs `out` writing into a named pipe and `in` reading from it at the same time, so the data never
 * lands on disk and the load starts with the first rows. Both tools open the data file with fopen() and
 * read or write it front to back, which a FIFO allows (freebcp checked with one; Microsoft's bcp not
 * testable here), so there is no temp-file fallback.
 *
 * Each tool runs detached, in its own process group like the peers' tools, and is stopped through
 * `signal` (Ctrl-C, or another task of the trial failing) by signalling that whole group, so a helper
 * process the tool started cannot outlive it holding the pipe or our stdout (execa's cancelSignal would
 * signal the tool's own pid only). When one side fails the other is stopped too:
 * a writer whose reader is gone would block in open() or write() for ever, and a reader whose writer
 * failed before opening the pipe would wait in open(). The error reported is the side that failed
 * first; the other's is its consequence (a broken pipe, an early end of file).
 */
export async function copyThroughPipe(out: BcpCommand, into: BcpCommand, pipe: string, signal: AbortSignal): Promise<PipeCopy> {
  for (const c of [out, into]) for (const f of c.files) await writeFile(f.path, f.text, { mode: 0o600 });
  await execa('mkfifo', ['-m', '600', pipe]);
  const stop = new AbortController();
  const cancel = AbortSignal.any([signal, stop.signal]);
  const finished: { c: BcpCommand; r: Result; stopped: boolean }[] = [];
  const run = async (c: BcpCommand): Promise<Result> => {
    const child = execa(c.file, c.args, {
      env: environment(c),
      extendEnv: false,
      ...(c.input !== undefined ? { input: c.input } : { stdin: 'ignore' as const }),
      all: true,
      reject: false,
      detached: true,
    });
    let stopped = false;
    let force: NodeJS.Timeout | undefined;
    const kill = () => {
      stopped = true;
      signalGroup(child.pid, 'SIGTERM');
      force = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), FORCE_KILL_MS);
    };
    if (cancel.aborted) kill();
    else cancel.addEventListener('abort', kill, { once: true });
    const r = await child;
    cancel.removeEventListener('abort', kill);
    clearTimeout(force);
    finished.push({ c, r, stopped });
    if (r.failed) stop.abort();
    return r;
  };
  let results: [Result, Result];
  try {
    results = await Promise.all([run(out), run(into)]);
  } finally {
    await rm(pipe, { force: true });
  }
  if (signal.aborted) throw signal.reason;
  const [o, i] = results;
  // The side that failed on its own and first: the other was stopped by us, or failed because of it.
  const first = finished.find((f) => f.r.failed && !f.stopped) ?? finished.find((f) => f.r.failed);
  if (first) throw toolError(first.c, first.r);
  const rows = rowsCopied(text(i));
  if (rows === undefined) throw new BenchError(`${name(into)} printed no row count: ${describeOutput(into, i)}`);
  const outRows = rowsCopied(text(o));
  if (outRows !== undefined && outRows !== rows) {
    throw new BenchError(`${name(out)} wrote ${outRows} rows but ${name(into)} loaded ${rows}`);
  }
  return { rows, ...(outRows !== undefined ? { outRows } : {}) };
}

/** A tool that ignores SIGTERM this long gets SIGKILL (execa's own default delay). */
const FORCE_KILL_MS = 5000;

/** Signals a detached child's whole process group (its pid is the group id); gone already is fine. */
function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // ESRCH: the group has exited.
  }
}

/** The inherited environment without the variables the command must not see, plus its own. */
function environment(c: BcpCommand): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !c.unsetEnv.includes(k)) env[k] = v;
  return { ...env, ...c.env };
}

function text(r: Result): string {
  return typeof r.all === 'string' ? r.all : '';
}

/** "freebcp in", "bcp queryout": the tool and the direction, never the arguments (they may hold a password). */
function name(c: BcpCommand): string {
  return `${basename(c.file)} ${c.args[1] ?? ''}`.trim();
}

function describeOutput(c: BcpCommand, r: Result): string {
  return redact(firstErrorLine(text(r)) ?? 'no output', c.secrets);
}

function toolError(c: BcpCommand, r: Result): BenchError {
  const how = r.signal ? `killed by ${r.signal}` : `exit ${r.exitCode ?? '?'}`;
  const spawn = r.exitCode === undefined && !r.signal ? redact(r.shortMessage ?? 'could not start', c.secrets) : undefined;
  return new BenchError(`${name(c)} failed (${how}): ${spawn ?? describeOutput(c, r)}`);
}
