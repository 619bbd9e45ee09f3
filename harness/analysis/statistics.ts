/**
 * Statistics of repeated trials, pure and synchronous: point summaries (median, spread, coefficient of
 * variation, margin of error) and the two-sample test every verdict in bench rests on (a Welch t-test
 * on log trial times). Nothing here touches a clock or a database.
 */

/** Summary of one point's repeated trials. Seconds are copy + constraints. */
export interface PointStatistics {
  readonly samples: number;
  readonly seconds: {
    readonly median: number;
    readonly mean: number;
    readonly sd: number;
    readonly min: number;
    readonly max: number;
  };
  /** Coefficient of variation of the trial times (sd / mean); null with one sample. */
  readonly cv: number | null;
  /** Relative margin of error of the mean at 95% (Student's t), in percent; null with one sample. */
  readonly rme: number | null;
  /** rows / seconds at each statistic: the median trial's throughput, the slowest and the fastest. */
  readonly rowsPerSecond: { readonly median: number; readonly mean: number; readonly min: number; readonly max: number };
}

/** A point whose trial times vary more than this (coefficient of variation) is marked noisy. */
export const NOISY_CV = 0.05;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n - 1); 0 for fewer than two values. */
export function sd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export function pointStatistics(secondsPerTrial: readonly number[], rows: number): PointStatistics | undefined {
  const n = secondsPerTrial.length;
  if (n === 0) return undefined;
  const s = {
    median: median(secondsPerTrial),
    mean: mean(secondsPerTrial),
    sd: sd(secondsPerTrial),
    min: Math.min(...secondsPerTrial),
    max: Math.max(...secondsPerTrial),
  };
  const rate = (sec: number) => (sec > 0 ? rows / sec : 0);
  const moe = n > 1 ? studentTQuantile(0.975, n - 1) * (s.sd / Math.sqrt(n)) : undefined;
  return {
    samples: n,
    seconds: s,
    cv: n > 1 && s.mean > 0 ? s.sd / s.mean : null,
    rme: moe !== undefined && s.mean > 0 ? (100 * moe) / s.mean : null,
    rowsPerSecond: { median: rate(s.median), mean: rate(s.mean), min: rate(s.max), max: rate(s.min) },
  };
}

/**
 * Welch's two-sample t-test on the logarithms of trial times, `b` against `a`.
 *
 * Why logs: trial times are positive and their noise is multiplicative (a busy neighbour stretches a
 * trial by a share, not by a fixed number of seconds), so log times are close to symmetric, and the
 * difference of their means is the log of the ratio of geometric means: the effect comes out as "b takes
 * 1.32× as long as a", with a confidence interval on that ratio. Why a t-test rather than a rank test:
 * its p-value can reach any level with 3 trials a side, where the exact Mann–Whitney p cannot go below
 * 1/20 = 0.05, so a rank rule at α = 0.05 can never fire at the default 3 repeats. Welch, not Student,
 * because a slowed server is often noisier as well.
 */
export interface RatioTest {
  /** Geometric-mean time of b divided by a's: above 1, b is slower. */
  readonly ratio: number;
  /** 90% confidence interval of `ratio` (so each bound is a one-sided 95% bound). */
  readonly ratioLow: number;
  readonly ratioHigh: number;
  readonly t: number;
  readonly df: number;
  /** One-sided p-values: P(a difference this large | same distribution) in each direction. */
  readonly pSlower: number;
  readonly pFaster: number;
  /** Stalled trials left out of the test (see withoutStalls), per side. */
  readonly excluded: { readonly a: number; readonly b: number };
}

/** A trial this many times slower (or faster) than its point's median is a stall or a glitch, not noise. */
export const STALL_FACTOR = 2;

/**
 * The times without stalls: with three or more trials, one that took over twice the median (or under
 * half of it) is not run-to-run noise (a copy's CV is a few percent) but a stall of the machine, and a
 * t-test would let it hide a real change (a stalled baseline trial inflates the baseline's mean and
 * variance). Stalls are left out of the test and reported; the point's own statistics keep every trial.
 */
export function withoutStalls(xs: readonly number[]): number[] {
  if (xs.length < 3) return [...xs];
  const m = median(xs);
  return xs.filter((x) => x <= m * STALL_FACTOR && x >= m / STALL_FACTOR);
}

/** Undefined when a side has fewer than two trials: the noise cannot be estimated. */
export function logRatioTest(aAll: readonly number[], bAll: readonly number[]): RatioTest | undefined {
  const a = withoutStalls(aAll);
  const b = withoutStalls(bAll);
  if (a.length < 2 || b.length < 2 || [...a, ...b].some((x) => !(x > 0))) return undefined;
  const excluded = { a: aAll.length - a.length, b: bAll.length - b.length };
  const la = a.map(Math.log);
  const lb = b.map(Math.log);
  const d = mean(lb) - mean(la);
  const va = sd(la) ** 2 / la.length;
  const vb = sd(lb) ** 2 / lb.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) {
    // Identical times on each side: no noise at all, so any difference is certain and none is not.
    const p = d === 0 ? 0.5 : 0;
    return { ratio: Math.exp(d), ratioLow: Math.exp(d), ratioHigh: Math.exp(d), t: d === 0 ? 0 : Math.sign(d) * Infinity, df: la.length + lb.length - 2, pSlower: d > 0 ? p : 1 - p, pFaster: d < 0 ? p : 1 - p, excluded };
  }
  // Welch–Satterthwaite degrees of freedom.
  const df = (va + vb) ** 2 / (va ** 2 / (la.length - 1) + vb ** 2 / (lb.length - 1));
  const t = d / se;
  const q = studentTQuantile(0.95, df) * se;
  return { ratio: Math.exp(d), ratioLow: Math.exp(d - q), ratioHigh: Math.exp(d + q), t, df, pSlower: 1 - studentTCdf(t, df), pFaster: studentTCdf(t, df), excluded };
}

/**
 * Holm's step-down adjustment: p-values made safe to compare with α all at once, so a sweep of ten
 * points has a 5% chance of one false alarm in all, not 5% per point. Order is kept.
 */
export function holmAdjust(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p));
    out[i] = running;
  });
  return out;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's is). */
export function studentTCdf(t: number, df: number): number {
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const x = df / (df + t * t);
  const tail = 0.5 * regularizedIncompleteBeta(x, df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The t value below which a share `p` of Student's t distribution lies (bisection on the CDF). */
export function studentTQuantile(p: number, df: number): number {
  if (p === 0.5) return 0;
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** I_x(a, b), by the continued fraction of Numerical Recipes (betacf), with the symmetry for fast convergence. */
function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x) (Lanczos, g = 7, n = 9): enough digits for p-values. */
function logGamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xx = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < g + 2; i++) sum += c[i]! / (xx + i);
  const t = xx + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(sum);
}
