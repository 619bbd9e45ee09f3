import { hostCores, summarizeMetrics } from '../metrics/sampler.js';
import { qualified, type Table } from '../model/catalog.js';
import type { MetricSample, ProcessUsage } from '../model/metrics.js';
import type { ConcurrencyRecord, TableResult, TrialMetrics, ValidationRow } from '../model/trial.js';
import type { CopyOutcome } from './contender.js';
import type { CopyTask } from '../model/task.js';

export interface PhaseSeconds {
  /** Clearing what the previous trial left and the checkpoint: measured, never part of a copy's time. */
  clear: number;
  schema: number;
  copy: number;
  constraints: number;
  validate: number;
}

/**
 * A trial's figures from what its phases produced: per table (from the tasks' own timings; for a peer,
 * which copies as one opaque job, from validation's row counts), the totals, the bench process's cost,
 * the concurrency reached and the resource samples.
 */
export function recordMetrics(input: {
  tables: readonly Table[];
  /** The trial's tasks: a table left whole although parts were asked for says so (plan/partition.ts). */
  tasks: readonly CopyTask[];
  copy: CopyOutcome;
  seconds: PhaseSeconds;
  usage: ProcessUsage;
  samples: readonly MetricSample[];
  concurrency: ConcurrencyRecord;
  validation?: readonly ValidationRow[];
}): TrialMetrics {
  const { copy, seconds: s } = input;
  const tables: TableResult[] = input.tables.map((t) => {
    const mine = copy.outcomes.filter((o) => qualified(o.task.source) === qualified(t));
    const validated = input.validation?.find((v) => v.table === qualified(t));
    const rows = mine.length > 0 ? mine.reduce((n, o) => n + o.stats.rows, 0) : (validated?.targetRows ?? 0);
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
  for (const o of copy.outcomes) {
    for (const [k, v] of Object.entries(o.stats.counters ?? {})) counters[k] = (counters[k] ?? 0) + v;
  }
  // The diagnosis is of the copy itself; the sampler started with the copy, so sample times count from its start.
  const summary = summarizeMetrics(input.samples, hostCores());
  const copySamples = input.samples.filter((x) => x.t <= s.copy + 0.05);
  return {
    seconds: { ...s, total },
    counters,
    notes: [...new Set([...input.tasks.flatMap((t) => (t.unsplit ? [`${qualified(t.source)} copied whole: ${t.unsplit}`] : [])), ...copy.notes])],
    rows,
    bytes,
    wireBytes: copy.outcomes.reduce((n, o) => n + o.stats.bytes, 0),
    rowsPerSecond: total > 0 ? rows / total : 0,
    copyRowsPerSecond: s.copy > 0 ? rows / s.copy : 0,
    mbPerSecond: total > 0 ? bytes / 1e6 / total : 0,
    tables,
    process: input.usage,
    concurrency: input.concurrency,
    ...(input.samples.length > 0
      ? { resources: { summary, copySummary: copySamples.length >= 2 ? summarizeMetrics(copySamples, hostCores()) : summary, samples: input.samples } }
      : {}),
  };
}
