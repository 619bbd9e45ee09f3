/**
 * TEST SERVER CODE (not part of bench): keys and constraints over in-memory rows — duplicate keys
 * (2627/2601 on insert, 1505 when a unique index is built over existing rows), foreign keys (547),
 * and appending rows to a table all-or-nothing, kept in primary-key order (runSelect relies on that
 * order for ORDER BY a key prefix, which bench's keyset pages send).
 */
import type { Catalog } from './tds-catalog.js';
import { SqlError, TERMINATED, type TestTable } from './tds-sql.js';
import { compareValues, dateText, decimalText, isDecimal, localOf, scaleOf, timeText, type DateTimeValue, type SqlType, type SqlValue } from './tds-types.js';

type ForeignKey = NonNullable<TestTable['foreignKeys']>[number];

/** Column positions of `names` in `table`, or SQL Server's 1911 for a name it does not have. */
export function columnIndexes(table: TestTable, names: readonly string[]): number[] {
  return names.map((n) => {
    const i = table.columns.findIndex((c) => c.name.toLowerCase() === n.toLowerCase());
    if (i < 0) throw new SqlError(`Column name '${n}' does not exist in the target table or view.`, 1911);
    return i;
  });
}

/**
 * Equality as an index sees it under SQL_Latin1_General_CP1_CI_AS: text ignores case and trailing
 * spaces, a datetimeoffset compares its UTC instant, and NULLs are equal to each other (a unique
 * index admits one NULL).
 */
function keyPart(v: SqlValue): string {
  if (v === null) return '\u0000';
  if (typeof v === 'string') return `s${v.toLowerCase().replace(/ +$/, '')}`;
  if (Buffer.isBuffer(v)) return `b${v.toString('hex')}`;
  if (typeof v === 'object') return `d${v.days}:${v.ticks}`;
  return `n${String(v)}`;
}

export function keyOf(row: readonly SqlValue[], idx: readonly number[]): string {
  return idx.map((i) => keyPart(row[i] ?? null)).join('\u0001');
}

/** A key as SQL Server shows it in error messages: "(1, abc)". */
export function keyText(table: TestTable, row: readonly SqlValue[], idx: readonly number[]): string {
  return `(${idx.map((i) => valueText(table.columns[i]!.type, row[i] ?? null)).join(', ')})`;
}

function valueText(t: SqlType, v: SqlValue): string {
  if (v === null) return '<NULL>';
  if (typeof v === 'bigint') return isDecimal(t) ? decimalText(v, scaleOf(t)) : v.toString();
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex').toUpperCase()}`;
  if (typeof v === 'number') return t.name === 'date' ? dateText(v) : t.name === 'time' ? timeText(v, scaleOf(t)) : String(v);
  if (typeof v === 'string') return v;
  const local = localOf(v as DateTimeValue);
  return `${dateText(local.days)} ${timeText(local.ticks, scaleOf(t))}`;
}

function rowsOf(t: TestTable): Iterable<readonly SqlValue[]> {
  return typeof t.rows === 'function' ? t.rows() : t.rows;
}

/** The first row whose key repeats an earlier one (in `rows` or in `seen`, which it extends). */
export function findDuplicate(rows: Iterable<readonly SqlValue[]>, idx: readonly number[], seen = new Set<string>()): readonly SqlValue[] | undefined {
  for (const row of rows) {
    const k = keyOf(row, idx);
    if (seen.has(k)) return row;
    seen.add(k);
  }
  return undefined;
}

/** A child row whose foreign key (all of it non-NULL) matches no parent row; NULL in any key column is never checked. */
export function findOrphan(
  rows: Iterable<readonly SqlValue[]>,
  idx: readonly number[],
  parentKeys: ReadonlySet<string>,
): readonly SqlValue[] | undefined {
  for (const row of rows) {
    if (idx.some((i) => row[i] === null)) continue;
    if (!parentKeys.has(keyOf(row, idx))) return row;
  }
  return undefined;
}

export function keySet(rows: Iterable<readonly SqlValue[]>, idx: readonly number[]): Set<string> {
  const s = new Set<string>();
  for (const row of rows) s.add(keyOf(row, idx));
  return s;
}

