import { describe, expect, it } from 'vitest';
import type { HostReader } from '../../../harness/metrics/host.js';
import { ProcHostReader, SystemInformationHostReader } from '../../../harness/metrics/host.js';
import { startMetricsSampler } from '../../../harness/metrics/sampler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startMetricsSampler', () => {
  it('keeps sampling the bench process when the host cannot be read, and never throws', async () => {
    const broken: HostReader = {
      read: () => Promise.reject(new Error('no /proc here')),
    };
    const sampler = startMetricsSampler({ intervalMs: 50, host: broken, servers: [{ role: 'source', kind: 'external' }] });
    await sleep(220);
    const samples = await sampler.stop();
    expect(samples.length).toBeGreaterThanOrEqual(3);
    for (const s of samples) {
      expect(s.cpu).toBeUndefined();
      expect(s.bench.rssBytes).toBeGreaterThan(0);
      expect(s.servers).toEqual({});
    }
    // t is increasing
    expect(samples.map((s) => s.t)).toEqual([...samples.map((s) => s.t)].sort((a, b) => a - b));
  });

  it('takes a last sample at stop when the last tick is old enough to give a rate', async () => {
    const sampler = startMetricsSampler({ intervalMs: 60_000, host: { read: async () => ({}) } });
    await sleep(300);
    const samples = await sampler.stop();
    expect(samples).toHaveLength(1);
    expect(samples[0]!.t).toBeGreaterThanOrEqual(0.25);
    await sleep(300);
    expect(await sampler.stop()).toBe(samples); // a second stop (say, in a finally) changes nothing
  });

  it('returns no sample for a region too short to measure', async () => {
    const sampler = startMetricsSampler({ host: { read: async () => ({}) } });
    expect(await sampler.stop()).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('reads the host from /proc on Linux (the first read is the baseline)', async () => {
    const r = new ProcHostReader();
    const first = await r.read();
    expect(first.cpu).toBeUndefined();
    expect(first.memory!.availableBytes).toBeGreaterThan(0);
    await sleep(100);
    const second = await r.read();
    const c = second.cpu!;
    expect(c.user + c.system + c.iowait + c.steal + c.idle).toBeCloseTo(100);
    expect(second.net!.rxBytesPerSec).toBeGreaterThanOrEqual(0);
  });

  // The fallback for macOS and Windows runs on Linux too: at least its shape and its baseline are checked here.
  it('reads the host through systeminformation (the fallback off Linux)', async () => {
    const r = new SystemInformationHostReader();
    const first = await r.read();
    expect(first.cpu).toBeUndefined();
    expect(first.memory!.availableBytes).toBeGreaterThan(0);
    await sleep(200);
    const second = await r.read();
    expect(second.cpu!.idle).toBeGreaterThanOrEqual(0);
    expect(second.memory!.usedBytes).toBeGreaterThan(0);
  });

  it('does not tick before a slow baseline read has finished', async () => {
    let calls = 0;
    let overlapping = false;
    let busy = false;
    const slow: HostReader = {
      async read() {
        if (busy) overlapping = true;
        busy = true;
        calls++;
        await sleep(calls === 1 ? 150 : 1);
        busy = false;
        return {};
      },
    };
    const sampler = startMetricsSampler({ intervalMs: 20, host: slow });
    await sleep(300);
    await sampler.stop();
    expect(overlapping).toBe(false);
    expect(calls).toBeGreaterThan(2);
  });
});
