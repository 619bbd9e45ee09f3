import { describe, expect, it } from 'vitest';
import type { Column, Table } from '../../../harness/model/catalog.js';
import { constraintSteps } from '../../../harness/engines/constraint-steps.js';
import { createSchemaSql, createTableSql, mssqlConstraintSql, mssqlTypeFor } from '../../../harness/engines/mssql-ddl.js';
import { insertSql, parseTsqlType, rowsPerInsert, writeColumn } from '../../../harness/engines/mssql-write.js';

const col = (name: string, nativeType: string, portable: Column['portable'], nullable = true): Column => ({ name, nativeType, portable, nullable });

describe('SQL Server target DDL', () => {
  const pgTable: Table = {
    schema: 'public',
    name: 'posts',
    columns: [
      col('id', 'integer', { kind: 'int32' }, false),
      col('title', 'character varying(250)', { kind: 'text', length: 250 }),
      col('body', 'text', { kind: 'text' }),
      col('score', 'numeric(12,2)', { kind: 'decimal', precision: 12, scale: 2 }),
      col('at', 'timestamp(3) without time zone', { kind: 'timestamp', precision: 3 }),
      col('at_tz', 'timestamp with time zone', { kind: 'timestamptz' }),
      col('blob', 'bytea', { kind: 'binary' }),
      col('doc', 'jsonb', { kind: 'json' }),
      col('ok', 'boolean', { kind: 'bool' }),
    ],
    primaryKey: { name: 'posts_pkey', columns: ['id'] },
    uniques: [{ name: 'posts_title_key', columns: ['title'] }],
    checks: [{ name: 'posts_score_check', definition: 'CHECK ((score > (0)::numeric))' }],
    foreignKeys: [{ name: 'posts_parent_fkey', columns: ['parent'], references: { schema: 'public', name: 'posts' }, refColumns: ['id'] }],
    indexes: [{ name: 'posts_at_idx', columns: ['at'], unique: false }],
    estimatedRows: 1,
    estimatedBytes: 1,
  };

  it('maps PostgreSQL columns to Unicode, exact and zoned SQL Server types', () => {
    expect(createTableSql(pgTable, 'postgres')).toBe(
      'CREATE TABLE [public].[posts] ([id] int NOT NULL, [title] nvarchar(250) NULL, [body] nvarchar(max) NULL, [score] decimal(12,2) NULL, ' +
        '[at] datetime2(3) NULL, [at_tz] datetimeoffset(6) NULL, [blob] varbinary(max) NULL, [doc] nvarchar(max) NULL, [ok] bit NULL)',
    );
  });

  it('reuses a SQL Server source column type verbatim', () => {
    const t: Table = { ...pgTable, schema: 'dbo', columns: [col('m', 'money', { kind: 'money' }), col('v', 'varchar(max)', { kind: 'text' })] };
    expect(createTableSql(t, 'mssql')).toBe('CREATE TABLE [dbo].[posts] ([m] money NULL, [v] varchar(max) NULL)');
  });

  it('stops on a type it cannot map, naming the column', () => {
    expect(() => mssqlTypeFor({ kind: 'other', name: 'tsvector' }, 'search')).toThrow(/column "search" has type tsvector/);
    expect(() => mssqlTypeFor({ kind: 'decimal', precision: 50, scale: 2 }, 'big')).toThrow(/38 digits/);
    expect(mssqlTypeFor({ kind: 'text', length: 5000 }, 'long')).toBe('nvarchar(max)');
  });

  it('creates a missing schema in its own batch, quoting the name', () => {
    expect(createSchemaSql("it's")).toBe("IF SCHEMA_ID(N'it''s') IS NULL EXEC(N'CREATE SCHEMA [it''s]')");
  });

  it('keys, then indexes, then foreign keys; PostgreSQL checks are not translated', () => {
    const steps = constraintSteps([pgTable]);
    expect(steps.map((s) => s.kind)).toEqual(['primary-key', 'unique', 'check', 'index', 'foreign-key']);
    expect(mssqlConstraintSql(steps[0]!, 'postgres')).toBe('ALTER TABLE [public].[posts] ADD CONSTRAINT [posts_pkey] PRIMARY KEY ([id])');
    expect(() => mssqlConstraintSql(steps[2]!, 'postgres')).toThrow(/cannot be translated/);
    expect(mssqlConstraintSql(steps[3]!, 'postgres')).toBe('CREATE INDEX [posts_at_idx] ON [public].[posts] ([at])');
    expect(mssqlConstraintSql(steps[4]!, 'postgres')).toBe(
      'ALTER TABLE [public].[posts] ADD CONSTRAINT [posts_parent_fkey] FOREIGN KEY ([parent]) REFERENCES [public].[posts] ([id])',
    );
  });
});

