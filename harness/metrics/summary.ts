import type { MetricSample, MetricsSummary } from '../model/metrics.js';

type Weighted = readonly (readonly [value: number, weight: number])[];

const avg = (xs: Weighted): number => {
  const w = xs.reduce((a, [, wt]) => a + wt, 0);
  return w > 0 ? xs.reduce((a, [v, wt]) => a + v * wt, 0) / w : xs.length ? xs.reduce((a, [v]) => a + v, 0) / xs.length : 0;
};
const peak = (xs: Weighted): number => xs.reduce((a, [v]) => Math.max(a, v), 0);
const min = (xs: Weighted): number => xs.reduce((a, [v]) => Math.min(a, v), Number.POSITIVE_INFINITY);

export function summarizeMetrics(samples: readonly MetricSample[], cores: number): MetricsSummary {
  // Each sample covers the time since the one before it (the first, since the sampler started).
  const weighted = samples.map((s, i) => ({ s, w: Math.max(0, s.t - (i > 0 ? samples[i - 1]!.t : 0)) }));
  const pick = <T>(get: (s: MetricSample) => T | undefined): [T, number][] =>
    weighted.flatMap(({ s, w }) => {
      const v = get(s);
      return v === undefined ? [] : [[v, w] as [T, number]];
    });
  const col = <T>(rows: readonly [T, number][], get: (v: T) => number): Weighted => rows.map(([v, w]) => [get(v), w] as const);

  const out: MetricsSummary = {
    samples: samples.length,
    seconds: samples.at(-1)?.t ?? 0,
    cores,
    bench: {
      cpuCoresAvg: avg(pick((s) => s.bench.cpuCores)),
      cpuCoresPeak: peak(pick((s) => s.bench.cpuCores)),
      rssPeakBytes: peak(pick((s) => s.bench.rssBytes)),
    },
    servers: {},
  };

  const cpu = pick((s) => s.cpu);
  if (cpu.length) {
    out.cpu = {
      userAvg: avg(col(cpu, (c) => c.user)),
      systemAvg: avg(col(cpu, (c) => c.system)),
      iowaitAvg: avg(col(cpu, (c) => c.iowait)),
      iowaitPeak: peak(col(cpu, (c) => c.iowait)),
      stealAvg: avg(col(cpu, (c) => c.steal)),
      busyAvg: avg(col(cpu, (c) => c.user + c.system)),
      busyPeak: peak(col(cpu, (c) => c.user + c.system)),
    };
  }
  const mem = pick((s) => s.memory);
  if (mem.length) {
    out.memory = {
      totalBytes: peak(col(mem, (m) => m.usedBytes + m.availableBytes)),
      usedPeakBytes: peak(col(mem, (m) => m.usedBytes)),
      availableMinBytes: min(col(mem, (m) => m.availableBytes)),
      swapUsedPeakBytes: peak(col(mem, (m) => m.swapUsedBytes)),
      swapGrowthBytes: Math.max(0, mem.at(-1)![0].swapUsedBytes - mem[0]![0].swapUsedBytes),
    };
  }
  const disk = pick((s) => s.disk);
  if (disk.length) {
    out.disk = {
      readAvg: avg(col(disk, (d) => d.readBytesPerSec)),
      writeAvg: avg(col(disk, (d) => d.writeBytesPerSec)),
      readPeak: peak(col(disk, (d) => d.readBytesPerSec)),
      writePeak: peak(col(disk, (d) => d.writeBytesPerSec)),
    };
  }
  const net = pick((s) => s.net);
  if (net.length) {
    out.net = {
      rxAvg: avg(col(net, (n) => n.rxBytesPerSec)),
      txAvg: avg(col(net, (n) => n.txBytesPerSec)),
      rxPeak: peak(col(net, (n) => n.rxBytesPerSec)),
      txPeak: peak(col(net, (n) => n.txBytesPerSec)),
    };
  }
  for (const role of ['source', 'target'] as const) {
    const rows = pick((s) => s.servers[role]);
    if (!rows.length) continue;
    const memory = rows.filter(([r]) => r.memoryBytes !== undefined);
    const reads = rows.filter(([r]) => r.blockReadBytesPerSec !== undefined);
    const writes = rows.filter(([r]) => r.blockWriteBytesPerSec !== undefined);
    out.servers[role] = {
      cpuCoresAvg: avg(col(rows, (r) => r.cpuCores)),
      cpuCoresPeak: peak(col(rows, (r) => r.cpuCores)),
      ...(memory.length ? { memoryPeakBytes: peak(col(memory, (r) => r.memoryBytes!)) } : {}),
      ...(reads.length ? { blockReadAvg: avg(col(reads, (r) => r.blockReadBytesPerSec!)) } : {}),
      ...(writes.length ? { blockWriteAvg: avg(col(writes, (r) => r.blockWriteBytesPerSec!)) } : {}),
    };
  }
  return out;
}
