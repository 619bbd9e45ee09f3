import type { Column, QualifiedName } from '../model/catalog.js';
import type { CopyTask } from '../model/task.js';
import { baseTypeName, readFormOf, type RowForm } from './mssql-types.js';
import { sumScale, temporalDigits, type Probe } from './portable-fingerprint.js';

/**
 * T-SQL text builders. Every identifier is bracket-quoted; every value travels as a parameter of
 * sp_executesql, CAST to the key column's own type so that the comparison is column-typed and an
 * index seek stays possible (an nvarchar parameter against a varchar key would convert the column).
 */
export function quoteName(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

export function tableSql(t: QualifiedName): string {
  return `${quoteName(t.schema)}.${quoteName(t.name)}`;
}

/** A parameter of a generated statement: sent as nvarchar (or varbinary for binary keys). */
export interface SqlParam {
  readonly name: string;
  readonly type: 'nvarchar' | 'varbinary';
  readonly value: string | Buffer | null;
}

export interface Statement {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

/**
 * A column as selected for its read form (mssql-types.ts readFormOf): itself; money and decimals of 16
 * to 18 digits as their exact unscaled bigint (money through decimal(19,4), since money × 10,000 would
 * overflow money); wider decimals as CONVERT text (style 0, decimals have no other); for a SQL Server
 * target a datetimeoffset as style 121 text, 'yyyy-mm-dd hh:mi:ss.nnnnnnn +hh:mm', 34 characters at most.
 */
export function selectItemSql(c: Column, form: RowForm = 'postgres'): string {
  const name = quoteName(c.name);
  const read = readFormOf(c, form);
  if (read.kind === 'native') return name;
  if (read.kind === 'scaled') {
    const value = baseTypeName(c.nativeType) === 'money' ? `CAST(${name} AS decimal(19,4))` : name;
    return `CAST(${read.scale > 0 ? `${value} * 1${'0'.repeat(read.scale)}` : value} AS bigint) AS ${name}`;
  }
  if (baseTypeName(c.nativeType) === 'datetimeoffset') return `CONVERT(varchar(34), ${name}, 121) AS ${name}`;
  return `CONVERT(varchar(48), ${name}) AS ${name}`;
}

function isBinary(c: Column | undefined): boolean {
  return c?.portable.kind === 'binary';
}

function paramFor(name: string, c: Column | undefined, value: unknown): { param: SqlParam; ref: string } {
  if (isBinary(c)) {
    return { param: { name, type: 'varbinary', value: value === null ? null : (value as Buffer) }, ref: `@${name}` };
  }
  const text = value === null || value === undefined ? null : typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  return { param: { name, type: 'nvarchar', value: text }, ref: c ? `CAST(@${name} AS ${c.nativeType})` : `@${name}` };
}

export interface KeysetPage {
  readonly keyColumns: readonly string[];
  readonly after?: readonly unknown[];
  readonly limit: number;
}

/**
 * The task's rows: its key range (`key >= from AND key < to`, pgcopydb's split) and, for a keyset
 * page, the rows after the previous page's last key in key order, TOP (limit). A composite key is
 * expanded to `a > @k0 OR (a = @k0 AND b > @k1)`, which SQL Server can seek on (it has no row
 * comparison).
 */
export function selectSql(task: CopyTask, page?: KeysetPage, form: RowForm = 'postgres'): Statement {
  const byName = new Map(task.source.columns.map((c) => [c.name, c]));
  const params: SqlParam[] = [];
  const conditions: string[] = [];
  const r = task.range;
  if (r) {
    const col = byName.get(r.column);
    if (r.from !== undefined) {
      const p = paramFor('r0', col, r.from);
      params.push(p.param);
      conditions.push(`${quoteName(r.column)} >= ${p.ref}`);
    }
    if (r.to !== undefined) {
      const p = paramFor('r1', col, r.to);
      params.push(p.param);
      conditions.push(`${quoteName(r.column)} < ${p.ref}`);
    }
  }
  let order = '';
  let top = '';
  if (page) {
    const keys = page.keyColumns;
    if (page.after) {
      const refs = keys.map((k, i) => {
        const p = paramFor(`k${i}`, byName.get(k), page.after![i]);
        params.push(p.param);
        return p.ref;
      });
      const alternatives = keys.map((k, i) => {
        const equal = keys.slice(0, i).map((e, j) => `${quoteName(e)} = ${refs[j]}`);
        return [...equal, `${quoteName(k)} > ${refs[i]}`].join(' AND ');
      });
      conditions.push(alternatives.length === 1 ? alternatives[0]! : `(${alternatives.map((a) => `(${a})`).join(' OR ')})`);
    }
    top = `TOP (${page.limit}) `;
    order = ` ORDER BY ${keys.map(quoteName).join(', ')}`;
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  return { sql: `SELECT ${top}${task.columns.map((c) => selectItemSql(c, form)).join(', ')} FROM ${tableSql(task.source)}${where}${order}`, params };
}

/** A key's lowest and highest value as text (integer keys: their value range is split, key-ranges.ts). */
export function keyBoundsSql(t: QualifiedName, column: string): string {
  const c = quoteName(column);
  return `SELECT CONVERT(varchar(20), MIN(${c})) AS [lo], CONVERT(varchar(20), MAX(${c})) AS [hi] FROM ${tableSql(t)}`;
}

/**
 * The key value at one row position in key order, as text the key's CAST reads back exactly (style 121
 * for dates and times: every fractional digit and a datetimeoffset's offset). OFFSET/FETCH rather than
 * ROW_NUMBER(): one narrow ordered scan of the key's index per boundary, and nothing but SQL Server 2012's
 * core syntax.
 */
export function keyAtSql(t: QualifiedName, key: Column, offset: number): string {
  const c = quoteName(key.name);
  const temporal = ['date', 'time', 'timestamp', 'timestamptz'].includes(key.portable.kind);
  return `SELECT CONVERT(nvarchar(4000), ${c}${temporal ? ', 121' : ''}) AS [b] FROM ${tableSql(t)} ORDER BY ${c} OFFSET ${offset} ROWS FETCH NEXT 1 ROWS ONLY`;
}

/**
 * The task's rows as one self-contained SELECT, for tools that take a query text and no parameters
 * (`bcp … queryout`): the columns by name, unconverted (the tool reads their native types, unlike
 * selectItemSql's text for tedious), and the key range inlined as literals CAST to the key column's
 * own type, so the comparison stays column-typed and an index seek possible, as in selectSql.
 */
export function literalSelectSql(task: CopyTask): string {
  const conditions: string[] = [];
  const r = task.range;
  if (r) {
    const col = task.source.columns.find((c) => c.name === r.column);
    if (isBinary(col)) throw new Error(`${task.id}: a key range on the binary column ${r.column} cannot be written as a literal`);
    const literal = (v: string) => {
      const text = `N'${v.replace(/'/g, "''")}'`;
      return col ? `CAST(${text} AS ${col.nativeType})` : text;
    };
    if (r.from !== undefined) conditions.push(`${quoteName(r.column)} >= ${literal(r.from)}`);
    if (r.to !== undefined) conditions.push(`${quoteName(r.column)} < ${literal(r.to)}`);
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `SELECT ${task.columns.map((c) => quoteName(c.name)).join(', ')} FROM ${tableSql(task.source)}${where}`;
}

/**
 * Catalog queries, sent as one batch (one round trip) with four result sets. Only user tables
 * (is_ms_shipped = 0). Sizes are not here but in SIZE_QUERIES: they are estimates, and a server
 * without the views they read must still be copied (issue 17). Check constraints are not read: their
 * T-SQL definitions do not carry over to PostgreSQL.
 */
export const INTROSPECT_BATCH = `SET NOCOUNT ON;
SELECT t.object_id AS object_id, s.name AS schema_name, t.name AS table_name
FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id
WHERE t.is_ms_shipped = 0
ORDER BY s.name, t.name;
SELECT c.object_id AS object_id, c.column_id AS column_id, c.name AS column_name, TYPE_NAME(c.system_type_id) AS type_name,
  ty.name AS declared_type, c.max_length AS max_length, c.precision AS precision, c.scale AS scale,
  c.is_nullable AS is_nullable, c.is_computed AS is_computed, cc.definition AS computed_definition
FROM sys.columns c
JOIN sys.tables t ON t.object_id = c.object_id
JOIN sys.types ty ON ty.user_type_id = c.user_type_id
LEFT JOIN sys.computed_columns cc ON cc.object_id = c.object_id AND cc.column_id = c.column_id
WHERE t.is_ms_shipped = 0
ORDER BY c.object_id, c.column_id;
SELECT i.object_id AS object_id, i.name AS index_name, i.is_primary_key AS is_primary_key,
  i.is_unique_constraint AS is_unique_constraint, i.is_unique AS is_unique, c.name AS column_name
FROM sys.indexes i
JOIN sys.tables t ON t.object_id = i.object_id
JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
WHERE t.is_ms_shipped = 0 AND i.type IN (1, 2) AND i.is_hypothetical = 0 AND ic.is_included_column = 0 AND i.has_filter = 0
ORDER BY i.object_id, i.index_id, ic.key_ordinal;
SELECT fk.parent_object_id AS object_id, fk.name AS fk_name, rs.name AS ref_schema, rt.name AS ref_table,
  pc.name AS column_name, rc.name AS ref_column_name
FROM sys.foreign_keys fk
JOIN sys.tables t ON t.object_id = fk.parent_object_id
JOIN sys.foreign_key_columns fkc ON fkc.constraint_object_id = fk.object_id
JOIN sys.columns pc ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id
JOIN sys.columns rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
JOIN sys.tables rt ON rt.object_id = fk.referenced_object_id
JOIN sys.schemas rs ON rs.schema_id = rt.schema_id
WHERE t.is_ms_shipped = 0
ORDER BY fk.parent_object_id, fk.name, fkc.constraint_column_id;`;

/**
 * Row and size estimates of the user tables (object_id, estimated_rows, estimated_bytes), the heap or
 * clustered index only (index_id 0 or 1), like sp_spaceused's "data". Tried in order until one runs:
 * sys.allocation_units (what sp_spaceused reads), sys.dm_db_partition_stats (needs VIEW DATABASE
 * STATE), then sys.partitions' row counts alone (`bytes: false`: sizes are then estimated from the
 * declared column widths, mssql-introspect.ts).
 */
export const SIZE_QUERIES: readonly { readonly source: string; readonly bytes: boolean; readonly sql: string }[] = [
  {
    source: 'sys.allocation_units',
    bytes: true,
    sql: `SELECT t.object_id AS object_id,
  (SELECT SUM(p.rows) FROM sys.partitions p WHERE p.object_id = t.object_id AND p.index_id IN (0, 1)) AS estimated_rows,
  (SELECT SUM(a.total_pages) FROM sys.partitions p JOIN sys.allocation_units a ON a.container_id = p.partition_id
    WHERE p.object_id = t.object_id AND p.index_id IN (0, 1)) * 8192 AS estimated_bytes
FROM sys.tables t WHERE t.is_ms_shipped = 0`,
  },
  {
    source: 'sys.dm_db_partition_stats',
    bytes: true,
    sql: `SELECT ps.object_id AS object_id, SUM(ps.row_count) AS estimated_rows, SUM(ps.reserved_page_count) * 8192 AS estimated_bytes
FROM sys.dm_db_partition_stats ps JOIN sys.tables t ON t.object_id = ps.object_id
WHERE t.is_ms_shipped = 0 AND ps.index_id IN (0, 1) GROUP BY ps.object_id`,
  },
  {
    source: 'sys.partitions',
    bytes: false,
    sql: `SELECT p.object_id AS object_id, SUM(p.rows) AS estimated_rows
FROM sys.partitions p JOIN sys.tables t ON t.object_id = p.object_id
WHERE t.is_ms_shipped = 0 AND p.index_id IN (0, 1) GROUP BY p.object_id`,
  },
];

/** The connect-time check and identity in one round trip. */
export const HELLO_SQL =
  "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS version, @@VERSION AS banner, " +
  "CAST(SERVERPROPERTY('ServerName') AS nvarchar(256)) AS server_name, DB_NAME() AS database_name, " +
  "CAST(SERVERPROPERTY('Edition') AS nvarchar(256)) AS edition, CAST(DATABASEPROPERTYEX(DB_NAME(), 'Recovery') AS nvarchar(60)) AS recovery_model";

export function countSql(t: QualifiedName): string {
  return `SELECT COUNT_BIG(*) AS [rows] FROM ${tableSql(t)}`;
}

/** One probe of the portable fingerprint (portable-fingerprint.ts) as a T-SQL aggregate. */
export function probeSql(probe: Probe): string {
  const c = quoteName(probe.column.name);
  const p = probe.column.portable;
  const digits = temporalDigits(p);
  // The UTC instant of a datetimeoffset, at the target's precision.
  const instant = p.kind === 'timestamptz' ? `CAST(SWITCHOFFSET(${c}, '+00:00') AS datetime2(${digits}))` : `CAST(${c} AS datetime2(${digits}))`;
  switch (probe.kind) {
    case 'count':
      return `COUNT_BIG(${c})`;
    case 'sum':
      return `CONVERT(varchar(48), SUM(CAST(${c} AS decimal(38,${sumScale(p)}))))`;
    case 'trues':
      return `SUM(CAST(${c} AS bigint))`;
    case 'chars':
      return `SUM(CAST(DATALENGTH(RTRIM(CAST(${c} AS nvarchar(max)))) / 2 AS bigint))`;
    case 'bytes':
      return `SUM(CAST(DATALENGTH(${c}) AS bigint))`;
    case 'days':
      return `SUM(CAST(DATEDIFF(day, CAST('1970-01-01' AS date), ${c}) AS bigint))`;
    case 'seconds':
      return `SUM(DATEDIFF_BIG(second, CAST('1970-01-01' AS datetime2(0)), ${instant}))`;
    case 'min':
    case 'max': {
      const fn = probe.kind === 'min' ? 'MIN' : 'MAX';
      switch (p.kind) {
        case 'float32':
        case 'float64':
          return `${fn}(CAST(${c} AS float))`;
        case 'uuid':
          return `${fn}(CONVERT(char(36), ${c}) COLLATE Latin1_General_BIN2)`;
        case 'time':
          return `${fn}(CAST(${c} AS time(${digits})))`;
        case 'timestamp':
        case 'timestamptz':
          return `${fn}(${instant})`;
        default:
          return `${fn}(${c})`;
      }
    }
  }
}

export function portableFingerprintSql(t: QualifiedName, probes: readonly Probe[]): string {
  const items = ['COUNT_BIG(*) AS [rows]', ...probes.map((p) => `${probeSql(p)} AS ${quoteName(p.alias)}`)];
  return `SELECT ${items.join(', ')} FROM ${tableSql(t)}`;
}
