import type { Column, QualifiedName } from '../model/catalog.js';
import type { CopyFormat } from '../model/contender.js';
import type { CopyTask } from '../model/task.js';
import type { Probe } from './portable-fingerprint.js';

/**
 * Pure SQL text builders for PostgreSQL. Every identifier is quoted, so awkward names (spaces, quotes,
 * upper case, reserved words, unicode) survive every statement bench sends.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function tableSql(t: QualifiedName): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
}

/**
 * The table's own rows, for every read bench makes: an inheritance parent's SELECT would include its
 * children's rows, which are copied (and validated) as tables of their own.
 */
export function ownRowsSql(t: QualifiedName): string {
  return `ONLY ${tableSql(t)}`;
}

export function columnListSql(columns: readonly { name: string }[]): string {
  return columns.map((c) => quoteIdent(c.name)).join(', ');
}

/** `key >= from AND key < to` for a part of a table (a `ctid` range works the same way). */
function rangeConditions(task: CopyTask): string[] {
  const r = task.range;
  if (!r) return [];
  const parts: string[] = [];
  if (r.from !== undefined) parts.push(`${quoteIdent(r.column)} >= ${quoteLiteral(r.from)}`);
  if (r.to !== undefined) parts.push(`${quoteIdent(r.column)} < ${quoteLiteral(r.to)}`);
  return parts;
}

/** A keyset page: rows after `$1…$n` in key order, at most `limit` of them. */
export interface KeysetPage {
  readonly keyColumns: readonly string[];
  /** True when a previous page's last key is passed as parameters $1…$n. */
  readonly after: boolean;
  readonly limit: number;
}

/** Put in the row-size guard's error by selectSql, so the reader tells it from any other failure. */
export const OVERSIZE_SENTINEL = 'bench-oversize:';

/**
 * The size of a column's value in its text form, where it can be large, computed without detoasting
 * where PostgreSQL allows (octet_length of text and bytea reads the TOAST header only). Types without
 * such a function are bounded by their stored size (pg_column_size: compressed, a lower bound).
 */
function textBytesSql(c: Column): string | undefined {
  const q = quoteIdent(c.name);
  const p = c.portable;
  switch (p.kind) {
    case 'text':
      // varchar(n) / char(n): n characters, at most 4 bytes each; short ones need no guard.
      return p.length !== undefined && p.length <= 4096 ? undefined : `octet_length(${q})::int8`;
    case 'binary':
      return `2 * octet_length(${q})::int8`; // bytea_output = hex: two characters per byte
    case 'xml':
      return `octet_length(${q}::text)::int8`; // xml → text is binary-coercible: no copy
    case 'json':
      return c.nativeType === 'json' ? `octet_length(${q}::text)::int8` : `pg_column_size(${q})::int8`;
    case 'other':
      return `pg_column_size(${q})::int8`;
    default:
      return undefined;
  }
}

/**
 * A WHERE condition that makes the server refuse, before sending it, any row whose wide values add up
 * to more than `maxBytes`: the client would have to hold it whole several times over (issue 16). SQL has
 * no RAISE outside functions, and bench must not create one on the source, so the guard casts a text
 * carrying the sentinel and the column sizes to int: the error (SQLSTATE 22P02) quotes that text.
 * octet_length reads only TOAST headers, so ordinary rows pay a few integer additions.
 */
export function rowSizeGuardSql(columns: readonly Column[], maxBytes: number): string | undefined {
  const sizes = columns.map(textBytesSql).filter((s): s is string => s !== undefined).map((s) => `coalesce(${s}, 0)`);
  if (sizes.length === 0) return undefined;
  return `(CASE WHEN ${sizes.join(' + ')} > ${maxBytes} THEN (${quoteLiteral(OVERSIZE_SENTINEL)} || ${listSql(sizes)})::int END) IS NULL`;
}

/**
 * The sizes as one comma-separated text: concat_ws over at most 99 values at a time, since a function
 * takes at most 100 arguments (a 1,200-column row has hundreds of sized columns).
 */
function listSql(values: readonly string[]): string {
  if (values.length <= 99) return `concat_ws(',', ${values.join(', ')})`;
  const groups: string[] = [];
  for (let i = 0; i < values.length; i += 99) groups.push(listSql(values.slice(i, i + 99)));
  return listSql(groups);
}

/**
 * The column sizes a row-size guard error carries (the guarded columns' in order; the others' are
 * small by type and count 0), or undefined when the error is not the guard's.
 */
export function oversizeOf(message: string, columns: readonly Column[]): { name: string; bytes: number }[] | undefined {
  const at = message.indexOf(OVERSIZE_SENTINEL);
  if (at < 0) return undefined;
  const numbers = message.slice(at + OVERSIZE_SENTINEL.length).match(/^[0-9,]*/)![0].split(',').map(Number);
  let next = 0;
  return columns.map((c) => ({ name: c.name, bytes: textBytesSql(c) === undefined ? 0 : (numbers[next++] ?? 0) }));
}

