import { availableParallelism, release } from 'node:os';
import { resolve } from 'node:path';
import type Docker from 'dockerode';
import si from 'systeminformation';
import { normalizeArch } from './arch.js';
import { classifyPlatform, effectiveCpus, formatPlatformRows } from './classify.js';
import {
  detectCgroup,
  detectContainer,
  detectWsl2,
  existingAncestor,
  linuxVirtSignals,
  macVirtSignals,
  parentDisk,
  type VirtSignals,
} from './platform-probes.js';
import type { DockerPlatformInfo, PlatformInfo } from './types.js';

export { classifyPlatform, effectiveCpus, formatPlatformRows };
export type { DockerPlatformInfo, PlatformClass, PlatformInfo, PlatformKind } from './types.js';

export interface DetectOptions {
  /** Also ask this engine (Docker Desktop? its architecture, memory, an image's architecture). */
  readonly docker?: Docker;
  /** The image the databases would run from, to spot emulation. */
  readonly image?: string;
  /** Where the databases' data lives (default: the current directory). */
  readonly dataDir?: string;
}

/**
 * Facts about this machine for reports and for picking a starting profile. Calls only the
 * systeminformation functions it needs, in parallel (getStaticData() takes seconds); never throws.
 */
export async function detectPlatform(opts: DetectOptions = {}): Promise<PlatformInfo> {
  const [osInfo, system, cpu, mem, fsSize, blocks] = await Promise.all([
    si.osInfo().catch(() => undefined),
    si.system().catch(() => undefined),
    si.cpu().catch(() => undefined),
    si.mem().catch(() => undefined),
    si.fsSize().catch(() => []),
    si.blockDevices().catch(() => []),
  ]);
  const wsl2 = process.platform === 'linux' && detectWsl2();

  let signals: VirtSignals = { vm: [], bareMetal: [] };
  let rosetta = false;
  if (process.platform === 'linux') signals = await linuxVirtSignals();
  else if (process.platform === 'darwin') {
    const mac = await macVirtSignals();
    signals = mac;
    rosetta = mac.rosetta;
  }
  if (wsl2) {
    signals.vm.push(`kernel ${release()}: WSL2`);
    signals.hypervisor ??= 'Hyper-V (WSL2)';
  }
  // system().virtual comes from DMI, disk IDs or dmesg, but its model "Docker Container" only means
  // /.dockerenv exists (see probes.containerSignals), so only virtual/virtualHost are used.
  if (system?.virtual) {
    signals.vm.push(`systeminformation: virtual${system.virtualHost ? ` (${system.virtualHost})` : ''}`);
    signals.hypervisor ??= system.virtualHost || undefined;
  }
  const virtualization: PlatformInfo['virtualization'] = {
    kind: signals.vm.length > 0 ? 'vm' : signals.bareMetal.length > 0 ? 'bare-metal' : 'unknown',
    ...(signals.hypervisor ? { hypervisor: signals.hypervisor } : {}),
    evidence: [...signals.vm, ...(signals.vm.length === 0 ? signals.bareMetal : [])],
  };

  const logical = cpu?.cores || availableParallelism();
  const info: PlatformInfo = {
    detectedAt: new Date().toISOString(),
    os: {
      platform: process.platform,
      distro: osInfo?.distro ?? '',
      release: osInfo?.release ?? '',
      kernel: osInfo?.kernel ?? release(),
      arch: normalizeArch(osInfo?.arch ?? process.arch),
    },
    virtualization,
    wsl2,
    rosetta,
    container: detectContainer(),
    cpu: {
      model: [cpu?.manufacturer, cpu?.brand].filter(Boolean).join(' ') || 'unknown',
      physicalCores: cpu?.physicalCores || logical,
      logicalCores: logical,
      // systeminformation sets performanceCores = cores and efficiencyCores = 0 where it cannot tell.
      ...(cpu?.efficiencyCores ? { performanceCores: cpu.performanceCores ?? logical - cpu.efficiencyCores, efficiencyCores: cpu.efficiencyCores } : {}),
    },
    memory: { totalBytes: mem?.total ?? 0, availableBytes: mem?.available ?? 0 },
    cgroup: detectCgroup(),
    ...storageOf(resolve(opts.dataDir ?? '.'), fsSize, blocks, virtualization.kind === 'vm'),
    ...(opts.docker ? { docker: await dockerInfo(opts.docker, opts.image) } : {}),
  };
  return info;
}

function storageOf(
  path: string,
  fsSize: si.Systeminformation.FsSizeData[],
  blocks: si.Systeminformation.BlockDevicesData[],
  vm: boolean,
): Pick<PlatformInfo, 'storage'> {
  const dir = existingAncestor(path);
  const fs = fsSize
    .filter((f) => dir === f.mount || dir.startsWith(f.mount.endsWith('/') ? f.mount : `${f.mount}/`))
    .sort((a, b) => b.mount.length - a.mount.length)[0];
  if (!fs) return {};
  const disk = parentDisk(fs.fs);
  const block = blocks.find((b) => b.name === disk) ?? blocks.find((b) => b.mount === fs.mount);
  const reportedType = block?.physical ?? '';
  const virtualDisk = vm && (/^(vd|xvd)/.test(disk) || /qemu|virtual|vmware|vbox/i.test(`${block?.model ?? ''} ${block?.protocol ?? ''}`));
  return { storage: { path, mount: fs.mount, device: fs.fs, fsType: fs.type, sizeBytes: fs.size, reportedType, virtualDisk } };
}

async function dockerInfo(docker: Docker, image?: string): Promise<DockerPlatformInfo> {
  let info: Record<string, unknown>;
  try {
    info = (await docker.info()) as Record<string, unknown>;
  } catch (err) {
    return { reachable: false, desktop: false, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
  const str = (k: string): string | undefined => (typeof info[k] === 'string' ? (info[k] as string) : undefined);
  const num = (k: string): number | undefined => (typeof info[k] === 'number' ? (info[k] as number) : undefined);
  const arch = str('Architecture') ? normalizeArch(str('Architecture')!) : undefined;
  const operatingSystem = str('OperatingSystem');
  const kernelVersion = str('KernelVersion');
  let img: DockerPlatformInfo['image'];
  if (image) {
    try {
      const i = await docker.getImage(image).inspect();
      const imageArch = normalizeArch(i.Architecture);
      img = { ref: image, arch: imageArch, emulated: arch !== undefined && imageArch !== arch };
    } catch {
      img = undefined; // not present locally: nothing to compare
    }
  }
  return {
    reachable: true,
    desktop: /docker desktop/i.test(operatingSystem ?? '') || /linuxkit/i.test(kernelVersion ?? ''),
    ...(str('ServerVersion') ? { serverVersion: str('ServerVersion')! } : {}),
    ...(operatingSystem ? { operatingSystem } : {}),
    ...(kernelVersion ? { kernelVersion } : {}),
    ...(arch ? { arch } : {}),
    ...(num('NCPU') !== undefined ? { cpus: num('NCPU')! } : {}),
    ...(num('MemTotal') !== undefined ? { memoryBytes: num('MemTotal')! } : {}),
    ...(str('CgroupVersion') ? { cgroupVersion: str('CgroupVersion')! } : {}),
    ...(img ? { image: img } : {}),
  };
}
