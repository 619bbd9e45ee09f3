/**
 * TEST SERVER CODE (not part of bench): the DDL a SQL Server target writer sends, one statement per
 * request — CREATE SCHEMA (behind IF SCHEMA_ID(…) IS NULL EXEC(…)), CREATE TABLE, ALTER TABLE … ADD
 * CONSTRAINT (PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK) and DROP CONSTRAINT, CREATE [UNIQUE] INDEX,
 * DROP TABLE [IF EXISTS], and the sys.foreign_keys query that finds the foreign keys to drop first.
 * Constraints are checked against existing rows as SQL Server checks them, with its error numbers
 * and its follow-up messages (1750 "Could not create constraint or index", 3621 INFO).
 */
import type { Catalog } from './tds-catalog.js';
import { columnIndexes, findDuplicate, findOrphan, foreignKeyConflict, keepKeyOrder, keySet, keyText } from './tds-constraints.js';
import { Cursor, display, type QualifiedName } from './tds-cursor.js';
import { SqlError, TERMINATED, type Outcome, type SqlMessage, type TestColumn, type TestTable } from './tds-sql.js';
import { parseType, type SqlValue } from './tds-types.js';

type ForeignKey = NonNullable<TestTable['foreignKeys']>[number];

const NONE: Outcome = { sets: [] };
const COULD_NOT_CREATE: SqlMessage = { number: 1750, message: 'Could not create constraint or index. See previous errors.', severity: 16 };
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A failure SQL Server follows with 1750 (ALTER TABLE … ADD CONSTRAINT). */
function constraintError(message: string, number: number, also: readonly SqlMessage[] = []): SqlError {
  return new SqlError(message, number, 16, [COULD_NOT_CREATE, ...also]);
}

function rowsOf(t: TestTable): Iterable<readonly SqlValue[]> {
  return typeof t.rows === 'function' ? t.rows() : t.rows;
}

// ---------------------------------------------------------------- schemas

/** IF SCHEMA_ID(N'x') IS NULL EXEC(N'…'): runs the inner statement when the schema is missing. */
export function ifSchemaMissing(c: Cursor, catalog: Catalog, run: (sql: string) => Outcome): Outcome {
  c.word('IF');
  c.word('SCHEMA_ID');
  c.op('(');
  const name = c.next();
  if (name.t !== 'str') throw c.syntax(name);
  c.op(')');
  c.word('IS');
  c.word('NULL');
  c.word('EXEC');
  c.op('(');
  const inner = c.next();
  if (inner.t !== 'str') throw c.syntax(inner);
  c.op(')');
  c.end();
  return catalog.hasSchema(name.v) ? NONE : run(inner.v);
}

export function createSchema(c: Cursor, catalog: Catalog): Outcome {
  c.word('CREATE');
  c.word('SCHEMA');
  const name = c.ident();
  c.end();
  catalog.addSchema(name);
  return NONE;
}

// ---------------------------------------------------------------- tables

/** CREATE TABLE [s].[t] ([a] int NOT NULL, [b] nvarchar(max) NULL, …): columns are nullable unless NOT NULL. */
export function createTable(c: Cursor, catalog: Catalog): Outcome {
  c.word('CREATE');
  c.word('TABLE');
  const name = c.qualified();
  if (!catalog.hasSchema(name.schema)) {
    throw new SqlError(`The specified schema name "${name.schema}" either does not exist or you do not have permission to use it.`, 2760);
  }
  if (catalog.objectExists(name.schema, name.name)) throw new SqlError(`There is already an object named '${name.name}' in the database.`, 2714);
  const columns: TestColumn[] = [];
  c.op('(');
  do {
    const column = c.ident();
    if (columns.some((x) => same(x.name, column))) {
      throw new SqlError(`Column names in each table must be unique. Column name '${column}' in table '${display(name)}' is specified more than once.`, 2705);
    }
    const type = c.type(column, columns.length + 1);
    let nullable = true;
    if (c.optWord('NOT')) {
      c.word('NULL');
      nullable = false;
    } else {
      c.optWord('NULL');
    }
    columns.push({ name: column, type, nullable });
  } while (c.optOp(','));
  c.op(')');
  c.end();
  catalog.add({ schema: name.schema, name: name.name, objectId: catalog.newObjectId(), columns, rows: [], rowCount: 0 });
  return NONE;
}

