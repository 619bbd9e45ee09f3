import type { Connection } from 'tedious';
import { TYPES } from 'tedious';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../harness/model/database.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { connectClient, errorNumbers, failure, run, type Param } from './client.js';
import { allTypesTable, createTargetTableSql, selectTargetSql, TARGET_COLUMNS } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';

/**
 * The TDS test server as a SQL Server target, driven by tedious the way a target writer drives it:
 * schemas and tables created at run time, INSERT through sp_executesql with typed parameters and
 * SQL Server's implicit conversions, constraints checked on existing rows and reported by bench's
 * introspection, the errors SQL Server raises, and DROP after the foreign keys are found.
 */
let server: TdsTestServer;
let conn: Connection;

beforeAll(async () => {
  server = await TdsTestServer.start({ tables: [allTypesTable()] });
  conn = await connectClient(server);
});

afterAll(async () => {
  conn?.close();
  await server?.close();
  expect(server.stats.internalErrors).toEqual([]);
});

const count = async (table: string) => Number((await run(conn, `SELECT COUNT_BIG(*) AS [rows] FROM ${table}`)).rows[0]![0]);

describe('schemas and tables', () => {
  it('creates a schema once behind IF SCHEMA_ID, and a table with every type that SELECT and introspection see', async () => {
    for (let i = 0; i < 2; i++) await run(conn, "IF SCHEMA_ID(N'tgt') IS NULL EXEC(N'CREATE SCHEMA [tgt]')");
    await run(conn, "IF SCHEMA_ID(N'dbo') IS NULL EXEC(N'CREATE SCHEMA [dbo]')");
    await run(conn, createTargetTableSql('tgt', 'typed'));
    const again = await failure(run(conn, createTargetTableSql('tgt', 'typed')));
    expect([again.number, again.message]).toEqual([2714, "There is already an object named 'typed' in the database."]);
    const noSchema = await failure(run(conn, 'CREATE TABLE [nope].[t] ([a] int)'));
    expect(noSchema.number).toBe(2760);
    expect((await run(conn, selectTargetSql('tgt', 'typed'))).rows).toEqual([]);

    const source = await mssqlEngine.connect(server.url(), { role: 'source', poolSize: 2, applicationName: 'x' });
    try {
      const t = (await source.introspect(['tgt.typed'])).tables[0]!;
      const byName = Object.fromEntries(t.columns.map((c) => [c.name, [c.nativeType, c.nullable]]));
      expect(byName).toMatchObject({
        id: ['int', false], c_dec: ['decimal(38,10)', true], c_float24: ['real', true], c_float: ['float', true],
        c_time3: ['time(3)', true], c_dto: ['datetimeoffset(7)', true], c_varchar_max: ['varchar(max)', true],
        c_nchar: ['nchar(3)', true], c_binary: ['binary(4)', true], c_xml: ['xml', true], c_image: ['image', true],
      });
      expect(t.columns.map((c) => c.name)).toEqual(['id', ...TARGET_COLUMNS.map(([n]) => n)]);
      expect(t.estimatedRows).toBe(0);
    } finally {
      await source.close();
    }
  });
});

