import type { Connection } from 'tedious';
import { Request } from 'tedious';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, run } from './client.js';
import { table } from './fixtures.js';
import { BulkLoadStream, parseInsertBulk } from './tds-bulk.js';
import { splitFmtOnly, TdsTestServer } from './tds-server.js';

/**
 * What FreeTDS's freebcp sends that tedious does not (seen with TDSDUMP, freebcp 1.3.17): the metadata
 * probe `SET FMTONLY ON select * from [s].[t] SET FMTONLY OFF` in one batch, and a BULK_LOAD message that
 * ends after its last row, without a DONE token. The whole tool runs in bcp-trial.test.ts.
 */
let server: TdsTestServer;
let conn: Connection;

beforeAll(async () => {
  const t = table('dbo', 't', [['id', 'int', false], ['s', 'nvarchar(20)'], ['v', 'varchar(10)']], [['1', 'a', 'x'], ['2', null, null]]);
  server = await TdsTestServer.start({ tables: [t] });
  conn = await connectClient(server);
});

afterAll(async () => {
  conn?.close();
  await server?.close();
  expect(server.stats.internalErrors).toEqual([]);
});

/** A batch's result sets as tedious reports them: column names, fNullable flags and row counts. */
function describeBatch(sql: string): Promise<{ names: string[]; nullable: boolean[]; rows: number }[]> {
  return new Promise((resolve, reject) => {
    const sets: { names: string[]; nullable: boolean[]; rows: number }[] = [];
    const req = new Request(sql, (err) => (err ? reject(err) : resolve(sets)));
    req.on('columnMetadata', (meta) => {
      const cols = Array.isArray(meta) ? meta : Object.values(meta);
      sets.push({ names: cols.map((c) => c.colName), nullable: cols.map((c) => (c.flags & 1) === 1), rows: 0 });
    });
    req.on('row', () => (sets.at(-1)!.rows += 1));
    conn.execSqlBatch(req);
  });
}

describe('SET FMTONLY and SELECT *', () => {
  it('describes the table without rows under FMTONLY ON, with each column nullable as declared', async () => {
    expect(await describeBatch('SET FMTONLY ON select * from [dbo].[t] SET FMTONLY OFF')).toEqual([
      { names: ['id', 's', 'v'], nullable: [false, true, true], rows: 0 },
    ]);
  });

  it('runs again after FMTONLY OFF: select * returns the rows', async () => {
    expect(await describeBatch('select * from [dbo].[t]')).toEqual([{ names: ['id', 's', 'v'], nullable: [false, true, true], rows: 2 }]);
    expect((await run(conn, 'SELECT [v], * FROM [dbo].[t] WHERE [id] = 1')).rows).toEqual([['x', 1, 'a', 'x']]);
  });

  it('a missing table is still error 208, under FMTONLY too', async () => {
    await expect(run(conn, 'SET FMTONLY ON select * from [dbo].[nope] SET FMTONLY OFF')).rejects.toMatchObject({ number: 208 });
    await run(conn, 'SET FMTONLY OFF');
  });

  it('cuts a batch at its SET FMTONLY statements only', () => {
    expect(splitFmtOnly('SET FMTONLY ON select * from [dbo].[t] SET FMTONLY OFF')).toEqual([
      { fmtOnly: true },
      { sql: 'select * from [dbo].[t]' },
      { fmtOnly: false },
    ]);
    expect(splitFmtOnly('SELECT 1')).toEqual([{ sql: 'SELECT 1' }]);
  });
});

describe('a bulk load as freebcp sends it', () => {
  // COLMETADATA as freebcp 1.3.17 wrote it for (id int NOT NULL, s nvarchar(20) NULL), then ROW tokens.
  const meta = Buffer.from('8102000000000008002604026900640000000000090' + '0e728000904d000340173' + '00', 'hex');
  const row = (id: number, s: Buffer) => Buffer.concat([Buffer.from([0xd1, 4, id, 0, 0, 0]), Buffer.from([s.length, 0]), s]);
  const load = () => {
    const plan = parseInsertBulk('insert bulk [dbo].[t] ([id] INT, [s] NVARCHAR(20)) with (TABLOCK)', server.catalog);
    return new BulkLoadStream(plan, server.catalog.get(plan.table), server.catalog);
  };

  it('ends at the end of the message after a whole row: no DONE token needed', () => {
    const l = load();
    expect(l.feed(Buffer.concat([meta, row(7, Buffer.from('ab', 'utf16le'))]))).toBe(1);
    expect(l.finish()).toEqual([[7n, 'ab', null]]);
  });

  it('a message cut inside a row is incomplete (4002)', () => {
    const l = load();
    const whole = Buffer.concat([meta, row(7, Buffer.from('ab', 'utf16le'))]);
    l.feed(whole.subarray(0, whole.length - 1));
    expect(() => l.finish()).toThrow(expect.objectContaining({ number: 4002 }));
  });

  it('an odd number of bytes is not a Unicode value: the load fails, as freebcp 1.3 sending UTF-8 makes it', () => {
    const l = load();
    l.feed(Buffer.concat([meta, row(7, Buffer.from('abc', 'utf8'))]));
    expect(() => l.finish()).toThrow(/Unicode \(nvarchar\) value of 3 bytes/);
  });
});
