import { rmSync } from 'node:fs';
import { BenchError, describeError } from '../base/errors.js';
import { scratchPaths } from '../base/paths.js';
import { entrySql, type DumpEntry } from '../engines/pg-dump-script.js';
import { quoteLiteral, tableSql } from '../engines/postgres-sql.js';
import { matchesTableFilter, qualified, type QualifiedName, type Table } from '../model/catalog.js';
import type { Database } from '../model/database.js';
import type { SchemaStep, TargetSchema, TargetSetup } from '../model/target-schema.js';
import { withPgClient } from '../peers/pg-client.js';
import { dumpSchema, findDumpTools } from './pg-dump-tools.js';
import { checkExtensions, PG_CLASS, PG_CONSTRAINT, readCatalog, type SourceCatalog } from './source-catalog.js';

/**
 * PostgreSQL → PostgreSQL: the target's schema is the source's own, the way pgcopydb makes it. Once per
 * command, `pg_dump --schema-only -Fc` reads it and `pg_restore --verbose --section=pre-data|post-data`
 * turns it into SQL split into table-of-contents entries (engines/pg-dump-script.ts). Each trial then
 *
 * - clear (untimed): drops every object of the source's schema on the target (CASCADE: what an earlier
 *   trial or tool made of it goes, data, keys and triggers included; the target's own other objects stay);
 * - create (timed as the schema phase): runs the pre-data entries in pg_dump's order:
 *   extensions, schemas, types (enums, domains with their checks, composite and range types), collations,
 *   functions, sequences, tables with their defaults, identity and generated columns, partitions
 *   attached, views, materialized views (empty), comments;
 * - after the load (timed as constraints): the post-data entries as steps, per table and in parallel,
 *   each once its dependencies have run: keys, indexes, partitioned indexes attached, foreign keys, then
 *   what must never see the load (triggers, rules, row security, NOT VALID constraints); then the
 *   sequences set to the source's values and the populated materialized views refreshed (a schema-only
 *   dump has neither).
 *
 * With `--tables`, tables left out are not created, nor anything that depends on them (their indexes,
 * keys, triggers, foreign keys to them, views over them, functions returning their rows); every other
 * object (types, functions, sequences…) is.
 */

/**
 * Entry types that must not exist while rows are loaded: a trigger or a rule would act on every row
 * (the source's rows are already what they made them), row security could hide or refuse rows, and a
 * NOT VALID check (its own entry type) is by definition one the source's rows may break.
 */
const AFTER_LOAD_TYPES = new Set(['TRIGGER', 'EVENT TRIGGER', 'RULE', 'POLICY', 'ROW SECURITY', 'CHECK CONSTRAINT']);

export interface SourceSchemaInput {
  readonly source: Database;
  readonly target: Database;
  /** The tables bench copies (introspected, `--tables` applied). */
  readonly tables: readonly Table[];
  /** The `--tables` patterns, when the user gave some. */
  readonly selection?: readonly string[];
  readonly urls: { readonly source: string; readonly target: string };
  /** The command's private scratch directory (the archive is written there, then removed). */
  readonly workRoot: string;
}

/** The source's own schema as a plan, or why it cannot be read (no pg_dump new enough for the source). */
export async function sourceSchemaPlan(input: SourceSchemaInput): Promise<TargetSchema | string> {
  const sourceMajor = await withPgClient(input.urls.source, 'bench-setup', async (c) =>
    Math.floor(Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v) / 10000),
  );
  const tools = await findDumpTools(sourceMajor);
  if (typeof tools === 'string') return tools;

  const archive = scratchPaths.schemaDump(input.workRoot);
  let dump: { pre: DumpEntry[]; post: DumpEntry[] };
  try {
    dump = await dumpSchema(tools, input.urls.source, archive);
  } finally {
    rmSync(archive, { force: true });
  }
  const { pre, post } = dump;
  const catalog = await readCatalog(input.urls.source, [...pre, ...post]);
  await checkExtensions(input.target, pre, catalog);
  return planFrom({ ...input, pre, post, catalog, version: tools.version });
}
export interface PlanInput extends SourceSchemaInput {
  readonly pre: readonly DumpEntry[];
  readonly post: readonly DumpEntry[];
  readonly catalog: SourceCatalog;
  readonly version: string;
}

