import { describe, expect, it } from 'vitest';
import { pointStatistics } from '../../../harness/analysis/statistics.js';

/** Expected values are computed by hand, so a change in how tinybench is driven shows up here. */
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

  it('replays every sample exactly once, in any order (no sample lost or shifted)', async () => {
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

  it('one sample: every statistic is that sample, sd 0, and rme null', async () => {
    const s = await pointStatistics([1.5], 3000);
    expect(s).toEqual({
      samples: 1,
      seconds: { median: 1.5, mean: 1.5, sd: 0, min: 1.5, max: 1.5 },
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
