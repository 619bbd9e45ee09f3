import { describe, expect, it } from 'vitest';
import { comparabilityWarnings } from '../../../harness/analysis/comparability.js';
import type { ResultsFile } from '../../../harness/results/results-file.js';
import { environment, resultsFileOf, trialsTaking } from '../../support/results.js';

/** `bench check` warns, and still compares, when the baseline measured something else (issue 15). */
describe('comparability of a baseline and current results', () => {
  const base = resultsFileOf(trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [1, 1, 1]));
  const withChange = (change: Partial<ResultsFile>): ResultsFile => ({ ...base, ...change });

  it('says nothing when dataset, machine and versions match (the host name may differ: CI runners)', () => {
    expect(comparabilityWarnings(base, withChange({ environment: { ...environment, host: { ...environment.host, hostname: 'runner-7' } } }))).toEqual([]);
  });

  it('names another dataset, platform, bench version and server version', () => {
    const current = withChange({
      dataset: { source: 'elsewhere', tables: [{ table: 'public.t', rows: 20_000, bytes: 1 }, { table: 'public.u', rows: 1, bytes: 1 }] },
      environment: {
        ...environment,
        bench: { ...environment.bench, version: '0.2.0' },
        host: { ...environment.host, logicalCpus: 2 },
        servers: { ...environment.servers, target: { ...environment.servers.target, version: 'PostgreSQL 16.4' } },
      },
    });
    const warnings = comparabilityWarnings(base, current);
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toBe('another dataset: only the current results have public.u; row counts differ for public.t (10,000 → 20,000); throughput of different data is not comparable (seed both with the same --scale and --seed)');
    expect(warnings[1]).toMatch(/^another platform: the baseline ran on Test CPU, 8 CPUs, x64, 16 GiB, the current results on Test CPU, 2 CPUs, x64, 16 GiB/);
    expect(warnings[2]).toBe('another bench version: baseline 0.1.0, current 0.2.0; a change of bench itself can move the numbers');
    expect(warnings[3]).toBe('another target server: postgres PostgreSQL 15.18 in the baseline, postgres PostgreSQL 16.4 now');
  });
});
