import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../harness/model/database.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { postgresEngine } from '../../harness/engines/postgres.js';
import { tableTasks } from '../../harness/plan/tasks.js';
import { validateCopy } from '../../harness/trial/validate.js';
import { strategies } from '../../strategies/index.js';
import { defaultStrategyParams, type StrategyName } from '../../harness/model/contender.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { trial } from '../support/trial.js';

/**
 * End to end, SQL Server (the TDS test server, in its own process) → a real PostgreSQL target,
 * through harness/runner.ts runTrial as `bench run` does it, validated with the portable
 * fingerprint. Prints rows/s and bench's CPU share (the server's CPU is measured apart) for the
 * lead's notes; asserts only correctness.
 */
const ROWS = 200_000;
const repo = fileURLToPath(new URL('../..', import.meta.url));
const buildDir = join(repo, 'node_modules', '.cache', 'bench-tds-serve');

let child: ChildProcess;
let lines: Interface;
let url: string;
let source: Database;
let target: Database;
let dbs: TestDatabases;
const measured: string[] = [];

async function serverCpuSeconds(): Promise<number> {
  child.stdin!.write('cpu\n');
  const [line] = (await once(lines, 'line')) as [string];
  const cpu = JSON.parse(line) as { user: number; system: number };
  return (cpu.user + cpu.system) / 1e6;
}

beforeAll(async () => {
  // Compile the server once into node_modules/.cache (so it resolves this repo's packages) and run it apart.
  await execa('npx', ['tsc', '-p', 'test/tds/tsconfig.serve.json', '--outDir', buildDir], { cwd: repo });
  child = spawn(process.execPath, [join(buildDir, 'test', 'tds', 'serve.js'), String(ROWS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  const { port } = JSON.parse(first) as { port: number };
  url = `mssql://sa:Secret-Passw0rd@127.0.0.1:${port}/bench?encrypt=false`;
  source = await mssqlEngine.connect(url, { role: 'source', poolSize: 6, applicationName: 'bench-tds-trial' });
  dbs = await freshDatabases('tds_trial');
  target = await postgresEngine.connect(dbs.target, { role: 'target', poolSize: 6, applicationName: 'bench-tds-trial' });
}, 120_000);

afterAll(async () => {
  await source?.close();
  await target?.close();
  await dbs?.drop();
  child?.stdin?.end();
  if (child) await once(child, 'exit');
  if (measured.length) console.log(`mssql (TDS test server) → PostgreSQL, ${ROWS} rows of dbo.big + dbo.all_types:\n  ${measured.join('\n  ')}`);
});

const pair = () => ({ source, target, close: async () => undefined });

describe('SQL Server → PostgreSQL trials', () => {
  it.each(['direct-stream', 'pipeline', 'chunked', 'csv-buffer'] as StrategyName[])('%s copies and validates with the portable fingerprint', async (strategy) => {
    const cpu0 = await serverCpuSeconds();
    const result = await trial(pair(), { strategy, parallelism: 2, tables: ['dbo.big', 'dbo.all_types'] });
    const serverCpu = (await serverCpuSeconds()) - cpu0;
    expect(result.state, result.state === 'failed' ? result.error : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation.map((v) => [v.table, v.sourceRows, v.targetRows, v.match])).toEqual([
      ['dbo.all_types', 3, 3, true],
      ['dbo.big', ROWS, ROWS, true],
    ]);
    const m = result.metrics;
    measured.push(
      `${strategy}: ${Math.round(m.copyRowsPerSecond)} rows/s (copy ${m.seconds.copy.toFixed(2)} s), ` +
        `bench CPU ${m.process.cpuCores.toFixed(2)} cores, server CPU ${(serverCpu / m.seconds.total).toFixed(2)} cores`,
    );
  });

  it('native-bulk runs through the runner (binary COPY written by bench) and validates', async () => {
    const result = await trial(pair(), { strategy: 'native-bulk', parallelism: 2, tables: ['dbo.big', 'dbo.all_types'] });
    expect(result.state, result.state === 'failed' ? result.error : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation.every((v) => v.match)).toBe(true);
    measured.push(`native-bulk (runner, COPY binary): ${Math.round(result.metrics.copyRowsPerSecond)} rows/s, bench CPU ${result.metrics.process.cpuCores.toFixed(2)} cores`);
  });

  it('native-bulk with COPY text moves the same rows (called directly, bypassing supports())', async () => {
    const catalog = await source.introspect(['dbo.big', 'dbo.all_types']);
    await target.dropTables(catalog.tables);
    await target.createTables(catalog.tables, 'mssql');
    const workDir = mkdtempSync(join(tmpdir(), 'bench-tds-'));
    const cpu0 = process.cpuUsage();
    const server0 = await serverCpuSeconds();
    const t0 = performance.now();
    let rows = 0;
    try {
      await Promise.all(
        tableTasks(catalog.tables).map(async (task) => {
          const stats = await strategies['native-bulk'].copyTask({
            source,
            target,
            task,
            tables: catalog.tables,
            parallelism: 1,
            urls: { source: '', target: '' },
            toolApplicationName: 'bench-tds-trial-tool',
            params: { ...defaultStrategyParams, copyFormat: 'text' },
            workDir,
            signal: new AbortController().signal,
            progress: () => undefined,
          });
          rows += stats.rows;
        }),
      );
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const serverCpu = (await serverCpuSeconds()) - server0;
    expect(rows).toBe(ROWS + 3);
    const v = await validateCopy(source, target, catalog.tables, { parallelism: 2 });
    expect(v.every((r) => r.match)).toBe(true);
    measured.push(
      `native-bulk (COPY text): ${Math.round(rows / seconds)} rows/s (copy ${seconds.toFixed(2)} s), ` +
        `bench CPU ${((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)} cores, server CPU ${(serverCpu / seconds).toFixed(2)} cores`,
    );
  });
});
