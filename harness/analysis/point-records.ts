import type { ResultsFile } from '../results/results-file.js';
import type { ClaimsRecord, ComparisonRecord, PointRecord } from '../results/points-schema.js';
import { compareTimes, type TimeComparison } from './claims.js';
import type { PointSummary } from './points.js';
import { analyzeTrials, type SweepAnalysis } from './sweep-analysis.js';

/**
 * The analysis as data for other readers (results.json's `points` and `claims`, the CSV and markdown
 * exports): each point's statistics, and its standing only as far as the statistics support it.
 */
export function pointRecords(a: SweepAnalysis): PointRecord[] {
  const rate = (p: PointSummary) => p.stats?.rowsPerSecond.median ?? 0;
  const ranked = a.points.filter((p) => p.kind === 'strategy' && p.stats && p.failed === 0).sort((x, y) => rate(y) - rate(x));
  return a.points.map((p) => {
    const versusBest = a.best && p !== a.best ? compareTimes(a.best, p) : undefined;
    const rank = ranked.indexOf(p);
    return {
      point: p.point,
      kind: p.kind,
      contender: p.contender,
      parallelism: p.parallelism,
      partitions: p.partitions,
      ...(p.batchSize !== undefined ? { batchSize: p.batchSize } : {}),
      trials: { ok: p.ok, failed: p.failed, skipped: p.skipped },
      n: p.stats?.samples ?? 0,
      seconds: p.stats ? { ...p.stats.seconds } : null,
      rowsPerSecond: p.stats ? { ...p.stats.rowsPerSecond } : null,
      cv: p.stats?.cv ?? null,
      rme: p.stats?.rme ?? null,
      noisy: p.noisy,
      concurrency: p.concurrency ? { ...p.concurrency } : null,
      diagnosis: p.diagnosis?.verdict ?? null,
      rank: rank >= 0 ? rank + 1 : null,
      versusBest: versusBest ? comparisonRecord(versusBest) : null,
      verdict: verdictOf(p, a, versusBest),
      ...(p.skippedReason !== undefined ? { skippedReason: p.skippedReason } : {}),
      errors: [...p.errors],
    };
  });
}

function verdictOf(p: PointSummary, a: SweepAnalysis, versusBest: TimeComparison | undefined): PointRecord['verdict'] {
  if (p.failed > 0) return 'failed';
  if (!p.stats) return p.skipped > 0 ? 'skipped' : 'not ranked';
  if (p === a.best) return a.bestClaim?.established === false ? 'best median, within the noise' : 'fastest';
  if (!versusBest) return 'not ranked';
  if (!versusBest.significant) return 'within the noise of the best';
  return versusBest.ratio > 1 ? 'slower than the best' : "faster than bench's best";
}

function comparisonRecord(c: TimeComparison): ComparisonRecord {
  return { ratio: c.ratio, ratioLow: c.ratioLow, ratioHigh: c.ratioHigh, p: c.p, significant: c.significant };
}

export function claimsRecordOf(a: SweepAnalysis): ClaimsRecord {
  const claim = a.bestClaim;
  return {
    best: a.best
      ? {
          point: a.best.point,
          established: claim?.established ?? true,
          ...(claim?.runnerUp ? { runnerUp: claim.runnerUp.point } : {}),
          ...(claim?.comparison ? { comparison: comparisonRecord(claim.comparison) } : {}),
        }
      : null,
    ordering: a.ordering
      ? {
          expected: [...a.ordering.expected],
          observed: [...a.ordering.observed],
          verdict: a.ordering.verdict,
          steps: a.ordering.steps.map((s) => ({ slower: s.slower, faster: s.faster, ...(s.comparison ? { comparison: comparisonRecord(s.comparison) } : {}) })),
        }
      : null,
    limitFaults: a.limitFaults.map((f) => ({ point: f.point.point, comparison: comparisonRecord(f.comparison) })),
  };
}

/** The results with their `points` and `claims` (re)computed from the trials: what every command writes. */
export function withPointRecords(results: ResultsFile, analysis: SweepAnalysis = analyzeTrials(results.trials, results.sweep?.levers)): ResultsFile {
  return { ...results, points: pointRecords(analysis), claims: claimsRecordOf(analysis) };
}
