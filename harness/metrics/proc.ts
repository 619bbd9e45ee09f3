import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Parsers for the Linux /proc files the metrics sampler reads on every tick. They take text so tests can
 * feed fixtures, and return cumulative counters: the sampler turns two readings into rates. Formats are
 * from the kernel's Documentation/filesystems/proc.rst and Documentation/admin-guide/iostats.rst.
 */

/** Cumulative CPU time of all cores, in clock ticks, folded into the five buckets a report shows. */
export interface CpuTimes {
  /** user + nice (guest time is already inside user, so guest/guest_nice are not added again). */
  readonly user: number;
  /** system + irq + softirq. */
  readonly system: number;
  readonly iowait: number;
  readonly steal: number;
  readonly idle: number;
}

/** The aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal guest guest_nice. */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const n = (i: number) => (Number.isFinite(f[i]) ? f[i]! : 0);
  if (f.length < 4) return undefined;
  return { user: n(0) + n(1), system: n(2) + n(5) + n(6), idle: n(3), iowait: n(4), steal: n(7) };
}

/** Per-bucket share of the time between two readings, in percent of all cores (they sum to 100). */
export function cpuPercent(a: CpuTimes, b: CpuTimes): CpuTimes | undefined {
  const d = {
    user: b.user - a.user,
    system: b.system - a.system,
    iowait: b.iowait - a.iowait,
    steal: b.steal - a.steal,
    // iowait can go backwards on some kernels (it is an estimate per idle CPU); clamping keeps sums sane.
    idle: b.idle - a.idle,
  };
  for (const k of Object.keys(d) as (keyof CpuTimes)[]) d[k] = Math.max(0, d[k]);
  const total = d.user + d.system + d.iowait + d.steal + d.idle;
  if (total <= 0) return undefined;
  return {
    user: (100 * d.user) / total,
    system: (100 * d.system) / total,
    iowait: (100 * d.iowait) / total,
    steal: (100 * d.steal) / total,
    idle: (100 * d.idle) / total,
  };
}

export interface MemInfo {
  readonly totalBytes: number;
  /** MemTotal - MemAvailable: what `free` calls used once reclaimable cache is set aside. */
  readonly usedBytes: number;
  readonly availableBytes: number;
  readonly swapUsedBytes: number;
}

/** /proc/meminfo. MemAvailable exists since Linux 3.14; older kernels get MemFree + Buffers + Cached. */
export function parseMemInfo(text: string): MemInfo | undefined {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)/.exec(line);
    if (m) kb.set(m[1]!, Number(m[2]) * 1024);
  }
  const total = kb.get('MemTotal');
  if (total === undefined) return undefined;
  const available = kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  return {
    totalBytes: total,
    usedBytes: Math.max(0, total - available),
    availableBytes: available,
    swapUsedBytes: Math.max(0, (kb.get('SwapTotal') ?? 0) - (kb.get('SwapFree') ?? 0)),
  };
}

export interface IoCounters {
  readonly readBytes: number;
  readonly writeBytes: number;
}

/**
 * Devices that are not storage of their own: loop files, RAM disks (ram*, zram* — zram is compressed
 * swap in memory), and stacked devices (dm-* for LVM/crypt, md* for software RAID) whose I/O already
 * shows on the disks under them, so counting them would count the same bytes twice.
 */
const virtualDisk = /^(loop|ram|zram|dm-|md|sr|fd)/;

/**
 * Partitions by name, for when /sys/block cannot be listed: sda1, vdb2, xvda1, hda3 (a letter-named disk
 * plus digits) and nvme0n1p1, mmcblk0p2 (a digit-named disk plus p and digits).
 */
const partitionName = /^((s|v|xv|h)d[a-z]+\d+|(nvme\d+n\d+|mmcblk\d+)p\d+)$/;

/** Whole disks: what /sys/block lists (partitions live below their disk there), or undefined off Linux. */
export function listWholeDisks(): ReadonlySet<string> | undefined {
  try {
    return new Set(readdirSync('/sys/block'));
  } catch {
    return undefined;
  }
}

/**
 * /proc/diskstats, summed over whole physical disks. Fields after major, minor and name: reads completed,
 * reads merged, sectors read, ms reading, writes completed, writes merged, sectors written, … Sectors
 * are always 512 bytes here, whatever the device's own sector size (iostats.rst).
 */
export function parseDiskStats(text: string, wholeDisks?: ReadonlySet<string>): IoCounters | undefined {
  let readBytes = 0;
  let writeBytes = 0;
  let seen = false;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const name = f[2]!;
    if (virtualDisk.test(name)) continue;
    if (wholeDisks ? !wholeDisks.has(name) : partitionName.test(name)) continue;
    readBytes += Number(f[5]) * 512;
    writeBytes += Number(f[9]) * 512;
    seen = true;
  }
  return seen ? { readBytes, writeBytes } : undefined;
}

