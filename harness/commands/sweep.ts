import { rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseSweepConfig, type RawOptions, type SweepConfig } from '../config/options.js';
import { openCopySetup, datasetOf, trialBase, type CopySetup } from '../setup/open-run.js';
import type { TableFingerprint } from '../engines/engine.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { throwIfAborted } from '../base/errors.js';
import { log } from '../base/log.js';
import { partitionTasks } from '../plan/partition.js';
import type { PeerResult, TrialResult, TrialSpec } from '../model/trial.js';
import { runPeer } from '../trial/run-peer.js';
import { adaptiveSearch, type AdaptiveOutcome } from '../analysis/adaptive-search.js';
import { peers } from '../peers/index.js';
import { runTrial } from '../trial/run-trial.js';
import { expandSweep } from '../plan/expand-sweep.js';
import { TrialLog } from '../results/trial-log.js';
import type { CopyTask } from '../model/task.js';
import { sweepProgress } from '../../reports/progress.js';
import { readResults, RESULTS_FORMAT, RESULTS_VERSION, writeResults, type ResultsFile } from '../results/results-file.js';
import { analyzeTrials } from '../analysis/points.js';
import { renderSweepSummary } from '../../reports/terminal.js';
import { writeReport } from '../../reports/write-report.js';
import { configRecord, exitCodeOf } from './run.js';
import { fmt } from '../../reports/format.js';
import { loadProfile } from '../../profiles/profile.js';
import { classifyPlatform, detectPlatform, formatPlatformRows, type PlatformClass, type PlatformInfo } from '../platform/detect.js';

/**
 * `bench sweep`: expand the grid into trials, run each (reset, copy, validate), append each result to
 * trials.jsonl as it finishes, then write results.json, report.md, charts and the recommended profile.
 * An interruption still writes the report of what finished, then exits 130.
 */
