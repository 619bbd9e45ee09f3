import { describe, expect, it } from 'vitest';
import { judge, mannWhitneySlowerP } from '../../../harness/analysis/regression.js';
import { pointStatistics } from '../../../harness/analysis/statistics.js';

const rows = 1_000_000;
const threshold = { threshold: 0.1 };
const verdict = async (base: number[], current: number[]) =>
  judge(base, current, (await pointStatistics(base, rows))!, (await pointStatistics(current, rows))!, threshold);

describe('the exact one-sided Mann–Whitney p-value', () => {
  it('is 1/C(m+n,m) when every current time is slower than every baseline time', () => {
    expect(mannWhitneySlowerP([1, 2, 3], [4, 5, 6])).toBeCloseTo(1 / 20, 10);
    expect(mannWhitneySlowerP([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toBeCloseTo(1 / 252, 10);
  });
  it('is 1 when every current time is faster', () => {
    expect(mannWhitneySlowerP([4, 5, 6], [1, 2, 3])).toBe(1);
  });
  it('matches a hand count for an interleaved sample', () => {
    // base 1,3 · current 2,4: U = 3 (2>1, 4>1, 4>3); of the 6 orderings, U ≥ 3 in 2 (U=3 and U=4).
    expect(mannWhitneySlowerP([1, 3], [2, 4])).toBeCloseTo(2 / 6, 10);
  });
});

describe('the regression rule (threshold and Mann–Whitney p < 0.05)', () => {
  it('stays quiet on A/A: two samples of the same noisy distribution', async () => {
    expect((await verdict([2.0, 2.2, 1.9, 2.1, 2.3], [2.1, 1.95, 2.25, 2.0, 2.2])).verdict).toBe('unchanged');
  });

  it('flags a 20% slowdown the noise cannot explain', async () => {
    const v = await verdict([2.0, 2.05, 1.98, 2.02, 2.01], [2.5, 2.45, 2.52, 2.48, 2.5]);
    expect(v.verdict).toBe('regressed');
    expect(v.change).toBeCloseTo(2.01 / 2.5 - 1, 2);
    expect(v.reason).toMatch(/slower \(threshold 10\.0%\).*p = 0\.004/);
  });

  it('with six trials a side, one wild outlier in the baseline does not hide the slowdown (a rank test)', async () => {
    const v = await verdict([2.0, 2.02, 1.99, 2.01, 2.0, 9.0], [2.45, 2.5, 2.48, 2.52, 2.47, 2.5]);
    expect(v.verdict).toBe('regressed');
  });

  it('calls a slowdown over the threshold that the noise explains "within noise", not a regression', async () => {
    const v = await verdict([1.6, 2.6, 2.0, 1.7, 2.5], [2.9, 1.9, 2.3, 2.8, 2.0]);
    expect(v.change!).toBeLessThan(-0.1);
    expect(v.verdict).toBe('slower (within noise)');
  });

  it('never flags a slowdown under the threshold, however consistent', async () => {
    expect((await verdict([2.0, 2.0, 2.0, 2.001, 2.0], [2.1, 2.1, 2.1, 2.101, 2.1])).verdict).toBe('unchanged');
  });

  it('falls back to the threshold alone with one trial per side, and says so', async () => {
    const v = await verdict([2.0], [2.6]);
    expect(v.verdict).toBe('regressed');
    expect(v.reason).toMatch(/noise unknown/);
  });

  it('reports a clear speed-up as faster', async () => {
    expect((await verdict([2.5, 2.5, 2.52, 2.48, 2.5], [2.0, 2.0, 2.01, 1.99, 2.0])).verdict).toBe('faster');
  });
});
