import { describe, expect, it } from 'vitest';
import { holmAdjust, logRatioTest, pointStatistics, studentTCdf, studentTQuantile } from '../../../harness/analysis/statistics.js';

/** Expected values are computed by hand or taken from published t tables. */
describe('pointStatistics', () => {
  it('median, mean, sample sd, min and max of three trials', async () => {
    const s = await pointStatistics([2.1, 2.5, 2.3], 2300);
    expect(s).toBeDefined();
    expect(s!.samples).toBe(3);
    expect(s!.seconds.median).toBeCloseTo(2.3, 9);
    expect(s!.seconds.mean).toBeCloseTo(2.3, 9);
    // Sample standard deviation (n - 1): sqrt((0.04 + 0.04 + 0) / 2) = 0.2.
    expect(s!.seconds.sd).toBeCloseTo(0.2, 9);
    expect(s!.seconds.min).toBeCloseTo(2.1, 9);
    expect(s!.seconds.max).toBeCloseTo(2.5, 9);
  });

  it('rme is the 95% Student-t margin of the mean, in percent of the mean', async () => {
    const s = await pointStatistics([2.1, 2.5, 2.3], 2300);
    // t(0.975, df 2) = 4.303; sem = 0.2 / sqrt(3); 4.303 × 0.11547 / 2.3 = 21.60 %.
    expect(s!.rme).toBeCloseTo(21.6, 1);
  });

  it('rows per second: the slowest trial is the minimum rate, the fastest the maximum', async () => {
    const s = await pointStatistics([2.1, 2.5, 2.3], 2300);
    expect(s!.rowsPerSecond.median).toBeCloseTo(1000, 6);
    expect(s!.rowsPerSecond.mean).toBeCloseTo(1000, 6);
    expect(s!.rowsPerSecond.min).toBeCloseTo(2300 / 2.5, 6);
    expect(s!.rowsPerSecond.max).toBeCloseTo(2300 / 2.1, 6);
    expect(s!.rowsPerSecond.min).toBeLessThan(s!.rowsPerSecond.max);
  });

  it('uses every sample exactly once, in any order (no sample lost or shifted)', async () => {
    const s = await pointStatistics([10, 1, 5, 7, 3], 100);
    expect(s!.samples).toBe(5);
    expect(s!.seconds.min).toBeCloseTo(1, 9);
    expect(s!.seconds.max).toBeCloseTo(10, 9);
    expect(s!.seconds.median).toBeCloseTo(5, 9);
    expect(s!.seconds.mean).toBeCloseTo(26 / 5, 9);
  });

  it('the median of an even count is the mean of the middle two', async () => {
    const s = await pointStatistics([4, 1, 3, 2], 10);
    expect(s!.seconds.median).toBeCloseTo(2.5, 9);
    expect(s!.rowsPerSecond.median).toBeCloseTo(4, 9);
  });

  it('one sample: every statistic is that sample, sd 0, and rme and CV null', async () => {
    const s = await pointStatistics([1.5], 3000);
    expect(s).toEqual({
      samples: 1,
      seconds: { median: 1.5, mean: 1.5, sd: 0, min: 1.5, max: 1.5 },
      cv: null,
      rme: null,
      rowsPerSecond: { median: 2000, mean: 2000, min: 2000, max: 2000 },
    });
  });

  it('no samples: undefined, not a row of zeros', async () => {
    expect(await pointStatistics([], 1000)).toBeUndefined();
  });

  it('identical samples: sd 0 and rme 0', async () => {
    const s = await pointStatistics([2, 2, 2], 10);
    expect(s!.seconds.sd).toBe(0);
    expect(s!.rme).toBe(0);
  });

  it('a zero-second trial gives a rate of 0, not Infinity', async () => {
    const s = await pointStatistics([0], 10);
    expect(s!.rowsPerSecond).toEqual({ median: 0, mean: 0, min: 0, max: 0 });
  });
});

describe('the coefficient of variation', () => {
  it('is the sample sd over the mean', () => {
    expect(pointStatistics([2.1, 2.5, 2.3], 1)!.cv).toBeCloseTo(0.2 / 2.3, 9);
  });
});

describe("Student's t distribution", () => {
  it('matches the published table', () => {
    // Two-sided 95% critical values: df 2 → 4.303, df 4 → 2.776, df 30 → 2.042; one-sided 95%: df 4 → 2.132.
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.303, 3);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776, 3);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(studentTQuantile(0.95, 4)).toBeCloseTo(2.132, 3);
    expect(studentTCdf(0, 3)).toBeCloseTo(0.5, 12);
    expect(1 - studentTCdf(2.132, 4)).toBeCloseTo(0.05, 3);
    // Fractional degrees of freedom (Welch): between the neighbouring whole ones.
    expect(studentTQuantile(0.975, 3.5)).toBeLessThan(studentTQuantile(0.975, 3));
    expect(studentTQuantile(0.975, 3.5)).toBeGreaterThan(studentTQuantile(0.975, 4));
  });
});

describe('the Welch test on log times', () => {
  it('estimates the ratio of geometric means and brackets it', () => {
    const r = logRatioTest([1, 1.05, 0.97], [1.3, 1.4, 1.35])!;
    expect(r.ratio).toBeCloseTo(Math.exp((Math.log(1.3) + Math.log(1.4) + Math.log(1.35)) / 3 - (Math.log(1) + Math.log(1.05) + Math.log(0.97)) / 3), 9);
    expect(r.ratioLow).toBeLessThan(r.ratio);
    expect(r.ratioHigh).toBeGreaterThan(r.ratio);
    expect(r.pSlower).toBeLessThan(0.001);
    expect(r.pSlower + r.pFaster).toBeCloseTo(1, 12);
  });

  it('needs two trials a side', () => {
    expect(logRatioTest([1], [1.2, 1.3])).toBeUndefined();
  });

  it('leaves out a trial stalled to over twice its point\'s median', () => {
    expect(logRatioTest([1, 1.02, 0.99, 5], [1.01, 1, 1.02])!.excluded).toEqual({ a: 1, b: 0 });
  });
});

describe("Holm's adjustment", () => {
  it('multiplies the smallest p by the count, the next by one less, and keeps them monotone', () => {
    expect(holmAdjust([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
    expect(holmAdjust([0.5])).toEqual([0.5]);
  });
});
