import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../harness/base/paths.js';
import { defaultStrategyParams } from '../../harness/model/contender.js';
import type { TrialResult, TrialSpec } from '../../harness/model/trial.js';
import { disposePeers, peerNames } from '../../harness/peers/index.js';
import { which } from '../../harness/peers/tools.js';
import type { RunContext } from '../../harness/setup/run-context.js';
import { runTrial } from '../../harness/trial/run-trial.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';
import { connectPair, runContextFor, type Pair } from '../support/trial.js';
import { createLedgers, ledgerState, LEDGERS, startWriter, type Writer } from '../support/writer.js';

/**
 * One snapshot per trial where the strategy contract does not reach: worker threads (through the
 * compiled CLI: `--workers 1`), the peer tools, and the source checksums a sweep keeps between trials.
 * The source is written to throughout; every copy must hold one moment of it (support/writer.ts) and
 * validate against it.
 */
const ROWS = 20_000;
const tools: Record<string, string> = { 'server-copy': 'psql', 'psql-pipe': 'psql', 'pg-dump-restore': 'pg_dump', pgcopydb: 'pgcopydb' };

describe('one snapshot per trial', () => {
  let dbs: TestDatabases;
  let pair: Pair;
  let workRoot: string;

  beforeAll(async () => {
    dbs = await freshDatabases('snapshot');
    await createLedgers(dbs.source, ROWS);
    pair = await connectPair(dbs.source, dbs.target);
    workRoot = mkdtempSync(join(tmpdir(), 'bench-snapshot-'));
  });

  afterAll(async () => {
    await disposePeers();
    await pair?.close();
    await dbs?.drop();
    if (workRoot) rmSync(workRoot, { recursive: true, force: true });
  });

  /** Runs `fn` while the writer writes; the copy must be one moment of a source that moved on. */
  async function whileWritten<T>(fn: () => Promise<T>): Promise<T> {
    const writer: Writer = await startWriter(dbs.source, ROWS);
    let result: T;
    let during: number;
    try {
      const before = writer.committed();
      result = await fn();
      during = writer.committed() - before;
    } finally {
      await writer.stop();
    }
    expect(during).toBeGreaterThan(0);
    const copy = await ledgerState(dbs.target);
    const source = await ledgerState(dbs.source);
    expect(source.written[0]!).toBeGreaterThan(copy.written[0]!);
    expect(copy.consistent, `written rows in the copy: ${copy.written.join(' and ')}`).toBe(true);
    return result;
  }

  const failure = (r: TrialResult) => (r.state === 'failed' ? `${r.phase}: ${r.error}` : r.state === 'skipped' ? r.reason : '');

  it('reaches copy worker threads: bench run --workers 1 copies one moment and validates', async () => {
    const bin = join(packageRoot, 'bin', 'bench.js');
    if (!existsSync(join(packageRoot, 'dist', 'harness', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    const stateDir = mkdtempSync(join(tmpdir(), 'bench-snapshot-state-'));
    try {
      const r = await whileWritten(() =>
        execa('node', [bin, 'run', '-s', 'direct-stream', '-p', '2', '--workers', '1', '--tables', LEDGERS.join(','), '--source-url', dbs.source, '--target-url', dbs.target], {
          reject: false,
          timeout: 110_000,
          env: { BENCH_STATE_DIR: stateDir },
        }),
      );
      expect(r.exitCode, r.stderr).toBe(0);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it.each(peerNames)('reaches the peer %s', async (peer) => {
    const tables = (await pair.source.introspect([...LEDGERS])).tables;
    const run = runContextFor(pair, tables, workRoot, undefined, undefined, [...LEDGERS]);
    const spec: TrialSpec = { kind: 'peer', peer, parallelism: 2, repetition: 1, id: `${peer}/p2#1`, point: `${peer}/p2` };
    if (!(await which(tools[peer]!))) {
      console.log(`*** peer ${peer} not installed here: skipped ***`);
      return;
    }
    const r = await whileWritten(() => runTrial(spec, run));
    expect(r.state, failure(r)).toBe('ok');
  });

  it('checksums the source again for a trial that sees different rows, never handing it a stale checksum', async () => {
    const tables = (await pair.source.introspect([...LEDGERS])).tables;
    const run: RunContext = runContextFor(pair, tables, workRoot, undefined, undefined, [...LEDGERS]);
    const spec = (n: number): TrialSpec => ({
      kind: 'strategy', id: `native-bulk/p2#${n}`, point: 'native-bulk/p2', strategy: 'native-bulk', parallelism: 2, partitions: 1,
      workers: 0, constraints: 'after', params: defaultStrategyParams, repetition: n,
    });
    const first = await runTrial(spec(1), run);
    expect(first.state, failure(first)).toBe('ok');
    const c = await connect(dbs.source);
    await c.query(`INSERT INTO ${LEDGERS[0]} VALUES (-1, 0, 'between trials')`);
    await c.end();
    const second = await runTrial(spec(2), run);
    expect(second.state, failure(second)).toBe('ok');
    if (first.state !== 'ok' || second.state !== 'ok') return;
    expect(second.validation[0]!.sourceRows).toBe(first.validation[0]!.sourceRows + 1);
    // A third trial over an unchanged source reuses the checksums (the same snapshot version).
    const third = await runTrial(spec(3), run);
    expect(third.state, failure(third)).toBe('ok');
    expect(run.sourceFingerprints.latest(second.validation[0]!.table)).toEqual({ rows: second.validation[0]!.sourceRows, checksum: second.validation[0]!.sourceChecksum });
  });
});
