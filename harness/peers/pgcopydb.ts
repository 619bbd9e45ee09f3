import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { qualified, type QualifiedName, type Table } from '../model/catalog.js';
import type { Peer } from './peer.js';
import { withPgClient } from './pg-client.js';
import { libpqEnv, runTool, urlWithoutPassword, which } from './tools.js';

/** A name pgcopydb 0.10 quotes correctly. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A database name a URI carries without percent-encoding (RFC 3986 unreserved characters). */
const URI_SAFE_NAME = /^[A-Za-z0-9._~-]+$/;

/**
 * pgcopydb clone: table jobs and index jobs at the given parallelism, large tables split by key ranges
 * (--split-tables-larger-than), only the tables under test (a filters file). --drop-if-exists because
 * pgcopydb also restores the schemas of the source (e.g. bench's _bench marker schema), which a previous
 * run left on the target: without it every run after the first fails on CREATE SCHEMA.
 */
export const pgcopydb: Peer = {
  name: 'pgcopydb',
  description: 'pgcopydb clone --table-jobs N --index-jobs N, tables over 50 MB split (schema, data, keys and indexes)',
  target: 'empty',

  /**
   * pgcopydb 0.10 quotes a name as "%s" without doubling quotes inside it, and reads the filters file
   * as `schema.table` lines of an ini file: a name with a quote, a dot, a space or other punctuation can
   * end its quoting (a table `x"; drop table y; --` made it send `DROP TABLE IF EXISTS "public"."x"; drop
   * table y; --"` to the target) or select another table. It runs with --drop-if-exists, so it only ever
   * sees names of letters, digits and underscores, which it quotes correctly (upper case included).
   */
  handles(tables) {
    const unsafe = filterNames(tables).find((t) => !PLAIN_NAME.test(t.schema) || !PLAIN_NAME.test(t.name));
    if (!unsafe) return true;
    return `pgcopydb 0.10 cannot quote the name ${qualified(unsafe)} (it would send it unescaped, even to DROP TABLE): rename it, or leave it out with --tables`;
  },

  async available(ctx) {
    if (!(await which('pgcopydb'))) return 'pgcopydb is not installed (Debian: pgcopydb)';
    // pgcopydb 0.10 writes the database name into pg_dump's URI through a printf-style format: a name
    // that needs percent-encoding comes out mangled ("x%20D%C3%A9" became "x%20D%s3%": pg_dump refused
    // it), whether given as a URI or as key=value.
    const awkward = [ctx.urls.source, ctx.urls.target].map((u) => libpqEnv(u).PGDATABASE!).find((name) => !URI_SAFE_NAME.test(name));
    if (awkward !== undefined) return `pgcopydb 0.10 mangles a database name that needs percent-encoding in a URI (${JSON.stringify(awkward)}): run it on a database named with letters, digits, _ . ~ -`;
    return true;
  },

  async run(ctx) {
    const filters = join(ctx.workDir, 'pgcopydb-filters.ini');
    // Materialized views are relations to its filters too: one left out keeps its definition but loses
    // its indexes. Only plain names go in the file (see handles()).
    const matviews = await withPgClient(ctx.urls.source, ctx.toolApplicationName, async (c) =>
      (await c.query<QualifiedName>(`SELECT schemaname AS schema, matviewname AS name FROM pg_matviews WHERE schemaname !~ '^_bench'`)).rows,
    );
    const included = [...filterNames(ctx.tables), ...matviews.filter((m) => PLAIN_NAME.test(m.schema) && PLAIN_NAME.test(m.name))];
    writeFileSync(filters, `[include-only-table]\n${included.map((t) => `${t.schema}.${t.name}`).join('\n')}\n`);
    const jobs = String(Math.max(1, ctx.parallelism));
    // pgcopydb 0.10 computes split ranges with pg_table_size('schema.Name') unquoted, which fails for
    // names that need quoting (StackOverflow's "Posts"): split only when every name is plain lower case.
    const plain = ctx.tables.every((t) => /^[a-z_][a-z0-9_]*$/.test(t.schema) && /^[a-z_][a-z0-9_]*$/.test(t.name));
    const split = plain ? ['--split-tables-larger-than', '50MB'] : [];
    // Two URLs but one PGPASSWORD: put each password in a passfile instead.
    const passfile = join(ctx.workDir, 'pgpass');
    const line = (url: string) => {
      const u = new URL(url);
      const esc = (s: string) => decodeURIComponent(s).replace(/([:\\])/g, '\\$1');
      return `${u.hostname}:${u.port || '5432'}:*:${esc(u.username)}:${esc(u.password)}`;
    };
    writeFileSync(passfile, `${line(ctx.urls.source)}\n${line(ctx.urls.target)}\n`, { mode: 0o600 });
    const env: Record<string, string> = {
      PGCOPYDB_SOURCE_PGURI: urlWithoutPassword(ctx.urls.source),
      PGCOPYDB_TARGET_PGURI: urlWithoutPassword(ctx.urls.target),
      PGPASSFILE: passfile,
      PGAPPNAME: ctx.toolApplicationName,
    };
    await runTool(
      'pgcopydb',
      [
        'clone', '--dir', join(ctx.workDir, 'pgcopydb'), '--table-jobs', jobs, '--index-jobs', jobs, ...split, '--filters', filters,
        // The trial's snapshot: every table as of one moment, like bench's own tasks.
        ...(ctx.snapshot ? ['--snapshot', ctx.snapshot.id] : []),
        '--no-owner', '--no-acl', '--skip-extensions', '--drop-if-exists', '--notice',
      ],
      { env, signal: ctx.signal },
    );
    return plain ? undefined : 'tables not split: pgcopydb 0.10 cannot split tables whose names need quoting';
  },
};

/**
 * The tables pgcopydb is told to include: bench's, and the partitioned tables above its partitions
 * (pgcopydb 0.10 leaves out a partition whose partitioned table is not included, then fails attaching
 * it: "relation public.payment_p2022_01 does not exist").
 */
function filterNames(tables: readonly Table[]): QualifiedName[] {
  const names = new Map<string, QualifiedName>();
  for (const t of tables) for (const n of [t, ...(t.partitionOf ?? [])]) names.set(qualified(n), { schema: n.schema, name: n.name });
  return [...names.values()];
}
