import { startProcessSampler, type ProcessSampler } from '../metrics/process-usage.js';
import { startMetricsSampler, type MetricsSampler } from '../metrics/sampler.js';
import type { ActivityProbe } from '../model/database.js';
import type { MetricSample, ProcessUsage } from '../model/metrics.js';
import type { Role } from '../model/roles.js';
import type { ConcurrencyRecord } from '../model/trial.js';
import type { RunContext } from '../setup/run-context.js';

/** Samples a trial aims for, so a 2-second trial gets a timeline and a 10-minute one is not flooded. */
const TARGET_SAMPLES = 25;
const MIN_INTERVAL_MS = 50;
const MAX_INTERVAL_MS = 1000;
/** Interval before a contender's first trial has told how long it takes. */
const FIRST_INTERVAL_MS = 100;
/** How often the servers are asked how many sessions are busy. */
const ACTIVITY_INTERVAL_MS = 25;

/** The resource sampler's interval for a trial expected to take `expectedSeconds`. */
export function samplingInterval(expectedSeconds: number | undefined): number {
  if (expectedSeconds === undefined || !(expectedSeconds > 0)) return FIRST_INTERVAL_MS;
  return Math.round(Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, (expectedSeconds * 1000) / TARGET_SAMPLES)));
}

export interface TrialSampling {
  /** Starts every sampler: the timed region begins. */
  start(): void;
  /** The copy is over: stops polling the servers' activity and returns what it saw. */
  endCopy(): Promise<ConcurrencyRecord['servers']>;
  /** Stops everything (idempotent, safe in a finally) and returns the bench process's usage and the samples. */
  stop(): Promise<{ usage?: ProcessUsage; samples: MetricSample[] }>;
}

/**
 * Opens what samples one trial (untimed): a connection per server that counts its busy sessions, and the
 * resource sampler (host, servers' processes, bench's CPU and RSS) at an interval fit for the trial's
 * expected length. Nothing runs until start().
 */
export async function openSampling(run: Pick<RunContext, 'source' | 'target' | 'metricsProbes'>, expectedSeconds: number | undefined): Promise<TrialSampling> {
  const probes: { role: Role; probe: ActivityProbe }[] = [];
  for (const db of [run.source, run.target]) {
    const probe = await db.activityProbe?.().catch(() => undefined);
    if (probe) probes.push({ role: db.role, probe });
  }
  const activity = new Map<Role, number[]>();
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let process_: ProcessSampler | undefined;
  let resources: MetricsSampler | undefined;
  let stopped: Promise<{ usage?: ProcessUsage; samples: MetricSample[] }> | undefined;

  const poll = () => {
    if (polling) return;
    polling = Promise.all(
      probes.map(async ({ role, probe }) => {
        const n = await probe.busySessions().catch(() => undefined);
        if (n !== undefined) activity.set(role, [...(activity.get(role) ?? []), n]);
      }),
    ).then(() => {
      polling = undefined;
    });
  };
  const endCopy = async (): Promise<ConcurrencyRecord['servers']> => {
    if (timer) clearInterval(timer);
    timer = undefined;
    await polling;
    const out: { -readonly [R in Role]?: { peak: number; mean: number; samples: number } } = {};
    for (const [role, xs] of activity) out[role] = { peak: Math.max(...xs), mean: xs.reduce((a, b) => a + b, 0) / xs.length, samples: xs.length };
    return out;
  };
  return {
    start() {
      process_ = startProcessSampler();
      resources = startMetricsSampler({ servers: run.metricsProbes, intervalMs: samplingInterval(expectedSeconds) });
      if (probes.length > 0) {
        poll();
        timer = setInterval(poll, ACTIVITY_INTERVAL_MS);
        timer.unref();
      }
    },
    endCopy,
    stop() {
      stopped ??= (async () => {
        await endCopy();
        await Promise.all(probes.map(({ probe }) => probe.close().catch(() => undefined)));
        const usage = process_?.stop();
        const samples = (await resources?.stop().catch(() => [])) ?? [];
        return { ...(usage ? { usage } : {}), samples };
      })();
      return stopped;
    },
  };
}
