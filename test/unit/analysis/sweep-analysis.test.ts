import { describe, expect, it } from 'vitest';
import { speedup } from '../../../harness/analysis/points.js';
import { analyzeTrials } from '../../../harness/analysis/sweep-analysis.js';
import { failedTrial, metricsOf, okTrial, skippedTrial, trialsTaking } from '../../support/results.js';

const ROWS = 10_000;

describe('analyzeTrials', () => {
  it('a point with a failed trial is never the best, however fast its other trials were', () => {
    const a = analyzeTrials([
      okTrial({ strategy: 'native-bulk' }, 0.5, 1),
      failedTrial({ strategy: 'native-bulk' }, 'target refused a row', 2),
      okTrial({ strategy: 'native-bulk' }, 0.5, 3),
      okTrial({ strategy: 'direct-stream' }, 2, 1),
      okTrial({ strategy: 'direct-stream' }, 2, 2),
    ]);
    expect(a.best?.point).toBe('direct-stream/p1');
    const nb = a.points.find((p) => p.point === 'native-bulk/p1')!;
    expect(nb).toMatchObject({ ok: 2, failed: 1, skipped: 0, errors: ['copy: target refused a row'] });
    // The failing point is left out of the matrix too: no cell may show a setting that failed.
    expect(a.matrix.get('native-bulk')).toBeUndefined();
    expect(a.trials).toEqual({ ok: 4, failed: 1, skipped: 0, warmups: 0 });
  });

  it('statistics come from the ok trials only, even when a failed trial carries metrics', () => {
    const a = analyzeTrials([
      okTrial({ strategy: 'pipeline', parallelism: 2 }, 2, 1),
      // A validation failure keeps its (fast, wrong) metrics: they must not count.
      failedTrial({ strategy: 'pipeline', parallelism: 2 }, 'public.t: 10 rows missing', 2, 'validate', metricsOf(ROWS, 0.1)),
      okTrial({ strategy: 'pipeline', parallelism: 2 }, 4, 3),
    ]);
    const p = a.points[0]!;
    expect(p.stats?.samples).toBe(2);
    expect(p.stats?.seconds.min).toBeCloseTo(2, 9);
    expect(p.stats?.seconds.max).toBeCloseTo(4, 9);
    expect(p.stats?.seconds.median).toBeCloseTo(3, 9);
    expect(p.stats?.rowsPerSecond.median).toBeCloseTo(ROWS / 3, 6);
    expect(p.errors).toEqual(['validate: public.t: 10 rows missing']);
    expect(a.best).toBeUndefined();
  });

  it('a point with no ok trial has no statistics and no best', () => {
    const a = analyzeTrials([
      failedTrial({ strategy: 'chunked' }, 'boom', 1),
      failedTrial({ strategy: 'chunked' }, 'boom', 2),
    ]);
    expect(a.points).toHaveLength(1);
    expect(a.points[0]!.stats).toBeUndefined();
    expect(a.points[0]!.medianTrial).toBeUndefined();
    expect(a.points[0]!.errors).toEqual(['copy: boom']);
    expect(a.best).toBeUndefined();
    expect(a.matrix.size).toBe(0);
  });

  it('a skipped point keeps its reason and is never the best', () => {
    const a = analyzeTrials([skippedTrial({ strategy: 'native-bulk' }, 'no COPY on this engine'), okTrial({ strategy: 'csv-buffer' }, 5)]);
    const skipped = a.points.find((p) => p.contender === 'native-bulk')!;
    expect(skipped).toMatchObject({ ok: 0, failed: 0, skipped: 1, skippedReason: 'no COPY on this engine' });
    expect(skipped.stats).toBeUndefined();
    expect(a.best?.contender).toBe('csv-buffer');
    expect(a.trials).toEqual({ ok: 1, failed: 0, skipped: 1, warmups: 0 });
  });

  it('the matrix keeps, per strategy and parallelism, the fastest partitions and batch size', () => {
    const a = analyzeTrials([
      okTrial({ strategy: 'native-bulk', parallelism: 2, partitions: 1 }, 2),
      okTrial({ strategy: 'native-bulk', parallelism: 2, partitions: 4 }, 1),
      okTrial({ strategy: 'native-bulk', parallelism: 4, partitions: 1 }, 1.5),
      okTrial({ strategy: 'native-bulk', parallelism: 4, partitions: 4 }, 3),
      okTrial({ strategy: 'direct-stream', parallelism: 2, batchSize: 100 }, 6),
      okTrial({ strategy: 'direct-stream', parallelism: 2, batchSize: 1000 }, 4),
      okTrial({ strategy: 'csv-buffer', parallelism: 1 }, 8),
    ]);
    const cells = (s: 'native-bulk' | 'direct-stream' | 'csv-buffer') => Object.fromEntries([...a.matrix.get(s)!].map(([p, point]) => [p, point.point]));
    expect(cells('native-bulk')).toEqual({ 2: 'native-bulk/p2/parts4', 4: 'native-bulk/p4' });
    expect(cells('direct-stream')).toEqual({ 2: 'direct-stream/p2/batch1000' });
    expect(cells('csv-buffer')).toEqual({ 1: 'csv-buffer/p1' });
    // Rows in the registry's order, whatever order the trials came in.
    expect([...a.matrix.keys()]).toEqual(['csv-buffer', 'direct-stream', 'native-bulk']);
    expect(a.parallelismLevels).toEqual([1, 2, 4]);
    expect(a.best?.point).toBe('native-bulk/p2/parts4');
    expect(a.best?.partitions).toBe(4);
  });

  it('the baseline is the fastest valid csv-buffer point, and speedup is relative to it', () => {
    const a = analyzeTrials([
      okTrial({ strategy: 'csv-buffer', parallelism: 1 }, 10),
      okTrial({ strategy: 'csv-buffer', parallelism: 2 }, 5),
      okTrial({ strategy: 'csv-buffer', parallelism: 4 }, 1),
      failedTrial({ strategy: 'csv-buffer', parallelism: 4 }, 'x', 2),
      okTrial({ strategy: 'native-bulk', parallelism: 2 }, 1.25),
    ]);
    expect(a.baseline?.point).toBe('csv-buffer/p2');
    expect(a.best?.point).toBe('native-bulk/p2');
    expect(speedup(a.best, a.baseline)).toBeCloseTo(4, 9);
    expect(speedup(a.best, undefined)).toBeUndefined();
    const failedOnly = a.points.find((p) => p.point === 'csv-buffer/p4')!;
    expect(speedup(failedOnly, a.baseline)).toBeCloseTo(5, 9);
    expect(speedup({ ...failedOnly, stats: undefined } as never, a.baseline)).toBeUndefined();
  });

  it("the seeds' ordering held when every step of it is significant in the expected direction", () => {
    const a = analyzeTrials([
      ...trialsTaking({ strategy: 'native-bulk' }, [1, 1.02, 0.99]),
      ...trialsTaking({ strategy: 'pipeline' }, [2, 2.05, 1.98]),
      ...trialsTaking({ strategy: 'direct-stream' }, [3, 3.1, 2.95]),
      ...trialsTaking({ strategy: 'csv-buffer' }, [4, 4.1, 3.9]),
      ...trialsTaking({ strategy: 'chunked' }, [0.5, 0.51, 0.49]),
    ]);
    expect(a.ordering).toMatchObject({
      expected: ['csv-buffer', 'direct-stream', 'pipeline', 'native-bulk'],
      observed: ['csv-buffer', 'direct-stream', 'pipeline', 'native-bulk'],
      verdict: 'held',
    });
    expect(a.ordering!.steps.every((s) => s.comparison?.significant)).toBe(true);
  });

  it("the seeds' ordering did not hold when a step is significantly reversed, and says what was observed", () => {
    const a = analyzeTrials([
      ...trialsTaking({ strategy: 'native-bulk', parallelism: 1 }, [3, 3.05, 2.97]),
      // native-bulk's best point is p2: that is the one compared.
      ...trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [1.5, 1.52, 1.49]),
      ...trialsTaking({ strategy: 'direct-stream', parallelism: 1 }, [1, 1.01, 0.99]),
      ...trialsTaking({ strategy: 'csv-buffer', parallelism: 1 }, [4, 4.05, 3.98]),
    ]);
    expect(a.ordering).toMatchObject({
      expected: ['csv-buffer', 'direct-stream', 'native-bulk'],
      observed: ['csv-buffer', 'native-bulk', 'direct-stream'],
      verdict: 'did not hold',
    });
  });

  it("the seeds' ordering is not established from one trial per point, or from differences within the noise", () => {
    const single = analyzeTrials([okTrial({ strategy: 'pipeline' }, 1.6), okTrial({ strategy: 'direct-stream' }, 1.5)]);
    expect(single.ordering?.verdict).toBe('not established');
    // The case: 157,753 against 163,618 rows/s, 3.6% apart, is noise when trials vary by 5%.
    const close = analyzeTrials([
      ...trialsTaking({ strategy: 'pipeline' }, [1.0, 1.05, 0.96]),
      ...trialsTaking({ strategy: 'direct-stream' }, [0.97, 1.02, 0.93]),
    ]);
    expect(close.ordering?.verdict).toBe('not established');
  });

  it('names a fastest point only when it beats the runner-up beyond the noise', () => {
    const clear = analyzeTrials([...trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [1, 1.02, 0.98]), ...trialsTaking({ strategy: 'native-bulk', parallelism: 4 }, [1.3, 1.32, 1.29])]);
    expect(clear.best?.point).toBe('native-bulk/p2');
    expect(clear.bestClaim?.established).toBe(true);
    const tied = analyzeTrials([...trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [1, 1.08, 0.95]), ...trialsTaking({ strategy: 'native-bulk', parallelism: 4 }, [1.02, 0.97, 1.06])]);
    expect(tied.bestClaim?.established).toBe(false);
    const once = analyzeTrials([okTrial({ strategy: 'native-bulk', parallelism: 2 }, 1), okTrial({ strategy: 'native-bulk', parallelism: 4 }, 2)]);
    expect(once.bestClaim?.established).toBe(false);
  });

  it('a contender faster than the physical limit beyond the noise is a measurement fault, not a win', () => {
    const a = analyzeTrials([...trialsTaking('server-copy', [3.0, 3.05, 2.97]), ...trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [2.0, 2.03, 1.98])]);
    expect(a.limitFaults.map((f) => f.point.point)).toEqual(['native-bulk/p2']);
    const fine = analyzeTrials([...trialsTaking('server-copy', [1.0, 1.02, 0.99]), ...trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [2.0, 2.03, 1.98])]);
    expect(fine.limitFaults).toEqual([]);
    expect(fine.versusPeers.map((v) => [v.peer.point, v.comparison?.significant])).toEqual([['server-copy/p2', true]]);
  });

  it('marks a point whose trial times vary by more than 5% as noisy', () => {
    const a = analyzeTrials([...trialsTaking({ strategy: 'pipeline' }, [1, 1.2, 0.9]), ...trialsTaking({ strategy: 'chunked' }, [1, 1.01, 0.99])]);
    expect(a.points.find((p) => p.contender === 'pipeline')!.noisy).toBe(true);
    expect(a.points.find((p) => p.contender === 'chunked')!.noisy).toBe(false);
  });

  it('flags a point that ran fewer copies at once than its label, as the servers saw it', () => {
    const under = trialsTaking({ strategy: 'native-bulk', parallelism: 8 }, [1, 1, 1]).map((t) =>
      t.state === 'ok' ? { ...t, metrics: { ...t.metrics, concurrency: { planned: 8, tasks: 30, possible: 8, clientPeak: 8, servers: { target: { peak: 4, mean: 3.8, samples: 20 } } } } } : t,
    );
    const few = trialsTaking({ strategy: 'native-bulk', parallelism: 16 }, [1, 1, 1]).map((t) =>
      t.state === 'ok' ? { ...t, metrics: { ...t.metrics, concurrency: { planned: 16, tasks: 9, possible: 9, clientPeak: 9, servers: { target: { peak: 9, mean: 5, samples: 20 } } } } } : t,
    );
    const a = analyzeTrials([...under, ...few]);
    expect(a.points[0]!.concurrency).toMatchObject({ planned: 8, reached: 4, source: 'servers' });
    expect(a.points[0]!.concurrency!.flag).toMatch(/reached 4 of 8/);
    expect(a.points[1]!.concurrency!.flag).toMatch(/only 9 tasks/);
  });

  it('warm-ups are counted apart and never feed a statistic', () => {
    const warm = trialsTaking({ strategy: 'pipeline' }, [9]).map((t) => ({ ...t, spec: { ...t.spec, warmup: true, id: 'pipeline/p1#w1' } }));
    const a = analyzeTrials([...warm, ...trialsTaking({ strategy: 'pipeline' }, [1, 1.01, 0.99])]);
    expect(a.trials.warmups).toBe(1);
    expect(a.points[0]!.stats!.samples).toBe(3);
  });

  it('the ordering needs two of the seeds’ strategies', () => {
    const a = analyzeTrials([okTrial({ strategy: 'native-bulk' }, 1), okTrial({ strategy: 'chunked' }, 2)]);
    expect(a.ordering).toBeUndefined();
  });

  it('the median trial is the ok trial closest to the median; bench-process peaks cover every measured trial', () => {
    const big = 900 * 1024 * 1024;
    const a = analyzeTrials([
      okTrial({ strategy: 'pipeline' }, 1, 1),
      okTrial({ strategy: 'pipeline' }, 3.1, 2),
      okTrial({ strategy: 'pipeline' }, 2, 3),
      failedTrial({ strategy: 'pipeline' }, 'late', 4, 'validate', metricsOf(ROWS, 9, { process: { wallSeconds: 9, cpuUserSeconds: 1, cpuSystemSeconds: 1, cpuCores: 2.5, peakRssBytes: big } })),
    ]);
    const p = a.points[0]!;
    expect(p.medianTrial?.spec.id).toBe('pipeline/p1#3');
    expect(p.peakRssBytes).toBe(big);
    expect(p.cpuCores).toBe(2.5);
    expect(p.batchSize).toBe(5000);
  });

  it('notes are collected once per point', () => {
    const note = 'public.t has no primary key: copied as one chunk';
    const a = analyzeTrials([
      okTrial({ strategy: 'chunked' }, 1, 1, ROWS, { notes: [note] }),
      okTrial({ strategy: 'chunked' }, 1, 2, ROWS, { notes: [note] }),
    ]);
    expect(a.points[0]!.notes).toEqual([note]);
  });

  it('no trials: no points, no best, an empty matrix', () => {
    const a = analyzeTrials([]);
    expect(a.points).toEqual([]);
    expect(a.best).toBeUndefined();
    expect(a.matrix.size).toBe(0);
    expect(a.trials).toEqual({ ok: 0, failed: 0, skipped: 0, warmups: 0 });
  });

  it('says what each set of server settings bought, against the same point under the first set', () => {
    const under = (label: string, seconds: number[]) =>
      trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, seconds).map((t) => ({ ...t, spec: { ...t.spec, settings: label, point: `${t.spec.point}/settings:${label}`, id: `${t.spec.point}/settings:${label}#${t.spec.repetition}` } }));
    const a = analyzeTrials([...under('profile', [2, 2.05, 1.98]), ...under('wal-minimal', [1.5, 1.52, 1.49])]);
    expect(a.settingsEffects).toHaveLength(1);
    expect(a.settingsEffects[0]).toMatchObject({ base: 'native-bulk/p2', point: { settings: 'wal-minimal' }, reference: { settings: 'profile' } });
    expect(a.settingsEffects[0]!.comparison!.ratio).toBeGreaterThan(1.3);
    expect(a.settingsEffects[0]!.comparison!.significant).toBe(true);
  });

  it('says what each loading option bought, lever by lever, against the same point under the first value', () => {
    const under = (suffix: string, seconds: number[]) =>
      trialsTaking({ strategy: 'native-bulk', parallelism: 4 }, seconds).map((t) => ({ ...t, spec: { ...t.spec, point: `${t.spec.point}${suffix}`, id: `${t.spec.point}${suffix}#${t.spec.repetition}` } }));
    const a = analyzeTrials([
      ...under('/constraints:after/freeze:off', [2, 2.02, 1.99]),
      ...under('/constraints:after/freeze:on', [2.01, 1.97, 2.03]),
      ...under('/constraints:overlap/freeze:off', [1.6, 1.62, 1.59]),
      ...under('/constraints:overlap/freeze:on', [1.6, 1.61, 1.63]),
    ]);
    const rows = a.loadingEffects.map((e) => [e.lever, e.value, e.referenceValue, e.base, e.comparison?.significant]);
    expect(rows).toEqual([
      ['constraints', 'overlap', 'after', 'native-bulk/p4/freeze:off', true],
      ['constraints', 'overlap', 'after', 'native-bulk/p4/freeze:on', true],
      ['freeze', 'on', 'off', 'native-bulk/p4/constraints:after', false],
      ['freeze', 'on', 'off', 'native-bulk/p4/constraints:overlap', false],
    ]);
    expect(a.settingsEffects).toEqual([]);
  });
});
