import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeError, isAbortError, UnexpectedError } from '../base/errors.js';
import type { TrialProgress } from '../model/run.js';
import type { ConcurrencyRecord, Phase, TrialResult, TrialSpec, ValidationRow } from '../model/trial.js';
import type { TargetSchema } from '../model/target-schema.js';
import type { CopyContext } from '../../strategies/strategy.js';
import type { RunContext } from '../setup/run-context.js';
import type { SourceSnapshot } from '../model/database.js';
import { applySchemaSteps, LoadGate, type StepOptions } from './constraints.js';
import { contenderFor, contextOf, type Contender, type CopyOutcome, type ProgressSink } from './contender.js';
import { recordMetrics, type PhaseSeconds } from './record.js';
import { clearTarget } from './reset.js';
import { openSampling, type TrialSampling } from './sample.js';
import { TaskFailedError } from './schedule.js';
import { describeMismatch, validateCopy, validationPassed } from './validate.js';

export interface TrialOptions {
  readonly onProgress?: (p: TrialProgress) => void;
  /** Copy + constraint seconds the contender took last time (its warm-up): sets how often to sample. */
  readonly expectedSeconds?: number;
  /**
   * The clock phases are timed with, in milliseconds (default performance.now). Tests pass a slowed
   * one to prove what a slowdown does to a verdict; nothing else does.
   */
  readonly clock?: () => number;
}

/**
 * One trial of any contender, bench's strategies and peer tools alike: reset → prepare → timed copy →
 * constraints (timed with the copy) → validate → record. Every failure becomes a TrialResult with its
 * phase; only an interruption propagates, after cleanup. Samplers, workers, the source snapshot and
 * scratch files are released in `finally`, whatever happened.
 *
 * One snapshot per trial: prepare (untimed) exports one on the source, and every source read of the
 * trial imports it (each task's session, worker threads' included, the peers' tools, and validation's
 * source side), so the copy and its check see the same rows however the source is written meanwhile.
 */
