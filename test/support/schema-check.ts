import { execa } from 'execa';
import type pg from 'pg';
import { libpqEnv } from '../../harness/peers/tools.js';
import { connect } from './databases.js';

/**
 * Checks of a copy made outside bench: what pg_dump says of both schemas, and a digest of each table's
 * rows computed the same way on both sides. Neither uses bench's introspection, DDL or checksums.
 */

/**
 * `pg_dump --schema-only` without owners and grants (bench copies neither), without the lines that name
 * the run (version, start and end times, the random key of pg_dump 15.14+'s `\restrict`).
 */
export async function normalisedSchema(url: string, schemas: readonly string[] = []): Promise<string> {
  const r = await execa('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', ...schemas.map((s) => `--schema="${s.replace(/"/g, '""')}"`)], { env: libpqEnv(url) });
  return (
    r.stdout
      .split('\n')
      .filter((l) => !/^\\(un)?restrict /.test(l) && !/^-- (Dumped (from|by)|Started on|Completed on) /.test(l))
      .join('\n')
      // pg_dump lists the public schema, with no SQL, only when its owner is not the default one: an
      // ownership difference, which --no-owner leaves out everywhere else.
      .replace(/--\n-- Name: public; Type: SCHEMA; Schema: -; Owner: -\n--\n\n-- \*not\* creating schema, since initdb creates it\n\n\n/, '')
  );
}

/** Rows and an md5 of the rows' text in a fixed order, per table and materialized view of these schemas (all user schemas when none). */
export async function rowDigests(url: string, schemas?: readonly string[]): Promise<Record<string, string>> {
  const c = await connect(url);
  try {
    const relations = await c.query<{ schema: string; name: string; kind: string; populated: boolean }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind, c.relispopulated AS populated FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'm') AND n.nspname !~ '^(pg_|_bench)' AND n.nspname <> 'information_schema'
         AND ($1::text[] IS NULL OR n.nspname = ANY($1))
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
       ORDER BY 1, 2`,
      [schemas ?? null],
    );
    const out: Record<string, string> = {};
    for (const r of relations.rows) out[`${r.schema}.${r.name}`] = r.populated ? await digest(c, r) : 'not populated';
    return out;
  } finally {
    await c.end();
  }
}

async function digest(c: pg.Client, r: { schema: string; name: string; kind: string }): Promise<string> {
  const name = `${ident(r.schema)}.${ident(r.name)}`;
  // A materialized view is read as it is; a table's own rows only (an inheritance parent's children are tables of their own).
  const from = r.kind === 'm' ? name : `ONLY ${name}`;
  const q = await c.query<{ n: string; md5: string }>(
    `SELECT count(*)::text AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE "C"), '')) AS md5 FROM ${from} t`,
  );
  return `${q.rows[0]!.n} rows, md5 ${q.rows[0]!.md5}`;
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Loads Pagila as its README says: the schema, then the data (test/fixtures/pagila). */
export async function loadPagila(url: string, dir: string): Promise<void> {
  for (const file of ['pagila-schema.sql', 'pagila-data.sql']) {
    await execa('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', `${dir}/${file}`], { env: libpqEnv(url) });
  }
}