describe('INSERT through sp_executesql', () => {
  const nv = (name: string, value: string | null, max = false): Param => [name, TYPES.NVarChar, value, { length: max ? Infinity : 4000 }];
  const vb = (name: string, value: Buffer | null, max = false): Param => [name, TYPES.VarBinary, value, { length: max ? Infinity : 8000 }];
  const insert = (values: readonly Param[]) =>
    run(conn, `INSERT INTO [tgt].[typed] ([id], ${TARGET_COLUMNS.map(([n]) => `[${n}]`).join(', ')}) VALUES (${values.map((p) => `@${p[0]}`).join(', ')})`, values);

  it('converts typed parameters to every column type the way SQL Server does, and reads them back exactly', async () => {
    const row1: Param[] = [
      ['id', TYPES.Int, 1], ['p1', TYPES.TinyInt, 255], ['p2', TYPES.SmallInt, -32768], ['p3', TYPES.Int, -2147483648],
      ['p4', TYPES.BigInt, 9223372036854775807n], ['p5', TYPES.Bit, true], nv('p6', '-1234567890123456789012345678.0123456789'),
      nv('p7', '12345.678951'), nv('p8', '922337203685477.5807'), nv('p9', '-214748.3648'), ['p10', TYPES.Real, 3.14159],
      ['p11', TYPES.Float, 2.718281828459045], ['p12', TYPES.Real, 1.5], nv('p13', '0001-01-01'), nv('p14', '23:59:58.1234567'),
      nv('p15', '12:34:56.7895'), nv('p16', '2024-02-29 13:14:15.125'), nv('p17', '2020-01-02 03:04:05.123456'),
      nv('p18', '2020-01-02 03:04:05.5'), nv('p19', '2020-06-15 10:30:29.999'), nv('p20', '2020-01-02 03:04:05.5+02:00'),
      nv('p21', 'ab'), nv('p22', 'café tab\there'), nv('p23', 'x'.repeat(9000), true), nv('p24', 'ü'), nv('p25', 'emoji 😀 "q"'),
      nv('p26', 'y'.repeat(5000), true), nv('p27', 'old text'), nv('p28', 'old ж ntext'), nv('p29', '6F9619FF-8B86-D011-B42D-00C04FC964FF'),
      vb('p30', Buffer.from([1, 2, 3, 4])), vb('p31', Buffer.from([0, 255, 16])), vb('p32', Buffer.alloc(9000, 0xab), true),
      vb('p33', Buffer.from([0xca, 0xfe])), nv('p34', '<a b="1">text</a>'),
    ];
    const row2: Param[] = row1.map(([name, type, , options]) => [name, type, name === 'id' ? 2 : null, options]);
    // Numbers, bits and odd text forms into other column types.
    const row3: Param[] = row1.map(([name, type, , options]) => [name, type, null, options]);
    const set = (name: string, p: Param) => (row3[row3.findIndex((x) => x[0] === name)] = p);
    set('id', ['id', TYPES.Int, 3]);
    set('p1', ['p1', TYPES.Bit, true]);
    set('p3', ['p3', TYPES.NVarChar, ' 42 ', { length: 4000 }]);
    set('p5', ['p5', TYPES.NVarChar, 'false', { length: 4000 }]);
    set('p6', ['p6', TYPES.Float, 12345.678901]);
    set('p7', ['p7', TYPES.Int, 7]);
    set('p8', ['p8', TYPES.BigInt, 5n]);
    set('p11', ['p11', TYPES.Int, 10]);
    set('p13', nv('p13', '2020-01-02 03:04:05.123'));
    set('p14', nv('p14', '2020-01-02T03:04:05.1234567'));
    set('p17', nv('p17', '2020-01-02T03:04:05Z'));
    set('p20', nv('p20', '2020-01-02 03:04:05'));
    set('p22', ['p22', TYPES.Int, 42]);
    set('p25', ['p25', TYPES.Float, 0.1]);
    set('p24', nv('p24', 'ab   '));
    set('p29', nv('p29', '{6F9619FF-8B86-D011-B42D-00C04FC964FF}'));
    set('p27', nv('p27', 'naïve ☃'));

    expect((await insert(row1)).rowCount).toBe(1);
    expect((await insert(row2)).rowCount).toBe(1);
    expect((await insert(row3)).rowCount).toBe(1);

    const rows = (await run(conn, selectTargetSql('tgt', 'typed'))).rows;
    const names = ['id', ...TARGET_COLUMNS.map(([n]) => n)];
    const [r1, r2, r3] = rows.map((r) => Object.fromEntries(r.map((v, i) => [names[i], v])));
    expect(r1).toEqual({
      id: 1, c_tinyint: 255, c_smallint: -32768, c_int: -2147483648, c_bigint: '9223372036854775807', c_bit: true,
      c_dec: '-1234567890123456789012345678.0123456789', c_num: '12345.6790', c_money: '922337203685477.5807', c_smallmoney: '-214748.3648',
      c_real: Math.fround(3.14159), c_float: 2.718281828459045, c_float24: 1.5, c_date: '0001-01-01', c_time: '23:59:58.1234567',
      c_time3: '12:34:56.790', c_datetime: '2024-02-29 13:14:15.127', c_dt2: '2020-01-02 03:04:05.1234560', c_dt2_0: '2020-01-02 03:04:06',
      c_sdt: '2020-06-15 10:31:00', c_dto: '2020-01-02 03:04:05.5000000 +02:00', c_char: 'ab   ', c_varchar: 'café tab\there',
      c_varchar_max: 'x'.repeat(9000), c_nchar: 'ü  ', c_nvarchar: 'emoji 😀 "q"', c_nvarchar_max: 'y'.repeat(5000), c_text: 'old text',
      c_ntext: 'old ж ntext', c_uuid: '6f9619ff-8b86-d011-b42d-00c04fc964ff', c_binary: Buffer.from([1, 2, 3, 4]),
      c_varbinary: Buffer.from([0, 255, 16]), c_varbinary_max: Buffer.alloc(9000, 0xab), c_image: Buffer.from([0xca, 0xfe]),
      c_xml: '<a b="1">text</a>',
    });
    expect(Object.entries(r2!).filter(([k, v]) => k !== 'id' && v !== null)).toEqual([]);
    expect(r3).toMatchObject({
      id: 3, c_tinyint: 1, c_int: 42, c_bit: false, c_dec: '12345.6789010000', c_num: '7.0000', c_money: '5.0000', c_float: 10,
      c_date: '2020-01-02', c_time: '03:04:05.1234567', c_dt2: '2020-01-02 03:04:05.0000000', c_dto: '2020-01-02 03:04:05.0000000 +00:00',
      c_varchar: '42', c_nvarchar: '0.1', c_nchar: 'ab ', c_uuid: '6f9619ff-8b86-d011-b42d-00c04fc964ff', c_text: 'naïve ?',
    });
    // The offset is kept: the instant of 03:04:05.5+02:00 is 01:04:05.5 UTC.
    const dto = (await run(conn, 'SELECT [c_dto] FROM [tgt].[typed] WHERE [id] = CAST(@k AS int)', [nv('k', '1')])).rows[0]![0] as Date;
    expect(dto.toISOString()).toBe('2020-01-02T01:04:05.500Z');
    expect(server.catalog.find({ schema: 'tgt', name: 'typed' })!.rows).toHaveLength(3);
  });

  it('inserts 1000 rows of 2 parameters in one statement and counts them; 1001 rows is SQL Server error 10738', async () => {
    await run(conn, 'CREATE TABLE [tgt].[many] ([id] int NOT NULL, [s] nvarchar(max) NULL)');
    const values = (n: number) => Array.from({ length: n }, (_, i) => `(@p${2 * i}, @p${2 * i + 1})`).join(', ');
    const params = (n: number, from: number): Param[] =>
      Array.from({ length: n }, (_, i): Param[] => [[`p${2 * i}`, TYPES.Int, from + i], nv(`p${2 * i + 1}`, `row ${from + i}`)]).flat();
    expect((await run(conn, `INSERT INTO [tgt].[many] ([id], [s]) VALUES ${values(1000)}`, params(1000, 1))).rowCount).toBe(1000);
    const tooMany = await failure(run(conn, `INSERT INTO [tgt].[many] ([id], [s]) VALUES ${values(1001)}`, params(1001, 5000)));
    expect(tooMany.number).toBe(10738);
    expect(await count('[tgt].[many]')).toBe(1000);
  });

  it('takes literal VALUES in a plain batch', async () => {
    await run(conn, 'CREATE TABLE [tgt].[literals] ([id] int NOT NULL, [s] nvarchar(10) NULL, [b] varbinary(4) NULL, [d] decimal(5,2) NULL)');
    const r = await run(conn, "INSERT INTO [tgt].[literals] ([id], [s], [b], [d]) VALUES (-5, N'it''s', 0x0102, 2.5), (7.9, NULL, NULL, -0.125)");
    expect(r.rowCount).toBe(2);
    expect((await run(conn, 'SELECT [id], [s], [b], [d] FROM [tgt].[literals]')).rows).toEqual([
      [-5, "it's", Buffer.from([1, 2]), 2.5],
      [7, null, null, -0.13],
    ]);
  });
});

