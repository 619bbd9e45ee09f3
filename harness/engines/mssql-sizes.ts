import type { ResultRow, SizeEstimates } from './mssql-introspect.js';
import { describeMssqlError, isServerError } from './mssql-pool.js';
import { SIZE_QUERIES } from './mssql-sql.js';

/**
 * Row and size estimates from the first of SIZE_QUERIES the server runs (issue 17: a server without
 * sys.allocation_units must still be copied), none when no query runs, and a note saying which fallback
 * was used and why, for the caller to show once. Errors other than the server's own propagate.
 */
export async function readSizeEstimates(run: (sql: string) => Promise<ResultRow[][]>): Promise<{ sizes?: SizeEstimates; note?: string }> {
  const failures: string[] = [];
  const because = () => ` (${failures.join('; ')})`;
  for (const q of SIZE_QUERIES) {
    try {
      const rows = (await run(q.sql))[0] ?? [];
      if (failures.length === 0) return { sizes: { rows, bytes: q.bytes } };
      const what = q.bytes ? `table sizes from ${q.source}` : `table sizes estimated from ${q.source} row counts × declared column widths`;
      return { sizes: { rows, bytes: q.bytes }, note: `${what}${because()}` };
    } catch (err) {
      if (!isServerError(err)) throw err;
      failures.push(`${q.source}: ${describeMssqlError(err)}`);
    }
  }
  return { note: `no row or size estimates: tables are scheduled unsized and their MB/s reads 0${because()}` };
}
