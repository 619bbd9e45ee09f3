/**
 * TEST SERVER CODE (not part of bench): a tiny T-SQL matcher for the TDS test server. Not a SQL
 * parser: it understands exactly the SELECT shapes bench's SQL Server engine sends (harness/engines/
 * mssql-sql.ts) — a column list with CONVERT/CAST, TOP (n), WHERE with AND/OR of comparisons against
 * CAST(@param AS type), ORDER BY columns with OFFSET … FETCH, and the aggregates of the portable fingerprint (COUNT_BIG,
 * SUM, MIN, MAX over CAST, CONVERT, DATALENGTH, RTRIM, DATEDIFF, DATEDIFF_BIG, SWITCHOFFSET, COLLATE
 * and integer division) — and evaluates them over in-memory tables the way SQL Server does.
 */
import {
  castValue,
  compareValues,
  dataLength,
  isDecimal,
  isInteger,
  localOf,
  parseType,
  textOf,
  typeText,
  type DateTimeValue,
  type SqlType,
  type SqlValue,
} from './tds-types.js';
import type { Departures } from './tds-departures.js';
import { SqlError, TokenCursor, tokenize } from './tds-tokens.js';

export interface TestColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly nullable: boolean;
}

export interface TestTable {
  readonly schema: string;
  readonly name: string;
  readonly objectId: number;
  readonly columns: readonly TestColumn[];
  /** Rows in primary-key order (a function for large generated tables, so they are never held in memory). */
  readonly rows: readonly SqlValue[][] | (() => Iterable<SqlValue[]>);
  readonly rowCount: number;
  readonly primaryKey?: { readonly name: string; readonly columns: readonly string[] };
  readonly uniques?: readonly { readonly name: string; readonly columns: readonly string[] }[];
  readonly indexes?: readonly { readonly name: string; readonly columns: readonly string[]; readonly unique: boolean }[];
  readonly foreignKeys?: readonly {
    readonly name: string;
    readonly columns: readonly string[];
    readonly references: { readonly schema: string; readonly name: string };
    readonly refColumns: readonly string[];
  }[];
  /** CHECK constraints: recorded (introspection does not read them), never evaluated. */
  readonly checks?: readonly { readonly name: string; readonly definition: string }[];
}

// The errors the test server's modules throw, defined with the tokens (tds-tokens.ts) and imported from here by most.
export { SqlError, TERMINATED, type SqlMessage } from './tds-tokens.js';

// ---------------------------------------------------------------- AST

export type Expr =
  | { k: 'col'; name: string }
  | { k: 'param'; name: string }
  | { k: 'str'; v: string }
  | { k: 'num'; v: string }
  | { k: 'word'; v: string }
  | { k: 'star' }
  | { k: 'call'; fn: string; args: Expr[] }
  | { k: 'cast'; e: Expr; type: SqlType }
  | { k: 'convert'; type: SqlType; e: Expr; style?: number }
  | { k: 'div'; l: Expr; r: Expr }
  | { k: 'mul'; l: Expr; r: Expr }
  | { k: 'collate'; e: Expr };

export type Bool = { k: 'and' | 'or'; parts: Bool[] } | { k: 'cmp'; op: string; l: Expr; r: Expr };

export interface Select {
  readonly top?: number;
  /** ORDER BY … OFFSET n ROWS [FETCH NEXT m ROWS ONLY]: rows skipped, and at most `fetch` returned. */
  readonly offset?: number;
  readonly fetch?: number;
  readonly items: readonly { e: Expr; alias?: string }[];
  /** Absent for a SELECT without FROM (constants and functions such as OBJECT_ID). */
  readonly table?: { schema: string; name: string };
  readonly where?: Bool;
  readonly orderBy: readonly Expr[];
}

const AGGREGATES = new Set(['COUNT_BIG', 'SUM', 'MIN', 'MAX']);

class Parser extends TokenCursor {
  expectWord(w: string): void {
    const t = this.next();
    if (t.t !== 'id' || t.v.toUpperCase() !== w) throw new SqlError(`Incorrect syntax near '${t.v}'.`, 102, 15);
  }

