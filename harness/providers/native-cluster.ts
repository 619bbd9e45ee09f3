import { chownSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type Options } from 'execa';
import { clusterPaths } from '../base/paths.js';
import { BenchError, throwIfAborted } from '../base/errors.js';
import { makeDir } from '../base/private-files.js';
import type { OsUser } from './os-user.js';
import type { PgBinaries } from './pg-binaries.js';

/**
 * One PostgreSQL cluster on this machine: initdb, start, stop, is-it-running. It knows nothing about
 * roles or state files (native.ts owns those).
 */
export interface ClusterLocation {
  /** Directory holding data/, server.log. Owned by `user`. */
  readonly home: string;
  readonly bin: Pick<PgBinaries, 'binDir'>;
  readonly user: OsUser;
}

function runAs(user: OsUser, extra: Options = {}): Options {
  return {
    reject: false,
    // Minimal, predictable environment: no PG* variables from the caller leak into the server.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' },
    extendEnv: false,
    ...(user.dropsPrivileges ? { uid: user.uid, gid: user.gid } : {}),
    ...extra,
  };
}

/** The cluster homes live in the state directory (or a temp directory named after it). */
export const STATE_DIR = { what: 'state directory', option: '--state-dir' } as const;

function ownedDir(dir: string, user: OsUser): void {
  makeDir(dir, STATE_DIR);
  if (user.dropsPrivileges) chownSync(dir, user.uid, user.gid);
}

/** Creates a cluster whose superuser "postgres" authenticates with `password` (scram-sha-256). */
export async function initCluster(loc: ClusterLocation, password: string, signal?: AbortSignal): Promise<void> {
  ownedDir(loc.home, loc.user);
  const pwfile = join(loc.home, '.pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (loc.user.dropsPrivileges) chownSync(pwfile, loc.user.uid, loc.user.gid);
  try {
    const r = await execa(
      join(loc.bin.binDir, 'initdb'),
      [
        '-D', clusterPaths.dataDir(loc.home),
        '-U', 'postgres',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
        // A benchmark cluster is disposable; fsyncing initdb's files only slows `bench up`.
        '--no-sync',
      ],
      runAs(loc.user, { timeout: 120_000, ...(signal ? { cancelSignal: signal } : {}) }),
    );
    throwIfAborted(signal);
    if (r.failed) {
      throw new BenchError(
        `initdb failed in ${loc.home}: ${lastLines(`${String(r.stderr ?? '')}\n${String(r.stdout ?? '')}`, 2)}` +
          (loc.user.dropsPrivileges ? ` (the directory must be reachable by user "${loc.user.name}")` : ''),
      );
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
  // Settings under test live in their own file so `up` can rewrite them without touching postgresql.conf.
  const conf = join(clusterPaths.dataDir(loc.home), 'postgresql.conf');
  writeFileSync(conf, `${readFileSync(conf, 'utf8')}\ninclude_if_exists = 'bench.conf'\n`);
}

function confValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Writes listen address, port and the settings under test into data/bench.conf. */
export function writeSettings(loc: ClusterLocation, port: number, settings: Readonly<Record<string, string>>): void {
  const lines = [
    '# Written by bench: the server settings under test. Rewritten at every `bench up`.',
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    // TCP only: a socket path under a deep state directory can exceed the 107-byte sun_path limit.
    `unix_socket_directories = ''`,
    ...Object.entries(settings).map(([k, v]) => `${k} = ${confValue(v)}`),
  ];
  const file = clusterPaths.settingsFile(loc.home);
  writeFileSync(file, `${lines.join('\n')}\n`);
  if (loc.user.dropsPrivileges) chownSync(file, loc.user.uid, loc.user.gid);
}

/** The postmaster's pid when it is alive, from data/postmaster.pid. */
export function runningPid(home: string): number | undefined {
  const pidFile = join(clusterPaths.dataDir(home), 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive but not ours (we dropped privileges to start it). ESRCH: stale pid file.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/** The postmaster could not bind its port (someone else holds it). */
export class PortInUseError extends BenchError {}

export async function startCluster(loc: ClusterLocation, port: number, role: string, signal?: AbortSignal): Promise<void> {
  const r = await execa(
    join(loc.bin.binDir, 'pg_ctl'),
    ['-D', clusterPaths.dataDir(loc.home), '-l', clusterPaths.logFile(loc.home), '-w', '-t', '120', '-s', 'start'],
    // detached: the postmaster gets its own session, so a Ctrl-C in the user's terminal reaches bench
    // (which then stops what it started) instead of killing a server that `bench up` meant to keep.
    runAs(loc.user, { detached: true, timeout: 180_000, stdin: 'ignore', ...(signal ? { cancelSignal: signal } : {}) }),
  );
  // Interrupted while starting: the caller's cleanup stops whatever postmaster did come up.
  throwIfAborted(signal);
  if (r.failed) {
    const log = existsSync(clusterPaths.logFile(loc.home)) ? readFileSync(clusterPaths.logFile(loc.home), 'utf8') : '';
    if (/Address already in use/i.test(log.slice(-4000))) {
      throw new PortInUseError(
        `could not start the ${role} PostgreSQL cluster: port ${port} on 127.0.0.1 is in use ` +
          `(pass --${role}-port with a free port, or run \`bench down\`)`,
      );
    }
    throw new BenchError(
      `could not start the ${role} PostgreSQL cluster: ${lastLines(log || String(r.stderr ?? '') || (r.shortMessage ?? 'pg_ctl failed'), 2)} ` +
        `(full log: ${clusterPaths.logFile(loc.home)})`,
    );
  }
}

export async function stopCluster(loc: ClusterLocation): Promise<void> {
  if (runningPid(loc.home) === undefined) return;
  const r = await execa(
    join(loc.bin.binDir, 'pg_ctl'),
    ['-D', clusterPaths.dataDir(loc.home), '-m', 'fast', '-w', '-t', '60', '-s', 'stop'],
    runAs(loc.user, { timeout: 90_000, stdin: 'ignore' }),
  );
  if (r.failed && runningPid(loc.home) !== undefined) {
    // Fast shutdown timed out (e.g. a huge checkpoint): immediate mode never waits for anything.
    await execa(
      join(loc.bin.binDir, 'pg_ctl'),
      ['-D', clusterPaths.dataDir(loc.home), '-m', 'immediate', '-w', '-s', 'stop'],
      runAs(loc.user, { timeout: 30_000, stdin: 'ignore' }),
    );
  }
}

function lastLines(text: string, n: number): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.slice(-n).join(' / ') || 'no output';
}
