import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { RawOptions } from '../config/options.js';
import { parseSweepCommandConfig, type SweepCommandConfig } from '../config/command-options.js';
import { openRun, datasetOf } from '../setup/open-run.js';
import { targetSettingsSwitcher } from '../setup/server-settings.js';
import type { OpenedRun, RunContext } from '../setup/run-context.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { throwIfAborted } from '../base/errors.js';
import { log } from '../base/log.js';
import type { TrialResult, TrialSpec } from '../model/trial.js';
import { adaptiveSearch, type AdaptiveOutcome } from '../analysis/adaptive-search.js';
import { disposePeers } from '../peers/index.js';
import { runTrial } from '../trial/run-trial.js';
import { expandSweep } from '../plan/expand-sweep.js';
import { TrialLog } from '../results/trial-log.js';
import { sweepProgress } from '../../reports/progress.js';
import { readResults, RESULTS_FORMAT, RESULTS_VERSION, writeResults, type LeverOrder, type ResultsFile } from '../results/results-file.js';
import { analyzeTrials } from '../analysis/sweep-analysis.js';
import { renderSweepSummary } from '../../reports/terminal.js';
import { writeExports, writeReport } from '../../reports/write-report.js';
import { withPointRecords } from '../analysis/point-records.js';
import { claimStdout } from '../base/output.js';
import { configRecord, exitCodeOf } from '../results/run-record.js';
import { fmt } from '../../reports/format.js';
import { loadProfile } from '../../profiles/profile.js';
import { classifyPlatform, detectPlatform, formatPlatformRows, type PlatformClass, type PlatformInfo } from '../platform/detect.js';

type DetectedPlatform = { info: PlatformInfo; classification: PlatformClass; summary: string };

/**
 * `bench sweep`: expand the plan (bench's points and the peer tools, warm-up rounds first, then the
 * measured rounds), run each trial through the one trial pipeline, append each result to trials.jsonl as
 * it finishes, then write results.json, report.md, charts and the recommended profile. An interruption
 * still writes the report of what finished, then exits 130.
 */
export async function sweepCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const platform = await detectPlatformSafely();
  const platformProfile = platform ? loadProfile(platform.classification.profile) : undefined;
  const config = parseSweepCommandConfig(raw, raw.profile === undefined ? platformProfile?.sweep : undefined);
  claimStdout(config.exports.csv, config.exports.markdown);
  const run = await openRun(
    config.server,
    { tables: config.copy.tables, spillDir: config.copy.spillDir, partitionMinRows: config.copy.partitionMinRows, maxParallelism: Math.max(...config.grid.parallelism) },
    lifecycle,
  );
  lifecycle.defer('remove the peers\' files', () => disposePeers());
  const plan = expandSweep(config.grid);
  const trialLog = TrialLog.open(config.outDir, sweepFingerprint(config, run), { resume: config.resume, fresh: config.fresh });
  // Measured trials already finished (a resumed sweep) are kept; a trial that failed is not finished:
  // --resume runs it again (trialLog.done). Warm-ups are re-run whenever a contender still has measured
  // trials ahead, since the machine may have gone cold in between.
  const finished = new Map(trialLog.done.filter((t) => !t.spec.warmup).map((t) => [t.spec.id, t]));
  const todo = withoutNeedlessWarmups(plan.filter((s) => !finished.has(s.id)));
  const g = config.grid;
  const levers = leversOf(g);
  log.info(
    `sweep: ${config.search === 'adaptive' ? `adaptive search, at most ${plan.length}` : plan.length} trials (${g.strategies.length} strategies × parallelism ${g.parallelism.join(',')} × partitions ${g.partitions.join(',')}` +
      `${levers.constraints ? ` × constraints ${levers.constraints.join(',')}` : ''}${levers.freeze ? ` × freeze ${levers.freeze.join(',')}` : ''}` +
      `${levers.settings ? ` × ${levers.settings.length} sets of server settings` : ''}` +
      `${g.peers.length ? ` and ${g.peers.length} peer tool${g.peers.length > 1 ? 's' : ''}` : ''}; ${g.warmup} warm-up and ${g.repeat} measured round${g.repeat > 1 ? 's' : ''}, interleaved) ` +
      `over ${run.tables.length} tables from ${run.source.display}` +
      (finished.size > 0 || trialLog.retried > 0 ? `; resuming: ${finished.size} already done` : '') +
      (trialLog.retried > 0 ? `, ${trialLog.retried} failed trial${trialLog.retried > 1 ? 's' : ''} run again` : ''),
  );
  log.info(`results go to ${config.outDir}`);

  const results: TrialResult[] = [...finished.values()];
  const started = performance.now();
  let adaptive: AdaptiveOutcome | undefined;
  let complete = false;
  try {
    const switchSettings = targetSettingsSwitcher(config.server, run, lifecycle);
    const execute = trialExecutor(run, trialLog, finished, results, todo.length, config.search === 'adaptive', (spec) => switchSettings(spec.serverSettings));
    if (config.search === 'adaptive') {
      const start = config.server.profile.platform?.tasks ?? platformProfile?.platform?.tasks ?? g.parallelism[0] ?? 1;
      for (const spec of todo.filter((s) => s.kind === 'peer')) await execute(spec);
      adaptive = await adaptiveSearch({ ...g, peers: [] }, start, execute);
      log.info(`adaptive search: ${adaptive.trials} trials where the grid needs ${adaptive.gridTrials}`);
    } else {
      for (const spec of todo) await execute(spec);
    }
    complete = true;
  } finally {
    // Runs on success, failure and Ctrl-C alike: whatever finished is reported.
    if (results.some((r) => !r.spec.warmup)) {
      await finalize(config, run, results, platform, adaptive, { planned: plan.length, complete, seconds: (performance.now() - started) / 1000 }).catch((err: unknown) =>
        log.error(`could not write the sweep report: ${(err as Error).message} (trials are kept in ${trialLog.file})`),
      );
    }
    if (!complete) log.info(`the trials finished so far are kept in ${trialLog.file}; rerun with --resume to continue`);
  }
  return exitCodeOf(results);
}

