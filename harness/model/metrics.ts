/** What the samplers measure while a trial runs: the bench process, the host and each server. */
import type { Role } from './roles.js';

/**
 * The bench process's own cost during a phase: CPU time (user + system, as a share of one core) and
 * peak resident memory. A copy that decodes rows can be capped by Node's single thread; these numbers
 * are how a report tells.
 */
export interface ProcessUsage {
  readonly wallSeconds: number;
  readonly cpuUserSeconds: number;
  readonly cpuSystemSeconds: number;
  /** CPU seconds per wall second: 1.0 means one core fully busy. */
  readonly cpuCores: number;
  /** Highest RSS sampled during the phase. */
  readonly peakRssBytes: number;
}

export interface ServerReading {
  /** CPUs busy on average since the previous reading (1.0 = one core fully). */
  cpuCores: number;
  memoryBytes?: number;
  blockReadBytesPerSec?: number;
  blockWriteBytesPerSec?: number;
}

/**
 * One tick of resource use while a trial runs. Rates and CPU shares cover the time since the previous
 * tick. A host field is absent when it could not be read on this machine (a sampling error never reaches
 * the trial); `servers` has an entry only for servers that could be read.
 */
export interface MetricSample {
  /** Seconds since the sampler started. */
  t: number;
  /** Percent of all cores (the five add up to 100). user includes nice; system includes irq and softirq. */
  cpu?: { user: number; system: number; iowait: number; steal: number; idle: number };
  memory?: { usedBytes: number; availableBytes: number; swapUsedBytes: number };
  /** Whole physical disks (no partitions, loop, RAM or device-mapper devices). */
  disk?: { readBytesPerSec: number; writeBytesPerSec: number };
  /** Real interfaces (no loopback, bridges or veth pairs): a copy between two local servers shows ~0 here. */
  net?: { rxBytesPerSec: number; txBytesPerSec: number };
  /** This process: cores busy (all threads) and resident memory. */
  bench: { cpuCores: number; rssBytes: number };
  servers: Partial<Record<Role, ServerReading>>;
}

/**
 * One trial's samples boiled down for reports and diagnosis. Averages are weighted by each sample's
 * interval (the last one may be shorter); peaks are the highest single sample. A section is absent when
 * no sample had that field (e.g. no disk counters in this environment).
 */
export interface MetricsSummary {
  samples: number;
  /** Seconds covered (t of the last sample). */
  seconds: number;
  /** Cores the CPU percentages are shares of. */
  cores: number;
  /** Percent of all cores. busy = user + system (iowait, steal and idle are not work done). */
  cpu?: { userAvg: number; systemAvg: number; iowaitAvg: number; iowaitPeak: number; stealAvg: number; busyAvg: number; busyPeak: number };
  memory?: {
    /** used + available: the memory the kernel manages. */
    totalBytes: number;
    usedPeakBytes: number;
    availableMinBytes: number;
    swapUsedPeakBytes: number;
    /** Swap used at the end minus at the start: swap that was written during the trial. */
    swapGrowthBytes: number;
  };
  /** Bytes per second. */
  disk?: { readAvg: number; writeAvg: number; readPeak: number; writePeak: number };
  /** Bytes per second. */
  net?: { rxAvg: number; txAvg: number; rxPeak: number; txPeak: number };
  bench: { cpuCoresAvg: number; cpuCoresPeak: number; rssPeakBytes: number };
  servers: Partial<Record<Role, ServerSummary>>;
}

export interface ServerSummary {
  cpuCoresAvg: number;
  cpuCoresPeak: number;
  memoryPeakBytes?: number;
  /** Bytes per second (containers with block I/O accounting only). */
  blockReadAvg?: number;
  blockWriteAvg?: number;
}