describe('SQL Server errors on INSERT', () => {
  const nv = (name: string, value: string | null): Param => [name, TYPES.NVarChar, value, { length: 4000 }];

  beforeAll(async () => {
    await run(conn, 'CREATE TABLE [tgt].[strict] ([id] int NOT NULL, [n] bigint NULL, [d] datetime2(3) NULL, [u] uniqueidentifier NULL, [s] nvarchar(5) NULL, [v] varchar(3) NULL, [b] varbinary(2) NULL)');
  });

  it.each([
    ['text into int', 245, 'id', nv('p', 'abc'), "Conversion failed when converting the nvarchar value 'abc' to data type int."],
    ['an int out of range', 248, 'id', nv('p', '99999999999'), "The conversion of the nvarchar value '99999999999' overflowed an int column."],
    ['text into bigint', 8114, 'n', nv('p', '1.5'), 'Error converting data type nvarchar to bigint.'],
    ['a bad date', 241, 'd', nv('p', '2021-02-29'), 'Conversion failed when converting date and/or time from character string.'],
    ['a bad uniqueidentifier', 8169, 'u', nv('p', 'not-a-guid'), 'Conversion failed when converting from a character string to uniqueidentifier.'],
    ['too long nvarchar', 2628, 's', nv('p', 'abcdef'), "String or binary data would be truncated in table 'bench.tgt.strict', column 's'. Truncated value: 'abcde'."],
    ['too long varchar', 2628, 'v', nv('p', 'abcd'), "String or binary data would be truncated in table 'bench.tgt.strict', column 'v'. Truncated value: 'abc'."],
    ['text into varbinary', 257, 'b', nv('p', 'ab'), 'Implicit conversion from data type nvarchar to varbinary(2) is not allowed. Use the CONVERT function to run this query.'],
  ] as const)('%s: error %i', async (_, number, column, param, message) => {
    const sql = column === 'id' ? 'INSERT INTO [tgt].[strict] ([id]) VALUES (@p)' : `INSERT INTO [tgt].[strict] ([id], [${column}]) VALUES (1, @p)`;
    const err = await failure(run(conn, sql, [param]));
    expect([err.number, err.message]).toEqual([number, message]);
    expect(await count('[tgt].[strict]')).toBe(0);
  });

  it('NULL into NOT NULL is 515 followed by the 3621 INFO; trailing spaces beyond the length are dropped silently', async () => {
    const err = await failure(run(conn, 'INSERT INTO [tgt].[strict] ([id], [s]) VALUES (@a, @b)', [nv('a', null), nv('b', 'x')]));
    expect([err.number, err.message, err.infos]).toEqual([
      515,
      "Cannot insert the value NULL into column 'id', table 'bench.tgt.strict'; column does not allow nulls. INSERT fails.",
      [3621],
    ]);
    await run(conn, 'INSERT INTO [tgt].[strict] ([id], [s]) VALUES (@a, @b)', [nv('a', '1'), nv('b', 'abc      ')]);
    expect((await run(conn, 'SELECT [s] FROM [tgt].[strict]')).rows).toEqual([['abc  ']]);
  });
});

