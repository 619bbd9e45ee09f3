import type { Column, PortableType, QualifiedName, Table } from '../model/catalog.js';
import type { EngineName } from '../model/roles.js';
import { BenchError } from '../base/errors.js';
import type { ConstraintStep } from '../model/database.js';
import { quoteName, tableSql } from './mssql-sql.js';
import { UNCONSTRAINED_DECIMAL_SCALE } from './portable-fingerprint.js';

/**
 * Target DDL for SQL Server. From a SQL Server source the source's own type names are reused verbatim;
 * from PostgreSQL the portable types are mapped (mssqlTypeFor, the README's reverse table). Every
 * statement is sent on its own, so an error names the one that failed.
 */

/** The T-SQL type of a target column, from the source column. */
export function targetTypeOf(c: Column, sourceEngine: EngineName): string {
  return sourceEngine === 'mssql' ? c.nativeType : mssqlTypeFor(c.portable, c.name);
}

/** nvarchar(n) holds at most 4,000 characters; longer declared lengths become nvarchar(max). */
const NVARCHAR_MAX_LENGTH = 4000;

/**
 * Engine-neutral type → SQL Server type. Text is always Unicode (nvarchar): PostgreSQL text is UTF-8, and
 * a varchar column would silently turn characters outside its code page into '?'. Types with no
 * faithful mapping stop the run before anything is copied, naming the column.
 */
export function mssqlTypeFor(p: PortableType, column: string): string {
  switch (p.kind) {
    case 'int16': return 'smallint';
    case 'int32': return 'int';
    case 'int64': return 'bigint';
    case 'bool': return 'bit';
    case 'float32': return 'real';
    case 'float64': return 'float';
    case 'money': return 'money';
    case 'decimal':
      if (p.precision === undefined) {
        // An unconstrained PostgreSQL numeric has no SQL Server equivalent; decimal(38,10) holds most
        // real data, and a value it rounds is caught by validation (the exact sum differs).
        return `decimal(38,${UNCONSTRAINED_DECIMAL_SCALE})`;
      }
      if (p.precision > 38) throw new BenchError(`column "${column}" is numeric(${p.precision},${p.scale ?? 0}); SQL Server's decimal stops at 38 digits`);
      return `decimal(${p.precision},${p.scale ?? 0})`;
    case 'text':
      if (p.length === undefined || p.length <= 0 || p.length > NVARCHAR_MAX_LENGTH) return 'nvarchar(max)';
      return p.fixed ? `nchar(${p.length})` : `nvarchar(${p.length})`;
    case 'binary': return 'varbinary(max)';
    case 'date': return 'date';
    case 'time': return `time(${p.precision ?? 6})`;
    case 'timestamp': return `datetime2(${p.precision ?? 6})`;
    case 'timestamptz': return `datetimeoffset(${p.precision ?? 6})`;
    case 'uuid': return 'uniqueidentifier';
    // SQL Server 2025's json type is not in every supported version; nvarchar(max) holds the document.
    case 'json': return 'nvarchar(max)';
    case 'xml': return 'xml';
    case 'other':
      throw new BenchError(`column "${column}" has type ${p.name}, which bench cannot map to SQL Server`);
  }
}

/** Creates a schema that does not exist yet (dbo always does); CREATE SCHEMA must be alone in its batch. */
export function createSchemaSql(schema: string): string {
  const literal = schema.replace(/'/g, "''");
  const inner = `CREATE SCHEMA ${quoteName(schema)}`.replace(/'/g, "''");
  return `IF SCHEMA_ID(N'${literal}') IS NULL EXEC(N'${inner}')`;
}

export function createTableSql(t: Table, sourceEngine: EngineName): string {
  const cols = t.columns
    .filter((c) => c.generated === undefined || sourceEngine !== 'mssql')
    .map((c) => `${quoteName(c.name)} ${targetTypeOf(c, sourceEngine)} ${c.nullable ? 'NULL' : 'NOT NULL'}`);
  return `CREATE TABLE ${tableSql(t)} (${cols.join(', ')})`;
}

/** Foreign keys that reference any of these tables: they must go before the tables can be dropped. */
export function referencingForeignKeysSql(tables: readonly QualifiedName[]): string {
  const ids = tables.map((t) => `OBJECT_ID(N'${tableSql(t).replace(/'/g, "''")}')`);
  return (
    'SELECT OBJECT_SCHEMA_NAME(fk.parent_object_id) AS [schema], OBJECT_NAME(fk.parent_object_id) AS [table], fk.name AS [name] ' +
    `FROM sys.foreign_keys AS fk WHERE fk.referenced_object_id IN (${ids.join(', ')})`
  );
}

export function dropConstraintSql(t: QualifiedName, name: string): string {
  return `ALTER TABLE ${tableSql(t)} DROP CONSTRAINT ${quoteName(name)}`;
}

export function dropTableSql(t: QualifiedName): string {
  return `DROP TABLE IF EXISTS ${tableSql(t)}`;
}

function columnList(names: readonly string[]): string {
  return names.map(quoteName).join(', ');
}

/**
 * One constraint step (constraint-steps.ts) as T-SQL. Check constraints carry over only between SQL
 * Servers: their definitions are T-SQL, and PostgreSQL's are not.
 */
export function mssqlConstraintSql(step: ConstraintStep, sourceEngine: EngineName): string {
  const t = step.table;
  const add = (def: string) => `ALTER TABLE ${tableSql(t)} ADD CONSTRAINT ${quoteName(step.name)} ${def}`;
  switch (step.kind) {
    case 'primary-key':
      return add(`PRIMARY KEY (${columnList(t.primaryKey!.columns)})`);
    case 'unique':
      return add(`UNIQUE (${columnList(t.uniques.find((x) => x.name === step.name)!.columns)})`);
    case 'check': {
      const c = t.checks.find((x) => x.name === step.name)!;
      if (sourceEngine !== 'mssql') throw new BenchError(`check constraint ${step.name} on ${t.schema}.${t.name} cannot be translated from ${sourceEngine} to T-SQL`);
      return add(`CHECK ${c.definition}`);
    }
    case 'index': {
      const i = t.indexes.find((x) => x.name === step.name)!;
      return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${quoteName(i.name)} ON ${tableSql(t)} (${columnList(i.columns)})`;
    }
    case 'foreign-key': {
      const fk = t.foreignKeys.find((x) => x.name === step.name)!;
      return add(`FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${tableSql(fk.references)} (${columnList(fk.refColumns)})`);
    }
  }
}
