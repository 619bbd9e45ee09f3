import type { PeerName, StrategyName, StrategyParams } from './contender.js';
import type { MetricSample, MetricsSummary, ProcessUsage } from './metrics.js';
import type { Role } from './roles.js';

/**
 * Where foreign keys, keys and indexes are created relative to the load: after it, each table's as soon
 * as its data is in while other tables still load (overlap; foreign keys at the end), before it, or not.
 */
export type ConstraintMode = 'after' | 'overlap' | 'before' | 'none';
export const constraintModes: readonly ConstraintMode[] = ['after', 'overlap', 'before', 'none'];

/** What every trial carries, whoever runs it: where it sits in the plan. */
interface TrialSpecBase {
  /** Unique within a sweep: the point key plus the repetition, e.g. "native-bulk/p2#1"; warm-ups "…#w1". */
  readonly id: string;
  /** The sweep point this trial repeats, e.g. "native-bulk/p2" or "psql-pipe/p2". */
  readonly point: string;
  /** Concurrent copies the point asks for: tasks for bench's strategies, jobs or pipes for a peer. */
  readonly parallelism: number;
  /** 1-based repetition of the point (warm-ups count on their own). */
  readonly repetition: number;
  /** An untimed-for-the-statistics run before the measured ones (hyperfine's --warmup): logged, never counted. */
  readonly warmup?: boolean;
  /** The plan's round: every contender runs once per round, warm-up rounds first. */
  readonly round?: number;
  /** The label of the target server settings set it ran under, when the sweep varies them (--server-settings). */
  readonly settings?: string;
  /** Those settings, on top of the profile's target settings (the target is restarted with them). */
  readonly serverSettings?: Readonly<Record<string, string>>;
}

/** One of bench's own strategies at one point of the grid. */
export interface StrategyTrialSpec extends TrialSpecBase {
  readonly kind: 'strategy';
  readonly strategy: StrategyName;
  /** Parts per large table (1: whole tables). */
  readonly partitions: number;
  /** Copy worker threads for row strategies (0: the main thread). */
  readonly workers: number;
  readonly constraints: ConstraintMode;
  readonly params: StrategyParams;
}

/** A tool people would otherwise use (harness/peers/), measured as a contender of the same plan. */
export interface PeerTrialSpec extends TrialSpecBase {
  readonly kind: 'peer';
  readonly peer: PeerName;
}

/** One concrete trial, fully specified before anything runs (hyperfine's rule: expand, then run). */
export type TrialSpec = StrategyTrialSpec | PeerTrialSpec;

/** The contender's name: a strategy's or a peer's (they never collide). */
export function contenderOf(spec: TrialSpec): StrategyName | PeerName {
  return spec.kind === 'strategy' ? spec.strategy : spec.peer;
}

export type Phase = 'schema' | 'prepare' | 'copy' | 'constraints' | 'validate';

/**
 * How many copies really ran at once, against what the point's label claims. `possible` is what the
 * trial could reach at all (a point cannot run more tasks at once than it has); the servers' figures are
 * sampled from outside the copy (pg_stat_activity), so they count what the databases saw.
 */
export interface ConcurrencyRecord {
  readonly planned: number;
  /** Tasks (bench) or tables (peers) the trial had. */
  readonly tasks: number;
  readonly possible: number;
  /** Tasks holding their sessions at once, as bench's scheduler counted them (strategies only). */
  readonly clientPeak?: number;
  /** Sessions busy on each server (active or in a transaction), sampled during the copy. */
  readonly servers: Partial<Record<Role, { readonly peak: number; readonly mean: number; readonly samples: number }>>;
}

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
    /**
     * Before the trial, untimed for every figure: dropping what the previous trial left and a checkpoint.
     * Recorded so a whole command's overhead can be told from it. Absent in older files.
     */
    readonly clear?: number;
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
  /** Concurrent copies reached (absent in trials that failed before the copy). */
  readonly concurrency?: ConcurrencyRecord;
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

export interface ValidationRow {
  readonly table: string;
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly sourceChecksum: string;
  readonly targetChecksum: string;
  readonly match: boolean;
  /** Probes either server could not compute, left out on both sides: those columns are unverified. */
  readonly unverifiable?: readonly string[];
}

export interface DatasetTable {
  readonly table: string;
  readonly rows: number;
  readonly bytes: number;
}
