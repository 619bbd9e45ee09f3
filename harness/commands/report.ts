import { dirname, resolve } from 'node:path';
import type { RawOptions } from '../config/options.js';
import { parseReportConfig } from '../config/command-options.js';
import { ExitCode } from '../base/errors.js';
import { log } from '../base/log.js';
import { claimStdout, STDIO } from '../base/output.js';
import { readResults } from '../results/results-file.js';
import { withPointRecords } from '../analysis/point-records.js';
import { renderSweepSummary } from '../../reports/terminal.js';
import { writeExports, writeReport } from '../../reports/write-report.js';

/** `bench report results.json`: the markdown, charts and profile again, from the JSON alone (and its exports). */
export async function reportCommand(raw: RawOptions): Promise<number> {
  const config = parseReportConfig(raw);
  claimStdout(config.exports.csv, config.exports.markdown);
  const results = withPointRecords(readResults(config.results));
  const out = config.out ?? (config.results === STDIO ? resolve('.') : dirname(config.results));
  const report = await writeReport(out, results);
  writeExports(config.exports, results);
  log.out(renderSweepSummary(report.analysis));
  log.info(`report: ${report.markdown}`);
  for (const c of report.charts) log.info(`chart: ${c}`);
  if (report.profile) log.info(`recommended profile: ${report.profile}`);
  return ExitCode.ok;
}
