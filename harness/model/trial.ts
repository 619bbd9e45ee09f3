import type { StrategyName, StrategyParams } from './contender.js';
import type { ProcessUsage } from './metrics.js';
import type { MetricSample, MetricsSummary } from './metrics.js';

/** Where foreign keys, keys and indexes are created relative to the load. */
export type ConstraintMode = 'after' | 'before' | 'none';
export const constraintModes: readonly ConstraintMode[] = ['after', 'before', 'none'];

/** One concrete trial, fully specified before anything runs (hyperfine's rule: expand, then run). */
export interface TrialSpec {
  /** Unique within a sweep: the point key plus the repetition, e.g. "native-bulk/p2#1". */
  readonly id: string;
  /** The sweep point this trial repeats, e.g. "native-bulk/p2". */
  readonly point: string;
  readonly strategy: StrategyName;
  readonly parallelism: number;
  /** Parts per large table (1: whole tables). Older results files lack it: read as 1. */
  readonly partitions?: number;
  /** Copy worker threads for row strategies (0 or absent: the main thread). */
  readonly workers?: number;
  readonly constraints: ConstraintMode;
  readonly params: StrategyParams;
  /** 1-based repetition of the point. */
  readonly repetition: number;
}

export type Phase = 'schema' | 'prepare' | 'copy' | 'constraints' | 'validate' | 'cleanup';

export interface TableResult {
  readonly table: string;
  readonly rows: number;
  /** Source table size (heap + TOAST), the same yardstick for every strategy. */
  readonly bytes: number;
  /** From the first task of the table starting to its last task ending. */
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly mbPerSecond: number;
  readonly tasks: number;
}

export interface TrialMetrics {
  readonly seconds: {
    readonly schema: number;
    readonly copy: number;
    readonly constraints: number;
    readonly validate: number;
    /** Copy plus constraints: the time a migration of this data takes. Ranking uses it. */
    readonly total: number;
  };
  readonly rows: number;
  readonly bytes: number;
  /** Bytes that crossed the wire where the strategy can count them (COPY); 0 otherwise. */
  readonly wireBytes: number;
  /** rows / total seconds. */
  readonly rowsPerSecond: number;
  /** rows / copy seconds only. */
  readonly copyRowsPerSecond: number;
  readonly mbPerSecond: number;
  readonly tables: readonly TableResult[];
  /** The bench process during copy + constraints. */
  readonly process: ProcessUsage;
  /** Strategy evidence summed over tasks (spill bytes, queue waits, chunks…). */
  readonly counters: Readonly<Record<string, number>>;
  /** Fallbacks and other things worth a line in the report. */
  readonly notes: readonly string[];
  /** Host, server and bench-process samples over copy + constraints and their summary (analysis/diagnose.ts reads them). */
  readonly resources?: {
    readonly summary: MetricsSummary;
    /** The copy phase alone (the diagnosis is of this); absent in older results. */
    readonly copySummary?: MetricsSummary;
    readonly samples: readonly MetricSample[];
  };
}

interface TrialBase {
  readonly spec: TrialSpec;
  readonly startedAt: string;
}

/** Failures are data: a failed or skipped trial is a row in the results, never silently dropped. */
export type TrialResult =
  | (TrialBase & { readonly state: 'ok'; readonly metrics: TrialMetrics; readonly validation: readonly ValidationRow[] })
  | (TrialBase & {
      readonly state: 'failed';
      readonly phase: Phase;
      readonly error: string;
      readonly metrics?: TrialMetrics;
      readonly validation?: readonly ValidationRow[];
    })
  | (TrialBase & { readonly state: 'skipped'; readonly reason: string });

/** A peer tool measured in the same run (harness/peers/): the same data, reset and validation. */
export type PeerResult = {
  readonly peer: string;
  readonly parallelism: number;
  readonly repetition: number;
  readonly startedAt: string;
} & (
  | {
      readonly state: 'ok';
      /** load: the tool's own run; constraints: bench's constraint steps after it (tools that load only). */
      readonly seconds: { readonly load: number; readonly constraints: number; readonly total: number };
      readonly rows: number;
      readonly rowsPerSecond: number;
      readonly validation: readonly ValidationRow[];
      readonly note?: string;
    }
  | { readonly state: 'failed'; readonly phase: 'prepare' | 'load' | 'constraints' | 'validate'; readonly error: string }
  | { readonly state: 'skipped'; readonly reason: string }
);

export interface ValidationRow {
  readonly table: string;
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly sourceChecksum: string;
  readonly targetChecksum: string;
  readonly match: boolean;
}

export interface DatasetTable {
  readonly table: string;
  readonly rows: number;
  readonly bytes: number;
}
