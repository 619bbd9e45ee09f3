import type { PointComparison } from '../harness/analysis/regression.js';
import { fmt } from './format.js';

/** The verdict table as markdown: printed, and appended to $GITHUB_STEP_SUMMARY in GitHub Actions. */
export function renderComparison(rows: readonly PointComparison[], labels: { base: string; current: string; title: string }, threshold: number, warnings: readonly string[] = []): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| point | ${esc(labels.base)} rows/s | ${esc(labels.current)} rows/s | change | verdict | evidence |`,
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...rows.map((r) =>
      `| ${esc(r.point)} | ${r.base ? fmt.rate(r.base.rowsPerSecond.median) : '—'} | ${r.current ? fmt.rate(r.current.rowsPerSecond.median) : '—'} | ` +
        `${r.change === undefined ? '—' : `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)}%`} | ${r.verdict === 'regressed' || r.verdict === 'failed' ? `**${r.verdict}**` : r.verdict} | ${esc(r.reason)} |`,
    ),
  ];
  const regressed = rows.filter((r) => r.verdict === 'regressed' || r.verdict === 'failed' || r.verdict === 'missing');
  const unjudged = rows.filter((r) => r.verdict === 'cannot judge');
  const head = regressed.length
    ? `### ${labels.title}: ${regressed.length} point(s) regressed, failed or missing`
    : unjudged.length
      ? `### ${labels.title}: ${unjudged.length} point(s) could not be judged`
      : `### ${labels.title}: no regression`;
  return [
    head,
    '',
    ...warnings.map((w) => `> ⚠ ${w}`),
    ...(warnings.length ? [''] : []),
    `Rule: a point regresses when its throughput fell by more than ${(threshold * 100).toFixed(0)}% (ratio of geometric-mean trial times, warm-ups left out) and a one-sided Welch t-test on log trial times says it is slower with p ≤ 0.05, Holm-adjusted over all points. A point needs at least 2 valid trials a side to be judged.`,
    '',
    ...lines,
    '',
  ].join('\n');
}
