import { describe, expect, it } from 'vitest';
import type { Column, Table } from '../../../harness/model/catalog.js';
import { literalSelectSql, portableFingerprintSql, selectItemSql as mssqlSelectItem, selectSql } from '../../../harness/engines/mssql-sql.js';
import { converterFor, copyCsvField, copyTextField, portableType } from '../../../harness/engines/mssql-types.js';
import { parseMssqlUrl } from '../../../harness/engines/mssql-url.js';
import { canonicalDecimal, probesFor } from '../../../harness/engines/portable-fingerprint.js';
import { portableFingerprintSql as pgPortableSql } from '../../../harness/engines/postgres-sql.js';
import { tableTasks } from '../../../harness/plan/tasks.js';

const col = (name: string, nativeType: string, portable: Column['portable']): Column => ({ name, nativeType, portable, nullable: true });
const table: Table = {
  schema: 'dbo',
  name: 'odd]name',
  columns: [col('a', 'int', { kind: 'int32' }), col('b', 'varchar(10)', { kind: 'text', length: 10 }), col('m', 'money', { kind: 'money' })],
  primaryKey: { name: 'pk', columns: ['a', 'b'] },
  uniques: [],
  checks: [],
  foreignKeys: [],
  indexes: [],
  estimatedRows: 1,
  estimatedBytes: 1,
};

describe('parseMssqlUrl', () => {
  it('reads user, password, host, port, database and flags; the display has no password', () => {
    const u = parseMssqlUrl('sqlserver://sa:p%40ss@db.local:14330/sales?Encrypt=false&trustServerCertificate=yes');
    expect(u).toMatchObject({ host: 'db.local', port: 14330, user: 'sa', password: 'p@ss', database: 'sales', encrypt: false, trustServerCertificate: true });
    expect(u.display).toBe('mssql://sa@db.local:14330/sales');
  });

  it('defaults: port 1433, database master, encrypt on; an instance name leaves the port to SQL Browser', () => {
    expect(parseMssqlUrl('mssql://sa:x@h')).toMatchObject({ port: 1433, database: 'master', encrypt: true, trustServerCertificate: false });
    const named = parseMssqlUrl('mssql://sa:x@h/db?instance=SQLEXPRESS');
    expect(named.port).toBeUndefined();
    expect(named.display).toBe('mssql://sa@h\\SQLEXPRESS/db');
  });

  it('collects every problem at once', () => {
    expect(() => parseMssqlUrl('mssql://h/db?encrypt=maybe')).toThrow(
      'mssql://@h:1433/db: no user name (mssql://user:password@host/database); bench supports SQL Server logins only; encrypt=maybe is not true, false or strict',
    );
  });
});

describe('mssql-sql', () => {
  it('expands a composite keyset page into a seekable OR, casting parameters to the key types', () => {
    const task = tableTasks([table])[0]!;
    const s = selectSql(task, { keyColumns: ['a', 'b'], after: [5, "x'y"], limit: 100 });
    expect(s.sql).toBe(
      // money as its exact unscaled bigint, not CONVERT text whose format is the server's (issue 17).
      'SELECT TOP (100) [a], [b], CAST(CAST([m] AS decimal(19,4)) * 10000 AS bigint) AS [m] FROM [dbo].[odd]]name] ' +
        'WHERE (([a] > CAST(@k0 AS int)) OR ([a] = CAST(@k0 AS int) AND [b] > CAST(@k1 AS varchar(10)))) ORDER BY [a], [b]',
    );
    expect(s.params).toEqual([
      { name: 'k0', type: 'nvarchar', value: '5' },
      { name: 'k1', type: 'nvarchar', value: "x'y" },
    ]);
    const ranged = selectSql({ ...task, range: { column: 'a', from: '10', to: '20' } });
    expect(ranged.sql).toBe('SELECT [a], [b], CAST(CAST([m] AS decimal(19,4)) * 10000 AS bigint) AS [m] FROM [dbo].[odd]]name] WHERE [a] >= CAST(@r0 AS int) AND [a] < CAST(@r1 AS int)');
  });

  it('inlines a key range as literals of the key type for query-text tools (bcp queryout), quotes doubled', () => {
    const task = tableTasks([table])[0]!;
    expect(literalSelectSql(task)).toBe('SELECT [a], [b], [m] FROM [dbo].[odd]]name]');
    expect(literalSelectSql({ ...task, range: { column: 'a', from: '10', to: '20' } })).toBe(
      "SELECT [a], [b], [m] FROM [dbo].[odd]]name] WHERE [a] >= CAST(N'10' AS int) AND [a] < CAST(N'20' AS int)",
    );
    expect(literalSelectSql({ ...task, range: { column: 'b', to: "x'y" } })).toBe(
      "SELECT [a], [b], [m] FROM [dbo].[odd]]name] WHERE [b] < CAST(N'x''y' AS varchar(10))",
    );
  });

  it('writes the same probes for both engines', () => {
    const probes = probesFor(table.columns);
    expect(portableFingerprintSql(table, probes)).toBe(
      'SELECT COUNT_BIG(*) AS [rows], COUNT_BIG([a]) AS [p0], CONVERT(varchar(48), SUM(CAST([a] AS decimal(38,0)))) AS [p1], ' +
        'COUNT_BIG([b]) AS [p2], SUM(CAST(DATALENGTH(RTRIM(CAST([b] AS nvarchar(max)))) / 2 AS bigint)) AS [p3], ' +
        'COUNT_BIG([m]) AS [p4], CONVERT(varchar(48), SUM(CAST([m] AS decimal(38,4)))) AS [p5] FROM [dbo].[odd]]name]',
    );
    expect(pgPortableSql(table, probes)).toContain('sum("a"::numeric)::text AS "p1"');
  });
});