/** Which entries to run, and the post-data steps with their tables, dependencies and timing (pure but for the SQL it sends when run). */
export function planFrom(input: PlanInput): TargetSchema {
  const { catalog, target } = input;
  const relationOf = relationsIn(catalog);
  const { preKept, postKept, excluded, byId, copied } = keptEntries(input, relationOf);
  const { steps, sqlOf } = postDataSteps(postKept, byId, catalog, relationOf, copied);
  refreshSteps(preKept, byId, relationOf, steps, sqlOf);

  // Sequences (identity ones included) take the source's values, read in the trial's snapshot.
  const sequences = preKept.map(relationOf).filter((r): r is NonNullable<typeof r> => r?.kind === 'S').map((r) => r.name);
  const SEQUENCES = 'sequence values';
  if (sequences.length > 0) steps.push({ id: SEQUENCES, label: `sequence values (${sequences.length})`, after: [], afterLoad: true });

  const execute = (sql: string) => target.execute!(sql);
  return {
    description:
      `the source's own schema (pg_dump ${input.version}): ${preKept.filter((e) => e.sql !== '').length} objects before the load, ` +
      `${steps.length} steps after it` +
      (excluded.size > 0 ? `; ${excluded.size} objects left out with the tables --tables leaves out` : ''),
    steps: orderSteps(steps),
    async clear() {
      // Every object of the source's schema, whoever made it on the target (an earlier trial, a tool),
      // goes with what depends on it (CASCADE): tables with their data, keys and triggers, the types
      // they use, the schemas the source has (public aside, and with everything in them). Objects of the
      // target's own elsewhere stay. pg_dump assumes public exists.
      await execute(['SET LOCAL client_min_messages = warning;', ...[...catalog.drops].reverse()].join('\n'));
      if (catalog.hasPublic) await execute('CREATE SCHEMA IF NOT EXISTS public');
    },
    async create(setup: TargetSetup) {
      // A tool restoring the schema itself finds the extensions in place (pgcopydb runs --skip-extensions).
      const entries = setup === 'tables' ? preKept : preKept.filter((e) => e.type === 'EXTENSION');
      for (const e of entries) {
        if (e.sql === '') continue;
        await execute(entrySql(e)).catch((err: unknown) => {
          throw new BenchError(`could not create ${labelOf(e)} on the target: ${describeError(err)}`, { cause: err });
        });
      }
    },
    async apply(step, options) {
      if (step.id === SEQUENCES) return setSequences(input.urls.source, target, sequences, options.snapshot);
      await execute(sqlOf.get(step.id)!);
    },
  };
}

type RelationOf = (e: DumpEntry) => ReturnType<SourceCatalog['relations']['get']>;

function relationsIn(catalog: SourceCatalog): RelationOf {
  return (e) => (e.classId === 0 ? undefined : catalog.relations.get(`${e.classId}/${e.objectId}`));
}

const stepIdOf = (e: DumpEntry) => `toc ${e.id}`;
const labelOf = (e: DumpEntry) => `${e.type} ${e.schema === '-' ? '' : `${e.schema}.`}${e.name}`;

/** The entries kept, and the tables left out with everything that depends on them. */
function keptEntries(input: PlanInput, relationOf: RelationOf) {
  const { pre, post } = input;
  // Tables kept: the ones copied, the tables their own definitions need (the partitioned table above a
  // partition, an inheritance parent), partitioned tables --tables names, and without --tables every one.
  const copied = new Set(input.tables.map(qualified));
  const tableEntries = pre.filter((e) => e.type === 'TABLE' && e.classId === PG_CLASS && relationOf(e));
  const tableEntry = new Map(tableEntries.map((e) => [e.id, e]));
  const keep = new Set<number>();
  const keepWithParents = (e: DumpEntry) => {
    if (keep.has(e.id)) return;
    keep.add(e.id);
    for (const d of e.dependsOn) {
      const parent = tableEntry.get(d);
      if (parent) keepWithParents(parent);
    }
  };
  for (const e of tableEntries) {
    const rel = relationOf(e)!;
    const named = input.selection === undefined || (rel.kind === 'p' && matchesTableFilter(rel.name, input.selection));
    if (copied.has(qualified(rel.name)) || named) keepWithParents(e);
  }
  const excluded = new Set(tableEntries.filter((e) => !keep.has(e.id)).map((e) => e.id));
  // Whatever depends on a table left out goes too (its indexes, triggers, views over it…).
  const byId = new Map([...pre, ...post].map((e) => [e.id, e]));
  // pg_dump's dependencies have no cycles (it breaks them), so each entry's answer is computed once.
  const answered = new Map<number, boolean>();
  const dropped = (e: DumpEntry): boolean => {
    if (excluded.has(e.id)) return true;
    const known = answered.get(e.id);
    if (known !== undefined) return known;
    answered.set(e.id, false);
    const gone = e.dependsOn.some((d) => {
      const dep = byId.get(d);
      return dep !== undefined && dropped(dep);
    });
    answered.set(e.id, gone);
    if (gone) excluded.add(e.id);
    return gone;
  };
  const preKept = pre.filter((e) => !dropped(e));
  const postKept = post.filter((e) => !dropped(e));
  const created = new Set(preKept.filter((e) => tableEntry.has(e.id)).map((e) => qualified(relationOf(e)!.name)));
  const missing = [...copied].filter((t) => !created.has(t));
  if (missing.length > 0) {
    throw new BenchError(
      `bench cannot create ${missing.join(', ')} on the target from the source's schema: pg_dump did not dump ${missing.length > 1 ? 'them' : 'it'}, ` +
        'or what the table needs is left out with --tables (check the source role can read it, or widen --tables)',
    );
  }
  return { preKept, postKept, excluded, byId, copied };
}

