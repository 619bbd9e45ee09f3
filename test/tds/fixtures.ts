/**
 * TEST SERVER CODE: in-memory SQL Server tables for the TDS test server, written as SQL Server
 * literals, with the text PostgreSQL must hold after a copy (`pg`: the value as PostgreSQL prints it
 * with bench's session settings, TimeZone=UTC and DateStyle ISO).
 */
import { compareValues, parseType, parseValue, type SqlValue } from './tds-types.js';
import type { TestColumn, TestTable } from './tds-sql.js';

let nextObjectId = 1000;

export function table(
  schema: string,
  name: string,
  columns: readonly [string, string, boolean?][],
  rows: readonly (readonly (string | null)[])[],
  extra: Partial<Pick<TestTable, 'primaryKey' | 'uniques' | 'indexes' | 'foreignKeys'>> = {},
): TestTable {
  const cols: TestColumn[] = columns.map(([n, t, nullable]) => ({ name: n, type: parseType(t), nullable: nullable ?? true }));
  const values = rows.map((r) => r.map((v, i) => parseValue(cols[i]!.type, v)));
  // The test server keeps rows in primary-key order (an ORDER BY the key does not sort): so do fixtures.
  const key = (extra.primaryKey?.columns ?? []).map((k) => cols.findIndex((c) => c.name === k));
  if (key.length > 0) {
    values.sort((a, b) => {
      for (const k of key) {
        const c = compareValues(cols[k]!.type, a[k] ?? null, b[k] ?? null);
        if (c !== 0) return c;
      }
      return 0;
    });
  }
  return {
    schema,
    name,
    objectId: nextObjectId++,
    columns: cols,
    rows: values,
    rowCount: rows.length,
    ...extra,
  };
}

/** A generated table of `count` rows (id bigint primary key, n int, s nvarchar(200)), never held in memory. */
export function bigTable(name: string, count: number): TestTable {
  const columns: TestColumn[] = [
    { name: 'id', type: parseType('bigint'), nullable: false },
    { name: 'n', type: parseType('int'), nullable: true },
    { name: 's', type: parseType('nvarchar(200)'), nullable: true },
  ];
  return {
    schema: 'dbo',
    name,
    objectId: nextObjectId++,
    columns,
    rowCount: count,
    primaryKey: { name: `PK_${name}`, columns: ['id'] },
    rows: function* (): Iterable<SqlValue[]> {
      for (let i = 1; i <= count; i++) yield [BigInt(i), i % 7 === 0 ? null : BigInt((i * 7919) % 100_003), `row ${i} ${'x'.repeat(100 + (i % 13))}`];
    },
  };
}

/**
 * Every type bench maps, one column each: [column, SQL Server type, SQL Server literal, PostgreSQL text].
 * Awkward values on purpose: 38-digit decimals, money beyond 2^53 units, 100 ns fractions that round,
 * years 1 and 9999, a negative offset, tabs, newlines, backslashes, quotes and non-BMP characters.
 */
export const TYPE_CASES: readonly [string, string, string, string][] = [
  ['c_tinyint', 'tinyint', '255', '255'],
  ['c_smallint', 'smallint', '-32768', '-32768'],
  ['c_int', 'int', '-2147483648', '-2147483648'],
  ['c_bigint', 'bigint', '9223372036854775807', '9223372036854775807'],
  ['c_bit', 'bit', '1', 'true'],
  ['c_dec_small', 'decimal(9,2)', '-1234567.89', '-1234567.89'],
  ['c_dec_15', 'decimal(15,5)', '1234567890.12345', '1234567890.12345'],
  ['c_dec_38', 'decimal(38,10)', '-1234567890123456789012345678.0123456789', '-1234567890123456789012345678.0123456789'],
  ['c_numeric', 'numeric(20,0)', '99999999999999999999', '99999999999999999999'],
  ['c_money', 'money', '922337203685477.5807', '922337203685477.5807'],
  ['c_smallmoney', 'smallmoney', '-214748.3648', '-214748.3648'],
  ['c_real', 'real', '3.14159', '3.14159'],
  ['c_float', 'float', '2.718281828459045', '2.718281828459045'],
  ['c_date', 'date', '0001-01-01', '0001-01-01'],
  ['c_time', 'time(7)', '23:59:58.1234567', '23:59:58.123457'],
  ['c_time0', 'time(0)', '12:34:56', '12:34:56'],
  ['c_datetime', 'datetime', '2024-02-29 13:14:15.120', '2024-02-29 13:14:15.12'],
  ['c_datetime2', 'datetime2(7)', '9999-12-31 23:59:59.9999994', '9999-12-31 23:59:59.999999'],
  ['c_datetime2_3', 'datetime2(3)', '1999-01-02 03:04:05.678', '1999-01-02 03:04:05.678'],
  ['c_smalldatetime', 'smalldatetime', '2020-06-15 10:30:00', '2020-06-15 10:30:00'],
  ['c_dto', 'datetimeoffset(7)', '2024-03-10 01:30:00.5000000 -08:00', '2024-03-10 09:30:00.5+00'],
  ['c_char', 'char(5)', 'ab', 'ab'], // character(5) holds 'ab   '; ::text drops the padding
  ['c_varchar', 'varchar(50)', 'caf\u00e9 tab\there', 'caf\u00e9 tab\there'],
  ['c_varchar_max', 'varchar(max)', 'line1\nline2\\back', 'line1\nline2\\back'],
  ['c_nchar', 'nchar(3)', '\u00fc', '\u00fc'],
  ['c_nvarchar', 'nvarchar(20)', 'emoji \u{1F600} "q"', 'emoji \u{1F600} "q"'],
  ['c_nvarchar_max', 'nvarchar(max)', 'x'.repeat(20_000), 'x'.repeat(20_000)],
  ['c_text', 'text', 'old text', 'old text'],
  ['c_ntext', 'ntext', 'old \u0436 ntext', 'old \u0436 ntext'],
  ['c_uuid', 'uniqueidentifier', '6F9619FF-8B86-D011-B42D-00C04FC964FF', '6f9619ff-8b86-d011-b42d-00c04fc964ff'],
  ['c_binary', 'binary(4)', '0x0102', '\\x01020000'],
  ['c_varbinary', 'varbinary(16)', '0x00ff10', '\\x00ff10'],
  ['c_varbinary_max', 'varbinary(max)', `0x${'ab'.repeat(9000)}`, `\\x${'ab'.repeat(9000)}`],
  ['c_image', 'image', '0xcafe', '\\xcafe'],
  ['c_xml', 'xml', '<a b="1">text</a>', '<a b="1">text</a>'],
];

