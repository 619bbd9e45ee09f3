import { describe, expect, it } from 'vitest';
import {
  cpuPercent,
  parseDiskStats,
  parseMemInfo,
  parseNetDev,
  parsePidStat,
  parsePostmasterPid,
  parseProcStat,
} from '../../../harness/metrics/proc.js';

describe('/proc/stat', () => {
  const before = `cpu  1000 100 300 5000 50 20 30 10 400 0
cpu0 500 50 150 2500 25 10 15 5 200 0
cpu1 500 50 150 2500 25 10 15 5 200 0
intr 12345 0 0
ctxt 999
`;
  const after = `cpu  1600 100 500 5100 150 20 80 60 400 0
cpu0 800 50 250 2550 75 10 40 30 200 0
`;

  it('folds nice into user and irq + softirq into system; guest is already inside user', () => {
    expect(parseProcStat(before)).toEqual({ user: 1100, system: 350, idle: 5000, iowait: 50, steal: 10 });
  });

  it('turns two readings into percent of all cores', () => {
    const p = cpuPercent(parseProcStat(before)!, parseProcStat(after)!)!;
    // deltas: user 600, system 200 + 50, idle 100, iowait 100, steal 50 → total 1100
    expect(p.user).toBeCloseTo((100 * 600) / 1100);
    expect(p.system).toBeCloseTo((100 * 250) / 1100);
    expect(p.iowait).toBeCloseTo((100 * 100) / 1100);
    expect(p.steal).toBeCloseTo((100 * 50) / 1100);
    expect(p.idle).toBeCloseTo((100 * 100) / 1100);
    expect(p.user + p.system + p.iowait + p.steal + p.idle).toBeCloseTo(100);
  });

  it('gives nothing for no elapsed ticks or a file without the cpu line', () => {
    const t = parseProcStat(before)!;
    expect(cpuPercent(t, t)).toBeUndefined();
    expect(parseProcStat('intr 1 2 3\n')).toBeUndefined();
  });

  it('clamps an iowait that went backwards (it is an estimate per idle CPU)', () => {
    const a = { user: 0, system: 0, idle: 0, iowait: 100, steal: 0 };
    const b = { user: 50, system: 0, idle: 50, iowait: 90, steal: 0 };
    expect(cpuPercent(a, b)).toEqual({ user: 50, system: 0, idle: 50, iowait: 0, steal: 0 });
  });
});

describe('/proc/meminfo', () => {
  it('used = total - available; swap used = total - free', () => {
    const m = parseMemInfo(`MemTotal:       24684084 kB
MemFree:        17361424 kB
MemAvailable:   22053608 kB
Buffers:           49420 kB
Cached:          5732348 kB
SwapCached:            0 kB
Active(anon):     987296 kB
SwapTotal:       2097148 kB
SwapFree:        1048576 kB
`)!;
    expect(m.totalBytes).toBe(24684084 * 1024);
    expect(m.availableBytes).toBe(22053608 * 1024);
    expect(m.usedBytes).toBe((24684084 - 22053608) * 1024);
    expect(m.swapUsedBytes).toBe((2097148 - 1048576) * 1024);
  });

  it('estimates available on kernels before 3.14 (no MemAvailable)', () => {
    const m = parseMemInfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n')!;
    expect(m.availableBytes).toBe(400 * 1024);
    expect(m.swapUsedBytes).toBe(0);
  });

  it('gives nothing for unrelated text', () => {
    expect(parseMemInfo('hello')).toBeUndefined();
  });
});

describe('/proc/diskstats', () => {
  // major minor name reads merged sectors_read ms writes merged sectors_written ms …
  const text = `   7       0 loop0 500 0 8000 10 0 0 0 0 0 10 10 0 0 0 0 0 0
   1       0 ram0 10 0 80 0 10 0 80 0 0 0 0
 253       0 zram0 10 0 80 0 10 0 160 0 0 0 0
   8       0 sda 1000 10 2000 100 3000 30 6000 300 0 200 400 0 0 0 0
   8       1 sda1 900 10 1800 90 2900 30 5800 290 0 190 380 0 0 0 0
   8      16 sdb 10 0 100 1 20 0 200 2 0 3 3
 259       0 nvme0n1 5 0 10 0 5 0 20 0 0 0 0
 259       1 nvme0n1p1 5 0 10 0 5 0 20 0 0 0 0
 254       0 vda 199123 21481 7347226 783260 306687 265034 117650552 814005 0 127928 1637283
 254       1 vda1 100 0 200 0 100 0 200 0 0 0 0
 252       0 dm-0 50 0 1000 0 50 0 1000 0 0 0 0
   9       0 md0 50 0 1000 0 50 0 1000 0 0 0 0
`;
  const whole = ['sda', 'sdb', 'nvme0n1', 'vda'];

  it('counts whole disks only, in 512-byte sectors', () => {
    const sectorsRead = 2000 + 100 + 10 + 7347226;
    const sectorsWritten = 6000 + 200 + 20 + 117650552;
    const expected = { readBytes: sectorsRead * 512, writeBytes: sectorsWritten * 512 };
    // With the /sys/block listing (which also lists loop, ram, zram, dm and md devices: they are skipped by name).
    expect(parseDiskStats(text, new Set([...whole, 'loop0', 'ram0', 'zram0', 'dm-0', 'md0']))).toEqual(expected);
    // Without it, partitions are recognised by name.
    expect(parseDiskStats(text)).toEqual(expected);
  });

  it('gives nothing when there is no physical disk (e.g. only loop devices)', () => {
    expect(parseDiskStats('   7       0 loop0 5 0 10 0 5 0 20 0 0 0 0\n')).toBeUndefined();
  });
});

describe('/proc/net/dev', () => {
  const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 23145966275 1093071    0    0    0     0          0         0 23145966275 1093071    0    0    0     0       0          0
  eth0: 1150204957   30552    0    0    0     0          0         0  3346390   23217    0    0    0     0       0          0
  eth1:1000 1 0 0 0 0 0 0 2000 2 0 0 0 0 0 0
docker0: 500 5 0 0 0 0 0 0 500 5 0 0 0 0 0 0
veth12ab: 500 5 0 0 0 0 0 0 500 5 0 0 0 0 0 0
  ifb0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
`;

  it('sums real interfaces; loopback, bridges and veth pairs are left out', () => {
    expect(parseNetDev(text)).toEqual({ rxBytes: 1150204957 + 1000, txBytes: 3346390 + 2000 });
  });

  it('is zero traffic, not missing, on a host with loopback only', () => {
    expect(parseNetDev(text.split('\n').slice(0, 3).join('\n'))).toEqual({ rxBytes: 0, txBytes: 0 });
    expect(parseNetDev('garbage')).toBeUndefined();
  });
});

describe('/proc/<pid>/stat and postmaster.pid', () => {
  it('counts fields from the last parenthesis (the command name may hold spaces and parentheses)', () => {
    const line = '4242 (postgres: bench (copy) x) S 4100 4100 4100 0 -1 4194560 1000 0 0 0 150 50 7 3 20 0 1 0 12345 200000000 5000 18446744073709551615';
    expect(parsePidStat(line)).toEqual({ pid: 4242, ppid: 4100, ticks: 200, childTicks: 10 });
    expect(parsePidStat('nonsense')).toBeUndefined();
  });

  it('reads the pid from the first line of postmaster.pid', () => {
    expect(parsePostmasterPid('31702\n/var/lib/postgresql/15/main\n1732350000\n5432\n/tmp\n127.0.0.1\n  5432001    163840\nready   \n')).toBe(31702);
    expect(parsePostmasterPid('')).toBeUndefined();
  });
});
