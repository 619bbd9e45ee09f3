import type pg from 'pg';
import { matchesTableFilter, type Catalog, type Column, type PortableType, type QualifiedName, type Table } from '../model/catalog.js';

/**
 * Reads tables, columns, keys, checks, foreign keys, indexes and size estimates from pg_catalog.
 * Runs with search_path = pg_catalog so that every user object in the definitions PostgreSQL prints
 * (format_type, pg_get_constraintdef, pg_get_indexdef) comes out schema-qualified.
 * Arrays are returned as JSON because bench's sessions hand back every value as raw text.
 */
/**
 * The tables that hold rows: plain tables, inheritance parents and children, and the leaves of
 * partitioned tables. A partitioned table holds no rows of its own: bench copies it through its leaves
 * (each leaf a task: COPY per leaf, in parallel, no tuple routing on the target), and `ancestors` names
 * the partitioned tables above a leaf so `--tables public.payment` selects payment's partitions.
 * Tables that belong to an extension (PostGIS's spatial_ref_sys) are the extension's: CREATE EXTENSION
 * fills them on the target.
 */
const tablesSql = `
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name,
       c.reltuples::float8 AS estimated_rows, pg_table_size(c.oid)::int8 AS bytes,
       CASE WHEN c.relispartition THEN to_json(ARRAY(
         SELECT json_build_array(an.nspname, ac.relname) FROM pg_partition_ancestors(c.oid) WITH ORDINALITY a(relid, i)
         JOIN pg_class ac ON ac.oid = a.relid JOIN pg_namespace an ON an.oid = ac.relnamespace
         WHERE a.relid <> c.oid ORDER BY a.i))::text END AS ancestors
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp)' AND n.nspname !~ '^_bench'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname`;

/**
 * `oid_bound`: the column's binary COPY form carries type OIDs of this database, which another
 * database's differ from: somewhere inside it (through domains, array elements and composite members)
 * is an array or a composite whose element or member type is not built in (OID >= 16384, the first
 * normal object id). array_recv and record_recv refuse such values ("wrong element type").
 */
const columnsSql = `
WITH RECURSIVE walk(relid, attnum, typ, via, depth) AS (
  SELECT a.attrelid, a.attnum, a.atttypid, 'column'::text, 0
  FROM pg_attribute a WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT w.relid, w.attnum, n.typ, n.via, w.depth + 1
  FROM walk w JOIN pg_type t ON t.oid = w.typ
  CROSS JOIN LATERAL (
    SELECT t.typbasetype AS typ, 'domain' AS via WHERE t.typtype = 'd'
    UNION ALL SELECT t.typelem, 'element' WHERE t.typtype = 'b' AND t.typelem <> 0 AND t.typlen = -1
    UNION ALL SELECT m.atttypid, 'member' FROM pg_attribute m
      WHERE t.typtype = 'c' AND m.attrelid = t.typrelid AND m.attnum > 0 AND NOT m.attisdropped
  ) n
  WHERE w.depth < 16
), bound AS (
  SELECT relid, attnum, bool_or(via IN ('element', 'member') AND typ >= 16384) AS oid_bound FROM walk GROUP BY relid, attnum
)
SELECT a.attrelid::int8 AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS native_type,
       NOT a.attnotnull AS nullable, t.typname AS typname, a.atttypmod AS typmod, t.typtype AS typtype,
       a.attgenerated AS generated, a.attidentity AS identity, pg_get_expr(d.adbin, d.adrelid) AS default_expr,
       b.oid_bound
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
JOIN bound b ON b.relid = a.attrelid AND b.attnum = a.attnum
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

const constraintsSql = `
SELECT con.conrelid::int8 AS oid, con.conname AS name, con.contype AS type, pg_get_constraintdef(con.oid) AS definition,
       to_json(ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i))::text AS columns,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       to_json(ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i))::text AS ref_columns
