/**
 * TEST SERVER CODE (not part of bench): the test server's database — its schemas and tables, the
 * fixture tables it started with and those created at run time — and the answers to bench's
 * introspection batch (INTROSPECT_BATCH in harness/engines/mssql-sql.ts), read from it each time so
 * that tables, keys, indexes and foreign keys created by DDL show up like fixture ones.
 *
 * Tables are immutable objects: DDL replaces a table with a changed copy (sharing its rows array);
 * INSERT and bulk load append to that array (tds-constraints.ts appendRows).
 */
import type { QualifiedName } from './tds-cursor.js';
import { SqlError, type ResultSet, type TestTable } from './tds-sql.js';
import { parseType, sysColumnsShape, type SqlValue } from './tds-types.js';

type ForeignKey = NonNullable<TestTable['foreignKeys']>[number];

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Rows held by a table: the array's length for stored rows, the declared count for generated ones. */
export function rowCountOf(t: TestTable): number {
  return Array.isArray(t.rows) ? t.rows.length : t.rowCount;
}

export class Catalog {
  private list: TestTable[];
  private readonly schemas: string[];
  /** Fixture object ids start at 1000 (fixtures.ts); run-time ones far above. */
  private nextObjectId = 1_000_000;

  constructor(
    tables: readonly TestTable[],
    readonly database: string,
  ) {
    this.list = [...tables];
    this.schemas = ['dbo'];
    for (const t of tables) if (!this.hasSchema(t.schema)) this.schemas.push(t.schema);
  }

  get tables(): readonly TestTable[] {
    return this.list;
  }

  hasSchema(name: string): boolean {
    return this.schemas.some((s) => same(s, name));
  }

  addSchema(name: string): void {
    if (this.hasSchema(name)) throw new SqlError(`There is already an object named '${name}' in the database.`, 2714);
    this.schemas.push(name);
  }

  newObjectId(): number {
    return this.nextObjectId++;
  }

  find(t: QualifiedName): TestTable | undefined {
    return this.list.find((x) => same(x.schema, t.schema) && same(x.name, t.name));
  }

  /** The table, or SQL Server's error for a missing one (4902 as ALTER TABLE and CREATE INDEX say it). */
  get(t: QualifiedName): TestTable {
    const table = this.find(t);
    if (!table) throw new SqlError(`Cannot find the object "${t.schema}.${t.name}" because it does not exist or you do not have permissions.`, 4902);
    return table;
  }

  add(t: TestTable): void {
    this.list.push(t);
  }

  replace(old: TestTable, next: TestTable): void {
    this.list[this.list.indexOf(old)] = next;
  }

  remove(t: TestTable): void {
    this.list = this.list.filter((x) => x !== t);
  }

  /** database.schema.table, as SQL Server names a table in 515 and 2628 messages. */
  fullName(t: QualifiedName): string {
    return `${this.database}.${t.schema}.${t.name}`;
  }

  /**
   * Whether a schema-scoped object (table or constraint: they share one namespace in sys.objects)
   * has this name.
   */
  objectExists(schema: string, name: string): boolean {
    return this.list.some(
      (t) =>
        same(t.schema, schema) &&
        (same(t.name, name) ||
          (t.primaryKey && same(t.primaryKey.name, name)) ||
          (t.uniques ?? []).some((u) => same(u.name, name)) ||
          (t.foreignKeys ?? []).some((f) => same(f.name, name)) ||
          (t.checks ?? []).some((c) => same(c.name, name))),
    );
  }

  /** Foreign keys (of any table, the table itself included) that reference `t`. */
  referencing(t: TestTable): { table: TestTable; fk: ForeignKey }[] {
    return this.list.flatMap((x) =>
      (x.foreignKeys ?? []).filter((fk) => same(fk.references.schema, t.schema) && same(fk.references.name, t.name)).map((fk) => ({ table: x, fk })),
    );
  }

  /**
   * The answer to one of SIZE_QUERIES (mssql-sql.ts): every table's rows, and with `bytes` a size of
   * 64 bytes a row plus a page (the same from sys.allocation_units and sys.dm_db_partition_stats).
   */
  sizes(bytes: boolean): ResultSet {
    const columns: [string, string][] = [['object_id', 'int'], ['estimated_rows', 'bigint'], ...(bytes ? [['estimated_bytes', 'bigint'] as [string, string]] : [])];
    return {
      columns: columns.map(([name, type]) => ({ name, type: parseType(type) })),
      rows: this.list.map((x) => [BigInt(x.objectId), BigInt(rowCountOf(x)), ...(bytes ? [BigInt(rowCountOf(x) * 64 + 8192)] : [])]),
    };
  }

  /** sys.* answers for INTROSPECT_BATCH: four result sets, in the batch's order. */
  introspection(): ResultSet[] {
    const set = (columns: [string, string][], rows: SqlValue[][]): ResultSet => ({
      columns: columns.map(([name, type]) => ({ name, type: parseType(type) })),
      rows,
    });
    const tables = [...this.list].sort((a, b) => (a.schema + '.' + a.name < b.schema + '.' + b.name ? -1 : 1));
    return [
      set(
        [['object_id', 'int'], ['schema_name', 'sysname'], ['table_name', 'sysname']],
        tables.map((x) => [BigInt(x.objectId), x.schema, x.name]),
      ),
      set(
        [
          ['object_id', 'int'], ['column_id', 'int'], ['column_name', 'sysname'], ['type_name', 'sysname'], ['declared_type', 'sysname'],
          ['max_length', 'smallint'], ['precision', 'tinyint'], ['scale', 'tinyint'], ['is_nullable', 'bit'], ['is_computed', 'bit'],
          ['computed_definition', 'nvarchar(max)'],
        ],
        tables.flatMap((x) =>
          x.columns.map((c, i) => {
            const s = sysColumnsShape(c.type);
            return [BigInt(x.objectId), BigInt(i + 1), c.name, c.type.name, c.type.name, BigInt(s.maxLength), BigInt(s.precision), BigInt(s.scale), c.nullable, false, null];
          }),
        ),
      ),
      set(
        [['object_id', 'int'], ['index_name', 'sysname'], ['is_primary_key', 'bit'], ['is_unique_constraint', 'bit'], ['is_unique', 'bit'], ['column_name', 'sysname']],
        tables.flatMap((x) => [
          ...(x.primaryKey ? x.primaryKey.columns.map((c) => [BigInt(x.objectId), x.primaryKey!.name, true, false, true, c]) : []),
          ...(x.uniques ?? []).flatMap((u) => u.columns.map((c) => [BigInt(x.objectId), u.name, false, true, true, c])),
          ...(x.indexes ?? []).flatMap((u) => u.columns.map((c) => [BigInt(x.objectId), u.name, false, false, u.unique, c])),
        ]),
      ),
      set(
        [['object_id', 'int'], ['fk_name', 'sysname'], ['ref_schema', 'sysname'], ['ref_table', 'sysname'], ['column_name', 'sysname'], ['ref_column_name', 'sysname']],
        tables.flatMap((x) =>
          (x.foreignKeys ?? []).flatMap((fk) =>
            fk.columns.map((c, i) => [BigInt(x.objectId), fk.name, fk.references.schema, fk.references.name, c, fk.refColumns[i]!]),
          ),
        ),
      ),
    ];
  }
}
