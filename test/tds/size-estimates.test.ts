import { afterAll, afterEach, beforeEach, expect, it, vi } from 'vitest';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { bigTable, table } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';

/**
 * Issue 17, defect 4: introspection joined sys.allocation_units only to estimate sizes, and on a server
 * without that view every command that reads a SQL Server source failed. Estimates are optional: bench
 * falls back to sys.dm_db_partition_stats, then to sys.partitions' row counts (sizes from the declared
 * column widths), then to none, and says which it used.
 */
const servers: TdsTestServer[] = [];
let warnings: string[] = [];

beforeEach(() => {
  warnings = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    warnings.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  for (const s of servers) await s.close();
});

async function introspectWithout(missingViews: string[]) {
  const server = await TdsTestServer.start({
    tables: [bigTable('big', 10_000), table('dbo', 'small', [['id', 'int', false], ['name', 'nvarchar(40)']], [['1', 'a'], ['2', 'b']])],
    departures: { missingViews },
  });
  servers.push(server);
  const db = await mssqlEngine.connect(server.url(), { role: 'source', poolSize: 2, applicationName: 'bench-size-test' });
  try {
    const catalog = await db.introspect();
    return Object.fromEntries(catalog.tables.map((t) => [t.name, { rows: t.estimatedRows, bytes: t.estimatedBytes }]));
  } finally {
    await db.close();
  }
}

it('reads sizes from sys.allocation_units when the server has it, without a warning', async () => {
  const sizes = await introspectWithout([]);
  expect(sizes.big).toEqual({ rows: 10_000, bytes: 10_000 * 64 + 8192 });
  expect(warnings.join('')).toBe('');
});

it('falls back to sys.dm_db_partition_stats without sys.allocation_units, and says so', async () => {
  const sizes = await introspectWithout(['sys.allocation_units']);
  expect(sizes.big).toEqual({ rows: 10_000, bytes: 10_000 * 64 + 8192 });
  expect(warnings.join('')).toMatch(/sizes from sys\.dm_db_partition_stats \(sys\.allocation_units: Invalid object name 'sys\.allocation_units'\./);
});

it('falls back to row counts and declared column widths, then to no estimates, and says so', async () => {
  const byRows = await introspectWithout(['sys.allocation_units', 'sys.dm_db_partition_stats']);
  expect(byRows.big!.rows).toBe(10_000);
  // bigint 8 + int 4 + nvarchar(200) at half its 400 bytes = 212 bytes a row.
  expect(byRows.big!.bytes).toBe(10_000 * 212);
  expect(warnings.join('')).toMatch(/sizes estimated from sys\.partitions row counts × declared column widths/);

  warnings = [];
  const none = await introspectWithout(['sys.allocation_units', 'sys.dm_db_partition_stats', 'sys.partitions']);
  expect(none.big).toEqual({ rows: -1, bytes: 0 });
  expect(warnings.join('')).toMatch(/no row or size estimates/);
});
