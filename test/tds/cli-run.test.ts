import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageRoot } from '../../harness/base/paths.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { allTypesTable, bigTable } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';

/**
 * `bench run` from SQL Server (the TDS test server) into a real PostgreSQL database, through the CLI as a
 * user types it: the server given by URL, then by parts (--source-host …, password from the
 * environment), and a wrong password.
 */
let server: TdsTestServer;
let dbs: TestDatabases;
let dir: string;
const PASSWORD = 'Secret-Passw0rd';

beforeAll(async () => {
  server = await TdsTestServer.start({ tables: [allTypesTable(), bigTable('big', 20_000)] });
  dbs = await freshDatabases('tds_cli_run');
  dir = mkdtempSync(join(tmpdir(), 'bench-cli-run-'));
}, 60_000);

afterAll(async () => {
  await dbs?.drop();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const bench = (args: readonly string[], env: Record<string, string> = {}) =>
  execa('node', [join(packageRoot, 'bin', 'bench.js'), 'run', '--state-dir', dir, ...args], { reject: false, env });

it('copies SQL Server → PostgreSQL by URL, validated, and writes the JSON result', async () => {
  const json = join(dir, 'run.json');
  const r = await bench(['--source-url', server.url(), '--target-url', dbs.target, '--strategy', 'native-bulk', '--tables', 'dbo.big,dbo.all_types', '--json', json]);
  expect(r.exitCode, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/dbo\.big[\s│]+20,000[\s│]+20,000[\s│]+equal[\s│]+yes/);
  expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
  const results = JSON.parse(readFileSync(json, 'utf8')) as { trials: { state: string; validation: { table: string; match: boolean }[] }[] };
  const [result] = results.trials;
  expect(result?.state).toBe('ok');
  expect(result?.validation.map((v) => [v.table, v.match])).toEqual([
    ['dbo.all_types', true],
    ['dbo.big', true],
  ]);
}, 120_000);

it('takes the server by parts, the password from BENCH_SOURCE_PASSWORD', async () => {
  const r = await bench(
    [
      ...['--source-engine', 'mssql', '--source-host', '127.0.0.1', '--source-port', String(server.port)],
      ...['--source-user', 'sa', '--source-database', 'bench', '--source-encrypt', 'false'],
      ...['--target-url', dbs.target, '--strategy', 'direct-stream', '--tables', 'dbo.all_types'],
    ],
    { BENCH_SOURCE_PASSWORD: PASSWORD },
  );
  expect(r.exitCode, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/dbo\.all_types[\s│]+3[\s│]+3[\s│]+equal[\s│]+yes/);
}, 120_000);

it('stops on a wrong password with one line that names the server, never the password', async () => {
  const r = await bench(['--source-url', server.url('sa', 'Wrong-Passw0rd'), '--target-url', dbs.target, '--tables', 'dbo.all_types']);
  expect(r.exitCode).not.toBe(0);
  expect(r.stderr).toMatch(/Login failed for user 'sa'/);
  expect(r.stderr).toMatch(/mssql:\/\/sa@127\.0\.0\.1/);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/Wrong-Passw0rd|Secret-Passw0rd/);
}, 60_000);
