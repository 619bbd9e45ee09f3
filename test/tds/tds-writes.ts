/**
 * TEST SERVER CODE (not part of bench): the statements a SQL Server target writer sends (one per
 * request), routed by their leading keywords to tds-ddl.ts and tds-insert.ts. `insert bulk` is not
 * here: it opens a bulk load on the session (tds-server.ts, tds-bulk.ts).
 */
import type { Catalog } from './tds-catalog.js';
import { Cursor } from './tds-cursor.js';
import { alterTable, createIndex, createSchema, createTable, dropTable, foreignKeysReferencing, ifSchemaMissing, isForeignKeyLookup } from './tds-ddl.js';
import { runInsert } from './tds-insert.js';
import type { Departures } from './tds-departures.js';
import { SqlError, type Outcome, type Param } from './tds-sql.js';

/** The outcome of a write statement, or undefined when `sql` is not one. */
export function runWrite(sql: string, params: ReadonlyMap<string, Param>, catalog: Catalog, departures: Departures = {}): Outcome | undefined {
  const text = sql.trim();
  if (isForeignKeyLookup(text)) return foreignKeysReferencing(text, catalog);
  if (!/^(if|create|alter|drop|insert)\b/i.test(text)) return undefined;
  const c = new Cursor(text);
  if (c.isWord('IF')) {
    return ifSchemaMissing(c, catalog, (inner) => {
      const outcome = runWrite(inner, params, catalog, departures);
      if (!outcome) throw new SqlError(`Incorrect syntax near '${inner.split(/\s+/)[0] ?? ''}'.`, 102, 15);
      return outcome;
    });
  }
  if (c.isWord('CREATE')) {
    if (c.isWord('SCHEMA', 1)) return createSchema(c, catalog);
    if (c.isWord('TABLE', 1)) return createTable(c, catalog);
    return createIndex(c, catalog);
  }
  if (c.isWord('ALTER')) return alterTable(c, catalog);
  if (c.isWord('DROP')) return dropTable(c, catalog);
  return runInsert(c, catalog, params, departures);
}
