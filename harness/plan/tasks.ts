import { copiedColumns, largestFirst, qualified, type Table } from '../model/catalog.js';
import type { CopyTask } from '../model/task.js';
import { levelOf } from './fk-levels.js';

/** One task per table (partitioned tasks come from partition.ts). Largest first: long poles start early. */
export function tableTasks(tables: readonly Table[]): CopyTask[] {
  const levels = levelOf(tables);
  return largestFirst(
    tables.map((t) => ({
      id: qualified(t),
      source: t,
      target: { schema: t.schema, name: t.name },
      columns: copiedColumns(t),
      level: levels.get(qualified(t)) ?? 0,
      estimatedRows: Math.max(0, t.estimatedRows),
      estimatedBytes: t.estimatedBytes,
    })),
  );
}
