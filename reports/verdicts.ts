import { describeComparison } from '../harness/analysis/claims.js';
import type { PointSummary } from '../harness/analysis/points.js';
import { LIMIT_PEER, type SweepAnalysis } from '../harness/analysis/sweep-analysis.js';
import { formatP } from '../harness/analysis/regression.js';
import { fmt } from './format.js';

/**
 * The sentences a report may say about who is faster, shared by the terminal summary and report.md.
 * Each says only what the statistics support (analysis/claims.ts): a difference the noise could explain
 * is called that, never a ranking.
 */

const label = (p: PointSummary) => `\`${p.point}\``;

/** "Fastest: X …", or that the best two cannot be told apart. */
export function bestSentence(a: SweepAnalysis): string | undefined {
  const b = a.best;
  if (!b?.stats) return undefined;
  const figure = `${fmt.rate(b.stats.rowsPerSecond.median)} rows/s (median of ${b.stats.samples} trial${b.stats.samples > 1 ? 's' : ''}, ${fmt.secs(b.stats.seconds.median)} s for copy + constraints${cvText(b)})`;
  const claim = a.bestClaim;
  if (!claim?.runnerUp) return `Fastest: ${label(b)} at ${figure}; it was the only point measured.`;
  if (claim.established) {
    return `Fastest: ${label(b)} at ${figure}. ${describeComparison(label(b), label(claim.runnerUp), claim.comparison)}, the runner-up.`;
  }
  return `No single fastest point: the best median is ${label(b)} at ${figure}, but ${describeComparison(label(b), label(claim.runnerUp), claim.comparison)}.`;
}

/** The seeds' ordering, held / did not hold / not established, with the steps that decide it. */
export function orderingSentence(a: SweepAnalysis): string | undefined {
  const o = a.ordering;
  if (!o) return undefined;
  const steps = o.steps.map((s) => describeComparison(s.faster, s.slower, s.comparison));
  if (o.verdict === 'held') return `The seeds' ordering held here: ${o.expected.join(' < ')} (${steps.join('; ')}).`;
  if (o.verdict === 'did not hold') return `The seeds' ordering (${o.expected.join(' < ')}) did **not** hold here: ${steps.join('; ')}.`;
  return `Whether the seeds' ordering (${o.expected.join(' < ')}) holds here is not established: ${steps.join('; ')}.`;
}

/** bench's best against one peer point, in words. */
export function versusSentence(best: PointSummary, v: SweepAnalysis['versusPeers'][number]): string {
  if (!v.peer.stats) return v.peer.skippedReason ? `skipped: ${v.peer.skippedReason}` : `failed: ${v.peer.errors.join('; ')}`;
  return describeComparison(`bench ${label(best)}`, label(v.peer), v.comparison);
}

/** Contenders faster than the physical limit beyond the noise: a fault of measurement, never a result. */
export function limitFaultSentences(a: SweepAnalysis): string[] {
  return a.limitFaults.map(
    (f) =>
      `Measurement fault: ${label(f.point)} was measured ${(1 / f.comparison.ratio).toFixed(2)}× faster than the physical limit (${LIMIT_PEER}, p = ${formatP(f.comparison.p)}). ` +
      'Nothing can load faster than the target reading a file on its own disk: the limit was measured on a cold cluster, or the contender\'s timing misses part of the work.',
  );
}

/** ", CV 3.1%" or ", CV 7.2%, noisy" — empty with one trial. */
export function cvText(p: PointSummary): string {
  const cv = p.stats?.cv;
  if (cv === null || cv === undefined) return '';
  return `, CV ${(cv * 100).toFixed(1)}%${p.noisy ? ', noisy' : ''}`;
}
