import type { TrialResult } from './results.js';
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
 *   regressed  ⇔  the median slowed by more than the threshold
 *               AND the 95% confidence intervals of the two means do not overlap
 *                   (mean_cur − mean_base > moe_base + moe_cur, moe from Student's t by tinybench).
 *
 * Non-overlapping 95% intervals are a deliberately conservative test (stricter than a two-sample t-test
 * at 5%): CI on shared machines is noisy and a false alarm costs more than a late one. A slowdown over
 * the threshold that the noise explains is reported as "slower (within noise)", never as a failure.
 * With a single trial on either side the noise is unknown: only the threshold applies, and the summary
 * says so (use --repeat 3 or more).
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
    out.push({ point, base: bs, current: cs, ...judge(bs, cs, options) });
  }
  return out;
}

async function statsOf(trials: readonly TrialResult[]): Promise<PointStatistics | undefined> {
  const ok = trials.filter((t): t is Extract<TrialResult, { state: 'ok' }> => t.state === 'ok');
  return pointStatistics(ok.map((t) => t.metrics.seconds.total), ok[0]?.metrics.rows ?? 0);
}

/** The rule above, on two points' statistics. Exported for the unit tests. */
export function judge(b: PointStatistics, c: PointStatistics, options: CheckOptions): { change: number; verdict: Verdict; reason: string } {
  const change = c.rowsPerSecond.median / b.rowsPerSecond.median - 1;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const moe = (s: PointStatistics) => (s.rme === null ? undefined : (s.rme / 100) * s.seconds.mean);
  const mb = moe(b);
  const mc = moe(c);
  const gap = c.seconds.mean - b.seconds.mean;
  const noiseKnown = mb !== undefined && mc !== undefined;
  const outsideNoise = noiseKnown ? Math.abs(gap) > mb + mc : true;
  const noise = noiseKnown ? `means ${b.seconds.mean.toFixed(3)} s → ${c.seconds.mean.toFixed(3)} s, 95% margins ±${mb.toFixed(3)} / ±${mc.toFixed(3)} s` : 'one trial on a side: noise unknown, threshold only';
  if (change < -options.threshold) {
    return outsideNoise
      ? { change, verdict: 'regressed', reason: `${pct(-change)} slower (threshold ${pct(options.threshold)}); ${noise}` }
      : { change, verdict: 'slower (within noise)', reason: `${pct(-change)} slower, but the intervals overlap; ${noise}` };
  }
  if (change > options.threshold && outsideNoise) return { change, verdict: 'faster', reason: `${pct(change)} faster; ${noise}` };
  return { change, verdict: 'unchanged', reason: `${change < 0 ? pct(-change) + ' slower' : pct(change) + ' faster'}, within the threshold or the noise; ${noise}` };
}

export function hasRegression(rows: readonly PointComparison[]): boolean {
  return rows.some((r) => r.verdict === 'regressed' || r.verdict === 'failed');
}
