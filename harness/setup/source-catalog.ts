import type { DumpEntry } from '../engines/pg-dump-script.js';
import { quoteLiteral } from '../engines/postgres-sql.js';
import { BenchError } from '../base/errors.js';
import type { QualifiedName } from '../model/catalog.js';
import type { Database } from '../model/database.js';
import { withPgClient } from '../peers/pg-client.js';

/**
 * What the source's catalog says of the objects pg_dump dumped (by their class and OID, which a name
 * cannot forge): the table each belongs to, which constraints are NOT VALID, the extensions, and how to
 * drop every object on the target.
 */

/** The source catalog's answers, read once per command. */
export interface SourceCatalog {
  /** By "class/oid": the relation the object is or belongs to (an index's, constraint's, trigger's table). */
  readonly relations: ReadonlyMap<string, { readonly name: QualifiedName; readonly kind: string; readonly populated: boolean }>;
  /** Constraints (by OID) created NOT VALID on the source. */
  readonly notValid: ReadonlySet<number>;
  /** Extension names by OID. */
  readonly extensions: ReadonlyMap<number, string>;
  /**
   * A DROP … IF EXISTS … CASCADE for every object of the source's schema, in dump order: the whole
   * schema's, not only the objects --tables keeps, since a tool (pg_dump -t less) restores them all.
   */
  readonly drops: readonly string[];
  /** The source has a public schema (which pg_dump assumes the target has, and never creates). */
  readonly hasPublic: boolean;
}

/**
 * DROP syntax for the objects pg_dump's pre-data creates, by pg_identify_object()'s type. The parts of a
 * table (constraints, defaults, indexes, triggers, comments) go with it. `public` is never dropped.
 */
const DROP_KIND: Readonly<Record<string, string>> = {
  table: 'TABLE', view: 'VIEW', 'materialized view': 'MATERIALIZED VIEW', sequence: 'SEQUENCE', 'foreign table': 'FOREIGN TABLE',
  type: 'TYPE', 'composite type': 'TYPE', domain: 'DOMAIN', function: 'FUNCTION', aggregate: 'AGGREGATE', procedure: 'PROCEDURE',
  collation: 'COLLATION', extension: 'EXTENSION', schema: 'SCHEMA', operator: 'OPERATOR', 'operator class': 'OPERATOR CLASS',
  'operator family': 'OPERATOR FAMILY', 'text search configuration': 'TEXT SEARCH CONFIGURATION', 'text search dictionary': 'TEXT SEARCH DICTIONARY',
  'text search parser': 'TEXT SEARCH PARSER', 'text search template': 'TEXT SEARCH TEMPLATE', conversion: 'CONVERSION', cast: 'CAST',
  'foreign-data wrapper': 'FOREIGN DATA WRAPPER', server: 'SERVER', language: 'LANGUAGE', 'access method': 'ACCESS METHOD', 'event trigger': 'EVENT TRIGGER',
};

export const PG_CLASS = 1259;
export const PG_CONSTRAINT = 2606;
const PG_EXTENSION = 3079;

