import type { EnvironmentInfo } from '../../harness/setup/environment.js';
import type { Phase, PeerTrialSpec, StrategyTrialSpec, TrialMetrics, TrialResult } from '../../harness/model/trial.js';
import type { PeerName } from '../../harness/model/contender.js';
import { pointKey } from '../../harness/plan/expand-sweep.js';
import type { ResultsFile, SweepRecord } from '../../harness/results/results-file.js';
import type { StrategyName } from '../../harness/model/contender.js';
import { defaultStrategyParams } from '../../harness/model/contender.js';

/** Hand-built results for report and analysis tests: only the fields that matter are parameters. */

export interface PointOf {
  strategy: StrategyName;
  parallelism?: number;
  partitions?: number;
  batchSize?: number;
}

export function specOf(p: PointOf, repetition = 1): StrategyTrialSpec {
  const parallelism = p.parallelism ?? 1;
  const partitions = p.partitions ?? 1;
  const point = pointKey({ strategy: p.strategy, parallelism, partitions, ...(p.batchSize !== undefined ? { batchSize: p.batchSize } : {}) });
  return {
    kind: 'strategy',
    id: `${point}#${repetition}`,
    point,
    strategy: p.strategy,
    parallelism,
    partitions,
    workers: 0,
    constraints: 'after',
    params: { ...defaultStrategyParams, batchSize: p.batchSize ?? 5000 },
    repetition,
  };
}

/** Metrics of a trial that copied `rows` rows in `seconds` (copy + constraints, all of it copy). */
export function metricsOf(rows: number, seconds: number, over: Partial<TrialMetrics> = {}): TrialMetrics {
  return {
    seconds: { schema: 0.01, copy: seconds, constraints: 0, validate: 0.02, total: seconds },
    rows,
    bytes: rows * 100,
    wireBytes: rows * 80,
    rowsPerSecond: rows / seconds,
    copyRowsPerSecond: rows / seconds,
    mbPerSecond: (rows * 100) / 1e6 / seconds,
    tables: [{ table: 'public.t', rows, bytes: rows * 100, seconds, rowsPerSecond: rows / seconds, mbPerSecond: (rows * 100) / 1e6 / seconds, tasks: 1 }],
    process: { wallSeconds: seconds, cpuUserSeconds: seconds / 2, cpuSystemSeconds: 0.1, cpuCores: 0.5, peakRssBytes: 100 * 1024 * 1024 },
    counters: {},
    notes: [],
    ...over,
  };
}

export function okTrial(p: PointOf, seconds: number, repetition = 1, rows = 10_000, over: Partial<TrialMetrics> = {}): TrialResult {
  return {
    spec: specOf(p, repetition),
    startedAt: '2025-01-01T00:00:00.000Z',
    state: 'ok',
    metrics: metricsOf(rows, seconds, over),
    validation: [{ table: 'public.t', sourceRows: rows, targetRows: rows, sourceChecksum: '42', targetChecksum: '42', match: true }],
  };
}

export function failedTrial(p: PointOf, error: string, repetition = 1, phase: Phase = 'copy', metrics?: TrialMetrics): TrialResult {
  return { spec: specOf(p, repetition), startedAt: '2025-01-01T00:00:00.000Z', state: 'failed', phase, error, ...(metrics ? { metrics } : {}) };
}

export function skippedTrial(p: PointOf, reason: string, repetition = 1): TrialResult {
  return { spec: specOf(p, repetition), startedAt: '2025-01-01T00:00:00.000Z', state: 'skipped', reason };
}

export const environment: EnvironmentInfo = {
  capturedAt: '2025-01-01T00:00:00.000Z',
  bench: { version: '0.1.0', node: 'v20.0.0' },
  host: { hostname: 'testhost', os: 'Linux 6', arch: 'x64', cpuModel: 'Test CPU', logicalCpus: 8, memoryBytes: 16 * 1024 ** 3 },
  servers: {
    source: { engine: 'postgres', version: 'PostgreSQL 15.18', settings: { fsync: 'off' }, provider: 'external', url: 'postgres://u@127.0.0.1:1/s', details: {} },
    target: { engine: 'postgres', version: 'PostgreSQL 15.18', settings: { fsync: 'off' }, provider: 'external', url: 'postgres://u@127.0.0.1:2/t', details: {} },
  },
};

export function resultsFileOf(trials: readonly TrialResult[], sweep?: Partial<SweepRecord>): ResultsFile {
  return {
    format: 'bench-results',
    version: 2,
    command: 'sweep',
    createdAt: '2025-01-01T00:00:00.000Z',
    environment,
    dataset: { source: 'postgres://u@127.0.0.1:1/s', tables: [{ table: 'public.t', rows: 10_000, bytes: 1_000_000 }] },
    config: {},
    trials,
    sweep: {
      strategies: [...new Set(trials.flatMap((t) => (t.spec.kind === 'strategy' ? [t.spec.strategy] : [])))],
      parallelism: [...new Set(trials.map((t) => t.spec.parallelism))],
      partitions: [1],
      batchSizes: [null],
      repeat: Math.max(1, ...trials.map((t) => t.spec.repetition)),
      constraints: 'after',
      trialsPlanned: trials.length,
      complete: true,
      seconds: 12.5,
      ...sweep,
    },
  };
}

/** A peer tool's trial spec, e.g. psql-pipe at parallelism 2. */
export function peerSpecOf(peer: PeerName, parallelism = 2, repetition = 1): PeerTrialSpec {
  return { kind: 'peer', peer, parallelism, repetition, id: `${peer}/p${parallelism}#${repetition}`, point: `${peer}/p${parallelism}` };
}

/** Valid trials of one point taking these seconds each (rows fixed at 10,000). */
export function trialsTaking(p: PointOf | PeerName, seconds: readonly number[]): TrialResult[] {
  return seconds.map((s, i) => ({
    spec: typeof p === 'string' ? peerSpecOf(p, 2, i + 1) : specOf(p, i + 1),
    startedAt: '2025-01-01T00:00:00.000Z',
    state: 'ok',
    metrics: metricsOf(10_000, s),
    validation: [],
  }));
}
