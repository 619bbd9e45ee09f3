import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresEngine } from '../../harness/engines/postgres.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';

/**
 * A point's reached concurrency is the most of the command's own sessions busy at once on a server.
 * Another client's busy session is no copy of the trial: the CI run that failed on "expected 9 to be 8"
 * counted the concurrency test's own pg_stat_activity poll as a ninth copy.
 */
describe('the servers\' count of busy sessions', () => {
  let dbs: TestDatabases;
  const opened: pg.Client[] = [];

  beforeAll(async () => {
    dbs = await freshDatabases('probe');
  });
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.end().catch(() => undefined)));
    await dbs?.drop();
  });

  /** A session named `name` holding a transaction open (busy, as a copy between statements is). */
  async function busy(name: string): Promise<void> {
    const c = new pg.Client({ connectionString: dbs.target, application_name: name });
    await c.connect();
    opened.push(c);
    await c.query('BEGIN; SELECT 1');
  }

  it('counts sessions named with the command\'s tag and nobody else\'s', async () => {
    const db = await postgresEngine.connect(dbs.target, { role: 'target', poolSize: 1, applicationName: 'bench-t1-target', sessionTag: 'bench-t1' });
    const probe = await db.activityProbe!();
    try {
      expect(await probe.busySessions()).toBe(0);
      await busy('psql'); // someone else's session
      await busy('bench-t2-target'); // another bench's, on the same database
      await busy('bench-t10-tool'); // a tag that only starts like ours
      expect(await probe.busySessions()).toBe(0);
      await busy('bench-t1-target'); // the pool
      await busy('bench-t1-worker'); // a worker thread
      await busy('bench-t1-tool'); // an external tool (psql, pg_dump, pgcopydb)
      expect(await probe.busySessions()).toBe(3);
      await busy('bench-t1-target-snapshot'); // holds the trial's snapshot: no copy
      expect(await probe.busySessions()).toBe(3);
    } finally {
      await probe.close();
      await db.close();
    }
  });
});
