import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A real slowdown made from outside bench's process: a cgroup v1 CPU quota on a PostgreSQL server's
 * processes. The postmaster and every backend it has forked move into a new group with
 * `cpu.cfs_quota_us / cpu.cfs_period_us` = the cores allowed; backends forked later inherit it. Nothing
 * in bench knows: it only sees a slower server, as a user would on a busier or smaller machine.
 */
const CPU_ROOT = '/sys/fs/cgroup/cpu';

/** Why a CPU quota cannot be set here, or undefined when it can (root and cgroup v1's cpu controller). */
export function cpuQuotaUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'setting a cgroup CPU quota needs root';
  if (!existsSync(join(CPU_ROOT, 'cgroup.procs')) || !existsSync(join(CPU_ROOT, 'cpu.cfs_quota_us'))) return `cgroup v1's cpu controller is not mounted at ${CPU_ROOT}`;
  return undefined;
}

/** The pid and every descendant of it, from /proc. */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended between the listing and the read
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const child of parents.get(pid) ?? []) walk(child);
  };
  walk(root);
  return out;
}

/** The postmaster of the cluster whose data directory this is. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

export interface Throttle {
  readonly cores: number;
  /** Moves the server back to the root group and removes the throttling group. */
  release(): void;
}

/** Limits the process tree under `rootPid` to `cores` CPUs (e.g. 0.25 or 0.7). */
export function throttle(rootPid: number, cores: number): Throttle {
  const group = join(CPU_ROOT, `bench-test-throttle-${process.pid}-${Math.round(cores * 100)}`);
  mkdirSync(group, { recursive: true });
  const period = 100_000;
  writeFileSync(join(group, 'cpu.cfs_period_us'), String(period));
  writeFileSync(join(group, 'cpu.cfs_quota_us'), String(Math.round(cores * period)));
  const move = (to: string) => {
    for (const pid of processTree(rootPid)) {
      try {
        writeFileSync(join(to, 'cgroup.procs'), String(pid));
      } catch {
        // a backend that exited meanwhile
      }
    }
  };
  move(group);
  return {
    cores,
    release() {
      move(CPU_ROOT);
      // Anything forked since the move is in the group too: move until it is empty, then remove it.
      for (let i = 0; i < 20; i++) {
        const left = readFileSync(join(group, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
        if (left.length === 0) break;
        for (const pid of left) {
          try {
            writeFileSync(join(CPU_ROOT, 'cgroup.procs'), pid);
          } catch {
            // exited
          }
        }
      }
      try {
        rmdirSync(group);
      } catch {
        // still busy: left for the kernel to clean up when its last task exits
      }
    },
  };
}
