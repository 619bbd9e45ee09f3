import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../harness/model/database.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { postgresEngine } from '../../harness/engines/postgres.js';
import type { StrategyName } from '../../harness/model/contender.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';
import { trial } from '../support/trial.js';
import { connectClient, run } from './client.js';
import { allTypesTable, bigTable } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';

/**
 * SQL Server as the TARGET, through the TDS test server (no real SQL Server can run here): every
 * strategy through the real runner, PostgreSQL → SQL Server and SQL Server → SQL Server, validated
 * with the portable fingerprint (across engines) or the same-engine one. The test server checks types,
 * NULLs and keys as SQL Server does, so a wrong encoding or a broken key fails here.
 */
const ROWS = 20_000;
/** The wide PostgreSQL table: the test server converts and checks every value in JavaScript, so fewer rows. */
const WIDE_ROWS = 2_000;
let dbs: TestDatabases;
let targetServer: TdsTestServer;
let sourceServer: TdsTestServer;
let pgSource: Database;
let mssqlSource: Database;
let target: Database;

const mssqlUrl = (port: number) => `mssql://sa:Secret-Passw0rd@127.0.0.1:${port}/bench?encrypt=false`;

beforeAll(async () => {
  dbs = await freshDatabases('tds_target');
  const c = await connect(dbs.source);
  try {
    // Every PostgreSQL type bench maps to SQL Server, awkward values included, with keys and a foreign key.
    await c.query(`
      CREATE TABLE parent (id integer PRIMARY KEY, name varchar(40) NOT NULL UNIQUE);
      INSERT INTO parent SELECT g, 'parent ' || g FROM generate_series(1, 50) g;
      CREATE TABLE wide (
        id bigint PRIMARY KEY,
        parent_id integer REFERENCES parent (id),
        small smallint, flag boolean, ratio real, score double precision,
        price numeric(12,2), huge numeric(38,10), quarter numeric,
        title varchar(200), body text, code char(3),
        born date, at timestamp(6), at3 timestamp(3), zoned timestamptz, clock time,
        blob bytea, uid uuid, doc jsonb
      );
      INSERT INTO wide
      SELECT g, 1 + g % 50,
        (g % 30000)::smallint, g % 3 = 0, g / 7.0, g * 1.000001,
        (g * 12.34)::numeric(12,2), ('123456789012345678901234567.' || lpad((g % 10000000000)::text, 10, '0'))::numeric(38,10), g / 4.0,
        CASE WHEN g % 10 = 0 THEN NULL WHEN g % 10 = 1 THEN '' ELSE 'title ' || g || E' tab\\t nl\\n "q" \\\\ ü 😀' END,
        repeat('body ', g % 2000), CASE WHEN g % 5 = 0 THEN NULL ELSE 'ab' END,
        date '2000-01-01' + g % 9000, timestamp '2020-01-01 00:00:00' + g * interval '1.000001 second',
        timestamp '1999-12-31 23:59:59.999' + g * interval '1 millisecond',
        timestamptz '2024-03-10 01:30:00+00' + g * interval '1 minute', time '00:00:00' + g * interval '1.5 second',
        CASE WHEN g % 4 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') END,
        md5(g::text)::uuid, jsonb_build_object('g', g)
      FROM generate_series(1, ${WIDE_ROWS}) g;
      ANALYZE;
    `);
  } finally {
    await c.end();
  }
  pgSource = await postgresEngine.connect(dbs.source, { role: 'source', poolSize: 6, applicationName: 'bench-test-source' });
  targetServer = await TdsTestServer.start({ tables: [] });
  target = await mssqlEngine.connect(mssqlUrl(targetServer.port), { role: 'target', poolSize: 6, applicationName: 'bench-test-target' });
  sourceServer = await TdsTestServer.start({ tables: [allTypesTable(), bigTable('big', ROWS)] });
  // peer: as `bench run` connects a SQL Server source for a SQL Server target (provision.ts).
  mssqlSource = await mssqlEngine.connect(mssqlUrl(sourceServer.port), { role: 'source', poolSize: 6, applicationName: 'bench-test-source', peer: 'mssql' });
}, 120_000);