describe('constraints, indexes and introspection', () => {
  const nv = (name: string, value: string | null): Param => [name, TYPES.NVarChar, value, { length: 4000 }];
  let source: Database;

  beforeAll(async () => {
    await run(conn, 'CREATE TABLE [tgt].[parent] ([id] int NOT NULL, [code] nvarchar(10) NOT NULL, [note] nvarchar(max) NULL)');
    await run(conn, 'CREATE TABLE [tgt].[child] ([id] bigint NOT NULL, [parent_id] int NULL, [qty] int NULL)');
    await run(conn, "INSERT INTO [tgt].[parent] ([id], [code], [note]) VALUES (3, N'c', NULL), (1, N'a', N'first'), (2, N'B', NULL)");
    await run(conn, 'INSERT INTO [tgt].[child] ([id], [parent_id], [qty]) VALUES (30, 3, 1), (10, 1, 5), (20, NULL, 7), (40, 2, 0)');
    source = await mssqlEngine.connect(server.url(), { role: 'source', poolSize: 2, applicationName: 'x' });
  });

  afterAll(async () => {
    await source?.close();
  });

  it('refuses a primary key over a nullable column (8111 then 1750, as an AggregateError from tedious)', async () => {
    const err = await failure(run(conn, 'ALTER TABLE [tgt].[child] ADD CONSTRAINT [PK_bad] PRIMARY KEY ([parent_id])'));
    expect(err).toBeInstanceOf(AggregateError);
    expect(errorNumbers(err)).toEqual([8111, 1750]);
    expect((err as AggregateError).errors[0].message).toBe("Cannot define PRIMARY KEY constraint on nullable column in table 'child'.");
  });

  it('refuses a unique key over duplicate values (1505), ignoring case as the collation does', async () => {
    await run(conn, "INSERT INTO [tgt].[parent] ([id], [code]) VALUES (4, N'b')");
    const index = await failure(run(conn, 'CREATE UNIQUE INDEX [UX_code] ON [tgt].[parent] ([code])'));
    expect([index.number, index.message, index.infos]).toEqual([
      1505,
      "The CREATE UNIQUE INDEX statement terminated because a duplicate key was found for the object name 'tgt.parent' and the index name 'UX_code'. The duplicate key value is (b).",
      [3621],
    ]);
    const constraint = await failure(run(conn, 'ALTER TABLE [tgt].[parent] ADD CONSTRAINT [UQ_code] UNIQUE ([code])'));
    expect(errorNumbers(constraint)).toEqual([1505, 1750]);
  });

  it('refuses a second primary key (1779) and drops one that no foreign key uses', async () => {
    await run(conn, 'INSERT INTO [tgt].[child] ([id], [parent_id]) VALUES (50, 4)');
    await run(conn, 'ALTER TABLE [tgt].[child] ADD CONSTRAINT [PK_child] PRIMARY KEY ([id])');
    const second = await failure(run(conn, 'ALTER TABLE [tgt].[child] ADD CONSTRAINT [PK_other] PRIMARY KEY ([id])'));
    expect(errorNumbers(second)).toEqual([1779, 1750]);
    await run(conn, 'ALTER TABLE [tgt].[child] DROP CONSTRAINT [PK_child]');
    expect(server.catalog.find({ schema: 'tgt', name: 'child' })!.primaryKey).toBeUndefined();
  });

  it('refuses a foreign key with unmatched rows (547) and keys that are no candidate key (1776)', async () => {
    const noKey = await failure(run(conn, 'ALTER TABLE [tgt].[child] ADD CONSTRAINT [FK_child_parent] FOREIGN KEY ([parent_id]) REFERENCES [tgt].[parent] ([id])'));
    expect(errorNumbers(noKey)).toEqual([1776, 1750]);
    await run(conn, 'ALTER TABLE [tgt].[parent] ADD CONSTRAINT [PK_parent] PRIMARY KEY ([id])');
    await run(conn, "INSERT INTO [tgt].[child] ([id], [parent_id]) VALUES (60, 99)");
    const orphan = await failure(run(conn, 'ALTER TABLE [tgt].[child] ADD CONSTRAINT [FK_child_parent] FOREIGN KEY ([parent_id]) REFERENCES [tgt].[parent] ([id])'));
    expect([orphan.number, orphan.message]).toEqual([
      547,
      'The ALTER TABLE statement conflicted with the FOREIGN KEY constraint "FK_child_parent". The conflict occurred in database "bench", table "tgt.parent", column \'id\'.',
    ]);
  });

  it('adds a primary key, unique key, indexes, a foreign key and a check, and bench introspection reports them', async () => {
    await run(conn, "INSERT INTO [tgt].[parent] ([id], [code]) VALUES (99, N'z')");
    await run(conn, "INSERT INTO [tgt].[parent] ([id], [code]) VALUES (5, N'e')");
    await run(conn, 'CREATE UNIQUE INDEX [UX_parent_id_code] ON [tgt].[parent] ([id], [code])');
    await run(conn, 'ALTER TABLE [tgt].[child] ADD CONSTRAINT [PK_child] PRIMARY KEY ([id])');
    await run(conn, 'CREATE INDEX [IX_child_qty] ON [tgt].[child] ([qty], [id])');
    await run(conn, 'ALTER TABLE [tgt].[child] ADD CONSTRAINT [UQ_child_qty_parent] UNIQUE ([qty], [parent_id])');
    await run(conn, 'ALTER TABLE [tgt].[child] ADD CONSTRAINT [FK_child_parent] FOREIGN KEY ([parent_id]) REFERENCES [tgt].[parent] ([id])');
    await run(conn, 'ALTER TABLE [tgt].[child] ADD CONSTRAINT [CK_qty] CHECK ([qty] >= 0 AND ([qty] < 100))');

    const { tables } = await source.introspect(['tgt.parent', 'tgt.child']);
    const [child, parent] = tables;
    expect(parent!.primaryKey).toEqual({ name: 'PK_parent', columns: ['id'] });
    expect(parent!.indexes).toEqual([{ name: 'UX_parent_id_code', columns: ['id', 'code'], unique: true }]);
    expect(child!.primaryKey).toEqual({ name: 'PK_child', columns: ['id'] });
    expect(child!.uniques).toEqual([{ name: 'UQ_child_qty_parent', columns: ['qty', 'parent_id'] }]);
    expect(child!.indexes).toEqual([{ name: 'IX_child_qty', columns: ['qty', 'id'], unique: false }]);
    expect(child!.foreignKeys).toEqual([{ name: 'FK_child_parent', columns: ['parent_id'], references: { schema: 'tgt', name: 'parent' }, refColumns: ['id'] }]);
    expect(child!.estimatedRows).toBe(6);
    expect(server.catalog.find({ schema: 'tgt', name: 'child' })!.checks).toEqual([{ name: 'CK_qty', definition: '([qty] >= 0 AND ([qty] < 100))' }]);

    // Rows inserted out of order are kept in key order: bench's keyset pages read them in order.
    const page = (await run(conn, 'SELECT TOP (3) [id], [parent_id] FROM [tgt].[child] ORDER BY [id]')).rows;
    expect(page).toEqual([['10', 1], ['20', null], ['30', 3]]);
  });

  it('checks keys and foreign keys on INSERT (2627, 2601, 547), all or nothing', async () => {
    const before = await count('[tgt].[child]');
    const dup = await failure(run(conn, 'INSERT INTO [tgt].[child] ([id], [parent_id], [qty]) VALUES (70, 1, 9), (10, 1, 8)'));
    expect([dup.number, dup.message, dup.infos]).toEqual([
      2627,
      "Violation of PRIMARY KEY constraint 'PK_child'. Cannot insert duplicate key in object 'tgt.child'. The duplicate key value is (10).",
      [3621],
    ]);
    const unique = await failure(run(conn, 'INSERT INTO [tgt].[child] ([id], [parent_id], [qty]) VALUES (71, 1, 5)'));
    expect([unique.number, unique.message]).toEqual([2627, "Violation of UNIQUE KEY constraint 'UQ_child_qty_parent'. Cannot insert duplicate key in object 'tgt.child'. The duplicate key value is (5, 1)."]);
    const index = await failure(run(conn, "INSERT INTO [tgt].[parent] ([id], [code]) VALUES (1, N'A')"));
    expect(index.number).toBe(2627); // the primary key is checked first
    const fk = await failure(run(conn, 'INSERT INTO [tgt].[child] ([id], [parent_id]) VALUES (@a, @b)', [nv('a', '80'), nv('b', '12345')]));
    expect([fk.number, fk.message]).toEqual([
      547,
      'The INSERT statement conflicted with the FOREIGN KEY constraint "FK_child_parent". The conflict occurred in database "bench", table "tgt.parent", column \'id\'.',
    ]);
    expect(await count('[tgt].[child]')).toBe(before);
    await run(conn, 'INSERT INTO [tgt].[child] ([id], [parent_id], [qty]) VALUES (80, 5, 50)');
    expect(await count('[tgt].[child]')).toBe(before + 1);
  });
});