FROM pg_constraint con
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'c', 'f')
ORDER BY con.conrelid, con.conname`;

// Indexes that back a primary key, unique or exclusion constraint are recreated with the constraint.
const indexesSql = `
SELECT i.indrelid::int8 AS oid, ic.relname AS name, i.indisunique AS is_unique, pg_get_indexdef(i.indexrelid) AS definition,
       to_json(ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k))::text AS columns
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = ANY($1::oid[])
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname`;

type Row = Record<string, string | null>;

export async function introspectPostgres(client: pg.ClientBase, patterns?: readonly string[]): Promise<Catalog> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await client.query('SET LOCAL search_path = pg_catalog');
    // A partition is selected by its own name or by a partitioned table's above it.
    const tables = (await client.query<Row>(tablesSql)).rows.filter((t) =>
      [{ schema: t.schema!, name: t.name! }, ...ancestorsOf(t)].some((name) => matchesTableFilter(name, patterns)),
    );
    const oids = tables.map((t) => t.oid!);
    // One connection answers one query at a time: awaiting in turn is what it does anyway.
    const columns = await client.query<Row>(columnsSql, [oids]);
    const constraints = await client.query<Row>(constraintsSql, [oids]);
    const indexes = await client.query<Row>(indexesSql, [oids]);
    const group = (rows: Row[]): Map<string, Row[]> => {
      const m = new Map<string, Row[]>();
      for (const r of rows) m.set(r.oid!, [...(m.get(r.oid!) ?? []), r]);
      return m;
    };
    const colsBy = group(columns.rows);
    const consBy = group(constraints.rows);
    const idxBy = group(indexes.rows);
    const result: Table[] = tables.map((t) => {
      const cons = consBy.get(t.oid!) ?? [];
      const keys = (type: string) =>
        cons
          .filter((c) => c.type === type)
          .map((c) => ({ name: c.name!, columns: JSON.parse(c.columns!) as string[], definition: c.definition! }));
      return {
        schema: t.schema!,
        name: t.name!,
        columns: (colsBy.get(t.oid!) ?? []).map(toColumn),
        primaryKey: keys('p')[0],
        uniques: keys('u'),
        checks: cons.filter((c) => c.type === 'c').map((c) => ({ name: c.name!, definition: c.definition! })),
        foreignKeys: cons
          .filter((c) => c.type === 'f')
          .map((c) => ({
            name: c.name!,
            columns: JSON.parse(c.columns!) as string[],
            references: { schema: c.ref_schema!, name: c.ref_table! },
            refColumns: JSON.parse(c.ref_columns!) as string[],
            definition: c.definition!,
          })),
        indexes: (idxBy.get(t.oid!) ?? []).map((i) => ({
          name: i.name!,
          columns: JSON.parse(i.columns!) as string[],
          unique: i.is_unique === 'true' || i.is_unique === 't',
          definition: i.definition!,
        })),
        estimatedRows: Math.round(Number(t.estimated_rows)),
        estimatedBytes: Number(t.bytes),
        ...(t.ancestors ? { partitionOf: ancestorsOf(t) } : {}),
      };
    });
    await client.query('COMMIT');
    return { engine: 'postgres', tables: result };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

function ancestorsOf(t: Row): QualifiedName[] {
  return t.ancestors ? (JSON.parse(t.ancestors) as [string, string][]).map(([schema, name]) => ({ schema, name })) : [];
}

const truthy = (v: string | null | undefined) => v === 'true' || v === 't';

function toColumn(r: Row): Column {
  const generated = r.generated === 's' ? (r.default_expr ?? undefined) : undefined;
  // Sequence and identity defaults belong to the source's sequences; the copied values are what matter.
  const keepDefault = !generated && r.identity === '' && r.default_expr && !/nextval\(/i.test(r.default_expr);
  return {
    name: r.name!,
    nativeType: r.native_type!,
    portable: portableType(r.typname!, Number(r.typmod), r.typtype!),
    nullable: r.nullable === 'true' || r.nullable === 't',
    ...(keepDefault ? { default: r.default_expr! } : {}),
    ...(generated !== undefined ? { generated } : {}),
    ...(r.identity === 'a' ? { identity: 'always' as const } : r.identity === 'd' ? { identity: 'by-default' as const } : {}),
    ...(truthy(r.oid_bound) ? { binaryCarriesOids: true } : {}),
  };
}

/** PostgreSQL type → engine-neutral type (typmod rules from PostgreSQL's format_type.c). */
export function portableType(typname: string, typmod: number, typtype: string): PortableType {
  if (typtype !== 'b' && typtype !== 'r') return { kind: 'other', name: typname };
  const precision = typmod >= 0 ? typmod : undefined;
  switch (typname) {
    case 'int2': return { kind: 'int16' };
    case 'int4': return { kind: 'int32' };
    case 'int8': return { kind: 'int64' };
    case 'bool': return { kind: 'bool' };
    case 'float4': return { kind: 'float32' };
    case 'float8': return { kind: 'float64' };
    case 'money': return { kind: 'money' };
    case 'numeric':
      return typmod >= 4
        ? { kind: 'decimal', precision: ((typmod - 4) >> 16) & 0xffff, scale: (typmod - 4) & 0xffff }
        : { kind: 'decimal' };
    case 'varchar':
      return typmod >= 4 ? { kind: 'text', length: typmod - 4 } : { kind: 'text' };
    case 'bpchar':
      return { kind: 'text', fixed: true, ...(typmod >= 4 ? { length: typmod - 4 } : {}) };
    case 'text':
    case 'name':
    case 'citext':
      return { kind: 'text' };
    case 'bytea': return { kind: 'binary' };
    case 'date': return { kind: 'date' };
    case 'time':
    case 'timetz':
      return { kind: 'time', ...(precision !== undefined ? { precision } : {}) };
    case 'timestamp': return { kind: 'timestamp', ...(precision !== undefined ? { precision } : {}) };
    case 'timestamptz': return { kind: 'timestamptz', ...(precision !== undefined ? { precision } : {}) };
    case 'uuid': return { kind: 'uuid' };
    case 'json':
    case 'jsonb':
      return { kind: 'json' };
    case 'xml': return { kind: 'xml' };
    default: return { kind: 'other', name: typname };
  }
}
