import { describe, expect, it } from 'vitest';
import { diagnose, diagnoseScaling } from '../../../harness/analysis/diagnose.js';
import type { MetricsSummary } from '../../../harness/model/metrics.js';

const GB = 1e9;

/** A calm 2-core host: nothing saturated. Each fixture overrides what makes it what it is. */
type Cpu = NonNullable<MetricsSummary['cpu']>;
function summary(over: Partial<Omit<MetricsSummary, 'cpu'>> & { cpu?: Partial<Cpu> } = {}): MetricsSummary {
  const { cpu, ...rest } = over;
  return {
    samples: 10,
    seconds: 10,
    cores: 2,
    cpu: { userAvg: 30, systemAvg: 10, iowaitAvg: 2, iowaitPeak: 5, stealAvg: 0, busyAvg: 40, busyPeak: 55, ...cpu },
    memory: { totalBytes: 16 * GB, usedPeakBytes: 4 * GB, availableMinBytes: 12 * GB, swapUsedPeakBytes: 0, swapGrowthBytes: 0 },
    disk: { readAvg: 1e6, writeAvg: 40e6, readPeak: 2e6, writePeak: 80e6 },
    net: { rxAvg: 0, txAvg: 0, rxPeak: 0, txPeak: 0 },
    bench: { cpuCoresAvg: 0.3, cpuCoresPeak: 0.5, rssPeakBytes: 200e6 },
    servers: { source: { cpuCoresAvg: 0.2, cpuCoresPeak: 0.3 }, target: { cpuCoresAvg: 0.3, cpuCoresPeak: 0.5 } },
    ...rest,
  };
}

const targetBound = summary({
  cpu: { userAvg: 80, systemAvg: 17, busyAvg: 97, busyPeak: 100 },
  bench: { cpuCoresAvg: 0.03, cpuCoresPeak: 0.05, rssPeakBytes: 1e8 },
  servers: { source: { cpuCoresAvg: 0.02, cpuCoresPeak: 0.04 }, target: { cpuCoresAvg: 1.9, cpuCoresPeak: 1.98 } },
});
const benchOneThread = summary({
  cpu: { userAvg: 60, systemAvg: 10, busyAvg: 70, busyPeak: 80 },
  bench: { cpuCoresAvg: 0.98, cpuCoresPeak: 1.05, rssPeakBytes: 3e8 },
  servers: { source: { cpuCoresAvg: 0.2, cpuCoresPeak: 0.3 }, target: { cpuCoresAvg: 0.2, cpuCoresPeak: 0.3 } },
});
const ioBound = summary({ cpu: { iowaitAvg: 35, iowaitPeak: 60, busyAvg: 30 } });
const stolen = summary({ cpu: { stealAvg: 20, busyAvg: 60 } });
const swapping = summary({
  cpu: { iowaitAvg: 30 }, // swapping shows as iowait too: memory must win
  memory: { totalBytes: 4 * GB, usedPeakBytes: 3.9 * GB, availableMinBytes: 0.1 * GB, swapUsedPeakBytes: 1.2 * GB, swapGrowthBytes: 0.8 * GB },
});

