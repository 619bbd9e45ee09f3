import type { ProcessUsage } from '../model/metrics.js';
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
