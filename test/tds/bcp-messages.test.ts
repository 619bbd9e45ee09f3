import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../harness/model/database.js';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { runTrial } from '../../harness/trial/run-trial.js';
import { findBcpTool } from '../../harness/tools/bcp.js';
import { defaultStrategyParams } from '../../harness/model/contender.js';
import { runContextFor } from '../support/trial.js';
import { table } from './fixtures.js';
import { SqlError } from './tds-sql.js';
import { TdsTestServer } from './tds-server.js';

/**
 * Issue 17, defect 8: a server that sends its login INFO message ("Changed database context…", severity
 * 0) under a number freebcp does not filter (SQL Server's is 5701) had that line reported as the bcp
 * failure, hiding the real error. Here the target server does that, then fails the bulk load; the trial
 * must name the server's error. Needs FreeTDS freebcp (skipped, and says so, without it).
 */
const tool = await findBcpTool();
const skip = typeof tool === 'string' ? tool : tool.flavor !== 'freetds' ? 'this test exercises FreeTDS freebcp; Microsoft bcp is installed' : undefined;
if (skip) console.warn(`bcp message tests skipped: ${skip}`);

let source: TdsTestServer;
let target: TdsTestServer;
let sourceDb: Database;
let targetDb: Database;

beforeAll(async () => {
  if (skip) return;
  const t = table('dbo', 'numbers', [['id', 'int', false], ['n', 'bigint', false]], [['1', '10'], ['2', '20']], { primaryKey: { name: 'PK_numbers', columns: ['id'] } });
  source = await TdsTestServer.start({ tables: [t] });
  target = await TdsTestServer.start({ tables: [], departures: { loginInfoNumber: 0 } });
  sourceDb = await mssqlEngine.connect(source.url(), { role: 'source', poolSize: 2, applicationName: 'bench-bcp-msg-source' });
  targetDb = await mssqlEngine.connect(target.url(), { role: 'target', poolSize: 2, applicationName: 'bench-bcp-msg-target' });
});

afterAll(async () => {
  await sourceDb?.close();
  await targetDb?.close();
  await source?.close();
  await target?.close();
});

describe.skipIf(skip !== undefined)('freebcp messages', () => {
  it("reports the server's error, not an informational login message sent under another number", async () => {
    target.beforeQuery = (sql) => {
      if (/^insert bulk/i.test(sql)) throw new SqlError('The bulk load failed. The column is too long in the data file for row 1, column 1.', 4866);
    };
    const catalog = await sourceDb.introspect();
    const workRoot = mkdtempSync(join(tmpdir(), 'bench-bcp-msg-'));
    try {
      const result = await runTrial(
        { kind: 'strategy', id: 'bcp/p1#1', point: 'bcp/p1', strategy: 'bcp', parallelism: 1, partitions: 1, workers: 0, constraints: 'after', params: defaultStrategyParams, repetition: 1 },
        runContextFor({ source: sourceDb, target: targetDb, urls: { source: source.url(), target: target.url() }, close: async () => undefined }, catalog.tables, workRoot),
      );
      expect(result.state).toBe('failed');
      const error = result.state === 'failed' ? result.error : '';
      expect(error).toContain('The bulk load failed. The column is too long in the data file for row 1, column 1. (Msg 4866)');
      expect(error).not.toContain('Changed database context');
    } finally {
      target.beforeQuery = undefined;
      rmSync(workRoot, { recursive: true, force: true });
    }
  });
});
