import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strategies, strategyNames } from '../../strategies/index.js';
import { InterruptedError } from '../../harness/base/errors.js';
import { AWKWARD_SCHEMA, CHILD, createAwkwardSchema } from '../support/awkward.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';
import { connectPair, trial, type Pair } from '../support/trial.js';

const postgresPair = { source: 'postgres', target: 'postgres' } as const;
const forPostgres = strategyNames.filter((s) => strategies[s].supports(postgresPair) === true);
const notForPostgres = strategyNames.filter((s) => !forPostgres.includes(s));

/**
 * The contract every strategy passes (STYLE rule 8), against real PostgreSQL servers: exact copies of
 * awkward data in both constraint modes, the target schema rebuilt, and a clean stop on abort. Strategies
 * for other engines (bcp: SQL Server only) must instead be skipped with their reason, never crash.
 */
describe.each(forPostgres)('strategy %s', (strategy) => {
  let dbs: TestDatabases;
  let pair: Pair;

  beforeAll(async () => {
    dbs = await freshDatabases(`contract_${strategy}`);
    const c = await connect(dbs.source);
    await createAwkwardSchema(c);
    // A table big enough to still be copying when the abort test fires.
    await c.query(`CREATE TABLE bulk (id bigint PRIMARY KEY, payload text);
      INSERT INTO bulk SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 400000) g; ANALYZE bulk;`);
    await c.end();
    pair = await connectPair(dbs.source, dbs.target);
  });

  afterAll(async () => {
    await pair?.close();
    await dbs?.drop();
  });

  it.each(['after', 'before'] as const)('copies awkward data exactly with constraints %s the load', async (constraints) => {
    const result = await trial(pair, { strategy, constraints, tables: [`${AWKWARD_SCHEMA}.*`] });
    expect(result.state, result.state === 'failed' ? result.error : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation.map((v) => [v.table, v.sourceRows, v.match])).toEqual([
      [`${AWKWARD_SCHEMA}.${CHILD}`, 5, true],
      [`${AWKWARD_SCHEMA}.Parent Table`, 3, true],
    ]);

    const t = await connect(dbs.target);
    const child = `"Odd ""Schema"""."Mixed ""Case"" Child"`;
    const values = await t.query(`SELECT id, "Text", length(big) AS big, raw, ratio::text, doubled FROM ${child} ORDER BY id`);
    expect(values.rows[0]).toMatchObject({ id: '1', Text: null, big: null, raw: null, ratio: null, doubled: '2' });
    expect(values.rows[1]).toMatchObject({ Text: '', big: 0, ratio: '0' });
    expect(values.rows[1].raw).toEqual(Buffer.alloc(0));
    expect(values.rows[2].Text).toBe('quote \' double " back\\slash tab\t newline\n cr\r');
    expect(values.rows[2].big).toBe(1048576);
    expect(values.rows[2].raw).toEqual(Buffer.from([0, 255, 0]));
    expect(values.rows[2].ratio).toBe('NaN');
    expect(values.rows[3].Text).toBe('😀 emoji and 中文 and ñ');
    expect(values.rows[4].ratio).toBe('1.0000000000000002');
    // Keys, checks, indexes and foreign keys were recreated.
    const cons = await t.query(
      `SELECT conname, contype FROM pg_constraint WHERE connamespace = '"Odd ""Schema"""'::regnamespace AND contype <> 'n' ORDER BY 1`,
    );
    expect(cons.rows.map((r) => r.contype).sort()).toEqual(['c', 'f', 'p', 'p', 'u']);
    const idx = await t.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'Odd "Schema"' ORDER BY 1`);
    expect(idx.rows.map((r) => r.indexname)).toContain('lower "text" idx');
    await t.end();
  });

  it('stops on abort, leaves no session running, and the next trial works', async () => {
    const controller = new AbortController();
    const running = trial(pair, { strategy, parallelism: 1, tables: ['public.bulk'], signal: controller.signal });
    setTimeout(() => controller.abort(new InterruptedError()), 150);
    await expect(running).rejects.toBeInstanceOf(InterruptedError);
    // The aborted COPY or cursor must not keep working on either server.
    for (const url of [dbs.source, dbs.target]) {
      const c = await connect(url);
      let busy = -1;
      for (let i = 0; i < 50 && busy !== 0; i++) {
        const r = await c.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'bench-test-%' AND state = 'active' AND pid <> pg_backend_pid()`,
        );
        busy = r.rows[0].n;
        if (busy !== 0) await new Promise((res) => setTimeout(res, 100));
      }
      await c.end();
      expect(busy).toBe(0);
    }
    const again = await trial(pair, { strategy, tables: ['public.bulk'] });
    expect(again.state).toBe('ok');
    if (again.state === 'ok') expect(again.metrics.rows).toBe(400000);
  });
});

describe.each(notForPostgres)('strategy %s on PostgreSQL', (strategy) => {
  it('is skipped with its reason, before anything touches the target', async () => {
    const dbs = await freshDatabases(`contract_${strategy}`);
    const pair = await connectPair(dbs.source, dbs.target);
    try {
      const result = await trial(pair, { strategy });
      expect(result).toMatchObject({ state: 'skipped', reason: strategies[strategy].supports(postgresPair) });
    } finally {
      await pair.close();
      await dbs.drop();
    }
  });
});
