import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { BenchError, ConfigError, describeError } from '../base/errors.js';
import { createCorpusSql, dropCorpusSql } from './corpus.js';
import { TABLE_GENERATORS, lookupInsertSql } from './generate-sql.js';
import { CREATE_MARKER_SQL, clearSeedMarker, writeSeedMarker } from './marker.js';
import { Sessions, type Session } from './sessions.js';
import {
  LOOKUP_TABLES, TABLE_NAMES, createTableSql, dropTablesSql, foreignKeySteps, plannedRowCounts, primaryKeySql,
  qualifiedTable, type ScaledTable, type TableName,
} from './stackoverflow-schema.js';

/** Bump whenever generated content changes (formulas, word lists, salts), so old markers stop matching. */
export const GENERATOR_VERSION = 1;

export interface SeedOptions {
  scale: number;
  seed: number;
  /** Default 'public'. */
  schema?: string;
  /** Statements running at once; default 2. */
  concurrency?: number;
  signal?: AbortSignal;
  onTableDone?(table: string, rows: number, seconds: number): void;
}

export interface SeedReport {
  scale: number;
  seed: number;
  schema: string;
  tables: { name: string; rows: number; seconds: number; bytes: number }[];
  /** Wall-clock seconds per phase (create, load, primary keys, foreign keys, vacuum, finish), in order. */
  phases: { name: SeedPhase; seconds: number }[];
  seconds: number;
}

export type SeedPhase = 'create' | 'load' | 'primary-keys' | 'foreign-keys' | 'vacuum' | 'finish';

/**
 * Loads run longest first so the short ones fill in around them (measured at scale 0.01: Posts 1.9 s,
 * Votes 0.9 s, Comments 0.7 s, the rest 0.1 s or less).
 */
const LOAD_ORDER: readonly ScaledTable[] = ['Posts', 'Votes', 'Comments', 'Badges', 'Users', 'PostLinks'];

/** Index builds sort in memory up to this much per session (the server default, 64MB, spills at scale 1). */
const INDEX_BUILD_MEMORY = '256MB';

/**
 * Seeds the StackOverflow-shaped dataset into `schema`, dropping and recreating its tables:
 * create bare tables → load every table (in parallel) → primary keys (in parallel) → foreign keys added
 * NOT VALID, then validated (in parallel: VALIDATE locks less than ADD, so checks of tables that point
 * at the same Posts do not wait for each other) → VACUUM ANALYZE → marker. Keys come after the loads
 * because one index build is much cheaper than maintaining the index row by row.
 */
