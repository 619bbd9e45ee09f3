import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../harness/model/database.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { postgresEngine } from '../../harness/engines/postgres.js';
import { BenchError } from '../../harness/base/errors.js';
import { tableTasks } from '../../harness/plan/tasks.js';
import type { CopyTask } from '../../harness/model/task.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';
import { table } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';

/**
 * Issue 17, defect 1: money was read as CONVERT(varchar, money, 2) text, and a server that printed it
 * blank-padded (' 1.5000    ') had the binary COPY encoder write 0.5000, 14.2857 as 0.29, one value as 0,
 * with nothing failing until validation. Money and decimals of up to 18 digits are now read as exact
 * typed values (a scaled bigint), and wider decimals, still read as text, are parsed strictly: a value
 * the encoder cannot parse stops the copy, naming the table, the column and the value.
 */
const AMOUNTS = ['1.5000', '14.2857', '0.0001', '-922337203685477.5808', '922337203685477.5807', '0.0000'];
let dbs: TestDatabases;
let server: TdsTestServer;
let source: Database;
let target: Database;

beforeAll(async () => {
  dbs = await freshDatabases('tds_numeric');
  server = await TdsTestServer.start({
    departures: { paddedNumericText: true },
    tables: [
      table(
        'dbo',
        'money_only',
        [['id', 'int', false], ['amount', 'money'], ['fee', 'smallmoney'], ['d18', 'decimal(18,4)'], ['d16', 'decimal(16,0)']],
        AMOUNTS.map((a, i) => [String(i + 1), a, i % 2 ? '-214748.3648' : '0.5', i % 2 ? '-99999999999999.9999' : a.length < 19 ? a : '1.0001', i % 2 ? '9999999999999999' : '-1']),
      ),
      table('dbo', 'wide_decimal', [['id', 'int', false], ['d38', 'decimal(38,10)']], [['1', '-1234567890123456789012345678.0123456789']]),
    ],
  });
  source = await mssqlEngine.connect(server.url(), { role: 'source', poolSize: 2, applicationName: 'bench-numeric-source', peer: 'postgres' });
  target = await postgresEngine.connect(dbs.target, { role: 'target', poolSize: 2, applicationName: 'bench-numeric-target' });
});

afterAll(async () => {
  await source?.close();
  await target?.close();
  await server?.close();
  await dbs?.drop();
});

async function copyBinary(name: string): Promise<CopyTask> {
  const catalog = await source.introspect([`dbo.${name}`]);
  await target.dropTables(catalog.tables);
  await target.createTables(catalog.tables, 'mssql');
  const task = tableTasks(catalog.tables)[0]!;
  const s = await source.acquire();
  const t = await target.acquire();
  try {
    await pipeline(s.copyOut!(task, 'binary'), t.copyIn!(task, 'binary').stream);
  } finally {
    s.release();
    t.release();
  }
  return task;
}

describe('money and decimals into PostgreSQL binary COPY', () => {
  it('copies money, smallmoney and decimals up to 18 digits exactly, whatever text the server would have printed', async () => {
    await copyBinary('money_only');
    const c = await connect(dbs.target);
    try {
      const rows = (await c.query('SELECT amount::text AS amount, fee::text AS fee, d18::text AS d18, d16::text AS d16 FROM dbo.money_only ORDER BY id')).rows;
      expect(rows.map((r) => r.amount)).toEqual(AMOUNTS);
      expect(rows.map((r) => r.fee)).toEqual(AMOUNTS.map((_, i) => (i % 2 ? '-214748.3648' : '0.5000')));
      expect(rows.map((r) => r.d16)).toEqual(AMOUNTS.map((_, i) => (i % 2 ? '9999999999999999' : '-1')));
      expect(rows[1]!.d18).toBe('-99999999999999.9999');
      expect(rows[0]!.d18).toBe('1.5000');
    } finally {
      await c.end();
    }
  });

  it('stops, naming the table, column and value, when a wide decimal comes back as text it cannot parse', async () => {
    const err = await copyBinary('wide_decimal').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchError);
    expect((err as Error).message).toBe(
      `dbo.wide_decimal: column d38 (decimal(38,10)): '${'-1234567890123456789012345678.0123456789'.padEnd(48)}' is not a decimal number (the server's CONVERT text)`,
    );
  });
});