  expectOp(o: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== o) throw new SqlError(`Incorrect syntax near '${t.v}'.`, 102, 15);
  }

  done(): boolean {
    return this.i >= this.toks.length || (this.isOp(';') && this.i === this.toks.length - 1);
  }

  type(): SqlType {
    const name = this.next().v;
    if (this.isOp('(')) {
      this.next();
      const a = this.next().v;
      let b: string | undefined;
      if (this.isOp(',')) {
        this.next();
        b = this.next().v;
      }
      this.expectOp(')');
      return parseType(`${name}(${a}${b !== undefined ? `,${b}` : ''})`);
    }
    // CAST and CONVERT to a character or binary type without a length mean 30 (declarations mean 1).
    return /^(n?(var)?char|(var)?binary)$/i.test(name) ? parseType(`${name}(30)`) : parseType(name);
  }

  expr(): Expr {
    let e = this.primary();
    for (;;) {
      if (this.isOp('/')) {
        this.next();
        e = { k: 'div', l: e, r: this.primary() };
      } else if (this.isOp('*') && e.k !== 'star') {
        this.next();
        e = { k: 'mul', l: e, r: this.primary() };
      } else if (this.isWord('COLLATE')) {
        this.next();
        this.next();
        e = { k: 'collate', e };
      } else {
        return e;
      }
    }
  }

  primary(): Expr {
    const t = this.next();
    if (t.t === 'qid') return { k: 'col', name: t.v };
    if (t.t === 'param') return { k: 'param', name: t.v };
    if (t.t === 'str') return { k: 'str', v: t.v };
    if (t.t === 'num') return { k: 'num', v: t.v };
    if (t.t === 'op' && t.v === '*') return { k: 'star' };
    if (t.t === 'id') {
      const fn = t.v.toUpperCase();
      if (!this.isOp('(')) return fn === 'DAY' || fn === 'SECOND' ? { k: 'word', v: fn } : { k: 'col', name: t.v };
      this.next();
      if (fn === 'CAST') {
        const e = this.expr();
        this.expectWord('AS');
        const type = this.type();
        this.expectOp(')');
        return { k: 'cast', e, type };
      }
      if (fn === 'CONVERT') {
        const type = this.type();
        this.expectOp(',');
        const e = this.expr();
        let style: number | undefined;
        if (this.isOp(',')) {
          this.next();
          style = Number(this.next().v);
        }
        this.expectOp(')');
        return style === undefined ? { k: 'convert', type, e } : { k: 'convert', type, e, style };
      }
      const args: Expr[] = [];
      if (!this.isOp(')')) {
        args.push(this.expr());
        while (this.isOp(',')) {
          this.next();
          args.push(this.expr());
        }
      }
      this.expectOp(')');
      return { k: 'call', fn, args };
    }
    throw new SqlError(`Incorrect syntax near '${t.v}'.`, 102, 15);
  }

  bool(): Bool {
    const parts = [this.andBool()];
    while (this.isWord('OR')) {
      this.next();
      parts.push(this.andBool());
    }
    return parts.length === 1 ? parts[0]! : { k: 'or', parts };
  }

  andBool(): Bool {
    const parts = [this.cmp()];
    while (this.isWord('AND')) {
      this.next();
      parts.push(this.cmp());
    }
    return parts.length === 1 ? parts[0]! : { k: 'and', parts };
  }

  cmp(): Bool {
    if (this.isOp('(')) {
      this.next();
      const b = this.bool();
      this.expectOp(')');
      return b;
    }
    const l = this.expr();
    const op = this.next();
    if (op.t !== 'op' || !['=', '<', '>', '<=', '>=', '<>', '!='].includes(op.v)) throw new SqlError(`Incorrect syntax near '${op.v}'.`, 102, 15);
    return { k: 'cmp', op: op.v, l, r: this.expr() };
  }

  select(): Select {
    this.expectWord('SELECT');
    let top: number | undefined;
    if (this.isWord('TOP')) {
      this.next();
      this.expectOp('(');
      top = Number(this.next().v);
      this.expectOp(')');
    }
    const items: { e: Expr; alias?: string }[] = [];
    do {
      if (items.length > 0) this.next();
      const e = this.expr();
      if (this.isWord('AS')) {
        this.next();
        items.push({ e, alias: this.next().v });
      } else {
        items.push({ e });
      }
    } while (this.isOp(','));
    let table: { schema: string; name: string } | undefined;
    if (this.isWord('FROM')) {
      this.next();
      const first = this.next().v;
      table = { schema: 'dbo', name: first };
      if (this.isOp('.')) {
        this.next();
        table = { schema: first, name: this.next().v };
      }
    }
    let where: Bool | undefined;
    if (this.isWord('WHERE')) {
      this.next();
      where = this.bool();
    }
    const orderBy: Expr[] = [];
    if (this.isWord('ORDER')) {
      this.next();
      this.expectWord('BY');
      orderBy.push(this.expr());
      while (this.isOp(',')) {
        this.next();
        orderBy.push(this.expr());
      }
    }
    let offset: number | undefined;
    let fetch: number | undefined;
    if (this.isWord('OFFSET')) {
      if (orderBy.length === 0) throw new SqlError("Invalid usage of the option OFFSET in the FETCH statement.", 153, 15);
      this.next();
      offset = Number(this.next().v);
      this.expectWord('ROWS');
      if (this.isWord('FETCH')) {
        this.next();
        this.expectWord('NEXT');
        fetch = Number(this.next().v);
        this.expectWord('ROWS');
        this.expectWord('ONLY');
      }
    }
    if (!this.done()) throw new SqlError(`Incorrect syntax near '${this.peek()!.v}'.`, 102, 15);
    return { ...(top !== undefined ? { top } : {}), ...(offset !== undefined ? { offset } : {}), ...(fetch !== undefined ? { fetch } : {}), items, ...(table ? { table } : {}), ...(where ? { where } : {}), orderBy };
  }
}

