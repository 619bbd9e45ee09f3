import type { Table } from '../model/catalog.js';
import type { KeyRange } from '../model/task.js';
import { rangesBetween, splitBounds } from './key-ranges.js';
import type { ResultRow } from './mssql-introspect.js';
import { countSql, keyAtSql, keyBoundsSql } from './mssql-sql.js';

/** Key kinds split by value range, and those split at boundaries read in key order. */
const INTEGER_KEYS = new Set(['int16', 'int32', 'int64']);
const ORDERED_KEYS = new Set(['decimal', 'date', 'time', 'timestamp', 'timestamptz', 'text', 'uuid']);

/**
 * Key ranges of a SQL Server table by its primary key's first column (pgcopydb's same-table split; issue
 * 17): an integer one by its value range (MIN/MAX, then equal widths); another orderable one at the key
 * values of every n/parts-th row in key order, read from the server. None (an empty list: the table is
 * copied whole) without a primary key, or with a first key column that has no usable order here (binary,
 * bit, float, money, xml). Any boundaries give an exact cover, since the ranges are contiguous; good
 * ones only balance the parts.
 */
export async function keyRanges(table: Table, parts: number, run: (sql: string) => Promise<ResultRow[][]>): Promise<KeyRange[]> {
  const key = table.columns.find((c) => c.name === table.primaryKey?.columns[0]);
  if (!key || parts < 2) return [];
  if (INTEGER_KEYS.has(key.portable.kind)) {
    const row = (await run(keyBoundsSql(table, key.name)))[0]?.[0];
    if (row?.lo === null || row?.lo === undefined || row.hi === null || row.hi === undefined) return [];
    return splitBounds(key.name, BigInt(String(row.lo)), BigInt(String(row.hi)) + 1n, parts);
  }
  if (!ORDERED_KEYS.has(key.portable.kind)) return [];
  const rows = Number((await run(countSql(table)))[0]?.[0]?.rows ?? 0);
  const boundaries: string[] = [];
  for (let i = 1; i < parts; i++) {
    const offset = Math.floor((rows * i) / parts);
    if (offset <= 0 || offset >= rows) continue;
    const b = (await run(keyAtSql(table, key, offset)))[0]?.[0]?.b;
    if (b !== null && b !== undefined) boundaries.push(String(b));
  }
  return boundaries.length === 0 ? [] : rangesBetween(key.name, boundaries);
}
