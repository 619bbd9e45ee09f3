import type { Role } from '../model/roles.js';
import type { MetricsSummary } from '../model/metrics.js';

export type Bottleneck = 'bench-cpu' | 'source-cpu' | 'target-cpu' | 'host-cpu' | 'io-wait' | 'memory' | 'steal' | 'none';

export interface Diagnosis {
  /** One line for the report, e.g. "target CPU-bound (1.9 of 2 cores)". */
  verdict: string;
  /** The numbers behind it, one per line. */
  evidence: string[];
  bottleneck: Bottleneck;
}

// ---------- thresholds (why these values) ----------

/**
 * Swap written during one trial. A few MB move when the kernel trims idle pages at any time; 64 MiB
 * within one timed copy means the working set (shared_buffers, backends, bench's buffers) did not fit.
 * Swap used before the trial and left alone is history, not pressure, so growth is what counts.
 */
export const SWAP_GROWTH_BYTES = 64 * 2 ** 20;
/**
 * Available memory below 5% of the total: the kernel is reclaiming page cache and may stall allocations
 * (its low watermarks sit in the low single-digit percent on typical machines), so the copy's reads come
 * from disk instead of the cache.
 */
export const AVAILABLE_MIN_SHARE = 0.05;
/**
 * Steal: under ~5% is usual on shared cloud VMs. At 10% a tenth of the CPU time the VM asked for went to
 * other guests, which moves results by more than the run-to-run noise: the numbers are not trustworthy.
 */
export const STEAL_PERCENT = 10;
/**
 * Host CPU (user + system, all cores) above 90% on average: no headroom left; with 1 s samples and 10 ms
 * clock ticks, the last few percent are scheduling gaps rather than spare capacity.
 */
export const HOST_BUSY_PERCENT = 90;
/** When the host is saturated, a process using 75% of the busy time is the one to blame; otherwise they share it. */
export const DOMINANT_SHARE = 0.75;
/**
 * A process busy 85% of the time one core (or all cores) allows is at its ceiling: the remaining 15%
 * covers waiting on the other side of the copy and the coarse accounting of short intervals.
 */
export const SATURATED_SHARE = 0.85;
/**
 * Node runs JavaScript on one thread; GC and libuv threads add a little on top, so a bench process whose
 * main thread is saturated shows about 1.0–1.3 cores. The same one-core ceiling holds for a single
 * PostgreSQL backend (one COPY stream) or a container limited to one CPU.
 */
export const ONE_THREAD_MAX_CORES = 1.5;
/**
 * iowait (idle CPU time with disk I/O outstanding) above 20% of all cores on average: on 2 cores one
 * process blocked on the disk all the time shows as up to 50%; ordinary writeback stays within a few
 * percent. 20% sustained means CPUs sit waiting for the disk a fifth of the time.
 */
export const IOWAIT_PERCENT = 20;
/** Throughput drops under 10% between parallelism levels are within run-to-run noise on shared machines. */
export const SCALING_DROP = 0.1;

// ---------- diagnosis of one trial ----------

