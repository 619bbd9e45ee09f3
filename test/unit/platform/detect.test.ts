import { describe, expect, it } from 'vitest';
import { classifyPlatform, formatPlatformRows, type PlatformInfo } from '../../../harness/platform/detect.js';
import {
  containerSignals,
  cpuinfoHasHypervisorFlag,
  hypervisorFromDmi,
  isWsl2Kernel,
  parentDisk,
  parseCfsQuota,
  parseCpuMax,
  parseMemoryLimit,
  parseProcCgroup,
} from '../../../harness/platform/platform-probes.js';

const GiB = 2 ** 30;

/** A base machine; each fixture overrides what makes it what it is. */
function machine(over: Partial<PlatformInfo>): PlatformInfo {
  return {
    detectedAt: '2026-01-01T00:00:00.000Z',
    os: { platform: 'linux', distro: 'Debian GNU/Linux', release: '12', kernel: '6.1.0-18-amd64', arch: 'amd64' },
    virtualization: { kind: 'bare-metal', evidence: ['/proc/cpuinfo: no hypervisor flag'] },
    wsl2: false,
    rosetta: false,
    container: { inContainer: false, evidence: [] },
    cpu: { model: 'AMD Ryzen 9 7950X', physicalCores: 16, logicalCores: 32 },
    memory: { totalBytes: 64 * GiB, availableBytes: 60 * GiB },
    cgroup: { version: 2 },
    ...over,
  };
}

const appleSilicon = machine({
  os: { platform: 'darwin', distro: 'macOS', release: '15.1', kernel: '25.1.0', arch: 'arm64' },
  virtualization: { kind: 'bare-metal', evidence: ['sysctl kern.hv_vmm_present: 0'] },
  cpu: { model: 'Apple M3 Max', physicalCores: 14, logicalCores: 14, performanceCores: 10, efficiencyCores: 4 },
  memory: { totalBytes: 36 * GiB, availableBytes: 20 * GiB },
  cgroup: { version: undefined },
  docker: { reachable: true, desktop: true, operatingSystem: 'Docker Desktop', kernelVersion: '6.10.14-linuxkit', arch: 'arm64', cpus: 14, memoryBytes: 16 * GiB },
});

const wsl2 = machine({
  os: { platform: 'linux', distro: 'Ubuntu', release: '22.04', kernel: '5.15.153.1-microsoft-standard-WSL2', arch: 'amd64' },
  virtualization: { kind: 'vm', hypervisor: 'Hyper-V (WSL2)', evidence: ['kernel: WSL2'] },
  wsl2: true,
  cpu: { model: 'Intel Core i7-13700', physicalCores: 16, logicalCores: 16 },
  storage: { path: '/mnt/c/Users/me/bench/.bench', mount: '/mnt/c', device: 'C:\\', fsType: '9p', sizeBytes: 1000 * GiB, reportedType: '', virtualDisk: false },
  docker: { reachable: true, desktop: true, operatingSystem: 'Docker Desktop', kernelVersion: '5.15.153.1-microsoft-standard-WSL2', arch: 'amd64', cpus: 16, memoryBytes: 16 * GiB },
});

const x86Native = machine({ storage: { path: '/srv/bench', mount: '/', device: '/dev/nvme0n1p2', fsType: 'ext4', sizeBytes: 2000 * GiB, reportedType: 'NVMe', virtualDisk: false } });

/** This CI machine: a 2-core KVM VM that also carries /.dockerenv. */
const thisVm = machine({
  os: { platform: 'linux', distro: 'Debian GNU/Linux', release: '12', kernel: '6.18.44-fc-v669', arch: 'amd64' },
  virtualization: { kind: 'vm', hypervisor: 'KVM', evidence: ['/proc/cpuinfo: hypervisor flag', 'systemd-detect-virt --vm: kvm'] },
  container: { inContainer: false, evidence: ['/.dockerenv (marker only)'] },
  cpu: { model: 'AMD EPYC', physicalCores: 2, logicalCores: 2 },
  memory: { totalBytes: 23.5 * GiB, availableBytes: 22 * GiB },
  cgroup: { version: 1 },
  storage: { path: '/work/.bench', mount: '/', device: '/dev/vda', fsType: 'ext4', sizeBytes: 252 * GiB, reportedType: 'HDD', virtualDisk: true },
});