/** A step per kept post-data entry, with the table it works on and whether it must wait for the load. */
function postDataSteps(postKept: readonly DumpEntry[], byId: ReadonlyMap<number, DumpEntry>, catalog: SourceCatalog, relationOf: RelationOf, copied: ReadonlySet<string>) {
  // The table a step works on: its own object's, else its dependencies' (an INDEX ATTACH, a COMMENT),
  // preferring a table that holds rows (the partition's, not the partitioned table's).
  const tableOf = new Map<number, QualifiedName | undefined>();
  const resolveTable = (e: DumpEntry): QualifiedName | undefined => {
    if (tableOf.has(e.id)) return tableOf.get(e.id);
    tableOf.set(e.id, undefined);
    const own = relationOf(e);
    let table = own?.name;
    if (!own) {
      const candidates = e.dependsOn.map((d) => byId.get(d)).filter((d): d is DumpEntry => d !== undefined).map(resolveTable).filter((t): t is QualifiedName => t !== undefined);
      table = candidates.find((t) => copied.has(qualified(t))) ?? candidates[0];
    }
    tableOf.set(e.id, table);
    return table;
  };

  const postIds = new Set(postKept.map((e) => e.id));
  const afterLoad = new Map<number, boolean>();
  const isAfterLoad = (e: DumpEntry): boolean => {
    const known = afterLoad.get(e.id);
    if (known !== undefined) return known;
    afterLoad.set(e.id, false);
    const own = AFTER_LOAD_TYPES.has(e.type) || (e.classId === PG_CONSTRAINT && catalog.notValid.has(e.objectId));
    const value = own || e.dependsOn.some((d) => postIds.has(d) && isAfterLoad(byId.get(d)!));
    afterLoad.set(e.id, value);
    return value;
  };
  const sqlOf = new Map<string, string>();
  const steps: SchemaStep[] = [];
  // Foreign keys added NOT VALID, and their validations (given their `after` once every add is known).
  const added: string[] = [];
  const validations: Omit<SchemaStep, 'after'>[] = [];
  for (const e of postKept) {
    if (e.sql === '') continue;
    const table = resolveTable(e);
    const step: SchemaStep = {
      id: stepIdOf(e),
      label: labelOf(e),
      ...(table ? { table } : {}),
      after: [...new Set(e.dependsOn.filter((d) => postIds.has(d) && byId.get(d)!.sql !== '').map((d) => stepIdOf(byId.get(d)!)))],
      afterLoad: isAfterLoad(e),
    };
    steps.push(step);
    const split = step.afterLoad ? undefined : splitForeignKey(e);
    sqlOf.set(step.id, split ? split.add : entrySql(e));
    if (split) {
      const id = `${step.id} validate`;
      added.push(step.id);
      validations.push({ id, label: `${step.label} (validate)`, ...(table ? { table } : {}), afterLoad: step.afterLoad });
      sqlOf.set(id, split.validate);
    }
  }
  // A validation starts once every foreign key is added: an ADD takes SHARE ROW EXCLUSIVE on both its
  // tables, which would wait behind a validation running on either.
  for (const v of validations) steps.push({ ...v, after: added });
  return { steps, sqlOf };
}

