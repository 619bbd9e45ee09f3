import type { PointSummary } from './points.js';
import { ALPHA, formatP } from './regression.js';
import { logRatioTest } from './statistics.js';

/**
 * Two points compared the way every claim in a report is made: the same Welch test on log trial times
 * the regression gate uses, two-sided at α = 0.05. `ratio` is b's geometric-mean time over a's: above
 * 1, a is faster. Undefined when either point has fewer than two valid trials (no noise estimate).
 */
export interface TimeComparison {
  readonly ratio: number;
  readonly ratioLow: number;
  readonly ratioHigh: number;
  /** Two-sided p-value. */
  readonly p: number;
  readonly significant: boolean;
}

export function compareTimes(a: PointSummary, b: PointSummary): TimeComparison | undefined {
  const test = logRatioTest(a.times, b.times);
  if (!test) return undefined;
  const p = Math.min(1, 2 * Math.min(test.pSlower, test.pFaster));
  return { ratio: test.ratio, ratioLow: test.ratioLow, ratioHigh: test.ratioHigh, p, significant: p < ALPHA };
}

/**
 * "a is 1.32× as fast as b (p = 0.004)", or why no such claim can be made. Words follow the statistics:
 * a difference the noise could explain is said to be within the noise, never ranked.
 */
export function describeComparison(aLabel: string, bLabel: string, c: TimeComparison | undefined): string {
  if (!c) return `${aLabel} and ${bLabel} cannot be ranked: each needs at least 2 valid measured trials (use --repeat 3 or more)`;
  const times = c.ratio >= 1 ? c.ratio : 1 / c.ratio;
  const [fast, slow] = c.ratio >= 1 ? [aLabel, bLabel] : [bLabel, aLabel];
  if (!c.significant) return `${aLabel} and ${bLabel} are within the noise of each other (${times.toFixed(2)}× apart, p = ${formatP(c.p)})`;
  return `${fast} is ${times.toFixed(2)}× as fast as ${slow} (p = ${formatP(c.p)})`;
}
