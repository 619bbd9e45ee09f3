import { Bench } from 'tinybench';

/** Summary statistics of one sweep point's repeated trials. Seconds are copy + constraints. */
export interface PointStatistics {
  readonly samples: number;
  readonly seconds: {
    readonly median: number;
    readonly mean: number;
    readonly sd: number;
    readonly min: number;
    readonly max: number;
  };
  /** Relative margin of error of the mean at 95% (Student's t), in percent; null with one sample. */
  readonly rme: number | null;
  /** rows / seconds at each statistic: the median trial's throughput, the slowest and the fastest. */
  readonly rowsPerSecond: { readonly median: number; readonly mean: number; readonly min: number; readonly max: number };
}

/**
 * tinybench computes the statistics: the trials already ran (each is expensive, validated and
 * persisted on its own), so their measured durations are replayed into a Bench task through
 * `overriddenDuration`, one iteration per trial, no warm-up, no time budget.
 */
export async function pointStatistics(secondsPerTrial: readonly number[], rows: number): Promise<PointStatistics | undefined> {
  if (secondsPerTrial.length === 0) return undefined;
  let next = 0;
  const bench = new Bench({ iterations: secondsPerTrial.length, time: 0, warmup: false, throws: true });
  // `async: true` matters: without it tinybench calls the function once more to detect whether it is
  // async, which would shift the replayed samples by one.
  bench.add('replay', async () => ({ overriddenDuration: (secondsPerTrial[next++] ?? 0) * 1000 }), { async: true });
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (!result || result.state !== 'completed') throw new Error(`statistics failed (${result?.state ?? 'no result'})`);
  const l = result.latency;
  const s = { median: l.p50 / 1000, mean: l.mean / 1000, sd: l.sd / 1000, min: l.min / 1000, max: l.max / 1000 };
  const rate = (sec: number) => (sec > 0 ? rows / sec : 0);
  return {
    samples: secondsPerTrial.length,
    seconds: s,
    rme: secondsPerTrial.length > 1 && Number.isFinite(l.rme) ? l.rme : null,
    rowsPerSecond: { median: rate(s.median), mean: rate(s.mean), min: rate(s.max), max: rate(s.min) },
  };
}
