import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { BenchError } from '../base/errors.js';
import { parseRestoreScript, type DumpEntry } from '../engines/pg-dump-script.js';
import { libpqEnv, which } from '../peers/tools.js';

/**
 * The source's schema as pg_dump's table-of-contents entries: `pg_dump --schema-only -Fc` into the
 * command's scratch directory, read back by `pg_restore --verbose --section=pre-data|post-data`
 * (engines/pg-dump-script.ts splits the scripts). The archive is removed by the caller.
 */

/** The dump options: the schema of a benchmark target, not the source's roles, grants or replication. */
const DUMP_OPTIONS = [
  '--schema-only', '--format=custom', '--no-owner', '--no-privileges', '--no-tablespaces', '--no-security-labels',
  '--no-publications', '--no-subscriptions', '--no-sync',
  // bench's own marker schema on the source (_bench.dataset) is no part of the user's schema.
  '--exclude-schema=_bench*',
];

/** The source's pre-data and post-data entries, in pg_dump's order. */
export async function dumpSchema(tools: DumpTools, sourceUrl: string, archive: string): Promise<{ pre: DumpEntry[]; post: DumpEntry[] }> {
  const env = libpqEnv(sourceUrl);
  await runClientTool(tools.pgDump, [...DUMP_OPTIONS, `--file=${archive}`], env, 'read the source schema');
  const script = (section: string) =>
    runClientTool(tools.pgRestore, ['--verbose', `--section=${section}`, '--no-owner', '--no-privileges', '--file=-', archive], env, 'read the source schema');
  return { pre: parseRestoreScript(await script('pre-data')), post: parseRestoreScript(await script('post-data')) };
}

export interface DumpTools {
  readonly pgDump: string;
  readonly pgRestore: string;
  /** pg_dump's version, e.g. "15.18". */
  readonly version: string;
}

/** pg_dump and pg_restore of one installation, at least as new as the source server. */
export async function findDumpTools(sourceMajor: number): Promise<DumpTools | string> {
  const candidates: string[] = [];
  const onPath = await which('pg_dump');
  if (onPath) candidates.push(onPath);
  // Debian keeps every installed major under /usr/lib/postgresql/<major>/bin.
  for (const major of [17, 16, 15, 14, 13, 12]) candidates.push(`/usr/lib/postgresql/${major}/bin/pg_dump`);
  const found: string[] = [];
  for (const pgDump of candidates) {
    if (!existsSync(pgDump)) continue;
    const r = await execa(pgDump, ['--version'], { reject: false });
    const m = /(\d+)(?:\.(\d+))?/.exec(r.stdout);
    if (r.exitCode !== 0 || !m) continue;
    found.push(`${pgDump} ${m[0]}`);
    const pgRestore = join(dirname(pgDump), 'pg_restore');
    if (Number(m[1]) >= sourceMajor && existsSync(pgRestore)) return { pgDump, pgRestore, version: m[0] };
  }
  return found.length === 0
    ? 'pg_dump is not installed (Debian: postgresql-client)'
    : `no pg_dump as new as the source server (PostgreSQL ${sourceMajor}; found ${found.join(', ')}): install postgresql-client-${sourceMajor}`;
}

async function runClientTool(file: string, args: readonly string[], env: Record<string, string>, what: string): Promise<string> {
  const r = await execa(file, args, { env, reject: false, maxBuffer: 1 << 30, stripFinalNewline: false });
  if (r.exitCode !== 0) {
    const last = r.stderr.split('\n').map((l) => l.trim()).filter(Boolean).slice(-3).join(' | ');
    throw new BenchError(`could not ${what}: ${file.split('/').pop()} exited with ${r.exitCode ?? r.signal}: ${last || 'no output'}`);
  }
  return r.stdout;
}

