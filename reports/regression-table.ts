import type { PointComparison } from '../harness/analysis/regression.js';
import { fmt } from './format.js';

/** The verdict table as markdown: printed, and appended to $GITHUB_STEP_SUMMARY in GitHub Actions. */
export function renderComparison(rows: readonly PointComparison[], labels: { base: string; current: string }, threshold: number): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| point | ${esc(labels.base)} rows/s | ${esc(labels.current)} rows/s | change | verdict | evidence |`,
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...rows.map((r) =>
      `| ${esc(r.point)} | ${r.base ? fmt.rate(r.base.rowsPerSecond.median) : '—'} | ${r.current ? fmt.rate(r.current.rowsPerSecond.median) : '—'} | ` +
        `${r.change === undefined ? '—' : `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)}%`} | ${r.verdict === 'regressed' || r.verdict === 'failed' ? `**${r.verdict}**` : r.verdict} | ${esc(r.reason)} |`,
    ),
  ];
  const regressed = rows.filter((r) => r.verdict === 'regressed' || r.verdict === 'failed');
  const head = regressed.length
    ? `### bench check: ${regressed.length} point(s) regressed`
    : '### bench check: no regression';
  return [
    head,
    '',
    `Rule: a point regresses when its median rows/s fell by more than ${(threshold * 100).toFixed(0)}% and a one-sided Mann–Whitney U test on the trial times says it is slower with p < 0.05.`,
    '',
    ...lines,
    '',
  ].join('\n');
}