/**
 * Runs one planned trial (or replays a finished one on --resume), logs it, and passes each contender's
 * last duration on as the next trial's expected length, which sets how often that trial is sampled.
 */
function trialExecutor(
  run: RunContext,
  trialLog: TrialLog,
  finished: Map<string, TrialResult>,
  results: TrialResult[],
  total: number,
  adaptive: boolean,
  beforeTrial: (spec: TrialSpec) => Promise<void>,
): (spec: TrialSpec) => Promise<TrialResult> {
  const progress = sweepProgress(total, { adaptive });
  const lastSeconds = new Map<string, number>();
  let index = 0;
  return async (spec) => {
    // Ctrl-C or an unexpected fault stopped the command: no further trial starts.
    throwIfAborted(run.signal);
    const earlier = finished.get(spec.id);
    if (earlier) return earlier;
    await beforeTrial(spec);
    const result = await runTrial(spec, run, { onProgress: progress.trial(index, spec), ...(lastSeconds.has(spec.point) ? { expectedSeconds: lastSeconds.get(spec.point)! } : {}) }).catch((err: unknown) => {
      progress.stop(); // interrupted: no status line over what follows
      throw err;
    });
    index += 1;
    if (result.state !== 'skipped' && result.metrics) lastSeconds.set(spec.point, result.metrics.seconds.total);
    trialLog.append(result);
    if (!spec.warmup) {
      results.push(result);
      finished.set(spec.id, result);
    }
    progress.finished(result);
    return result;
  };
}

/** A warm-up is only worth running for a contender that still has a measured trial to run. */
function withoutNeedlessWarmups(todo: readonly TrialSpec[]): TrialSpec[] {
  const pending = new Set(todo.filter((s) => !s.warmup).map((s) => s.point));
  return todo.filter((s) => !s.warmup || pending.has(s.point));
}