/** DROP TABLE [IF EXISTS] [s].[t][, …]: 3726 while another table's foreign key references it. */
export function dropTable(c: Cursor, catalog: Catalog): Outcome {
  c.word('DROP');
  c.word('TABLE');
  const ifExists = c.isWord('IF') && c.isWord('EXISTS', 1);
  if (ifExists) {
    c.next();
    c.next();
  }
  const names: QualifiedName[] = [c.qualified()];
  while (c.optOp(',')) names.push(c.qualified());
  c.end();
  for (const name of names) {
    const table = catalog.find(name);
    if (!table) {
      if (ifExists) continue;
      throw new SqlError(`Cannot drop the table '${display(name)}', because it does not exist or you do not have permission.`, 3701);
    }
    if (catalog.referencing(table).some((r) => r.table !== table)) {
      throw new SqlError(`Could not drop object '${display(name)}' because it is referenced by a FOREIGN KEY constraint.`, 3726);
    }
    catalog.remove(table);
  }
  return NONE;
}

// ---------------------------------------------------------------- indexes

/** ( [a] [ASC|DESC], … ) */
function keyColumns(c: Cursor): string[] {
  c.op('(');
  const out: string[] = [];
  do {
    out.push(c.ident());
    if (!c.optWord('ASC')) c.optWord('DESC');
  } while (c.optOp(','));
  c.op(')');
  return out;
}

function duplicateKey(table: TestTable, index: string, columns: readonly string[]): SqlError | undefined {
  const idx = columnIndexes(table, columns);
  const dup = findDuplicate(rowsOf(table), idx);
  if (!dup) return undefined;
  return new SqlError(
    `The CREATE UNIQUE INDEX statement terminated because a duplicate key was found for the object name '${table.schema}.${table.name}' and the index name '${index}'. The duplicate key value is ${keyText(table, dup, idx)}.`,
    1505,
  );
}

/** CREATE [UNIQUE] [CLUSTERED|NONCLUSTERED] INDEX [n] ON [s].[t] ([a], [b]) */
export function createIndex(c: Cursor, catalog: Catalog): Outcome {
  c.word('CREATE');
  const unique = c.optWord('UNIQUE');
  if (!c.optWord('CLUSTERED')) c.optWord('NONCLUSTERED');
  c.word('INDEX');
  const name = c.ident();
  c.word('ON');
  const table = catalog.get(c.qualified());
  const columns = keyColumns(c);
  c.end();
  columnIndexes(table, columns);
  if ((table.indexes ?? []).some((x) => same(x.name, name))) {
    throw new SqlError(`The operation failed because an index or statistics with name '${name}' already exists on table '${table.schema}.${table.name}'.`, 1913);
  }
  if (unique) {
    const dup = duplicateKey(table, name, columns);
    if (dup) throw new SqlError(dup.message, dup.number, 16, [TERMINATED]);
  }
  catalog.replace(table, { ...table, indexes: [...(table.indexes ?? []), { name, columns, unique }] });
  return NONE;
}

// ---------------------------------------------------------------- ALTER TABLE

