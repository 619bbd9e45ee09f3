import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../harness/model/catalog.js';
import type { Database, KeysetRead } from '../../harness/model/database.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { postgresEngine } from '../../harness/engines/postgres.js';
import { BenchError, ConfigError } from '../../harness/base/errors.js';
import { tableTasks } from '../../harness/plan/tasks.js';
import { type CopyTask } from '../../harness/model/task.js';
import { validateCopy } from '../../harness/trial/validate.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';
import { allTypesTable, bigTable, table, TYPE_CASES } from './fixtures.js';
import { SqlError } from './tds-sql.js';
import { TdsTestServer } from './tds-server.js';

/**
 * The SQL Server engine against the TDS test server (test/tds/tds-server.ts), with a real PostgreSQL
 * target from the global setup: login errors, introspection, every type through insertRows and
 * through COPY text, the portable fingerprint on both engines, backpressure, keyset pages, the
 * unsupported-type stop, and server errors as one-line BenchErrors.
 */
const BIG_ROWS = 250_000;
const options = { role: 'source' as const, poolSize: 3, applicationName: 'bench-tds-test' };

let server: TdsTestServer;
let source: Database;

beforeAll(async () => {
  server = await TdsTestServer.start({
    tables: [
      allTypesTable(),
      bigTable('big', BIG_ROWS),
      table(
        'sales',
        'order lines',
        [['order_id', 'int', false], ['line', 'smallint', false], ['sku', 'varchar(20)'], ['qty', 'int']],
        Array.from({ length: 50 }, (_, i) => [String(Math.floor(i / 5) + 1), String((i % 5) + 1), `SKU-${i}`, String(i)]),
        {
          primaryKey: { name: 'PK_order_lines', columns: ['order_id', 'line'] },
          indexes: [{ name: 'IX_sku', columns: ['sku'], unique: false }],
          uniques: [{ name: 'UQ_sku_qty', columns: ['sku', 'qty'] }],
          foreignKeys: [{ name: 'FK_lines_types', columns: ['order_id'], references: { schema: 'dbo', name: 'all_types' }, refColumns: ['id'] }],
        },
      ),
    ],
  });
  source = await mssqlEngine.connect(server.url(), options);
});

afterAll(async () => {
  await source?.close();
  await server?.close();
  expect(server.stats.internalErrors).toEqual([]);
});

async function collect(db: Database, task: CopyTask, fetchSize: number, page?: KeysetRead) {
  const s = await db.acquire();
  try {
    const rows: unknown[][] = [];
    for await (const batch of s.streamRows(task, fetchSize, page)) rows.push(...batch);
    return rows;
  } finally {
    s.release();
  }
}

describe('connecting', () => {
  it('reports a wrong password as one line naming the login, without the password', async () => {
    const err = await mssqlEngine.connect(server.url('sa', 'not-the-password'), options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchError);
    const message = (err as Error).message;
    expect(message).toBe(
      `could not connect to the source database mssql://sa@127.0.0.1:${server.port}/bench: Login failed for user 'sa'. ` +
        '(check the user, password and database in the URL)',
    );
    expect(message).not.toContain('not-the-password');
    expect(server.stats.failedLogins).toBeGreaterThan(0);
  });

  it('reports an unknown database and a closed port clearly', async () => {
    const db = await mssqlEngine.connect(server.url('sa', undefined, 'nope'), options).catch((e: unknown) => e as Error);
    expect((db as Error).message).toContain('Cannot open database "nope" requested by the login.');
    const closed = await mssqlEngine.connect('mssql://sa:x@127.0.0.1:1/bench?encrypt=false', options).catch((e: unknown) => e as Error);
    expect((closed as Error).message).toMatch(/^could not connect to the source database mssql:\/\/sa@127\.0\.0\.1:1\/bench: nothing is listening at 127\.0\.0\.1:1/);
  });

  it('connects as a target too, and reads server info from the one connect round trip', async () => {
    const target = await mssqlEngine.connect(server.url(), { ...options, role: 'target' });
    expect(target.role).toBe('target');
    await target.close();
    expect((await source.serverInfo()).version).toContain('Microsoft SQL Server');
    expect(await source.identity()).toBe('mssql:tds-test/bench');
  });
});

