import type { PointSummary } from './points.js';
import type { ResultsFile } from '../results/results-file.js';
import type { Profile } from '../../profiles/profile.js';
import type { StrategyName } from '../model/contender.js';

/**
 * The best point of a sweep as a profile `bench run --profile FILE` applies: the copy settings that
 * won, and the server settings the sweep measured them under (as the servers reported them).
 */
export function recommendedProfile(results: ResultsFile, best: PointSummary, base: Profile): Profile {
  const trial = best.medianTrial;
  const host = results.environment.host;
  const rate = best.stats ? Math.round(best.stats.rowsPerSecond.median).toLocaleString('en-US') : '?';
  return {
    name: `recommended-${host.hostname}`,
    description:
      `Best point of a bench sweep on ${host.hostname} (${host.cpuModel}, ${host.logicalCpus} CPUs) at ${results.createdAt}: ` +
      `${best.point}, ${rate} rows/s median over ${best.stats?.samples ?? 0} trial(s).`,
    server: base.server,
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
            queueSize: trial.spec.params.queueSize,
            chunkSize: trial.spec.params.chunkSize,
          }
        : {}),
    },
  };
}