export function selectSql(task: CopyTask, page?: KeysetPage, options: { maxRowBytes?: number } = {}): string {
  const conditions = rangeConditions(task);
  const guard = options.maxRowBytes === undefined ? undefined : rowSizeGuardSql(task.columns, options.maxRowBytes);
  if (guard) conditions.push(guard);
  let order = '';
  if (page) {
    const keys = page.keyColumns.map(quoteIdent);
    // A row comparison walks a composite primary key in index order: (a, b) > ($1, $2).
    if (page.after) conditions.push(`(${keys.join(', ')}) > (${keys.map((_, i) => `$${i + 1}`).join(', ')})`);
    order = ` ORDER BY ${keys.join(', ')} LIMIT ${page.limit}`;
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `SELECT ${columnListSql(task.columns)} FROM ${ownRowsSql(task.source)}${where}${order}`;
}

function copyOptions(format: CopyFormat, freeze = false): string {
  const options = [...(format === 'text' ? [] : [`FORMAT ${format}`]), ...(freeze ? ['FREEZE'] : [])];
  return options.length ? ` (${options.join(', ')})` : '';
}

/**
 * A whole table uses the `COPY table TO` form, which skips the executor's per-row projection and, like
 * ONLY, never includes an inheritance child's rows.
 */
export function copyOutSql(task: CopyTask, format: CopyFormat): string {
  const source = task.range
    ? `(${selectSql(task)})`
    : `${tableSql(task.source)} (${columnListSql(task.columns)})`;
  return `COPY ${source} TO STDOUT${copyOptions(format)}`;
}

export function copyInSql(task: CopyTask, format: CopyFormat, freeze = false): string {
  return `COPY ${tableSql(task.target)} (${columnListSql(task.columns)}) FROM STDIN${copyOptions(format, freeze)}`;
}

/** The protocol caps a statement at 65,535 bind parameters (Int16 count in the Bind message). */
export const MAX_BIND_PARAMETERS = 65_535;

export function rowsPerInsert(columnCount: number, batchSize: number): number {
  return Math.max(1, Math.min(batchSize, Math.floor(MAX_BIND_PARAMETERS / Math.max(1, columnCount))));
}

/**
 * A GENERATED ALWAYS identity column takes the copied value only with OVERRIDING SYSTEM VALUE (COPY
 * writes it without asking).
 */
export function insertSql(target: QualifiedName, columns: readonly Pick<Column, 'name' | 'identity'>[], rows: number): string {
  const n = columns.length;
  const tuples: string[] = new Array<string>(rows);
  for (let r = 0; r < rows; r++) {
    const params: string[] = new Array<string>(n);
    for (let c = 0; c < n; c++) params[c] = `$${r * n + c + 1}`;
    tuples[r] = `(${params.join(',')})`;
  }
  const overriding = columns.some((c) => c.identity === 'always') ? ' OVERRIDING SYSTEM VALUE' : '';
  return `INSERT INTO ${tableSql(target)} (${columnListSql(columns)})${overriding} VALUES ${tuples.join(',')}`;
}

/**
 * Row count and an order-independent checksum in one scan: the 64-bit hash of each row's text form,
 * summed (sum(int8) accumulates in 128 bits, so it cannot overflow). The text form of a row keeps NULL
 * apart from '' and depends only on the values, given the session settings fixed in postgres.ts.
 * pgcopydb's `compare data` uses the same idea with hashtext().
 */
export function fingerprintSql(table: QualifiedName, columns: readonly string[]): string {
  const row = `ROW(${columns.map(quoteIdent).join(', ')})::text`;
  return `SELECT count(*)::int8 AS rows, coalesce(sum(hashtextextended(${row}, 0)), 0)::text AS checksum FROM ${ownRowsSql(table)}`;
}

/**
 * One probe of the cross-engine fingerprint (portable-fingerprint.ts) as a PostgreSQL aggregate; the
 * T-SQL twin is mssql-sql.ts probeSql. Text lengths count UTF-16 code units, as SQL Server's
 * DATALENGTH/2 does: characters, plus one more for each character outside the BMP.
 */
export function probeSql(probe: Probe): string {
  const c = quoteIdent(probe.column.name);
  const p = probe.column.portable;
  const instant = p.kind === 'timestamptz' ? `(${c} AT TIME ZONE 'UTC')` : c;
  switch (probe.kind) {
    case 'count':
      return `count(${c})`;
    case 'sum':
      return `sum(${c}::numeric)::text`;
    case 'trues':
      return `sum(${c}::int)`;
    case 'chars': {
      // Astral characters counted as the characters a positive class removes: PostgreSQL's regex engine
      // runs the negated class (keep only astral ones) about 13 times slower (10.8 s against 0.85 s on
      // 200,000 strings of 300 characters). A string with fewer than 3 bytes beyond its characters
      // holds no 4-byte (astral) character and skips the regex: most text, ASCII text always.
      const t = `rtrim(${c}::text, ' ')`;
      const astral = `CASE WHEN octet_length(${t}) - char_length(${t}) < 3 THEN 0 ELSE char_length(${t}) - char_length(regexp_replace(${t}, '[\\U00010000-\\U0010FFFF]', '', 'g')) END`;
      return `sum(char_length(${t}) + ${astral})`;
    }
    case 'bytes':
      return `sum(octet_length(${c}))`;
    case 'days':
      return `sum(${c} - date '1970-01-01')`;
    case 'seconds':
      return `sum(floor(extract(epoch FROM ${instant})))`;
    case 'min':
    case 'max': {
      const fn = probe.kind;
      switch (p.kind) {
        case 'float32':
        case 'float64':
          return `${fn}(${c})::float8::text`;
        case 'uuid':
          return `${fn}(${c}::text COLLATE "C")`;
        default:
          return `${fn}(${instant})::text`;
      }
    }
  }
}

export function portableFingerprintSql(table: QualifiedName, probes: readonly Probe[]): string {
  const items = ['count(*)::int8 AS rows', ...probes.map((p) => `${probeSql(p)} AS ${quoteIdent(p.alias)}`)];
  return `SELECT ${items.join(', ')} FROM ${ownRowsSql(table)}`;
}