const emulatedImage = machine({
  ...appleSilicon,
  docker: { ...appleSilicon.docker!, image: { ref: 'mcr.microsoft.com/mssql/server:2022-latest', arch: 'amd64', emulated: true } },
});

describe('classifyPlatform', () => {
  it('Apple Silicon with Docker Desktop is native-arm, without warnings', () => {
    const c = classifyPlatform(appleSilicon);
    expect(c).toMatchObject({ kind: 'native-arm', profile: 'native-arm', effectiveCpus: 14 });
    expect(c.warnings).toEqual([]);
  });

  it('WSL2 is wsl2-docker-desktop and warns about parallelism and a Windows drive', () => {
    const c = classifyPlatform(wsl2);
    expect(c).toMatchObject({ kind: 'wsl2-docker-desktop', profile: 'wsl2-docker-desktop' });
    expect(c.warnings.join('\n')).toMatch(/3x slower/);
    expect(c.warnings.join('\n')).toMatch(/Windows drive \(9P\)/);
  });

  it('Windows itself talking to Docker Desktop on WSL2 is wsl2-docker-desktop too', () => {
    const win = machine({ ...wsl2, wsl2: false, os: { platform: 'win32', distro: 'Windows 11', release: '10.0.22631', kernel: '10.0.22631', arch: 'amd64' } });
    expect(classifyPlatform(win).kind).toBe('wsl2-docker-desktop');
  });

  it('bare-metal x86 Linux is native-x86-linux', () => {
    const c = classifyPlatform(x86Native);
    expect(c).toMatchObject({ kind: 'native-x86-linux', profile: 'native-x86-linux', effectiveCpus: 32 });
    expect(c.warnings).toEqual([]);
  });

  it('this 2-core KVM VM is ci-small, warns about its size and virtual I/O, and not about its virtual "HDD"', () => {
    const c = classifyPlatform(thisVm);
    expect(c).toMatchObject({ kind: 'ci-small', profile: 'ci-small', effectiveCpus: 2 });
    expect(c.warnings.join('\n')).toMatch(/only 2 CPUs/);
    expect(c.warnings.join('\n')).toMatch(/virtual machine \(KVM\)/);
    expect(c.warnings.join('\n')).not.toMatch(/rotational/);
  });

  it('an x86 image on an arm64 engine is flagged as emulated', () => {
    const c = classifyPlatform(emulatedImage);
    expect(c.kind).toBe('native-arm');
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/^image mcr\.microsoft\.com\/mssql\/server:2022-latest is amd64 but the engine is arm64: it runs under emulation, roughly 40% slower/);
  });

  it('a cgroup CPU limit makes a big machine small', () => {
    const c = classifyPlatform(machine({ cgroup: { version: 2, cpuLimit: 2, memoryLimitBytes: 4 * GiB } }));
    expect(c).toMatchObject({ kind: 'ci-small', effectiveCpus: 2 });
    expect(c.warnings.join('\n')).toMatch(/limits this process to 2 of 32 CPUs/);
    expect(c.warnings.join('\n')).toMatch(/limits memory to 4 GiB of 64 GiB/);
  });

  it('a large x86 VM is vm, starting from the native-x86-linux profile with an I/O warning', () => {
    const c = classifyPlatform(machine({ virtualization: { kind: 'vm', hypervisor: 'VMware', evidence: ['DMI: VMware'] } }));
    expect(c).toMatchObject({ kind: 'vm', profile: 'native-x86-linux' });
    expect(c.warnings.join('\n')).toMatch(/virtual machine \(VMware\)/);
  });

  it('Rosetta 2 is flagged', () => {
    expect(classifyPlatform(machine({ ...appleSilicon, rosetta: true })).warnings.join('\n')).toMatch(/Rosetta 2/);
  });
});