describe('DROP with foreign keys', () => {
  const lookup = (tables: string[]) =>
    'SELECT OBJECT_SCHEMA_NAME(fk.parent_object_id) AS [schema], OBJECT_NAME(fk.parent_object_id) AS [table], fk.name AS [name] ' +
    `FROM sys.foreign_keys AS fk WHERE fk.referenced_object_id IN (${tables.map((t) => `OBJECT_ID(N'${t}')`).join(', ')})`;

  it('finds the foreign keys that reference the tables, drops them, then the tables', async () => {
    const found = await run(conn, lookup(['[tgt].[parent]', '[tgt].[gone]', '[tgt].[child]']));
    expect(found.rows).toEqual([['tgt', 'child', 'FK_child_parent']]);
    const blocked = await failure(run(conn, 'DROP TABLE IF EXISTS [tgt].[parent]'));
    expect([blocked.number, blocked.message]).toEqual([3726, "Could not drop object 'tgt.parent' because it is referenced by a FOREIGN KEY constraint."]);
    const notThere = await failure(run(conn, 'ALTER TABLE [tgt].[child] DROP CONSTRAINT [FK_nope]'));
    expect(errorNumbers(notThere)).toEqual([3728, 3727]);
    await run(conn, 'ALTER TABLE [tgt].[child] DROP CONSTRAINT [FK_child_parent]');
    expect((await run(conn, lookup(['[tgt].[parent]']))).rows).toEqual([]);
    await run(conn, 'DROP TABLE IF EXISTS [tgt].[parent]');
    await run(conn, 'DROP TABLE IF EXISTS [tgt].[child]');
    await run(conn, 'DROP TABLE IF EXISTS [tgt].[never_was]');
    const missing = await failure(run(conn, 'DROP TABLE [tgt].[never_was]'));
    expect(missing.number).toBe(3701);
    expect(server.tables.some((t) => t.schema === 'tgt' && (t.name === 'parent' || t.name === 'child'))).toBe(false);
    const gone = await failure(run(conn, 'SELECT [id] FROM [tgt].[parent]'));
    expect(gone.number).toBe(208);
  });

  it('drops a fixture table too, and a dropped table can be created again', async () => {
    await run(conn, 'DROP TABLE IF EXISTS [dbo].[all_types]');
    expect(server.tables.map((t) => t.name)).not.toContain('all_types');
    await run(conn, 'CREATE TABLE [dbo].[all_types] ([id] int NOT NULL)');
    expect(await count('[dbo].[all_types]')).toBe(0);
  });
});
