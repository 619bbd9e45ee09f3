import type { ServerReading } from '../model/metrics.js';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { countersFromStats, usageBetween, type ContainerCounters, type ContainerUsage } from '../providers/docker-stats.js';
import type { Role } from '../model/roles.js';
import { CLOCK_TICKS_PER_SECOND, parsePostmasterPid, processTreeTicks, readProc } from './proc.js';

/** Where a database server's resource use can be read from; built from a ServerHandle (see wiring in sampler.ts). */
export type ServerProbe =
  | { readonly role: Role; readonly kind: 'native'; readonly dataDir: string }
  | { readonly role: Role; readonly kind: 'docker'; readonly containerId: string }
  | { readonly role: Role; readonly kind: 'external' };

export interface ServerReader {
  readonly role: Role;
  /** The latest reading, or undefined when there is none yet or the server cannot be read. Never throws. */
  read(): ServerReading | undefined;
  close(): void;
}

/** External servers run elsewhere: nothing on this host to read. */
export function serverReader(probe: ServerProbe, docker: () => Docker): ServerReader | undefined {
  if (probe.kind === 'native') return process.platform === 'linux' ? new NativeServerReader(probe.role, probe.dataDir) : undefined;
  if (probe.kind === 'docker') return new DockerServerReader(probe.role, docker().getContainer(probe.containerId));
  return undefined;
}

/**
 * A native PostgreSQL cluster: CPU of the postmaster's process tree, from /proc (Linux only). Memory is
 * left out on purpose: summing the backends' RSS counts shared_buffers once per backend that touched it.
 */
export class NativeServerReader implements ServerReader {
  private pid: number | undefined;
  private last: { at: number; ticks: number } | undefined;

  constructor(
    readonly role: Role,
    private readonly dataDir: string,
  ) {}

  read(): ServerReading | undefined {
    const at = performance.now();
    let ticks = this.pid === undefined ? undefined : processTreeTicks(this.pid);
    if (ticks === undefined) {
      // First read, or the server restarted with a new pid: postmaster.pid names the current one.
      this.pid = parsePostmasterPid(readProc(join(this.dataDir, 'postmaster.pid')) ?? '');
      ticks = this.pid === undefined ? undefined : processTreeTicks(this.pid);
      this.last = undefined;
    }
    if (ticks === undefined) return undefined;
    const prev = this.last;
    this.last = { at, ticks };
    if (!prev || at <= prev.at) return undefined;
    // A restart between two reads makes the new tree's total smaller than the old one: count nothing.
    return { cpuCores: Math.max(0, ticks - prev.ticks) / CLOCK_TICKS_PER_SECOND / ((at - prev.at) / 1000) };
  }

  close(): void {}
}

/**
 * A container: the engine's stats endpoint. One call takes about 1-2 s even with stream:false (the
 * engine waits for its own second reading unless it honours one-shot), so a call runs in the background
 * and each tick reports the usage between the last two answers; a tick never waits for Docker. At most
 * one call is in flight per container, and stop() aborts it.
 */
export class DockerServerReader implements ServerReader {
  private inFlight = false;
  private previous: ContainerCounters | undefined;
  private latest: ContainerUsage | undefined;
  private readonly abort = new AbortController();

  constructor(
    readonly role: Role,
    private readonly container: Docker.Container,
  ) {}

  read(): ServerReading | undefined {
    if (!this.inFlight && !this.abort.signal.aborted) this.fetch();
    const u = this.latest;
    if (!u || u.seconds <= 0) return undefined;
    return {
      cpuCores: Math.max(0, u.cpuCores),
      memoryBytes: u.memoryBytes,
      ...(u.blkioReadBytes !== undefined ? { blockReadBytesPerSec: u.blkioReadBytes / u.seconds } : {}),
      ...(u.blkioWriteBytes !== undefined ? { blockWriteBytesPerSec: u.blkioWriteBytes / u.seconds } : {}),
    };
  }

  private fetch(): void {
    this.inFlight = true;
    // containerStats() in docker-stats.ts takes no signal; the same call with one, so stop() is prompt.
    const options = { stream: false as const, 'one-shot': true, abortSignal: this.abort.signal };
    this.container
      .stats(options)
      .then((stats) => {
        const now = countersFromStats(stats);
        if (this.previous && now.at > this.previous.at) this.latest = usageBetween(this.previous, now);
        this.previous = now;
      })
      .catch(() => undefined) // a stopped container or a busy engine: the field is absent this tick
      .finally(() => {
        this.inFlight = false;
      });
  }

  close(): void {
    this.abort.abort();
  }
}
