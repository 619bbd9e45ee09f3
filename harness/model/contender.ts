/** The names and knobs of what a trial measures: bench's strategies and the peer tools. */
import type { EngineName } from './roles.js';

/** Registry keys, kebab-case (strategies/index.ts). */
export type StrategyName = 'csv-buffer' | 'direct-stream' | 'pipeline' | 'chunked' | 'native-bulk' | 'bcp';

export interface EnginePair {
  readonly source: EngineName;
  readonly target: EngineName;
}

/** The knobs a sweep varies. Each strategy reads the ones it understands. */
export interface StrategyParams {
  /** Rows per INSERT batch for row strategies. The seeds went from 1,000 (csv-buffer) to 5,000. */
  readonly batchSize: number;
  /** Wire format for native bulk copies. */
  readonly copyFormat: CopyFormat;
  /**
   * PostgreSQL → PostgreSQL native-bulk: forward the source's CopyData messages as they are ('framed',
   * the default: engines/pg-copy-relay.ts) or take each row out and frame it again ('parsed':
   * pg-copy-streams, what bench did before). Absent in older results: 'parsed'.
   */
  readonly copyRelay?: CopyRelay;
  /**
   * native-bulk into PostgreSQL: load each whole table with COPY FREEZE in the transaction that empties
   * it. Never with --constraints before (a referenced table cannot be truncated). Absent: off.
   */
  readonly freeze?: boolean;
  /** Rows the pipeline's queue holds between producer and consumer. */
  readonly queueSize: number;
  /** Rows per committed chunk (chunked). */
  readonly chunkSize: number;
}

export const defaultStrategyParams: StrategyParams = { batchSize: 5000, copyFormat: 'binary', copyRelay: 'framed', queueSize: 10_000, chunkSize: 100_000 };

export type CopyRelay = 'framed' | 'parsed';
export const copyRelays: readonly CopyRelay[] = ['framed', 'parsed'];

/**
 * A tool people would otherwise use, measured in the same run, on the same data and validated the same
 * way, so bench's numbers stand next to theirs as ratios (issue: peers in the same report).
 */
export type PeerName = 'server-copy' | 'psql-pipe' | 'pg-dump-restore' | 'pgcopydb';

export type CopyFormat = 'binary' | 'text' | 'csv';
