import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../harness/model/database.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import type { TrialResult } from '../../harness/model/trial.js';
import { runTrial } from '../../harness/trial/run-trial.js';
import { tableTasks } from '../../harness/plan/tasks.js';
import { type CopyTask } from '../../harness/model/task.js';
import { findBcpTool } from '../../harness/tools/bcp.js';
import { hasNativeDefects } from '../../harness/tools/bcp-freetds.js';
import { defaultStrategyParams } from '../../harness/model/contender.js';
import { table } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';
import { runContextFor } from '../support/trial.js';

/**
 * The bcp strategy end to end: FreeTDS freebcp `out` (or `queryout` for a key range) into a named pipe,
 * `in` from it, through the real runner, SQL Server → SQL Server between two TDS test servers, validated
 * with the same-engine fingerprint. Needs freebcp (Debian freetds-bin; CI installs it through
 * test/setup/system-deps.sh): without it the tests are skipped, and say so.
 *
 * The wide table holds every type freebcp 1.3 copies exactly in native format (harness/tools/
 * bcp-freetds.ts) with awkward values: extremes, 100 ns fractions, a negative offset, empty strings and
 * binaries, tabs, newlines and code-page-1252 letters in varchar. The refusal test holds the columns it
 * copies wrong.
 */
const ROWS = 3_000;
const tool = await findBcpTool();
const skip = typeof tool === 'string' ? tool : tool.flavor !== 'freetds' ? 'these tests exercise FreeTDS freebcp; Microsoft bcp is installed' : undefined;
if (skip) console.warn(`bcp trial tests skipped: ${skip}`);

const COLUMNS: [string, string, boolean][] = [
  ['id', 'bigint', false], ['n', 'int', false], ['small', 'smallint', false], ['tiny', 'tinyint', false], ['flag', 'bit', false],
  ['amount', 'decimal(12,2)', true], ['huge', 'decimal(38,10)', false], ['price', 'money', false], ['fee', 'smallmoney', false],
  ['ratio', 'float', false], ['r', 'real', false], ['at', 'datetime2(7)', false], ['old', 'datetime', false],
  ['sdt', 'smalldatetime', false], ['clock', 'time(7)', false], ['zoned', 'datetimeoffset(7)', false], ['code', 'char(5)', false],
  ['title', 'varchar(100)', false], ['body', 'varchar(max)', false], ['legacy', 'text', false], ['uid', 'uniqueidentifier', false],
  ['bin', 'binary(4)', false], ['blob', 'varbinary(max)', false], ['pic', 'image', false],
];

