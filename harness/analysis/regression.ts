import type { TrialResult } from '../model/trial.js';
import { holmAdjust, logRatioTest, pointStatistics, type PointStatistics, type RatioTest } from './statistics.js';
import { groupByPoint, measuredTrials, validSeconds } from './trials.js';

export type Verdict = 'regressed' | 'slower (within noise)' | 'unchanged' | 'faster' | 'missing' | 'new' | 'failed' | 'cannot judge';

export interface PointComparison {
  readonly point: string;
  readonly base?: PointStatistics;
  readonly current?: PointStatistics;
  /** Relative change of throughput, current against base (from the ratio of geometric-mean times): -0.2 = 20% slower. */
  readonly change?: number;
  /** The test behind the verdict, when both sides have at least two trials. */
  readonly test?: RatioTest;
  /** The p-value the verdict used: the one-sided p in the direction of the change, Holm-adjusted over the points. */
  readonly p?: number;
  readonly verdict: Verdict;
  /** The numbers behind the verdict, in words. */
  readonly reason: string;
}

export interface CheckOptions {
  /** Slowdowns up to this share are never regressions (default 0.10). */
  readonly threshold: number;
  /** Family-wise significance level over all points (default 0.05). */
  readonly alpha?: number;
}

export { DEFAULT_THRESHOLD } from '../config/defaults.js';
export const ALPHA = 0.05;

/**
 * The regression rule, per sweep point, on the measured (non-warm-up) trials' copy + constraint seconds:
 *
 *   regressed  ⇔  throughput fell by more than the threshold (ratio of geometric-mean trial times)
 *               AND a one-sided Welch t-test on log trial times says current is slower, with its p-value
 *                   Holm-adjusted over every compared point ≤ α (0.05).
 *
 * Why: see logRatioTest (statistics.ts). A Welch test on log times reaches any p with 3 trials a side,
 * so the gate can fire at the default repeat count (the exact Mann–Whitney p it replaces could not go
 * below 0.05 at 3 against 3). Holm keeps the chance of a false alarm anywhere in the sweep at α, however
 * many points it has; the threshold keeps real but small slowdowns from failing CI. A point with fewer
 * than two valid trials on a side cannot be judged, and says so: `cannot judge` makes `bench check`
 * exit 2 rather than pass silently.
 */
export function comparePoints(base: readonly TrialResult[], current: readonly TrialResult[], options: CheckOptions): PointComparison[] {
  const alpha = options.alpha ?? ALPHA;
  const b = groupByPoint(measuredTrials(base));
  const c = groupByPoint(measuredTrials(current));
  const rows: PointComparison[] = [];
  const tested: { index: number; p: number }[] = [];
  for (const point of [...new Set([...b.keys(), ...c.keys()])]) {
    const bTrials = b.get(point) ?? [];
    const cTrials = c.get(point) ?? [];
    const bs = statsOf(bTrials);
    const cs = statsOf(cTrials);
    const stats = { ...(bs ? { base: bs } : {}), ...(cs ? { current: cs } : {}) };
    if (!c.has(point)) {
      rows.push({ point, ...stats, verdict: 'missing', reason: 'in the baseline but not in the current results' });
    } else if (cTrials.some((t) => t.state === 'failed')) {
      rows.push({ point, ...stats, verdict: 'failed', reason: 'a current trial failed or did not validate' });
    } else if (!bs || !cs) {
      rows.push({ point, ...stats, verdict: 'new', reason: bs ? 'no valid current trial' : 'not in the baseline' });
    } else {
      const test = logRatioTest(validSeconds(bTrials), validSeconds(cTrials));
      const change = 1 / (test?.ratio ?? cs.seconds.median / bs.seconds.median) - 1;
      if (!test) {
        rows.push({ point, ...stats, change, verdict: 'cannot judge', reason: `${bs.samples} and ${cs.samples} valid trials: at least 2 a side are needed to tell a change from noise (sweep with --repeat 3 or more)` });
      } else {
        tested.push({ index: rows.length, p: change < 0 ? test.pSlower : test.pFaster });
        rows.push({ point, ...stats, change, test, verdict: 'unchanged', reason: '' });
      }
    }
  }
  const adjusted = holmAdjust(tested.map((x) => x.p));
  tested.forEach(({ index }, k) => {
    const row = rows[index]!;
    rows[index] = { ...row, p: adjusted[k]!, ...judge(row.change!, row.test!, adjusted[k]!, row.base!, row.current!, options.threshold, alpha, tested.length) };
  });
  return rows;
}

/** The verdict of one tested point, with the evidence in words. Exported for the unit tests. */
export function judge(
  change: number,
  test: RatioTest,
  p: number,
  b: PointStatistics,
  c: PointStatistics,
  threshold: number,
  alpha: number,
  points = 1,
): { verdict: Verdict; reason: string } {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  // The interval of the throughput change is the inverse of the time ratio's.
  const interval = `90% CI ${signed(1 / test.ratioHigh - 1)} to ${signed(1 / test.ratioLow - 1)}`;
  const evidence =
    `medians ${b.seconds.median.toFixed(3)} s → ${c.seconds.median.toFixed(3)} s over ${b.samples} and ${c.samples} trials, ${interval}, ` +
    `Welch p = ${formatP(p)}${points > 1 ? ` (Holm over ${points} points)` : ''}` +
    (test.excluded.a + test.excluded.b > 0 ? `; stalled trials left out of the test: ${test.excluded.a} baseline, ${test.excluded.b} current` : '');
  const significant = p <= alpha;
  if (change < -threshold) {
    return significant
      ? { verdict: 'regressed', reason: `${pct(-change)} slower (threshold ${pct(threshold)}); ${evidence}` }
      : { verdict: 'slower (within noise)', reason: `${pct(-change)} slower, but the noise could explain it (p > ${alpha}); ${evidence}` };
  }
  if (change > threshold && significant) return { verdict: 'faster', reason: `${pct(change)} faster; ${evidence}` };
  return { verdict: 'unchanged', reason: `${change < 0 ? `${pct(-change)} slower` : `${pct(change)} faster`}, within the threshold or the noise; ${evidence}` };
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

export function formatP(p: number): string {
  return p < 1e-9 ? '< 1e-9' : p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

function statsOf(trials: readonly TrialResult[]): PointStatistics | undefined {
  const ok = trials.filter((t): t is Extract<TrialResult, { state: 'ok' }> => t.state === 'ok');
  return pointStatistics(ok.map((t) => t.metrics.seconds.total), ok[0]?.metrics.rows ?? 0);
}

export function hasRegression(rows: readonly PointComparison[]): boolean {
  return rows.some((r) => r.verdict === 'regressed' || r.verdict === 'failed' || r.verdict === 'missing');
}

/** Points the design could not judge (fewer than two valid trials on a side): `bench check` exits 2. */
export function undecided(rows: readonly PointComparison[]): PointComparison[] {
  return rows.filter((r) => r.verdict === 'cannot judge');
}
