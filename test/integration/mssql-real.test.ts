import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../harness/model/database.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { redactUrl } from '../../harness/base/connection-url.js';
import { tableTasks } from '../../harness/plan/tasks.js';

/**
 * Against a real SQL Server, only when BENCH_MSSQL_URL is set (e.g.
 * mssql://sa:Passw0rd!@127.0.0.1:1433/master?encrypt=false, or ?trustServerCertificate=true for a
 * container with a self-signed certificate). Creates a scratch table in the given database, reads
 * it back through the engine (introspection, keyset pages, COPY text) and checks the portable
 * fingerprint's SQL runs; drops the table afterwards. Nothing here runs in CI, which has no SQL Server.
 */
const url = process.env.BENCH_MSSQL_URL;

/**
 * Column types a SQL Server-compatible server may report differently from SQL Server, each documented in
 * the README ("What was verified where"): accepted, and nothing else is. A server whose date-times hold
 * microseconds (Babelfish for PostgreSQL, for one) reports datetime2(7) and datetimeoffset(7) at scale 6.
 */
const DOCUMENTED_TYPES: Readonly<Record<string, readonly string[]>> = {
  'datetime2(7)': ['datetime2(6)'],
  'datetimeoffset(7)': ['datetimeoffset(6)'],
};

/** The reported type when it is the expected one or a documented difference from it; else the expected one, so the test fails. */
function accepted(expected: string, reported: string | undefined): string {
  return reported !== undefined && (DOCUMENTED_TYPES[expected] ?? []).includes(reported) ? reported : expected;
}
if (!url) console.log('mssql-real.test.ts skipped: set BENCH_MSSQL_URL=mssql://user:password@host:1433/db to run it against a real SQL Server');

(url ? describe : describe.skip)('real SQL Server', () => {
  let db: Database;
  const table = `bench_probe_${process.pid}`;

  beforeAll(async () => {
    db = await mssqlEngine.connect(url!, { role: 'source', poolSize: 2, applicationName: 'bench-mssql-real-test' });
    const s = (await db.acquire()) as unknown as { conn: import('tedious').Connection; release(): void };
    const { query } = await import('../../harness/engines/mssql-pool.js');
    await query(
      s.conn,
      `CREATE TABLE dbo.${table} (id int PRIMARY KEY, d decimal(38,10), m money, t datetime2(7), o datetimeoffset(7),
         s nvarchar(50), v varchar(max), b varbinary(max), g uniqueidentifier, x bit);
       INSERT INTO dbo.${table} VALUES
         (1, -1234567890123456789012345678.0123456789, 922337203685477.5807, '2024-01-02 03:04:05.1234567',
          '2024-03-10 01:30:00.5 -08:00', N'emoji 😀', 'tab\there', 0x00ff, NEWID(), 1),
         (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);`,
    );
    s.release();
  });

  afterAll(async () => {
    if (!db) return;
    const s = (await db.acquire()) as unknown as { conn: import('tedious').Connection; release(): void };
    const { query } = await import('../../harness/engines/mssql-pool.js');
    await query(s.conn, `DROP TABLE IF EXISTS dbo.${table}`).catch(() => undefined);
    s.release();
    await db.close();
  });

  it('introspects, pages, exports COPY text and fingerprints', async () => {
    const catalog = await db.introspect([`dbo.${table}`]);
    const t = catalog.tables[0]!;
    expect(t.primaryKey?.columns).toEqual(['id']);
    const expected = ['int', 'decimal(38,10)', 'money', 'datetime2(7)', 'datetimeoffset(7)', 'nvarchar(50)', 'varchar(max)', 'varbinary(max)', 'uniqueidentifier', 'bit'];
    const reported = t.columns.map((c) => c.nativeType);
    expect(reported).toEqual(expected.map((e, i) => accepted(e, reported[i])));
    const task = tableTasks(catalog.tables)[0]!;
    const s = await db.acquire();
    const rows: unknown[][] = [];
    for await (const b of s.streamRows(task, 10, { keyColumns: ['id'], after: [1], limit: 5 })) rows.push(...b);
    expect(rows.map((r) => r[0])).toEqual([2]);
    let text = '';
    for await (const chunk of s.copyOut!(task, 'text')) text += String(chunk);
    s.release();
    expect(text.split('\n')[0]).toContain('-1234567890123456789012345678.0123456789\t922337203685477.5807\t2024-01-02 03:04:05.123457\t2024-03-10 09:30:00.500000+00:00');
    const fp = await db.fingerprint(t, t.columns.map((c) => c.name));
    expect(fp.rows).toBe(2);
    // Every probe ran on this server: no column left unverified.
    expect(fp.unverifiable).toBeUndefined();
    // The integer key splits by value range (MIN/MAX read from the server).
    expect(await db.splitRanges!(t, 2)).toEqual([{ column: 'id', to: '2' }, { column: 'id', from: '2' }]);
    expect(redactUrl(url!)).not.toContain('Passw');
  });
});
