import { afterAll, beforeAll, expect, test } from 'vitest';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { TdsTestServer } from './tds-server.js';
import { allTypesTable } from './fixtures.js';

let server: TdsTestServer;
beforeAll(async () => {
  server = await TdsTestServer.start({ tables: [allTypesTable()] });
});
afterAll(() => server.close());

test('smoke', async () => {
  const db = await mssqlEngine.connect(server.url(), { role: 'source', poolSize: 2, applicationName: 'x' });
  const cat = await db.introspect();
  console.log(JSON.stringify(cat.tables[0]!.columns.slice(0, 5)));
  const s = await db.acquire();
  const tasks = (await import('../../harness/tasks.js')).tableTasks(cat.tables);
  for await (const b of s.streamRows(tasks[0]!, 100)) console.log(b.length);
  s.release();
  console.log(await db.fingerprint(cat.tables[0]!, cat.tables[0]!.columns.map((c) => c.name)));
  await db.close();
  expect(1).toBe(1);
});