async function finalize(
  config: SweepCommandConfig,
  run: OpenedRun,
  trials: readonly TrialResult[],
  platform: DetectedPlatform | undefined,
  adaptive: AdaptiveOutcome | undefined,
  sweep: { planned: number; complete: boolean; seconds: number },
): Promise<void> {
  const results: ResultsFile = {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    command: config.quick ? 'quick' : 'sweep',
    createdAt: new Date().toISOString(),
    environment: run.environment,
    dataset: datasetOf(run),
    config: { ...configRecord({ server: config.server, copy: config.copy }), profileServer: config.server.profile.server, search: config.search },
    trials,
    ...(platform ? { platform: { summary: platform.summary, classification: platform.classification, info: platform.info } } : {}),
    sweep: {
      strategies: config.grid.strategies,
      parallelism: config.grid.parallelism,
      partitions: config.grid.partitions,
      batchSizes: config.grid.batchSizes.map((b) => b ?? null),
      repeat: config.grid.repeat,
      warmup: config.grid.warmup,
      peers: config.grid.peers,
      peerParallelism: config.grid.peerParallelism,
      constraints: config.grid.constraints,
      levers: leversOf(config.grid),
      trialsPlanned: sweep.planned,
      complete: sweep.complete,
      seconds: sweep.seconds,
      search: config.search,
      ...(adaptive ? { adaptive: { trials: adaptive.trials, gridTrials: adaptive.gridTrials, steps: adaptive.steps, ...(await versusGrid(config, trials)) } } : {}),
    },
  };
  const json = join(config.outDir, 'results.json');
  const full = withPointRecords(results);
  writeResults(json, full);
  const report = await writeReport(config.outDir, full);
  writeExports(config.exports, full);
  log.out(renderSweepSummary(report.analysis));
  log.info(`report: ${report.markdown}`);
  log.info(`results: ${json}`);
  for (const c of report.charts) log.info(`chart: ${c}`);
  if (report.profile) log.info(`recommended profile: ${report.profile} (for the servers: bench profile export ${report.profile} --format postgresql-conf; for bench: bench run --profile ${report.profile})`);
  log.info(`sweep time: ${fmt.secs(sweep.seconds)} s`);
}

/**
 * `bench detect`'s verdict, recorded with the results; its profile supplies the first grid when no
 * --profile is given (Mac: up to 64 tasks; WSL2: 8). Detection failing never stops a sweep.
 */
async function detectPlatformSafely(): Promise<DetectedPlatform | undefined> {
  try {
    const info = await detectPlatform({});
    const classification = classifyPlatform(info);
    // In the report (with its warnings); on the terminal only with -v, to keep a sweep's output short.
    log.debug(`platform: ${classification.kind}; starting profile ${classification.profile}`);
    for (const w of classification.warnings) log.debug(`platform warning: ${w}`);
    const summary = `${classification.kind} (${formatPlatformRows(info).map(([k, v]) => `${k}: ${v}`).filter((l) => /^(OS|architecture|virtualization|WSL2|container)/.test(l)).join('; ')})`;
    return { info, classification, summary };
  } catch (err) {
    log.debug(`platform detection failed (${(err as Error).message}); using the default grid`);
    return undefined;
  }
}

/** With --versus GRID.json: how close the adaptive search's best came to a full grid's best. */
async function versusGrid(config: SweepCommandConfig, trials: readonly TrialResult[]): Promise<{ versus?: { file: string; gridBest: string; gridRowsPerSecond: number; adaptiveBest: string; adaptiveRowsPerSecond: number; gap: number; gridTrials: number } }> {
  if (!config.versus) return {};
  const grid = analyzeTrials(readResults(config.versus).trials);
  const mine = analyzeTrials(trials);
  const g = grid.best?.stats?.rowsPerSecond.median;
  const a = mine.best?.stats?.rowsPerSecond.median;
  if (!g || !a) return {};
  return {
    versus: { file: config.versus, gridBest: grid.best!.point, gridRowsPerSecond: g, adaptiveBest: mine.best!.point, adaptiveRowsPerSecond: a, gap: a / g - 1, gridTrials: grid.trials.ok + grid.trials.failed + grid.trials.skipped },
  };
}

/** What must not change between a sweep and its --resume: the grid, the data's shape, where servers come from. */
function sweepFingerprint(config: SweepCommandConfig, run: OpenedRun): string {
  // Not the repeat or warm-up counts: `--resume --repeat 5` adds repetitions to an earlier sweep of the same grid.
  const { repeat: _repeat, warmup: _warmup, ...grid } = config.grid;
  const material = {
    grid,
    tables: run.tables.map((t) => [t.schema, t.name, t.columns.map((c) => c.name)]),
    source: run.source.display,
    target: run.target.display,
    settings: config.server.profile.server,
    partitionMinRows: config.copy.partitionMinRows,
  };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex').slice(0, 16);
}

/** The levers this sweep varies, each value in the order given (the report compares with the first). */
function leversOf(grid: SweepCommandConfig['grid']): LeverOrder {
  const settings = grid.serverSettings ?? [];
  return {
    ...(settings.length > 1 ? { settings: settings.map((s) => s.label) } : {}),
    ...(grid.constraintModes ? { constraints: [...grid.constraintModes] } : {}),
    ...(grid.freezeModes ? { freeze: grid.freezeModes.map((f) => (f ? 'on' : 'off')) } : {}),
  };
}
