import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bench, errorLines, scratch } from './support.js';

/**
 * Defect 7 of issue 16: a connection string bench could not parse was echoed in the error with its
 * password (no scheme, a libpq keyword string, `postgres:/` with one slash), and the last form was even
 * sent to a server, the password as the database name. A listener on $PGPORT shows whether anything
 * connected.
 */
const SECRET = 'S3cretPw';

describe('malformed connection URLs', () => {
  const work = scratch('secrets');
  let trap: Server;
  let trapPort = 0;
  const connections: Socket[] = [];

  beforeAll(async () => {
    trap = createServer((socket) => {
      connections.push(socket);
      socket.destroy();
    });
    await new Promise<void>((resolve) => trap.listen({ port: 0, host: '127.0.0.1' }, resolve));
    trapPort = (trap.address() as { port: number }).port;
  });

  afterAll(() => {
    trap.close();
    work.remove();
  });

  const forms = {
    'no scheme': () => `tester:${SECRET}@127.0.0.1:${trapPort}/bench`,
    'a libpq keyword string': () => `host=127.0.0.1 port=${trapPort} user=tester password=${SECRET} dbname=bench`,
    'one slash after the scheme': () => `postgres:/tester:${SECRET}@127.0.0.1:${trapPort}/bench`,
    'a port that is not a number': () => `postgres://tester:${SECRET}@127.0.0.1:port/bench`,
    'a SQL Server URL with one slash': () => `mssql:/tester:${SECRET}@127.0.0.1:${trapPort}/bench`,
  };

  for (const [what, url] of Object.entries(forms)) {
    it(`${what}: one line without the password, exit 2, nothing sent`, async () => {
      const before = connections.length;
      const r = await bench(['run', '--source-url', url(), '--target-url', inject('pg').target], {
        stateDir: join(work.dir, 'state'),
        env: { PGHOST: '127.0.0.1', PGPORT: String(trapPort) },
      });
      expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
      expect(r.exitCode).toBe(2);
      expect(errorLines(r.stderr)).toEqual([expect.stringMatching(/^error: --source-url: /)]);
      expect(connections.length).toBe(before);
    });
  }
});