export async function sweepCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const platform = await detectPlatformSafely();
  const platformProfile = platform ? loadProfile(platform.classification.profile) : undefined;
  let adaptive: AdaptiveOutcome | undefined;
  const config = parseSweepConfig(raw, raw.profile === undefined ? platformProfile?.sweep : undefined);
  const setup = await openCopySetup(
    config.server,
    { tables: config.copy.tables, spillDir: config.copy.spillDir, poolSize: config.copy.poolSize },
    lifecycle,
  );
  lifecycle.defer('remove spill files', () => rmSync(setup.workRoot, { recursive: true, force: true }));
  const specs = expandSweep(config.grid);
  const log_ = TrialLog.open(config.outDir, sweepFingerprint(config, setup), { resume: config.resume, fresh: config.fresh });
  // Finished trials by id: skipped by a grid, replayed to an adaptive search (it then retraces its path).
  // A trial that failed is not finished: --resume runs it again (log_.done).
  const finished = new Map(log_.done.map((t) => [t.spec.id, t]));
  const todo = specs.filter((s) => !finished.has(s.id));
  log.info(
    `sweep: ${specs.length} trials (${config.grid.strategies.length} strategies × parallelism ${config.grid.parallelism.join(',')} × partitions ${config.grid.partitions.join(',')}, ` +
      `${config.grid.repeat} repeat${config.grid.repeat > 1 ? 's' : ''}) over ${setup.tables.length} tables from ${setup.dbs.source.display}` +
      (finished.size > 0 || log_.retried > 0 ? `; resuming: ${finished.size} already done` : '') +
      (log_.retried > 0 ? `, ${log_.retried} failed trial${log_.retried > 1 ? 's' : ''} run again` : ''),
  );
  log.info(`results go to ${config.outDir}`);

  const results: TrialResult[] = [...log_.done];
  const base = trialBase(setup, lifecycle.signal);
  const taskLists = new Map<number, Promise<CopyTask[]>>();
  const tasksFor = (spec: TrialSpec) => {
    const parts = spec.partitions ?? 1;
    if (!taskLists.has(parts)) {
      taskLists.set(parts, partitionTasks(setup.dbs.source, setup.tasks, { partitions: parts, minRows: config.copy.partitionMinRows }));
    }
    return taskLists.get(parts)!;
  };

  const peerResults: PeerResult[] = [...log_.donePeers];
  const peerKey = (name: string, p: number, r: number) => `${name}/p${p}#${r}`;
  const peersDone = new Set(peerResults.map((r) => peerKey(r.peer, r.parallelism, r.repetition)));
  const peerRuns = config.peers.flatMap((name) =>
    config.peerParallelism.flatMap((p) =>
      Array.from({ length: config.grid.repeat }, (_, i) => ({ name, parallelism: p, repetition: i + 1 })),
    ),
  ).filter((r) => !peersDone.has(peerKey(r.name, r.parallelism, r.repetition)));

  const started = performance.now();
  let complete = false;
  try {
    const progress = sweepProgress(todo.length);
    for (const [i, run] of peerRuns.entries()) {
      // Peers first: a missing tool shows up in seconds, not at the end of a long sweep.
      log.status(`peer ${i + 1}/${peerRuns.length} · ${run.name} p${run.parallelism} #${run.repetition}`);
      const result = await runPeer(peers[run.name], run.parallelism, run.repetition, {
        ...base,
        sourceUrl: setup.handles.source.url,
        targetUrl: setup.handles.target.url,
      });
      log_.append(result);
      peerResults.push(result);
      log.info(
        `[peer] ${run.name}/p${run.parallelism}#${run.repetition}: ` +
          (result.state === 'ok'
            ? `${Math.round(result.rowsPerSecond).toLocaleString('en-US')} rows/s, ${result.seconds.total.toFixed(2)} s, valid`
            : result.state === 'failed'
              ? `FAILED in ${result.phase}: ${result.error}`
              : `skipped: ${result.reason}`),
      );
    }
    let index = 0;
    const execute = async (spec: TrialSpec): Promise<TrialResult> => {
      // Ctrl-C or an unexpected fault stopped the command: no further trial starts.
      throwIfAborted(lifecycle.signal);
      const earlier = finished.get(spec.id);
      if (earlier) return earlier;
      const result = await runTrial(spec, { ...base, tasks: await tasksFor(spec), onProgress: progress.trial(index, spec) });
      index += 1;
      log_.append(result);
      results.push(result);
      finished.set(spec.id, result);
      progress.finished(result);
      return result;
    };
    if (config.search === 'adaptive') {
      const start = config.server.profile.platform?.tasks ?? platformProfile?.platform?.tasks ?? config.grid.parallelism[0] ?? 1;
      adaptive = await adaptiveSearch(config.grid, start, execute);
      log.info(`adaptive search: ${adaptive.trials} trials where the grid needs ${adaptive.gridTrials}`);
    } else {
      for (const spec of todo) await execute(spec);
    }
    complete = true;
  } finally {
    // Runs on success, failure and Ctrl-C alike: whatever finished is reported.
    const finishedHere = results.length - log_.done.length;
    if (results.length > 0) {
      await finalize(config, setup, results, peerResults, base.sourceFingerprints, platform, adaptive, {
        planned: specs.length,
        complete,
        seconds: (performance.now() - started) / 1000,
      }).catch((err: unknown) => log.error(`could not write the sweep report: ${(err as Error).message} (trials are kept in ${log_.file})`));
    }
    if (!complete) log.info(`${finishedHere} trial(s) finished in this run are kept in ${log_.file}; rerun with --resume to continue`);
  }
  return exitCodeOf(results);
}

