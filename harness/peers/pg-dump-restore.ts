import { join } from 'node:path';
import { quoteIdent } from '../engines/postgres-sql.js';
import { qualified } from '../model/catalog.js';
import type { Peer } from './peer.js';
import { withPgClient } from './pg-client.js';
import { libpqEnv, runTool, which } from './tools.js';

/**
 * PostgreSQL's own tools: `pg_dump -Fd -j N` of the database, then `pg_restore -j N` (schema, data,
 * indexes, keys, sequence values, materialized views). The whole schema, as a user would dump it (a
 * table's types, functions and the tables it depends on come with it: `pg_dump -t` alone would leave
 * them out); with `--tables`, only the tables under test carry their data, the others are restored empty.
 */
export const pgDumpRestore: Peer = {
  name: 'pg-dump-restore',
  description: 'pg_dump -Fd -j N, then pg_restore -j N (schema, data, keys and indexes), timed together',
  target: 'empty',

  // pg_dump takes each name double-quoted (quotes doubled), which makes every pattern character literal.
  handles: () => true,

  async available() {
    return (await which('pg_dump')) && (await which('pg_restore')) ? true : 'pg_dump/pg_restore are not installed (Debian: postgresql-client)';
  },

  async run(ctx) {
    const dir = join(ctx.workDir, 'dump');
    const copied = new Set(ctx.tables.map(qualified));
    // Tables of the source outside the copy keep their schema, not their rows.
    const others = await withPgClient(ctx.urls.source, ctx.toolApplicationName, async (c) =>
      (
        await c.query<{ schema: string; name: string }>(
          `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind = 'r' AND n.nspname !~ '^(pg_|_bench)' AND n.nspname <> 'information_schema'`,
        )
      ).rows.filter((t) => !copied.has(qualified(t))),
    );
    const withoutData = others.map((t) => `--exclude-table-data=${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
    const jobs = String(Math.max(1, ctx.parallelism));
    // The trial's snapshot: pg_dump -j's workers all import it (it is what pg_dump -j does with its own).
    const snapshot = ctx.snapshot ? [`--snapshot=${ctx.snapshot.id}`] : [];
    await runTool('pg_dump', ['-Fd', '-j', jobs, '-f', dir, '--no-owner', '--no-acl', '--exclude-schema=_bench*', ...snapshot, ...withoutData], {
      env: libpqEnv(ctx.urls.source, ctx.toolApplicationName),
      signal: ctx.signal,
    });
    // pg_restore restores into a database only when given -d; the name as libpq sees it (URL-decoded).
    const targetEnv = libpqEnv(ctx.urls.target, ctx.toolApplicationName);
    await runTool('pg_restore', ['-j', jobs, '--no-owner', '--no-acl', '-d', targetEnv.PGDATABASE!, dir], {
      env: targetEnv,
      signal: ctx.signal,
    });
  },
};
