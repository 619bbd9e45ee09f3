import { DEFAULT_PARTITION_MIN_ROWS } from '../config/defaults.js';
import { largestFirst, qualified } from '../model/catalog.js';
import type { Database } from '../model/database.js';
import type { CopyTask } from '../model/task.js';

export interface PartitionOptions {
  /** Parts per large table (the seeds: 36 partitions over six tables = 6 each). 1 = whole tables. */
  readonly partitions: number;
  /** Only tables with at least this many (estimated) rows are split. */
  readonly minRows?: number;
}

/**
 * Splits the large tables' tasks into key ranges (pgcopydb's same-table concurrency): a task per part,
 * `WHERE key >= from AND key < to`, so `--parallelism` tasks can read and write one table at once.
 * Estimates are spread evenly over the parts; they only order the schedule (largest first).
 */
export async function partitionTasks(source: Database, tasks: readonly CopyTask[], options: PartitionOptions): Promise<CopyTask[]> {
  if (options.partitions <= 1) return [...tasks];
  const minRows = options.minRows ?? DEFAULT_PARTITION_MIN_ROWS;
  const out: CopyTask[] = [];
  for (const task of tasks) {
    // A table never analysed has no estimate (reltuples -1): split it rather than guess it is small.
    const unknownSize = task.source.estimatedRows < 0;
    if (task.range || (!unknownSize && task.estimatedRows < minRows)) {
      out.push(task);
      continue;
    }
    // An engine that cannot split (no splitRanges) copies whole tables, and the task says why (issue 17).
    const ranges = (await source.splitRanges?.(task.source, options.partitions)) ?? [];
    if (ranges.length <= 1) {
      const why = !source.splitRanges
        ? `${source.engine} sources are not split`
        : ranges.length === 1
          ? 'one range: too few key values or pages'
          : !task.source.primaryKey
            ? 'no primary key'
            : 'its key has no order bench splits by';
      out.push({ ...task, unsplit: why });
      continue;
    }
    ranges.forEach((range, i) =>
      out.push({
        ...task,
        id: `${qualified(task.source)}[${i + 1}/${ranges.length}]`,
        range,
        estimatedRows: Math.round(task.estimatedRows / ranges.length),
        estimatedBytes: Math.round(task.estimatedBytes / ranges.length),
      }),
    );
  }
  // Largest first across tables, so the long poles start early.
  return largestFirst(out);
}

/**
 * The split a task list really makes, for the run and sweep logs: "dbo.posts in 4 parts; dbo.nokey whole
 * (no primary key)"; tables too small to split are counted, not listed. Labels are true (STYLE rule 11):
 * what ran, not what was asked for.
 */
export function describeSplit(tasks: readonly CopyTask[]): string {
  const parts = new Map<string, number>();
  const whole: string[] = [];
  let small = 0;
  for (const t of tasks) {
    const name = qualified(t.source);
    if (t.range) parts.set(name, (parts.get(name) ?? 0) + 1);
    else if (t.unsplit) whole.push(`${name} whole (${t.unsplit})`);
    else small += 1;
  }
  const items = [...[...parts].map(([name, n]) => `${name} in ${n} parts`), ...whole].sort();
  if (small > 0) items.push(`${small} smaller table${small > 1 ? 's' : ''} whole`);
  return items.join('; ');
}
