import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from '../../harness/model/catalog.js';
import type { Database } from '../../harness/model/database.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { postgresEngine } from '../../harness/engines/postgres.js';
import { describeSplit, partitionTasks } from '../../harness/plan/partition.js';
import { packageRoot } from '../../harness/base/paths.js';
import type { TrialResult } from '../../harness/model/trial.js';
import { runTrial } from '../../harness/trial/run-trial.js';
import { tableTasks } from '../../harness/plan/tasks.js';
import type { CopyTask } from '../../harness/model/task.js';
import { defaultStrategyParams, type StrategyName } from '../../harness/model/contender.js';
import { runContextFor } from '../support/trial.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { bigTable, table } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';

/**
 * Issue 17, defect 2: `--partitions` was ignored for SQL Server sources (the engine had no splitRanges)
 * while the run said "4 partitions per table". Now a single integer key (or an integer leading key
 * column) is split by value range, any other orderable key by boundaries read from the server in key
 * order, and a table that cannot be split is copied whole and said to be.
 */
const pad = (n: number, w: number) => String(n).padStart(w, '0');
let server: TdsTestServer;
let dbs: TestDatabases;
let source: Database;
let target: Database;
let tables: readonly Table[];
let dir: string;

beforeAll(async () => {
  server = await TdsTestServer.start({
    tables: [
      bigTable('big', 20_000),
      table(
        'dbo',
        'lines',
        [['order_id', 'int', false], ['line', 'smallint', false], ['qty', 'int']],
        Array.from({ length: 2_000 }, (_, i) => [String(Math.floor(i / 4) + 1), String((i % 4) + 1), String(i)]),
        { primaryKey: { name: 'PK_lines', columns: ['order_id', 'line'] } },
      ),
      table(
        'dbo',
        'codes',
        [['code', 'nvarchar(20)', false], ['n', 'int']],
        Array.from({ length: 1_000 }, (_, i) => [`C-${pad(i * 7, 5)}`, String(i)]),
        { primaryKey: { name: 'PK_codes', columns: ['code'] } },
      ),
      table(
        'dbo',
        'events',
        [['at', 'datetime2(7)', false], ['what', 'varchar(20)']],
        Array.from({ length: 1_000 }, (_, i) => [`2024-01-${pad(1 + (i % 28), 2)} 10:00:${pad(Math.floor(i / 28), 2)}.${pad(i, 7)}`, `e${i}`]),
        { primaryKey: { name: 'PK_events', columns: ['at'] } },
      ),
      table('dbo', 'nokey', [['a', 'int'], ['b', 'nvarchar(10)']], Array.from({ length: 500 }, (_, i) => [String(i), `b${i}`])),
    ],
  });
  dbs = await freshDatabases('tds_partitions');
  source = await mssqlEngine.connect(server.url(), { role: 'source', poolSize: 5, applicationName: 'bench-part-source', peer: 'postgres' });
  target = await postgresEngine.connect(dbs.target, { role: 'target', poolSize: 5, applicationName: 'bench-part-target' });
  tables = (await source.introspect()).tables;
  dir = mkdtempSync(join(tmpdir(), 'bench-tds-parts-'));
}, 60_000);

afterAll(async () => {
  await source?.close();
  await target?.close();
  await server?.close();
  await dbs?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  expect(server.stats.internalErrors).toEqual([]);
});

const byTable = (tasks: readonly CopyTask[]) => {
  const m: Record<string, string[]> = {};
  for (const t of tasks) (m[t.source.name] ??= []).push(t.id);
  return m;
};

describe('SQL Server key-range splits', () => {
  it('splits integer keys by value, other keys by boundaries read from the server, and leaves a table without a key whole, saying so', async () => {
    const tasks = await partitionTasks(source, tableTasks(tables), { partitions: 4, minRows: 1 });
    const ids = byTable(tasks);
    for (const name of ['big', 'lines', 'codes', 'events']) expect([name, ids[name]!.sort()]).toEqual([name, [1, 2, 3, 4].map((i) => `dbo.${name}[${i}/4]`)]);
    expect(ids.nokey).toEqual(['dbo.nokey']);
    expect(tasks.find((t) => t.id === 'dbo.nokey')!.unsplit).toBe('no primary key');
    expect(tasks.find((t) => t.id === 'dbo.big[1/4]')!.range).toEqual({ column: 'id', to: '5001' });
    expect(tasks.find((t) => t.id === 'dbo.lines[2/4]')!.range!.column).toBe('order_id');
    // Boundaries read from the server in key order: the codes at rows 251, 501 and 751.
    expect(tasks.filter((t) => t.source.name === 'codes').map((t) => t.range).sort((a, b) => (a!.from ?? '').localeCompare(b!.from ?? ''))).toEqual([
      { column: 'code', to: 'C-01750' },
      { column: 'code', from: 'C-01750', to: 'C-03500' },
      { column: 'code', from: 'C-03500', to: 'C-05250' },
      { column: 'code', from: 'C-05250' },
    ]);
    expect(describeSplit(tasks)).toBe('dbo.big in 4 parts; dbo.codes in 4 parts; dbo.events in 4 parts; dbo.lines in 4 parts; dbo.nokey whole (no primary key)');
  });

  it.each(['native-bulk', 'direct-stream'] as StrategyName[])('%s copies every part and validates; the results count the real parts and name the table left whole', async (strategy) => {
    const tasks = await partitionTasks(source, tableTasks(tables), { partitions: 4, minRows: 1 });
    const workRoot = mkdtempSync(join(tmpdir(), 'bench-parts-'));
    let result: TrialResult;
    try {
      result = await runTrial(
        { kind: 'strategy', id: `${strategy}/p4/parts4#1`, point: `${strategy}/p4/parts4`, strategy, parallelism: 4, partitions: 4, workers: 0, constraints: 'after', params: defaultStrategyParams, repetition: 1 },
        runContextFor({ source, target, close: async () => undefined }, tables, workRoot, async () => tasks),
      );
    } finally {
      rmSync(workRoot, { recursive: true, force: true });
    }
    expect(result.state, result.state === 'failed' ? `${result.phase}: ${result.error}` : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation.map((v) => [v.table, v.targetRows, v.match])).toEqual([
      ['dbo.big', 20_000, true],
      ['dbo.codes', 1_000, true],
      ['dbo.events', 1_000, true],
      ['dbo.lines', 2_000, true],
      ['dbo.nokey', 500, true],
    ]);
    expect(Object.fromEntries(result.metrics.tables.map((t) => [t.table, t.tasks]))).toEqual({ 'dbo.big': 4, 'dbo.codes': 4, 'dbo.events': 4, 'dbo.lines': 4, 'dbo.nokey': 1 });
    expect(result.metrics.notes).toContain('dbo.nokey copied whole: no primary key');
  });

  it('bench run --partitions 4 prints the split it made, not the one it was asked for', async () => {
    const r = await execa(
      'node',
      [join(packageRoot, 'bin', 'bench.js'), 'run', '--state-dir', dir, '--source-url', server.url(), '--target-url', dbs.target, '--strategy', 'native-bulk', '-p', '4', '--partitions', '4', '--partition-min-rows', '1'],
      { reject: false },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('partitions 4: dbo.big in 4 parts; dbo.codes in 4 parts; dbo.events in 4 parts; dbo.lines in 4 parts; dbo.nokey whole (no primary key)');
    expect(r.stderr).not.toMatch(/4 partitions per table/);
  }, 120_000);
});
