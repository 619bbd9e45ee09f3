import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recommendationOf } from '../harness/analysis/recommend.js';
import { analyzeTrials, type SweepAnalysis } from '../harness/analysis/sweep-analysis.js';
import type { ResultsFile } from '../harness/results/results-file.js';
import { renderMarkdown } from './markdown.js';
import { pointsCsv, pointsMarkdown } from './exports.js';
import { writeOutput } from '../harness/base/output.js';

export interface WrittenReport {
  readonly analysis: SweepAnalysis;
  readonly markdown: string;
  readonly charts: readonly string[];
  /** Absent when no point passed every trial. */
  readonly profile?: string;
}

/**
 * Everything a sweep leaves behind, derived from the results alone (so `bench report results.json`
 * renders the same): report.md, charts/*.svg and, when there is a best point, profile.json.
 */
export async function writeReport(dir: string, results: ResultsFile): Promise<WrittenReport> {
  const analysis = analyzeTrials(results.trials, results.sweep?.levers);
  // vega and vega-lite add about 50 MB to the process: loaded only when a report is drawn, so copies
  // are measured without them.
  const { writeCharts } = await import('./charts.js');
  const charts = await writeCharts(dir, analysis);
  let profile: string | undefined;
  const recommended = recommendationOf(results, analysis);
  if (recommended) {
    profile = join(dir, 'profile.json');
    writeFileSync(profile, `${JSON.stringify(recommended, null, 2)}\n`);
  }
  const markdown = join(dir, 'report.md');
  writeFileSync(markdown, renderMarkdown(results, analysis, { charts, ...(profile ? { profileFile: profile } : {}) }));
  return { analysis, markdown, charts: charts.map((c) => join(dir, c.path)), ...(profile ? { profile } : {}) };
}

/** --export-csv and --export-markdown: the results' per-point records, to files or stdout (`-`). */
export function writeExports(exports: { readonly csv?: string; readonly markdown?: string }, results: ResultsFile): void {
  const points = results.points ?? [];
  if (exports.csv) writeOutput(exports.csv, pointsCsv(points), 'CSV export');
  if (exports.markdown) writeOutput(exports.markdown, pointsMarkdown(results, points), 'markdown export');
}
