import { strategyNames } from '../../strategies/index.js';
import type { StrategyName } from '../model/contender.js';
import type { TrialResult } from '../model/trial.js';
import type { LeverOrder } from '../results/results-file.js';
import { compareTimes, type TimeComparison } from './claims.js';
import { diagnoseScaling } from './diagnose.js';
import { summarizePoints, type PointSummary } from './points.js';

/** The peer that measures the target's own load from a local file: nothing can be faster (peers/server-copy.ts). */
export const LIMIT_PEER = 'server-copy';

/** The seeds' ordering, csv-buffer < direct-stream < pipeline < native-bulk, on each strategy's best point. */
export const SEEDS_ORDERING: readonly StrategyName[] = ['csv-buffer', 'direct-stream', 'pipeline', 'native-bulk'];

export interface SweepAnalysis {
  /** Every point, strategies and peers alike. */
  readonly points: readonly PointSummary[];
  /** Fastest of bench's points by median rows/s among points whose every trial passed. */
  readonly best?: PointSummary;
  /** Whether the best point is faster than the runner-up beyond the noise. */
  readonly bestClaim?: { readonly runnerUp?: PointSummary; readonly comparison?: TimeComparison; readonly established: boolean };
  /** The fastest csv-buffer point: the seeds' baseline for speed-ups. */
  readonly baseline?: PointSummary;
  /** Best median rows/s per strategy and parallelism (over partitions and batch sizes). */
  readonly matrix: ReadonlyMap<StrategyName, ReadonlyMap<number, PointSummary>>;
  readonly parallelismLevels: readonly number[];
  readonly ordering?: OrderingClaim;
  /** bench's best against each peer point: who is faster, and whether the noise could explain it. */
  readonly versusPeers: readonly { readonly peer: PointSummary; readonly comparison?: TimeComparison }[];
  /** Contenders measured faster than the physical limit beyond the noise: a measurement fault, never a win. */
  readonly limitFaults: readonly { readonly point: PointSummary; readonly comparison: TimeComparison }[];
  readonly trials: { readonly ok: number; readonly failed: number; readonly skipped: number; readonly warmups: number };
  /** Per strategy: which resource saturated when throughput fell as parallelism rose (none when it did not fall). */
  readonly scaling: ReadonlyMap<StrategyName, string>;
  /**
   * What each set of server settings bought (--server-settings): every point under a set other than the
   * first, against the same contender and point under the first set (usually `profile`).
   */
  readonly settingsEffects: readonly SettingsEffect[];
  /**
   * What each loading option bought (`--constraints after,overlap`, `--freeze off,on` in a sweep): every
   * point under another value, against the same point under the first value listed.
   */
  readonly loadingEffects: readonly SettingsEffect[];
}

/** A lever a sweep varies besides the grid: a segment "/lever:value" of the point's name. */
export type Lever = 'settings' | 'constraints' | 'freeze';

export interface SettingsEffect {
  readonly lever: Lever;
  /** The lever's value at `point` and at `reference` ("wal-minimal" and "profile", "overlap" and "after"). */
  readonly value: string;
  readonly referenceValue: string;
  /** The point without the lever's label, e.g. "native-bulk/p4". */
  readonly base: string;
  readonly reference: PointSummary;
  readonly point: PointSummary;
  /** reference against point: ratio above 1 means the settings made it faster. */
  readonly comparison?: TimeComparison;
}

/**
 * The seeds' ordering, judged only on differences the statistics support: it held when every step of it
 * is significant in the expected direction, did not hold when some step is significantly reversed, and is
 * otherwise not established (the steps are within the noise).
 */
export interface OrderingClaim {
  readonly expected: readonly StrategyName[];
  readonly observed: readonly StrategyName[];
  readonly verdict: 'held' | 'did not hold' | 'not established';
  /** Per adjacent pair of the expected order, the comparison of their best points (ratio: slower's time ÷ faster's). */
  readonly steps: readonly { readonly slower: StrategyName; readonly faster: StrategyName; readonly comparison?: TimeComparison }[];
}

const rate = (p: PointSummary) => p.stats?.rowsPerSecond.median ?? 0;

/** Lever values that leave the copy as it is by default: the natural reference when no order was recorded. */
const UNCHANGED = new Set(['profile', 'after', 'off']);

