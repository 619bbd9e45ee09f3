/**
 * TEST SERVER CODE (not part of bench): INSERT INTO [s].[t] ([a], [b]) VALUES (@p0, @p1), (@p2, @p3)
 * as a target writer sends it through sp_executesql (up to 1000 rows), or with literals (NULL,
 * numbers, N'text', 0x…) in a plain batch, each optionally inside CAST(… AS type). Each value is
 * converted to its column's type by SQL Server's implicit conversion (tds-convert.ts; a CAST converts
 * by the same rules first); the statement is all or nothing. With departures.noImplicitConversion, a
 * value outside its column's type family is refused (257) unless CAST to the column's type.
 */
import type { Catalog } from './tds-catalog.js';
import { appendRows } from './tds-constraints.js';
import { convertValue, nullError } from './tds-convert.js';
import type { Cursor } from './tds-cursor.js';
import type { Departures } from './tds-departures.js';
import { SqlError, type Outcome, type Param } from './tds-sql.js';
import { isBinary, isChars, type SqlType, type SqlValue } from './tds-types.js';

const MAX_ROWS = 1000;

/** NULL, the keyword: it converts to any type. */
const NULL_LITERAL: Param = { type: { name: 'int' }, value: null };

/** A VALUES item: a parameter or a literal, or CAST(item AS type), with the type SQL Server gives it. */
function operand(c: Cursor, params: ReadonlyMap<string, Param>, target: { table: string; column: string }): Param {
  if (c.isWord('CAST') && c.peek(1)?.v === '(') {
    c.word('CAST');
    c.op('(');
    const inner = operand(c, params, target);
    c.word('AS');
    const type = c.type(target.column, 0);
    c.op(')');
    return { type, value: inner === NULL_LITERAL ? null : convertValue(inner.type, type, inner.value, target) };
  }
  const t = c.next();
  if (t.t === 'param') {
    const p = params.get(t.v.toLowerCase());
    if (!p) throw new SqlError(`Must declare the scalar variable "@${t.v}".`, 137, 15);
    return p;
  }
  if (t.t === 'id' && t.v.toUpperCase() === 'NULL') return NULL_LITERAL;
  if (t.t === 'str') return { type: { name: 'nvarchar', length: Math.max(1, t.v.length) }, value: t.v };
  if (t.t === 'bin') return { type: { name: 'varbinary', length: Math.max(1, t.v.length / 2) }, value: Buffer.from(t.v, 'hex') };
  let sign = '';
  let n = t;
  if (t.t === 'op' && (t.v === '-' || t.v === '+')) {
    sign = t.v === '-' ? '-' : '';
    n = c.next();
  }
  if (n.t !== 'num') throw c.syntax(n);
  const text = sign + n.v;
  // An integer literal is int (bigint or numeric when larger); one with a point is numeric(p, s).
  if (!n.v.includes('.')) {
    const v = BigInt(text);
    if (v >= -(2n ** 31n) && v < 2n ** 31n) return { type: { name: 'int' }, value: v };
    if (v >= -(2n ** 63n) && v < 2n ** 63n) return { type: { name: 'bigint' }, value: v };
  }
  const [int = '', frac = ''] = n.v.split('.');
  const type: SqlType = { name: 'numeric', precision: Math.max(1, int.replace(/^0+/, '').length + frac.length), scale: frac.length };
  return { type, value: BigInt(sign + int + frac) };
}

/** Character types convert among themselves, binary types likewise; any other type only to itself. */
function family(t: SqlType): string {
  if (isChars(t) || t.name === 'xml') return 'character';
  if (isBinary(t)) return 'binary';
  return t.name === 'numeric' ? 'decimal' : t.name;
}

export function runInsert(c: Cursor, catalog: Catalog, params: ReadonlyMap<string, Param>, departures: Departures = {}): Outcome {
  c.word('INSERT');
  c.optWord('INTO');
  const name = c.qualified();
  const table = catalog.find(name);
  if (!table) throw new SqlError(`Invalid object name '${name.schema}.${name.name}'.`, 208);
  const positions = c.isOp('(')
    ? c.identList().map((n) => {
        const i = table.columns.findIndex((col) => col.name.toLowerCase() === n.toLowerCase());
        if (i < 0) throw new SqlError(`Invalid column name '${n}'.`, 207);
        return i;
      })
    : table.columns.map((_, i) => i);
  c.word('VALUES');
  const full = catalog.fullName(table);
  const rows: SqlValue[][] = [];
  do {
    if (rows.length === MAX_ROWS) {
      throw new SqlError(`The number of row value expressions in the INSERT statement exceeds the maximum allowed number of ${MAX_ROWS} row values.`, 10738, 15);
    }
    c.op('(');
    const at = (k: number) => ({ table: full, column: table.columns[positions[k] ?? 0]?.name ?? '' });
    const values: Param[] = [operand(c, params, at(0))];
    while (c.optOp(',')) values.push(operand(c, params, at(values.length)));
    c.op(')');
    if (values.length !== positions.length) {
      throw values.length > positions.length
        ? new SqlError('There are fewer columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.', 110, 15)
        : new SqlError('There are more columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.', 109, 15);
    }
    const row: SqlValue[] = table.columns.map(() => null);
    values.forEach((p, k) => {
      const column = table.columns[positions[k]!]!;
      if (departures.noImplicitConversion && p !== NULL_LITERAL && family(p.type) !== family(column.type)) {
        throw new SqlError(`Implicit conversion from data type ${p.type.name} to ${column.type.name} is not allowed. Use the CONVERT function to run this query.`, 257);
      }
      row[positions[k]!] = convertValue(p.type, column.type, p.value, { table: full, column: column.name });
    });
    table.columns.forEach((column, i) => {
      if (row[i] === null && !column.nullable) throw nullError({ table: full, column: column.name });
    });
    rows.push(row);
  } while (c.optOp(','));
  c.end();
  appendRows(catalog, table, rows, true);
  return { sets: [], count: rows.length };
}