/**
 * A foreign key added as pg_dump writes it (`ALTER TABLE ONLY t ADD CONSTRAINT c FOREIGN KEY …;`) checks
 * every row holding SHARE ROW EXCLUSIVE on both tables, a lock that conflicts with itself: every foreign
 * key to one table (StackOverflow's Posts has four) is then checked one after the other. Added NOT VALID
 * (instant) and then checked with VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE on the table, ROW SHARE on
 * the one it references), the checks of different tables run at once; the result is the same validated
 * constraint. Measured at scale 0.1 on 2 cores: the ten StackOverflow foreign keys took 7.2 s instead of
 * 9.3 s (median of 3 each). Not for a partitioned table (PostgreSQL refuses NOT VALID there: pg_dump then
 * writes no ONLY), nor for a key that is NOT VALID on the source (that one runs after the load as it is).
 */
function splitForeignKey(e: DumpEntry): { add: string; validate: string } | undefined {
  if (e.type !== 'FK CONSTRAINT') return undefined;
  const m = /^(ALTER TABLE ONLY [^\n]+)\n\s+ADD CONSTRAINT ("(?:[^"]|"")+"|[^\s"]+) FOREIGN KEY [\s\S]*;\s*$/.exec(e.sql);
  if (!m) return undefined;
  const [, alter, name] = m;
  const add = e.sql.replace(/;\s*$/, ' NOT VALID;');
  return { add: entrySql({ ...e, sql: add }), validate: entrySql({ ...e, sql: `${alter} VALIDATE CONSTRAINT ${name};` }) };
}

/**
 * Materialized views populated on the source are refreshed once everything else is in place (a
 * schema-only dump creates them WITH NO DATA), one after the matviews each reads.
 */
function refreshSteps(preKept: readonly DumpEntry[], byId: ReadonlyMap<number, DumpEntry>, relationOf: RelationOf, steps: SchemaStep[], sqlOf: Map<string, string>): void {
  const preIds = new Map(preKept.map((e) => [e.id, e]));
  const matviews = preKept.filter((e) => relationOf(e)?.kind === 'm' && e.type === 'MATERIALIZED VIEW');
  const readsMatviews = (e: DumpEntry): Set<number> => {
    const found = new Set<number>();
    const walk = (id: number, seen: Set<number>) => {
      for (const d of preIds.get(id)?.dependsOn ?? []) {
        if (seen.has(d)) continue;
        seen.add(d);
        if (matviews.some((m) => m.id === d)) found.add(d);
        walk(d, seen);
      }
    };
    walk(e.id, new Set());
    return found;
  };
  const others = steps.map((s) => s.id);
  for (const m of matviews.filter((e) => relationOf(e)!.populated)) {
    const name = relationOf(m)!.name;
    const id = `refresh ${m.id}`;
    const before = [...readsMatviews(m)].filter((d) => relationOf(byId.get(d)!)!.populated).map((d) => `refresh ${d}`);
    steps.push({ id, label: `REFRESH MATERIALIZED VIEW ${qualified(name)}`, table: name, after: [...others, ...before], afterLoad: true });
    sqlOf.set(id, `REFRESH MATERIALIZED VIEW ${tableSql(name)}`);
  }
}

/** setval() on the target to each sequence's value on the source, read in the trial's snapshot. */
async function setSequences(sourceUrl: string, target: Database, sequences: readonly QualifiedName[], snapshot: string | undefined): Promise<void> {
  // A sequence is not transactional: the snapshot does not hold its value back, so it reads the value
  // of the moment, never behind the copied rows.
  const values = await withPgClient(sourceUrl, 'bench-setup', async (c) => {
    await c.query(snapshot ? `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshot)}` : 'BEGIN');
    try {
      const r = await c.query<{ i: number; last_value: string; is_called: boolean }>(
        sequences.map((s, i) => `SELECT ${i} AS i, last_value::text, is_called FROM ${tableSql(s)}`).join(' UNION ALL '),
      );
      return r.rows;
    } finally {
      await c.query('COMMIT');
    }
  });
  const calls = values.map((v) => `pg_catalog.setval(${quoteLiteral(tableSql(sequences[v.i]!))}, ${v.last_value}, ${v.is_called})`);
  await target.execute!(`SELECT ${calls.join(', ')}`);
}

/**
 * The steps in an order where every step comes after the ones it waits for (pg_dump's order already is
 * one; kept as the tie-break), so a scheduler taking them in order can always progress.
 */
function orderSteps(steps: readonly SchemaStep[]): SchemaStep[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const out: SchemaStep[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (s: SchemaStep) => {
    if (placed.has(s.id) || visiting.has(s.id)) return;
    visiting.add(s.id);
    for (const d of s.after) {
      const dep = byId.get(d);
      if (dep) place(dep);
    }
    visiting.delete(s.id);
    placed.add(s.id);
    out.push(s);
  };
  for (const s of steps) place(s);
  return out;
}