/** `leverOrder`: the sweep record's levers (results.sweep.levers), so each lever is compared with its first value. */
export function analyzeTrials(trials: readonly TrialResult[], leverOrder: LeverOrder = {}): SweepAnalysis {
  const points = summarizePoints(trials);
  const eligible = points.filter((p) => p.stats && p.failed === 0);
  const mine = eligible.filter((p) => p.kind === 'strategy');
  const ranked = [...mine].sort((a, b) => rate(b) - rate(a));
  const best = ranked[0];
  const runnerUp = ranked[1];
  const baseline = mine.filter((p) => p.contender === 'csv-buffer').sort((a, b) => rate(b) - rate(a))[0];

  const matrix = new Map<StrategyName, Map<number, PointSummary>>();
  for (const p of mine) {
    const s = p.contender as StrategyName;
    const row = matrix.get(s) ?? new Map<number, PointSummary>();
    const current = row.get(p.parallelism);
    if (!current || rate(p) > rate(current)) row.set(p.parallelism, p);
    matrix.set(s, row);
  }
  const sortedMatrix = new Map([...matrix].sort((a, b) => strategyNames.indexOf(a[0]) - strategyNames.indexOf(b[0])));
  const peerPoints = points.filter((p) => p.kind === 'peer');
  const limit = eligible.filter((p) => p.contender === LIMIT_PEER).sort((a, b) => rate(b) - rate(a))[0];
  const measured = trials.filter((t) => t.spec.warmup !== true);

  return {
    points,
    ...(best ? { best, bestClaim: bestClaimOf(best, runnerUp) } : {}),
    ...(baseline ? { baseline } : {}),
    matrix: sortedMatrix,
    parallelismLevels: [...new Set(mine.map((p) => p.parallelism))].sort((a, b) => a - b),
    ...orderingOf(sortedMatrix),
    versusPeers: best ? peerPoints.map((peer) => ({ peer, ...optionalComparison(best, peer) })) : [],
    limitFaults: limit
      ? eligible.flatMap((p) => {
          if (p === limit) return [];
          const comparison = compareTimes(limit, p);
          return comparison?.significant && comparison.ratio < 1 ? [{ point: p, comparison }] : [];
        })
      : [],
    trials: {
      ok: measured.filter((t) => t.state === 'ok').length,
      failed: measured.filter((t) => t.state === 'failed').length,
      skipped: measured.filter((t) => t.state === 'skipped').length,
      warmups: trials.length - measured.length,
    },
    scaling: scalingOf(sortedMatrix),
    settingsEffects: leverEffectsOf(points, 'settings', leverOrder.settings),
    loadingEffects: [...leverEffectsOf(points, 'constraints', leverOrder.constraints), ...leverEffectsOf(points, 'freeze', leverOrder.freeze)],
  };
}

/**
 * Each point under a lever's other values against the same point (same contender, same other levers)
 * under its first value, with the same Welch test as every claim.
 */
function leverEffectsOf(points: readonly PointSummary[], lever: Lever, order: readonly string[] = []): SettingsEffect[] {
  // The settings label is last and may hold a '/' (a path in a value); the loading labels never do.
  const segment = lever === 'settings' ? /\/settings:(.*)$/ : new RegExp(`/${lever}:([^/]*)`);
  const valueOf = (p: PointSummary) => segment.exec(p.point)?.[1];
  const seen = new Set(points.flatMap((p) => valueOf(p) ?? []));
  // The reference is the first value the user listed; a file without that record falls back on the
  // values that change nothing (profile, after, off), then on the points' order.
  const values = [...new Set([...order.filter((v) => seen.has(v)), ...[...seen].sort((a, b) => Number(UNCHANGED.has(b)) - Number(UNCHANGED.has(a)))])];
  if (values.length < 2) return [];
  const baseOf = (p: PointSummary) => p.point.replace(segment, '');
  const reference = new Map(points.filter((p) => valueOf(p) === values[0]).map((p) => [baseOf(p), p]));
  return points.flatMap((p) => {
    const value = valueOf(p);
    const ref = reference.get(baseOf(p));
    if (value === undefined || !ref || value === values[0] || !p.stats || !ref.stats) return [];
    const comparison = compareTimes(p, ref);
    return [{ lever, value, referenceValue: values[0]!, base: baseOf(p), reference: ref, point: p, ...(comparison ? { comparison } : {}) }];
  });
}

function bestClaimOf(best: PointSummary, runnerUp: PointSummary | undefined): SweepAnalysis['bestClaim'] {
  if (!runnerUp) return { established: true };
  const comparison = compareTimes(best, runnerUp);
  return { runnerUp, ...(comparison ? { comparison } : {}), established: comparison?.significant === true && comparison.ratio > 1 };
}

function optionalComparison(a: PointSummary, b: PointSummary): { comparison?: TimeComparison } {
  const comparison = compareTimes(a, b);
  return comparison ? { comparison } : {};
}

function orderingOf(matrix: ReadonlyMap<StrategyName, ReadonlyMap<number, PointSummary>>): { ordering?: OrderingClaim } {
  const bestOf = (s: StrategyName) => [...(matrix.get(s)?.values() ?? [])].sort((a, b) => rate(b) - rate(a))[0];
  const present = SEEDS_ORDERING.filter((s) => matrix.has(s));
  if (present.length < 2) return {};
  const observed = [...present].sort((a, b) => rate(bestOf(a)!) - rate(bestOf(b)!));
  const steps = present.slice(1).map((faster, i) => {
    const slower = present[i]!;
    return { slower, faster, ...optionalComparison(bestOf(faster)!, bestOf(slower)!) };
  });
  // ratio > 1: the slower strategy's best takes longer than the faster one's, as expected.
  const held = steps.every((s) => s.comparison?.significant && s.comparison.ratio > 1);
  const reversed = steps.some((s) => s.comparison?.significant && s.comparison.ratio < 1);
  return { ordering: { expected: present, observed, verdict: held ? 'held' : reversed ? 'did not hold' : 'not established', steps } };
}

function scalingOf(matrix: ReadonlyMap<StrategyName, ReadonlyMap<number, PointSummary>>): Map<StrategyName, string> {
  const scaling = new Map<StrategyName, string>();
  for (const [strategy, row] of matrix) {
    const line = diagnoseScaling(
      [...row.values()].flatMap((p) => (p.resources && p.stats ? [{ parallelism: p.parallelism, rowsPerSecond: p.stats.rowsPerSecond.median, summary: p.resources.summary }] : [])),
    );
    if (line) scaling.set(strategy, line);
  }
  return scaling;
}
