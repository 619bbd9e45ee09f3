import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';
import { connectPair, trial, type Pair } from '../support/trial.js';

/** Behaviour particular to one strategy (the shared contract is in strategy-contract.test.ts). */
describe('strategy specifics', () => {
  let dbs: TestDatabases;
  let pair: Pair;

  beforeAll(async () => {
    dbs = await freshDatabases('strategies');
    const c = await connect(dbs.source);
    await c.query(`
      CREATE TABLE keyed (id int PRIMARY KEY, v text);
      INSERT INTO keyed SELECT g, 'v' || g FROM generate_series(1, 25000) g;
      CREATE TABLE nokey (a int, b text);
      INSERT INTO nokey SELECT g % 100, 'b' FROM generate_series(1, 3000) g;
      CREATE TABLE composite (region text, n int, v text, PRIMARY KEY (region, n));
      INSERT INTO composite SELECT r, g, 'x' FROM unnest(ARRAY['eu', 'us', 'ap']) r, generate_series(1, 4000) g;
      CREATE TABLE big (id int PRIMARY KEY, v text);
      INSERT INTO big SELECT g, repeat('y', 200) FROM generate_series(1, 300000) g;
      ANALYZE;`);
    await c.end();
    pair = await connectPair(dbs.source, dbs.target);
  });

  afterAll(async () => {
    await pair?.close();
    await dbs?.drop();
  });

  it('chunked commits one chunk per --chunk-size rows, in key order, composite keys included', async () => {
    const r = await trial(pair, { strategy: 'chunked', tables: ['keyed', 'composite'], params: { chunkSize: 10_000, batchSize: 3000 } });
    expect(r.state).toBe('ok');
    // keyed: 25,000 rows → 3 chunks; composite: 12,000 rows → 2 chunks.
    if (r.state === 'ok') expect(r.metrics.counters.chunks).toBe(5);
  });

  it('chunked copies a table without a primary key as one chunk and says so', async () => {
    const r = await trial(pair, { strategy: 'chunked', tables: ['nokey'], params: { chunkSize: 500 } });
    expect(r.state).toBe('ok');
    if (r.state === 'ok') {
      expect(r.metrics.counters.chunks).toBe(1);
      expect(r.metrics.notes).toEqual(['public.nokey has no primary key: copied as one chunk']);
    }
  });

  it('csv-buffer spills every row to disk before writing and removes the file', async () => {
    const r = await trial(pair, { strategy: 'csv-buffer', tables: ['keyed'] });
    expect(r.state).toBe('ok');
    if (r.state === 'ok') expect(r.metrics.counters.spillBytes).toBeGreaterThan(25000 * 6);
  });

  it('pipeline reports its queue: a bounded peak and the waits on each side', async () => {
    const r = await trial(pair, { strategy: 'pipeline', tables: ['big'], parallelism: 1, params: { queueSize: 2000, batchSize: 1000 } });
    expect(r.state).toBe('ok');
    if (r.state === 'ok') {
      expect(r.metrics.counters.queuePeakRows).toBeLessThanOrEqual(2000);
      expect(r.metrics.counters.producerWaitSeconds! + r.metrics.counters.consumerWaitSeconds!).toBeGreaterThan(0);
    }
  });

  it('pipeline: a failing writer stops the reader and the trial reports the error', async () => {
    // Qualified names in the event trigger: bench creates the table with pg_dump's empty search_path.
    const t = await connect(dbs.target);
    await t.query(`CREATE FUNCTION reject_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.id = 150000 THEN RAISE EXCEPTION 'writer refuses row %', NEW.id; END IF; RETURN NEW; END $$;
      CREATE FUNCTION add_reject() RETURNS event_trigger LANGUAGE plpgsql AS $$
        BEGIN IF EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'big') AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'reject') THEN
          EXECUTE 'CREATE TRIGGER reject BEFORE INSERT ON public.big FOR EACH ROW EXECUTE FUNCTION public.reject_row()'; END IF; END $$;
      CREATE EVENT TRIGGER add_reject ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION add_reject();`);
    try {
      const r = await trial(pair, { strategy: 'pipeline', tables: ['big'], parallelism: 1 });
      expect(r.state).toBe('failed');
      if (r.state === 'failed') {
        expect(r.phase).toBe('copy');
        expect(r.error).toMatch(/public\.big: writer refuses row 150000/);
      }
    } finally {
      await t.query('DROP EVENT TRIGGER add_reject');
      await t.end();
    }
  });

  it('pipeline: a failing reader stops the writer', async () => {
    const running = trial(pair, { strategy: 'pipeline', tables: ['big'], parallelism: 1, params: { batchSize: 500, queueSize: 1000 } });
    const s = await connect(dbs.source);
    // Kill the reader's backend while it streams.
    let killed = 0;
    for (let i = 0; i < 100 && killed === 0; i++) {
      await new Promise((res) => setTimeout(res, 20));
      const r = await s.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'bench-test-source' AND query LIKE 'SELECT "id", "v" FROM%' AND state <> 'idle'`,
      );
      killed = r.rowCount ?? 0;
    }
    await s.end();
    expect(killed).toBe(1);
    const r = await running;
    expect(r.state).toBe('failed');
    if (r.state === 'failed') expect(r.error).toMatch(/terminat/i);
  });
});