/**
 * Interfaces whose bytes are not the machine's traffic, or are counted again elsewhere: loopback
 * (local source→target copies go through it, which would make "network" mean "the copy itself"),
 * Docker's bridges and veth pairs (a container's bytes appear on the veth and on the bridge), and ifb
 * (traffic-shaping mirrors of another interface).
 */
const virtualInterface = /^(lo|veth|docker\d|br-|virbr|ifb)/;

/** /proc/net/dev: two header lines, then `iface: rx_bytes rx_packets … (8 rx fields) tx_bytes …`. */
export function parseNetDev(text: string): { rxBytes: number; txBytes: number } | undefined {
  if (!text.includes('|')) return undefined; // not the two-line header: not /proc/net/dev
  let rxBytes = 0;
  let txBytes = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (!name || virtualInterface.test(name)) continue;
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (f.length < 9) continue;
    rxBytes += f[0]!;
    txBytes += f[8]!;
  }
  // Only loopback and bridges (a machine with no NIC, or a copy that stays local) is zero traffic, not an error.
  return { rxBytes, txBytes };
}

export interface ProcessTimes {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime, clock ticks. */
  readonly ticks: number;
  /** cutime + cstime: children that exited and were waited for, clock ticks. */
  readonly childTicks: number;
}

/**
 * /proc/<pid>/stat. The command name (field 2) is in parentheses and may hold spaces or ')', so fields
 * are counted from the last ')': state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17.
 */
export function parsePidStat(text: string): ProcessTimes | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number.parseInt(text, 10);
  const f = text.slice(close + 2).trim().split(/\s+/);
  // f[0] is field 3 (state), so field k is f[k - 3].
  const n = (k: number) => Number(f[k - 3]);
  const ppid = n(4);
  const ticks = n(14) + n(15);
  const childTicks = n(16) + n(17);
  if (!Number.isFinite(pid) || !Number.isFinite(ppid) || !Number.isFinite(ticks)) return undefined;
  return { pid, ppid, ticks, childTicks: Number.isFinite(childTicks) ? childTicks : 0 };
}

/** The postmaster's pid: the first line of <datadir>/postmaster.pid. */
export function parsePostmasterPid(text: string): number | undefined {
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * USER_HZ, the unit of /proc CPU times. It is 100 on every Linux architecture Node runs on (it is part
 * of the kernel ABI, independent of the kernel's internal HZ); reading it would need `getconf CLK_TCK`,
 * a child process.
 */
export const CLOCK_TICKS_PER_SECOND = 100;

export function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * CPU ticks used so far by a process tree: the root and every live descendant (utime + stime), plus the
 * root's cutime + cstime. A PostgreSQL backend that exits between two ticks moves its time from the live
 * sum into the postmaster's cutime when the postmaster reaps it, so the total stays continuous; a
 * zombie not yet reaped still shows its own times. Descendants come from /proc/<pid>/task/<tid>/children
 * (CONFIG_PROC_CHILDREN, on in distribution kernels); without it, from one pass over /proc/<pid>/stat.
 * Cost: about 20 µs per file read, so roughly 40 µs per process in the tree per tick.
 */
export function processTreeTicks(rootPid: number): number | undefined {
  const root = parsePidStat(readProc(`/proc/${rootPid}/stat`) ?? '');
  if (!root) return undefined;
  let total = root.ticks + root.childTicks;
  for (const pid of descendants(rootPid)) {
    const s = parsePidStat(readProc(`/proc/${pid}/stat`) ?? '');
    if (s) total += s.ticks;
  }
  return total;
}

function descendants(rootPid: number): number[] {
  const viaChildren = descendantsViaChildrenFiles(rootPid);
  if (viaChildren) return viaChildren;
  const byParent = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const s = parsePidStat(readProc(`/proc/${e}/stat`) ?? '');
    if (s) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s.pid]);
  }
  const out: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    for (const child of byParent.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function descendantsViaChildrenFiles(rootPid: number): number[] | undefined {
  const out: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift()!;
    // The main thread's list only: PostgreSQL processes are single-threaded, and listing every thread's
    // file would add a readdir per process per tick (about 15 µs each, measured).
    const text = readProc(`/proc/${pid}/task/${pid}/children`);
    if (text === undefined) {
      if (pid === rootPid && existsSync(`/proc/${pid}`)) return undefined; // no CONFIG_PROC_CHILDREN
      continue; // exited meanwhile
    }
    for (const c of text.trim().split(/\s+/)) {
      const child = Number(c);
      if (!Number.isInteger(child) || child <= 0) continue;
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}
