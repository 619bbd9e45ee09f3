import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeError, isAbortError, UnexpectedError } from '../base/errors.js';
import type { TrialProgress } from '../model/run.js';
import type { Phase, TrialResult, TrialSpec, ValidationRow } from '../model/trial.js';
import type { RunContext } from '../setup/run-context.js';
import type { SourceSnapshot } from '../model/database.js';
import { applySchemaSteps, LoadGate } from './constraints.js';
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
  let ctx = contextOf(spec, run, workDir);
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
  let snapshot: SourceSnapshot | undefined;
  let overlapped: Promise<() => void> | undefined;

  try {
    mkdirSync(workDir, { recursive: true, mode: 0o700 }); // spill files and passfiles: owner only
    const schema = await run.targetSchema(); // planned once per command, before any timing
    const steps = (options: { parallelism: number }) => ({ ...options, signal: run.signal, ...(snapshot ? { snapshot: snapshot.id } : {}) });
    await timed('schema', async () => {
      await resetTarget(run, schema, contender.targetSetup);
      // Keys and indexes before the load; what must not see the load (triggers…) still waits for it.
      if (contender.constraints === 'before') await applySchemaSteps(schema, schema.steps.filter((s) => !s.afterLoad), steps({ parallelism: spec.parallelism }));
    });

    phase = 'prepare';
    progress.report();
    await run.source.ensureSessions?.(contender.sessions);
    await run.target.ensureSessions?.(contender.sessions);
    snapshot = await run.source.exportSnapshot?.();
    if (snapshot) ctx = { ...ctx, snapshot: { id: snapshot.id, version: snapshot.version } };
    await contender.prepare(ctx);
    sampling = await openSampling(run, options.expectedSeconds);

    phase = 'copy';
    progress.report();
    sampling.start();
    // overlap: the keys and indexes start during the copy, each table's as soon as its data is in.
    const gate = contender.constraints === 'overlap' ? new LoadGate() : undefined;
    const stopSteps = new AbortController();
    overlapped = gate ? settled(applySchemaSteps(schema, schema.steps, { ...steps({ parallelism: spec.parallelism }), signal: AbortSignal.any([run.signal, stopSteps.signal]), loaded: gate })) : undefined;
    try {
      copy = await timed('copy', () => contender.copy(ctx, progress.add, { clock, ...(gate ? { tableLoaded: (t: string) => gate.tableLoaded(t) } : {}) }));
    } catch (err) {
      // No further key or index starts for a copy that failed; the ones running finish before the trial ends.
      stopSteps.abort(err);
      throw err;
    } finally {
      gate?.copyDone();
    }
    const servers = await sampling.endCopy();

    phase = 'constraints';
    progress.report();
    const after = contender.constraints === 'after' ? schema.steps : contender.constraints === 'before' ? schema.steps.filter((s) => s.afterLoad) : [];
    if (overlapped) await timed('constraints', () => overlapped!.then((r) => r()));
    else if (contender.constraints !== 'none') await timed('constraints', () => applySchemaSteps(schema, after, steps({ parallelism: spec.parallelism })));
    const { usage, samples } = await sampling.stop();

    phase = 'validate';
    progress.report();
    validation = await timed('validate', () =>
      validateCopy(run.source, run.target, run.tables, { parallelism: Math.max(2, spec.parallelism), sourceCache: run.sourceFingerprints, ...(ctx.snapshot ? { snapshot: ctx.snapshot } : {}) }),
    );
    // Validation has read the source: the snapshot can go (holding it holds back the source's vacuum).
    await snapshot?.release();
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
    await overlapped;
    await sampling?.stop().catch(() => undefined);
    await snapshot?.release().catch(() => undefined);
    await contender.cleanup(ctx);
    rmSync(workDir, { recursive: true, force: true });
  }
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
