import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Catalog } from '../../harness/model/catalog.js';
import type { Database } from '../../harness/model/database.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { postgresEngine } from '../../harness/engines/postgres.js';
import { tableTasks } from '../../harness/plan/tasks.js';
import { validateCopy } from '../../harness/trial/validate.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { allTypesTable } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';

/**
 * Issue 17, defect 5: a validation probe the server could not run (here, as on the independent server,
 * `MIN(CONVERT(char(36), uuid) COLLATE Latin1_General_BIN2)`: the collation is unknown) surfaced as a
 * bare SQL error naming no table, column or probe, and the whole validation was lost. Now the failing
 * probes are named, their column is reported unverifiable, and every other probe still compares.
 */
let dbs: TestDatabases;
let server: TdsTestServer;
let source: Database;
let target: Database;
let catalog: Catalog;

beforeAll(async () => {
  dbs = await freshDatabases('tds_probes');
  server = await TdsTestServer.start({ tables: [allTypesTable()], departures: { invalidCollate: true } });
  source = await mssqlEngine.connect(server.url(), { role: 'source', poolSize: 3, applicationName: 'bench-probe-source', peer: 'postgres' });
  target = await postgresEngine.connect(dbs.target, { role: 'target', poolSize: 3, applicationName: 'bench-probe-target' });
  catalog = await source.introspect();
  await target.createTables(catalog.tables, 'mssql');
  const task = tableTasks(catalog.tables)[0]!;
  const s = await source.acquire();
  const t = await target.acquire();
  const sink = t.copyIn!(task, 'text');
  await pipeline(s.copyOut!(task, 'text'), sink.stream);
  s.release();
  t.release();
});

afterAll(async () => {
  await source?.close();
  await target?.close();
  await server?.close();
  await dbs?.drop();
});

it('reports the column of a probe the server cannot run as unverifiable, names it, and validates the rest', async () => {
  const rows = await validateCopy(source, target, catalog.tables, { parallelism: 2 });
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  expect([row.table, row.sourceRows, row.targetRows, row.match]).toEqual(['dbo.all_types', 3, 3, true]);
  expect(row.unverifiable).toEqual([
    "c_uuid (uuid): min failed on the source: Invalid collation 'Latin1_General_BIN2'. [SQL Server error 448]",
    "c_uuid (uuid): max failed on the source: Invalid collation 'Latin1_General_BIN2'. [SQL Server error 448]",
  ]);
});

it('still notices a changed value in a column it could verify', async () => {
  const c = await import('../support/databases.js').then((m) => m.connect(dbs.target));
  await c.query(`UPDATE dbo.all_types SET c_int = c_int + 1 WHERE id = 3`);
  await c.end();
  const rows = await validateCopy(source, target, catalog.tables, { parallelism: 2 });
  expect(rows[0]!.match).toBe(false);
});

it('names the table when its fingerprint cannot be computed at all', async () => {
  const err = await source.fingerprintPortable!({ schema: 'dbo', name: 'gone' }, catalog.tables[0]!.columns).catch((e: unknown) => e as Error);
  expect((err as Error).message).toMatch(/fingerprint of dbo\.gone: Invalid object name 'dbo\.gone'\./);
});