describe('introspection', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await source.introspect();
  });

  it('maps every type to its portable type and native spelling', () => {
    const t = catalog.tables.find((x) => x.name === 'all_types')!;
    const byName = new Map(t.columns.map((c) => [c.name, c]));
    const expected: Record<string, [string, object]> = {
      c_tinyint: ['tinyint', { kind: 'int16' }],
      c_bit: ['bit', { kind: 'bool' }],
      c_dec_38: ['decimal(38,10)', { kind: 'decimal', precision: 38, scale: 10 }],
      c_numeric: ['numeric(20,0)', { kind: 'decimal', precision: 20, scale: 0 }],
      c_money: ['money', { kind: 'money' }],
      c_smallmoney: ['smallmoney', { kind: 'decimal', precision: 10, scale: 4 }],
      c_real: ['real', { kind: 'float32' }],
      c_float: ['float', { kind: 'float64' }],
      c_time: ['time(7)', { kind: 'time', precision: 7 }],
      c_datetime: ['datetime', { kind: 'timestamp', precision: 3 }],
      c_smalldatetime: ['smalldatetime', { kind: 'timestamp', precision: 0 }],
      c_dto: ['datetimeoffset(7)', { kind: 'timestamptz', precision: 7 }],
      c_char: ['char(5)', { kind: 'text', fixed: true, length: 5 }],
      c_nvarchar: ['nvarchar(20)', { kind: 'text', length: 20 }],
      c_nvarchar_max: ['nvarchar(max)', { kind: 'text' }],
      c_ntext: ['ntext', { kind: 'text' }],
      c_uuid: ['uniqueidentifier', { kind: 'uuid' }],
      c_varbinary_max: ['varbinary(max)', { kind: 'binary' }],
      c_image: ['image', { kind: 'binary' }],
      c_xml: ['xml', { kind: 'xml' }],
    };
    for (const [name, [nativeType, portable]] of Object.entries(expected)) {
      expect([name, byName.get(name)?.nativeType, byName.get(name)?.portable]).toEqual([name, nativeType, portable]);
    }
    expect(t.columns).toHaveLength(TYPE_CASES.length + 1);
    expect(byName.get('id')!.nullable).toBe(false);
    expect(t.estimatedRows).toBe(3);
  });

  it('reads keys, indexes and foreign keys', () => {
    const t = catalog.tables.find((x) => x.name === 'order lines')!;
    expect(t.schema).toBe('sales');
    expect(t.primaryKey).toEqual({ name: 'PK_order_lines', columns: ['order_id', 'line'] });
    expect(t.uniques).toEqual([{ name: 'UQ_sku_qty', columns: ['sku', 'qty'] }]);
    expect(t.indexes).toEqual([{ name: 'IX_sku', columns: ['sku'], unique: false }]);
    expect(t.foreignKeys).toEqual([
      { name: 'FK_lines_types', columns: ['order_id'], references: { schema: 'dbo', name: 'all_types' }, refColumns: ['id'] },
    ]);
    expect(catalog.tables.map((x) => `${x.schema}.${x.name}`)).toEqual(['dbo.all_types', 'dbo.big', 'sales.order lines']);
  });

  it('applies --tables patterns', async () => {
    expect((await source.introspect(['sales.*'])).tables.map((t) => t.name)).toEqual(['order lines']);
  });
});