describe('formatPlatformRows', () => {
  it('labels every fact once, with evidence under its row', () => {
    const rows = Object.fromEntries(formatPlatformRows(thisVm).filter(([k]) => !k.startsWith(' ')));
    expect(rows).toMatchObject({
      architecture: 'amd64',
      virtualization: 'virtual machine (KVM)',
      WSL2: 'no',
      container: 'no',
      cores: '2 physical, 2 logical',
      'cgroup limits': 'v1: CPU none, memory none',
    });
    expect(rows.storage).toMatch(/virtual disk, reports HDD/);
    expect(Object.fromEntries(formatPlatformRows(appleSilicon)).cores).toBe('14 physical, 14 logical (10 performance + 4 efficiency)');
    expect(Object.fromEntries(formatPlatformRows(emulatedImage))['  image']).toMatch(/EMULATED/);
  });
});

describe('platform probes (parsers)', () => {
  it('reads cgroup limits', () => {
    expect(parseCpuMax('max 100000\n')).toBeUndefined();
    expect(parseCpuMax('150000 100000\n')).toBe(1.5);
    expect(parseCfsQuota('-1', '100000')).toBeUndefined();
    expect(parseCfsQuota('200000\n', '100000\n')).toBe(2);
    expect(parseMemoryLimit('max')).toBeUndefined();
    expect(parseMemoryLimit('9223372036854771712')).toBeUndefined();
    expect(parseMemoryLimit('536870912\n')).toBe(512 * 2 ** 20);
    const map = parseProcCgroup('4:memory:/process_api/abc\n2:cpu,cpuacct:/\n0::/user.slice\n1:name=systemd:/');
    expect(map.get('memory')).toBe('/process_api/abc');
    expect(map.get('cpuacct')).toBe('/');
    expect(map.get('')).toBe('/user.slice');
    expect(map.get('systemd')).toBe('/');
  });

  it('recognises WSL2, hypervisors and disks', () => {
    expect(isWsl2Kernel('5.15.153.1-microsoft-standard-WSL2')).toBe(true);
    expect(isWsl2Kernel('Linux version 4.4.0-19041-Microsoft')).toBe(false); // WSL1
    expect(isWsl2Kernel('6.18.44-fc-v669')).toBe(false);
    expect(hypervisorFromDmi('QEMU / Standard PC (Q35 + ICH9, 2009)')).toBe('QEMU');
    expect(hypervisorFromDmi('Microsoft Corporation / Virtual Machine')).toBe('Hyper-V');
    expect(hypervisorFromDmi('Dell Inc. / PowerEdge R750')).toBeUndefined();
    expect(cpuinfoHasHypervisorFlag('processor : 0\nflags\t\t: fpu vme hypervisor lahf_lm\n')).toBe(true);
    expect(cpuinfoHasHypervisorFlag('flags\t\t: fpu vme lahf_lm\n')).toBe(false);
    expect(parentDisk('/dev/vda1')).toBe('vda');
    expect(parentDisk('/dev/nvme0n1p2')).toBe('nvme0n1');
    expect(parentDisk('/dev/disk3s1s1')).toBe('disk3');
    expect(parentDisk('/dev/vda')).toBe('vda');
  });

  it('believes a container on cgroup or overlay evidence, not on /.dockerenv alone', () => {
    expect(containerSignals({ dockerenv: true, containerenv: false, initCgroup: '0::/\n', mounts: '/dev/vda / ext4 rw 0 0\n' })).toEqual({
      inContainer: false,
      evidence: ['/.dockerenv (marker only)'],
    });
    const inside = containerSignals({ dockerenv: true, containerenv: false, initCgroup: '12:memory:/docker/abc\n', mounts: 'overlay / overlay rw 0 0\n' });
    expect(inside.inContainer).toBe(true);
    expect(inside.evidence).toEqual(['/proc/1/cgroup: docker', 'root filesystem: overlay', '/.dockerenv (marker only)']);
  });
});
