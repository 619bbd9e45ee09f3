import { strategies } from '../../strategies/index.js';
import type { CopyContext } from '../../strategies/strategy.js';
import { peers } from '../peers/index.js';
import type { TargetSetup } from '../model/target-schema.js';
import type { PeerTrialSpec, StrategyTrialSpec, TrialSpec, ConstraintMode } from '../model/trial.js';
import type { CopyTask } from '../model/task.js';
import { qualified } from '../model/catalog.js';
import { defaultStrategyParams } from '../model/contender.js';
import type { RunContext } from '../setup/run-context.js';
import { CopyWorkerPool } from '../workers/pool.js';
import { runTasks, type TaskOutcome } from './schedule.js';

/** Rows and bytes as they move, for the progress line. */
export type ProgressSink = (rows: number, bytes: number, taskDone: boolean) => void;

/** What the timed copy produced. */
export interface CopyOutcome {
  /** Per task (bench's strategies); a peer tool runs the whole copy as one opaque job. */
  readonly outcomes: readonly TaskOutcome[];
  /** Tasks the trial had: tables or key ranges for bench, tables for a peer. */
  readonly tasks: number;
  /** Most tasks in flight at once, as bench's scheduler counted them (strategies only). */
  readonly clientPeak?: number;
  readonly notes: readonly string[];
}

/**
 * The one shape every contender of a plan takes, so bench's strategies and the peer tools go through the
 * same trial pipeline (reset → prepare → timed copy → constraints → validate → record).
 */
export interface Contender {
  /** True, or why this trial is skipped (the engine pair, a missing tool, names a tool cannot quote). */
  check(): Promise<true | string>;
  /** What the reset leaves on the target: empty tables to load, or nothing (the tool creates its schema). */
  readonly targetSetup: TargetSetup;
  /** When bench builds keys, indexes and foreign keys; 'none' when the tool builds its own. */
  readonly constraints: ConstraintMode;
  /** Sessions the contender holds on each side through bench's pools (0: it connects by itself). */
  readonly sessions: number;
  /** Tasks the copy will run (known after prepare; a peer's tables). */
  tasks(): readonly CopyTask[];
  /** Untimed. */
  prepare(ctx: CopyContext): Promise<void>;
  /** The timed region. */
  copy(ctx: CopyContext, progress: ProgressSink, options?: { clock?: () => number; tableLoaded?: (table: string) => void }): Promise<CopyOutcome>;
  /** Untimed; runs even when the trial failed. */
  cleanup(ctx: CopyContext): Promise<void>;
}

export function contenderFor(spec: TrialSpec, run: RunContext): Contender {
  return spec.kind === 'strategy' ? strategyContender(spec, run) : peerContender(spec, run);
}

function strategyContender(spec: StrategyTrialSpec, run: RunContext): Contender {
  const strategy = strategies[spec.strategy];
  let tasks: readonly CopyTask[] = [];
  let pool: CopyWorkerPool | undefined;
  const workers = strategy.defaultBatchSize !== undefined ? Math.min(spec.workers, spec.parallelism) : 0;
  return {
    async check() {
      const supported = strategy.supports({ source: run.source.engine, target: run.target.engine });
      if (supported !== true) return supported;
      return (await strategy.available?.(run.tables)) ?? true;
    },
    targetSetup: 'tables',
    constraints: spec.constraints,
    // With worker threads, the tasks' sessions live in the workers' own pools.
    sessions: workers > 0 ? 0 : spec.parallelism,
    tasks: () => tasks,
    async prepare(ctx) {
      tasks = await run.tasksFor(spec.partitions);
      await strategy.prepare?.(ctx);
      if (workers > 0) {
        // Started before the timed region: threads and their connections are set-up, not copy time.
        pool = await CopyWorkerPool.start(workers, { ...run.workerSetup, poolSize: Math.ceil(spec.parallelism / workers) + 1 });
      }
    },
    async copy(ctx, progress, { clock, tableLoaded } = {}) {
      // Tasks left per table: when a table's last task is in, its keys and indexes may start (overlap).
      const left = new Map<string, number>();
      for (const t of tasks) left.set(qualified(t.source), (left.get(qualified(t.source)) ?? 0) + 1);
      const { outcomes, peakInFlight } = await runTasks(
        tasks,
        { parallelism: spec.parallelism, byLevel: spec.constraints === 'before', signal: ctx.signal, ...(clock ? { clock } : {}) },
        async (task, signal) => {
          const onProgress = (rows: number, bytes: number) => progress(rows, bytes, false);
          const stats = pool
            ? await pool.run(spec.strategy, task, spec.params, ctx.workDir, signal, onProgress, ctx.snapshot)
            : await strategy.copyTask({ ...ctx, signal, task, progress: onProgress });
          progress(0, 0, true);
          const table = qualified(task.source);
          const remaining = (left.get(table) ?? 1) - 1;
          left.set(table, remaining);
          if (remaining === 0) tableLoaded?.(table);
          return stats;
        },
      );
      return { outcomes, tasks: tasks.length, clientPeak: peakInFlight, notes: [...new Set(outcomes.flatMap((o) => (o.stats.note ? [o.stats.note] : [])))] };
    },
    async cleanup(ctx) {
      await pool?.close().catch(() => undefined);
      await strategy.cleanup?.(ctx).catch(() => undefined);
    },
  };
}

function peerContender(spec: PeerTrialSpec, run: RunContext): Contender {
  const peer = peers[spec.peer];
  return {
    async check() {
      // A tool that cannot quote a name must never see it (peers/peer.ts handles()).
      const handled = peer.handles(run.tables);
      return handled === true ? peer.available(contextOf(spec, run)) : handled;
    },
    targetSetup: peer.target,
    // A tool that only loads gets bench's own keys and indexes after it, timed, like a strategy; one that
    // restores a whole schema (pg_restore, pgcopydb) builds them itself inside its run.
    constraints: peer.target === 'tables' ? 'after' : 'none',
    sessions: 0,
    tasks: () => [],
    prepare: async (ctx) => peer.prepare?.(ctx),
    async copy(ctx) {
      const note = await peer.run(ctx);
      return { outcomes: [], tasks: run.tables.length, notes: note ? [note] : [] };
    },
    cleanup: async (ctx) => peer.cleanup?.(ctx).catch(() => undefined),
  };
}

/** What the trial hands its contender. */
export function contextOf(spec: TrialSpec, run: RunContext, workDir = ''): CopyContext {
  return {
    source: run.source,
    target: run.target,
    tables: run.tables,
    parallelism: spec.parallelism,
    params: spec.kind === 'strategy' ? spec.params : defaultStrategyParams,
    workDir,
    signal: run.signal,
    urls: run.urls,
    toolApplicationName: `${run.sessionTag}-tool`,
  };
}