export function foreignKeyConflict(catalog: Catalog, statement: 'INSERT' | 'ALTER TABLE', fk: ForeignKey, parent: TestTable): SqlError {
  const column = fk.refColumns.length === 1 ? `, column '${fk.refColumns[0]}'` : '';
  return new SqlError(
    `The ${statement} statement conflicted with the FOREIGN KEY constraint "${fk.name}". The conflict occurred in database "${catalog.database}", table "${parent.schema}.${parent.name}"${column}.`,
    547,
    16,
    statement === 'INSERT' ? [TERMINATED] : [],
  );
}

/** The parent's rows for a foreign key of `table` (the table's own new rows count when it references itself). */
function parentRows(catalog: Catalog, table: TestTable, fk: ForeignKey, added: readonly SqlValue[][]): { parent: TestTable; rows: Iterable<readonly SqlValue[]> } {
  const parent = catalog.find(fk.references);
  if (!parent) throw new SqlError(`test server: ${fk.name} references a missing table`, 50000);
  return { parent, rows: parent === table ? [...rowsOf(table), ...added] : rowsOf(parent) };
}

/**
 * Appends `added` (already converted, NULLs checked) to `table`, all or nothing: every unique
 * constraint and index is checked first, and foreign keys when `checkForeignKeys` (INSERT always;
 * a bulk load only WITH (CHECK_CONSTRAINTS), as SQL Server does).
 */
export function appendRows(catalog: Catalog, table: TestTable, added: readonly SqlValue[][], checkForeignKeys: boolean): void {
  if (typeof table.rows === 'function') throw new SqlError(`test server: ${table.schema}.${table.name} is generated and read-only`, 50000);
  const object = `${table.schema}.${table.name}`;
  const uniques: { idx: number[]; error: (row: readonly SqlValue[], idx: number[]) => SqlError }[] = [];
  if (table.primaryKey) {
    const name = table.primaryKey.name;
    uniques.push({
      idx: columnIndexes(table, table.primaryKey.columns),
      error: (row, idx) => new SqlError(`Violation of PRIMARY KEY constraint '${name}'. Cannot insert duplicate key in object '${object}'. The duplicate key value is ${keyText(table, row, idx)}.`, 2627, 14, [TERMINATED]),
    });
  }
  for (const u of table.uniques ?? []) {
    uniques.push({
      idx: columnIndexes(table, u.columns),
      error: (row, idx) => new SqlError(`Violation of UNIQUE KEY constraint '${u.name}'. Cannot insert duplicate key in object '${object}'. The duplicate key value is ${keyText(table, row, idx)}.`, 2627, 14, [TERMINATED]),
    });
  }
  for (const ix of (table.indexes ?? []).filter((x) => x.unique)) {
    uniques.push({
      idx: columnIndexes(table, ix.columns),
      error: (row, idx) => new SqlError(`Cannot insert duplicate key row in object '${object}' with unique index '${ix.name}'. The duplicate key value is ${keyText(table, row, idx)}.`, 2601, 14, [TERMINATED]),
    });
  }
  for (const u of uniques) {
    const dup = findDuplicate(added, u.idx, keySet(table.rows as SqlValue[][], u.idx));
    if (dup) throw u.error(dup, u.idx);
  }
  if (checkForeignKeys) {
    for (const fk of table.foreignKeys ?? []) {
      const { parent, rows } = parentRows(catalog, table, fk, added);
      const orphan = findOrphan(added, columnIndexes(table, fk.columns), keySet(rows, columnIndexes(parent, fk.refColumns)));
      if (orphan) throw foreignKeyConflict(catalog, 'INSERT', fk, parent);
    }
  }
  const stored = table.rows as SqlValue[][];
  const before = stored.length;
  for (const row of added) stored.push(row);
  if (table.primaryKey) keepKeyOrder(table, stored, before);
}

/** Sorts the rows by the primary key unless the appended ones already follow the existing ones in order. */
export function keepKeyOrder(table: TestTable, rows: SqlValue[][], from = 0): void {
  const idx = columnIndexes(table, table.primaryKey!.columns);
  const compare = (a: readonly SqlValue[], b: readonly SqlValue[]) => {
    for (const i of idx) {
      const c = compareValues(table.columns[i]!.type, a[i] ?? null, b[i] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  };
  for (let i = Math.max(1, from); i < rows.length; i++) {
    if (compare(rows[i - 1]!, rows[i]!) > 0) {
      rows.sort(compare);
      return;
    }
  }
}
