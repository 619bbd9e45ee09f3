import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { comparePoints, hasRegression, undecided, type PointComparison } from '../analysis/regression.js';
import { comparabilityWarnings } from '../analysis/comparability.js';
import type { RawOptions } from '../config/options.js';
import { parseCheckConfig, parseCompareConfig } from '../config/command-options.js';
import { ExitCode } from '../base/errors.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { claimStdout, writeOutput } from '../base/output.js';
import { readResults } from '../results/results-file.js';
import { renderComparison } from '../../reports/regression-table.js';
import { sweepCommand } from './sweep.js';

/** The outcome of a check, as `--json` writes it and the GitHub Action reads it. */
export type CheckOutcome = 'pass' | 'regressed' | 'cannot judge';

function verdictJson(rows: readonly PointComparison[], extra: Record<string, unknown>): string {
  return `${JSON.stringify({ ...extra, points: rows.map(({ test: _test, ...row }) => row) }, null, 2)}\n`;
}

/**
 * `bench check --baseline base.json [--current cur.json]`: exit 1 when a point regressed, failed or is
 * missing (analysis/regression.ts states the rule), 2 when a point cannot be judged, 0 otherwise. Without
 * --current it runs the sweep described by the other options first. A baseline from another dataset,
 * machine or bench version is compared with a warning (analysis/comparability.ts).
 */
export async function checkCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const config = parseCheckConfig(raw);
  claimStdout(config.json, config.sweep.exports.csv, config.sweep.exports.markdown);
  const base = readResults(config.baseline);
  let currentFile = config.current;
  if (!currentFile) {
    const code = await sweepCommand({ ...raw, out: config.sweep.outDir, fresh: config.sweep.fresh }, lifecycle);
    if (code === ExitCode.interrupted) return code;
    currentFile = join(config.sweep.outDir, 'results.json');
  }
  const current = readResults(currentFile);
  const warnings = comparabilityWarnings(base, current);
  for (const w of warnings) log.warn(w);
  const rows = comparePoints(base.trials, current.trials, { threshold: config.threshold });
  const summary = renderComparison(rows, { base: 'baseline', current: 'current', title: 'bench check' }, config.threshold, warnings);
  log.out(summary);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${summary}\n`);
  const unjudged = undecided(rows);
  const outcome: CheckOutcome = hasRegression(rows) ? 'regressed' : unjudged.length > 0 ? 'cannot judge' : 'pass';
  const code = outcome === 'regressed' ? ExitCode.failed : outcome === 'cannot judge' ? ExitCode.usage : ExitCode.ok;
  if (config.json) {
    writeOutput(
      config.json,
      verdictJson(rows, { format: 'bench-check', outcome, exitCode: code, threshold: config.threshold, baseline: config.baseline, current: currentFile, warnings }),
      'check verdicts',
    );
  }
  // A gate that could not judge must not pass silently: say so, and exit 2.
  if (outcome === 'cannot judge') {
    log.error(`${unjudged.length} point(s) could not be judged (fewer than 2 valid trials on a side): run the baseline and the current sweep with --repeat 3 or more`);
  }
  return code;
}

/** `bench compare a.json b.json`: the same table, side by side; informational, always exit 0. */
export async function compareCommand(raw: RawOptions): Promise<number> {
  const config = parseCompareConfig(raw);
  claimStdout(config.json);
  const [a, b] = [readResults(config.a), readResults(config.b)];
  const warnings = comparabilityWarnings(a, b);
  const rows = comparePoints(a.trials, b.trials, { threshold: config.threshold });
  log.out(renderComparison(rows, { base: 'A', current: 'B', title: 'bench compare' }, config.threshold, warnings));
  if (config.json) writeOutput(config.json, verdictJson(rows, { format: 'bench-compare', threshold: config.threshold, a: config.a, b: config.b, warnings }), 'comparison');
  return ExitCode.ok;
}