async function finalize(
  config: SweepConfig,
  setup: CopySetup,
  trials: readonly TrialResult[],
  peerResults: readonly PeerResult[],
  fingerprints: ReadonlyMap<string, TableFingerprint>,
  platform: { info: PlatformInfo; classification: PlatformClass; summary: string } | undefined,
  adaptive: AdaptiveOutcome | undefined,
  run: { planned: number; complete: boolean; seconds: number },
): Promise<void> {
  const results: ResultsFile = {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    command: config.quick ? 'quick' : 'sweep',
    createdAt: new Date().toISOString(),
    environment: setup.environment,
    dataset: datasetOf(setup, fingerprints),
    config: { ...configRecord({ server: config.server, copy: config.copy }), profileServer: config.server.profile.server, search: config.search },
    trials,
    ...(peerResults.length > 0 ? { peers: peerResults } : {}),
    ...(platform ? { platform: { summary: platform.summary, classification: platform.classification, info: platform.info } } : {}),
    sweep: {
      strategies: config.grid.strategies,
      parallelism: config.grid.parallelism,
      partitions: config.grid.partitions,
      batchSizes: config.grid.batchSizes.map((b) => b ?? null),
      repeat: config.grid.repeat,
      constraints: config.grid.constraints,
      trialsPlanned: run.planned,
      complete: run.complete,
      seconds: run.seconds,
      search: config.search,
      ...(adaptive ? { adaptive: { trials: adaptive.trials, gridTrials: adaptive.gridTrials, steps: adaptive.steps, ...(await versusGrid(config, trials)) } } : {}),
    },
  };
  const json = join(config.outDir, 'results.json');
  writeResults(json, results);
  const report = await writeReport(config.outDir, results);
  log.out(renderSweepSummary(report.analysis, report.peers));
  log.info(`report: ${report.markdown}`);
  log.info(`results: ${json}`);
  for (const c of report.charts) log.info(`chart: ${c}`);
  if (report.profile) log.info(`recommended profile: ${report.profile} (apply with: bench run --profile ${report.profile})`);
  log.info(`sweep time: ${fmt.secs(run.seconds)} s`);
}

/**
 * `bench detect`'s verdict, recorded with the results; its profile supplies the first grid when no
 * --profile is given (Mac: up to 64 tasks; WSL2: 8). Detection failing never stops a sweep.
 */
async function detectPlatformSafely(): Promise<{ info: PlatformInfo; classification: PlatformClass; summary: string } | undefined> {
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
async function versusGrid(config: SweepConfig, trials: readonly TrialResult[]): Promise<{ versus?: { file: string; gridBest: string; gridRowsPerSecond: number; adaptiveBest: string; adaptiveRowsPerSecond: number; gap: number; gridTrials: number } }> {
  if (!config.versus) return {};
  const grid = await analyzeTrials(readResults(config.versus).trials);
  const mine = await analyzeTrials(trials);
  const g = grid.best?.stats?.rowsPerSecond.median;
  const a = mine.best?.stats?.rowsPerSecond.median;
  if (!g || !a) return {};
  return {
    versus: { file: config.versus, gridBest: grid.best!.point, gridRowsPerSecond: g, adaptiveBest: mine.best!.point, adaptiveRowsPerSecond: a, gap: a / g - 1, gridTrials: grid.trials.ok + grid.trials.failed + grid.trials.skipped },
  };
}

/** What must not change between a sweep and its --resume: the grid, the data's shape, where servers come from. */
function sweepFingerprint(config: SweepConfig, setup: CopySetup): string {
  // Not the repeat count: `--resume --repeat 5` adds repetitions to an earlier sweep of the same grid.
  const { repeat: _repeat, ...grid } = config.grid;
  const material = {
    grid,
    tables: setup.tables.map((t) => [t.schema, t.name, t.columns.map((c) => c.name)]),
    source: setup.dbs.source.display,
    target: setup.dbs.target.display,
    settings: config.server.profile.server,
    peers: [config.peers, config.peerParallelism],
    partitionMinRows: config.copy.partitionMinRows,
  };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex').slice(0, 16);
}
