import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../harness/results/results-file.js';
import { readTrialLog } from '../../harness/results/trial-log.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { bench, scratch, sql } from './support.js';

/**
 * Defect 8 of issue 16: after a target outage every remaining trial failed in seconds, and once the
 * target was back, --resume counted those failures as finished and never ran them again. The outage is
 * an event trigger on the target that refuses CREATE TABLE while a flag is set (its table named in full:
 * bench creates tables with the empty search_path of pg_dump's restore script).
 */
describe('--resume after failed trials', () => {
  let dbs: TestDatabases;
  const work = scratch('resume');
  const out = join(work.dir, 'sweep');
  const args = () => ['sweep', '--no-peers', '--strategies', 'native-bulk,direct-stream', '--parallelism', '1', '--partitions', '1', '--repeat', '1', '--warmup', '0',
    '--out', out, '--source-url', dbs.source, '--target-url', dbs.target];

  beforeAll(async () => {
    dbs = await freshDatabases('faults_resume');
    await sql(dbs.source, `CREATE TABLE items (id int PRIMARY KEY, name text)`);
    await sql(dbs.source, `INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g`);
    await sql(dbs.target, `CREATE TABLE outage (down boolean NOT NULL); INSERT INTO outage VALUES (false);
      CREATE FUNCTION refuse() RETURNS event_trigger LANGUAGE plpgsql AS $$
        BEGIN IF (SELECT down FROM public.outage) THEN RAISE EXCEPTION 'target unavailable (simulated outage)'; END IF; END $$;
      CREATE EVENT TRIGGER refuse ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION refuse();`);
  });

  afterAll(async () => {
    await sql(dbs.target, 'DROP EVENT TRIGGER IF EXISTS refuse').catch(() => undefined);
    await dbs?.drop();
    work.remove();
  });

  it('retries the failed trials, says so, and reports each trial once', async () => {
    await sql(dbs.target, 'UPDATE outage SET down = true');
    const first = await bench(args(), { stateDir: join(work.dir, 'state') });
    expect(first.exitCode, first.stderr).toBe(1);
    expect(readTrialLog(join(out, 'trials.jsonl')).trials.map((t) => t.state)).toEqual(['failed', 'failed']);

    await sql(dbs.target, 'UPDATE outage SET down = false');
    const again = await bench([...args(), '--resume'], { stateDir: join(work.dir, 'state') });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resuming: 0 already done, 2 failed trials run again/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    expect(results.trials.map((t) => [t.spec.id, t.state]).sort()).toEqual([
      ['direct-stream/p1#1', 'ok'],
      ['native-bulk/p1#1', 'ok'],
    ]);

    // A third --resume has nothing left to run.
    const third = await bench([...args(), '--resume'], { stateDir: join(work.dir, 'state') });
    expect(third.exitCode, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/resuming: 2 already done/);
    expect(third.stderr).not.toMatch(/run again/);
  });
});
