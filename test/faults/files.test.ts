import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultStrategyParams } from '../../harness/model/contender.js';
import type { CopyContext } from '../../strategies/strategy.js';
import { serverCopy } from '../../harness/peers/server-copy.js';
import { which } from '../../harness/peers/tools.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { connectPair } from '../support/trial.js';
import { alive, bench, processesWith, scratch, sql, startBench, waitFor } from './support.js';

/**
 * Defects 9 and 10 of issue 16: files holding table data or secrets were readable by other local users
 * (server-copy's exports 0644 in a 0777 directory under /tmp, spill CSVs 0644) and stayed on disk after a
 * kill (the pgcopydb passfile, whole-table CSVs piling up in <state>/spill/bench-<pid>). They are now
 * 0600 in 0700 directories, and the next bench sweeps what a killed one left.
 */
const mode = (path: string) => statSync(path).mode & 0o777;

/** A pid that is certainly not running: a process that has just ended. */
async function deadPid(): Promise<number> {
  const p = execa('true');
  await p;
  return p.pid!;
}

/** The first file under `root` whose path matches `pattern`, searched depth-first. */
function find(root: string, pattern: RegExp): string | undefined {
  if (!existsSync(root)) return undefined;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (pattern.test(path)) return path;
    if (entry.isDirectory()) {
      const inner = find(path, pattern);
      if (inner) return inner;
    }
  }
  return undefined;
}

describe('files holding table data or secrets', () => {
  let dbs: TestDatabases;
  const work = scratch('files');

  beforeAll(async () => {
    dbs = await freshDatabases('faults_files');
    await sql(dbs.source, `CREATE TABLE notes (id int PRIMARY KEY, body text)`);
    await sql(dbs.source, `INSERT INTO notes SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 400000) g`);
    await sql(dbs.source, 'ANALYZE');
  });

  afterAll(async () => {
    await dbs?.drop();
    work.remove();
  });

  it('spill CSVs are 0600 in 0700 directories, and the next bench removes what a killed one left', async () => {
    const spill = join(work.dir, 'spill');
    const state = join(work.dir, 'state');
    const child = startBench(['run', '-s', 'csv-buffer', '-p', '1', '--spill-dir', spill, '--source-url', dbs.source, '--target-url', dbs.target], { stateDir: state });
    const csv = await waitFor(() => find(spill, /\.csv$/), 'a spill file', 30_000);
    const root = join(spill, csv.slice(spill.length + 1).split('/')[0]!);
    const pid = Number(/bench-(\d+)$/.exec(root)![1]);
    process.kill(pid, 'SIGKILL');
    await child;
    expect(alive(pid)).toBe(false);

    expect(mode(csv)).toBe(0o600);
    expect(mode(root)).toBe(0o700);
    expect(mode(join(csv, '..'))).toBe(0o700);

    // Another bench's live directory is left alone; the dead one's is swept.
    const live = join(spill, `bench-${process.pid}`);
    mkdirSync(live);
    const r = await bench(['run', '-s', 'native-bulk', '-p', '1', '--spill-dir', spill, '--source-url', dbs.source, '--target-url', dbs.target], { stateDir: state });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(root)).toBe(false);
    expect(r.stderr).toContain(`removed ${root}`);
    expect(existsSync(live)).toBe(true);
  });

  it('server-copy exports into a 0700 directory the server owns, files 0600, removed after; a killed run\'s directory goes at the next', async () => {
    const pair = await connectPair(dbs.source, dbs.target, 2);
    const stale = mkdtempSync(join(tmpdir(), `bench-server-copy-${await deadPid()}-`));
    const ctx: CopyContext = {
      urls: { source: dbs.source, target: dbs.target },
      params: defaultStrategyParams,
      source: pair.source,
      target: pair.target,
      tables: (await pair.source.introspect()).tables,
      parallelism: 1,
      workDir: join(work.dir, 'peer'),
      signal: new AbortController().signal,
      toolApplicationName: 'bench-test-tool',
    };
    try {
      expect(await serverCopy.available(ctx)).toBe(true);
      await pair.target.dropTables(ctx.tables);
      await pair.target.createTables(ctx.tables, 'postgres');
      await serverCopy.prepare!(ctx);
      const dir = readdirSync(tmpdir()).map((d) => join(tmpdir(), d)).find((d) => d.includes(`bench-server-copy-${process.pid}-`));
      expect(dir).toBeDefined();
      expect(mode(dir!)).toBe(0o700);
      if (process.getuid?.() === 0) expect(statSync(dir!).uid).toBe(Number((await execa('id', ['-u', 'postgres'])).stdout));
      const files = readdirSync(dir!);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(mode(join(dir!, f))).toBe(0o600);
      expect(existsSync(stale)).toBe(false);
      await serverCopy.run(ctx);
      await serverCopy.dispose!();
      expect(existsSync(dir!)).toBe(false);
    } finally {
      await pair.close();
    }
  });

  it.skipIf(process.getuid?.() !== 0)('the pgcopydb passfile is 0600 in 0700 directories, and a kill leaves it only until the next run', async () => {
    if (!(await which('pgcopydb'))) return console.warn('pgcopydb is not installed (Debian: pgcopydb): passfile test skipped');
    const state = join(work.dir, 'state-pgcopydb');
    const out = join(work.dir, 'sweep');
    const child = startBench(
      ['sweep', '--strategies', 'native-bulk', '--parallelism', '1', '--partitions', '1', '--repeat', '1', '--peers', 'pgcopydb', '--out', out, '--source-url', dbs.source, '--target-url', dbs.target],
      { stateDir: state },
    );
    const passfile = await waitFor(() => find(join(state, 'spill'), /\/pgpass$/), 'the pgcopydb passfile', 30_000);
    const root = join(state, 'spill', passfile.slice(join(state, 'spill').length + 1).split('/')[0]!);
    const pid = Number(/bench-(\d+)$/.exec(root)![1]);
    process.kill(pid, 'SIGKILL');
    await child;
    // pgcopydb runs in its own process group, so it outlives a SIGKILLed bench: stop it here.
    for (const line of await processesWith(root)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    expect(mode(passfile)).toBe(0o600);
    expect(mode(join(passfile, '..'))).toBe(0o700);
    expect(mode(root)).toBe(0o700);
    const r = await bench(['run', '-s', 'native-bulk', '-p', '1', '--source-url', dbs.source, '--target-url', dbs.target], { stateDir: state });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(passfile)).toBe(false);
    expect(existsSync(root)).toBe(false);
  });
});
