import type { PeerResult, TrialMetrics, TrialResult } from '../model/trial.js';
import { diagnose, diagnoseScaling, type Diagnosis } from './diagnose.js';
import { pointStatistics, type PointStatistics } from './statistics.js';
import type { StrategyName } from '../model/contender.js';
import { strategyNames } from '../../strategies/index.js';

type OkTrial = Extract<TrialResult, { state: 'ok' }>;

/** One sweep point: its repeated trials and their statistics. */
export interface PointSummary {
  readonly point: string;
  readonly strategy: StrategyName;
  readonly parallelism: number;
  readonly partitions: number;
  readonly batchSize: number;
  readonly ok: number;
  readonly failed: number;
  readonly skipped: number;
  /** Over the ok trials only: a failed or invalid trial never feeds a number. */
  readonly stats?: PointStatistics;
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
}

export interface SweepAnalysis {
  readonly points: readonly PointSummary[];
  /** Fastest point by median rows/s among points whose every trial passed; undefined when none did. */
  readonly best?: PointSummary;
  /** The fastest csv-buffer point: the seeds' baseline for speed-ups. */
  readonly baseline?: PointSummary;
  /** Best median rows/s per strategy and parallelism (over partitions and batch sizes). */
  readonly matrix: ReadonlyMap<StrategyName, ReadonlyMap<number, PointSummary>>;
  readonly parallelismLevels: readonly number[];
  /** The seeds' ordering, csv-buffer < direct-stream < pipeline < native-bulk, checked on each strategy's best. */
  readonly ordering?: { readonly expected: readonly StrategyName[]; readonly observed: readonly StrategyName[]; readonly held: boolean };
  readonly trials: { readonly ok: number; readonly failed: number; readonly skipped: number };
  /** Per strategy: which resource saturated when throughput fell as parallelism rose (none when it did not fall). */
  readonly scaling: ReadonlyMap<StrategyName, string>;
}

/** A peer tool at one parallelism level: its repeated runs, next to bench's best. */
export interface PeerSummary {
  readonly peer: string;
  readonly parallelism: number;
  readonly ok: number;
  readonly failed: number;
  readonly stats?: PointStatistics;
  readonly skippedReason?: string;
  readonly errors: readonly string[];
  readonly notes: readonly string[];
  /** bench's best median rows/s divided by this peer's: above 1, bench is faster. */
  readonly benchRatio?: number;
}

export async function analyzePeers(results: readonly PeerResult[], best: PointSummary | undefined): Promise<PeerSummary[]> {
  const groups = new Map<string, PeerResult[]>();
  for (const r of results) groups.set(`${r.peer}/p${r.parallelism}`, [...(groups.get(`${r.peer}/p${r.parallelism}`) ?? []), r]);
  const out: PeerSummary[] = [];
  for (const list of groups.values()) {
    const ok = list.filter((r): r is Extract<PeerResult, { state: 'ok' }> => r.state === 'ok');
    const stats = await pointStatistics(ok.map((r) => r.seconds.total), ok[0]?.rows ?? 0);
    const skipped = list.find((r) => r.state === 'skipped');
    const bestRate = best?.stats?.rowsPerSecond.median;
    out.push({
      peer: list[0]!.peer,
      parallelism: list[0]!.parallelism,
      ok: ok.length,
      failed: list.filter((r) => r.state === 'failed').length,
      ...(stats ? { stats } : {}),
      ...(skipped?.state === 'skipped' ? { skippedReason: skipped.reason } : {}),
      errors: [...new Set(list.flatMap((r) => (r.state === 'failed' ? [`${r.phase}: ${r.error}`] : [])))],
      notes: [...new Set(ok.flatMap((r) => (r.note ? [r.note] : [])))],
      ...(stats && bestRate ? { benchRatio: bestRate / stats.rowsPerSecond.median } : {}),
    });
  }
  return out;
}

export const SEEDS_ORDERING: readonly StrategyName[] = ['csv-buffer', 'direct-stream', 'pipeline', 'native-bulk'];