describe('SQL Server writers', () => {
  const w = (nativeType: string) => writeColumn(col('c', nativeType, { kind: 'other', name: nativeType }));

  it('parses T-SQL type text', () => {
    expect(parseTsqlType('decimal(38, 10)')).toEqual({ base: 'decimal', args: [38, 10] });
    expect(parseTsqlType('nvarchar(max)')).toEqual({ base: 'nvarchar', args: [-1] });
    expect(parseTsqlType('float')).toEqual({ base: 'float', args: [] });
  });

  it('reads PostgreSQL text forms and SQL Server source values alike', () => {
    expect(w('int').bulk.encode('42')).toBe(42);
    expect(w('bigint').bulk.encode('-9223372036854775808')).toBe('-9223372036854775808');
    expect(w('bit').bulk.encode('t')).toBe(true);
    expect(w('bit').bulk.encode(false)).toBe(false);
    expect(w('varbinary(max)').bulk.encode('\\x00ff')).toEqual(Buffer.from([0, 255]));
    expect(w('real').bulk.encode('1.5')).toBe(1.5);
    expect(w('nvarchar(max)').bulk.encode(null)).toBeNull();
  });

  it('refuses what SQL Server cannot hold, with the column and value', () => {
    expect(() => w('float').bulk.encode('NaN')).toThrow(/column "c": SQL Server's float holds no NaN/);
    expect(() => w('int').bulk.encode('1.5')).toThrow(/not an integer \(value 1\.5\)/);
    expect(() => w('date').bulk.encode('infinity')).toThrow(/not a date/);
    expect(() => w('time(6)').bulk.encode('24:00:00')).toThrow(/23:59:59/);
  });

  it('bulk-loads decimals and money as exact unscaled integers, never through a double', () => {
    expect(w('decimal(12,2)').bulk.encode('1234567890.12')).toBe(123456789012n);
    expect(w('decimal(38,10)').bulk.encode('-1234567890123456789012345678.0123456789')).toBe(-12345678901234567890123456780123456789n);
    expect(w('money').bulk.encode('922337203685477.5807')).toBe(9223372036854775807n);
    expect(w('decimal(5,2)').bulk.encode(1.5)).toBe(150n);
    expect(() => w('decimal(10,2)').bulk.encode('1.234')).toThrow(/more than 2 decimal places/);
    expect(() => w('decimal(4,2)').bulk.encode('123.4')).toThrow(/more than 4 digits/);
    // INSERT sends the text: the server converts it exactly.
    expect(w('decimal(38,10)').param.encode('1234567890123456789.0123456789')).toBe('1234567890123456789.0123456789');
  });

  it('keeps microseconds and sub-millisecond digits, and applies offsets for datetimeoffset', () => {
    const d = w('datetime2(6)').bulk.encode('2020-01-02 03:04:05.123456') as Date & { nanosecondDelta?: number };
    expect(d.toISOString()).toBe('2020-01-02T03:04:05.123Z');
    expect(d.nanosecondDelta).toBeCloseTo(0.000456, 12); // 456 µs below the millisecond, in seconds
    // datetimeoffset keeps its own offset: the UTC date and time (days since 0001-01-01, 100 ns ticks) and the minutes.
    expect(w('datetimeoffset(6)').bulk.encode('2020-01-02 03:04:05+05:30')).toEqual({ days: 737_424, ticks: 77_645 * 10_000_000, offsetMinutes: 330 });
    expect(w('datetimeoffset(7)').bulk.encode('2024-03-10 01:30:00.1234567 -08:00')).toEqual({ days: 738_954, ticks: (9 * 3600 + 30 * 60) * 10_000_000 + 1_234_567, offsetMinutes: -480 });
    // Rounded half up to the column's scale; crossing midnight moves the date.
    expect(w('datetimeoffset(6)').bulk.encode('2024-03-10 23:59:59.9999995+00')).toEqual({ days: 738_955, ticks: 0, offsetMinutes: 0 });
    expect(() => w('datetimeoffset(0)').bulk.encode('0001-01-01 00:30:00+01:00')).toThrow(/outside the years 1 to 9999/);
    expect(w('datetimeoffset(6)').param.encode('2020-01-02 03:04:05.5+02')).toBe('2020-01-02 03:04:05.5+02:00');
    const old = w('date').bulk.encode('0042-03-04') as Date;
    expect(old.getUTCFullYear()).toBe(42);
    expect(w('datetime').param.encode('2020-01-02 03:04:05.123456')).toBe('2020-01-02 03:04:05.123');
  });

  it('builds INSERT statements within 2,100 parameters and 1,000 rows', () => {
    expect(rowsPerInsert(3, 5000)).toBe(666);
    expect(rowsPerInsert(1, 5000)).toBe(1000);
    expect(rowsPerInsert(3000, 10)).toBe(1);
    const cols = [w('int'), w('nvarchar(10)')];
    // Each value CAST to its column's type (issue 17), except character values, which stay uncast (see WriteColumn.castTo).
    expect(insertSql({ schema: 'dbo', name: 't' }, cols, 2)).toBe('INSERT INTO [dbo].[t] ([c], [c]) VALUES (CAST(@p0 AS int), @p1), (CAST(@p2 AS int), @p3)');
  });
});

describe('exact decimal and money encoders', () => {
  const bytes = (type: { generateParameterData(p: unknown, o: unknown): Iterable<Buffer> }, p: Record<string, unknown>) =>
    Buffer.concat([...type.generateParameterData(p, {})]).toString('hex');

  it("datetimeoffset: the same bytes as tedious for the time and date, then the value's own offset", async () => {
    const { TYPES } = await import('tedious');
    const { ExactDateTimeOffset } = await import('../../../harness/engines/mssql-exact-types.js');
    for (const scale of [0, 3, 7]) {
      const date = Object.assign(new Date('2024-03-10T09:30:00.123Z'), { nanosecondDelta: scale === 7 ? 0.0004567 : 0 });
      const ticks = (9 * 3600 + 30 * 60) * 10_000_000 + (scale === 0 ? 0 : scale === 3 ? 1_230_000 : 1_234_567);
      const ours = bytes(ExactDateTimeOffset as never, { value: { days: 738_954, ticks, offsetMinutes: -480 }, scale });
      const theirs = bytes(TYPES.DateTimeOffset as never, { value: scale === 0 ? new Date('2024-03-10T09:30:00Z') : date, scale });
      // tedious writes Node's own offset in the last two bytes; everything before them must agree.
      expect(ours.slice(0, -4)).toBe(theirs.slice(0, -4));
      expect(ours.slice(-4)).toBe('20fe'); // -480 as int16 little-endian
    }
  });

  it('write the same bytes as tedious where tedious is exact', async () => {
    const { TYPES } = await import('tedious');
    const { ExactDecimal, ExactMoney, ExactSmallMoney } = await import('../../../harness/engines/mssql-exact-types.js');
    for (const [precision, scale, text, unscaled] of [
      [9, 2, '-12.34', -1234n],
      [18, 4, '123456789.0001', 1234567890001n],
      [28, 0, '4503599627370495', 4503599627370495n],
      [38, 10, '12345.5', 123455000000000n],
    ] as const) {
      expect(bytes(ExactDecimal as never, { value: unscaled, precision, scale })).toBe(bytes(TYPES.Decimal as never, { value: Number(text), precision, scale }));
    }
    expect(bytes(ExactMoney as never, { value: -125000n })).toBe(bytes(TYPES.Money as never, { value: -12.5 }));
    // tedious truncates -12.3456 × 10,000 = -123455.99999999999 to -123455: a cent-fraction lost.
    expect(bytes(ExactMoney as never, { value: -123456n })).not.toBe(bytes(TYPES.Money as never, { value: -12.3456 }));
    expect(bytes(ExactMoney as never, { value: 9007199254740000n })).toBe(bytes(TYPES.Money as never, { value: 900719925474 }));
    expect(bytes(ExactSmallMoney as never, { value: -2147483648n })).toBe(bytes(TYPES.SmallMoney as never, { value: -214748.3648 }));
  });

  it('keep every digit of a 38-digit decimal', async () => {
    const { ExactDecimal } = await import('../../../harness/engines/mssql-exact-types.js');
    const hex = bytes(ExactDecimal as never, { value: 10n ** 37n + 1n, precision: 38, scale: 0 });
    expect(hex.slice(0, 2)).toBe('01');
    expect(BigInt(`0x${Buffer.from(hex.slice(2), 'hex').reverse().toString('hex')}`)).toBe(10n ** 37n + 1n);
  });
});
