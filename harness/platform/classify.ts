import type { PlatformClass, PlatformInfo, PlatformKind } from './types.js';

/**
 * Which built-in platform profile a machine starts from, and what to warn about. Pure: the numbers
 * behind the warnings come from the seeds' runs (shared/seeds/migration-performance-report.md).
 */

/** A machine with this many usable CPUs or fewer runs source, target and bench on the same few cores. */
export const SMALL_MACHINE_CPUS = 4;

/** Built-in profile per kind (profiles/platforms/<name>.json). */
export const profileForKind = {
  'native-arm': 'native-arm',
  'wsl2-docker-desktop': 'wsl2-docker-desktop',
  'native-x86-linux': 'native-x86-linux',
  // A big x86 VM scales like native Linux for CPU; its I/O caveat is a warning, not another grid.
  vm: 'native-x86-linux',
  'ci-small': 'ci-small',
  unknown: 'ci-small',
} as const satisfies Record<PlatformKind, string>;

export function effectiveCpus(info: PlatformInfo): number {
  const logical = Math.max(1, info.cpu.logicalCores);
  return info.cgroup.cpuLimit !== undefined ? Math.min(logical, info.cgroup.cpuLimit) : logical;
}

/** Docker Desktop whose VM is WSL2 (Windows), as seen from Windows, from inside WSL2 or from the engine. */
function wsl2DockerDesktop(info: PlatformInfo): boolean {
  if (info.wsl2) return true;
  const d = info.docker;
  return Boolean(d?.desktop && /microsoft|wsl2/i.test(d.kernelVersion ?? '')) || (info.os.platform === 'win32' && Boolean(d?.desktop));
}

function kindOf(info: PlatformInfo, cpus: number): PlatformKind {
  if (cpus <= SMALL_MACHINE_CPUS) return 'ci-small';
  if (wsl2DockerDesktop(info)) return 'wsl2-docker-desktop';
  if (info.os.arch === 'arm64' && (info.os.platform === 'darwin' || info.virtualization.kind !== 'vm')) return 'native-arm';
  if (info.virtualization.kind === 'vm') return 'vm';
  if (info.os.arch === 'amd64' && info.os.platform === 'linux' && info.virtualization.kind === 'bare-metal') return 'native-x86-linux';
  return 'unknown';
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1).replace(/\.0$/, '')} GiB`;
}

export function classifyPlatform(info: PlatformInfo): PlatformClass {
  const cpus = effectiveCpus(info);
  const kind = kindOf(info, cpus);
  const warnings: string[] = [];

  if (info.docker?.image?.emulated) {
    warnings.push(
      `image ${info.docker.image.ref} is ${info.docker.image.arch ?? '?'} but the engine is ${info.docker.arch ?? '?'}: it runs under emulation, ` +
        'roughly 40% slower (the seeds: MSSQL under Rosetta 321K rows/s vs native PostgreSQL 531K rows/s); use a native image',
    );
  }
  if (info.rosetta) {
    warnings.push('this process runs under Rosetta 2 (x86-64 Node on Apple Silicon): install the arm64 build of Node for real numbers');
  }
  if (wsl2DockerDesktop(info)) {
    warnings.push(
      'WSL2 / Docker Desktop: high parallelism causes I/O contention (the seeds: 64 tasks ran 3x slower than 8, 74K vs 204K rows/s); ' +
        'start at 8 tasks and keep data on the Linux filesystem, not /mnt/c',
    );
    if (info.storage && /^\/mnt\/[a-z]\//.test(`${info.storage.path}/`)) {
      warnings.push(`the state directory ${info.storage.path} is on a Windows drive (9P): move it under the WSL home directory (--state-dir)`);
    }
  }
  if (info.cgroup.cpuLimit !== undefined && info.cgroup.cpuLimit < info.cpu.logicalCores) {
    warnings.push(
      `a cgroup limits this process to ${info.cgroup.cpuLimit.toFixed(1).replace(/\.0$/, '')} of ${info.cpu.logicalCores} CPUs: size parallelism to the limit`,
    );
  }
  if (info.cgroup.memoryLimitBytes !== undefined && info.cgroup.memoryLimitBytes < info.memory.totalBytes) {
    warnings.push(`a cgroup limits memory to ${gib(info.cgroup.memoryLimitBytes)} of ${gib(info.memory.totalBytes)}: keep shared_buffers well below it`);
  }
  if (kind === 'ci-small') {
    warnings.push(
      `only ${cpus} CPU${cpus === 1 ? '' : 's'}: source, target and bench share them, so results rank strategies here but do not predict a bigger machine's throughput`,
    );
  }
  if (kind === 'vm' || (kind === 'ci-small' && info.virtualization.kind === 'vm')) {
    warnings.push(
      `virtual machine${info.virtualization.hypervisor ? ` (${info.virtualization.hypervisor})` : ''}: disk I/O is virtualized, so past a few tasks more parallelism may slow the copy; sweep parallelism rather than assume`,
    );
  }
  if (info.storage && info.storage.reportedType === 'HDD' && !info.storage.virtualDisk) {
    warnings.push(`the state directory is on a rotational disk (${info.storage.device}): expect I/O-bound results; prefer an SSD`);
  }
  const dockerMem = info.docker?.memoryBytes;
  if (info.docker?.desktop && dockerMem !== undefined && dockerMem < 8 * 2 ** 30) {
    warnings.push(`Docker Desktop has ${gib(dockerMem)}: the profiles give each database 4 GB; raise it in Settings → Resources`);
  }
  return { kind, profile: profileForKind[kind], effectiveCpus: cpus, warnings };
}

