import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database, TableFingerprint } from '../../harness/engines/engine.js';
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
  close(): Promise<void>;
}

export async function connectPair(sourceUrl: string, targetUrl: string, poolSize = 6): Promise<Pair> {
  const source = await postgresEngine.connect(sourceUrl, { role: 'source', poolSize, applicationName: 'bench-test-source' });
  const target = await postgresEngine.connect(targetUrl, { role: 'target', poolSize, applicationName: 'bench-test-target' });
  return {
    source,
    target,
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
        id: `${options.strategy}/p${parallelism}#1`,
        point: `${options.strategy}/p${parallelism}`,
        strategy: options.strategy,
        parallelism,
        constraints: options.constraints ?? 'after',
        params: { ...defaultStrategyParams, batchSize: strategies[options.strategy].defaultBatchSize ?? 5000, ...options.params },
        repetition: 1,
      },
      {
        source: pair.source,
        target: pair.target,
        tables: catalog.tables,
        tasks: tableTasks(catalog.tables),
        workRoot,
        signal: options.signal ?? new AbortController().signal,
        sourceFingerprints: new Map<string, TableFingerprint>(),
      },
    );
  } finally {
    rmSync(workRoot, { recursive: true, force: true });
  }
}