describe('diagnose', () => {
  it('CPU-bound target', () => {
    const d = diagnose(targetBound);
    expect(d.bottleneck).toBe('target-cpu');
    expect(d.verdict).toBe('target CPU-bound (1.9 of 2 cores)');
    expect(d.evidence.join('\n')).toMatch(/target 1\.9 cores on average \(peak 2\.0\)/);
  });

  it('single-thread bench process', () => {
    const d = diagnose(benchOneThread);
    expect(d.bottleneck).toBe('bench-cpu');
    expect(d.verdict).toBe('bench process CPU-bound (one thread: 0.98 cores)');
  });

  it('one PostgreSQL backend at one core on a host with spare cores', () => {
    const d = diagnose(summary({ cores: 8, servers: { source: { cpuCoresAvg: 0.3, cpuCoresPeak: 0.4 }, target: { cpuCoresAvg: 0.97, cpuCoresPeak: 1 } } }));
    expect(d.bottleneck).toBe('target-cpu');
    expect(d.verdict).toMatch(/^target CPU-bound on one core \(0\.97 cores/);
  });

  it('iowait', () => {
    const d = diagnose(ioBound);
    expect(d.bottleneck).toBe('io-wait');
    expect(d.verdict).toMatch(/^I\/O wait 35% — disk contention \(write 40\.0 MB\/s/);
  });

  it('steal', () => {
    const d = diagnose(stolen);
    expect(d.bottleneck).toBe('steal');
    expect(d.verdict).toMatch(/^CPU steal 20% — noisy neighbours/);
  });

  it('memory pressure comes before its symptoms (iowait)', () => {
    const d = diagnose(swapping);
    expect(d.bottleneck).toBe('memory');
    expect(d.verdict).toBe('memory pressure (swap 1.2 GB used, +800.0 MB during the trial; 3% of memory available at the lowest)');
  });

  it('old swap that did not grow, with memory to spare, is not pressure', () => {
    const d = diagnose(summary({ memory: { totalBytes: 16 * GB, usedPeakBytes: 4 * GB, availableMinBytes: 12 * GB, swapUsedPeakBytes: 1 * GB, swapGrowthBytes: 0 } }));
    expect(d.bottleneck).toBe('none');
  });

  it('a host saturated by several processes at once', () => {
    const d = diagnose(
      summary({
        cpu: { busyAvg: 95 },
        bench: { cpuCoresAvg: 0.8, cpuCoresPeak: 0.9, rssPeakBytes: 1e8 },
        servers: { source: { cpuCoresAvg: 0.4, cpuCoresPeak: 0.5 }, target: { cpuCoresAvg: 0.7, cpuCoresPeak: 0.8 } },
      }),
    );
    expect(d.bottleneck).toBe('host-cpu');
    expect(d.verdict).toBe('host CPU saturated (95% busy: bench 0.80, target 0.70, source 0.40 cores)');
  });

  it('a host saturated by something else (another job on a shared runner)', () => {
    const d = diagnose(
      summary({
        cpu: { busyAvg: 99 },
        bench: { cpuCoresAvg: 0.01, cpuCoresPeak: 0.01, rssPeakBytes: 1e8 },
        servers: { source: { cpuCoresAvg: 0, cpuCoresPeak: 0 }, target: { cpuCoresAvg: 0.94, cpuCoresPeak: 0.98 } },
      }),
    );
    expect(d.bottleneck).toBe('host-cpu');
    expect(d.verdict).toBe('host CPU saturated (99% busy: target 0.94, bench 0.01, source 0.00, other processes 1.0 cores)');
  });

  it('none', () => {
    const d = diagnose(summary());
    expect(d.bottleneck).toBe('none');
    expect(d.verdict).toMatch(/^no resource saturated \(host 40% busy, iowait 2%\)/);
    expect(d.evidence.length).toBeGreaterThan(4);
  });

  it('works with missing sections and without samples', () => {
    const bare: MetricsSummary = { samples: 0, seconds: 0, cores: 2, bench: { cpuCoresAvg: 0, cpuCoresPeak: 0, rssPeakBytes: 0 }, servers: {} };
    expect(diagnose(bare).bottleneck).toBe('none');
    expect(diagnose({ ...bare, samples: 3, seconds: 3 }).verdict).toMatch(/host CPU unknown/);
  });
});

describe('diagnoseScaling', () => {
  const at = (parallelism: number, rowsPerSecond: number, s: MetricsSummary) => ({ parallelism, rowsPerSecond, summary: s });

  it('a drop with iowait rising: disk contention', () => {
    const calm = summary({ cpu: { iowaitAvg: 5 } });
    const text = diagnoseScaling([at(1, 50_000, calm), at(4, 100_000, calm), at(8, 70_000, ioBound)]);
    expect(text).toBe('rows/s fell 30% from p4 to p8 while iowait rose from 5% to 35%: disk contention');
  });

  it('a drop with the target CPU saturating', () => {
    const busy = summary({ servers: { source: { cpuCoresAvg: 0.2, cpuCoresPeak: 0.3 }, target: { cpuCoresAvg: 1.2, cpuCoresPeak: 1.4 } } });
    const text = diagnoseScaling([at(2, 80_000, busy), at(4, 90_000, busy), at(8, 60_000, targetBound)]);
    expect(text).toBe('rows/s fell 33% from p4 to p8 while target CPU rose from 1.2 to 1.9 of 2 cores: target CPU saturated, more workers only add contention');
  });

  it('a drop with nothing saturated points inside the servers', () => {
    const text = diagnoseScaling([at(4, 100_000, summary()), at(16, 50_000, summary())]);
    expect(text).toMatch(/^rows\/s fell 50% from p4 to p16 with no host resource saturated at p16 .*locks, WAL insertion/);
  });

  it('says nothing when throughput keeps rising or falls within the noise', () => {
    expect(diagnoseScaling([at(1, 10, summary()), at(2, 20, summary()), at(4, 30, summary())])).toBeUndefined();
    expect(diagnoseScaling([at(4, 100, summary()), at(8, 95, ioBound)])).toBeUndefined();
    expect(diagnoseScaling([])).toBeUndefined();
    expect(diagnoseScaling([at(8, 100, ioBound)])).toBeUndefined();
  });

  it('orders points by parallelism whatever the input order', () => {
    const calm = summary({ cpu: { iowaitAvg: 5 } });
    expect(diagnoseScaling([at(8, 70_000, ioBound), at(4, 100_000, calm)])).toMatch(/from p4 to p8/);
  });
});
