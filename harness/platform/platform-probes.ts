import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';

/**
 * Small readers of kernel and OS facts that systeminformation does not give (or gives wrongly, see
 * the notes on each). Each returns data or undefined and never throws: detection must not stop a run.
 * Parsers take text so tests can feed them fixtures.
 */

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A command's trimmed stdout, or undefined if it is missing, fails or takes more than 3 s. */
export async function commandOutput(file: string, args: readonly string[]): Promise<string | undefined> {
  const r = await execa(file, args, { reject: false, timeout: 3000, stdin: 'ignore' });
  return r.failed && r.exitCode !== 1 ? undefined : r.stdout?.trim() || undefined;
}

// ---------- WSL ----------

/** WSL2 kernels are named like "5.15.153.1-microsoft-standard-WSL2"; WSL1 says "Microsoft" with no "standard". */
export function isWsl2Kernel(text: string): boolean {
  return /microsoft-standard|wsl2/i.test(text);
}

export function detectWsl2(): boolean {
  return isWsl2Kernel(release()) || isWsl2Kernel(readText('/proc/version') ?? '');
}

// ---------- virtualization ----------

const dmiHypervisors: readonly [RegExp, string][] = [
  [/kvm/i, 'KVM'],
  [/qemu/i, 'QEMU'],
  [/vmware/i, 'VMware'],
  [/virtualbox|innotek/i, 'VirtualBox'],
  [/microsoft corporation.*virtual machine|hyper-v/i, 'Hyper-V'],
  [/xen/i, 'Xen'],
  [/amazon ec2/i, 'AWS (Nitro/KVM)'],
  [/google compute engine/i, 'Google Compute Engine (KVM)'],
  [/parallels/i, 'Parallels'],
  [/bochs/i, 'Bochs'],
  [/apple virtualization/i, 'Apple Virtualization'],
];

/** A hypervisor name from DMI strings (sys_vendor, product_name, board_vendor), or undefined. */
export function hypervisorFromDmi(dmi: string): string | undefined {
  return dmiHypervisors.find(([re]) => re.test(dmi))?.[1];
}

export function cpuinfoHasHypervisorFlag(cpuinfo: string): boolean {
  return /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo);
}

export interface VirtSignals {
  vm: string[];
  bareMetal: string[];
  hypervisor?: string;
}

/** Linux: cpuinfo flag, DMI, /sys/hypervisor and systemd-detect-virt --vm (which ignores containers). */
export async function linuxVirtSignals(): Promise<VirtSignals> {
  const s: VirtSignals = { vm: [], bareMetal: [] };
  const cpuinfo = readText('/proc/cpuinfo');
  if (cpuinfo !== undefined && /^flags\s*:/m.test(cpuinfo)) {
    if (cpuinfoHasHypervisorFlag(cpuinfo)) s.vm.push('/proc/cpuinfo: hypervisor flag');
    else s.bareMetal.push('/proc/cpuinfo: no hypervisor flag');
  }
  const dmi = ['sys_vendor', 'product_name', 'board_vendor']
    .map((f) => readText(join('/sys/class/dmi/id', f))?.trim())
    .filter((x): x is string => Boolean(x))
    .join(' / ');
  if (dmi) {
    const h = hypervisorFromDmi(dmi);
    if (h) {
      s.vm.push(`DMI: ${dmi}`);
      s.hypervisor ??= h;
    }
  }
  const xen = readText('/sys/hypervisor/type')?.trim();
  if (xen) {
    s.vm.push(`/sys/hypervisor/type: ${xen}`);
    s.hypervisor ??= xen === 'xen' ? 'Xen' : xen;
  }
  const sdv = await commandOutput('systemd-detect-virt', ['--vm']);
  if (sdv === 'none') s.bareMetal.push('systemd-detect-virt --vm: none');
  else if (sdv) {
    s.vm.push(`systemd-detect-virt --vm: ${sdv}`);
    s.hypervisor ??= hypervisorFromDmi(sdv) ?? sdv;
  }
  return s;
}

/** macOS: kern.hv_vmm_present is 1 inside a virtual machine; sysctl.proc_translated is 1 under Rosetta 2. */
export async function macVirtSignals(): Promise<VirtSignals & { rosetta: boolean }> {
  const s: VirtSignals & { rosetta: boolean } = { vm: [], bareMetal: [], rosetta: false };
  const vmm = await commandOutput('sysctl', ['-n', 'kern.hv_vmm_present']);
  if (vmm === '1') {
    s.vm.push('sysctl kern.hv_vmm_present: 1');
    s.hypervisor = 'Apple Virtualization';
  } else if (vmm === '0') s.bareMetal.push('sysctl kern.hv_vmm_present: 0');
  s.rosetta = (await commandOutput('sysctl', ['-n', 'sysctl.proc_translated'])) === '1';
  return s;
}

// ---------- containers ----------

/**
 * Marker files (/.dockerenv, $container) are weak: some VMs are booted from container images and keep
 * /.dockerenv (systemd-detect-virt then says "docker" too). A container is believed only when the init
 * process's cgroup names a runtime or the root filesystem is an overlay.
 */
