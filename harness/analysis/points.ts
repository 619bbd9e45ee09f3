import type { PeerName, StrategyName } from '../model/contender.js';
import { contenderOf, type TrialMetrics, type TrialResult } from '../model/trial.js';
import { diagnose, type Diagnosis } from './diagnose.js';
import { NOISY_CV, pointStatistics, type PointStatistics } from './statistics.js';
import { groupByPoint, measuredTrials, validSeconds, type OkTrial } from './trials.js';

/** How many copies a point really ran at once, against its label. */
export interface ConcurrencySummary {
  readonly planned: number;
  /** What the point could reach at all: no more copies at once than it had tasks. */
  readonly possible: number;
  /** The lowest, over the point's valid trials, of the most copies each trial was seen running at once. */
  readonly reached: number;
  /** 'servers': sampled in pg_stat_activity; 'client': bench's scheduler count (no server sample). */
  readonly source: 'servers' | 'client';
  /** Why the label overstates what ran, when it does. */
  readonly flag?: string;
}

/** One sweep point of one contender (a strategy or a peer tool): its repeated trials and their statistics. */
export interface PointSummary {
  readonly point: string;
  readonly kind: 'strategy' | 'peer';
  readonly contender: StrategyName | PeerName;
  readonly parallelism: number;
  readonly partitions: number;
  readonly batchSize?: number;
  /** The set of target server settings it ran under, when the sweep varied them. */
  readonly settings?: string;
  readonly ok: number;
  readonly failed: number;
  readonly skipped: number;
  /** Copy + constraint seconds of the valid measured trials (warm-ups excluded). */
  readonly times: readonly number[];
  /** Over the ok trials only: a failed or invalid trial never feeds a number. */
  readonly stats?: PointStatistics;
  /** The coefficient of variation is above 5%: rankings involving this point need more repeats. */
  readonly noisy: boolean;
  /** The ok trial closest to the median: the one whose per-table breakdown the report shows. */
  readonly medianTrial?: OkTrial;
  readonly errors: readonly string[];
  readonly skippedReason?: string;
  /** Highest bench-process figures over the point's trials. */
  readonly peakRssBytes: number;
  readonly cpuCores: number;
  readonly notes: readonly string[];
  /** The median trial's resource summary (harness/metrics). */
  readonly resources?: NonNullable<TrialMetrics['resources']>;
  /** What limited the median trial's copy (analysis/diagnose.ts). */
  readonly diagnosis?: Diagnosis;
  readonly concurrency?: ConcurrencySummary;
}

/** Every point of a set of trials, warm-ups left out (they are counted in `warmups` only). */
export function summarizePoints(trials: readonly TrialResult[]): PointSummary[] {
  return [...groupByPoint(measuredTrials(trials))].map(([point, list]) => summarizePoint(point, list));
}

function summarizePoint(point: string, list: readonly TrialResult[]): PointSummary {
  const spec = list[0]!.spec;
  const ok = list.filter((t): t is OkTrial => t.state === 'ok');
  const times = validSeconds(list);
  const stats = pointStatistics(times, ok[0]?.metrics.rows ?? 0);
  const medianTrial = stats
    ? [...ok].sort((a, b) => Math.abs(a.metrics.seconds.total - stats.seconds.median) - Math.abs(b.metrics.seconds.total - stats.seconds.median))[0]
    : undefined;
  const measured = list.flatMap((t) => (t.state !== 'skipped' && t.metrics ? [t.metrics] : []));
  const skipped = list.find((t) => t.state === 'skipped');
  const concurrency = concurrencyOf(ok);
  return {
    point,
    kind: spec.kind,
    contender: contenderOf(spec),
    parallelism: spec.parallelism,
    partitions: spec.kind === 'strategy' ? spec.partitions : 1,
    ...(spec.kind === 'strategy' ? { batchSize: spec.params.batchSize } : {}),
    ...(spec.settings !== undefined ? { settings: spec.settings } : {}),
    ok: ok.length,
    failed: list.filter((t) => t.state === 'failed').length,
    skipped: list.filter((t) => t.state === 'skipped').length,
    times,
    ...(stats ? { stats } : {}),
    noisy: (stats?.cv ?? 0) > NOISY_CV,
    ...(medianTrial ? { medianTrial } : {}),
    errors: [...new Set(list.flatMap((t) => (t.state === 'failed' ? [`${t.phase}: ${t.error}`] : [])))],
    ...(skipped?.state === 'skipped' ? { skippedReason: skipped.reason } : {}),
    peakRssBytes: Math.max(0, ...measured.map((m) => m.process.peakRssBytes)),
    cpuCores: Math.max(0, ...measured.map((m) => m.process.cpuCores)),
    notes: [...new Set(measured.flatMap((m) => m.notes))],
    ...(medianTrial?.metrics.resources ? { resources: medianTrial.metrics.resources, diagnosis: diagnoseTrial(medianTrial.metrics.resources) } : {}),
    ...(concurrency ? { concurrency } : {}),
  };
}

/**
 * The label's claim against what the servers saw. A trial's reach is the most sessions busy at once on
 * either server (each copy holds one on each side: a COPY or cursor on the source, a COPY or INSERTs on
 * the target); without server samples, bench's own count of tasks in flight.
 */
function concurrencyOf(ok: readonly OkTrial[]): ConcurrencySummary | undefined {
  const records = ok.flatMap((t) => (t.metrics.concurrency ? [t.metrics.concurrency] : []));
  if (records.length === 0) return undefined;
  const first = records[0]!;
  const fromServers = records.every((r) => Object.values(r.servers).some((s) => s && s.samples > 0));
  const reachOf = (r: (typeof records)[number]) =>
    fromServers ? Math.max(0, ...Object.values(r.servers).map((s) => s?.peak ?? 0)) : (r.clientPeak ?? 0);
  const reached = Math.min(...records.map(reachOf));
  const possible = Math.min(...records.map((r) => r.possible));
  const flag =
    reached < possible
      ? `reached ${reached} of ${possible} concurrent copies (${fromServers ? 'sampled on the servers' : "bench's own count"})`
      : possible < first.planned
        ? `only ${possible} task${possible === 1 ? '' : 's'} to run: at most ${possible} copies at once, not ${first.planned}`
        : undefined;
  return { planned: first.planned, possible, reached, source: fromServers ? 'servers' : 'client', ...(flag ? { flag } : {}) };
}

/** The diagnosis is of the copy itself, where strategies differ; the index builds after it load the target alike. */
export function diagnoseTrial(resources: NonNullable<TrialMetrics['resources']>): Diagnosis {
  return diagnose(resources.copySummary ?? resources.summary);
}

/** rows/s of a point relative to another (speed-up), or undefined when either is unmeasured. */
export function speedup(p: PointSummary | undefined, base: PointSummary | undefined): number | undefined {
  const a = p?.stats?.rowsPerSecond.median;
  const b = base?.stats?.rowsPerSecond.median;
  return a && b ? a / b : undefined;
}
