import { describe, expect, it } from 'vitest';
import { comparePoints, hasRegression, undecided } from '../../../harness/analysis/regression.js';
import { trialsTaking } from '../../support/results.js';

const point = { strategy: 'native-bulk' as const, parallelism: 2 };
const other = { strategy: 'native-bulk' as const, parallelism: 4 };
const verdictOf = (base: number[], current: number[], threshold = 0.1) => comparePoints(trialsTaking(point, base), trialsTaking(point, current), { threshold })[0]!;

describe('the regression rule (threshold and a Welch t-test on log times, Holm over points)', () => {
  it('fires at 3 trials a side: every current trial slower than every baseline one, 54% slower', () => {
    // The old exact Mann–Whitney rule could not: its smallest p at 3 against 3 is 1/20 = 0.05, never < 0.05.
    const v = verdictOf([2.0, 2.1, 1.95], [4.4, 4.6, 4.3]);
    expect(v.verdict).toBe('regressed');
    expect(v.p!).toBeLessThan(0.001);
    expect(v.change!).toBeCloseTo(2.014 / 4.432 - 1, 2);
    expect(v.reason).toMatch(/slower \(threshold 10\.0%\).*90% CI.*Welch p = /);
  });

  it('fires at 3 a side on a 25% slowdown with 3% noise', () => {
    expect(verdictOf([2.0, 2.06, 1.96], [2.5, 2.58, 2.47]).verdict).toBe('regressed');
  });

  it('stays quiet on A/A: two samples of the same noisy distribution', () => {
    expect(verdictOf([2.0, 2.2, 1.9, 2.1, 2.3], [2.1, 1.95, 2.25, 2.0, 2.2]).verdict).toBe('unchanged');
    expect(verdictOf([2.0, 2.2, 1.9], [2.25, 1.95, 2.1]).verdict).toBe('unchanged');
  });

  it('calls a slowdown over the threshold that the noise explains "within noise", not a regression', () => {
    const v = verdictOf([1.6, 2.6, 2.0, 1.7, 2.5], [2.9, 1.9, 2.3, 2.8, 2.0]);
    expect(v.change!).toBeLessThan(-0.1);
    expect(v.verdict).toBe('slower (within noise)');
  });

  it('never flags a slowdown under the threshold, however consistent', () => {
    expect(verdictOf([2.0, 2.0, 2.0, 2.001, 2.0], [2.1, 2.1, 2.1, 2.101, 2.1]).verdict).toBe('unchanged');
  });

  it('with six trials a side, one stalled baseline trial does not hide the slowdown (it is left out, and said so)', () => {
    const v = verdictOf([2.0, 2.02, 1.99, 2.01, 2.0, 9.0], [2.45, 2.5, 2.48, 2.52, 2.47, 2.5]);
    expect(v.verdict).toBe('regressed');
    expect(v.reason).toMatch(/stalled trials left out of the test: 1 baseline, 0 current/);
  });

  it('cannot judge with one trial on a side, and says why (bench check exits 2 on it)', () => {
    const rows = comparePoints(trialsTaking(point, [2.0]), trialsTaking(point, [2.6]), { threshold: 0.1 });
    expect(rows[0]!.verdict).toBe('cannot judge');
    expect(rows[0]!.reason).toMatch(/at least 2 a side/);
    expect(undecided(rows)).toHaveLength(1);
  });

  it('reports a clear speed-up as faster', () => {
    expect(verdictOf([2.5, 2.5, 2.52, 2.48, 2.5], [2.0, 2.0, 2.01, 1.99, 2.0]).verdict).toBe('faster');
  });

  it('adjusts p over the points (Holm): a borderline slowdown on one of many points is not enough', () => {
    // Alone, this 15% slowdown with 5% noise is significant at 0.05; next to nine unchanged points, it is not.
    const base = [2.0, 2.1, 1.95];
    const slow = [2.3, 2.45, 2.25];
    expect(verdictOf(base, slow).verdict).toBe('regressed');
    const b = [...trialsTaking(point, base)];
    const c = [...trialsTaking(point, slow)];
    for (let p = 1; p <= 9; p++) {
      const q = { strategy: 'direct-stream' as const, parallelism: p };
      b.push(...trialsTaking(q, [3.0, 3.1, 2.95]));
      c.push(...trialsTaking(q, [3.05, 2.98, 3.08]));
    }
    const rows = comparePoints(b, c, { threshold: 0.1 });
    expect(rows.find((r) => r.point === 'native-bulk/p2')!.verdict).toBe('slower (within noise)');
    expect(hasRegression(rows)).toBe(false);
  });

  it('a point of the baseline missing from the current results fails the check', () => {
    const rows = comparePoints([...trialsTaking(point, [2, 2, 2]), ...trialsTaking(other, [1, 1, 1])], trialsTaking(point, [2, 2.01, 1.99]), { threshold: 0.1 });
    expect(rows.find((r) => r.point === 'native-bulk/p4')!.verdict).toBe('missing');
    expect(hasRegression(rows)).toBe(true);
  });

  it('warm-ups are never compared', () => {
    const warm = trialsTaking(point, [9, 9, 9]).map((t) => ({ ...t, spec: { ...t.spec, warmup: true, id: `${t.spec.id}w` } }));
    const rows = comparePoints([...warm, ...trialsTaking(point, [2.0, 2.1, 1.95])], trialsTaking(point, [2.02, 2.05, 1.98]), { threshold: 0.1 });
    expect(rows[0]!.verdict).toBe('unchanged');
    expect(rows[0]!.base!.samples).toBe(3);
  });
});
