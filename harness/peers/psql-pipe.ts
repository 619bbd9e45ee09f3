import { execa } from 'execa';
import { copiedColumns, copyFormatFor } from '../model/catalog.js';
import { quoteIdent, quoteLiteral, tableSql } from '../engines/postgres-sql.js';
import { forEachLimited } from '../base/concurrency.js';
import type { Peer } from './peer.js';
import { libpqEnv, which } from './tools.js';

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
    await forEachLimited(ctx.tables, ctx.parallelism, async (t) => {
      const cols = copiedColumns(t).map((c) => quoteIdent(c.name)).join(', ');
      // Binary, unless the table's binary form carries the source's type OIDs (an array of an enum…).
      const format = copyFormatFor(copiedColumns(t), 'binary');
      // Each reader imports the trial's snapshot, as pg_dump -j's workers do: every table at one moment.
      const snapshot = ctx.snapshot
        ? ['-c', 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', '-c', `SET TRANSACTION SNAPSHOT ${quoteLiteral(ctx.snapshot.id)}`]
        : [];
      const reader = execa('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...snapshot, '-c', `COPY ${tableSql(t)} (${cols}) TO STDOUT (FORMAT ${format})`], {
        env: libpqEnv(ctx.urls.source),
        cancelSignal: ctx.signal,
        buffer: false,
        stderr: 'pipe',
      });
      const writer = reader.pipe('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `COPY ${tableSql(t)} (${cols}) FROM STDIN (FORMAT ${format})`], {
        env: libpqEnv(ctx.urls.target),
        cancelSignal: ctx.signal,
      });
      await writer;
    });
  },
};