/** The resource that limited a trial, judged from its metrics; the rules run in order, first match wins. */
export function diagnose(summary: MetricsSummary): Diagnosis {
  const evidence = describe(summary);
  if (summary.samples === 0) return { verdict: 'no resource samples (the trial was too short to sample)', evidence, bottleneck: 'none' };

  // 1. Memory first: swapping or reclaim shows up as iowait and CPU too, but they are its symptoms.
  const mem = summary.memory;
  if (mem && (mem.swapGrowthBytes >= SWAP_GROWTH_BYTES || (mem.totalBytes > 0 && mem.availableMinBytes < AVAILABLE_MIN_SHARE * mem.totalBytes))) {
    const parts = [
      mem.swapUsedPeakBytes > 0 ? `swap ${bytes(mem.swapUsedPeakBytes)} used${mem.swapGrowthBytes > 0 ? `, +${bytes(mem.swapGrowthBytes)} during the trial` : ''}` : undefined,
      `${pct((100 * mem.availableMinBytes) / mem.totalBytes)} of memory available at the lowest`,
    ].filter(Boolean);
    return { verdict: `memory pressure (${parts.join('; ')})`, evidence, bottleneck: 'memory' };
  }

  // 2. Steal: the VM lost CPU to other guests; whatever else the numbers say is distorted by it.
  const cpu = summary.cpu;
  if (cpu && cpu.stealAvg >= STEAL_PERCENT) {
    return { verdict: `CPU steal ${pct(cpu.stealAvg)} — noisy neighbours (results are unreliable; rerun on a quieter host)`, evidence, bottleneck: 'steal' };
  }

  // 3. CPU: the whole host, or one process at its ceiling.
  const consumers = cpuConsumers(summary);
  if (cpu && cpu.busyAvg >= HOST_BUSY_PERCENT) {
    const busyCores = (cpu.busyAvg / 100) * summary.cores;
    const top = consumers[0];
    if (top && top.cores >= DOMINANT_SHARE * busyCores) return cpuBound(top, summary.cores, evidence);
    // Whatever bench and the servers do not account for: other processes on the host (or a server not probed).
    const others = Math.max(0, busyCores - consumers.reduce((a, c) => a + c.cores, 0));
    const shown = others >= 0.05 ? [...consumers, { label: 'other processes', cores: others }] : consumers;
    const who = shown.map((c) => `${c.label} ${num(c.cores)}`).join(', ');
    return { verdict: `host CPU saturated (${pct(cpu.busyAvg)} busy: ${who} cores)`, evidence, bottleneck: 'host-cpu' };
  }
  const atCeiling = consumers.find((c) => c.cores >= SATURATED_SHARE * summary.cores || (c.cores >= SATURATED_SHARE && c.cores < ONE_THREAD_MAX_CORES));
  if (atCeiling) return cpuBound(atCeiling, summary.cores, evidence);

  // 4. Disk.
  if (cpu && cpu.iowaitAvg >= IOWAIT_PERCENT) {
    const disk = summary.disk ? ` (write ${bytes(summary.disk.writeAvg)}/s, read ${bytes(summary.disk.readAvg)}/s)` : '';
    return { verdict: `I/O wait ${pct(cpu.iowaitAvg)} — disk contention${disk}`, evidence, bottleneck: 'io-wait' };
  }

  const host = cpu ? `host ${pct(cpu.busyAvg)} busy, iowait ${pct(cpu.iowaitAvg)}` : 'host CPU unknown';
  return {
    verdict: `no resource saturated (${host}): latency-bound — round trips, locks or too little parallelism`,
    evidence,
    bottleneck: 'none',
  };
}

interface Consumer {
  label: string;
  bottleneck: Bottleneck;
  cores: number;
}

/** Bench and the servers, busiest first. */
function cpuConsumers(s: MetricsSummary): Consumer[] {
  const list: Consumer[] = [{ label: 'bench', bottleneck: 'bench-cpu', cores: s.bench.cpuCoresAvg }];
  for (const role of ['target', 'source'] as const satisfies readonly Role[]) {
    const sv = s.servers[role];
    if (sv) list.push({ label: role, bottleneck: `${role}-cpu`, cores: sv.cpuCoresAvg });
  }
  return list.sort((a, b) => b.cores - a.cores);
}

function cpuBound(c: Consumer, cores: number, evidence: string[]): Diagnosis {
  const allCores = c.cores >= SATURATED_SHARE * cores;
  if (c.bottleneck === 'bench-cpu') {
    const verdict = allCores
      ? `bench process CPU-bound (${num(c.cores)} of ${cores} cores)`
      : `bench process CPU-bound (one thread: ${num(c.cores)} cores)`;
    return { verdict, evidence, bottleneck: c.bottleneck };
  }
  const verdict = allCores
    ? `${c.label} CPU-bound (${num(c.cores)} of ${cores} cores)`
    : `${c.label} CPU-bound on one core (${num(c.cores)} cores: a single backend, or a 1-CPU container limit)`;
  return { verdict, evidence, bottleneck: c.bottleneck };
}

function describe(s: MetricsSummary): string[] {
  const out = [`${s.samples} samples over ${num(s.seconds, 1)} s, ${s.cores} cores`];
  if (s.cpu) {
    out.push(
      `host CPU ${pct(s.cpu.busyAvg)} busy on average (user ${pct(s.cpu.userAvg)}, system ${pct(s.cpu.systemAvg)}), peak ${pct(s.cpu.busyPeak)}`,
      `iowait ${pct(s.cpu.iowaitAvg)} on average, peak ${pct(s.cpu.iowaitPeak)}; steal ${pct(s.cpu.stealAvg)}`,
    );
  }
  out.push(`bench ${num(s.bench.cpuCoresAvg)} cores on average (peak ${num(s.bench.cpuCoresPeak)}), RSS peak ${bytes(s.bench.rssPeakBytes)}`);
  for (const role of ['source', 'target'] as const) {
    const sv = s.servers[role];
    if (!sv) continue;
    const extra = [
      sv.memoryPeakBytes !== undefined ? `memory peak ${bytes(sv.memoryPeakBytes)}` : undefined,
      sv.blockWriteAvg !== undefined ? `block write ${bytes(sv.blockWriteAvg)}/s` : undefined,
      sv.blockReadAvg !== undefined ? `block read ${bytes(sv.blockReadAvg)}/s` : undefined,
    ].filter(Boolean);
    out.push(`${role} ${num(sv.cpuCoresAvg)} cores on average (peak ${num(sv.cpuCoresPeak)})${extra.length ? `, ${extra.join(', ')}` : ''}`);
  }
  if (s.memory) {
    out.push(
      `memory: ${bytes(s.memory.availableMinBytes)} of ${bytes(s.memory.totalBytes)} available at the lowest; swap ${bytes(s.memory.swapUsedPeakBytes)} used (+${bytes(s.memory.swapGrowthBytes)} during the trial)`,
    );
  }
  if (s.disk) out.push(`disk: write ${bytes(s.disk.writeAvg)}/s on average (peak ${bytes(s.disk.writePeak)}/s), read ${bytes(s.disk.readAvg)}/s`);
  if (s.net) out.push(`network: rx ${bytes(s.net.rxAvg)}/s, tx ${bytes(s.net.txAvg)}/s on average`);
  return out;
}

