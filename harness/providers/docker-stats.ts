import type Docker from 'dockerode';

/**
 * Resource use of a database container, for metrics: cumulative counters sampled before and after a
 * timed region, then subtracted. `one-shot` asks the engine for a single reading instead of waiting
 * about a second for a second one (API 1.41+; older engines ignore it and take the second).
 */
export interface ContainerCounters {
  /** When the engine read the counters (ms since the epoch). */
  readonly at: number;
  /** CPU time used since the container started, in nanoseconds. */
  readonly cpuNanos: number;
  /** Memory in use without the page cache (what `docker stats` shows). */
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number;
  /** Undefined where the engine reports no block I/O (e.g. cgroup v1 on virtio disks without blkio accounting). */
  readonly blkioReadBytes: number | undefined;
  readonly blkioWriteBytes: number | undefined;
}

interface BlkioEntry {
  op: string;
  value: number;
}

export function countersFromStats(s: Docker.ContainerStats): ContainerCounters {
  const mem = s.memory_stats as { usage?: number; limit?: number; stats?: Record<string, number> };
  // cgroup v1 reports the page cache as `cache` (or total_inactive_file), v2 as `inactive_file`.
  const cache = mem.stats?.total_inactive_file ?? mem.stats?.inactive_file ?? mem.stats?.cache ?? 0;
  const io = ((s.blkio_stats as { io_service_bytes_recursive?: BlkioEntry[] | null } | undefined)?.io_service_bytes_recursive ?? []) as BlkioEntry[];
  const sum = (op: string) => (io.length === 0 ? undefined : io.filter((e) => e.op.toLowerCase() === op).reduce((a, e) => a + e.value, 0));
  return {
    at: Date.parse(s.read),
    cpuNanos: s.cpu_stats.cpu_usage.total_usage,
    memoryBytes: Math.max(0, (mem.usage ?? 0) - cache),
    memoryLimitBytes: mem.limit ?? 0,
    blkioReadBytes: sum('read'),
    blkioWriteBytes: sum('write'),
  };
}

export async function containerStats(container: Docker.Container): Promise<ContainerCounters> {
  return countersFromStats(await container.stats({ stream: false, 'one-shot': true }));
}

export interface ContainerUsage {
  readonly seconds: number;
  /** Average CPUs busy over the interval (1.0 = one core fully). */
  readonly cpuCores: number;
  readonly blkioReadBytes: number | undefined;
  readonly blkioWriteBytes: number | undefined;
  /** Memory at the end of the interval. */
  readonly memoryBytes: number;
}

export function usageBetween(a: ContainerCounters, b: ContainerCounters): ContainerUsage {
  const seconds = Math.max(0, (b.at - a.at) / 1000);
  return {
    seconds,
    cpuCores: seconds > 0 ? (b.cpuNanos - a.cpuNanos) / 1e9 / seconds : 0,
    blkioReadBytes: delta(a.blkioReadBytes, b.blkioReadBytes),
    blkioWriteBytes: delta(a.blkioWriteBytes, b.blkioWriteBytes),
    memoryBytes: b.memoryBytes,
  };
}

function delta(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : Math.max(0, b - a);
}