export async function analyzeTrials(trials: readonly TrialResult[]): Promise<SweepAnalysis> {
  const byPoint = new Map<string, TrialResult[]>();
  for (const t of trials) byPoint.set(t.spec.point, [...(byPoint.get(t.spec.point) ?? []), t]);

  const points: PointSummary[] = [];
  for (const [point, list] of byPoint) {
    const spec = list[0]!.spec;
    const ok = list.filter((t): t is OkTrial => t.state === 'ok');
    const rows = ok[0]?.metrics.rows ?? 0;
    const stats = await pointStatistics(ok.map((t) => t.metrics.seconds.total), rows);
    const medianTrial = stats
      ? [...ok].sort((a, b) => Math.abs(a.metrics.seconds.total - stats.seconds.median) - Math.abs(b.metrics.seconds.total - stats.seconds.median))[0]
      : undefined;
    const measured = list.flatMap((t) => (t.state !== 'skipped' && t.metrics ? [t.metrics] : []));
    const skipped = list.find((t) => t.state === 'skipped');
    points.push({
      point,
      strategy: spec.strategy,
      parallelism: spec.parallelism,
      partitions: spec.partitions ?? 1,
      batchSize: spec.params.batchSize,
      ok: ok.length,
      failed: list.filter((t) => t.state === 'failed').length,
      skipped: list.filter((t) => t.state === 'skipped').length,
      ...(stats ? { stats } : {}),
      ...(medianTrial ? { medianTrial } : {}),
      errors: [...new Set(list.flatMap((t) => (t.state === 'failed' ? [`${t.phase}: ${t.error}`] : [])))],
      ...(skipped?.state === 'skipped' ? { skippedReason: skipped.reason } : {}),
      peakRssBytes: Math.max(0, ...measured.map((m) => m.process.peakRssBytes)),
      cpuCores: Math.max(0, ...measured.map((m) => m.process.cpuCores)),
      notes: [...new Set(measured.flatMap((m) => m.notes))],
      ...(medianTrial?.metrics.resources ? { resources: medianTrial.metrics.resources, diagnosis: diagnoseTrial(medianTrial.metrics.resources) } : {}),
    });
  }

  const rate = (p: PointSummary) => p.stats?.rowsPerSecond.median ?? 0;
  const eligible = points.filter((p) => p.stats && p.failed === 0);
  const best = [...eligible].sort((a, b) => rate(b) - rate(a))[0];
  const baseline = [...eligible].filter((p) => p.strategy === 'csv-buffer').sort((a, b) => rate(b) - rate(a))[0];

  const matrix = new Map<StrategyName, Map<number, PointSummary>>();
  for (const p of eligible) {
    const row = matrix.get(p.strategy) ?? new Map<number, PointSummary>();
    const current = row.get(p.parallelism);
    if (!current || rate(p) > rate(current)) row.set(p.parallelism, p);
    matrix.set(p.strategy, row);
  }
  const sortedMatrix = new Map([...matrix].sort((a, b) => strategyNames.indexOf(a[0]) - strategyNames.indexOf(b[0])));

  const bestOf = (s: StrategyName) => Math.max(0, ...[...(matrix.get(s)?.values() ?? [])].map(rate));
  const present = SEEDS_ORDERING.filter((s) => matrix.has(s));
  const observed = [...present].sort((a, b) => bestOf(a) - bestOf(b));
  const ordering = present.length >= 2 ? { expected: present, observed, held: present.every((s, i) => observed[i] === s) } : undefined;

  const scaling = new Map<StrategyName, string>();
  for (const [strategy, row] of sortedMatrix) {
    const line = diagnoseScaling(
      [...row.values()].flatMap((p) => (p.resources && p.stats ? [{ parallelism: p.parallelism, rowsPerSecond: p.stats.rowsPerSecond.median, summary: p.resources.summary }] : [])),
    );
    if (line) scaling.set(strategy, line);
  }

  return {
    points,
    scaling,
    ...(best ? { best } : {}),
    ...(baseline ? { baseline } : {}),
    matrix: sortedMatrix,
    parallelismLevels: [...new Set(points.map((p) => p.parallelism))].sort((a, b) => a - b),
    ...(ordering ? { ordering } : {}),
    trials: {
      ok: trials.filter((t) => t.state === 'ok').length,
      failed: trials.filter((t) => t.state === 'failed').length,
      skipped: trials.filter((t) => t.state === 'skipped').length,
    },
  };
}

/** rows/s of a point relative to another (speed-up), or undefined when either is unmeasured. */
export function speedup(p: PointSummary | undefined, base: PointSummary | undefined): number | undefined {
  const a = p?.stats?.rowsPerSecond.median;
  const b = base?.stats?.rowsPerSecond.median;
  return a && b ? a / b : undefined;
}

/** The diagnosis is of the copy itself, where strategies differ; the index builds after it load the target alike. */
export function diagnoseTrial(resources: NonNullable<TrialMetrics['resources']>): Diagnosis {
  return diagnose(resources.copySummary ?? resources.summary);
}
