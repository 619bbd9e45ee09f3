import type { QualifiedName } from '../catalog.js';
import type { CopyFormat } from './engine.js';
import type { CopyTask } from '../tasks.js';

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

export function columnListSql(columns: readonly { name: string }[]): string {
  return columns.map((c) => quoteIdent(c.name)).join(', ');
}

/** `WHERE key >= from AND key < to` for a part of a table; empty for a whole table. */
export function rangePredicateSql(task: CopyTask): string {
  const r = task.range;
  if (!r) return '';
  const parts: string[] = [];
  if (r.from !== undefined) parts.push(`${quoteIdent(r.column)} >= ${quoteLiteral(r.from)}`);
  if (r.to !== undefined) parts.push(`${quoteIdent(r.column)} < ${quoteLiteral(r.to)}`);
  return parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '';
}

export function selectSql(task: CopyTask): string {
  return `SELECT ${columnListSql(task.columns)} FROM ${tableSql(task.source)}${rangePredicateSql(task)}`;
}

function copyOptions(format: CopyFormat): string {
  return format === 'text' ? '' : ` (FORMAT ${format})`;
}

/** A whole table uses the `COPY table TO` form, which skips the executor's per-row projection. */
export function copyOutSql(task: CopyTask, format: CopyFormat): string {
  const source = task.range
    ? `(${selectSql(task)})`
    : `${tableSql(task.source)} (${columnListSql(task.columns)})`;
  return `COPY ${source} TO STDOUT${copyOptions(format)}`;
}

export function copyInSql(task: CopyTask, format: CopyFormat): string {
  return `COPY ${tableSql(task.target)} (${columnListSql(task.columns)}) FROM STDIN${copyOptions(format)}`;
}

/** The protocol caps a statement at 65,535 bind parameters (Int16 count in the Bind message). */
export const MAX_BIND_PARAMETERS = 65_535;

export function rowsPerInsert(columnCount: number, batchSize: number): number {
  return Math.max(1, Math.min(batchSize, Math.floor(MAX_BIND_PARAMETERS / Math.max(1, columnCount))));
}

export function insertSql(target: QualifiedName, columns: readonly { name: string }[], rows: number): string {
  const n = columns.length;
  const tuples: string[] = new Array<string>(rows);
  for (let r = 0; r < rows; r++) {
    const params: string[] = new Array<string>(n);
    for (let c = 0; c < n; c++) params[c] = `$${r * n + c + 1}`;
    tuples[r] = `(${params.join(',')})`;
  }
  return `INSERT INTO ${tableSql(target)} (${columnListSql(columns)}) VALUES ${tuples.join(',')}`;
}

/**
 * Row count and an order-independent checksum in one scan: the 64-bit hash of each row's text form,
 * summed (sum(int8) accumulates in 128 bits, so it cannot overflow). The text form of a row keeps NULL
 * apart from '' and depends only on the values, given the session settings fixed in postgres.ts.
 * pgcopydb's `compare data` uses the same idea with hashtext().
 */
export function fingerprintSql(table: QualifiedName, columns: readonly string[]): string {
  const row = `ROW(${columns.map(quoteIdent).join(', ')})::text`;
  return `SELECT count(*)::int8 AS rows, coalesce(sum(hashtextextended(${row}, 0)), 0)::text AS checksum FROM ${tableSql(table)}`;
}
