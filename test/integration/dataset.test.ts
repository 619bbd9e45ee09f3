import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATOR_VERSION, readSeedMarker, seedStackOverflow, type SeedReport } from '../../harness/dataset/index.js';
import { SCALED_TABLES, TABLE_NAMES, plannedRowCounts } from '../../harness/dataset/stackoverflow-schema.js';
import { WORDS } from '../../harness/dataset/vocabulary.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';

const SCALE = 0.001;
const SEED = 7;

/** Like the CLI's pools: every value comes back as the server's text. */
const rawText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;
const openPool = (url: string) => new pg.Pool({ connectionString: url, max: 4, types: rawText });

async function one(pool: pg.Pool, sql: string, values?: unknown[]): Promise<Record<string, string>> {
  return (await pool.query(sql, values)).rows[0] as Record<string, string>;
}

/** md5 of the whole table as text, in key order: equal content ⇔ equal digests. */
async function digests(pool: pg.Pool, schema = 'public'): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLE_NAMES) {
    const row = await one(pool, `SELECT md5(string_agg(t::text, E'\\n' ORDER BY "Id")) AS d FROM "${schema}"."${t}" AS t`);
    out[t] = row.d!;
  }
  return out;
}

describe('StackOverflow dataset generator', () => {
  let dbs: TestDatabases;
  let source: pg.Pool;
  let target: pg.Pool;
  let report: SeedReport;
  const done: string[] = [];

  beforeAll(async () => {
    dbs = await freshDatabases('dataset');
    source = openPool(dbs.source);
    target = openPool(dbs.target);
    report = await seedStackOverflow(source, { scale: SCALE, seed: SEED, onTableDone: (t) => done.push(t) });
  });

  afterAll(async () => {
    await source?.end();
    await target?.end();
    await dbs?.drop();
  });

  it('loads exactly the planned rows into every table and reports them', async () => {
    const planned = plannedRowCounts(SCALE);
    for (const t of TABLE_NAMES) {
      const row = await one(source, `SELECT count(*) AS n FROM "${t}"`);
      expect([t, Number(row.n)]).toEqual([t, planned[t]]);
    }
    expect(report.tables.map((t) => [t.name, t.rows])).toEqual(TABLE_NAMES.map((t) => [t, planned[t]]));
    expect(report.tables.every((t) => t.bytes > 0)).toBe(true);
    expect(report.phases.map((p) => p.name)).toEqual(['create', 'load', 'primary-keys', 'foreign-keys', 'vacuum', 'finish']);
    expect([...done].sort()).toEqual([...TABLE_NAMES].sort());
  });

  it('has a primary key on every table and the ten foreign keys, validated and holding', async () => {
    const pks = await one(source, `SELECT count(*) AS n FROM pg_constraint WHERE contype = 'p' AND connamespace = 'public'::regnamespace`);
    expect(Number(pks.n)).toBe(9);
    const fks = await source.query(
      `SELECT conrelid::regclass::text AS tbl, a.attname AS col, confrelid::regclass::text AS ref, convalidated::text AS valid
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    );
    expect(fks.rows.map((r) => `${r.tbl}.${r.col}→${r.ref}`)).toEqual([
      '"Badges".UserId→"Users"',
      '"Comments".PostId→"Posts"',
      '"Comments".UserId→"Users"',
      '"PostLinks".LinkTypeId→"LinkTypes"',
      '"PostLinks".PostId→"Posts"',
      '"PostLinks".RelatedPostId→"Posts"',
      '"Posts".OwnerUserId→"Users"',
      '"Posts".PostTypeId→"PostTypes"',
      '"Votes".PostId→"Posts"',
      '"Votes".VoteTypeId→"VoteTypes"',
    ]);
    expect(fks.rows.every((r) => r.valid === 'true' || r.valid === 't')).toBe(true);
    // Belt and braces: no orphans, checked directly.
    for (const r of fks.rows) {
      const orphans = await one(source, `SELECT count(*) AS n FROM ${r.tbl} c WHERE "${r.col}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${r.ref} p WHERE p."Id" = c."${r.col}")`);
      expect([r.tbl, r.col, Number(orphans.n)]).toEqual([r.tbl, r.col, 0]);
    }
  });

  it('has NULLs where StackOverflow has them', async () => {
    const u = await one(source, `SELECT avg(("AboutMe" IS NULL)::int) AS about, avg(("Age" IS NULL)::int) AS age, avg(("Location" IS NULL)::int) AS loc,
      avg(("WebsiteUrl" IS NULL)::int) AS web, count("EmailHash") AS email FROM "Users"`);
    expect(Number(u.about)).toBeGreaterThan(0.7);
    expect(Number(u.age)).toBeGreaterThan(0.8);
    expect(Number(u.loc)).toBeGreaterThan(0.6);
    expect(Number(u.web)).toBeGreaterThan(0.7);
    expect(Number(u.email)).toBe(0);
    const p = await one(source, `SELECT
        count(*) FILTER (WHERE ("Title" IS NULL) <> ("PostTypeId" <> 1)) AS title_mismatch,
        count(*) FILTER (WHERE ("Tags" IS NULL) <> ("PostTypeId" <> 1)) AS tags_mismatch,
        count(*) FILTER (WHERE ("ParentId" IS NULL) <> ("PostTypeId" <> 2)) AS parent_mismatch,
        avg(("PostTypeId" = 1)::int) AS questions, avg(("ClosedDate" IS NULL)::int) AS open FROM "Posts"`);
    expect([p.title_mismatch, p.tags_mismatch, p.parent_mismatch].map(Number)).toEqual([0, 0, 0]);
    expect(Number(p.questions)).toBeCloseTo(0.35, 1);
    expect(Number(p.open)).toBeGreaterThan(0.95);
    const v = await one(source, `SELECT avg(("UserId" IS NULL)::int) AS user_null, avg(("BountyAmount" IS NULL)::int) AS bounty_null FROM "Votes"`);
    expect(Number(v.user_null)).toBeGreaterThan(0.8);
    expect(Number(v.bounty_null)).toBeGreaterThan(0.97);
  });

  it('answers point at questions of theirs, and counts agree', async () => {
    const r = await one(source, `SELECT
        (SELECT count(*) FROM "Posts" a LEFT JOIN "Posts" q ON q."Id" = a."ParentId" WHERE a."PostTypeId" = 2 AND q."PostTypeId" IS DISTINCT FROM 1) AS bad_parent,
        (SELECT count(*) FROM "Posts" q JOIN "Posts" a ON a."Id" = q."AcceptedAnswerId" WHERE a."ParentId" <> q."Id") AS bad_accept,
        (SELECT count(*) FROM "Posts" q LEFT JOIN (SELECT "ParentId", count(*) AS n FROM "Posts" GROUP BY 1) a ON a."ParentId" = q."Id"
          WHERE q."PostTypeId" = 1 AND q."AnswerCount" <> coalesce(a.n, 0)) AS bad_count`);
    expect([r.bad_parent, r.bad_accept, r.bad_count].map(Number)).toEqual([0, 0, 0]);
  });

  it('writes prose-like text of realistic widths from the fixed vocabulary', async () => {
    const w = await one(source, `SELECT (SELECT avg(length("Body")) FROM "Posts") AS body, (SELECT avg(length("Text")) FROM "Comments") AS text,
      (SELECT avg(length("Title")) FROM "Posts") AS title`);
    expect(Number(w.body)).toBeGreaterThan(600);
    expect(Number(w.body)).toBeLessThan(1000);
    expect(Number(w.text)).toBeGreaterThan(130);
    expect(Number(w.text)).toBeLessThan(230);
    expect(Number(w.title)).toBeGreaterThan(30);
    const words = await source.query(
      `SELECT DISTINCT lower(trim(BOTH '.,' FROM word)) AS word
       FROM (SELECT regexp_split_to_table(regexp_replace("Body", '</?p>', '', 'g'), '\\s+') AS word FROM "Posts" WHERE "Id" <= 500) AS s WHERE word <> ''`,
    );
    const vocabulary = new Set(WORDS.map((x) => x.toLowerCase()));
    const unknown = words.rows.map((r) => r.word as string).filter((x) => !vocabulary.has(x));
    expect(unknown).toEqual([]);
    expect(words.rows.length).toBeGreaterThan(100);
  });

  it('is deterministic: the same seed gives identical tables in another database, another seed different ones', async () => {
    await seedStackOverflow(target, { scale: SCALE, seed: SEED, concurrency: 3 });
    const [a, b] = await Promise.all([digests(source), digests(target)]);
    expect(b).toEqual(a);
    await seedStackOverflow(target, { scale: SCALE, seed: SEED + 1 });
    const c = await digests(target);
    for (const t of SCALED_TABLES) expect([t, c[t] === a[t]]).toEqual([t, false]);
    // Lookup tables are fixed data.
    expect(c.VoteTypes).toBe(a.VoteTypes);
  });

  it('records a marker that a re-seed replaces, per schema', async () => {
    expect(await readSeedMarker(source)).toEqual({ scale: SCALE, seed: SEED, version: GENERATOR_VERSION });
    expect(await readSeedMarker(source, 'elsewhere')).toBeUndefined();
    expect(await readSeedMarker(target)).toEqual({ scale: SCALE, seed: SEED + 1, version: GENERATOR_VERSION });
    const fresh = await freshDatabases('dataset_empty');
    const empty = openPool(fresh.source);
    try {
      expect(await readSeedMarker(empty)).toBeUndefined();
    } finally {
      await empty.end();
      await fresh.drop();
    }
  });

  it('stops on abort: rejects with the reason, cancels running statements and leaves no marker', async () => {
    const controller = new AbortController();
    const reason = new Error('stop seeding');
    const seeding = seedStackOverflow(target, {
      scale: 0.01,
      seed: SEED,
      schema: 'aborted',
      signal: controller.signal,
      // The first big table done: Posts (the longest) is still loading.
      onTableDone: (t) => {
        if ((SCALED_TABLES as readonly string[]).includes(t)) controller.abort(reason);
      },
    });
    await expect(seeding).rejects.toBe(reason);
    const active = await one(target, `SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()`);
    expect(Number(active.n)).toBe(0);
    // Posts was cancelled mid-statement (its rows rolled back), not left to run to its end.
    expect(Number((await one(target, `SELECT count(*) AS n FROM aborted."Posts"`)).n)).toBe(0);
    expect(await readSeedMarker(target, 'aborted')).toBeUndefined();
    // The public schema's seed is untouched.
    expect(await readSeedMarker(target)).toEqual({ scale: SCALE, seed: SEED + 1, version: GENERATOR_VERSION });
  });

  it('names the phase and the cause when the server refuses', async () => {
    await target.query(`CREATE SCHEMA broken; CREATE VIEW broken."Posts" AS SELECT 1 AS "Id"`);
    await expect(seedStackOverflow(target, { scale: SCALE, seed: 1, schema: 'broken' })).rejects.toThrow(
      /^seeding the StackOverflow dataset failed in the create phase: "Posts" is not a table/,
    );
    expect(await readSeedMarker(target, 'broken')).toBeUndefined();
  });

  it('rejects at once when the signal has already fired, and bad options all together', async () => {
    const controller = new AbortController();
    controller.abort(new Error('already'));
    await expect(seedStackOverflow(target, { scale: SCALE, seed: 1, signal: controller.signal })).rejects.toThrow('already');
    await expect(seedStackOverflow(target, { scale: 0, seed: -1, concurrency: 0 })).rejects.toThrow(/3 problems/);
    expect(await readSeedMarker(target)).toEqual({ scale: SCALE, seed: SEED + 1, version: GENERATOR_VERSION });
  });
});