// ---------- diagnosis across parallelism levels ----------

export interface ScalingPoint {
  readonly parallelism: number;
  readonly rowsPerSecond: number;
  readonly summary: MetricsSummary;
}

/**
 * When throughput falls as parallelism rises: from the best point to the worst point above it, which
 * resource saturated, with the numbers at both ends. Undefined when throughput does not fall by more
 * than the noise (SCALING_DROP).
 */
export function diagnoseScaling(points: readonly ScalingPoint[]): string | undefined {
  const sorted = [...points].sort((a, b) => a.parallelism - b.parallelism);
  let best: ScalingPoint | undefined;
  for (const p of sorted) if (!best || p.rowsPerSecond > best.rowsPerSecond) best = p;
  if (!best || best.rowsPerSecond <= 0) return undefined;
  const above = sorted.filter((p) => p.parallelism > best!.parallelism);
  if (!above.length) return undefined;
  const worst = above.reduce((a, p) => (p.rowsPerSecond < a.rowsPerSecond ? p : a));
  const drop = 1 - worst.rowsPerSecond / best.rowsPerSecond;
  if (drop < SCALING_DROP) return undefined;

  const lead = `rows/s fell ${pct(100 * drop)} from p${best.parallelism} to p${worst.parallelism}`;
  const a = best.summary;
  const b = worst.summary;
  const d = diagnose(b);
  const move = (label: string, from: string, to: string) => `${label} ${from === to ? 'stayed at' : 'rose from'} ${from === to ? from : `${from} to ${to}`}`;
  switch (d.bottleneck) {
    case 'io-wait':
      return `${lead} while ${move('iowait', pct(a.cpu?.iowaitAvg ?? 0), pct(b.cpu?.iowaitAvg ?? 0))}: disk contention`;
    case 'source-cpu':
    case 'target-cpu': {
      const role = d.bottleneck === 'source-cpu' ? 'source' : 'target';
      const from = num(a.servers[role]?.cpuCoresAvg ?? 0);
      const to = num(b.servers[role]?.cpuCoresAvg ?? 0);
      return `${lead} while ${move(`${role} CPU`, from, to)} of ${b.cores} cores: ${role} CPU saturated, more workers only add contention`;
    }
    case 'bench-cpu':
      return `${lead} while ${move('bench CPU', num(a.bench.cpuCoresAvg), num(b.bench.cpuCoresAvg))} cores: the bench process is saturated`;
    case 'host-cpu':
      return `${lead} while ${move('host CPU', pct(a.cpu?.busyAvg ?? 0), pct(b.cpu?.busyAvg ?? 0))} busy: CPU oversubscribed by bench and both servers`;
    case 'memory': {
      const from = bytes(a.memory?.availableMinBytes ?? 0);
      const to = bytes(b.memory?.availableMinBytes ?? 0);
      return `${lead} while available memory fell from ${from} to ${to} (swap +${bytes(b.memory?.swapGrowthBytes ?? 0)}): memory pressure, each worker's buffers no longer fit`;
    }
    case 'steal':
      return `${lead} while ${move('CPU steal', pct(a.cpu?.stealAvg ?? 0), pct(b.cpu?.stealAvg ?? 0))}: noisy neighbours, rerun before trusting this curve`;
    case 'none': {
      const host = b.cpu ? ` (host ${pct(b.cpu.busyAvg)} busy, iowait ${pct(b.cpu.iowaitAvg)})` : '';
      return `${lead} with no host resource saturated at p${worst.parallelism}${host}: contention inside the servers (locks, WAL insertion) is the likely cause`;
    }
  }
}

// ---------- formatting ----------

function pct(x: number): string {
  return `${Math.round(x)}%`;
}

/** Cores: "1.9", "0.98", "0.00"; other quantities with the digits asked for. */
function num(x: number, digits?: number): string {
  return x.toFixed(digits ?? (Math.abs(x) < 1 ? 2 : 1));
}

/** Decimal units, as disk and network rates are usually quoted. */
function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (Math.abs(n) >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}
