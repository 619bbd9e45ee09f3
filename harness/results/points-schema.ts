import { z } from 'zod';

/**
 * The per-point statistics and claims a results file carries for readers that are not bench (issue 15):
 * the numbers the report shows, so nobody has to recompute them from the raw trials. They are derived
 * from `trials` (bench itself always recomputes them on reading), written by every command that writes a
 * results file, and optional on reading: files written before them still read.
 */

const comparison = z
  .object({
    ratio: z.number().meta({ description: "the other point's geometric-mean trial time over this one's: above 1, this one is faster" }),
    ratioLow: z.number().meta({ description: 'lower bound of the 90% confidence interval of ratio' }),
    ratioHigh: z.number().meta({ description: 'upper bound of the 90% confidence interval of ratio' }),
    p: z.number().meta({ description: "two-sided p-value of Welch's t-test on log trial times" }),
    significant: z.boolean().meta({ description: 'p < 0.05: the difference is beyond the noise' }),
  })
  .meta({ description: 'Two points compared as every claim of bench is made (analysis/claims.ts)' });

export const pointRecord = z
  .object({
    point: z.string().meta({ description: 'the point key, e.g. native-bulk/p4 or native-bulk/p4/k2/b1000; peers: psql-pipe/p2' }),
    kind: z.enum(['strategy', 'peer']),
    contender: z.string().meta({ description: 'the strategy or peer tool' }),
    parallelism: z.number().int().positive().meta({ description: 'copies the point asks to run at once' }),
    partitions: z.number().int().positive().meta({ description: 'key ranges per large table (peers: 1)' }),
    batchSize: z.number().int().positive().optional().meta({ description: 'rows per INSERT batch (strategies)' }),
    trials: z.object({ ok: z.number().int(), failed: z.number().int(), skipped: z.number().int() }).meta({ description: 'measured trials by outcome (warm-ups are never counted)' }),
    n: z.number().int().nonnegative().meta({ description: 'valid measured trials: what every statistic below is computed from' }),
    seconds: z
      .object({ median: z.number(), mean: z.number(), sd: z.number(), min: z.number(), max: z.number() })
      .nullable()
      .meta({ description: 'copy + constraint seconds over the valid trials; null without one' }),
    rowsPerSecond: z
      .object({ median: z.number(), mean: z.number(), min: z.number(), max: z.number() })
      .nullable()
      .meta({ description: 'rows divided by the seconds statistics (min is the slowest trial)' }),
    cv: z.number().nullable().meta({ description: 'coefficient of variation of the trial times (sd / mean); null with fewer than 2 trials' }),
    rme: z.number().nullable().meta({ description: 'relative margin of error of the mean at 95%, in percent; null with fewer than 2 trials' }),
    noisy: z.boolean().meta({ description: 'cv above 5%: a claim about this point needs more repeats' }),
    concurrency: z
      .object({
        planned: z.number().int(),
        possible: z.number().int().meta({ description: 'at most this many copies could run: the trial had no more tasks' }),
        reached: z.number().int().meta({ description: 'the most copies seen running at once, lowest over the trials' }),
        source: z.enum(['servers', 'client']).meta({ description: 'servers: sampled in pg_stat_activity; client: bench\'s own count' }),
        flag: z.string().optional().meta({ description: 'why the label overstates what ran, when it does' }),
      })
      .nullable()
      .meta({ description: 'concurrency reached against the label; null when not sampled' }),
    diagnosis: z.string().nullable().meta({ description: "what limited the median trial's copy, e.g. \"target CPU-bound\"" }),
    rank: z.number().int().positive().nullable().meta({ description: "bench's points whose every trial passed, by median rows/s (1: the best median); null for peers and points with a failure" }),
    versusBest: comparison.nullable().meta({ description: "bench's best point against this one (ratio above 1: the best is faster); null for the best itself or without 2 valid trials a side" }),
    verdict: z
      .enum(['fastest', 'best median, within the noise', 'within the noise of the best', 'slower than the best', 'faster than bench\'s best', 'not ranked', 'failed', 'skipped'])
      .meta({ description: "the point's standing, only as far as the statistics support it" }),
    skippedReason: z.string().optional(),
    errors: z.array(z.string()).meta({ description: 'distinct failures of its trials, "phase: error"' }),
  })
  .meta({ description: 'One sweep point: its repeated measured trials and their statistics' });

export const claimsRecord = z
  .object({
    best: z
      .object({
        point: z.string(),
        established: z.boolean().meta({ description: 'faster than the runner-up beyond the noise (or the only point)' }),
        runnerUp: z.string().optional(),
        comparison: comparison.optional(),
      })
      .nullable()
      .meta({ description: "bench's fastest point by median; null when no point passed every trial" }),
    ordering: z
      .object({
        expected: z.array(z.string()),
        observed: z.array(z.string()),
        verdict: z.enum(['held', 'did not hold', 'not established']),
        steps: z.array(z.object({ slower: z.string(), faster: z.string(), comparison: comparison.optional() })),
      })
      .nullable()
      .meta({ description: "the seeds' ordering csv-buffer < direct-stream < pipeline < native-bulk, judged on each strategy's best point" }),
    limitFaults: z.array(z.object({ point: z.string(), comparison })).meta({ description: 'points measured faster than server-copy, the physical limit: a fault of measurement' }),
  })
  .meta({ description: 'What the report claims, and the tests behind it' });

export type PointRecord = z.infer<typeof pointRecord>;
export type ClaimsRecord = z.infer<typeof claimsRecord>;
export type ComparisonRecord = z.infer<typeof comparison>;