export function parseSelect(sql: string): Select {
  return new Parser(tokenize(sql)).select();
}

// ---------------------------------------------------------------- typing and evaluation

export interface Param {
  readonly type: SqlType;
  readonly value: SqlValue;
}

interface Scope {
  readonly table: TestTable;
  readonly departures: Departures;
  /** Every table of the database, for OBJECT_ID. */
  readonly tables: readonly TestTable[];
  readonly index: ReadonlyMap<string, number>;
  readonly params: ReadonlyMap<string, Param>;
}

const BIGINT: SqlType = { name: 'bigint' };
const INT: SqlType = { name: 'int' };

function column(scope: Scope, name: string): number {
  const i = scope.index.get(name.toLowerCase());
  if (i === undefined) throw new SqlError(`Invalid column name '${name}'.`, 207);
  return i;
}

export function typeOf(e: Expr, scope: Scope): SqlType {
  switch (e.k) {
    case 'col': return scope.table.columns[column(scope, e.name)]!.type;
    case 'param': {
      const p = scope.params.get(e.name.toLowerCase());
      if (!p) throw new SqlError(`Must declare the scalar variable "@${e.name}".`, 137, 15);
      return p.type;
    }
    case 'str': return { name: 'varchar', length: Math.max(1, e.v.length) };
    case 'num': return INT;
    case 'word':
    case 'star':
      return INT;
    case 'cast':
    case 'convert':
      return e.type;
    case 'div': return typeOf(e.l, scope);
    case 'mul': {
      const [l, r] = [typeOf(e.l, scope), typeOf(e.r, scope)];
      if (isDecimal(l) || isDecimal(r)) {
        // decimal(p1,s1) × decimal(p2,s2) → decimal(p1+p2+1, s1+s2); an integer counts as decimal(10,0) (bigint 19).
        const as = (t: SqlType) => (isDecimal(t) ? { p: t.precision ?? 18, s: t.scale ?? 0 } : { p: t.name === 'bigint' ? 19 : 10, s: 0 });
        const [a, b] = [as(l), as(r)];
        if (a.p + b.p + 1 > 38) throw new SqlError('test server: a product beyond decimal(38) (SQL Server reduces its scale) is not implemented', 50000);
        return { name: 'decimal', precision: a.p + b.p + 1, scale: a.s + b.s };
      }
      if (isInteger(l) && isInteger(r)) return l.name === 'bigint' || r.name === 'bigint' ? BIGINT : INT;
      throw new SqlError(`test server: ${typeText(l)} * ${typeText(r)} is not implemented`, 50000);
    }
    case 'collate': return typeOf(e.e, scope);
    case 'call':
      switch (e.fn) {
        case 'COUNT_BIG':
        case 'DATALENGTH':
        case 'DATEDIFF_BIG':
          return BIGINT;
        case 'DATEDIFF':
        case 'OBJECT_ID':
          return INT;
        case 'RTRIM': return typeOf(e.args[0]!, scope);
        case 'SWITCHOFFSET': return typeOf(e.args[0]!, scope);
        case 'MIN':
        case 'MAX':
          return typeOf(e.args[0]!, scope);
        case 'SUM': {
          const t = typeOf(e.args[0]!, scope);
          if (isDecimal(t)) return { name: 'decimal', precision: 38, scale: t.scale ?? 0 };
          if (t.name === 'bigint') return BIGINT;
          if (isInteger(t)) return INT;
          if (t.name === 'real' || t.name === 'float') return { name: 'float', precision: 53 };
          throw new SqlError(`Operand data type ${typeText(t)} is invalid for sum operator.`, 8117);
        }
        default:
          throw new SqlError(`'${e.fn}' is not a recognized built-in function name.`, 195, 15);
      }
  }
}

