import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCopy } from '../../harness/trial/validate.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';
import { connectPair, trial, type Pair } from '../support/trial.js';

describe('validation checksums', () => {
  let dbs: TestDatabases;
  let pair: Pair;

  beforeAll(async () => {
    dbs = await freshDatabases('validate');
    const c = await connect(dbs.source);
    await c.query(`CREATE TABLE items (id int PRIMARY KEY, name text, qty int);
      INSERT INTO items SELECT g, CASE WHEN g % 10 = 0 THEN '' ELSE 'item ' || g END, g % 7 FROM generate_series(1, 5000) g;`);
    await c.end();
    pair = await connectPair(dbs.source, dbs.target);
  });

  afterAll(async () => {
    await pair?.close();
    await dbs?.drop();
  });

  async function validateAfter(tamper: string) {
    const result = await trial(pair, { strategy: 'native-bulk' });
    expect(result.state).toBe('ok');
    const t = await connect(dbs.target);
    await t.query(tamper);
    await t.end();
    const tables = (await pair.source.introspect()).tables;
    return (await validateCopy(pair.source, pair.target, tables, { parallelism: 2 }))[0]!;
  }

  it('passes on an exact copy', async () => {
    const row = await validateAfter('SELECT 1');
    expect(row).toMatchObject({ sourceRows: 5000, targetRows: 5000, match: true });
  });

  it('catches one altered value', async () => {
    const row = await validateAfter(`UPDATE items SET qty = qty + 1 WHERE id = 4242`);
    expect(row.sourceRows).toBe(row.targetRows);
    expect(row.sourceChecksum).not.toBe(row.targetChecksum);
    expect(row.match).toBe(false);
  });

  it('catches one missing row', async () => {
    const row = await validateAfter(`DELETE FROM items WHERE id = 17`);
    expect(row).toMatchObject({ sourceRows: 5000, targetRows: 4999, match: false });
  });

  it('tells an empty string from NULL', async () => {
    const row = await validateAfter(`UPDATE items SET name = NULL WHERE id = 10`);
    expect(row.match).toBe(false);
  });

  it('catches two values swapped between rows', async () => {
    const row = await validateAfter(`UPDATE items SET qty = CASE id WHEN 1 THEN 2 ELSE 1 END WHERE id IN (1, 2)`);
    expect(row.match).toBe(false);
  });

  it('a trial whose copy is wrong fails in the validate phase', async () => {
    // A trigger on the target corrupts one value during the load, as a buggy strategy would.
    const result = await trial(pair, { strategy: 'direct-stream' });
    expect(result.state).toBe('ok');
    const t = await connect(dbs.target);
    await t.query(`CREATE FUNCTION corrupt() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.id = 99 THEN NEW.qty := -1; END IF; RETURN NEW; END $$`);
    await t.end();
    // The trial drops and recreates the table, so install the trigger through an event on table creation
    // (qualified names: bench creates the table with the empty search_path of pg_dump's restore script).
    const c = await connect(dbs.target);
    await c.query(`CREATE FUNCTION add_corrupt() RETURNS event_trigger LANGUAGE plpgsql AS $$
      BEGIN IF EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'items') AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'corrupt') THEN
        EXECUTE 'CREATE TRIGGER corrupt BEFORE INSERT ON public.items FOR EACH ROW EXECUTE FUNCTION public.corrupt()'; END IF; END $$;
      CREATE EVENT TRIGGER add_corrupt ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION add_corrupt();`);
    await c.end();
    const bad = await trial(pair, { strategy: 'direct-stream' });
    expect(bad.state).toBe('failed');
    if (bad.state === 'failed') {
      expect(bad.phase).toBe('validate');
      expect(bad.error).toMatch(/public\.items \(checksum/);
      expect(bad.validation?.[0]?.match).toBe(false);
    }
    const c2 = await connect(dbs.target);
    await c2.query('DROP EVENT TRIGGER add_corrupt');
    await c2.end();
  });
});
