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

export interface ProcessSampler {
  stop(): ProcessUsage;
}

export function startProcessSampler(intervalMs = 200): ProcessSampler {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      const cpu = process.cpuUsage(cpu0);
      const wallSeconds = (performance.now() - t0) / 1000;
      const user = cpu.user / 1e6;
      const system = cpu.system / 1e6;
      return {
        wallSeconds,
        cpuUserSeconds: user,
        cpuSystemSeconds: system,
        cpuCores: wallSeconds > 0 ? (user + system) / wallSeconds : 0,
        peakRssBytes: peak,
      };
    },
  };
}

/** Peak RSS of the whole process so far (the kernel's high-water mark, in bytes). */
export function processPeakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}
