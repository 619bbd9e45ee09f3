import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from '../../harness/model/catalog.js';
import { selectSql } from '../../harness/engines/postgres-sql.js';
import { partitionTasks } from '../../harness/plan/partition.js';
import { runTrial } from '../../harness/trial/run-trial.js';
import { pointKey } from '../../harness/plan/expand-sweep.js';
import { tableTasks } from '../../harness/plan/tasks.js';
import { type CopyTask, type KeyRange } from '../../harness/model/task.js';
import { strategies } from '../../strategies/index.js';
import { defaultStrategyParams, type StrategyName } from '../../harness/model/contender.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';
import { connectPair, runContextFor, type Pair } from '../support/trial.js';
import type pg from 'pg';

/**
 * Key-range and ctid-range partitions against a real server: the parts of a table cover every row
 * exactly once (pgcopydb's split tables), and a partitioned trial copies and validates.
 */
describe('table partitions', () => {
  let dbs: TestDatabases;
  let pair: Pair;
  let sql: pg.Client;
  let tables: readonly Table[];

  beforeAll(async () => {
    dbs = await freshDatabases('partition');
    sql = await connect(dbs.source);
    await sql.query(`
      CREATE TABLE keyed (id int PRIMARY KEY, v text);
      -- Skewed keys: negative ones, a dense run and far outliers, so equal-width parts are uneven.
      INSERT INTO keyed SELECT g, 'v' || g FROM generate_series(-300, 60000) g WHERE g <> 0;
      INSERT INTO keyed VALUES (1000000, 'far'), (2000000, 'farther');
      CREATE TABLE child (id int PRIMARY KEY, keyed_id int NOT NULL REFERENCES keyed (id), note text);
      INSERT INTO child SELECT g, 1 + g % 60000, repeat('n', g % 17) FROM generate_series(1, 70000) g;
      CREATE TABLE nokey (a int, b text);
      INSERT INTO nokey SELECT g % 100, repeat('b', g % 50) FROM generate_series(1, 80000) g;
      -- Holes in the heap: whole pages and scattered rows gone.
      DELETE FROM nokey WHERE ctid < '(40,0)' OR a = 7;
      CREATE TABLE textkey (code text PRIMARY KEY, n int);
      INSERT INTO textkey SELECT 'c' || g, g FROM generate_series(1, 60000) g;
      CREATE TABLE bigkey (id bigint PRIMARY KEY, v int);
      INSERT INTO bigkey SELECT 4611686018427387904 + g::int8 * 1000003, g FROM generate_series(1, 60000) g;
      CREATE TABLE small (id int PRIMARY KEY, v text);
      INSERT INTO small SELECT g, 's' FROM generate_series(1, 100) g;
      ANALYZE;`);
    pair = await connectPair(dbs.source, dbs.target, 8);
    tables = (await pair.source.introspect()).tables;
  });

  afterAll(async () => {
    await sql?.end();
    await pair?.close();
    await dbs?.drop();
  });

  const table = (name: string) => tables.find((t) => t.name === name)!;
  const taskOf = (name: string) => tableTasks([table(name)])[0]!;
  const withRange = (task: CopyTask, range: KeyRange): CopyTask => ({ ...task, range });

  async function count(query: string): Promise<number> {
    return Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM (${query}) s`)).rows[0]!.n);
  }

  /** Every row in exactly one part: the parts' counts add up, and no row (by ctid) is read twice. */
  async function expectExactCover(name: string, ranges: readonly KeyRange[]): Promise<void> {
    const task = taskOf(name);
    const total = await count(selectSql(task));
    const perRange = await Promise.all(ranges.map((r) => count(selectSql(withRange(task, r)))));
    expect(perRange.reduce((a, b) => a + b, 0)).toBe(total);
    // The same parts, reading each row's physical address ("ctid" quoted still names the system column).
    const ctids = ranges.map((r) => selectSql({ ...withRange(task, r), columns: [{ name: 'ctid', nativeType: 'tid', portable: { kind: 'other', name: 'tid' }, nullable: false }] }));
    const r = await sql.query<{ n: string; d: string }>(`SELECT count(*) AS n, count(DISTINCT ctid) AS d FROM (${ctids.join(' UNION ALL ')}) s`);
    expect(Number(r.rows[0]!.n)).toBe(total);
    expect(Number(r.rows[0]!.d)).toBe(total);
  }

  it('a table with an integer primary key is split by key value, the outer parts open', async () => {
    const ranges = await pair.source.splitRanges!(table('keyed'), 4);
    expect(ranges).toHaveLength(4);
    expect(ranges.every((r) => r.column === 'id')).toBe(true);
    expect(ranges[0]!.from).toBeUndefined();
    expect(ranges[3]!.to).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(ranges[i + 1]!.from).toBe(ranges[i]!.to);
    await expectExactCover('keyed', ranges);
  });

  it('a table without a primary key is split by ctid pages', async () => {
    const ranges = await pair.source.splitRanges!(table('nokey'), 5);
    expect(ranges).toHaveLength(5);
    expect(ranges.every((r) => r.column === 'ctid')).toBe(true);
    expect(ranges[0]!.from).toBeUndefined();
    expect(ranges[4]!.to).toBeUndefined();
    for (const r of ranges.slice(1)) expect(r.from).toMatch(/^\(\d+,0\)$/);
    await expectExactCover('nokey', ranges);
  });

  it('a non-integer primary key falls back to ctid pages', async () => {
    const ranges = await pair.source.splitRanges!(table('textkey'), 3);
    expect(ranges.map((r) => r.column)).toEqual(['ctid', 'ctid', 'ctid']);
    await expectExactCover('textkey', ranges);
  });

  it('a bigint key beyond 2^53 is split exactly', async () => {
    const ranges = await pair.source.splitRanges!(table('bigkey'), 6);
    expect(ranges).toHaveLength(6);
    expect(ranges.every((r) => r.column === 'id')).toBe(true);
    await expectExactCover('bigkey', ranges);
  });

  it('never more parts than key values', async () => {
    const ranges = await pair.source.splitRanges!(table('small'), 500);
    expect(ranges).toHaveLength(100);
    await expectExactCover('small', ranges);
  });

  it('rows written after planning, outside the bounds read then, still fall in a part', async () => {
    await sql.query(`CREATE TABLE growing (id int PRIMARY KEY, v text);
      INSERT INTO growing SELECT g, 'g' FROM generate_series(1, 1000) g;
      CREATE TABLE growing_heap (a int);
      INSERT INTO growing_heap SELECT g FROM generate_series(1, 5000) g;`);
    const catalog = await pair.source.introspect(['public.growing', 'public.growing_heap']);
    const growing = catalog.tables.find((t) => t.name === 'growing')!;
    const heap = catalog.tables.find((t) => t.name === 'growing_heap')!;
    const byKey = await pair.source.splitRanges!(growing, 4);
    const byPage = await pair.source.splitRanges!(heap, 4);
    await sql.query(`INSERT INTO growing VALUES (-5, 'low'), (5000, 'high');
      INSERT INTO growing_heap SELECT g FROM generate_series(1, 5000) g;`);
    const keyTask = tableTasks([growing])[0]!;
    const heapTask = tableTasks([heap])[0]!;
    const keyCounts = await Promise.all(byKey.map((r) => count(selectSql(withRange(keyTask, r)))));
    const pageCounts = await Promise.all(byPage.map((r) => count(selectSql(withRange(heapTask, r)))));
    expect(keyCounts.reduce((a, b) => a + b, 0)).toBe(1002);
    expect(pageCounts.reduce((a, b) => a + b, 0)).toBe(10000);
    await sql.query('DROP TABLE growing, growing_heap');
  });

  describe('partitionTasks', () => {
    it('splits the large tables into parts named table[i/n] and leaves small ones whole', async () => {
      const all = tableTasks(tables);
      const tasks = await partitionTasks(pair.source, all, { partitions: 4 });
      const ids = tasks.map((t) => t.id);
      expect(ids).toContain('public.small');
      expect(tasks.find((t) => t.id === 'public.small')!.range).toBeUndefined();
      for (const name of ['keyed', 'child', 'nokey', 'textkey', 'bigkey']) {
        const parts = tasks.filter((t) => t.source.name === name);
        expect(parts.map((t) => t.id).sort()).toEqual([1, 2, 3, 4].map((i) => `public.${name}[${i}/4]`));
        expect(parts.every((t) => t.range !== undefined)).toBe(true);
        // The parts share the estimate: the sum stays the table's.
        const whole = all.find((t) => t.source.name === name)!;
        expect(Math.abs(parts.reduce((n, t) => n + t.estimatedRows, 0) - whole.estimatedRows)).toBeLessThanOrEqual(4);
        expect(parts.every((t) => t.level === whole.level)).toBe(true);
        if (name === 'child') expect(whole.level).toBe(1);
      }
      expect(tasks).toHaveLength(1 + 5 * 4);
      // Largest first, across tables.
      for (let i = 0; i + 1 < tasks.length; i++) expect(tasks[i]!.estimatedBytes).toBeGreaterThanOrEqual(tasks[i + 1]!.estimatedBytes);
    });

    it('minRows decides which tables are split; one partition leaves every table whole', async () => {
      const all = tableTasks(tables);
      const splitSmall = await partitionTasks(pair.source, all, { partitions: 2, minRows: 50 });
      expect(splitSmall.filter((t) => t.source.name === 'small').map((t) => t.id).sort()).toEqual(['public.small[1/2]', 'public.small[2/2]']);
      const none = await partitionTasks(pair.source, all, { partitions: 4, minRows: 1_000_000 });
      expect(none.map((t) => t.id).sort()).toEqual(all.map((t) => t.id).sort());
      expect(none.every((t) => t.range === undefined)).toBe(true);
      const one = await partitionTasks(pair.source, all, { partitions: 1, minRows: 1 });
      expect(one).toEqual(all);
    });

    it('a task that already has a range is not split again', async () => {
      const once = await partitionTasks(pair.source, [taskOf('keyed')], { partitions: 2 });
      const twice = await partitionTasks(pair.source, once, { partitions: 4 });
      expect(twice).toEqual(once);
    });
  });

  describe('a partitioned trial validates', () => {
    const copied = ['keyed', 'child', 'nokey', 'textkey', 'small'];

    async function partitionedTrial(strategy: StrategyName, parallelism: number, partitions: number) {
      const catalog = await pair.source.introspect(copied.map((n) => `public.${n}`));
      const tasks = await partitionTasks(pair.source, tableTasks(catalog.tables), { partitions });
      const workRoot = mkdtempSync(join(tmpdir(), 'bench-partition-'));
      const point = pointKey({ strategy, parallelism, partitions });
      try {
        const result = await runTrial(
          {
            kind: 'strategy',
            id: `${point}#1`,
            point,
            strategy,
            parallelism,
            partitions,
            workers: 0,
            constraints: 'after',
            params: { ...defaultStrategyParams, batchSize: strategies[strategy].defaultBatchSize ?? 5000, chunkSize: 7000 },
            repetition: 1,
          },
          runContextFor(pair, catalog.tables, workRoot, async () => tasks),
        );
        return { result, tasks };
      } finally {
        rmSync(workRoot, { recursive: true, force: true });
      }
    }

    for (const strategy of ['native-bulk', 'chunked', 'csv-buffer'] as const) {
      it(`${strategy} with 4 parts per large table`, async () => {
        const { result, tasks } = await partitionedTrial(strategy, 3, 4);
        expect(tasks.filter((t) => t.range)).toHaveLength(16);
        if (result.state !== 'ok') throw new Error(`${result.state}: ${result.state === 'failed' ? `${result.phase}: ${result.error}` : result.reason}`);
        expect(result.validation.map((v) => [v.table, v.match])).toEqual(expect.arrayContaining(copied.map((n) => [`public.${n}`, true])));
        expect(result.validation.every((v) => v.match && v.sourceRows === v.targetRows)).toBe(true);
        const byTable = Object.fromEntries(result.metrics.tables.map((t) => [t.table, t.tasks]));
        expect(byTable).toEqual({ 'public.keyed': 4, 'public.child': 4, 'public.nokey': 4, 'public.textkey': 4, 'public.small': 1 });
        const rows = result.metrics.tables.find((t) => t.table === 'public.keyed')!.rows;
        expect(rows).toBe(60302);
      });
    }
  });
});
