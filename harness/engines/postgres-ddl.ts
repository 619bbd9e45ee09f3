import type { Column, PortableType, Table } from '../model/catalog.js';
import type { EngineName } from '../model/roles.js';
import { BenchError } from '../base/errors.js';
import type { ConstraintStep } from '../model/database.js';
import { columnListSql, quoteIdent, tableSql } from './postgres-sql.js';

/**
 * Target DDL for PostgreSQL. From a PostgreSQL source the source's own type names and definitions are
 * reused verbatim; from another engine the portable types are mapped (see pgTypeFor).
 */
export function createTableSql(t: Table, sourceEngine: EngineName): string {
  const cols = t.columns.map((c) => columnSql(c, sourceEngine));
  return `CREATE TABLE ${tableSql(t)} (\n  ${cols.join(',\n  ')}\n)`;
}

function columnSql(c: Column, sourceEngine: EngineName): string {
  const type = sourceEngine === 'postgres' ? c.nativeType : pgTypeFor(c.portable, c.name);
  let sql = `${quoteIdent(c.name)} ${type}`;
  if (c.generated !== undefined && sourceEngine === 'postgres') return `${sql} GENERATED ALWAYS AS (${c.generated}) STORED`;
  if (!c.nullable) sql += ' NOT NULL';
  if (c.default !== undefined && sourceEngine === 'postgres') sql += ` DEFAULT ${c.default}`;
  return sql;
}

/** Engine-neutral type → PostgreSQL type. Types with no faithful mapping stop the run, naming the column. */
export function pgTypeFor(p: PortableType, column: string): string {
  switch (p.kind) {
    case 'int16': return 'smallint';
    case 'int32': return 'integer';
    case 'int64': return 'bigint';
    case 'bool': return 'boolean';
    case 'float32': return 'real';
    case 'float64': return 'double precision';
    case 'money': return 'numeric(19,4)';
    case 'decimal': return p.precision !== undefined ? `numeric(${p.precision},${p.scale ?? 0})` : 'numeric';
    case 'text':
      if (p.length === undefined || p.length <= 0) return 'text';
      return p.fixed ? `character(${p.length})` : `character varying(${p.length})`;
    case 'binary': return 'bytea';
    case 'date': return 'date';
    case 'time': return p.precision !== undefined ? `time(${Math.min(6, p.precision)})` : 'time';
    case 'timestamp': return p.precision !== undefined ? `timestamp(${Math.min(6, p.precision)})` : 'timestamp';
    case 'timestamptz':
      return p.precision !== undefined ? `timestamp(${Math.min(6, p.precision)}) with time zone` : 'timestamp with time zone';
    case 'uuid': return 'uuid';
    case 'json': return 'jsonb';
    case 'xml': return 'xml';
    case 'other':
      throw new BenchError(`column "${column}" has type ${p.name}, which bench cannot map to PostgreSQL`);
  }
}

export function constraintSql(step: ConstraintStep, sourceEngine: EngineName): string {
  const t = step.table;
  const add = (def: string) => `ALTER TABLE ${tableSql(t)} ADD CONSTRAINT ${quoteIdent(step.name)} ${def}`;
  const same = sourceEngine === 'postgres';
  switch (step.kind) {
    case 'primary-key': {
      const pk = t.primaryKey!;
      return add(same && pk.definition ? pk.definition : `PRIMARY KEY (${columnListSql(pk.columns.map((name) => ({ name })))})`);
    }
    case 'unique': {
      const u = t.uniques.find((x) => x.name === step.name)!;
      return add(same && u.definition ? u.definition : `UNIQUE (${columnListSql(u.columns.map((name) => ({ name })))})`);
    }
    case 'check': {
      const c = t.checks.find((x) => x.name === step.name)!;
      if (!same) throw new BenchError(`check constraint ${step.name} on ${t.schema}.${t.name} cannot be translated from ${sourceEngine}`);
      return add(c.definition);
    }
    case 'index': {
      const i = t.indexes.find((x) => x.name === step.name)!;
      if (same && i.definition) return i.definition;
      return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(i.name)} ON ${tableSql(t)} (${columnListSql(i.columns.map((name) => ({ name })))})`;
    }
    case 'foreign-key': {
      const fk = t.foreignKeys.find((x) => x.name === step.name)!;
      if (same && fk.definition) return add(fk.definition);
      return add(
        `FOREIGN KEY (${columnListSql(fk.columns.map((name) => ({ name })))}) REFERENCES ${tableSql(fk.references)} ` +
          `(${columnListSql(fk.refColumns.map((name) => ({ name })))})`,
      );
    }
  }
}