export async function seedStackOverflow(pool: pg.Pool, options: SeedOptions): Promise<SeedReport> {
  const { scale, seed, schema, concurrency } = checkOptions(options);
  const started = performance.now();
  const seconds = new Map<TableName, number>();
  const phases: SeedReport['phases'] = [];
  const phase = async <T>(name: SeedPhase, body: () => Promise<T>): Promise<T> => {
    const since = performance.now();
    const result = await body().catch((err: unknown) => {
      throw options.signal?.aborted ? err : seedError(name, err);
    });
    phases.push({ name, seconds: (performance.now() - since) / 1000 });
    return result;
  };
  const sd: Seeding = {
    schema,
    seed,
    concurrency,
    rows: plannedRowCounts(scale),
    sessions: new Sessions(pool, options.signal),
    corpusCreated: false,
    done: (table, count, since) => {
      const s = (performance.now() - since) / 1000;
      seconds.set(table, s);
      options.onTableDone?.(table, count, s);
    },
    onTable: (table) => (err) => {
      throw err instanceof BenchError ? err : new BenchError(`${schema}.${table}: ${describeError(err)}`, { cause: err });
    },
  };
  try {
    await phase('create', () => createTables(sd));
    await phase('load', () => loadTables(sd));
    await phase('primary-keys', () => addPrimaryKeys(sd));
    await phase('foreign-keys', () => addForeignKeys(sd));
    // VACUUM, not only ANALYZE: it sets hint bits and the visibility map now, so the first copy that
    // reads the tables does not pay for writing them.
    await phase('vacuum', () => sd.sessions.each([...LOAD_ORDER, ...LOOKUP_TABLES], concurrency, async (table, s) => {
      await s.query(`VACUUM (ANALYZE) ${qualifiedTable(schema, table)}`).catch(sd.onTable(table));
    }));
    const bytes = await phase('finish', () => finishSeed(sd, scale));
    return {
      scale,
      seed,
      schema,
      tables: TABLE_NAMES.map((name) => ({ name, rows: sd.rows[name], seconds: seconds.get(name) ?? 0, bytes: bytes.get(name) ?? 0 })),
      phases,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await sd.sessions.close();
    if (sd.corpusCreated) await dropCorpusQuietly(pool, schema);
  }
}

/** What every phase of one seeding shares; `corpusCreated` says whether `finally` must drop the corpus. */
interface Seeding {
  readonly schema: string;
  readonly seed: number;
  readonly concurrency: number;
  readonly rows: Readonly<Record<TableName, number>>;
  readonly sessions: Sessions;
  corpusCreated: boolean;
  /** A table's rows are in: its seconds for the report, and the caller's progress. */
  done(table: TableName, count: number, since: number): void;
  /** Names the table in a statement's error. */
  onTable(table: string): (err: unknown) => never;
}

/** Bare tables, the lookup tables' rows, and the corpus the generators draw words from. */
function createTables(sd: Seeding): Promise<void> {
  const { schema, rows } = sd;
  return sd.sessions.with(async (s) => {
    await s.query(CREATE_MARKER_SQL);
    // The marker goes first, so an interrupted re-seed never leaves one that describes old content.
    await transaction(s, [], async () => {
      await clearSeedMarker(s, schema);
      await s.query(`CREATE SCHEMA IF NOT EXISTS ${quoteSchema(schema)}`);
      await s.query(dropTablesSql(schema));
      for (const t of TABLE_NAMES) await s.query(createTableSql(schema, t, rows));
    });
    for (const t of LOOKUP_TABLES) {
      const since = performance.now();
      const result = await s.query(lookupInsertSql(schema, t));
      sd.done(t, result.rowCount ?? 0, since);
    }
    await s.query(dropCorpusSql(schema));
    sd.corpusCreated = true;
    await s.query(createCorpusSql(schema, sd.seed));
  });
}

function loadTables(sd: Seeding): Promise<void> {
  const { schema, seed, rows } = sd;
  return sd.sessions.each(LOAD_ORDER, sd.concurrency, async (table, s) => {
    const since = performance.now();
    const result = await s.query(TABLE_GENERATORS[table]({ schema, seed, rows })).catch(sd.onTable(table));
    // Trust the server's own count (INSERT 0 n), not the plan.
    if (result.rowCount !== rows[table]) {
      throw new BenchError(`the load of ${schema}.${table} inserted ${String(result.rowCount)} rows where ${rows[table]} were planned`);
    }
    sd.done(table, rows[table], since);
  });
}

function addPrimaryKeys(sd: Seeding): Promise<void> {
  return sd.sessions.each(TABLE_NAMES, sd.concurrency, async (table, s) => {
    const settings = [`SET LOCAL maintenance_work_mem = '${INDEX_BUILD_MEMORY}'`];
    await transaction(s, settings, () => s.query(primaryKeySql(sd.schema, table))).catch(sd.onTable(table));
  });
}

async function addForeignKeys(sd: Seeding): Promise<void> {
  const fks = foreignKeySteps(sd.schema);
  // One task per referencing table: two validations of one table would only queue on its lock.
  const byTable = [...new Set(fks.map((fk) => fk.table))].sort((a, b) => sd.rows[b] - sd.rows[a]);
  await sd.sessions.with((s) =>
    transaction(s, [], async () => {
      for (const fk of fks) await s.query(fk.addSql);
    }),
  );
  await sd.sessions.each(byTable, sd.concurrency, async (table, s) => {
    for (const fk of fks.filter((f) => f.table === table)) await s.query(fk.validateSql).catch(sd.onTable(`${table} (${fk.name})`));
  });
}

/** The corpus goes, the marker says what is there; returns each table's size on disk. */
function finishSeed(sd: Seeding, scale: number): Promise<Map<string, number>> {
  const { schema, seed } = sd;
  return sd.sessions.with(async (s) => {
    await s.query(dropCorpusSql(schema));
    sd.corpusCreated = false;
    const sizes = await s.query<{ name: string; bytes: string }>(
      `SELECT t AS name, pg_total_relation_size(format('%I.%I', $1::text, t)::regclass)::text AS bytes FROM unnest($2::text[]) AS t`,
      [schema, TABLE_NAMES],
    );
    await writeSeedMarker(s, schema, { scale, seed, version: GENERATOR_VERSION });
    return new Map(sizes.rows.map((r) => [r.name, Number(r.bytes)]));
  });
}

/** One line naming the dataset and the phase, with the server's message (and the table, from onTable). */
function seedError(phase: SeedPhase, err: unknown): BenchError {
  return new BenchError(`seeding the StackOverflow dataset failed in the ${phase} phase: ${describeError(err)}`, { cause: err });
}

async function transaction(s: Session, settings: readonly string[], body: () => Promise<unknown>): Promise<void> {
  // On an error the session is destroyed rather than returned (Sessions.with), which rolls back.
  await s.query('BEGIN');
  for (const setting of settings) await s.query(setting);
  await body();
  await s.query('COMMIT');
}

/** After a failure or an abort the corpus is only clutter; its removal must not mask the error. */
async function dropCorpusQuietly(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(dropCorpusSql(schema));
  } catch {
    // The next seed drops it before building a new one.
  }
}

function quoteSchema(schema: string): string {
  return `"${schema.replace(/"/g, '""')}"`;
}

function checkOptions(o: SeedOptions): { scale: number; seed: number; schema: string; concurrency: number } {
  const problems: string[] = [];
  if (!Number.isFinite(o.scale) || o.scale <= 0) problems.push(`scale is ${String(o.scale)}; it must be a number above 0`);
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 2 ** 31 - 1) {
    problems.push(`seed is ${String(o.seed)}; it must be a whole number from 0 to 2147483647`);
  }
  const schema = o.schema ?? 'public';
  if (schema === '' || /^_bench/.test(schema)) problems.push(`schema "${schema}" cannot hold the dataset (empty, or hidden from bench as ^_bench)`);
  const concurrency = o.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) problems.push(`concurrency is ${String(concurrency)}; it must be a positive whole number`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { scale: o.scale, seed: o.seed, schema, concurrency };
}