export function alterTable(c: Cursor, catalog: Catalog): Outcome {
  c.word('ALTER');
  c.word('TABLE');
  const table = catalog.get(c.qualified());
  // WITH CHECK (the default) verifies existing rows against a new foreign key; WITH NOCHECK does not.
  let check = true;
  if (c.optWord('WITH')) {
    if (c.optWord('NOCHECK')) check = false;
    else c.word('CHECK');
  }
  if (c.optWord('DROP')) {
    c.word('CONSTRAINT');
    const name = c.ident();
    c.end();
    return dropConstraint(catalog, table, name);
  }
  c.word('ADD');
  c.word('CONSTRAINT');
  const name = c.ident();
  if (catalog.objectExists(table.schema, name)) throw constraintError(`There is already an object named '${name}' in the database.`, 2714);
  if (c.optWord('PRIMARY')) {
    c.word('KEY');
    if (!c.optWord('CLUSTERED')) c.optWord('NONCLUSTERED');
    const columns = keyColumns(c);
    c.end();
    return addPrimaryKey(catalog, table, name, columns);
  }
  if (c.optWord('UNIQUE')) {
    if (!c.optWord('CLUSTERED')) c.optWord('NONCLUSTERED');
    const columns = keyColumns(c);
    c.end();
    columnIndexes(table, columns);
    const dup = duplicateKey(table, name, columns);
    if (dup) throw constraintError(dup.message, dup.number, [TERMINATED]);
    catalog.replace(table, { ...table, uniques: [...(table.uniques ?? []), { name, columns }] });
    return NONE;
  }
  if (c.optWord('FOREIGN')) {
    c.word('KEY');
    const columns = c.identList();
    c.word('REFERENCES');
    const references = c.qualified();
    const refColumns = c.identList();
    // ON DELETE / ON UPDATE actions are accepted and not enforced.
    while (c.optWord('ON')) {
      c.next();
      if (c.optWord('NO')) c.word('ACTION');
      else if (!c.optWord('CASCADE')) {
        c.word('SET');
        c.next();
      }
    }
    c.end();
    return addForeignKey(catalog, table, { name, columns, references, refColumns }, check);
  }
  if (c.isWord('CHECK')) {
    // The condition is kept as written: the test server records CHECK constraints and never evaluates them.
    const m = /\bCHECK\s*(\(.*\))\s*;?\s*$/is.exec(c.sql);
    if (!m) throw c.syntax();
    catalog.replace(table, { ...table, checks: [...(table.checks ?? []), { name, definition: m[1]! }] });
    return NONE;
  }
  throw c.syntax();
}

function addPrimaryKey(catalog: Catalog, table: TestTable, name: string, columns: string[]): Outcome {
  if (table.primaryKey) throw constraintError(`Table '${table.name}' already has a primary key defined on it.`, 1779);
  const idx = columnIndexes(table, columns);
  if (idx.some((i) => table.columns[i]!.nullable)) {
    throw constraintError(`Cannot define PRIMARY KEY constraint on nullable column in table '${table.name}'.`, 8111);
  }
  const dup = duplicateKey(table, name, columns);
  if (dup) throw constraintError(dup.message, dup.number, [TERMINATED]);
  const next = { ...table, primaryKey: { name, columns } };
  // The rows now live in key order (a clustered primary key), which runSelect relies on.
  if (Array.isArray(next.rows)) keepKeyOrder(next, next.rows as SqlValue[][]);
  catalog.replace(table, next);
  return NONE;
}

/** The referenced columns must be the parent's primary key or one of its unique keys (in any order), of the same types. */
function addForeignKey(catalog: Catalog, table: TestTable, fk: ForeignKey, check: boolean): Outcome {
  const parent = catalog.find(fk.references);
  if (!parent) throw constraintError(`Foreign key '${fk.name}' references invalid table '${display(fk.references)}'.`, 1767);
  const idx = columnIndexes(table, fk.columns);
  const refIdx = columnIndexes(parent, fk.refColumns);
  const sameSet = (cols: readonly string[]) =>
    cols.length === fk.refColumns.length && cols.every((x) => fk.refColumns.some((y) => same(x, y)));
  const candidate =
    (parent.primaryKey && sameSet(parent.primaryKey.columns)) ||
    (parent.uniques ?? []).some((u) => sameSet(u.columns)) ||
    (parent.indexes ?? []).some((u) => u.unique && sameSet(u.columns));
  if (!candidate || idx.length !== refIdx.length) {
    throw constraintError(
      `There are no primary or candidate keys in the referenced table '${display(fk.references)}' that match the referencing column list in the foreign key '${fk.name}'.`,
      1776,
    );
  }
  idx.forEach((i, k) => {
    const a = table.columns[i]!;
    const b = parent.columns[refIdx[k]!]!;
    if (a.type.name !== b.type.name || a.type.precision !== b.type.precision || a.type.scale !== b.type.scale) {
      throw constraintError(`Column '${parent.name}.${b.name}' is not the same data type as referencing column '${table.name}.${a.name}' in foreign key '${fk.name}'.`, 1778);
    }
  });
  if (check && findOrphan(rowsOf(table), idx, keySet(rowsOf(parent), refIdx))) throw foreignKeyConflict(catalog, 'ALTER TABLE', fk, parent);
  catalog.replace(table, { ...table, foreignKeys: [...(table.foreignKeys ?? []), { ...fk, references: { schema: parent.schema, name: parent.name } }] });
  return NONE;
}

