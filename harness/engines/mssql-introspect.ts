import { matchesTableFilter, type Catalog, type Column, type Index, type KeyConstraint, type Table } from '../model/catalog.js';
import type { EngineName } from '../model/roles.js';
import { ConfigError } from '../base/errors.js';
import { nativeTypeName, portableType, UNSUPPORTED_TYPES } from './mssql-types.js';

/** One result set: rows keyed by column name, values as tedious decoded them. */
export type ResultRow = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';

function groupBy(rows: readonly ResultRow[]): Map<string, ResultRow[]> {
  const m = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const key = str(r.object_id);
    let list = m.get(key);
    if (!list) m.set(key, (list = []));
    list.push(r);
  }
  return m;
}

/** The rows of one of SIZE_QUERIES (mssql-sql.ts), and whether they carry bytes. */
export interface SizeEstimates {
  readonly rows: readonly ResultRow[];
  /** False for row counts alone: a table's bytes are then its rows × its declared row width. */
  readonly bytes: boolean;
}

/** Types whose sys.columns max_length is a limit rather than the stored size (text, ntext, image and xml: a pointer). */
const VARIABLE = new Set(['varchar', 'nvarchar', 'varbinary', 'text', 'ntext', 'image', 'xml']);
/** A (max) or LOB column's guessed stored size: half the 8,000-byte in-row limit. */
const LOB_GUESS = 4000;

/**
 * Bytes a row is guessed to take from its declared columns, when the server gives no sizes: fixed types
 * their size, variable ones half their declared maximum (LOB_GUESS for max and LOB types). A guess for
 * scheduling and MB/s only, and bench says it is one.
 */
export function declaredRowBytes(types: readonly { typeName: string; maxLength: number }[]): number {
  return types.reduce((n, t) => {
    if (!VARIABLE.has(t.typeName)) return n + Math.max(0, t.maxLength);
    return n + (t.maxLength === -1 || ['text', 'ntext', 'image', 'xml'].includes(t.typeName) ? LOB_GUESS : Math.floor(t.maxLength / 2));
  }, 0);
}

/**
 * The four result sets of INTROSPECT_BATCH (mssql-sql.ts) and the size estimates, if any → the Catalog.
 * Without estimates a table's rows are unknown (-1) and its bytes 0. Computed columns are copied as
 * plain values (their T-SQL expressions do not translate), so `generated` stays unset.
 */
export function catalogFromResultSets(sets: readonly (readonly ResultRow[])[], patterns?: readonly string[], sizes?: SizeEstimates): Catalog {
  const [tables = [], columns = [], indexes = [], fks = []] = sets;
  const colsBy = groupBy(columns);
  const idxBy = groupBy(indexes);
  const fkBy = groupBy(fks);
  const sizeBy = new Map((sizes?.rows ?? []).map((r) => [str(r.object_id), r]));
  const result: Table[] = [];
  for (const t of tables) {
    const schema = str(t.schema_name);
    const name = str(t.table_name);
    // bench's own bookkeeping (the seed marker) is never copied or validated, as on PostgreSQL.
    if (schema.startsWith('_bench')) continue;
    if (!matchesTableFilter({ schema, name }, patterns)) continue;
    const id = str(t.object_id);
    const types = (colsBy.get(id) ?? []).map((c) => ({ typeName: str(c.type_name), maxLength: num(c.max_length), precision: num(c.precision), scale: num(c.scale) }));
    const cols: Column[] = (colsBy.get(id) ?? []).map((c, i) => {
      const type = types[i]!;
      return { name: str(c.column_name), nativeType: nativeTypeName(type), portable: portableType(type), nullable: bool(c.is_nullable) };
    });
    const size = sizeBy.get(id);
    const estimatedRows = size && size.estimated_rows !== null && size.estimated_rows !== undefined ? num(size.estimated_rows) : -1;
    const estimatedBytes = !size ? 0 : sizes!.bytes ? num(size.estimated_bytes) : Math.max(0, estimatedRows) * declaredRowBytes(types);
    const byIndex = new Map<string, ResultRow[]>();
    for (const r of idxBy.get(id) ?? []) {
      const key = str(r.index_name);
      byIndex.set(key, [...(byIndex.get(key) ?? []), r]);
    }
    let primaryKey: KeyConstraint | undefined;
    const uniques: KeyConstraint[] = [];
    const idx: Index[] = [];
    for (const [indexName, rows] of byIndex) {
      const first = rows[0]!;
      const keyColumns = rows.map((r) => str(r.column_name));
      if (bool(first.is_primary_key)) primaryKey = { name: indexName, columns: keyColumns };
      else if (bool(first.is_unique_constraint)) uniques.push({ name: indexName, columns: keyColumns });
      else idx.push({ name: indexName, columns: keyColumns, unique: bool(first.is_unique) });
    }
    const byFk = new Map<string, ResultRow[]>();
    for (const r of fkBy.get(id) ?? []) byFk.set(str(r.fk_name), [...(byFk.get(str(r.fk_name)) ?? []), r]);
    result.push({
      schema,
      name,
      columns: cols,
      ...(primaryKey ? { primaryKey } : {}),
      uniques,
      checks: [],
      foreignKeys: [...byFk].map(([fkName, rows]) => ({
        name: fkName,
        columns: rows.map((r) => str(r.column_name)),
        references: { schema: str(rows[0]!.ref_schema), name: str(rows[0]!.ref_table) },
        refColumns: rows.map((r) => str(r.ref_column_name)),
      })),
      indexes: idx,
      estimatedRows,
      estimatedBytes,
    });
  }
  return { engine: 'mssql', tables: result };
}

const ENGINE_NAMES: Readonly<Record<EngineName, string>> = { postgres: 'PostgreSQL', mssql: 'SQL Server' };

/**
 * "dbo.events.payload has type sql_variant, …" for every column bench cannot copy, naming the target
 * engine when it is known (the refusal holds for either: bench maps none of these types).
 */
export function unsupportedColumns(catalog: Catalog, target?: EngineName): string[] {
  const to = target ? ` to ${ENGINE_NAMES[target]}` : '';
  const problems: string[] = [];
  for (const t of catalog.tables) {
    for (const c of t.columns) {
      if (c.portable.kind === 'other' || UNSUPPORTED_TYPES.has(c.nativeType)) {
        problems.push(`${t.schema}.${t.name}.${c.name} has type ${c.nativeType}, which bench cannot copy${to} (leave the table out with --tables)`);
      }
    }
  }
  return problems;
}

/** Stops the run before anything is copied, naming every unsupported column at once (STYLE rule 4). */
export function assertSupported(catalog: Catalog, target?: EngineName): void {
  const problems = unsupportedColumns(catalog, target);
  if (problems.length > 0) throw new ConfigError(problems);
}
