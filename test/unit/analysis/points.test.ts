import { describe, expect, it } from 'vitest';
import { analyzeTrials, speedup } from '../../../harness/analysis/points.js';
import { failedTrial, metricsOf, okTrial, skippedTrial } from '../../support/results.js';

const ROWS = 10_000;

describe('analyzeTrials', () => {
  it('a point with a failed trial is never the best, however fast its other trials were', async () => {
    const a = await analyzeTrials([
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
    expect(a.trials).toEqual({ ok: 4, failed: 1, skipped: 0 });
  });

  it('statistics come from the ok trials only, even when a failed trial carries metrics', async () => {
    const a = await analyzeTrials([
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

  it('a point with no ok trial has no statistics and no best', async () => {
    const a = await analyzeTrials([
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

  it('a skipped point keeps its reason and is never the best', async () => {
    const a = await analyzeTrials([skippedTrial({ strategy: 'native-bulk' }, 'no COPY on this engine'), okTrial({ strategy: 'csv-buffer' }, 5)]);
    const skipped = a.points.find((p) => p.strategy === 'native-bulk')!;
    expect(skipped).toMatchObject({ ok: 0, failed: 0, skipped: 1, skippedReason: 'no COPY on this engine' });
    expect(skipped.stats).toBeUndefined();
    expect(a.best?.strategy).toBe('csv-buffer');
    expect(a.trials).toEqual({ ok: 1, failed: 0, skipped: 1 });
  });

  it('the matrix keeps, per strategy and parallelism, the fastest partitions and batch size', async () => {
    const a = await analyzeTrials([
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

  it('the baseline is the fastest valid csv-buffer point, and speedup is relative to it', async () => {
    const a = await analyzeTrials([
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

  it("the seeds' ordering is held when each strategy's best point ranks as expected", async () => {
    const a = await analyzeTrials([
      okTrial({ strategy: 'native-bulk' }, 1),
      okTrial({ strategy: 'pipeline' }, 2),
      okTrial({ strategy: 'direct-stream' }, 3),
      okTrial({ strategy: 'csv-buffer' }, 4),
      okTrial({ strategy: 'chunked' }, 0.5),
    ]);
    expect(a.ordering).toEqual({
      expected: ['csv-buffer', 'direct-stream', 'pipeline', 'native-bulk'],
      observed: ['csv-buffer', 'direct-stream', 'pipeline', 'native-bulk'],
      held: true,
    });
  });

  it("the seeds' ordering is not held when a slower strategy wins, and says what was observed", async () => {
    const a = await analyzeTrials([
      okTrial({ strategy: 'native-bulk', parallelism: 1 }, 3),
      // native-bulk's best point is p2: that is the one compared.
      okTrial({ strategy: 'native-bulk', parallelism: 2 }, 1.5),
      okTrial({ strategy: 'direct-stream', parallelism: 1 }, 1),
      okTrial({ strategy: 'csv-buffer', parallelism: 1 }, 4),
    ]);
    expect(a.ordering).toEqual({
      expected: ['csv-buffer', 'direct-stream', 'native-bulk'],
      observed: ['csv-buffer', 'native-bulk', 'direct-stream'],
      held: false,
    });
  });

  it('the ordering needs two of the seeds’ strategies', async () => {
    const a = await analyzeTrials([okTrial({ strategy: 'native-bulk' }, 1), okTrial({ strategy: 'chunked' }, 2)]);
    expect(a.ordering).toBeUndefined();
  });

  it('the median trial is the ok trial closest to the median; bench-process peaks cover every measured trial', async () => {
    const big = 900 * 1024 * 1024;
    const a = await analyzeTrials([
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

  it('notes are collected once per point', async () => {
    const note = 'public.t has no primary key: copied as one chunk';
    const a = await analyzeTrials([
      okTrial({ strategy: 'chunked' }, 1, 1, ROWS, { notes: [note] }),
      okTrial({ strategy: 'chunked' }, 1, 2, ROWS, { notes: [note] }),
    ]);
    expect(a.points[0]!.notes).toEqual([note]);
  });

  it('no trials: no points, no best, an empty matrix', async () => {
    const a = await analyzeTrials([]);
    expect(a.points).toEqual([]);
    expect(a.best).toBeUndefined();
    expect(a.matrix.size).toBe(0);
    expect(a.trials).toEqual({ ok: 0, failed: 0, skipped: 0 });
  });
});
