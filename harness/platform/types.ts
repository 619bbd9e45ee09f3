/**
 * What bench knows about the machine it runs on: plain data, so classification is a pure function and
 * tests can use fixtures for machines we do not have (Apple Silicon, WSL2, an emulated image).
 */
export interface PlatformInfo {
  readonly detectedAt: string;
  readonly os: {
    /** process.platform: linux, darwin, win32… */
    readonly platform: string;
    readonly distro: string;
    readonly release: string;
    readonly kernel: string;
    /** Docker's spelling: amd64, arm64. */
    readonly arch: string;
  };
  readonly virtualization: {
    readonly kind: 'bare-metal' | 'vm' | 'unknown';
    /** KVM, VMware, Hyper-V, Apple Virtualization, WSL2… when known. */
    readonly hypervisor?: string;
    /** Which signals said so, e.g. "cpuinfo: hypervisor flag", "systemd-detect-virt --vm: kvm". */
    readonly evidence: readonly string[];
  };
  readonly wsl2: boolean;
  /** macOS: this process is x86-64 code translated by Rosetta 2 (sysctl.proc_translated). */
  readonly rosetta: boolean;
  readonly container: {
    /** True only on strong evidence (cgroup path, overlay root); marker files alone are noted, not believed. */
    readonly inContainer: boolean;
    readonly evidence: readonly string[];
  };
  readonly cpu: {
    readonly model: string;
    readonly physicalCores: number;
    readonly logicalCores: number;
    /** Apple Silicon and hybrid Intel report these; undefined where the split is unknown. */
    readonly performanceCores?: number;
    readonly efficiencyCores?: number;
  };
  readonly memory: {
    readonly totalBytes: number;
    readonly availableBytes: number;
  };
  readonly storage?: {
    /** The directory asked about (the state directory, where databases' data lives). */
    readonly path: string;
    readonly mount: string;
    readonly device: string;
    readonly fsType: string;
    readonly sizeBytes: number;
    /** What the OS reports: SSD, HDD, NVMe… A virtual disk often claims HDD; see `virtualDisk`. */
    readonly reportedType: string;
    readonly virtualDisk: boolean;
  };
  readonly cgroup: {
    readonly version: 1 | 2 | undefined;
    /** CPUs this process may use (quota / period); undefined = no limit. */
    readonly cpuLimit?: number;
    readonly memoryLimitBytes?: number;
  };
  readonly docker?: DockerPlatformInfo;
}

export interface DockerPlatformInfo {
  readonly reachable: boolean;
  readonly error?: string;
  readonly serverVersion?: string;
  /** `docker info` OperatingSystem: "Docker Desktop", "Debian GNU/Linux 12 (bookworm)"… */
  readonly operatingSystem?: string;
  readonly kernelVersion?: string;
  /** The engine's architecture, Docker's spelling. */
  readonly arch?: string;
  readonly cpus?: number;
  readonly memoryBytes?: number;
  readonly cgroupVersion?: string;
  readonly desktop: boolean;
  /** The image databases would run from, when one was named and exists. */
  readonly image?: {
    readonly ref: string;
    readonly arch?: string;
    /** The image's architecture differs from the engine's: it runs under QEMU or Rosetta. */
    readonly emulated: boolean;
  };
}

export type PlatformKind = 'native-arm' | 'wsl2-docker-desktop' | 'native-x86-linux' | 'vm' | 'ci-small' | 'unknown';

export interface PlatformClass {
  readonly kind: PlatformKind;
  /** Name of the built-in profile to start from (profiles/platforms/<profile>.json). */
  readonly profile: string;
  /** CPUs actually available: logical cores, capped by a cgroup limit. */
  readonly effectiveCpus: number;
  /** Each says what is wrong and what to do about it. */
  readonly warnings: readonly string[];
}
