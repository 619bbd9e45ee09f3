import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { strategies } from '../../strategies/index.js';
import type { CopyContext } from '../../strategies/strategy.js';
import { qualified } from '../model/catalog.js';
import type { ConstraintStep } from '../engines/engine.js';
import { describeError, isAbortError, UnexpectedError } from '../base/errors.js';
import { startProcessSampler } from '../metrics/process-usage.js';
import type { Phase, TableResult, TrialMetrics, TrialResult, TrialSpec, ValidationRow } from '../model/trial.js';
import { runTasks, TaskFailedError, type TaskOutcome } from './schedule.js';
import { forEachLimited } from '../base/concurrency.js';
import { CopyWorkerPool } from '../workers/pool.js';
import { hostCores, startMetricsSampler, summarizeMetrics, type MetricsSampler } from '../metrics/sampler.js';
import { describeMismatch, validateCopy, validationPassed } from './validate.js';
import type { TrialEnvironment } from '../setup/run-context.js';

/**
 * One trial: reset the target, copy (the only timed region, with the post-load constraints timed on
 * their own), validate. Every failure becomes a TrialResult with its phase; only an interruption
 * propagates, after cleanup.
 */
export async function runTrial(spec: TrialSpec, env: TrialEnvironment): Promise<TrialResult> {
  const startedAt = new Date().toISOString();
  const strategy = strategies[spec.strategy];
  const supported = strategy.supports({ source: env.source.engine, target: env.target.engine });
  if (supported !== true) return { spec, startedAt, state: 'skipped', reason: supported };
  const available = (await strategy.available?.(env.tables)) ?? true;
  if (available !== true) return { spec, startedAt, state: 'skipped', reason: available };

  const workDir = join(env.workRoot, `trial-${spec.id.replace(/[^a-z0-9-]+/gi, '_')}`);
  const ctx: CopyContext = {
    source: env.source,
    target: env.target,
    params: spec.params,
    workDir,
    signal: env.signal,
    ...(env.urls ? { urls: env.urls } : {}),
  };
  let phase: Phase = 'schema';
  const seconds = { schema: 0, copy: 0, constraints: 0, validate: 0 };
  let progress = { rows: 0, bytes: 0, tasksDone: 0 };
  const t0 = performance.now();
  const report = () =>
    env.onProgress?.({ phase, ...progress, tasksTotal: env.tasks.length, elapsedSeconds: (performance.now() - t0) / 1000 });
  let metrics: TrialMetrics | undefined;
  let validation: ValidationRow[] | undefined;
  let pool: CopyWorkerPool | undefined;
  let resources: MetricsSampler | undefined;

  try {
    mkdirSync(workDir, { recursive: true, mode: 0o700 }); // spill files and passfiles: owner only
    const steps = env.target.constraintSteps(env.tables);
    seconds.schema = await time(async () => {
      await resetTarget(env);
      if (spec.constraints === 'before') await applyConstraints(env, steps, spec.parallelism);
    });

    phase = 'prepare';
    report();
    await strategy.prepare?.(ctx);
    const workers = spec.workers ?? 0;
    if (workers > 0 && strategy.defaultBatchSize !== undefined && env.workerSetup) {
      // Started before the timed region: threads and their connections are set-up, not copy time.
      pool = await CopyWorkerPool.start(Math.min(workers, spec.parallelism), { ...env.workerSetup, poolSize: Math.ceil(spec.parallelism / workers) + 1 });
    }

    phase = 'copy';
    report();
    const sampler = startProcessSampler();
    resources = startMetricsSampler({ servers: env.metricsProbes ?? [] });
    let outcomes: TaskOutcome[] = [];
    seconds.copy = await time(async () => {
      outcomes = await runTasks(
        env.tasks,
        { parallelism: spec.parallelism, byLevel: spec.constraints === 'before', signal: env.signal },
        async (task, signal) => {
          const onProgress = (rows: number, bytes: number) => {
            progress = { ...progress, rows: progress.rows + rows, bytes: progress.bytes + bytes };
          };
          const stats = pool
            ? await pool.run(spec.strategy, task, spec.params, workDir, signal, onProgress)
            : await strategy.copyTask({ ...ctx, signal, task, progress: onProgress });
          progress = { ...progress, tasksDone: progress.tasksDone + 1 };
          report();
          return stats;
        },
      );
    });

    phase = 'constraints';
    report();
    if (spec.constraints === 'after') seconds.constraints = await time(() => applyConstraints(env, steps, spec.parallelism));
    const stretch = injectedSlowdown(spec.strategy);
    if (stretch > 0) seconds.copy += await time(() => sleep((seconds.copy + seconds.constraints) * stretch * 1000, env.signal));
    const usage = sampler.stop();
    const samples = await resources.stop();
    const summary = summarizeMetrics(samples, hostCores());
    // The diagnosis is of the copy itself, where strategies differ; the index builds after it load the
    // target alike for every strategy and would blur the verdict. Whole-trial figures stay in `summary`.
    // The sampler started with the copy, so sample times count from the copy's start.
    const copySamples = samples.filter((x) => x.t <= seconds.copy + 0.5);
    const copySummary = copySamples.length >= 2 ? summarizeMetrics(copySamples, hostCores()) : summary;
    metrics = {
      ...buildMetrics(env, outcomes, seconds, usage),
      resources: { summary, copySummary, samples },
    };

    phase = 'validate';
    report();
    seconds.validate = await time(async () => {
      validation = await validateCopy(env.source, env.target, env.tables, {
        parallelism: Math.max(2, spec.parallelism),
        sourceCache: env.sourceFingerprints,
      });
    });
    metrics = { ...metrics, seconds: { ...metrics.seconds, validate: seconds.validate } };
    if (!validationPassed(validation!)) {
      return { spec, startedAt, state: 'failed', phase, error: describeMismatch(validation!), metrics, validation: validation! };
    }
    return { spec, startedAt, state: 'ok', metrics, validation: validation! };
  } catch (err) {
    // A fault elsewhere in the process (Lifecycle.fail) stops the command like Ctrl-C, but the trial it
    // cut short failed: it is recorded as such below, and the sweep stops before the next one.
    const fault = env.signal.reason instanceof UnexpectedError;
    if (!fault && (isAbortError(err) || (env.signal.aborted && !(err instanceof TaskFailedError)))) throw env.signal.reason ?? err;
    const failure = fault ? describeError(env.signal.reason) : err instanceof TaskFailedError ? `${err.taskId}: ${describeError(err.cause)}` : describeError(err);
    return {
      spec,
      startedAt,
      state: 'failed',
      phase,
      error: failure,
      ...(metrics ? { metrics } : {}),
      ...(validation ? { validation } : {}),
    };
  } finally {
    await resources?.stop().catch(() => undefined);
    await pool?.close().catch(() => undefined);
    await strategy.cleanup?.(ctx).catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Test hook, never set in normal use: BENCH_TEST_SLOWDOWN="native-bulk=0.2" makes that strategy's trials
 * 20% slower by really waiting (wall clock, inside the timed region). It is how the tests prove that
 * `bench check` flags a slowed strategy and stays quiet on an A/A run.
 */
function injectedSlowdown(strategy: string): number {
  const spec = process.env.BENCH_TEST_SLOWDOWN;
  if (!spec) return 0;
  for (const part of spec.split(',')) {
    const [name, fraction] = part.split('=');
    if (name?.trim() === strategy) return Math.max(0, Number(fraction) || 0);
  }
  return 0;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

export async function resetTarget(env: Pick<TrialEnvironment, 'source' | 'target' | 'tables'>): Promise<void> {
  await env.target.dropTables(env.tables.map((t) => ({ schema: t.schema, name: t.name })));
  await env.target.createTables(env.tables, env.source.engine);
  // Every trial starts from the same state: no checkpoint debt from the previous trial's WAL.
  await env.target.settle?.();
}

/**
 * Keys, checks and indexes table by table (a table's own steps in order, since ALTER TABLE locks it),
 * different tables in parallel; foreign keys last, once every referenced key exists.
 */
export async function applyConstraints(env: Pick<TrialEnvironment, 'source' | 'target'>, steps: readonly ConstraintStep[], parallelism: number): Promise<void> {
  const byTable = (list: readonly ConstraintStep[]) => {
    const groups = new Map<string, ConstraintStep[]>();
    for (const s of list) groups.set(qualified(s.table), [...(groups.get(qualified(s.table)) ?? []), s]);
    return [...groups.values()];
  };
  const run = (groups: ConstraintStep[][]) =>
    forEachLimited(groups, parallelism, async (group) => {
      for (const step of group) await env.target.applyConstraint(step, env.source.engine);
    });
  await run(byTable(steps.filter((s) => s.kind !== 'foreign-key')));
  await run(byTable(steps.filter((s) => s.kind === 'foreign-key')));
}

function buildMetrics(
  env: TrialEnvironment,
  outcomes: readonly TaskOutcome[],
  s: { schema: number; copy: number; constraints: number; validate: number },
  usage: TrialMetrics['process'],
): TrialMetrics {
  const tables: TableResult[] = env.tables.map((t) => {
    const mine = outcomes.filter((o) => qualified(o.task.source) === qualified(t));
    const rows = mine.reduce((n, o) => n + o.stats.rows, 0);
    const seconds = mine.length ? (Math.max(...mine.map((o) => o.endMs)) - Math.min(...mine.map((o) => o.startMs))) / 1000 : 0;
    return {
      table: qualified(t),
      rows,
      bytes: t.estimatedBytes,
      seconds,
      rowsPerSecond: seconds > 0 ? rows / seconds : 0,
      mbPerSecond: seconds > 0 ? t.estimatedBytes / 1e6 / seconds : 0,
      tasks: mine.length,
    };
  });
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  const bytes = tables.reduce((n, t) => n + t.bytes, 0);
  const total = s.copy + s.constraints;
  const counters: Record<string, number> = {};
  for (const o of outcomes) {
    for (const [k, v] of Object.entries(o.stats.counters ?? {})) counters[k] = (counters[k] ?? 0) + v;
  }
  return {
    seconds: { ...s, total },
    counters,
    notes: [...new Set(outcomes.flatMap((o) => (o.stats.note ? [o.stats.note] : [])))],
    rows,
    bytes,
    wireBytes: outcomes.reduce((n, o) => n + o.stats.bytes, 0),
    rowsPerSecond: total > 0 ? rows / total : 0,
    copyRowsPerSecond: s.copy > 0 ? rows / s.copy : 0,
    mbPerSecond: total > 0 ? bytes / 1e6 / total : 0,
    tables,
    process: usage,
  };
}
