import { execa } from 'execa';
import { copiedColumns } from '../model/catalog.js';
import { quoteIdent, tableSql } from '../engines/postgres-sql.js';
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
      const reader = execa('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `COPY ${tableSql(t)} (${cols}) TO STDOUT (FORMAT binary)`], {
        env: libpqEnv(ctx.urls.source),
        cancelSignal: ctx.signal,
        buffer: false,
        stderr: 'pipe',
      });
      const writer = reader.pipe('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `COPY ${tableSql(t)} (${cols}) FROM STDIN (FORMAT binary)`], {
        env: libpqEnv(ctx.urls.target),
        cancelSignal: ctx.signal,
      });
      await writer;
    });
  },
};
