import { execa, type Options } from 'execa';
import { BenchError } from '../base/errors.js';

/**
 * Child-process plumbing shared by the peers. Connection details go through libpq's PG* variables, never
 * the argument list, so a password never shows in `ps` or in an error message.
 */
export function libpqEnv(url: string): Record<string, string> {
  const u = new URL(url);
  return {
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: decodeURIComponent(u.pathname.replace(/^\//, '')),
    PGAPPNAME: 'bench-peer',
  };
}

/** The URL without its password (pgcopydb wants URLs; the password then comes from PGPASSWORD). */
export function urlWithoutPassword(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

export async function which(tool: string): Promise<string | undefined> {
  const r = await execa('sh', ['-c', `command -v ${tool}`], { reject: false });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** Runs a tool; a failure becomes one line with the tool's last stderr line. */
export async function runTool(file: string, args: readonly string[], options: Options & { signal: AbortSignal }): Promise<void> {
  const { signal, ...rest } = options;
  // Own process group: pgcopydb ends by signalling its whole process group (SIGTERM to every member),
  // which would otherwise reach bench itself. Cancellation still stops the tool through cancelSignal.
  const r = await execa(file, args, { ...rest, cancelSignal: signal, reject: false, all: true, detached: true });
  if (r.isCanceled) throw signal.reason;
  if (r.exitCode !== 0) {
    const out = typeof r.all === 'string' ? r.all : '';
    const last = out.split('\n').map((l) => l.trim()).filter(Boolean).slice(-3).join(' | ');
    throw new BenchError(`${file} exited with ${r.exitCode ?? r.signal}: ${last || 'no output'}`);
  }
}