describe('every type into PostgreSQL', () => {
  let dbs: TestDatabases;
  let target: Database;
  let catalog: Catalog;
  let task: CopyTask;

  beforeAll(async () => {
    dbs = await freshDatabases('tds_types');
    target = await postgresEngine.connect(dbs.target, { role: 'target', poolSize: 3, applicationName: 'bench-tds-target' });
    catalog = await source.introspect(['dbo.all_types']);
    task = tableTasks(catalog.tables)[0]!;
  });

  afterAll(async () => {
    await target?.close();
    await dbs?.drop();
  });

  async function reset(): Promise<void> {
    await target.dropTables(catalog.tables);
    await target.createTables(catalog.tables, 'mssql');
  }

  async function pgText(): Promise<Record<string, string | null>[]> {
    const c = await connect(dbs.target);
    try {
      await c.query("SET TimeZone = 'UTC'");
      const cols = ['id', ...TYPE_CASES.map(([n]) => n)].map((n) => `"${n}"::text AS "${n}"`).join(', ');
      return (await c.query(`SELECT ${cols} FROM dbo.all_types ORDER BY id`)).rows;
    } finally {
      await c.end();
    }
  }

  function expectExact(rows: Record<string, string | null>[]): void {
    expect(rows.map((r) => r.id)).toEqual(['1', '2', '3']);
    for (const [name, , , pg] of TYPE_CASES) {
      expect([name, rows[0]![name]]).toEqual([name, pg]);
      expect([name, rows[1]![name]]).toEqual([name, null]);
    }
    expect(rows[2]!.c_int).toBe('42');
  }

  it('creates the mapped PostgreSQL columns', async () => {
    await reset();
    const c = await connect(dbs.target);
    const types = (
      await c.query<{ column_name: string; t: string }>(
        `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS t FROM pg_attribute a
         WHERE a.attrelid = 'dbo.all_types'::regclass AND a.attnum > 0 ORDER BY a.attnum`,
      )
    ).rows;
    await c.end();
    const m = Object.fromEntries(types.map((r) => [r.column_name, r.t]));
    expect(m).toMatchObject({
      c_tinyint: 'smallint', c_int: 'integer', c_bigint: 'bigint', c_bit: 'boolean', c_dec_38: 'numeric(38,10)',
      c_money: 'numeric(19,4)', c_smallmoney: 'numeric(10,4)', c_real: 'real', c_float: 'double precision',
      c_date: 'date', c_time: 'time(6) without time zone', c_datetime: 'timestamp(3) without time zone',
      c_datetime2: 'timestamp(6) without time zone', c_smalldatetime: 'timestamp(0) without time zone',
      c_dto: 'timestamp(6) with time zone', c_char: 'character(5)', c_varchar: 'character varying(50)',
      c_nvarchar_max: 'text', c_text: 'text', c_uuid: 'uuid', c_varbinary: 'bytea', c_image: 'bytea', c_xml: 'xml',
    });
  });

  it('copies every value exactly through streamRows + insertRows, and the portable fingerprints agree', async () => {
    await reset();
    const rows = await collect(source, task, 2);
    const s = await target.acquire();
    await s.insertRows(task, rows);
    s.release();
    expectExact(await pgText());
    const v = await validateCopy(source, target, catalog.tables, { parallelism: 2 });
    expect(v.map((r) => [r.table, r.sourceRows, r.targetRows, r.match])).toEqual([['dbo.all_types', 3, 3, true]]);
    expect(v[0]!.sourceChecksum).toMatch(/^portable:[0-9a-f]{16}$/);
  });

  it.each(['binary', 'text', 'csv'] as const)('copies every value exactly through copyOut(%s) piped into PostgreSQL COPY', async (format) => {
    await reset();
    const s = await source.acquire();
    const t = await target.acquire();
    const sink = t.copyIn!(task, format);
    await pipeline(s.copyOut!(task, format), sink.stream);
    s.release();
    t.release();
    expect(sink.rows()).toBe(3);
    expectExact(await pgText());
    const v = await validateCopy(source, target, catalog.tables, { parallelism: 2 });
    expect(v[0]!.match).toBe(true);
  });

  it('the portable fingerprint notices a changed value', async () => {
    const c = await connect(dbs.target);
    await c.query(`UPDATE dbo.all_types SET c_nvarchar = c_nvarchar || '!' WHERE id = 3`);
    await c.end();
    const v = await validateCopy(source, target, catalog.tables, { parallelism: 2 });
    expect(v[0]!.match).toBe(false);
  });
});