function seconds(v: DateTimeValue): number {
  return v.days * 86_400 + Math.floor(v.ticks / 10_000_000);
}

function evalExpr(e: Expr, scope: Scope, row: readonly SqlValue[], aggs: ReadonlyMap<Expr, SqlValue>): SqlValue {
  switch (e.k) {
    case 'col': return row[column(scope, e.name)] ?? null;
    case 'param': return scope.params.get(e.name.toLowerCase())!.value;
    case 'str': return e.v;
    case 'num': return BigInt(e.v);
    case 'word':
    case 'star':
      return null;
    case 'collate': return evalExpr(e.e, scope, row, aggs);
    case 'cast': return castValue(typeOf(e.e, scope), e.type, evalExpr(e.e, scope, row, aggs));
    case 'convert': {
      const v = evalExpr(e.e, scope, row, aggs);
      if (v === null) return null;
      const from = typeOf(e.e, scope);
      return fitConverted(from, e.type, textOf(from, v, e.style), scope.departures);
    }
    case 'mul': {
      const l = evalExpr(e.l, scope, row, aggs);
      const r = evalExpr(e.r, scope, row, aggs);
      if (l === null || r === null) return null;
      // Exact numbers are unscaled bigints: the product's scale is the sum of the scales (see typeOf).
      const product = (l as bigint) * (r as bigint);
      const t = typeOf(e, scope);
      if (isInteger(t) && (product >= 2n ** (t.name === 'bigint' ? 63n : 31n) || product < -(2n ** (t.name === 'bigint' ? 63n : 31n)))) {
        throw new SqlError(`Arithmetic overflow error converting expression to data type ${t.name}.`, 8115);
      }
      return product;
    }
    case 'div': {
      const l = evalExpr(e.l, scope, row, aggs);
      const r = evalExpr(e.r, scope, row, aggs);
      if (l === null || r === null) return null;
      if (r === 0n) throw new SqlError('Divide by zero error encountered.', 8134);
      return (l as bigint) / (r as bigint);
    }
    case 'call': {
      if (AGGREGATES.has(e.fn)) {
        if (!aggs.has(e)) throw new SqlError(`aggregate ${e.fn} outside an aggregate query`, 8120);
        return aggs.get(e)!;
      }
      const args = e.args.map((a) => evalExpr(a, scope, row, aggs));
      switch (e.fn) {
        case 'DATALENGTH': return dataLength(typeOf(e.args[0]!, scope), args[0] ?? null);
        case 'OBJECT_ID': return objectId(scope.tables, args[0] ?? null, args[1] ?? null);
        case 'RTRIM': return args[0] === null ? null : String(args[0]).replace(/ +$/, '');
        case 'SWITCHOFFSET': {
          const v = args[0] as DateTimeValue | null;
          // The same instant shown at another offset (bench only asks for +00:00).
          return v === null ? null : { days: v.days, ticks: v.ticks, offset: 0 };
        }
        case 'DATEDIFF':
        case 'DATEDIFF_BIG': {
          const unit = (e.args[0] as { v: string }).v;
          const [a, b] = [args[1], args[2]].map((v, i) => {
            const t = typeOf(e.args[i + 1]!, scope);
            if (v === null) return null;
            // Local wall-clock values: a datetimeoffset counts in its own offset, as SQL Server does.
            return t.name === 'date' ? { days: v as number, ticks: 0 } : localOf(v as DateTimeValue);
          });
          if (!a || !b) return null;
          if (unit === 'DAY') return BigInt(b.days - a.days);
          return BigInt(seconds(b) - seconds(a));
        }
        default:
          throw new SqlError(`'${e.fn}' is not a recognized built-in function name.`, 195, 15);
      }
    }
  }
}

