import type { PointSummary } from './points.js';
import type { ResultsFile } from '../results/results-file.js';
import type { Profile } from '../../profiles/profile.js';
import type { StrategyName } from '../model/contender.js';
import type { TrialResult } from '../model/trial.js';
import type { SweepAnalysis } from './sweep-analysis.js';

/**
 * The server settings a trial ran under, where its plan varied them: the one place that reads them, so
 * the server-settings sweep dimension has one function to feed. A plan that varies no setting records
 * none, and then every setting of the profile is one the sweep ran with, not one it measured.
 */
export function trialServerSettings(t: TrialResult): Readonly<Record<string, string>> {
  return (t.spec as { readonly serverSettings?: Readonly<Record<string, string>> }).serverSettings ?? {};
}

/**
 * Settings whose value differed between the sweep's measured trials, with the values tried (sorted). A
 * trial that does not set one ran with `profile`'s value (or the server's own, when the profile has none).
 */
export function variedSettings(trials: readonly TrialResult[], profile: Readonly<Record<string, string>> = {}): Record<string, string[]> {
  const measured = trials.filter((t) => t.spec.warmup !== true && t.spec.kind === 'strategy');
  const names = new Set(measured.flatMap((t) => Object.keys(trialServerSettings(t))));
  const out: Record<string, string[]> = {};
  for (const name of names) {
    const values = new Set(measured.map((t) => trialServerSettings(t)[name] ?? profile[name] ?? "the server's own"));
    if (values.size > 1) out[name] = [...values].sort();
  }
  return out;
}

/**
 * The best point of a sweep as a profile `bench run --profile FILE` applies and `bench profile export`
 * turns into postgresql.conf and Airflow settings: the copy settings that won, the server settings the
 * sweep ran them under (the winner's own where the sweep varied them), and the evidence.
 */
export function recommendedProfile(results: ResultsFile, best: PointSummary, base: Profile, evidence: { winner: boolean; established: boolean } = { winner: true, established: true }): Profile {
  const trial = best.medianTrial;
  const host = results.environment.host;
  const rate = best.stats ? Math.round(best.stats.rowsPerSecond.median).toLocaleString('en-US') : '?';
  const measured = variedSettings(results.trials, { ...base.server.both, ...base.server.target });
  const server = { both: { ...base.server.both }, source: { ...base.server.source }, target: { ...base.server.target } };
  for (const [name, value] of Object.entries(trial ? trialServerSettings(trial) : {})) {
    if (!(name in measured)) continue;
    const role = name in server.target ? 'target' : name in server.source ? 'source' : 'both';
    server[role][name] = value;
  }
  return {
    name: `recommended-${host.hostname}`,
    description:
      `Best point of a bench sweep on ${host.hostname} (${host.cpuModel}, ${host.logicalCpus} CPUs) at ${results.createdAt}: ` +
      `${best.point}, ${rate} rows/s median over ${best.stats?.samples ?? 0} trial(s).`,
    server,
    copy: {
      strategy: best.contender as StrategyName,
      parallelism: best.parallelism,
      partitions: best.partitions,
      ...(best.contender !== 'native-bulk' && best.batchSize !== undefined ? { batchSize: best.batchSize } : {}),
      poolSize: best.parallelism,
      ...(trial?.spec.kind === 'strategy'
        ? {
            constraints: trial.spec.constraints,
            copyFormat: trial.spec.params.copyFormat,
            freeze: trial.spec.params.freeze === true,
            queueSize: trial.spec.params.queueSize,
            chunkSize: trial.spec.params.chunkSize,
          }
        : {}),
    },
    recommendation: {
      point: best.point,
      winner: evidence.winner,
      rowsPerSecond: best.stats?.rowsPerSecond.median ?? 0,
      trials: best.stats?.samples ?? 0,
      established: evidence.established,
      host: host.hostname,
      measuredAt: results.createdAt,
      measured,
    },
  };
}

/**
 * The profile a sweep recommends: its winner (or `point`), under the server settings it ran with
 * (recorded in results.config.profileServer). Undefined when no point passed every trial.
 */
export function recommendationOf(results: ResultsFile, analysis: SweepAnalysis, point: PointSummary | undefined = analysis.best): Profile | undefined {
  if (!point) return undefined;
  const base = (results.config.profileServer ?? { both: {}, source: {}, target: {} }) as Profile['server'];
  const winner = point === analysis.best;
  return recommendedProfile(results, point, { name: 'base', server: base, copy: {} }, { winner, established: winner && analysis.bestClaim?.established !== false });
}
