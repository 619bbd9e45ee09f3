import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Lifecycle } from '../../harness/base/lifecycle.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { packageRoot } from '../../harness/base/paths.js';
import { NativeProvider } from '../../harness/providers/native.js';
import { TdsTestServer } from './tds-server.js';

/**
 * `bench seed` into SQL Server (the TDS test server), through the CLI: generated in a native PostgreSQL
 * staging cluster, bulk-loaded, keyed and validated, then marked so a second seed does nothing.
 */
let server: TdsTestServer;
let dir: string;

beforeAll(async () => {
  server = await TdsTestServer.start({ tables: [] });
  dir = mkdtempSync(join(tmpdir(), 'bench-seed-mssql-'));
  chmodSync(dir, 0o755);
});

afterAll(async () => {
  await new NativeProvider().down({ stateDir: dir, lifecycle: new Lifecycle() }).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
  await server?.close();
});

it('seeds the StackOverflow dataset into SQL Server, validated, and skips a second seed', async () => {
  const url = `mssql://sa:Secret-Passw0rd@127.0.0.1:${server.port}/bench?encrypt=false`;
  const seed = () => execa('node', [join(packageRoot, 'bin', 'bench.js'), 'seed', '--source-url', url, '--scale', '0.0005', '--state-dir', dir], { reject: false });
  const first = await seed();
  expect(first.exitCode, first.stderr).toBe(0);
  expect(first.stdout).toMatch(/public\.Posts[\s│]+[\d,]+[\s│]+rows and checksum match/);
  expect(`${first.stdout}${first.stderr}`).not.toContain('Secret-Passw0rd');

  const db = await mssqlEngine.connect(url, { role: 'source', poolSize: 2, applicationName: 'bench-test' });
  try {
    const catalog = await db.introspect();
    // The marker schema is bench's own and is not part of the catalog.
    expect(catalog.tables.map((t) => t.name).sort()).toEqual(['Badges', 'Comments', 'LinkTypes', 'PostLinks', 'PostTypes', 'Posts', 'Users', 'VoteTypes', 'Votes']);
    const posts = catalog.tables.find((t) => t.name === 'Posts')!;
    expect(posts.primaryKey?.columns).toEqual(['Id']);
    expect(posts.foreignKeys.length).toBeGreaterThan(0);
  } finally {
    await db.close();
  }

  const second = await seed();
  expect(second.exitCode, second.stderr).toBe(0);
  expect(`${second.stdout}${second.stderr}`).toMatch(/already holds the StackOverflow dataset.*nothing to do/);
}, 240_000);
