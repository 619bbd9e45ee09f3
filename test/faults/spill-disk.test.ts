import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrialResult } from '../../harness/model/trial.js';
import { readTrialLog } from '../../harness/results/trial-log.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { bench, errorLines, isRoot, listTree, mountTmpfs, scratch, serversUnder, sql } from './support.js';

/**
 * Defect 2 of issue 16: csv-buffer spilling onto a full disk died of an unhandled rejection past bench's
 * only catch: the spill file stayed, the servers the command started kept running, and a sweep died
 * without a report. A real full disk here: a 5 MB tmpfs as --spill-dir, a table whose CSV is about 9 MB.
 */
describe.skipIf(!isRoot())('a full spill disk', () => {
  let dbs: TestDatabases;
  const work = scratch('spill');
  const spill = join(work.dir, 'spill');
  let disk: { unmount(): Promise<void> } | undefined;

  beforeAll(async () => {
    mkdirSync(spill);
    disk = await mountTmpfs(spill, '5m');
    dbs = await freshDatabases('faults_spill');
    await sql(dbs.source, `CREATE TABLE notes (id int PRIMARY KEY, body text)`);
    await sql(dbs.source, `INSERT INTO notes SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 60000) g`);
    await sql(dbs.source, `CREATE TABLE small (id int PRIMARY KEY)`);
    await sql(dbs.source, `INSERT INTO small SELECT generate_series(1, 10)`);
  });

  afterAll(async () => {
    await disk?.unmount();
    await dbs?.drop();
    // The native target cluster the `run` test started: removed with bench down.
    await bench(['down', '--state-dir', join(work.dir, 'state')], { stateDir: join(work.dir, 'state') });
    work.remove();
  });

  it('fails the trial in one line naming the directory, removes the spill file and stops the server it started', async () => {
    const state = join(work.dir, 'state');
    // The target is a native cluster this very command starts, so "stop what it started" is visible.
    const r = await bench(['run', '-s', 'csv-buffer', '-p', '1', '--spill-dir', spill, '--source-url', dbs.source, '--state-dir', state], { stateDir: state });
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/triggerUncaughtException|node:internal|\n\s+at /);
    expect(r.exitCode).toBe(1);
    const errors = errorLines(r.stderr).filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^error: csv-buffer/p1#1 failed in copy: public\\.notes: no space left on the spill disk \\(${spill.replace(/[/.]/g, '\\$&')}\\): free space there, or pass --spill-dir on a disk that holds the largest table as CSV$`)),
    ]);
    expect(await listTree(spill)).toEqual([]);
    // The cluster was initialised by this command, so it is not only stopped but removed.
    expect(await serversUnder(state)).toEqual([]);
    expect(existsSync(join(state, 'native', 'target', 'data'))).toBe(false);
  });

  it('a sweep records the failed trial and goes on to the next one', async () => {
    const out = join(work.dir, 'sweep');
    const r = await bench(
      ['sweep', '--strategies', 'csv-buffer,direct-stream', '--parallelism', '1', '--partitions', '1', '--repeat', '1', '--no-peers',
        '--spill-dir', spill, '--out', out, '--source-url', dbs.source, '--target-url', dbs.target],
      { stateDir: join(work.dir, 'state') },
    );
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/triggerUncaughtException|node:internal/);
    expect(r.exitCode).toBe(1);
    const trials = readTrialLog(join(out, 'trials.jsonl')).trials;
    const byStrategy = (s: string) => trials.find((t) => t.spec.kind === 'strategy' && t.spec.strategy === s && !t.spec.warmup) as TrialResult;
    expect(byStrategy('csv-buffer')).toMatchObject({ state: 'failed', phase: 'copy', error: expect.stringMatching(/no space left on the spill disk/) });
    expect(byStrategy('direct-stream').state).toBe('ok');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/no space left on the spill disk/);
    expect(await listTree(spill)).toEqual([]);
  });
});
