import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { comparePoints, DEFAULT_THRESHOLD, hasRegression, undecided } from '../analysis/regression.js';
import type { RawOptions } from '../config/options.js';
import { ConfigError, ExitCode } from '../base/errors.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { readResults } from '../results/results-file.js';
import { renderComparison } from '../../reports/regression-table.js';
import { sweepCommand } from './sweep.js';

function thresholdOf(raw: RawOptions): number {
  if (raw.threshold === undefined) return DEFAULT_THRESHOLD;
  const n = Number(String(raw.threshold).replace(/%$/, ''));
  if (!Number.isFinite(n) || n <= 0 || n >= 100) throw new ConfigError([`--threshold is ${String(raw.threshold)}; give a percentage above 0 and below 100, e.g. 10`]);
  return n / 100;
}

/**
 * `bench check --baseline base.json [--current cur.json]`: exit 1 when a point regressed or is missing
 * (analysis/regression.ts states the rule), 2 when a point cannot be judged, 0 otherwise. Without --current it runs the sweep described by the other options first.
 */
export async function checkCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  if (raw.baseline === undefined) throw new ConfigError(['--baseline FILE is required (a results.json from an earlier sweep)']);
  const threshold = thresholdOf(raw);
  const base = readResults(resolve(String(raw.baseline)));
  let currentFile = raw.current === undefined ? undefined : resolve(String(raw.current));
  if (!currentFile) {
    const out = resolve(String(raw.out ?? 'bench-results/check'));
    const code = await sweepCommand({ ...raw, out, fresh: raw.resume !== true }, lifecycle);
    if (code === ExitCode.interrupted) return code;
    currentFile = join(out, 'results.json');
  }
  const current = readResults(currentFile);
  const rows = comparePoints(base.trials, current.trials, { threshold });
  const summary = renderComparison(rows, { base: 'baseline', current: 'current', title: 'bench check' }, threshold);
  log.out(summary);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${summary}\n`);
  if (hasRegression(rows)) return ExitCode.failed;
  // A gate that could not judge must not pass silently: say so, and exit 2.
  const unjudged = undecided(rows);
  if (unjudged.length > 0) {
    log.error(`${unjudged.length} point(s) could not be judged (fewer than 2 valid trials on a side): run the baseline and the current sweep with --repeat 3 or more`);
    return ExitCode.usage;
  }
  return ExitCode.ok;
}

/** `bench compare a.json b.json`: the same table, side by side; informational, always exit 0. */
export async function compareCommand(raw: RawOptions): Promise<number> {
  const [a, b] = [resolve(String(raw.a)), resolve(String(raw.b))];
  const rows = comparePoints(readResults(a).trials, readResults(b).trials, { threshold: thresholdOf(raw) });
  log.out(renderComparison(rows, { base: 'A', current: 'B', title: 'bench compare' }, thresholdOf(raw)));
  return ExitCode.ok;
}
