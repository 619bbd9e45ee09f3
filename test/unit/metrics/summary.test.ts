import { describe, expect, it } from 'vitest';
import type { MetricSample } from '../../../harness/model/metrics.js';
import { summarizeMetrics } from '../../../harness/metrics/summary.js';

const sample = (t: number, over: Partial<MetricSample> = {}): MetricSample => ({
  t,
  cpu: { user: 40, system: 10, iowait: 5, steal: 0, idle: 45 },
  memory: { usedBytes: 4e9, availableBytes: 12e9, swapUsedBytes: 1e8 },
  disk: { readBytesPerSec: 0, writeBytesPerSec: 1e7 },
  net: { rxBytesPerSec: 0, txBytesPerSec: 0 },
  bench: { cpuCores: 0.5, rssBytes: 1e8 },
  servers: { target: { cpuCores: 1 } },
  ...over,
});

describe('summarizeMetrics', () => {
  it('weights averages by each interval; peaks are single samples', () => {
    const s = summarizeMetrics(
      [
        sample(1),
        sample(2, { cpu: { user: 80, system: 20, iowait: 0, steal: 0, idle: 0 }, servers: { target: { cpuCores: 2 } } }),
        // a short last tick (0.5 s) counts half
        sample(2.5, { cpu: { user: 0, system: 0, iowait: 50, steal: 10, idle: 40 }, memory: { usedBytes: 5e9, availableBytes: 11e9, swapUsedBytes: 3e8 } }),
      ],
      2,
    );
    expect(s.samples).toBe(3);
    expect(s.seconds).toBe(2.5);
    expect(s.cpu!.busyAvg).toBeCloseTo((50 + 100 + 0 * 0.5) / 2.5);
    expect(s.cpu!.busyPeak).toBe(100);
    expect(s.cpu!.iowaitAvg).toBeCloseTo((5 + 0 + 50 * 0.5) / 2.5);
    expect(s.cpu!.iowaitPeak).toBe(50);
    expect(s.cpu!.stealAvg).toBeCloseTo(2);
    expect(s.memory).toEqual({ totalBytes: 16e9, usedPeakBytes: 5e9, availableMinBytes: 11e9, swapUsedPeakBytes: 3e8, swapGrowthBytes: 2e8 });
    expect(s.servers.target).toEqual({ cpuCoresAvg: (1 + 2 + 0.5) / 2.5, cpuCoresPeak: 2 });
    expect(s.servers.source).toBeUndefined();
    expect(s.bench).toEqual({ cpuCoresAvg: 0.5, cpuCoresPeak: 0.5, rssPeakBytes: 1e8 });
  });

  it('leaves out sections no sample had, and averages what some samples had', () => {
    const bare = (t: number): MetricSample => ({ t, bench: { cpuCores: 0.1, rssBytes: 1 }, servers: {} });
    const s = summarizeMetrics([bare(1), { ...bare(2), disk: { readBytesPerSec: 4, writeBytesPerSec: 8 } }], 4);
    expect(s.cpu).toBeUndefined();
    expect(s.memory).toBeUndefined();
    expect(s.net).toBeUndefined();
    expect(s.disk).toEqual({ readAvg: 4, writeAvg: 8, readPeak: 4, writePeak: 8 });
    expect(s.cores).toBe(4);
  });

  it('keeps container memory and block I/O where there is some', () => {
    const s = summarizeMetrics(
      [sample(1, { servers: { source: { cpuCores: 0.5, memoryBytes: 3e8, blockReadBytesPerSec: 1e6, blockWriteBytesPerSec: 2e6 } } })],
      2,
    );
    expect(s.servers.source).toEqual({ cpuCoresAvg: 0.5, cpuCoresPeak: 0.5, memoryPeakBytes: 3e8, blockReadAvg: 1e6, blockWriteAvg: 2e6 });
  });

  it('is empty but well-formed without samples', () => {
    const s = summarizeMetrics([], 2);
    expect(s).toEqual({ samples: 0, seconds: 0, cores: 2, bench: { cpuCoresAvg: 0, cpuCoresPeak: 0, rssPeakBytes: 0 }, servers: {} });
  });
});
