import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeError, isAbortError, UnexpectedError } from '../base/errors.js';
import type { TrialProgress } from '../model/run.js';
import type { Phase, TrialResult, TrialSpec, ValidationRow } from '../model/trial.js';
import type { RunContext } from '../setup/run-context.js';
import { applyConstraints, OverlappedConstraints } from './constraints.js';
import { contenderFor, contextOf, type CopyOutcome } from './contender.js';
import { recordMetrics, type PhaseSeconds } from './record.js';
import { resetTarget } from './reset.js';
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
 * phase; only an interruption propagates, after cleanup. Samplers, workers and scratch files are
 * released in `finally`, whatever happened.
 */
export async function runTrial(spec: TrialSpec, run: RunContext, options: TrialOptions = {}): Promise<TrialResult> {
  const startedAt = new Date().toISOString();
  const contender = contenderFor(spec, run);
  const usable = await contender.check();
  if (usable !== true) return { spec, startedAt, state: 'skipped', reason: usable };

  const workDir = join(run.workRoot, `trial-${spec.id.replace(/[^a-z0-9-]+/gi, '_')}`);
  const ctx = contextOf(spec, run, workDir);
  const clock = options.clock ?? (() => performance.now());
  const seconds: PhaseSeconds = { schema: 0, copy: 0, constraints: 0, validate: 0 };
  const timed = async <T>(phase: keyof PhaseSeconds, fn: () => Promise<T>): Promise<T> => {
    const t0 = clock();
    try {
      return await fn();
    } finally {
      seconds[phase] = (clock() - t0) / 1000;
    }
  };
  let phase: Phase = 'schema';
  const progress = trialProgress(options.onProgress, () => phase, () => contender.tasks().length || run.tables.length);
  let sampling: TrialSampling | undefined;
  let copy: CopyOutcome | undefined;
  let validation: ValidationRow[] | undefined;

  try {
    mkdirSync(workDir, { recursive: true, mode: 0o700 }); // spill files and passfiles: owner only
    await timed('schema', async () => {
      await resetTarget(run, contender.targetSetup);
      if (contender.constraints === 'before') await applyConstraints(run, spec.parallelism);
    });

    phase = 'prepare';
    progress.report();
    await run.source.ensureSessions?.(contender.sessions);
    await run.target.ensureSessions?.(contender.sessions);
    await contender.prepare(ctx);
    sampling = await openSampling(run, options.expectedSeconds);

    phase = 'copy';
    progress.report();
    sampling.start();
    const overlapped = contender.constraints === 'overlap' ? new OverlappedConstraints(run, spec.parallelism) : undefined;
    copy = await timed('copy', () => contender.copy(ctx, progress.add, { clock, ...(overlapped ? { tableLoaded: (t: string) => overlapped.tableLoaded(t) } : {}) }));
    const servers = await sampling.endCopy();

    phase = 'constraints';
    progress.report();
    if (contender.constraints === 'after') await timed('constraints', () => applyConstraints(run, spec.parallelism));
    if (overlapped) await timed('constraints', () => overlapped.finish());
    const { usage, samples } = await sampling.stop();

    phase = 'validate';
    progress.report();
    validation = await timed('validate', () => validateCopy(run.source, run.target, run.tables, { parallelism: Math.max(2, spec.parallelism), sourceCache: run.sourceFingerprints }));
    const tasks = copy.tasks;
    const metrics = recordMetrics({
      tables: run.tables,
      tasks: contender.tasks(),
      copy,
      seconds,
      usage: usage!,
      samples: spec.warmup ? [] : samples,
      concurrency: { planned: spec.parallelism, tasks, possible: Math.min(spec.parallelism, tasks), ...(copy.clientPeak !== undefined ? { clientPeak: copy.clientPeak } : {}), servers },
      validation,
    });
    if (!validationPassed(validation)) return { spec, startedAt, state: 'failed', phase, error: describeMismatch(validation), metrics, validation };
    return { spec, startedAt, state: 'ok', metrics, validation };
  } catch (err) {
    // A fault elsewhere in the process (Lifecycle.fail) stops the command like Ctrl-C, but the trial it
    // cut short failed: it is recorded as such, and the sweep stops before the next one.
    const fault = run.signal.reason instanceof UnexpectedError;
    if (!fault && (isAbortError(err) || (run.signal.aborted && !(err instanceof TaskFailedError)))) throw run.signal.reason ?? err;
    const error = fault ? describeError(run.signal.reason) : err instanceof TaskFailedError ? `${err.taskId}: ${describeError(err.cause)}` : describeError(err);
    return { spec, startedAt, state: 'failed', phase, error, ...(validation ? { validation } : {}) };
  } finally {
    await sampling?.stop().catch(() => undefined);
    await contender.cleanup(ctx);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Accumulates rows, bytes and finished tasks, and reports them with the phase and elapsed time. */
function trialProgress(onProgress: TrialOptions['onProgress'], phase: () => Phase, tasksTotal: () => number) {
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
