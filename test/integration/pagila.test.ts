import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../harness/base/paths.js';
import { disposePeers, peerNames } from '../../harness/peers/index.js';
import { which } from '../../harness/peers/tools.js';
import { runTrial } from '../../harness/trial/run-trial.js';
import { strategies, strategyNames } from '../../strategies/index.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';
import { loadPagila, normalisedSchema, rowDigests } from '../support/schema-check.js';
import { connectPair, runContextFor, trial, type Pair } from '../support/trial.js';

/**
 * Pagila (the PostgreSQL sample database: an enum, domains, one with a non-ASCII name, arrays, a
 * tsvector kept by a trigger, a range-partitioned table, views, a materialized view, functions,
 * triggers), copied by every strategy and peer tool. Each copy passes bench's validation and a check made
 * without bench: the two schemas as pg_dump prints them are equal, and so is every table's rows' digest.
 */
const postgresPair = { source: 'postgres', target: 'postgres' } as const;
const forPostgres = strategyNames.filter((s) => strategies[s].supports(postgresPair) === true);
const tools: Record<string, string> = { 'server-copy': 'psql', 'psql-pipe': 'psql', 'pg-dump-restore': 'pg_dump', pgcopydb: 'pgcopydb' };

/** The 21 tables of Pagila that hold rows: 14 plain tables and payment's 7 monthly partitions. */
const TABLES_WITH_ROWS = 21;

describe('Pagila', () => {
  let dbs: TestDatabases;
  let pair: Pair;
  let sourceSchema: string;
  let sourceRows: Record<string, string>;

  beforeAll(async () => {
    dbs = await freshDatabases('pagila');
    await loadPagila(dbs.source, join(packageRoot, 'test', 'fixtures', 'pagila'));
    // Populated on the source, so the copy must refresh it; ANALYZE for the planner's row estimates.
    const c = await connect(dbs.source);
    await c.query('REFRESH MATERIALIZED VIEW public.rental_by_category; ANALYZE');
    await c.end();
    pair = await connectPair(dbs.source, dbs.target);
    [sourceSchema, sourceRows] = await Promise.all([normalisedSchema(dbs.source), rowDigests(dbs.source)]);
  });

  afterAll(async () => {
    await disposePeers();
    await pair?.close();
    await dbs?.drop();
  });

  /** The target equals the source as pg_dump and plain SQL see them. */
  async function expectIdenticalCopy(): Promise<void> {
    expect(await normalisedSchema(dbs.target)).toBe(sourceSchema);
    expect(await rowDigests(dbs.target)).toEqual(sourceRows);
  }

  it('is read as 21 tables that hold rows: the partitions, not the partitioned table', async () => {
    const { tables } = await pair.source.introspect();
    expect(tables).toHaveLength(TABLES_WITH_ROWS);
    expect(tables.filter((t) => t.name.startsWith('payment')).map((t) => [t.name, t.partitionOf])).toEqual(
      Array.from({ length: 7 }, (_, i) => [`payment_p2022_0${i + 1}`, [{ schema: 'public', name: 'payment' }]]),
    );
    // --tables names the partitioned table: its partitions are what gets copied.
    expect((await pair.source.introspect(['public.payment'])).tables).toHaveLength(7);
  });

  it.each(forPostgres)('%s copies it: validated by bench, schema and rows identical when checked outside bench', async (strategy) => {
    const result = await trial(pair, { strategy, parallelism: 2 });
    expect(result.state, result.state === 'failed' ? `${result.phase}: ${result.error}` : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation).toHaveLength(TABLES_WITH_ROWS);
    expect(result.validation.every((v) => v.match)).toBe(true);
    expect(result.metrics.rows).toBe(result.validation.reduce((n, v) => n + v.sourceRows, 0));
    await expectIdenticalCopy();
  });

  it('keeps triggers and the generated values as the source has them (the tsvector trigger did not fire on the load)', async () => {
    const t = await connect(dbs.target);
    const triggers = await t.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE NOT tgisinternal`);
    const rental = await t.query(`SELECT ispopulated FROM pg_matviews WHERE matviewname = 'rental_by_category'`);
    const seq = await t.query(`SELECT last_value::int AS v FROM public.payment_payment_id_seq`);
    await t.end();
    expect(triggers.rows[0].n).toBe(15);
    expect(rental.rows[0].ispopulated).toBe(true);
    expect(seq.rows[0].v).toBe(32098);
  });

  it.each(peerNames)('the peer %s copies it, and the copy checks out the same way', async (peer) => {
    const tables = (await pair.source.introspect()).tables;
    const workRoot = mkdtempSync(join(tmpdir(), 'bench-pagila-'));
    try {
      const r = await runTrial({ kind: 'peer', peer, parallelism: 2, repetition: 1, id: `${peer}/p2#1`, point: `${peer}/p2` }, runContextFor(pair, tables, workRoot));
      if (r.state === 'skipped' && !(await which(tools[peer]!))) {
        console.log(`*** peer ${peer} skipped here: ${r.reason} ***`);
        return;
      }
      expect(r.state, r.state === 'failed' ? `${r.phase}: ${r.error}` : r.state === 'skipped' ? r.reason : '').toBe('ok');
      if (r.state !== 'ok') return;
      expect(r.validation.every((v) => v.match)).toBe(true);
      await expectIdenticalCopy();
    } finally {
      rmSync(workRoot, { recursive: true, force: true });
    }
  });

  it('copies a subset: what depends on the tables left out is left out, the rest of the schema is there', async () => {
    // The target's own objects, outside the source's schema, outlive the reset.
    const own = await connect(dbs.target);
    await own.query(`CREATE TABLE IF NOT EXISTS public.target_own (x int); INSERT INTO public.target_own VALUES (1)`);
    await own.end();
    const result = await trial(pair, { strategy: 'native-bulk', constraints: 'before', tables: ['public.payment', 'public.customer'] });
    expect(result.state, result.state === 'failed' ? `${result.phase}: ${result.error}` : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation.map((v) => v.table)).toEqual(['public.customer', ...Array.from({ length: 7 }, (_, i) => `public.payment_p2022_0${i + 1}`)]);
    expect(result.validation.every((v) => v.match)).toBe(true);
    const t = await connect(dbs.target);
    const relations = await t.query(`SELECT relname, relkind::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v', 'm') ORDER BY 1`);
    const fks = await t.query(`SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = 'public.payment_p2022_01'::regclass ORDER BY 1`);
    const types = await t.query(`SELECT typname FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd') ORDER BY 1`);
    const functions = await t.query(`SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proname = 'rewards_report'`);
    await t.end();
    // The partitioned table and its partitions, customer; no view (each reads a table left out).
    expect(relations.rows.map((r) => `${r.relname} ${r.relkind}`)).toEqual([
      'customer r',
      'payment p',
      ...Array.from({ length: 7 }, (_, i) => `payment_p2022_0${i + 1} r`),
      'target_own r',
    ]);
    // Foreign keys to rental and staff went with them; the one to customer is there.
    expect(fks.rows.map((r) => r.conname)).toEqual(['payment_p2022_01_customer_id_fkey']);
    expect(types.rows.map((r) => r.typname)).toEqual(['bıgınt', 'mpaa_rating', 'year']);
    // A function returning customer rows stays with customer.
    expect(functions.rows).toHaveLength(1);
  });
});
