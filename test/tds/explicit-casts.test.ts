import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMssqlSeedMarker, writeMssqlSeedMarker } from '../../harness/dataset/mssql-marker.js';
import type { Database } from '../../harness/model/database.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import type { StrategyName } from '../../harness/model/contender.js';
import { trial } from '../support/trial.js';
import { allTypesTable } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';

/**
 * Issue 17, defect 6: bench's INSERTs sent text (a datetimeoffset, a decimal, a date…) and relied on the
 * server converting it into the column's type. The target here converts nothing implicitly outside a
 * type family (departures.noImplicitConversion: SQL Server would), so every statement must CAST.
 */
let sourceServer: TdsTestServer;
let targetServer: TdsTestServer;
let source: Database;
let target: Database;

beforeAll(async () => {
  sourceServer = await TdsTestServer.start({ tables: [allTypesTable()] });
  targetServer = await TdsTestServer.start({ tables: [], departures: { noImplicitConversion: true } });
  source = await mssqlEngine.connect(sourceServer.url(), { role: 'source', poolSize: 3, applicationName: 'bench-cast-source', peer: 'mssql' });
  target = await mssqlEngine.connect(targetServer.url(), { role: 'target', poolSize: 3, applicationName: 'bench-cast-target', peer: 'mssql' });
});

afterAll(async () => {
  await source?.close();
  await target?.close();
  await sourceServer?.close();
  await targetServer?.close();
  expect(targetServer.stats.internalErrors).toEqual([]);
});

describe('INSERT casts every value to its column type', () => {
  it.each(['direct-stream', 'chunked'] as StrategyName[])('%s copies every type SQL Server → SQL Server into a server that converts nothing implicitly', async (strategy) => {
    const result = await trial({ source, target, close: async () => undefined }, { strategy, parallelism: 1 });
    expect(result.state, result.state === 'failed' ? `${result.phase}: ${result.error}` : '').toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.validation.map((v) => [v.table, v.targetRows, v.match])).toEqual([['dbo.all_types', 3, true]]);
    const insert = targetServer.stats.queries.find((q) => q.startsWith('INSERT INTO [dbo].[all_types]'))!;
    expect(insert).toContain('CAST(@p');
    expect(insert).toContain('AS datetimeoffset(7))');
  });

  it('writes the seed marker with typed values', async () => {
    await writeMssqlSeedMarker(targetServer.url(), 'public', { scale: 0.5, seed: 7, version: 2 });
    expect(await readMssqlSeedMarker(targetServer.url(), 'public')).toEqual({ scale: 0.5, seed: 7, version: 2 });
  });
});