function test(b: Bool, scope: Scope, row: readonly SqlValue[]): boolean {
  switch (b.k) {
    case 'and': return b.parts.every((p) => test(p, scope, row));
    case 'or': return b.parts.some((p) => test(p, scope, row));
    case 'cmp': {
      const none = new Map<Expr, SqlValue>();
      const l = evalExpr(b.l, scope, row, none);
      const r = evalExpr(b.r, scope, row, none);
      if (l === null || r === null) return false;
      const c = compareValues(typeOf(b.l, scope), l, r);
      switch (b.op) {
        case '=': return c === 0;
        case '<': return c < 0;
        case '>': return c > 0;
        case '<=': return c <= 0;
        case '>=': return c >= 0;
        default: return c !== 0;
      }
    }
  }
}

function collectAggregates(e: Expr, out: Expr[]): void {
  if (e.k === 'call' && AGGREGATES.has(e.fn)) {
    out.push(e);
    return;
  }
  if (e.k === 'call') e.args.forEach((a) => collectAggregates(a, out));
  else if (e.k === 'cast' || e.k === 'convert' || e.k === 'collate') collectAggregates(e.e, out);
  else if (e.k === 'div' || e.k === 'mul') {
    collectAggregates(e.l, out);
    collectAggregates(e.r, out);
  }
}

export interface ResultSet {
  /** nullable: false only for a NOT NULL table column selected as itself (COLMETADATA's fNullable). */
  readonly columns: readonly { name: string; type: SqlType; nullable?: boolean }[];
  readonly rows: Iterable<SqlValue[]>;
  /** Under SET FMTONLY ON: COLMETADATA only, and a DONE without a row count. */
  readonly metadataOnly?: boolean;
}

/** What a statement produced: result sets, and for INSERT the rows it affected (DONE_COUNT). */
export interface Outcome {
  readonly sets: readonly ResultSet[];
  readonly count?: number;
}

function tableRows(t: TestTable): Iterable<SqlValue[]> {
  return typeof t.rows === 'function' ? t.rows() : t.rows;
}

/** `SELECT *` (alone, or among other items): the table's columns in order, under their own names. */
function expandStar(s: Select, table: TestTable): Select {
  if (!s.items.some((it) => it.e.k === 'star')) return s;
  const items = s.items.flatMap((it): Select['items'] => (it.e.k === 'star' ? table.columns.map((c) => ({ e: { k: 'col', name: c.name } })) : [it]));
  return { ...s, items };
}

/**
 * OBJECT_ID(N'[s].[t]' [, N'U']): a table's object id, or NULL when there is none (schema dbo when the
 * name has no schema; only user tables, type 'U', are objects here).
 */
function objectId(tables: readonly TestTable[], name: SqlValue, type: SqlValue): SqlValue {
  if (typeof name !== 'string') return null;
  if (type !== null && String(type).trim().toUpperCase() !== 'U') return null;
  const parts = [...name.matchAll(/\[((?:[^\]]|\]\])*)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/]]/g, ']') : m[2]!));
  const [schema, table] = parts.length >= 2 ? parts.slice(-2) : ['dbo', parts[0]];
  const t = tables.find((x) => x.schema.toLowerCase() === schema?.toLowerCase() && x.name.toLowerCase() === table?.toLowerCase());
  return t ? BigInt(t.objectId) : null;
}

/** The table a SELECT without FROM reads: no columns, one row. */
const NO_TABLE: TestTable = { schema: '', name: '', objectId: 0, columns: [], rows: [[]], rowCount: 1 };

/**
 * CONVERT's text fitted to its target type: char and nchar blank-padded to their length; a number too
 * long for the length fails (8115), other text is cut, as SQL Server does. With
 * departures.paddedNumericText a decimal or money comes back blank-padded, as on the independent server.
 */
function fitConverted(from: SqlType, to: SqlType, text: string, departures: Departures): string {
  const length = to.length === undefined || to.length === -1 ? undefined : to.length;
  if (departures.paddedNumericText && isDecimal(from)) return (text.startsWith('-') ? text : ` ${text}`).padEnd(length ?? 30, ' ');
  let out = text;
  if (length !== undefined && out.length > length) {
    if (isInteger(from) || isDecimal(from) || from.name === 'real' || from.name === 'float') {
      throw new SqlError(`Arithmetic overflow error converting ${isDecimal(from) ? 'numeric' : from.name} to data type ${to.name}.`, 8115);
    }
    out = out.slice(0, length);
  }
  return length !== undefined && (to.name === 'char' || to.name === 'nchar') ? out.padEnd(length, ' ') : out;
}

