import { describe, expect, it } from 'vitest';
import { judge } from '../../harness/check.js';
import { pointStatistics } from '../../harness/statistics.js';

const rows = 1_000_000;
const stats = async (seconds: number[]) => (await pointStatistics(seconds, rows))!;
const threshold = { threshold: 0.1 };

describe('the regression rule (threshold and non-overlapping 95% intervals)', () => {
  it('stays quiet on A/A: two samples of the same noisy distribution', async () => {
    const a = await stats([2.0, 2.2, 1.9, 2.1, 2.3]);
    const b = await stats([2.1, 1.95, 2.25, 2.0, 2.2]);
    expect(judge(a, b, threshold).verdict).toBe('unchanged');
  });

  it('flags a 20% slowdown that the noise cannot explain', async () => {
    const a = await stats([2.0, 2.05, 1.98, 2.02, 2.01]);
    const b = await stats([2.5, 2.45, 2.52, 2.48, 2.5]);
    const v = judge(a, b, threshold);
    expect(v.verdict).toBe('regressed');
    expect(v.change).toBeCloseTo(2.01 / 2.5 - 1, 2);
    expect(v.reason).toMatch(/slower \(threshold 10\.0%\)/);
  });

  it('calls a slowdown over the threshold that the noise explains "within noise", not a regression', async () => {
    const a = await stats([1.6, 2.6, 2.0, 1.7, 2.5]);
    const b = await stats([2.9, 1.9, 2.3, 2.8, 2.0]);
    const v = judge(a, b, threshold);
    expect(v.change!).toBeLessThan(-0.1);
    expect(v.verdict).toBe('slower (within noise)');
  });

  it('never flags a slowdown under the threshold, however tight the intervals', async () => {
    const a = await stats([2.0, 2.0, 2.0, 2.001, 2.0]);
    const b = await stats([2.1, 2.1, 2.1, 2.101, 2.1]);
    expect(judge(a, b, threshold).verdict).toBe('unchanged');
  });

  it('falls back to the threshold alone with one trial per side, and says so', async () => {
    const v = judge(await stats([2.0]), await stats([2.6]), threshold);
    expect(v.verdict).toBe('regressed');
    expect(v.reason).toMatch(/noise unknown/);
  });

  it('reports a clear speed-up as faster', async () => {
    const v = judge(await stats([2.5, 2.5, 2.52, 2.48, 2.5]), await stats([2.0, 2.0, 2.01, 1.99, 2.0]), threshold);
    expect(v.verdict).toBe('faster');
  });
});