/** Label/value rows for a two-column table (`bench detect`). */
export function formatPlatformRows(info: PlatformInfo): [string, string][] {
  const rows: [string, string][] = [];
  rows.push(['OS', [info.os.distro, info.os.release].filter(Boolean).join(' ') || info.os.platform]);
  rows.push(['kernel', info.os.kernel]);
  rows.push(['architecture', info.os.arch + (info.rosetta ? ' (Rosetta 2)' : '')]);
  const v = info.virtualization;
  rows.push([
    'virtualization',
    v.kind === 'vm' ? `virtual machine${v.hypervisor ? ` (${v.hypervisor})` : ''}` : v.kind === 'bare-metal' ? 'bare metal' : 'unknown',
  ]);
  if (v.evidence.length > 0) rows.push(['  evidence', v.evidence.join('\n')]);
  rows.push(['WSL2', info.wsl2 ? 'yes' : 'no']);
  rows.push(['container', info.container.inContainer ? 'yes' : 'no']);
  if (info.container.evidence.length > 0) rows.push(['  evidence', info.container.evidence.join('\n')]);
  const c = info.cpu;
  rows.push(['CPU', c.model]);
  const split = c.performanceCores !== undefined && c.efficiencyCores ? ` (${c.performanceCores} performance + ${c.efficiencyCores} efficiency)` : '';
  rows.push(['cores', `${c.physicalCores} physical, ${c.logicalCores} logical${split}`]);
  rows.push(['memory', `${gib(info.memory.totalBytes)} (${gib(info.memory.availableBytes)} available)`]);
  const cg = info.cgroup;
  rows.push([
    'cgroup limits',
    cg.version === undefined
      ? 'n/a'
      : `v${cg.version}: CPU ${cg.cpuLimit !== undefined ? cg.cpuLimit.toFixed(2).replace(/\.?0+$/, '') : 'none'}, memory ${cg.memoryLimitBytes !== undefined ? gib(cg.memoryLimitBytes) : 'none'}`,
  ]);
  const s = info.storage;
  if (s) {
    rows.push([
      'storage',
      `${s.path}: ${s.fsType} on ${s.device} (${s.virtualDisk ? `virtual disk, reports ${s.reportedType}` : s.reportedType || 'type unknown'}), ${gib(s.sizeBytes)}`,
    ]);
  }
  const d = info.docker;
  if (d) {
    if (!d.reachable) rows.push(['docker', `not reachable${d.error ? `: ${d.error}` : ''}`]);
    else {
      rows.push([
        'docker',
        `${d.serverVersion ?? '?'} on ${d.operatingSystem ?? '?'}${d.desktop ? ' (Docker Desktop)' : ''}, ${d.arch ?? '?'}, ` +
          `${d.cpus ?? '?'} CPUs, ${d.memoryBytes !== undefined ? gib(d.memoryBytes) : '?'}, cgroup v${d.cgroupVersion ?? '?'}`,
      ]);
      if (d.image) rows.push(['  image', `${d.image.ref}: ${d.image.arch ?? '?'}${d.image.emulated ? ' (EMULATED)' : ' (native)'}`]);
    }
  }
  return rows;
}
