import type { StrategyName } from '../model/contender.js';
import type { TrialResult, TrialSpec } from '../model/trial.js';
import { logRatioTest, pointStatistics, type PointStatistics } from './statistics.js';
import { ALPHA } from './regression.js';
import { expandSweep } from '../plan/expand-sweep.js';
import { type SweepGrid } from '../config/options.js';

/** Runs (or replays, on --resume) one trial. */
export type TrialExecutor = (spec: TrialSpec) => Promise<TrialResult>;

export interface AdaptiveStep {
  readonly strategy: StrategyName;
  readonly parallelism: number;
  readonly partitions: number;
  readonly rowsPerSecond?: number;
  readonly rme?: number | null;
  /** Why the search went where it went next. */
  readonly decision: string;
}

export interface AdaptiveOutcome {
  readonly trials: number;
  readonly steps: readonly AdaptiveStep[];
  /** The trials the full grid would have run, for the report's comparison. */
  readonly gridTrials: number;
}

/** Gains smaller than this are never worth another step, whatever the noise says. */
const MIN_GAIN = 0.03;

/**
 * Hill climbing over parallelism (then partitions), per strategy, from the platform profile's starting
 * point: measure the start, then its neighbours on a doubling ladder (p/2, 2p); move while a neighbour is
 * faster by at least 3% and beyond the noise (Welch's test on log times, as every claim in a report);
 * stop when neither is. Throughput against parallelism is unimodal on the machines the seeds measured
 * (it rises until a resource saturates, then falls), which is what makes a local search enough.
 * Then, at the best parallelism, the same test picks among the grid's partition counts.
 */
export async function adaptiveSearch(grid: SweepGrid, start: number, execute: TrialExecutor): Promise<AdaptiveOutcome> {
  const ladder = [...new Set([...grid.parallelism, start])].sort((a, b) => a - b);
  const max = Math.max(...ladder);
  const steps: AdaptiveStep[] = [];
  let trials = 0;

  const measure = async (strategy: StrategyName, parallelism: number, partitions: number): Promise<Measured | undefined> => {
    const specs = expandSweep({ ...grid, peers: [], strategies: [strategy], parallelism: [parallelism], partitions: [partitions], batchSizes: [grid.batchSizes[0]] });
    const results: TrialResult[] = [];
    for (const spec of specs) {
      const r = await execute(spec);
      trials += 1;
      if (!spec.warmup) results.push(r);
    }
    const ok = results.filter((r): r is Extract<TrialResult, { state: 'ok' }> => r.state === 'ok');
    if (ok.length !== results.length || ok.length === 0) return undefined; // a failed point never wins
    const times = ok.map((r) => r.metrics.seconds.total);
    return { times, stats: pointStatistics(times, ok[0]!.metrics.rows)! };
  };
  // a beats b when it is faster by at least 3% and the same test the reports use says the noise cannot
  // explain it (with one trial a side, the 3% alone decides, and the step records that).
  const better = (a: Measured | undefined, b: Measured | undefined): boolean => {
    if (!a) return false;
    if (!b) return true;
    const gain = a.stats.rowsPerSecond.median / b.stats.rowsPerSecond.median - 1;
    const test = logRatioTest(b.times, a.times);
    return gain > MIN_GAIN && (!test || test.pFaster < ALPHA);
  };

  for (const strategy of grid.strategies) {
    const cache = new Map<string, Measured | undefined>();
    const at = async (p: number, parts: number) => {
      const key = `${p}/${parts}`;
      if (!cache.has(key)) cache.set(key, await measure(strategy, p, parts));
      return cache.get(key);
    };
    const parts0 = grid.partitions[0] ?? 1;
    let p = Math.min(Math.max(1, start), max);
    let here = await at(p, parts0);
    steps.push({ strategy, parallelism: p, partitions: parts0, ...rateOf(here), decision: 'start (platform profile)' });
    for (;;) {
      const up = p * 2 <= max ? p * 2 : undefined;
      const down = p > 1 ? Math.max(1, Math.floor(p / 2)) : undefined;
      const upStats = up !== undefined ? await at(up, parts0) : undefined;
      if (up !== undefined && better(upStats, here)) {
        steps.push({ strategy, parallelism: up, partitions: parts0, ...rateOf(upStats), decision: `p${up} beats p${p} beyond the noise: climb` });
        p = up;
        here = upStats;
        continue;
      }
      const downStats = down !== undefined ? await at(down, parts0) : undefined;
      if (down !== undefined && better(downStats, here)) {
        steps.push({ strategy, parallelism: down, partitions: parts0, ...rateOf(downStats), decision: `p${down} beats p${p} beyond the noise: descend` });
        p = down;
        here = downStats;
        continue;
      }
      steps.push({ strategy, parallelism: p, partitions: parts0, ...rateOf(here), decision: 'no neighbour is faster beyond the noise: stop' });
      break;
    }
    let bestParts = parts0;
    for (const parts of grid.partitions.slice(1)) {
      const s = await at(p, parts);
      if (better(s, here)) {
        steps.push({ strategy, parallelism: p, partitions: parts, ...rateOf(s), decision: `${parts} partitions beat ${bestParts} at p${p}` });
        bestParts = parts;
        here = s;
      }
    }
  }
  return { trials, steps, gridTrials: expandSweep({ ...grid, peers: [] }).length };
}

interface Measured {
  readonly times: readonly number[];
  readonly stats: PointStatistics;
}

function rateOf(m: Measured | undefined): { rowsPerSecond?: number; rme?: number | null } {
  return m ? { rowsPerSecond: m.stats.rowsPerSecond.median, rme: m.stats.rme } : {};
}