export function runSelect(query: Select, tables: readonly TestTable[], params: ReadonlyMap<string, Param>, departures: Departures = {}): ResultSet {
  const from = query.table;
  const table = from
    ? tables.find((t) => t.schema.toLowerCase() === from.schema.toLowerCase() && t.name.toLowerCase() === from.name.toLowerCase())
    : NO_TABLE;
  if (!table) throw new SqlError(`Invalid object name '${from!.schema}.${from!.name}'.`, 208);
  const scope: Scope = { table, tables, departures, index: new Map(table.columns.map((c, i) => [c.name.toLowerCase(), i])), params };
  const s = expandStar(query, table);
  const columns = s.items.map((it) => {
    const own = it.e.k === 'col' ? table.columns[column(scope, it.e.name)] : undefined;
    return { name: it.alias ?? (it.e.k === 'col' ? it.e.name : ''), type: typeOf(it.e, scope), nullable: own?.nullable ?? true };
  });
  const aggregates: Expr[] = [];
  s.items.forEach((it) => collectAggregates(it.e, aggregates));
  const filtered = function* (): Iterable<SqlValue[]> {
    for (const row of tableRows(table)) if (!s.where || test(s.where, scope, row)) yield row;
  };

  if (aggregates.length > 0) {
    const state = aggregates.map(() => ({ n: 0n, acc: null as SqlValue }));
    const none = new Map<Expr, SqlValue>();
    for (const row of filtered()) {
      aggregates.forEach((a, i) => {
        const call = a as { fn: string; args: Expr[] };
        const st = state[i]!;
        if (call.args[0]!.k === 'star') {
          st.n += 1n;
          return;
        }
        const v = evalExpr(call.args[0]!, scope, row, none);
        if (v === null) return;
        st.n += 1n;
        if (call.fn === 'SUM') {
          st.acc = st.acc === null ? v : typeof v === 'number' ? (st.acc as number) + v : (st.acc as bigint) + (v as bigint);
        } else if (call.fn === 'MIN' || call.fn === 'MAX') {
          const t = typeOf(call.args[0]!, scope);
          if (st.acc === null || (call.fn === 'MIN' ? compareValues(t, v, st.acc) < 0 : compareValues(t, v, st.acc) > 0)) st.acc = v;
        }
      });
    }
    const results = new Map<Expr, SqlValue>();
    aggregates.forEach((a, i) => {
      const fn = (a as { fn: string }).fn;
      results.set(a, fn === 'COUNT_BIG' ? state[i]!.n : state[i]!.acc);
    });
    const out = s.items.map((it) => evalExpr(it.e, scope, [], results));
    return { columns, rows: [out] };
  }

  const none = new Map<Expr, SqlValue>();
  const keyIdx = s.orderBy.map((e) => (e.k === 'col' ? column(scope, e.name) : -1));
  const pk = table.primaryKey?.columns.map((c) => column(scope, c)) ?? [];
  // Rows are stored in primary-key order: ORDER BY a key prefix needs no sort.
  const presorted = keyIdx.every((k, i) => k === pk[i]);
  const ordered = (): Iterable<SqlValue[]> => {
    if (s.orderBy.length === 0 || presorted) return filtered();
    const all = [...filtered()];
    all.sort((a, b) => {
      for (const k of keyIdx) {
        const c = compareValues(table.columns[k]!.type, a[k] ?? null, b[k] ?? null);
        if (c !== 0) return c;
      }
      return 0;
    });
    return all;
  };
  const limit = Math.min(s.top ?? Infinity, s.fetch ?? Infinity);
  const rows = function* (): Iterable<SqlValue[]> {
    let n = 0;
    let skipped = 0;
    for (const row of ordered()) {
      if (skipped < (s.offset ?? 0)) {
        skipped++;
        continue;
      }
      if (n >= limit) return;
      n++;
      yield s.items.map((it) => evalExpr(it.e, scope, row, none));
    }
  };
  return { columns, rows: rows() };
}
