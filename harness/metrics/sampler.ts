import type { MetricSample } from '../model/metrics.js';
import { availableParallelism } from 'node:os';
import type Docker from 'dockerode';
import { newDockerClient } from '../providers/docker-engine.js';
import type { Role } from '../model/roles.js';
import { hostReader, type HostReader, type HostReading } from './host.js';
import { serverReader, type ServerProbe, type ServerReader } from './servers.js';
import { type ServerReading } from '../model/metrics.js';

export type { ServerProbe } from './servers.js';
export { summarizeMetrics } from './summary.js';

export interface MetricsSamplerOptions {
  /** Default 1000. */
  readonly intervalMs?: number;
  readonly servers?: readonly ServerProbe[];
  /** Docker client for container probes; default `new Docker()` (DOCKER_HOST or the local socket). */
  readonly docker?: Docker;
  /** For tests: the host reader (default /proc on Linux, systeminformation elsewhere). */
  readonly host?: HostReader;
}

export interface MetricsSampler {
  /**
   * Stops the timer, takes a last sample if the last one is old enough to give a rate, returns them all.
   * Later calls return the same samples.
   */
  stop(): Promise<MetricSample[]>;
}

/** A tick shorter than this gives rates too noisy to keep (USER_HZ is 100, so CPU comes in 10 ms steps). */
const MIN_FINAL_TICK_MS = 250;

/** Cores the CPU shares are a percentage of (what /proc/stat's aggregate line covers). */
export function hostCores(): number {
  return availableParallelism();
}

/**
 * Samples host, server and bench-process resource use about once per interval until stop(). Start it
 * just before the timed region and stop it right after. It is cheap on Linux (a few /proc reads per tick,
 * no child process), its timer is unref'd (it never keeps the process alive), and a tick that is still
 * running when the next is due is skipped rather than queued.
 */
export function startMetricsSampler(options: MetricsSamplerOptions = {}): MetricsSampler {
  const intervalMs = options.intervalMs ?? 1000;
  const host = options.host ?? hostReader();
  const servers = openServerReaders(options.servers ?? [], options.docker);

  const samples: MetricSample[] = [];
  const t0 = performance.now();
  let lastTick = t0;
  let cpu0 = process.cpuUsage();
  let running: Promise<void> | undefined;
  let stopped = false;

  const tick = async (): Promise<void> => {
    const now = performance.now();
    const seconds = (now - lastTick) / 1000;
    const cpu = process.cpuUsage();
    const benchCores = seconds > 0 ? (cpu.user - cpu0.user + cpu.system - cpu0.system) / 1e6 / seconds : 0;
    lastTick = now;
    cpu0 = cpu;
    const serverReadings = readServers(servers);
    const hostReading = await readHost(host);
    const rssBytes = readRss();
    samples.push({ t: (now - t0) / 1000, ...hostReading, bench: { cpuCores: Math.max(0, benchCores), rssBytes }, servers: serverReadings });
  };

  const runTick = () => {
    if (running || stopped) return;
    running = tick()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
  };

  // Baselines: the first host and server reads only set the counters the first sample's rates start from.
  // Ticks wait for it (systeminformation's first call takes ~0.7 s, and its readers must not overlap).
  const baseline = Promise.resolve()
    .then(() => host.read())
    .then(
      () => undefined,
      () => undefined,
    )
    .finally(() => {
      running = undefined;
    });
  running = baseline;
  readServers(servers);
  const timer = setInterval(runTick, intervalMs);
  timer.unref();

  let stopping: Promise<MetricSample[]> | undefined;
  const finish = async (): Promise<MetricSample[]> => {
    clearInterval(timer);
    stopped = true;
    await running;
    if (performance.now() - lastTick >= MIN_FINAL_TICK_MS) await tick().catch(() => undefined);
    for (const s of servers) s.close();
    return samples;
  };
  return {
    // Idempotent, so a runner can stop it both on the normal path and in a finally.
    stop: () => (stopping ??= finish()),
  };
}

/** A reader per probe that can have one; a server whose reader cannot be made just has no numbers. */
function openServerReaders(probes: readonly ServerProbe[], docker: Docker | undefined): ServerReader[] {
  const dockerClient = () => (docker ??= newDockerClient());
  const servers: ServerReader[] = [];
  for (const probe of probes) {
    try {
      const r = serverReader(probe, dockerClient);
      if (r) servers.push(r);
    } catch {
      // e.g. a malformed DOCKER_HOST: this server just has no numbers
    }
  }
  return servers;
}

function readServers(servers: readonly ServerReader[]): Partial<Record<Role, ServerReading>> {
  const out: Partial<Record<Role, ServerReading>> = {};
  for (const s of servers) {
    try {
      const r = s.read();
      if (r) out[s.role] = r;
    } catch {
      // never into the trial
    }
  }
  return out;
}

async function readHost(host: HostReader): Promise<HostReading> {
  try {
    return await host.read();
  } catch {
    return {}; // absent fields
  }
}

function readRss(): number {
  try {
    return process.memoryUsage.rss();
  } catch {
    return 0;
  }
}