afterAll(async () => {
  await pgSource?.close();
  await mssqlSource?.close();
  await target?.close();
  await targetServer?.close();
  await sourceServer?.close();
  await dbs?.drop();
});

const STRATEGIES: StrategyName[] = ['native-bulk', 'direct-stream', 'pipeline', 'chunked', 'csv-buffer'];

describe('PostgreSQL → SQL Server', () => {
  it.each(STRATEGIES)('%s copies every mapped type, recreates the keys and validates', async (strategy) => {
    const result = await trial({ source: pgSource, target, close: async () => undefined }, { strategy, parallelism: 2 });
    expect(result.state, result.state === 'failed' ? `${result.phase}: ${result.error}` : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation.map((v) => [v.table, v.targetRows, v.match])).toEqual([
      ['public.parent', 50, true],
      ['public.wide', WIDE_ROWS, true],
    ]);
    expect(targetServer.stats.internalErrors).toEqual([]);
    const catalog = await target.introspect(['public.wide']);
    const wide = catalog.tables[0]!;
    expect(wide.primaryKey?.columns).toEqual(['id']);
    expect(wide.foreignKeys.map((f) => f.references.name)).toEqual(['parent']);
    expect(Object.fromEntries(wide.columns.map((c) => [c.name, c.nativeType]))).toMatchObject({
      flag: 'bit',
      huge: 'decimal(38,10)',
      title: 'nvarchar(200)',
      body: 'nvarchar(max)',
      zoned: 'datetimeoffset(6)',
      uid: 'uniqueidentifier',
      blob: 'varbinary(max)',
    });
  });

  it('constraints before the load work too (keys in place while rows arrive)', async () => {
    const result = await trial({ source: pgSource, target, close: async () => undefined }, { strategy: 'native-bulk', constraints: 'before' });
    expect(result.state, result.state === 'failed' ? `${result.phase}: ${result.error}` : '').toBe('ok');
  });
});

describe('SQL Server → SQL Server', () => {
  it.each(STRATEGIES)('%s copies every SQL Server type and validates', async (strategy) => {
    const result = await trial({ source: mssqlSource, target, close: async () => undefined }, { strategy, parallelism: 2 });
    expect(result.state, result.state === 'failed' ? `${result.phase}: ${result.error}` : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation.map((v) => [v.table, v.targetRows, v.match])).toEqual([
      ['dbo.all_types', 3, true],
      ['dbo.big', ROWS, true],
    ]);
    expect(targetServer.stats.internalErrors).toEqual([]);
    // Beyond the fingerprint (instants at 6 digits): every digit and the datetimeoffset's own offset.
    const temporal = 'SELECT CONVERT(varchar(40), c_time, 121) AS t, CONVERT(varchar(40), c_datetime2, 121) AS d, CONVERT(varchar(40), c_dto, 121) AS z FROM dbo.all_types ORDER BY id';
    const read = async (server: TdsTestServer) => {
      const conn = await connectClient(server);
      try {
        return (await run(conn, temporal)).rows;
      } finally {
        conn.close();
      }
    };
    expect(await read(targetServer)).toEqual(await read(sourceServer));
  });
});

describe('SQL Server target errors', () => {
  it('a key that cannot be built names the duplicate, in one line with the server error number', async () => {
    const table = {
      schema: 'dbo',
      name: 'dupes',
      columns: [{ name: 'id', nativeType: 'int', portable: { kind: 'int32' as const }, nullable: false }],
      primaryKey: { name: 'PK_dupes', columns: ['id'] },
      uniques: [],
      checks: [],
      foreignKeys: [],
      indexes: [],
      estimatedRows: 2,
      estimatedBytes: 0,
    };
    await target.dropTables([table]);
    await target.createTables([table], 'mssql');
    const session = await target.acquire();
    try {
      const task = { id: 'dbo.dupes', source: table, target: table, columns: table.columns, level: 0, estimatedRows: 2, estimatedBytes: 0 };
      await session.insertRows(task, [[1], [1]]);
    } finally {
      session.release();
    }
    const [step] = target.constraintSteps([table]);
    const err = await target.applyConstraint(step!, 'mssql').catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/duplicate key.*\[SQL Server error 1505\]$/);
    expect((err as Error).message).not.toContain('\n');
    await target.dropTables([table]);
  });
});
