import si from 'systeminformation';
import {
  cpuPercent,
  listWholeDisks,
  parseDiskStats,
  parseMemInfo,
  parseNetDev,
  parseProcStat,
  readProc,
  type CpuTimes,
  type IoCounters,
} from './proc.js';

/** Host-wide readings for one tick. A field is absent when it could not be read (never an error). */
export interface HostReading {
  cpu?: { user: number; system: number; iowait: number; steal: number; idle: number };
  memory?: { usedBytes: number; availableBytes: number; swapUsedBytes: number };
  disk?: { readBytesPerSec: number; writeBytesPerSec: number };
  net?: { rxBytesPerSec: number; txBytesPerSec: number };
}

/**
 * Reads the host once per tick. Rates are over the time since the previous read, so the first read
 * only sets the baseline (its rates are absent).
 */
export interface HostReader {
  read(): Promise<HostReading>;
}

export function hostReader(platform: NodeJS.Platform = process.platform): HostReader {
  return platform === 'linux' ? new ProcHostReader() : new SystemInformationHostReader();
}

/**
 * Linux: four small /proc files per tick, read synchronously (tens of microseconds each; the libuv pool
 * may be busy with the copy's own file I/O, and a queued read would skew the interval). No child process.
 */
export class ProcHostReader implements HostReader {
  private readonly wholeDisks = listWholeDisks(); // listed once: disks do not come and go during a trial
  private last: { at: number; cpu?: CpuTimes; disk?: IoCounters; net?: { rxBytes: number; txBytes: number } } | undefined;

  async read(): Promise<HostReading> {
    const at = performance.now();
    const cpu = parseProcStat(readProc('/proc/stat') ?? '');
    const mem = parseMemInfo(readProc('/proc/meminfo') ?? '');
    const disk = parseDiskStats(readProc('/proc/diskstats') ?? '', this.wholeDisks);
    const net = parseNetDev(readProc('/proc/net/dev') ?? '');
    const prev = this.last;
    this.last = { at, ...(cpu ? { cpu } : {}), ...(disk ? { disk } : {}), ...(net ? { net } : {}) };

    const out: HostReading = {};
    if (mem) out.memory = { usedBytes: mem.usedBytes, availableBytes: mem.availableBytes, swapUsedBytes: mem.swapUsedBytes };
    const seconds = prev ? (at - prev.at) / 1000 : 0;
    if (!prev || seconds <= 0) return out;
    const pct = prev.cpu && cpu ? cpuPercent(prev.cpu, cpu) : undefined;
    if (pct) out.cpu = pct;
    if (prev.disk && disk) {
      out.disk = {
        readBytesPerSec: Math.max(0, disk.readBytes - prev.disk.readBytes) / seconds,
        writeBytesPerSec: Math.max(0, disk.writeBytes - prev.disk.writeBytes) / seconds,
      };
    }
    if (prev.net && net) {
      out.net = {
        rxBytesPerSec: Math.max(0, net.rxBytes - prev.net.rxBytes) / seconds,
        txBytesPerSec: Math.max(0, net.txBytes - prev.net.txBytes) / seconds,
      };
    }
    return out;
  }
}

/**
 * Elsewhere (macOS, Windows): systeminformation, which keeps its own previous reading for currentLoad,
 * fsStats and networkStats. Costlier (on macOS mem, fsStats and networkStats run vm_stat, ioreg and
 * netstat), so calls run in parallel; fsStats is unsupported on Windows and simply leaves disk absent.
 * There is no iowait outside Linux: it reads 0.
 */
export class SystemInformationHostReader implements HostReader {
  private first = true;

  async read(): Promise<HostReading> {
    const [load, mem, fs, net] = await Promise.allSettled([si.currentLoad(), si.mem(), si.fsStats(), si.networkStats('*')]);
    const out: HostReading = {};
    if (mem.status === 'fulfilled' && mem.value.total > 0) {
      out.memory = { usedBytes: mem.value.active, availableBytes: mem.value.available, swapUsedBytes: mem.value.swapused };
    }
    const baseline = this.first;
    this.first = false;
    if (baseline) return out; // since boot, not since the last tick
    if (load.status === 'fulfilled') {
      const l = load.value;
      out.cpu = {
        user: l.currentLoadUser + l.currentLoadNice,
        system: l.currentLoadSystem + l.currentLoadIrq,
        iowait: 0,
        steal: l.currentLoadSteal ?? 0,
        idle: l.currentLoadIdle,
      };
    }
    if (fs.status === 'fulfilled' && fs.value && fs.value.rx_sec !== null && fs.value.wx_sec !== null) {
      out.disk = { readBytesPerSec: Math.max(0, fs.value.rx_sec), writeBytesPerSec: Math.max(0, fs.value.wx_sec) };
    }
    if (net.status === 'fulfilled') {
      const external = net.value.filter((n) => !/^(lo|veth|docker\d|br-|virbr)/.test(n.iface));
      out.net = {
        rxBytesPerSec: external.reduce((a, n) => a + Math.max(0, n.rx_sec || 0), 0),
        txBytesPerSec: external.reduce((a, n) => a + Math.max(0, n.tx_sec || 0), 0),
      };
    }
    return out;
  }
}