const pad = (n: number, w: number) => String(n).padStart(w, '0');
function wideRow(i: number): (string | null)[] {
  const hex = (i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0');
  return [
    String(i), String((i * 7919) % 2_000_000_000 - 1_000_000_000), String((i % 65_536) - 32_768), String(i % 256), String(i % 2),
    i % 5 === 0 ? null : `${i % 2 ? '-' : ''}${i * 3}.${pad(i % 100, 2)}`, `-1234567890123456789012345678.${pad(i, 10)}`,
    `92233720368${pad(i % 1000, 3)}.${pad(i % 10_000, 4)}`, `-214748.${pad(i % 3649, 4)}`,
    String(i / 7 + 1e-12), String((i % 1000) / 8), `9999-12-31 23:59:59.${pad(i % 10_000_000, 7)}`, `2024-02-29 13:14:15.${pad((i % 333) * 3, 3)}`,
    `2020-06-15 10:${pad(i % 60, 2)}:00`, `23:59:58.${pad(i % 10_000_000, 7)}`, `2024-03-10 01:30:00.${pad(i % 10_000_000, 7)} -08:00`,
    i % 3 === 0 ? '' : 'ab', i % 7 === 0 ? '' : `caf\u00e9 ${i}\ttab\nline "q" \\ \u00fc`, 'x'.repeat(i % 9000), `legacy ${i}`,
    `6F9619FF-8B86-D011-B42D-${pad(i, 12)}`, `0x${hex}`, i % 11 === 0 ? '0x' : `0x${hex.repeat(1 + (i % 50))}`, `0xcafe${pad(i % 10_000, 4)}`,
  ];
}

let source: TdsTestServer;
let target: TdsTestServer;
let sourceDb: Database;
let targetDb: Database;
const timings: string[] = [];

beforeAll(async () => {
  if (skip) return;
  const wide = table('dbo', 'wide', COLUMNS, Array.from({ length: ROWS }, (_, k) => wideRow(k + 1)), { primaryKey: { name: 'PK_wide', columns: ['id'] } });
  const refused = table('dbo', 'refused', [['id', 'int', false], ['n', 'int', true], ['s', 'nvarchar(20)', true]], [['1', '10', 'x'], ['2', null, null]], {
    primaryKey: { name: 'PK_refused', columns: ['id'] },
  });
  source = await TdsTestServer.start({ tables: [wide, refused] });
  target = await TdsTestServer.start({ tables: [] });
  sourceDb = await mssqlEngine.connect(source.url(), { role: 'source', poolSize: 4, applicationName: 'bench-bcp-source' });
  targetDb = await mssqlEngine.connect(target.url(), { role: 'target', poolSize: 4, applicationName: 'bench-bcp-target' });
}, 60_000);

afterAll(async () => {
  await sourceDb?.close();
  await targetDb?.close();
  await source?.close();
  await target?.close();
  if (timings.length) console.log(`bcp trials (FreeTDS freebcp, TDS test servers):\n  ${timings.join('\n  ')}`);
});

/** One bcp trial through the real runner, with the connection URLs the strategy hands to the tool. */
async function bcpTrial(tables: string[], split?: (tasks: CopyTask[]) => CopyTask[]): Promise<TrialResult> {
  const catalog = await sourceDb.introspect(tables);
  const tasks = tableTasks(catalog.tables);
  const workRoot = mkdtempSync(join(tmpdir(), 'bench-bcp-'));
  try {
    return await runTrial(
      { kind: 'strategy', id: 'bcp/p2#1', point: 'bcp/p2', strategy: 'bcp', parallelism: 2, partitions: 1, workers: 0, constraints: 'after', params: defaultStrategyParams, repetition: 1 },
      runContextFor({ source: sourceDb, target: targetDb, urls: { source: source.url(), target: target.url() }, close: async () => undefined }, catalog.tables, workRoot, async () => (split ? split(tasks) : tasks)),
    );
  } finally {
    rmSync(workRoot, { recursive: true, force: true });
  }
}

describe.skipIf(skip !== undefined)('bcp strategy with FreeTDS freebcp, SQL Server → SQL Server', () => {
  it(`copies a ${ROWS}-row table of every type it supports (out → pipe → in) and validates`, async () => {
    const t0 = performance.now();
    const result = await bcpTrial(['dbo.wide']);
    timings.push(`out/in, ${ROWS} rows x ${COLUMNS.length} columns: ${((performance.now() - t0) / 1000).toFixed(2)} s wall`);
    expect(result.state, result.state === 'failed' ? `${result.phase}: ${result.error}` : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation.map((v) => [v.table, v.sourceRows, v.targetRows, v.match])).toEqual([['dbo.wide', ROWS, ROWS, true]]);
    expect(result.metrics.rows).toBe(ROWS);
    // Beyond the fingerprint: every stored value identical, 100 ns digits and offsets included.
    const stored = (server: TdsTestServer) => server.catalog.find({ schema: 'dbo', name: 'wide' })!.rows as unknown[][];
    expect(stored(target)).toEqual(stored(source));
    expect(result.metrics.notes.join(' ')).toMatch(/FreeTDS freebcp 1\./);
    // freebcp asked for the metadata the way it does, and loaded through insert bulk.
    expect(target.stats.queries.some((q) => /^SET FMTONLY ON select \* from \[dbo\]\.\[wide\] SET FMTONLY OFF$/i.test(q))).toBe(true);
    expect(target.stats.queries.some((q) => /^insert bulk \[dbo\]\.\[wide\]/i.test(q))).toBe(true);
    expect(source.stats.internalErrors).toEqual([]);
    expect(target.stats.internalErrors).toEqual([]);
  }, 120_000);

  it('copies key ranges with queryout and validates', async () => {
    const t0 = performance.now();
    const halves = (tasks: CopyTask[]) =>
      tasks.flatMap((t) => [
        { ...t, id: `${t.id}[1/2]`, range: { column: 'id', to: String(ROWS / 2 + 1) } },
        { ...t, id: `${t.id}[2/2]`, range: { column: 'id', from: String(ROWS / 2 + 1) } },
      ]);
    const result = await bcpTrial(['dbo.wide'], halves);
    timings.push(`queryout/in, 2 key ranges: ${((performance.now() - t0) / 1000).toFixed(2)} s wall`);
    expect(result.state, result.state === 'failed' ? `${result.phase}: ${result.error}` : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation.map((v) => [v.table, v.targetRows, v.match])).toEqual([['dbo.wide', ROWS, true]]);
    expect(source.stats.queries.some((q) => /^SELECT \[id\], .* FROM \[dbo\]\.\[wide\] WHERE \[id\] >= CAST\(N'1501' AS bigint\)$/.test(q))).toBe(true);
    expect(target.stats.internalErrors).toEqual([]);
  }, 120_000);

  it.skipIf(typeof tool === 'string' || !hasNativeDefects(tool))('skips, before the target is touched, a table freebcp 1.3 would copy wrong, naming the column and the fix', async () => {
    const loads = target.stats.queries.filter((q) => /^insert bulk/i.test(q)).length;
    const result = await bcpTrial(['dbo.refused']);
    expect(result.state).toBe('skipped');
    if (result.state !== 'skipped') return;
    expect(result.reason).toMatch(/^FreeTDS freebcp 1\.3\.\d+ cannot copy dbo\.refused column n \(int NULL\) in native format: .*#686.*install Microsoft bcp, or FreeTDS > 1\.3\.x$/);
    expect(result.reason).not.toContain('\n');
    expect(target.stats.queries.filter((q) => /^insert bulk/i.test(q)).length).toBe(loads);
  });
});