function dropConstraint(catalog: Catalog, table: TestTable, name: string): Outcome {
  const cannot: SqlMessage = { number: 3727, message: 'Could not drop constraint. See previous errors.', severity: 16 };
  const key = table.primaryKey && same(table.primaryKey.name, name) ? table.primaryKey : (table.uniques ?? []).find((u) => same(u.name, name));
  if (key) {
    // A key that a foreign key relies on stays (3725).
    const user = catalog.referencing(table).find((r) => r.fk.refColumns.length === key.columns.length && r.fk.refColumns.every((x) => key.columns.some((y) => same(x, y))));
    if (user) throw new SqlError(`The constraint '${key.name}' is being referenced by table '${user.table.name}', foreign key constraint '${user.fk.name}'.`, 3725, 16, [cannot]);
  }
  const next: TestTable = {
    ...table,
    primaryKey: table.primaryKey && same(table.primaryKey.name, name) ? undefined : table.primaryKey,
    uniques: (table.uniques ?? []).filter((u) => !same(u.name, name)),
    foreignKeys: (table.foreignKeys ?? []).filter((f) => !same(f.name, name)),
    checks: (table.checks ?? []).filter((x) => !same(x.name, name)),
  };
  const removed =
    (table.primaryKey !== next.primaryKey ? 1 : 0) +
    (table.uniques ?? []).length - next.uniques!.length +
    (table.foreignKeys ?? []).length - next.foreignKeys!.length +
    (table.checks ?? []).length - next.checks!.length;
  if (removed === 0) throw new SqlError(`'${name}' is not a constraint.`, 3728, 16, [cannot]);
  catalog.replace(table, next);
  return NONE;
}

// ---------------------------------------------------------------- the foreign keys to drop before tables

const FOREIGN_KEY_LOOKUP =
  /^SELECT\s+OBJECT_SCHEMA_NAME\(fk\.parent_object_id\)\s+AS\s+\[schema\],\s*OBJECT_NAME\(fk\.parent_object_id\)\s+AS\s+\[table\],\s*fk\.name\s+AS\s+\[name\]\s+FROM\s+sys\.foreign_keys\s+AS\s+fk\s+WHERE\s+fk\.referenced_object_id\s+IN\s*\((.*)\)\s*;?\s*$/is;

export function isForeignKeyLookup(sql: string): boolean {
  return FOREIGN_KEY_LOOKUP.test(sql);
}

/**
 * SELECT OBJECT_SCHEMA_NAME(fk.parent_object_id) AS [schema], OBJECT_NAME(…) AS [table], fk.name
 * AS [name] FROM sys.foreign_keys AS fk WHERE fk.referenced_object_id IN (OBJECT_ID(N'[s].[t]'), …):
 * one row per foreign key referencing any of the tables (OBJECT_ID of a missing table is NULL).
 */
export function foreignKeysReferencing(sql: string, catalog: Catalog): Outcome {
  const c = new Cursor(FOREIGN_KEY_LOOKUP.exec(sql)![1]!);
  const targets: TestTable[] = [];
  do {
    c.word('OBJECT_ID');
    c.op('(');
    const name = c.next();
    if (name.t !== 'str') throw c.syntax(name);
    c.op(')');
    const n = new Cursor(name.v);
    const table = catalog.find(n.qualified());
    if (table && !targets.includes(table)) targets.push(table);
  } while (c.optOp(','));
  c.end();
  const rows = targets
    .flatMap((t) => catalog.referencing(t))
    .map((r): SqlValue[] => [r.table.schema, r.table.name, r.fk.name])
    .sort((a, b) => (a.join('.') < b.join('.') ? -1 : 1));
  const sysname = parseType('sysname');
  return { sets: [{ columns: [{ name: 'schema', type: sysname }, { name: 'table', type: sysname }, { name: 'name', type: sysname }], rows }] };
}
