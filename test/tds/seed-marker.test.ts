import { afterAll, beforeAll, expect, it } from 'vitest';
import { readMssqlSeedMarker, writeMssqlSeedMarker } from '../../harness/dataset/mssql-marker.js';
import { TdsTestServer } from './tds-server.js';

/**
 * Issue 17, defect 7: the seed marker's absence was recognised only by SQL Server's error 208, and a
 * server that reports a missing table under another number failed `bench seed`. Existence is now
 * checked with OBJECT_ID, whatever number a missing object would raise.
 */
let server: TdsTestServer;

beforeAll(async () => {
  server = await TdsTestServer.start({ tables: [], departures: { missingObjectNumber: 33557097 } });
});

afterAll(async () => {
  await server?.close();
  expect(server.stats.internalErrors).toEqual([]);
});

it('reads no marker from a server that reports a missing table under another number, then the marker once written', async () => {
  expect(await readMssqlSeedMarker(server.url(), 'public')).toBeUndefined();
  await writeMssqlSeedMarker(server.url(), 'public', { scale: 0.01, seed: 42, version: 3 });
  expect(await readMssqlSeedMarker(server.url(), 'public')).toEqual({ scale: 0.01, seed: 42, version: 3 });
  expect(await readMssqlSeedMarker(server.url(), 'other')).toBeUndefined();
});