describe('streaming', () => {
  let big: CopyTask;
  beforeAll(async () => {
    big = tableTasks((await source.introspect(['dbo.big'])).tables)[0]!;
  });

  it(`streams ${BIG_ROWS} rows to a slow consumer with bounded memory: the server waits for the client`, async () => {
    const drainBefore = server.stats.drainWaits;
    const sentBefore = server.stats.rowsSent;
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let consumed = 0;
    let maxAhead = 0;
    let maxHeap = 0;
    let lastId = 0;
    const s = await source.acquire();
    for await (const batch of s.streamRows(big, 1000)) {
      consumed += batch.length;
      lastId = Number(batch[batch.length - 1]![0]);
      maxAhead = Math.max(maxAhead, server.stats.rowsSent - sentBefore - consumed);
      if (consumed % 20_000 === 0) {
        maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed - heapBefore);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    s.release();
    expect(consumed).toBe(BIG_ROWS);
    expect(lastId).toBe(BIG_ROWS);
    // The server blocked on a full socket, and never got far ahead of the consumer.
    expect(server.stats.drainWaits).toBeGreaterThan(drainBefore);
    expect(maxAhead).toBeLessThan(BIG_ROWS / 3);
    expect(maxHeap).toBeLessThan(64 * 2 ** 20);
  });

  it('stops a stream early with an ATTENTION and reuses the connection', async () => {
    const before = server.stats.attentions;
    const s = await source.acquire();
    let n = 0;
    for await (const batch of s.streamRows(big, 500)) {
      n += batch.length;
      if (n >= 2000) break;
    }
    expect(server.stats.attentions).toBe(before + 1);
    // The same connection answers the next request.
    const rows: unknown[][] = [];
    for await (const batch of s.streamRows(big, 100, { keyColumns: ['id'], limit: 3 })) rows.push(...batch);
    s.release();
    expect(rows.map((r) => r[0])).toEqual(['1', '2', '3']);
  });

  it('walks keyset pages (single and composite keys) and key ranges', async () => {
    const page1 = await collect(source, big, 1000, { keyColumns: ['id'], limit: 5 });
    expect(page1.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5']);
    const page2 = await collect(source, big, 1000, { keyColumns: ['id'], after: ['5'], limit: 3 });
    expect(page2.map((r) => r[0])).toEqual(['6', '7', '8']);
    expect(server.stats.queries.at(-1)).toBe('SELECT TOP (3) [id], [n], [s] FROM [dbo].[big] WHERE [id] > CAST(@k0 AS bigint) ORDER BY [id]');

    const lines = tableTasks((await source.introspect(['sales.*'])).tables)[0]!;
    const seen: string[] = [];
    let after: unknown[] | undefined;
    for (;;) {
      const page = await collect(source, lines, 4, { keyColumns: ['order_id', 'line'], limit: 7, ...(after ? { after } : {}) });
      seen.push(...page.map((r) => `${r[0]}/${r[1]}`));
      if (page.length < 7) break;
      after = [page.at(-1)![0], page.at(-1)![1]];
    }
    expect(seen).toHaveLength(50);
    expect(new Set(seen).size).toBe(50);
    expect(seen.slice(0, 7)).toEqual(['1/1', '1/2', '1/3', '1/4', '1/5', '2/1', '2/2']);

    const ranged = await collect(source, { ...big, id: 'dbo.big[2/4]', range: { column: 'id', from: '100', to: '200' } }, 30);
    expect(ranged).toHaveLength(100);
    expect([ranged[0]![0], ranged.at(-1)![0]]).toEqual(['100', '199']);
  });
});

describe('stops and errors', () => {
  it('stops before copying when a column has an unsupported type, naming every table.column', async () => {
    const odd = await TdsTestServer.start({
      tables: [
        table('dbo', 'events', [['id', 'int', false], ['payload', 'sql_variant'], ['place', 'geography']], []),
        table('dbo', 'fine', [['id', 'int', false]], [['1']]),
      ],
    });
    const db = await mssqlEngine.connect(odd.url(), { ...options, peer: 'postgres' });
    try {
      const err = await db.introspect().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        'dbo.events.payload has type sql_variant, which bench cannot copy to PostgreSQL (leave the table out with --tables)',
        'dbo.events.place has type geography, which bench cannot copy to PostgreSQL (leave the table out with --tables)',
      ]);
      // Nothing was read from the table: only the catalog batch reached the server.
      expect(odd.stats.queries.some((q) => q.includes('[events]'))).toBe(false);
      expect((await db.introspect(['dbo.fine'])).tables).toHaveLength(1);
    } finally {
      await db.close();
      await odd.close();
    }
  });

  it('names the target it cannot copy to: SQL Server for a SQL Server target, none when unknown (issue 17, defect 9)', async () => {
    const odd = await TdsTestServer.start({ tables: [table('dbo', 'events', [['id', 'int', false], ['payload', 'sql_variant']], [])] });
    try {
      const problems = async (peer?: 'mssql') => {
        const db = await mssqlEngine.connect(odd.url(), { ...options, ...(peer ? { peer } : {}) });
        try {
          return ((await db.introspect().catch((e: unknown) => e)) as ConfigError).problems;
        } finally {
          await db.close();
        }
      };
      expect(await problems('mssql')).toEqual(['dbo.events.payload has type sql_variant, which bench cannot copy to SQL Server (leave the table out with --tables)']);
      expect(await problems()).toEqual(['dbo.events.payload has type sql_variant, which bench cannot copy (leave the table out with --tables)']);
    } finally {
      await odd.close();
    }
  });

  it('turns ERROR tokens into one-line BenchErrors naming the task, and the connection stays usable', async () => {
    const task = tableTasks((await source.introspect(['dbo.big'])).tables)[0]!;
    server.beforeQuery = (sql) => {
      if (sql.startsWith('SELECT [id]')) throw new SqlError("The SELECT permission was denied on the object 'big'.", 229, 14);
    };
    const s = await source.acquire();
    try {
      const err = await (async () => {
        for await (const batch of s.streamRows(task, 10)) void batch;
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BenchError);
      expect((err as Error).message).toBe("dbo.big: The SELECT permission was denied on the object 'big'. [SQL Server error 229]");
      const out = s.copyOut!(task, 'text');
      const piped = await new Promise<Error>((resolve) => {
        out.on('error', resolve);
        out.resume();
      });
      expect(piped.message).toBe("dbo.big: The SELECT permission was denied on the object 'big'. [SQL Server error 229]");
    } finally {
      server.beforeQuery = undefined;
      s.release();
    }
    const missing = await source.fingerprint({ schema: 'dbo', name: 'gone' }, ['id']).catch((e: unknown) => e as Error);
    expect((missing as Error).message).toContain('table dbo.gone not found');
    const fp = await source.fingerprint({ schema: 'dbo', name: 'big' }, ['id', 'n', 's']);
    expect(fp.rows).toBe(BIG_ROWS);
  });
});
