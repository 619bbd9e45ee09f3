import { BenchError, describeError, throwIfAborted } from '../base/errors.js';
import { qualified } from '../model/catalog.js';
import type { SchemaStep, TargetSchema } from '../model/target-schema.js';

export interface StepOptions {
  /** Steps running at once (the trial's parallelism). */
  readonly parallelism: number;
  readonly signal: AbortSignal;
  /** The trial's source snapshot id (sequence values are read in it). */
  readonly snapshot?: string;
  /**
   * `--constraints overlap`: steps run while the copy is still going, a table's only once its data is in
   * (the gate says which tables are), steps of no table once every table is.
   */
  readonly loaded?: LoadGate;
}

/**
 * Which tables' data is in, for steps that start while the copy still runs (pgcopydb's index jobs): the
 * copy marks each table as its last task finishes, and everything once the copy is over.
 */
export class LoadGate {
  private readonly tables = new Set<string>();
  private all = false;
  private wake: (() => void) | undefined;

  tableLoaded(table: string): void {
    this.tables.add(table);
    this.notify();
  }

  copyDone(): void {
    this.all = true;
    this.notify();
  }

  isLoaded(table: string | undefined): boolean {
    return this.all || (table !== undefined && this.tables.has(table));
  }

  get complete(): boolean {
    return this.all;
  }

  /** Resolves at the next table loaded (or the copy's end). */
  changed(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/**
 * Runs schema steps (keys, indexes, foreign keys, triggers, refreshes…) around the load: a table's own
 * steps one after the other, in plan order (most take a lock on the table that conflicts with the
 * others'), different tables' in parallel up to `parallelism`, and every step only once the steps it
 * waits for have finished. A step this call does not run (one already run before the load) is taken as
 * done. The plan's order respects every dependency, so the earliest unfinished step can always start:
 * no wait can go round in a circle. The first failure stops further starts and is thrown, naming the
 * step, once the running steps have settled.
 */
export async function applySchemaSteps(schema: Pick<TargetSchema, 'apply'>, steps: readonly SchemaStep[], options: StepOptions): Promise<void> {
  const ids = new Set(steps.map((s) => s.id));
  const order = new Map(steps.map((s, i) => [s.id, i]));
  const done = new Set<string>();
  // One queue per table (a step of no table is a queue of its own), in plan order.
  const queues = new Map<string, SchemaStep[]>();
  for (const s of steps) {
    const key = s.table ? `table ${qualified(s.table)}` : `step ${s.id}`;
    queues.set(key, [...(queues.get(key) ?? []), s]);
  }
  const busy = new Set<string>();
  const running = new Set<Promise<void>>();
  let failure: unknown;

  /** The earliest queue head, of a table with no step running, whose dependencies are done. */
  const next = (): [string, SchemaStep] | undefined => {
    let best: [string, SchemaStep] | undefined;
    for (const [key, queue] of queues) {
      const head = queue[0]!;
      if (busy.has(key) || !head.after.every((d) => done.has(d) || !ids.has(d))) continue;
      if (options.loaded && !options.loaded.isLoaded(head.table ? qualified(head.table) : undefined)) continue;
      if (!best || order.get(head.id)! < order.get(best[1].id)!) best = [key, head];
    }
    return best;
  };

  for (;;) {
    while (failure === undefined && !options.signal.aborted && running.size < Math.max(1, options.parallelism)) {
      const found = next();
      if (!found) break;
      const [key, step] = found;
      const queue = queues.get(key)!;
      queue.shift();
      if (queue.length === 0) queues.delete(key);
      busy.add(key);
      const run: Promise<void> = schema
        .apply(step, options.snapshot ? { snapshot: options.snapshot } : {})
        .then(
          () => void done.add(step.id),
          (err: unknown) => {
            failure ??= new BenchError(`${step.label}: ${describeError(err)}`, { cause: err });
          },
        )
        .finally(() => {
          busy.delete(key);
          running.delete(run);
        });
      running.add(run);
    }
    const gate = options.loaded && !options.loaded.complete && failure === undefined && !options.signal.aborted ? options.loaded.changed() : undefined;
    if (running.size > 0 || gate) {
      await Promise.race([...running, ...(gate ? [gate] : [])]);
      continue;
    }
    if (failure !== undefined) throw failure;
    throwIfAborted(options.signal);
    if (queues.size > 0) throw new Error(`schema steps wait for each other in a circle: ${[...queues.values()].map((q) => q[0]!.label).join(', ')}`);
    return;
  }
}
