import { newDockerClient } from '../providers/docker-engine.js';
import { exporters, unappliedSettings } from '../../profiles/export.js';
import { builtInProfileNames, loadProfile, type Profile } from '../../profiles/profile.js';
import type { RawOptions } from '../config/options.js';
import { parseExportConfig, parseProfileListConfig } from '../config/command-options.js';
import { BenchError, ExitCode } from '../base/errors.js';
import { log } from '../base/log.js';
import { readInput, STDIO, writeOutput } from '../base/output.js';
import { classifyPlatform, detectPlatform } from '../platform/detect.js';
import { readResults } from '../results/results-file.js';
import { analyzeTrials } from '../analysis/sweep-analysis.js';
import { renderProfileList } from '../../reports/terminal-setup.js';
import { recommendationOf } from '../analysis/recommend.js';

/**
 * `bench profile export [ref] --format postgresql-conf|airflow-env|json [--role source|target] [--point P] [--out file]`.
 * REF is a built-in profile, a profile file, or a sweep's results.json (its winner, or --point) or
 * profile.json; without one, the profile `bench detect` recommends for this machine. Says on stderr
 * which it exported.
 */
export async function profileExportCommand(raw: RawOptions): Promise<number> {
  const config = parseExportConfig(raw);
  const profile = await profileToExport(config.ref, config.point);
  const options = config.role ? { role: config.role } : {};
  const text = exporters[config.format](profile, options);
  writeOutput(config.out, text, `${config.format} export`);
  const unapplied = config.format === 'postgresql-conf' ? unappliedSettings(profile, options) : [];
  if (unapplied.length > 0) log.warn(`${unapplied.join(', ')} ${unapplied.length === 1 ? 'is' : 'are'} written commented out: ${unapplied.length === 1 ? 'it risks' : 'they risk'} the data for speed (the file says what); uncomment only if you accept that`);
  if (config.out !== STDIO) log.info(`wrote ${config.out}`);
  return ExitCode.ok;
}

async function profileToExport(ref: string | undefined, point: string | undefined): Promise<Profile> {
  if (ref === undefined) {
    if (point !== undefined) throw new BenchError('--point picks a point of a sweep: give the sweep\'s results.json as REF', { exitCode: ExitCode.usage });
    const verdict = classifyPlatform(await detectPlatform({ docker: newDockerClient() }));
    log.info(`no profile or results given: this machine looks like ${verdict.kind}, exporting the built-in ${verdict.profile} profile (a starting point, not a measurement: give a sweep's results.json to export what it found)`);
    return loadProfile(verdict.profile);
  }
  if (isResultsFile(ref)) {
    const results = readResults(ref);
    const analysis = analyzeTrials(results.trials, results.sweep?.levers);
    const chosen = point === undefined ? analysis.best : analysis.points.find((p) => p.point === point && p.kind === 'strategy');
    if (!chosen) {
      throw new BenchError(
        point === undefined
          ? `${ref}: no point of the sweep passed every trial, so there is no winner to export (see its report)`
          : `${ref} has no point ${point} of bench's; its points are ${analysis.points.filter((p) => p.kind === 'strategy').map((p) => p.point).join(', ')}`,
        { exitCode: point === undefined ? ExitCode.failed : ExitCode.usage },
      );
    }
    const profile = recommendationOf(results, analysis, chosen)!;
    log.info(`exporting ${point === undefined ? "the sweep's winner" : 'the point'} ${chosen.point} of ${ref === STDIO ? 'the results on stdin' : ref}${chosen.stats ? ` (${Math.round(chosen.stats.rowsPerSecond.median).toLocaleString('en-US')} rows/s, median of ${chosen.stats.samples})` : ''}`);
    return profile;
  }
  if (point !== undefined) throw new BenchError(`--point picks a point of a sweep's results.json; ${ref} is a profile`, { exitCode: ExitCode.usage });
  const profile = loadProfile(ref);
  const r = profile.recommendation;
  log.info(
    r
      ? `exporting ${ref}: the winner ${r.point} of the sweep on ${r.host} at ${r.measuredAt} (${Math.round(r.rowsPerSecond).toLocaleString('en-US')} rows/s, median of ${r.trials})`
      : `exporting the profile ${profile.name}${profile.description ? `: ${profile.description.split('. ')[0]!.replace(/\.$/, '')}` : ''}`,
  );
  return profile;
}

/** A results file says so in its first field; a profile never has a `format`. */
function isResultsFile(ref: string): boolean {
  if (ref === STDIO) return true;
  if (!ref.endsWith('.json') && !ref.includes('/')) return false; // a built-in profile's name
  try {
    return (JSON.parse(readInput(ref, 'file')) as { format?: unknown }).format === 'bench-results';
  } catch {
    return false; // loadProfile says what is wrong with it
  }
}

/** `bench profile list`: the built-in profiles and what each is for. */
export async function profileListCommand(raw: RawOptions): Promise<number> {
  const config = parseProfileListConfig(raw);
  const profiles = builtInProfileNames().map((name) => loadProfile(name));
  if (config.json) {
    writeOutput(config.json, `${JSON.stringify(profiles.map((p) => ({ name: p.name, kind: p.platform?.kind ?? 'general', description: p.description ?? '' })), null, 2)}\n`, 'profile list');
    return ExitCode.ok;
  }
  log.out(renderProfileList(profiles, process.stdout.columns ?? 100));
  log.info('apply one with --profile NAME; export it with `bench profile export NAME --format postgresql-conf`');
  return ExitCode.ok;
}
