import { isDeepStrictEqual } from 'node:util';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Connection } from 'tedious';
import { TYPES } from 'tedious';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkLoad, connectClient, failure, run, type BulkColumn } from './client.js';
import { createTargetTableSql, selectTargetSql, TARGET_COLUMNS } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';
import { decimalText, type DateTimeValue, type SqlValue } from './tds-types.js';

/**
 * tedious bulk loads (insert bulk + a BULK_LOAD message) into the TDS test server: every type
 * tedious can send, 50,000 rows decoded as their packets arrive and read back exactly, the errors
 * SQL Server raises (nothing appended), and cancellation both while tedious is still sending (the
 * message ends with the IGNORE bit) and after it has sent everything (ATTENTION).
 */
const ROWS = 50_000;

let server: TdsTestServer;
let conn: Connection;

beforeAll(async () => {
  server = await TdsTestServer.start({ tables: [] });
  conn = await connectClient(server);
  await run(conn, "IF SCHEMA_ID(N'blk') IS NULL EXEC(N'CREATE SCHEMA [blk]')");
});

afterAll(async () => {
  conn?.close();
  await server?.close();
  expect(server.stats.internalErrors).toEqual([]);
});

const count = async (table: string) => Number((await run(conn, `SELECT COUNT_BIG(*) AS [rows] FROM ${table}`)).rows[0]![0]);

/** The bulk columns a writer would declare for TARGET_COLUMNS (xml travels as nvarchar(max): tedious has no xml bulk type). */
const BULK_TYPES: Record<string, BulkColumn[1] | [BulkColumn[1], { length?: number; precision?: number; scale?: number }]> = {
  c_tinyint: TYPES.TinyInt, c_smallint: TYPES.SmallInt, c_int: TYPES.Int, c_bigint: TYPES.BigInt, c_bit: TYPES.Bit,
  c_dec: [TYPES.Decimal, { precision: 38, scale: 10 }], c_num: [TYPES.Numeric, { precision: 12, scale: 4 }], c_money: TYPES.Money,
  c_smallmoney: TYPES.SmallMoney, c_real: TYPES.Real, c_float: TYPES.Float, c_float24: TYPES.Real, c_date: TYPES.Date,
  c_time: [TYPES.Time, { scale: 7 }], c_time3: [TYPES.Time, { scale: 3 }], c_datetime: TYPES.DateTime,
  c_dt2: [TYPES.DateTime2, { scale: 7 }], c_dt2_0: [TYPES.DateTime2, { scale: 0 }], c_sdt: TYPES.SmallDateTime,
  c_dto: [TYPES.DateTimeOffset, { scale: 7 }], c_char: [TYPES.Char, { length: 5 }], c_varchar: [TYPES.VarChar, { length: 50 }],
  c_varchar_max: [TYPES.VarChar, { length: Infinity }], c_nchar: [TYPES.NChar, { length: 3 }], c_nvarchar: [TYPES.NVarChar, { length: 20 }],
  c_nvarchar_max: [TYPES.NVarChar, { length: Infinity }], c_text: TYPES.Text, c_ntext: TYPES.NText, c_uuid: TYPES.UniqueIdentifier,
  c_binary: [TYPES.Binary, { length: 4 }], c_varbinary: [TYPES.VarBinary, { length: 16 }], c_varbinary_max: [TYPES.VarBinary, { length: Infinity }],
  c_image: TYPES.Image, c_xml: [TYPES.NVarChar, { length: Infinity }],
};
const COLUMNS: BulkColumn[] = [
  ['id', TYPES.Int, { nullable: false }],
  ...TARGET_COLUMNS.map(([n]): BulkColumn => {
    const t = BULK_TYPES[n]!;
    return Array.isArray(t) ? [n, t[0], t[1]] : [n, t];
  }),
];

const p2 = (n: number, width = 2) => String(n).padStart(width, '0');
const dayText = (d: Date) => `${p2(d.getUTCFullYear(), 4)}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
const clockText = (d: Date) => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;

/** An offset in minutes as SQL Server prints it after a datetimeoffset: '-08:00'. */
function offsetText(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(minutes) / 60))}:${p2(Math.abs(minutes) % 60)}`;
}

