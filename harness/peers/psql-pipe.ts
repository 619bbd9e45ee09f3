import { copiedColumns, copyFormatFor, largestFirst } from '../model/catalog.js';
import { quoteIdent, quoteLiteral, tableSql } from '../engines/postgres-sql.js';
import { forEachLimited } from '../base/concurrency.js';
import type { Peer } from './peer.js';
import { libpqEnv, runTool, which } from './tools.js';

/** What people script by hand: `psql -c "COPY t TO STDOUT" | psql -c "COPY t FROM STDIN"`, binary, a pipe per table. */
export const psqlPipe: Peer = {
  name: 'psql-pipe',
  description: 'psql COPY TO STDOUT piped into psql COPY FROM STDIN (binary), one pipe per table, then the same keys and indexes',
  target: 'tables',

  // bench writes the COPY statements psql runs, every identifier quoted.
  handles: () => true,

  async available() {
    return (await which('psql')) ? true : 'psql is not installed (Debian: postgresql-client)';
  },

  async run(ctx) {
    await forEachLimited(largestFirst(ctx.tables), ctx.parallelism, async (t) => {
      const cols = copiedColumns(t).map((c) => quoteIdent(c.name)).join(', ');
      // Binary, unless the table's binary form carries the source's type OIDs (an array of an enum…).
      const format = copyFormatFor(copiedColumns(t), 'binary');
      // Each reader imports the trial's snapshot, as pg_dump -j's workers do: every table at one moment.
      const snapshot = ctx.snapshot
        ? { BEGIN_SQL: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', SNAPSHOT_SQL: `SET TRANSACTION SNAPSHOT ${quoteLiteral(ctx.snapshot.id)}` }
        : undefined;
      const statements = {
        ...snapshot,
        READ_SQL: `COPY ${tableSql(t)} (${cols}) TO STDOUT (FORMAT ${format})`,
        WRITE_SQL: `COPY ${tableSql(t)} (${cols}) FROM STDIN (FORMAT ${format})`,
      };
      await runTool('bash', ['-c', shellPipe(snapshot !== undefined)], {
        env: { ...prefixed('SOURCE_', libpqEnv(ctx.urls.source, ctx.toolApplicationName)), ...prefixed('TARGET_', libpqEnv(ctx.urls.target, ctx.toolApplicationName)), ...statements },
        signal: ctx.signal,
        label: `psql | psql (${tableSql(t)})`,
      });
    });
  },
};

const LIBPQ_KEYS = Object.keys(libpqEnv('postgres://u:p@h:1/d'));

function prefixed(prefix: string, env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [prefix + k, v]));
}

/**
 * The pipe exactly as a user types it: two psql processes joined by an OS pipe, so the bytes never pass
 * through Node (execa's .pipe() would relay them through bench's event loop and charge the peer for it).
 * Each side's connection and statements come from the environment, never the argument list: a
 * password stays out of `ps`, and no SQL needs shell quoting. pipefail: a failing reader fails the pipe.
 */
export function shellPipe(withSnapshot: boolean): string {
  const side = (prefix: string) => `export ${LIBPQ_KEYS.map((k) => `${k}="$${prefix}${k}"`).join(' ')}`;
  const psql = 'psql -X -q -v ON_ERROR_STOP=1';
  const reader = `(${side('SOURCE_')}; exec ${psql}${withSnapshot ? ' -c "$BEGIN_SQL" -c "$SNAPSHOT_SQL"' : ''} -c "$READ_SQL")`;
  const writer = `(${side('TARGET_')}; exec ${psql} -c "$WRITE_SQL")`;
  return `set -o pipefail; ${reader} | ${writer}`;
}
