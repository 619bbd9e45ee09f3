import type { TrialResult } from '../model/trial.js';
import { pointStatistics, type PointStatistics } from './statistics.js';

export type Verdict = 'regressed' | 'slower (within noise)' | 'unchanged' | 'faster' | 'missing' | 'new' | 'failed';

export interface PointComparison {
  readonly point: string;
  readonly base?: PointStatistics;
  readonly current?: PointStatistics;
  /** Relative change of median rows/s, current against base: -0.2 = 20% slower. */
  readonly change?: number;
  readonly verdict: Verdict;
  /** The numbers behind the verdict, in words. */
  readonly reason: string;
}

export interface CheckOptions {
  /** Slowdowns up to this share are never regressions (default 0.10). */
  readonly threshold: number;
}

export const DEFAULT_THRESHOLD = 0.1;

/**
 * The regression rule, per sweep point, on the trials' copy + constraint seconds:
 *
 *   regressed  ⇔  the median rows/s fell by more than the threshold
 *               AND a one-sided Mann–Whitney U test (exact distribution) says the current trials are
 *                   slower than the baseline's with p < 0.05.
 *
 * Why this test: trial times on shared machines are skewed and carry outliers (a neighbour's burst),
 * which a rank test shrugs off and a t-test does not; and with a few repeats the exact U distribution is
 * cheap to enumerate. The threshold keeps statistically real but small slowdowns from failing CI. A
 * slowdown over the threshold that the test cannot tell from noise is reported as "slower (within
 * noise)", never as a failure. The smallest p a sample pair can reach is 1 / C(m+n, m): with 3 and 3
 * trials that is 0.05, so at least 3 repeats per side (4 or more to have margin) are needed; with fewer,
 * only the threshold applies and the summary says so.
 */
export async function comparePoints(base: readonly TrialResult[], current: readonly TrialResult[], options: CheckOptions): Promise<PointComparison[]> {
  const group = (trials: readonly TrialResult[]) => {
    const m = new Map<string, TrialResult[]>();
    for (const t of trials) m.set(t.spec.point, [...(m.get(t.spec.point) ?? []), t]);
    return m;
  };
  const b = group(base);
  const c = group(current);
  const out: PointComparison[] = [];
  for (const point of [...new Set([...b.keys(), ...c.keys()])]) {
    const bs = await statsOf(b.get(point) ?? []);
    const cs = await statsOf(c.get(point) ?? []);
    const curFailed = (c.get(point) ?? []).some((t) => t.state === 'failed');
    if (!c.has(point)) {
      out.push({ point, ...(bs ? { base: bs } : {}), verdict: 'missing', reason: 'not in the current results' });
      continue;
    }
    if (curFailed) {
      out.push({ point, ...(bs ? { base: bs } : {}), ...(cs ? { current: cs } : {}), verdict: 'failed', reason: 'a current trial failed or did not validate' });
      continue;
    }
    if (!bs || !cs) {
      out.push({ point, ...(cs ? { current: cs } : {}), verdict: 'new', reason: bs ? 'no valid current trial' : 'not in the baseline' });
      continue;
    }
    out.push({ point, base: bs, current: cs, ...judge(secondsOf(b.get(point) ?? []), secondsOf(c.get(point) ?? []), bs, cs, options) });
  }
  return out;
}

function secondsOf(trials: readonly TrialResult[]): number[] {
  return trials.flatMap((t) => (t.state === 'ok' ? [t.metrics.seconds.total] : []));
}

async function statsOf(trials: readonly TrialResult[]): Promise<PointStatistics | undefined> {
  const ok = trials.filter((t): t is Extract<TrialResult, { state: 'ok' }> => t.state === 'ok');
  return pointStatistics(ok.map((t) => t.metrics.seconds.total), ok[0]?.metrics.rows ?? 0);
}

/**
 * P(U ≥ u) under "same distribution", for U = #{(i, j): current_j > base_i} (+½ per tie): the exact
 * one-sided Mann–Whitney p-value that the current times are stochastically larger (slower).
 */
export function mannWhitneySlowerP(base: readonly number[], current: readonly number[]): number {
  const m = base.length;
  const n = current.length;
  let u = 0;
  for (const b of base) for (const c of current) u += c > b ? 1 : c === b ? 0.5 : 0;
  // ways(a, b).get(k): how many orderings of a base and b current observations give U = k.
  const ways = (mm: number, nn: number): Map<number, number> => {
    const memo = new Map<string, Map<number, number>>();
    const rec = (a: number, b: number): Map<number, number> => {
      const key = `${a},${b}`;
      const hit = memo.get(key);
      if (hit) return hit;
      let out: Map<number, number>;
      if (a === 0 || b === 0) out = new Map([[0, 1]]);
      else {
        out = new Map();
        // The largest observation is a current one (adds a to U) or a base one (adds 0).
        for (const [k, v] of rec(a, b - 1)) out.set(k + a, (out.get(k + a) ?? 0) + v);
        for (const [k, v] of rec(a - 1, b)) out.set(k, (out.get(k) ?? 0) + v);
      }
      memo.set(key, out);
      return out;
    };
    return rec(mm, nn);
  };
  const counts = ways(m, n);
  let total = 0;
  let atLeast = 0;
  for (const [k, v] of counts) {
    total += v;
    if (k >= u - 1e-9) atLeast += v;
  }
  return atLeast / total;
}

/** The significance level of the rule. */
export const ALPHA = 0.05;

/** The rule above. Exported for the unit tests. */
export function judge(
  baseSeconds: readonly number[],
  currentSeconds: readonly number[],
  b: PointStatistics,
  c: PointStatistics,
  options: CheckOptions,
): { change: number; verdict: Verdict; reason: string } {
  const change = c.rowsPerSecond.median / b.rowsPerSecond.median - 1;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const testable = baseSeconds.length >= 2 && currentSeconds.length >= 2;
  const pSlower = testable ? mannWhitneySlowerP(baseSeconds, currentSeconds) : undefined;
  const pFaster = testable ? mannWhitneySlowerP(currentSeconds, baseSeconds) : undefined;
  const noise = testable
    ? `medians ${b.seconds.median.toFixed(3)} s → ${c.seconds.median.toFixed(3)} s over ${baseSeconds.length} and ${currentSeconds.length} trials, Mann–Whitney p = ${(change < 0 ? pSlower! : pFaster!).toFixed(3)}`
    : 'fewer than 2 trials on a side: noise unknown, threshold only';
  if (change < -options.threshold) {
    return !testable || pSlower! < ALPHA
      ? { change, verdict: 'regressed', reason: `${pct(-change)} slower (threshold ${pct(options.threshold)}); ${noise}` }
      : { change, verdict: 'slower (within noise)', reason: `${pct(-change)} slower, but not beyond the noise (p ≥ ${ALPHA}); ${noise}` };
  }
  if (change > options.threshold && (!testable || pFaster! < ALPHA)) return { change, verdict: 'faster', reason: `${pct(change)} faster; ${noise}` };
  return { change, verdict: 'unchanged', reason: `${change < 0 ? pct(-change) + ' slower' : pct(change) + ' faster'}, within the threshold or the noise; ${noise}` };
}

export function hasRegression(rows: readonly PointComparison[]): boolean {
  return rows.some((r) => r.verdict === 'regressed' || r.verdict === 'failed');
}
