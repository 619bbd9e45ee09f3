import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strategies, strategyNames } from '../../strategies/index.js';
import { InterruptedError } from '../../harness/base/errors.js';
import { AWKWARD_SCHEMA, CHILD, createAwkwardSchema, createAwkwardTypes, TYPES_PATTERN, TYPES_SCHEMA, TYPES_TABLES } from '../support/awkward.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';
import { normalisedSchema, rowDigests } from '../support/schema-check.js';
import { connectPair, trial, type Pair } from '../support/trial.js';
import { createLedgers, ledgerState, LEDGERS, startWriter } from '../support/writer.js';

const postgresPair = { source: 'postgres', target: 'postgres' } as const;
const forPostgres = strategyNames.filter((s) => strategies[s].supports(postgresPair) === true);
const notForPostgres = strategyNames.filter((s) => !forPostgres.includes(s));

/** Rows in each ledger the concurrent writer changes while a trial copies them. */
const LEDGER_ROWS = 30_000;

/**
 * The contract every strategy passes (STYLE rule 8), against real PostgreSQL servers: exact copies of
 * awkward data in both constraint modes, the target schema rebuilt, the source's own schema (enums,
 * domains, composite and range types, extensions, identity and generated columns, partitions,
 * inheritance, triggers and rules that must not see the load) copied as it is, one snapshot read while the
 * source is written to, and a clean stop on abort. Strategies for other engines (bcp: SQL Server only)
 * must instead be skipped with their reason, never crash.
 */
describe.each(forPostgres)('strategy %s', (strategy) => {
  let dbs: TestDatabases;
  let pair: Pair;

  beforeAll(async () => {
    dbs = await freshDatabases(`contract_${strategy}`);
    const c = await connect(dbs.source);
    try {
      await createAwkwardSchema(c);
      // A table big enough to still be copying when the abort test fires.
      await c.query(`CREATE TABLE bulk (id bigint PRIMARY KEY, payload text);
        INSERT INTO bulk SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 400000) g; ANALYZE bulk;`);
      await createAwkwardTypes(c);
    } finally {
      await c.end();
    }
    await createLedgers(dbs.source, LEDGER_ROWS);
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

  it.each(['after', 'before'] as const)("copies the source's own schema and its awkward types exactly with constraints %s the load", async (constraints) => {
    const result = await trial(pair, { strategy, constraints, tables: [TYPES_PATTERN] });
    expect(result.state, result.state === 'failed' ? `${result.phase}: ${result.error}` : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation.map((v) => [v.table, v.sourceRows, v.match])).toEqual(TYPES_TABLES.map(([t, n]) => [t, n, true]));
    // Checked without bench: pg_dump sees one schema on both sides, and every table's rows are the same.
    expect(await normalisedSchema(dbs.target, [TYPES_SCHEMA])).toBe(await normalisedSchema(dbs.source, [TYPES_SCHEMA]));
    expect(await rowDigests(dbs.target, [TYPES_SCHEMA])).toEqual(await rowDigests(dbs.source, [TYPES_SCHEMA]));

    const t = await connect(dbs.target);
    const s = '"Ty""pes. R,Us ☃"';
    const values = await t.query(`SELECT "i""d. x" AS id, g, n FROM ${s}."Ev""ery. Po,sition" ORDER BY 1`);
    const sequences = await t.query(`SELECT (SELECT last_value FROM ${s}.counter)::int AS counter,
      (SELECT last_value FROM ${s}.measures_id_seq)::int AS measures, (SELECT last_value FROM ${s}."Ev""ery. Po,sition_i""d. x_seq")::int AS every`);
    const matviews = await t.query(`SELECT matviewname, ispopulated FROM pg_matviews WHERE schemaname = '${TYPES_SCHEMA}' ORDER BY 1`);
    const bumped = await t.query(`SELECT count(*)::int AS n FROM ${s}.measures WHERE v > 1000000`);
    // The identity column kept the source's values, the generated one was computed by the target.
    expect(values.rows.map((r) => [r.id, r.g])).toEqual([[1, 2], [2, 4], [3, 6], [4, null], [5, 2147483646]]);
    expect(sequences.rows[0]).toEqual({ counter: 500, measures: 3000, every: 5 });
    expect(matviews.rows).toEqual([
      { matviewname: 'measure_counts', ispopulated: true },
      { matviewname: 'never_refreshed', ispopulated: false },
    ]);
    // The trigger exists on the target, and fired on none of the loaded rows.
    expect(bumped.rows[0].n).toBe(0);
    await t.end();
    if (strategy === 'native-bulk') expect(result.metrics.notes.join('\n')).toContain(`copied as COPY text: its binary form carries the source's type OIDs (moods, pr, prs, cis)`);
  });

  it('copies one snapshot of a source written to during the copy, and validates against it', async () => {
    const writer = await startWriter(dbs.source, LEDGER_ROWS);
    let result;
    let duringTrial: number;
    try {
      const before = writer.committed();
      result = await trial(pair, { strategy, parallelism: 2, tables: [...LEDGERS] });
      duringTrial = writer.committed() - before;
    } finally {
      await writer.stop();
    }
    expect(result.state, result.state === 'failed' ? `${result.phase}: ${result.error}` : '').toBe('ok');
    const copy = await ledgerState(dbs.target);
    const source = await ledgerState(dbs.source);
    // The writer committed while the trial ran, so the source moved on from what the copy holds…
    expect(duringTrial).toBeGreaterThan(0);
    expect(source.written[0]!).toBeGreaterThan(copy.written[0]!);
    // …and the copy is one moment of it: both tables stopped at the same transaction.
    expect(copy.consistent, `written rows in the copy: ${copy.written.join(' and ')}`).toBe(true);
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
