import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { errorLines, scratch, sql, startBench } from './support.js';

/**
 * Defect 11 of issue 16: when a session of bench's was terminated mid-copy, the message did not say
 * which server, and blamed "the host, port and firewall" (ECONNRESET) or a shutdown. Here an
 * administrator terminates bench's busy session with pg_terminate_backend, on either side.
 */
describe('a session terminated by an administrator mid-copy', () => {
  let dbs: TestDatabases;
  const work = scratch('connloss');

  beforeAll(async () => {
    dbs = await freshDatabases('faults_connloss');
    await sql(dbs.source, `CREATE TABLE items (id int PRIMARY KEY, name text)`);
    await sql(dbs.source, `INSERT INTO items SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 600000) g`);
    await sql(dbs.source, 'ANALYZE');
  });

  afterAll(async () => {
    await dbs?.drop();
    work.remove();
  });

  /** Terminates bench's first active session running a statement like `pattern`; resolves once done. */
  async function terminateWhen(url: string, pattern: string, stop: () => boolean): Promise<boolean> {
    while (!stop()) {
      const r = await sql(
        url,
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE 'bench-%' AND state = 'active' AND query ILIKE $1`,
        [pattern],
      );
      if (Number(r[0]!.n) > 0) return true;
      await new Promise((res) => setTimeout(res, 20));
    }
    return false;
  }

  const cases = [
    { strategy: 'direct-stream', role: 'target', statement: 'INSERT%' },
    { strategy: 'native-bulk', role: 'target', statement: 'COPY%FROM STDIN%' },
    { strategy: 'native-bulk', role: 'source', statement: 'COPY%TO STDOUT%' },
  ] as const;

  for (const c of cases) {
    it(`${c.strategy}, ${c.role} session: one line naming the ${c.role} server and the administrator, no firewall`, async () => {
      const child = startBench(['run', '-s', c.strategy, '-p', '1', '--source-url', dbs.source, '--target-url', dbs.target], { stateDir: join(work.dir, 'state') });
      let ended = false;
      void child.finally(() => (ended = true));
      const terminated = await terminateWhen(c.role === 'source' ? dbs.source : dbs.target, c.statement, () => ended);
      const r = await child;
      expect(terminated, 'the copy ended before its session could be terminated').toBe(true);
      expect(r.exitCode).toBe(1);
      const port = new URL(c.role === 'source' ? dbs.source : dbs.target).port;
      const errors = errorLines(String(r.stderr)).filter((l) => l.startsWith('error:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`the ${c.role} server 127\\.0\\.0\\.1:${port} ended bench's session: an administrator terminated it`));
      expect(errors[0]).not.toMatch(/firewall/);
    });
  }
});
