import type { ResultsFile } from '../harness/results/results-file.js';
import type { PointRecord } from '../harness/results/points-schema.js';
import { formatP } from '../harness/analysis/regression.js';
import { fmt } from './format.js';
import { mdTable } from './markdown.js';

/**
 * hyperfine's --export-csv and --export-markdown for a sweep: one row per point with the statistics the
 * report shows. Both render the results' `points` (analysis/point-records.ts), so the three outputs
 * never disagree.
 */

const csvColumns: readonly [string, (p: PointRecord) => string | number | boolean | null | undefined][] = [
  ['point', (p) => p.point],
  ['kind', (p) => p.kind],
  ['contender', (p) => p.contender],
  ['parallelism', (p) => p.parallelism],
  ['partitions', (p) => p.partitions],
  ['batch_size', (p) => p.batchSize],
  ['n', (p) => p.n],
  ['ok', (p) => p.trials.ok],
  ['failed', (p) => p.trials.failed],
  ['skipped', (p) => p.trials.skipped],
  ['median_s', (p) => p.seconds?.median],
  ['mean_s', (p) => p.seconds?.mean],
  ['sd_s', (p) => p.seconds?.sd],
  ['min_s', (p) => p.seconds?.min],
  ['max_s', (p) => p.seconds?.max],
  ['median_rows_per_s', (p) => p.rowsPerSecond?.median],
  ['min_rows_per_s', (p) => p.rowsPerSecond?.min],
  ['max_rows_per_s', (p) => p.rowsPerSecond?.max],
  ['cv', (p) => p.cv],
  ['rme_percent', (p) => p.rme],
  ['noisy', (p) => p.noisy],
  ['concurrency_planned', (p) => p.concurrency?.planned],
  ['concurrency_reached', (p) => p.concurrency?.reached],
  ['rank', (p) => p.rank],
  ['verdict', (p) => p.verdict],
  ['versus_best_ratio', (p) => p.versusBest?.ratio],
  ['versus_best_p', (p) => p.versusBest?.p],
  ['diagnosis', (p) => p.diagnosis],
];

/** RFC 4180: a field holding a comma, quote or line break is quoted, quotes doubled. */
function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function pointsCsv(points: readonly PointRecord[]): string {
  const lines = [csvColumns.map(([name]) => name).join(','), ...points.map((p) => csvColumns.map(([, get]) => csvField(get(p))).join(','))];
  return `${lines.join('\n')}\n`;
}

export function pointsMarkdown(results: ResultsFile, points: readonly PointRecord[]): string {
  const best = results.claims?.best;
  const bestLine = best
    ? best.established
      ? `Fastest: \`${best.point}\`${best.runnerUp && best.comparison ? `, ${best.comparison.ratio.toFixed(2)}× as fast as the runner-up \`${best.runnerUp}\` (p = ${formatP(best.comparison.p)})` : ''}.`
      : `Best median: \`${best.point}\`, within the noise of \`${best.runnerUp ?? '?'}\`${best.comparison ? ` (p = ${formatP(best.comparison.p)})` : ''}.`
    : 'No point completed with every trial valid.';
  return [
    `bench ${results.command}, ${results.createdAt}, ${results.environment.host.hostname}: ${bestLine}`,
    '',
    mdTable(
      ['point', 'n', 'median rows/s', 'median s', 'min–max s', 'CV', 'rme', 'copies', 'verdict'],
      points.map((p) => [
        p.point,
        `${p.n}/${p.trials.ok + p.trials.failed + p.trials.skipped}`,
        p.rowsPerSecond ? fmt.rate(p.rowsPerSecond.median) : '—',
        p.seconds ? fmt.secs(p.seconds.median) : '—',
        p.seconds ? `${fmt.secs(p.seconds.min)}–${fmt.secs(p.seconds.max)}` : '—',
        p.cv === null ? '—' : `${(p.cv * 100).toFixed(1)}%${p.noisy ? ' (noisy)' : ''}`,
        p.rme === null ? '—' : `±${p.rme.toFixed(1)}%`,
        p.concurrency ? `${p.concurrency.reached}/${p.concurrency.planned}` : '—',
        p.verdict + (p.versusBest && p.verdict !== 'fastest' ? ` (p = ${formatP(p.versusBest.p)})` : ''),
      ]),
      [1, 2, 3, 4, 5, 6],
    ),
    '',
  ].join('\n');
}
