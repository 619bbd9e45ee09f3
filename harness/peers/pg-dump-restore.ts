import { join } from 'node:path';
import { quoteIdent } from '../engines/postgres-sql.js';
import type { Peer } from './peer.js';
import { libpqEnv, runTool, which } from './tools.js';

/** PostgreSQL's own tools: `pg_dump -Fd -j N` of the tables, then `pg_restore -j N` (schema, data, indexes, keys). */
export const pgDumpRestore: Peer = {
  name: 'pg-dump-restore',
  description: 'pg_dump -Fd -j N, then pg_restore -j N (schema, data, keys and indexes), timed together',
  target: 'empty',

  // pg_dump -t takes each name double-quoted (quotes doubled), which makes every pattern character literal.
  handles: () => true,

  async available() {
    return (await which('pg_dump')) && (await which('pg_restore')) ? true : 'pg_dump/pg_restore are not installed (Debian: postgresql-client)';
  },

  async run(ctx) {
    const dir = join(ctx.workDir, 'dump');
    const tables = ctx.tables.flatMap((t) => ['-t', `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`]);
    const jobs = String(Math.max(1, ctx.parallelism));
    await runTool('pg_dump', ['-Fd', '-j', jobs, '-f', dir, '--no-owner', '--no-acl', ...tables], { env: libpqEnv(ctx.urls.source), signal: ctx.signal });
    await runTool('pg_restore', ['-j', jobs, '--no-owner', '--no-acl', '-d', new URL(ctx.urls.target).pathname.slice(1), dir], {
      env: libpqEnv(ctx.urls.target),
      signal: ctx.signal,
    });
  },
};
