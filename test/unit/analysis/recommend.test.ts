import { describe, expect, it } from 'vitest';
import { analyzeTrials } from '../../../harness/analysis/sweep-analysis.js';
import { recommendationOf, variedSettings } from '../../../harness/analysis/recommend.js';
import type { TrialResult } from '../../../harness/model/trial.js';
import { loadProfile } from '../../../profiles/profile.js';
import { postgresqlConf } from '../../../profiles/export.js';
import { resultsFileOf, trialsTaking } from '../../support/results.js';

/** Trials of a point that ran with these server settings (the server-settings dimension's record). */
function withSettings(trials: TrialResult[], serverSettings: Record<string, string>): TrialResult[] {
  return trials.map((t) => ({ ...t, spec: { ...t.spec, serverSettings } }) as unknown as TrialResult);
}

describe('the recommended profile', () => {
  const bulkLoad = loadProfile('bulk-load').server;

  it('is the winner under the settings the sweep ran with, with the evidence; nothing varied, nothing is "measured here"', () => {
    const trials = [...trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [1, 1.01, 0.99]), ...trialsTaking({ strategy: 'pipeline', parallelism: 4 }, [2, 2.1, 1.9])];
    const results = { ...resultsFileOf(trials), config: { profileServer: bulkLoad } };
    const profile = recommendationOf(results, analyzeTrials(trials))!;
    expect(profile.copy).toMatchObject({ strategy: 'native-bulk', parallelism: 2, partitions: 1, poolSize: 2 });
    expect(profile.server).toEqual(bulkLoad);
    expect(profile.recommendation).toEqual({ point: 'native-bulk/p2', winner: true, rowsPerSecond: 10_000, trials: 3, established: true, host: 'testhost', measuredAt: '2025-01-01T00:00:00.000Z', measured: {} });
    const conf = postgresqlConf(profile, { role: 'target' });
    expect(conf).toMatch(/^# bench: the target server's settings of the sweep's winner native-bulk\/p2 \(10,000 rows\/s, median of 3 trials on testhost, /);
    expect(conf).not.toContain('measured here');
    expect(conf.match(/^# bulk-load default, not varied by this sweep: undo after the load/gm)).toHaveLength(8);
  });

  it('marks the settings the sweep varied as measured here, with the values tried, and holds the winner\'s', () => {
    const trials = [
      ...withSettings(trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [1, 1.01, 0.99]), { max_wal_size: '8GB' }),
      ...withSettings(trialsTaking({ strategy: 'native-bulk', parallelism: 4 }, [2, 2.1, 1.9]), { max_wal_size: '1GB' }),
      ...trialsTaking({ strategy: 'pipeline', parallelism: 2 }, [3, 3.1, 2.9]),
    ];
    expect(variedSettings(trials, { max_wal_size: '4GB' })).toEqual({ max_wal_size: ['1GB', '4GB', '8GB'] });
    const results = { ...resultsFileOf(trials), config: { profileServer: bulkLoad } };
    const profile = recommendationOf(results, analyzeTrials(trials))!;
    expect(profile.server.both.max_wal_size).toBe('8GB');
    const conf = postgresqlConf(profile, { role: 'target' });
    expect(conf).toMatch(/# measured here: the sweep tried 1GB, 4GB, 8GB, and 8GB won \(PostgreSQL's default: 1GB\)\.\nmax_wal_size = '8GB'/);
    expect(conf.match(/^# bulk-load default, not varied by this sweep/gm)).toHaveLength(7);
  });

  it('says when the winner is not faster than the runner-up beyond the noise', () => {
    const trials = [...trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [1, 1.01, 0.99]), ...trialsTaking({ strategy: 'pipeline', parallelism: 2 }, [1.01, 1.0, 1.02])];
    const profile = recommendationOf({ ...resultsFileOf(trials), config: { profileServer: bulkLoad } }, analyzeTrials(trials))!;
    expect(profile.recommendation?.established).toBe(false);
    expect(postgresqlConf(profile)).toMatch(/^# The winner was not faster than the runner-up beyond the noise/m);
  });
});
