import { execa, type Options } from 'execa';
import { BenchError } from '../base/errors.js';

/**
 * Child-process plumbing shared by the peers. Connection details go through libpq's PG* variables, never
 * the argument list, so a password never shows in `ps` or in an error message.
 */
export function libpqEnv(url: string, applicationName = 'bench'): Record<string, string> {
  const u = new URL(url);
  return {
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: decodeURIComponent(u.pathname.replace(/^\//, '')),
    // A tool run in a trial passes the trial's toolApplicationName: its copies count as the trial's.
    PGAPPNAME: applicationName,
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

/**
 * Runs a tool; a failure becomes one line with the tool's last stderr line. The tool gets its own process
 * group, and cancelling stops the whole group: a tool that forks (pgcopydb's workers, the two sides of a
 * shell pipe) leaves nothing running behind it.
 */
export async function runTool(file: string, args: readonly string[], options: Options & { signal: AbortSignal; label?: string }): Promise<void> {
  const { signal, label = file, ...rest } = options;
  if (signal.aborted) throw signal.reason;
  // Own process group: pgcopydb ends by signalling its whole process group (SIGTERM to every member),
  // which would otherwise reach bench itself.
  const child = execa(file, args, { ...rest, reject: false, all: true, detached: true });
  const stopGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  signal.addEventListener('abort', stopGroup, { once: true });
  let r;
  try {
    r = await child;
  } finally {
    signal.removeEventListener('abort', stopGroup);
  }
  if (signal.aborted) throw signal.reason;
  if (r.exitCode !== 0) {
    const out = typeof r.all === 'string' ? r.all : '';
    const last = out.split('\n').map((l) => l.trim()).filter(Boolean).slice(-3).join(' | ');
    throw new BenchError(`${label} exited with ${r.exitCode ?? r.signal}: ${last || 'no output'}`);
  }
}
