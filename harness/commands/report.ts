import { dirname, resolve } from 'node:path';
import type { RawOptions } from '../config/options.js';
import { ExitCode } from '../base/errors.js';
import { log } from '../base/log.js';
import { readResults } from '../results/results-file.js';
import { renderSweepSummary } from '../../reports/terminal.js';
import { writeReport } from '../../reports/write-report.js';

/** `bench report results.json`: the markdown, charts and profile again, from the JSON alone. */
export async function reportCommand(raw: RawOptions): Promise<number> {
  const file = resolve(String(raw.results));
  const results = readResults(file);
  const out = raw.out === undefined ? dirname(file) : resolve(String(raw.out));
  const report = await writeReport(out, results);
  log.out(renderSweepSummary(report.analysis));
  log.info(`report: ${report.markdown}`);
  for (const c of report.charts) log.info(`chart: ${c}`);
  if (report.profile) log.info(`recommended profile: ${report.profile}`);
  return ExitCode.ok;
}