export async function runTrial(spec: TrialSpec, run: RunContext, options: TrialOptions = {}): Promise<TrialResult> {
  const startedAt = new Date().toISOString();
  const contender = contenderFor(spec, run);
  const usable = await contender.check();
  if (usable !== true) return { spec, startedAt, state: 'skipped', reason: usable };

  const workDir = join(run.workRoot, `trial-${spec.id.replace(/[^a-z0-9-]+/gi, '_')}`);
  const trial: Trial = {
    spec,
    run,
    contender,
    clock: options.clock ?? (() => performance.now()),
    seconds: { clear: 0, schema: 0, copy: 0, constraints: 0, validate: 0 },
    progress: trialProgress(options.onProgress, () => trial.phase, () => contender.tasks().length || run.tables.length),
    phase: 'schema',
    ctx: contextOf(spec, run, workDir),
  };
  try {
    mkdirSync(workDir, { recursive: true, mode: 0o700 }); // spill files and passfiles: owner only
    const schema = await run.targetSchema(); // planned once per command, before any timing
    await timed(trial, 'clear', () => clearTarget(run, schema));
    await timed(trial, 'schema', async () => {
      await schema.create(contender.targetSetup);
      // Keys and indexes before the load; what must not see the load (triggers…) still waits for it.
      if (contender.constraints === 'before') await applySchemaSteps(schema, schema.steps.filter((s) => !s.afterLoad), stepOptions(trial));
    });
    enter(trial, 'prepare');
    const sampling = await prepareTrial(trial, options.expectedSeconds);
    enter(trial, 'copy');
    const { copy, servers } = await copyPhase(trial, schema, sampling);
    enter(trial, 'constraints');
    await constraintsPhase(trial, schema);
    const { usage, samples } = await sampling.stop();
    enter(trial, 'validate');
    const validation = await timed(trial, 'validate', () =>
      validateCopy(run.source, run.target, run.tables, { parallelism: Math.max(2, spec.parallelism), sourceCache: run.sourceFingerprints, ...(trial.ctx.snapshot ? { snapshot: trial.ctx.snapshot } : {}) }),
    );
    trial.validation = validation;
    // Validation has read the source: the snapshot can go (holding it holds back the source's vacuum).
    await trial.snapshot?.release();
    const metrics = recordMetrics({
      tables: run.tables,
      tasks: contender.tasks(),
      copy,
      seconds: trial.seconds,
      usage: usage!,
      samples: spec.warmup ? [] : samples,
      concurrency: concurrencyOf(spec, copy, servers),
      validation,
    });
    if (!validationPassed(validation)) return { spec, startedAt, state: 'failed', phase: trial.phase, error: describeMismatch(validation), metrics, validation };
    return { spec, startedAt, state: 'ok', metrics, validation };
  } catch (err) {
    return failureOf(trial, startedAt, err);
  } finally {
    await releaseTrial(trial);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * One trial's fixed parts, and what it holds as it goes: the failure path reads the phase it reached,
 * and `finally` releases the samplers, the snapshot and the overlapped steps whatever that phase was.
 */
interface Trial {
  readonly spec: TrialSpec;
  readonly run: RunContext;
  readonly contender: Contender;
  readonly clock: () => number;
  readonly seconds: PhaseSeconds;
  readonly progress: TrialProgressSink;
  phase: Phase;
  ctx: CopyContext;
  sampling?: TrialSampling;
  snapshot?: SourceSnapshot;
  overlapped?: Promise<() => void>;
  validation?: ValidationRow[];
}

function enter(trial: Trial, phase: Phase): void {
  trial.phase = phase;
  trial.progress.report();
}

/** Runs `fn` and records its seconds under `phase`, even when it throws (a failed phase still took that long). */
async function timed<T>(trial: Trial, phase: keyof PhaseSeconds, fn: () => Promise<T>): Promise<T> {
  const t0 = trial.clock();
  try {
    return await fn();
  } finally {
    trial.seconds[phase] = (trial.clock() - t0) / 1000;
  }
}

/** Schema steps run at the trial's parallelism, in its source snapshot once there is one. */
function stepOptions(trial: Trial): StepOptions {
  return { parallelism: trial.spec.parallelism, signal: trial.run.signal, ...(trial.snapshot ? { snapshot: trial.snapshot.id } : {}) };
}

/** Untimed: the sessions both sides need, the trial's source snapshot, the contender's own preparation, the samplers. */
async function prepareTrial(trial: Trial, expectedSeconds: number | undefined): Promise<TrialSampling> {
  const { run, contender } = trial;
  await run.source.ensureSessions?.(contender.sessions);
  await run.target.ensureSessions?.(contender.sessions);
  trial.snapshot = await run.source.exportSnapshot?.();
  if (trial.snapshot) trial.ctx = { ...trial.ctx, snapshot: { id: trial.snapshot.id, version: trial.snapshot.version } };
  await contender.prepare(trial.ctx);
  trial.sampling = await openSampling(run, expectedSeconds);
  return trial.sampling;
}

/** The timed copy, with `--constraints overlap`'s steps started beside it; returns what the servers' concurrency reached. */
async function copyPhase(trial: Trial, schema: TargetSchema, sampling: TrialSampling): Promise<{ copy: CopyOutcome; servers: ConcurrencyRecord['servers'] }> {
  sampling.start();
  // overlap: the keys and indexes start during the copy, each table's as soon as its data is in.
  const gate = trial.contender.constraints === 'overlap' ? new LoadGate() : undefined;
  const stopSteps = new AbortController();
  trial.overlapped = gate ? settled(applySchemaSteps(schema, schema.steps, { ...stepOptions(trial), signal: AbortSignal.any([trial.run.signal, stopSteps.signal]), loaded: gate })) : undefined;
  let copy: CopyOutcome;
  try {
    copy = await timed(trial, 'copy', () => trial.contender.copy(trial.ctx, trial.progress.add, { clock: trial.clock, ...(gate ? { tableLoaded: (t: string) => gate.tableLoaded(t) } : {}) }));
  } catch (err) {
    // No further key or index starts for a copy that failed; the ones running finish before the trial ends.
    stopSteps.abort(err);
    throw err;
  } finally {
    gate?.copyDone();
  }
  return { copy, servers: await sampling.endCopy() };
}

/** Keys, indexes and the rest after the load, timed with the copy: the overlapped ones awaited, else the ones the mode leaves for now. */
async function constraintsPhase(trial: Trial, schema: TargetSchema): Promise<void> {
  const mode = trial.contender.constraints;
  const after = mode === 'after' ? schema.steps : mode === 'before' ? schema.steps.filter((s) => s.afterLoad) : [];
  const overlapped = trial.overlapped;
  if (overlapped) await timed(trial, 'constraints', () => overlapped.then((r) => r()));
  else if (mode !== 'none') await timed(trial, 'constraints', () => applySchemaSteps(schema, after, stepOptions(trial)));
}

function concurrencyOf(spec: TrialSpec, copy: CopyOutcome, servers: ConcurrencyRecord['servers']): ConcurrencyRecord {
  const tasks = copy.tasks;
  return { planned: spec.parallelism, tasks, possible: Math.min(spec.parallelism, tasks), ...(copy.clientPeak !== undefined ? { clientPeak: copy.clientPeak } : {}), servers };
}

/** A failed trial as data, with its phase; an interruption (Ctrl-C, a stop) propagates instead. */
function failureOf(trial: Trial, startedAt: string, err: unknown): TrialResult {
  const { run, spec, phase, validation } = trial;
  // A fault elsewhere in the process (Lifecycle.fail) stops the command like Ctrl-C, but the trial it
  // cut short failed: it is recorded as such, and the sweep stops before the next one.
  const fault = run.signal.reason instanceof UnexpectedError;
  if (!fault && (isAbortError(err) || (run.signal.aborted && !(err instanceof TaskFailedError)))) throw run.signal.reason ?? err;
  const error = fault ? describeError(run.signal.reason) : err instanceof TaskFailedError ? `${err.taskId}: ${describeError(err.cause)}` : describeError(err);
  return { spec, startedAt, state: 'failed', phase, error, ...(validation ? { validation } : {}) };
}

/** Whatever the trial reached: overlapped steps finish, samplers stop, the snapshot goes, the contender cleans up. */
async function releaseTrial(trial: Trial): Promise<void> {
  await trial.overlapped;
  await trial.sampling?.stop().catch(() => undefined);
  await trial.snapshot?.release().catch(() => undefined);
  await trial.contender.cleanup(trial.ctx);
}

/** A promise whose failure waits to be collected (calling the result rethrows it), so it is never unhandled meanwhile. */
function settled(p: Promise<void>): Promise<() => void> {
  return p.then(
    () => () => undefined,
    (err: unknown) => () => {
      throw err;
    },
  );
}

interface TrialProgressSink {
  report(): void;
  readonly add: ProgressSink;
}

/** Accumulates rows, bytes and finished tasks, and reports them with the phase and elapsed time. */
function trialProgress(onProgress: TrialOptions['onProgress'], phase: () => Phase, tasksTotal: () => number): TrialProgressSink {
  const t0 = performance.now();
  let rows = 0;
  let bytes = 0;
  let tasksDone = 0;
  const report = () => onProgress?.({ phase: phase(), rows, bytes, tasksDone, tasksTotal: tasksTotal(), elapsedSeconds: (performance.now() - t0) / 1000 });
  return {
    report,
    add: (r: number, b: number, taskDone: boolean) => {
      rows += r;
      bytes += b;
      if (taskDone) {
        tasksDone += 1;
        report();
      }
    },
  };
}