export function containerSignals(input: { dockerenv: boolean; containerenv: boolean; envContainer?: string; initCgroup?: string; mounts?: string }): {
  inContainer: boolean;
  evidence: string[];
} {
  const strong: string[] = [];
  const weak: string[] = [];
  if (input.initCgroup && /docker|kubepods|containerd|libpod|lxc|buildkit/.test(input.initCgroup)) {
    strong.push(`/proc/1/cgroup: ${/docker|kubepods|containerd|libpod|lxc|buildkit/.exec(input.initCgroup)![0]}`);
  }
  const root = input.mounts?.split('\n').find((l) => l.split(' ')[1] === '/');
  if (root && /^\S+ \/ (overlay|fuse-overlayfs|aufs) /.test(root)) strong.push(`root filesystem: ${root.split(' ')[2]}`);
  if (input.containerenv) strong.push('/run/.containerenv');
  if (input.dockerenv) weak.push('/.dockerenv (marker only)');
  if (input.envContainer) weak.push(`$container=${input.envContainer} (marker only)`);
  return { inContainer: strong.length > 0, evidence: [...strong, ...weak] };
}

export function detectContainer(): { inContainer: boolean; evidence: string[] } {
  if (process.platform !== 'linux') return { inContainer: false, evidence: [] };
  const envContainer = process.env.container;
  return containerSignals({
    dockerenv: existsSync('/.dockerenv'),
    containerenv: existsSync('/run/.containerenv'),
    ...(envContainer ? { envContainer } : {}),
    ...optionalText('initCgroup', readText('/proc/1/cgroup')),
    ...optionalText('mounts', readText('/proc/mounts')),
  });
}

function optionalText<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

// ---------- cgroups ----------

/** cgroup v2 cpu.max: "max 100000" (no limit) or "200000 100000" (2 CPUs). */
export function parseCpuMax(text: string | undefined): number | undefined {
  const [quota, period] = (text ?? '').trim().split(/\s+/);
  if (!quota || quota === 'max') return undefined;
  const q = Number(quota);
  const p = Number(period ?? 100000);
  return q > 0 && p > 0 ? q / p : undefined;
}

/** cgroup v1 cfs quota: -1 means no limit. */
export function parseCfsQuota(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota?.trim());
  const p = Number(period?.trim());
  return Number.isFinite(q) && q > 0 && p > 0 ? q / p : undefined;
}

/** memory.max ("max") or memory.limit_in_bytes (a huge number near 2^63 means no limit). */
export function parseMemoryLimit(text: string | undefined): number | undefined {
  const t = text?.trim();
  if (!t || t === 'max') return undefined;
  const n = Number(t);
  return Number.isFinite(n) && n > 0 && n < 2 ** 60 ? n : undefined;
}

/** /proc/self/cgroup → controller → path ("" for the v2 unified hierarchy). */
export function parseProcCgroup(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    for (const c of m[1]!.split(',')) map.set(c.replace(/^name=/, ''), m[2]!);
  }
  return map;
}

/** The tightest value of `read` from the cgroup directory up to the hierarchy's root (parents limit children). */
function tightest(root: string, path: string, read: (dir: string) => number | undefined): number | undefined {
  let best: number | undefined;
  let dir = join(root, path);
  for (;;) {
    if (existsSync(dir)) {
      const v = read(dir);
      if (v !== undefined) best = best === undefined ? v : Math.min(best, v);
    }
    if (dir === root || !dir.startsWith(root)) break;
    dir = dirname(dir);
  }
  return best;
}

export function detectCgroup(): { version: 1 | 2 | undefined; cpuLimit?: number; memoryLimitBytes?: number } {
  if (process.platform !== 'linux') return { version: undefined };
  const procCgroup = parseProcCgroup(readText('/proc/self/cgroup') ?? '');
  const base = '/sys/fs/cgroup';
  if (existsSync(join(base, 'cgroup.controllers'))) {
    const path = procCgroup.get('') ?? '/';
    const cpu = tightest(base, path, (d) => parseCpuMax(readText(join(d, 'cpu.max'))));
    const mem = tightest(base, path, (d) => parseMemoryLimit(readText(join(d, 'memory.max'))));
    return { version: 2, ...(cpu !== undefined ? { cpuLimit: cpu } : {}), ...(mem !== undefined ? { memoryLimitBytes: mem } : {}) };
  }
  if (!existsSync(base)) return { version: undefined };
  const cpuRoot = ['cpu', 'cpu,cpuacct'].map((d) => join(base, d)).find(existsSync);
  const memRoot = join(base, 'memory');
  const cpu = cpuRoot
    ? tightest(cpuRoot, procCgroup.get('cpu') ?? '/', (d) => parseCfsQuota(readText(join(d, 'cpu.cfs_quota_us')), readText(join(d, 'cpu.cfs_period_us'))))
    : undefined;
  const mem = existsSync(memRoot) ? tightest(memRoot, procCgroup.get('memory') ?? '/', (d) => parseMemoryLimit(readText(join(d, 'memory.limit_in_bytes')))) : undefined;
  return { version: 1, ...(cpu !== undefined ? { cpuLimit: cpu } : {}), ...(mem !== undefined ? { memoryLimitBytes: mem } : {}) };
}

// ---------- storage ----------

/** vda1 → vda, nvme0n1p2 → nvme0n1, mmcblk0p1 → mmcblk0, disk3s1s1 → disk3. */
export function parentDisk(device: string): string {
  const name = device.replace(/^\/dev\//, '');
  if (/^(nvme\d+n\d+|mmcblk\d+)p\d+$/.test(name)) return name.replace(/p\d+$/, '');
  if (/^disk\d+/.test(name)) return /^disk\d+/.exec(name)![0];
  return name.replace(/\d+$/, '');
}

/** The nearest existing directory at or above `path`. */
export function existingAncestor(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}