/** The all-types table: row 1 holds TYPE_CASES, row 2 is all NULL, row 3 repeats row 1 with other numbers. */
export function allTypesTable(): TestTable {
  const columns: [string, string, boolean?][] = [['id', 'int', false], ...TYPE_CASES.map(([n, t]) => [n, t] as [string, string])];
  const row1 = ['1', ...TYPE_CASES.map((c) => c[2])];
  const row2 = ['2', ...TYPE_CASES.map(() => null)];
  const row3 = ['3', ...TYPE_CASES.map((c) => c[2])];
  row3[3] = '42';
  return table('dbo', 'all_types', columns, [row1, row2, row3], { primaryKey: { name: 'PK_all_types', columns: ['id'] } });
}

/**
 * A target table as a SQL Server writer would create it: `id int NOT NULL`, then one nullable
 * column per type the test server accepts in CREATE TABLE.
 */
export const TARGET_COLUMNS: readonly [string, string][] = [
  ['c_tinyint', 'tinyint'], ['c_smallint', 'smallint'], ['c_int', 'int'], ['c_bigint', 'bigint'], ['c_bit', 'bit'],
  ['c_dec', 'decimal(38,10)'], ['c_num', 'numeric(12,4)'], ['c_money', 'money'], ['c_smallmoney', 'smallmoney'],
  ['c_real', 'real'], ['c_float', 'float'], ['c_float24', 'float(24)'], ['c_date', 'date'], ['c_time', 'time(7)'],
  ['c_time3', 'time(3)'], ['c_datetime', 'datetime'], ['c_dt2', 'datetime2(7)'], ['c_dt2_0', 'datetime2(0)'],
  ['c_sdt', 'smalldatetime'], ['c_dto', 'datetimeoffset(7)'], ['c_char', 'char(5)'], ['c_varchar', 'varchar(50)'],
  ['c_varchar_max', 'varchar(max)'], ['c_nchar', 'nchar(3)'], ['c_nvarchar', 'nvarchar(20)'], ['c_nvarchar_max', 'nvarchar(max)'],
  ['c_text', 'text'], ['c_ntext', 'ntext'], ['c_uuid', 'uniqueidentifier'], ['c_binary', 'binary(4)'],
  ['c_varbinary', 'varbinary(16)'], ['c_varbinary_max', 'varbinary(max)'], ['c_image', 'image'], ['c_xml', 'xml'],
];

export function createTargetTableSql(schema: string, name: string): string {
  const columns = ['[id] int NOT NULL', ...TARGET_COLUMNS.map(([n, t]) => `[${n}] ${t} NULL`)];
  return `CREATE TABLE [${schema}].[${name}] (${columns.join(', ')})`;
}

/**
 * SELECT of a target table that reads every value exactly: CONVERT to text for the exact numbers
 * and the dates and times (tedious would hand them back as JavaScript numbers and Dates), the
 * column itself for the rest. Styles as SQL Server needs them: money 2 (4 decimals; style 0 shows 2),
 * datetime 121 and smalldatetime 120 (style 0 is 'Feb 29 2024  1:14PM').
 */
export function selectTargetSql(schema: string, name: string): string {
  const asText = new Set(['c_dec', 'c_num', 'c_date', 'c_time', 'c_time3', 'c_dt2', 'c_dt2_0', 'c_dto']);
  const styled: Record<string, number> = { c_money: 2, c_smallmoney: 2, c_datetime: 121, c_sdt: 120 };
  const item = (n: string) =>
    styled[n] !== undefined ? `CONVERT(varchar(48), [${n}], ${styled[n]}) AS [${n}]` : asText.has(n) ? `CONVERT(varchar(48), [${n}]) AS [${n}]` : `[${n}]`;
  const items = ['[id]', ...TARGET_COLUMNS.map(([n]) => item(n))];
  return `SELECT ${items.join(', ')} FROM [${schema}].[${name}] ORDER BY [id]`;
}