export async function readCatalog(url: string, entries: readonly DumpEntry[]): Promise<SourceCatalog> {
  const objects = entries.filter((e) => e.classId !== 0);
  return withPgClient(url, 'bench-setup', async (c) => {
    const rel = await c.query<{ classid: string; objid: string; schema: string; name: string; kind: string; populated: boolean }>(
      `SELECT e.classid::int8::text AS classid, e.objid::int8::text AS objid, n.nspname AS schema, r.relname AS name,
              r.relkind::text AS kind, r.relispopulated AS populated
       FROM unnest($1::oid[], $2::oid[]) AS e(classid, objid)
       CROSS JOIN LATERAL (SELECT CASE e.classid
         WHEN 'pg_class'::regclass THEN coalesce((SELECT indrelid FROM pg_index WHERE indexrelid = e.objid), e.objid)
         WHEN 'pg_constraint'::regclass THEN (SELECT nullif(conrelid, 0) FROM pg_constraint WHERE oid = e.objid)
         WHEN 'pg_trigger'::regclass THEN (SELECT tgrelid FROM pg_trigger WHERE oid = e.objid)
         WHEN 'pg_rewrite'::regclass THEN (SELECT ev_class FROM pg_rewrite WHERE oid = e.objid)
         WHEN 'pg_policy'::regclass THEN (SELECT polrelid FROM pg_policy WHERE oid = e.objid)
         WHEN 'pg_statistic_ext'::regclass THEN (SELECT stxrelid FROM pg_statistic_ext WHERE oid = e.objid)
       END AS relid) x
       JOIN pg_class r ON r.oid = x.relid JOIN pg_namespace n ON n.oid = r.relnamespace`,
      [objects.map((e) => e.classId), objects.map((e) => e.objectId)],
    );
    const notValid = await c.query<{ oid: string }>(`SELECT oid::int8::text AS oid FROM pg_constraint WHERE oid = ANY($1::oid[]) AND NOT convalidated`, [
      objects.filter((e) => e.classId === PG_CONSTRAINT).map((e) => e.objectId),
    ]);
    const extensions = await c.query<{ oid: string; name: string }>(`SELECT oid::int8::text AS oid, extname AS name FROM pg_extension WHERE oid = ANY($1::oid[])`, [
      objects.filter((e) => e.classId === PG_EXTENSION).map((e) => e.objectId),
    ]);
    // Ordered as the dump creates them; the reset drops them in reverse. An object another one owns (an
    // identity column's sequence) goes with its owner: dropping it alone is refused.
    const identities = await c.query<{ i: string; type: string; identity: string }>(
      `SELECT e.i::text AS i, o.type, o.identity FROM unnest($1::oid[], $2::oid[]) WITH ORDINALITY AS e(classid, objid, i)
       CROSS JOIN LATERAL pg_identify_object(e.classid, e.objid, 0) AS o
       WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = e.classid AND d.objid = e.objid AND d.deptype IN ('i', 'e')
                           AND NOT (d.refclassid = d.classid AND d.refobjid = d.objid))
       ORDER BY e.i`,
      [objects.map((e) => e.classId), objects.map((e) => e.objectId)],
    );
    const hasPublic = await c.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'public'`);
    return {
      relations: new Map(rel.rows.map((r) => [`${r.classid}/${r.objid}`, { name: { schema: r.schema, name: r.name }, kind: r.kind, populated: r.populated }])),
      notValid: new Set(notValid.rows.map((r) => Number(r.oid))),
      extensions: new Map(extensions.rows.map((r) => [Number(r.oid), r.name])),
      drops: identities.rows
        .filter((r) => DROP_KIND[r.type] !== undefined && !(r.type === 'schema' && r.identity === 'public'))
        .map((r) => `DROP ${DROP_KIND[r.type]} IF EXISTS ${r.identity} CASCADE;`),
      hasPublic: (hasPublic.rowCount ?? 0) > 0,
    };
  });
}

/** Every extension the schema creates must be installable on the target: say which are not, once. */
export async function checkExtensions(target: Database, pre: readonly DumpEntry[], catalog: SourceCatalog): Promise<void> {
  const wanted = pre.filter((e) => e.type === 'EXTENSION').map((e) => catalog.extensions.get(e.objectId) ?? e.name);
  if (wanted.length === 0 || !target.execute) return;
  const missing: string[] = [];
  for (const name of wanted) {
    // DO blocks cannot return rows: a missing extension raises, naming it.
    await target.execute(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = ${quoteLiteral(name)}) THEN RAISE EXCEPTION 'missing'; END IF; END $$`).catch(() => missing.push(name));
  }
  if (missing.length > 0) {
    throw new BenchError(
      `the source uses the extension${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the target server ${target.display} does not have: install ${missing.length > 1 ? 'them' : 'it'} there (Debian: the postgresql-NN-<extension> package, or postgresql-contrib), or copy from a source without ${missing.length > 1 ? 'them' : 'it'}`,
    );
  }
}

