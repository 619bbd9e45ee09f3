import type { Column, QualifiedName, Table } from './catalog.js';

/**
 * A primary-key range of one table: lower bound inclusive, upper bound exclusive, either may be open
 * (pgcopydb's `WHERE key >= min AND key < max`). Bounds are text so bigint keys survive JSON.
 */
export interface KeyRange {
  readonly column: string;
  readonly from?: string;
  readonly to?: string;
}

/** The unit of work the scheduler runs: a table, or a key range of one. */
export interface CopyTask {
  /** "public.posts", or "public.posts[2/8]" for a part. */
  readonly id: string;
  readonly source: Table;
  readonly target: QualifiedName;
  /** Copied columns in order; the same list is used on both sides. */
  readonly columns: readonly Column[];
  readonly range?: KeyRange;
  /** Why this table is copied whole although parts were asked for (partition.ts), e.g. "no primary key". */
  readonly unsplit?: string;
  /** Foreign-key level of the table (0 = references nothing). */
  readonly level: number;
  readonly estimatedRows: number;
  readonly estimatedBytes: number;
}
