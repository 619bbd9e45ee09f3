import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../harness/model/database.js';
import { runContextOf, type RunContext } from '../../harness/setup/run-context.js';
import type { Table } from '../../harness/model/catalog.js';
import type { CopyTask } from '../../harness/model/task.js';
import { postgresEngine } from '../../harness/engines/postgres.js';
import type { ConstraintMode, TrialResult } from '../../harness/model/trial.js';
import { runTrial } from '../../harness/trial/run-trial.js';
import { tableTasks } from '../../harness/plan/tasks.js';
import type { StrategyName, StrategyParams } from '../../harness/model/contender.js';
import { defaultStrategyParams } from '../../harness/model/contender.js';
import { strategies } from '../../strategies/index.js';

export interface Pair {
  source: Database;
  target: Database;
  /** Absent for pairs that are not reached by URL alone (the TDS test server's): no worker threads or external tools then. */
  urls?: { source: string; target: string };
  close(): Promise<void>;
}

export async function connectPair(sourceUrl: string, targetUrl: string, poolSize = 6): Promise<Pair> {
  const source = await postgresEngine.connect(sourceUrl, { role: 'source', poolSize, applicationName: 'bench-test-source', sessionTag: 'bench-test' });
  const target = await postgresEngine.connect(targetUrl, { role: 'target', poolSize, applicationName: 'bench-test-target', sessionTag: 'bench-test' });
  return {
    source,
    target,
    urls: { source: sourceUrl, target: targetUrl },
    async close() {
      await Promise.all([source.close(), target.close()]);
    },
  };
}

/** One trial through the real runner, as `bench run` does it. */
export async function trial(
  pair: Pair,
  options: {
    strategy: StrategyName;
    parallelism?: number;
    constraints?: ConstraintMode;
    params?: Partial<StrategyParams>;
    tables?: string[];
    signal?: AbortSignal;
  },
): Promise<TrialResult> {
  const catalog = await pair.source.introspect(options.tables);
  const workRoot = mkdtempSync(join(tmpdir(), 'bench-trial-'));
  const parallelism = options.parallelism ?? 2;
  try {
    return await runTrial(
      {
        kind: 'strategy',
        id: `${options.strategy}/p${parallelism}#1`,
        point: `${options.strategy}/p${parallelism}`,
        strategy: options.strategy,
        parallelism,
        partitions: 1,
        workers: 0,
        constraints: options.constraints ?? 'after',
        params: { ...defaultStrategyParams, batchSize: strategies[options.strategy].defaultBatchSize ?? 5000, ...options.params },
        repetition: 1,
      },
      runContextFor(pair, catalog.tables, workRoot, undefined, options.signal, options.tables),
    );
  } finally {
    rmSync(workRoot, { recursive: true, force: true });
  }
}

/**
 * A run context for trials between the pair's databases, with these tables (split with `split` when
 * given), chosen by the `--tables` patterns `selection` when there were some.
 */
export function runContextFor(
  pair: Pair,
  tables: readonly Table[],
  workRoot: string,
  split?: (partitions: number) => Promise<CopyTask[]>,
  signal?: AbortSignal,
  selection?: readonly string[],
): RunContext {
  return runContextOf(
    {
      source: pair.source,
      target: pair.target,
      tables,
      ...(selection ? { selection } : {}),
      workRoot,
      signal: signal ?? new AbortController().signal,
      workerSetup: { source: { engine: pair.source.engine, url: pair.urls?.source ?? '' }, target: { engine: pair.target.engine, url: pair.urls?.target ?? '' } },
      sessionTag: 'bench-test',
      urls: pair.urls ?? { source: '', target: '' },
      metricsProbes: [],
    },
    split ?? (async () => tableTasks(tables)),
  );
}