describe('values', () => {
  it('maps types and converts values to PostgreSQL text', () => {
    expect(portableType({ typeName: 'nvarchar', maxLength: 100, precision: 0, scale: 0 })).toEqual({ kind: 'text', length: 50 });
    expect(portableType({ typeName: 'float', maxLength: 4, precision: 24, scale: 0 })).toEqual({ kind: 'float32' });
    const d = Object.assign(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 999)), { nanosecondsDelta: 0.0009995 });
    expect(converterFor(col('t', 'datetime2(7)', { kind: 'timestamp', precision: 7 }))(d)).toBe('2024-01-02 03:04:06.000000');
    expect(converterFor(col('d', 'decimal(9,2)', { kind: 'decimal', precision: 9, scale: 2 }))(0.1)).toBe('0.10');
  });

  it('reads at SQL Server precision for a SQL Server target: 7 digits, and datetimeoffset as text with its offset', () => {
    const dt2 = col('t', 'datetime2(7)', { kind: 'timestamp', precision: 7 });
    const d = Object.assign(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 999)), { nanosecondsDelta: 0.0009995 });
    expect(converterFor(dt2, 'mssql')(d)).toBe('2024-01-02 03:04:05.9999995');
    const time = col('c', 'time(7)', { kind: 'time', precision: 7 });
    expect(converterFor(time, 'mssql')(Object.assign(new Date(Date.UTC(1970, 0, 1, 23, 59, 58, 123)), { nanosecondsDelta: 0.0004567 }))).toBe('23:59:58.1234567');
    const dto = col('z', 'datetimeoffset(7)', { kind: 'timestamptz', precision: 7 });
    expect(mssqlSelectItem(dto)).toBe('[z]');
    expect(mssqlSelectItem(dto, 'mssql')).toBe('CONVERT(varchar(34), [z], 121) AS [z]');
    expect(converterFor(dto, 'mssql')('2024-03-10 01:30:00.5000000 -08:00')).toBe('2024-03-10 01:30:00.5000000 -08:00');
  });

  it('reads money and decimals exactly: scaled bigints, or strictly parsed text for wide decimals (issue 17)', () => {
    const money = col('m', 'money', { kind: 'money' });
    const d18 = col('d', 'decimal(18,4)', { kind: 'decimal', precision: 18, scale: 4 });
    const d16 = col('n', 'numeric(16,0)', { kind: 'decimal', precision: 16, scale: 0 });
    const d38 = col('w', 'decimal(38,10)', { kind: 'decimal', precision: 38, scale: 10 });
    expect(mssqlSelectItem(d18)).toBe('CAST([d] * 10000 AS bigint) AS [d]');
    expect(mssqlSelectItem(d16)).toBe('CAST([n] AS bigint) AS [n]');
    expect(mssqlSelectItem(d38)).toBe('CONVERT(varchar(48), [w]) AS [w]');
    expect(converterFor(money)('15000')).toBe('1.5000');
    expect(converterFor(money)('-9223372036854775808')).toBe('-922337203685477.5808');
    expect(converterFor(money)('1')).toBe('0.0001');
    expect(converterFor(d16)('-9999999999999999')).toBe('-9999999999999999');
    expect(converterFor(d38)('-1234567890123456789012345678.0123456789')).toBe('-1234567890123456789012345678.0123456789');
    for (const bad of [' 1.5000    ', '1.5000 ', '+1.5', '1,5', '1e5', '', '1.', '.5', 'NaN']) {
      expect(() => converterFor(d38)(bad), bad).toThrow(/is not a decimal number/);
    }
    expect(() => converterFor(d38)('1.12345678901')).toThrow(/does not fit decimal\(38,10\)/);
    expect(() => converterFor(money)(1.5)).toThrow(/is not an integer/);
  });

  it('escapes COPY text and csv fields', () => {
    expect(copyTextField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyTextField(null)).toBe('\\N');
    expect(copyTextField(Buffer.from([0, 255]))).toBe('\\\\x00ff');
    expect(copyTextField(false)).toBe('f');
    expect(copyCsvField('')).toBe('""');
    expect(copyCsvField(null)).toBe('');
    expect(copyCsvField('a,"b"')).toBe('"a,""b"""');
  });

  it('normalises decimals', () => {
    expect(['-0012.3400', '0.000', '-0.0', '5', '.5'].map(canonicalDecimal)).toEqual(['-12.34', '0', '0', '5', '0.5']);
  });
});
