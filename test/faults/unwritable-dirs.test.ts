import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { bench, errorLines, processesWith, scratch, sql } from './support.js';

/**
 * Defect 13 of issue 16: a state or spill directory under /proc hung bench at 100% CPU, deaf to Ctrl-C:
 * Node's recursive mkdir loops forever there (procfs answers ENOENT to mkdir, and the parent exists).
 * Now one line and a non-zero exit, in seconds.
 */
const MARK = `bench-faults-${process.pid}`;

describe('a directory bench cannot create', () => {
  let dbs: TestDatabases;
  const work = scratch('procdirs');

  beforeAll(async () => {
    dbs = await freshDatabases('faults_procdirs');
    await sql(dbs.source, `CREATE TABLE items (id int PRIMARY KEY)`);
    await sql(dbs.source, `INSERT INTO items SELECT generate_series(1, 100)`);
  });

  afterAll(async () => {
    // Before the fix a hung bench survives the timeout that killed the bench we started: stop it.
    for (const line of await processesWith(MARK)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    await dbs?.drop();
    work.remove();
  });

  const cases: { what: string; args: () => string[]; message: RegExp }[] = [
    {
      what: 'a spill directory under /proc',
      args: () => ['run', '-s', 'csv-buffer', '-p', '1', '--spill-dir', `/proc/${MARK}/spill`, '--source-url', dbs.source, '--target-url', dbs.target],
      message: new RegExp(`^error: cannot create the spill directory /proc/${MARK}/spill/bench-\\d+ \\(/proc/${MARK}: ENOENT\\): pass --spill-dir with a directory bench can write$`),
    },
    {
      what: 'a state directory under /proc',
      args: () => ['up', '--state-dir', `/proc/${MARK}/state`],
      message: new RegExp(`^error: cannot create the state directory /proc/${MARK}/state/native/source \\(/proc/${MARK}: ENOENT\\): pass --state-dir with a directory bench can write$`),
    },
    {
      what: 'a sweep output directory under /proc',
      args: () => ['sweep', '--no-peers', '--strategies', 'native-bulk', '--parallelism', '1', '--partitions', '1', '--repeat', '1', '--out', `/proc/${MARK}/out`, '--source-url', dbs.source, '--target-url', dbs.target],
      message: new RegExp(`^error: cannot create the results directory /proc/${MARK}/out \\(/proc/${MARK}: ENOENT\\): pass --out with a directory bench can write$`),
    },
  ];

  for (const c of cases) {
    it(`${c.what}: one line, a non-zero exit, within seconds`, async () => {
      const t0 = Date.now();
      const r = await bench(c.args(), { stateDir: join(work.dir, 'state'), timeout: 30_000 });
      expect(Date.now() - t0).toBeLessThan(25_000);
      expect(r.exitCode).toBe(1);
      expect(errorLines(r.stderr).filter((l) => l.startsWith('error:'))).toEqual([expect.stringMatching(c.message)]);
    });
  }
});