/** Row i as tedious takes it, and as the SELECT of selectTargetSql must return it. */
function rowPair(i: number): { sent: unknown[]; expected: unknown[] } {
  const base = Date.UTC(1990 + (i % 30), i % 12, (i % 28) + 1, i % 24, (i * 7) % 60, (i * 13) % 60, i % 1000);
  const d = new Date(base);
  const ns = (i * 37) % 10_000; // 100 ns units below the millisecond
  const precise = Object.assign(new Date(base), { nanosecondDelta: ns / 1e7 });
  const ms = p2(i % 1000, 3);
  const sign = i % 2 ? -1 : 1;
  const k = i * 7919;
  const money = BigInt(sign * i * 10_002_500);
  // tedious: datetime in 1/300 s from the millisecond of the day; smalldatetime drops the seconds.
  const msOfDay = base % 86_400_000;
  const units = Math.round(msOfDay / (3 + 1 / 3));
  const datetime = new Date(base - msOfDay + Math.round((units * 10) / 3));
  const offset = -d.getTimezoneOffset();
  const local = new Date(base + offset * 60_000);
  const row = [
    i % 256, (i % 65536) - 32768, i * 40_000 - 1_000_000_000, BigInt(sign * i) * 100_000_000_000_007n, i % 3 === 0,
    (sign * k) / 1e4, i + 0.25, (sign * i * 10_002_500) / 10_000, (i % 20_000) + 0.5, i / 8, i * 1.000001, -i / 4,
    d, precise, d, d, precise, d, d, precise,
    `c${i % 10_000}`.slice(0, 5), `row ${i} café`, i % 1000 === 1 ? `${'v'.repeat(9000)}${i}` : `short ${i}`, `ü${i % 10}`,
    `ж ${i} 😀`, i % 1000 === 2 ? `${'n'.repeat(5000)}😀` : `nm ${i}`, `text ${i}`, `ntext ж ${i}`,
    `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${(i * 7).toString(16).padStart(12, '0')}`,
    Buffer.from([(i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255]), Buffer.from([i & 255, (i >> 8) & 255, 0, 255]),
    i % 1000 === 3 ? Buffer.alloc(9000, i & 255) : Buffer.from([1, 2, 3]), Buffer.from([0xca, 0xfe, i & 255]), `<r i="${i}"/>`,
  ];
  const expected = [
    row[0], row[1], row[2], String(row[3]), row[4],
    `${sign < 0 ? '-' : ''}${decimalText(BigInt(k) * 1_000_000n, 10)}`, `${i}.2500`, decimalText(money, 4), decimalText(BigInt((i % 20_000) * 10_000 + 5000), 4),
    i / 8, i * 1.000001, -i / 4,
    dayText(d), `${clockText(d)}.${ms}${p2(ns, 4)}`, `${clockText(d)}.${ms}`, `${dayText(datetime)} ${clockText(datetime)}.${p2(datetime.getUTCMilliseconds(), 3)}`,
    `${dayText(d)} ${clockText(d)}.${ms}${p2(ns, 4)}`, (() => {
      const s = new Date(Math.round(base / 1000) * 1000);
      return `${dayText(s)} ${clockText(s)}`;
    })(),
    `${dayText(d)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:00`, `${dayText(local)} ${clockText(local)}.${ms}${p2(ns, 4)} ${offsetText(offset)}`,
    String(row[20]).padEnd(5, ' '), row[21], row[22], String(row[23]).padEnd(3, ' '), row[24], row[25], row[26], row[27], row[28],
    row[29], row[30], row[31], row[32], row[33],
  ];
  if (i % 10 === 0) return { sent: [i, ...row.map(() => null)], expected: [i, ...row.map(() => null)] };
  return { sent: [i, ...row], expected: [i, ...expected] };
}

describe(`a bulk load of ${ROWS} rows with every type`, () => {
  let tz: string | undefined;

  beforeAll(async () => {
    // tedious sends a datetimeoffset at the process's own offset: a zone with daylight saving time gives two.
    tz = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    await run(conn, createTargetTableSql('blk', 'everything'));
  });

  afterAll(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('loads them all, reports the row count, and SELECT reads every value back exactly', async () => {
    const bulkBefore = server.stats.bulkRows;
    const rows = function* () {
      for (let i = 1; i <= ROWS; i++) yield rowPair(i).sent;
    };
    const { done } = bulkLoad(conn, '[blk].[everything]', COLUMNS, rows());
    expect(await done).toBe(ROWS);
    expect(server.stats.bulkRows - bulkBefore).toBe(ROWS);
    const statement = server.stats.queries.find((q) => q.startsWith('insert bulk [blk].[everything]'))!;
    expect(statement).toMatch(/^insert bulk \[blk\]\.\[everything\]\(\[id\] int, \[c_tinyint\] tinyint, .*\[c_dec\] decimal\(38, 10\), .*\[c_xml\] nvarchar\(max\)\) WITH \(KEEP_NULLS,TABLOCK\)$/);

    expect(await count('[blk].[everything]')).toBe(ROWS);
    const read = (await run(conn, selectTargetSql('blk', 'everything'))).rows;
    expect(read).toHaveLength(ROWS);
    const mismatches: unknown[] = [];
    read.forEach((row, k) => {
      const expected = rowPair(k + 1).expected;
      if (!isDeepStrictEqual(row, expected) && mismatches.length < 3) {
        const names = ['id', ...TARGET_COLUMNS.map(([n]) => n)];
        mismatches.push(names.flatMap((n, c) => (isDeepStrictEqual(row[c], expected[c]) ? [] : [{ row: k + 1, column: n, got: row[c], expected: expected[c] }])));
      }
    });
    expect(mismatches).toEqual([]);

    // Both Los Angeles offsets arrived and were kept with their instants.
    const stored = server.catalog.find({ schema: 'blk', name: 'everything' })!;
    const dto = stored.columns.findIndex((c) => c.name === 'c_dto');
    const offsets = new Set((stored.rows as readonly SqlValue[][]).map((r) => (r[dto] as DateTimeValue | null)?.offset).filter((o) => o !== undefined));
    expect([...offsets].sort()).toEqual([-420, -480]);
  });

  it('decodes rows that straddle 512-byte packets, PLP values over many packets', async () => {
    const small = await connectClient(server, 512);
    try {
      await run(small, 'CREATE TABLE [blk].[plp] ([id] int NOT NULL, [s] nvarchar(max) NULL, [b] varbinary(max) NULL, [v] varchar(max) NULL)');
      const rows = Array.from({ length: 200 }, (_, i) => [i, `${'z'.repeat(3000 + i)}ж`, Buffer.alloc(2000 + i * 7, i), i % 3 ? null : 'é'.repeat(9000 + i)]);
      const { done } = bulkLoad(small, '[blk].[plp]', [
        ['id', TYPES.Int, { nullable: false }],
        ['s', TYPES.NVarChar, { length: Infinity }],
        ['b', TYPES.VarBinary, { length: Infinity }],
        ['v', TYPES.VarChar, { length: Infinity }],
      ], rows);
      expect(await done).toBe(200);
      const read = (await run(small, 'SELECT [id], [s], [b], [v] FROM [blk].[plp]')).rows;
      expect(read).toEqual(rows);
    } finally {
      small.close();
    }
  });
});

describe('bulk load errors: nothing appended, the connection stays usable', () => {
  const columns = (n: BulkColumn[1] = TYPES.Int, s: BulkColumn[1] = TYPES.NVarChar): BulkColumn[] => [
    ['id', TYPES.Int, { nullable: false }],
    ['n', n, n === TYPES.NVarChar ? { length: 10 } : {}],
    ['s', s, { length: 20 }],
  ];

  beforeAll(async () => {
    await run(conn, 'CREATE TABLE [blk].[strict] ([id] int NOT NULL, [n] int NOT NULL, [s] nvarchar(5) NULL)');
    await run(conn, 'ALTER TABLE [blk].[strict] ADD CONSTRAINT [PK_strict] PRIMARY KEY ([id])');
    await run(conn, 'INSERT INTO [blk].[strict] ([id], [n]) VALUES (1, 1)');
  });

  it.each([
    ['NULL into NOT NULL', columns(), [[2, 1, 'a'], [3, null, 'b']], 515, "Cannot insert the value NULL into column 'n', table 'bench.blk.strict'; column does not allow nulls. INSERT fails."],
    ['a failed conversion', columns(TYPES.NVarChar), [[2, '7', 'a'], [3, 'x', 'b']], 245, "Conversion failed when converting the nvarchar value 'x' to data type int."],
    ['a value too long', columns(), [[2, 1, 'abcdefg']], 4815, 'Received an invalid column length from the bcp client for colid 3.'],
    ['a duplicate key in the load', columns(), [[2, 1, null], [2, 2, null]], 2627, "Violation of PRIMARY KEY constraint 'PK_strict'. Cannot insert duplicate key in object 'blk.strict'. The duplicate key value is (2)."],
    ['a duplicate of a stored key', columns(), [[1, 1, null]], 2627, "Violation of PRIMARY KEY constraint 'PK_strict'. Cannot insert duplicate key in object 'blk.strict'. The duplicate key value is (1)."],
    ['an unknown column', [...columns(), ['nope', TYPES.Int, {}]] as BulkColumn[], [[2, 1, null, 1]], 207, "Invalid column name 'nope'."],
  ] as const)('%s: error %i', async (_, cols, rows, number, message) => {
    const err = await failure(bulkLoad(conn, '[blk].[strict]', cols, rows).done);
    expect([err.number, err.message]).toEqual([number, message]);
    expect(await count('[blk].[strict]')).toBe(1);
  });

  it('takes a good load after the failed ones', async () => {
    expect(await bulkLoad(conn, '[blk].[strict]', columns(TYPES.NVarChar), [[2, ' 5 ', 'ok']]).done).toBe(1);
    expect((await run(conn, 'SELECT [id], [n], [s] FROM [blk].[strict] ORDER BY [id]')).rows).toEqual([[1, 1, null], [2, 5, 'ok']]);
  });
});

describe('cancelling a bulk load', () => {
  const columns: BulkColumn[] = [['id', TYPES.Int, { nullable: false }], ['s', TYPES.NVarChar, { length: 100 }]];

  beforeAll(async () => {
    await run(conn, 'CREATE TABLE [blk].[cancel] ([id] int NOT NULL, [s] nvarchar(100) NULL)');
  });

  it('while tedious is still sending: the message ends with IGNORE, nothing is appended, the connection goes on', async () => {
    const decodedBefore = server.stats.bulkRows;
    const attentions = server.stats.attentions;
    let sent = 0;
    let cancel = () => undefined as void;
    const rows = async function* () {
      for (let i = 1; i <= 1_000_000; i++) {
        if (i % 1000 === 0) await nextTurn();
        if (++sent === 20_000) cancel();
        yield [i, `row ${i}`];
      }
    };
    const { load, done } = bulkLoad(conn, '[blk].[cancel]', columns, rows());
    cancel = () => load.cancel();
    const err = await failure(done);
    expect([err.code, err.message]).toEqual(['ECANCEL', 'Canceled.']);
    expect(sent).toBeLessThan(1_000_000);
    expect(server.stats.bulkRows).toBeGreaterThan(decodedBefore);
    expect(server.stats.attentions).toBe(attentions); // tedious ended the message with IGNORE instead
    expect(await count('[blk].[cancel]')).toBe(0);
    expect(await bulkLoad(conn, '[blk].[cancel]', columns, [[1, 'a'], [2, 'b']]).done).toBe(2);
    expect(await count('[blk].[cancel]')).toBe(2);
  });

  it('after tedious has sent everything: ATTENTION, acknowledged with DONE_ATTN, and the rows are not committed', async () => {
    const attentions = server.stats.attentions;
    let arrived!: () => void;
    const whole = new Promise<void>((resolve) => (arrived = resolve));
    server.beforeBulkCommit = async () => {
      arrived();
      while (server.stats.attentions === attentions) await new Promise((r) => setTimeout(r, 5));
    };
    try {
      const { load, done } = bulkLoad(conn, '[blk].[cancel]', columns, [[3, 'c'], [4, 'd']]);
      await whole;
      load.cancel();
      const err = await failure(done);
      expect([err.code, err.message]).toEqual(['ECANCEL', 'Canceled.']);
      expect(server.stats.attentions).toBe(attentions + 1);
    } finally {
      server.beforeBulkCommit = undefined;
    }
    expect(await count('[blk].[cancel]')).toBe(2);
    expect((await run(conn, 'SELECT [id], [s] FROM [blk].[cancel]')).rows).toEqual([[1, 'a'], [2, 'b']]);
  });
});
