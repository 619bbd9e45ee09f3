import { createHash, randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { BenchError, ExitCode, describeError, throwIfAborted } from '../base/errors.js';
import { log } from '../base/log.js';
import {
  dockerEndpoint,
  dockerMessage,
  ensureImage,
  lastLogLines,
  newDockerClient,
  pingEngine,
  pullPolicies,
  statusCodeOf,
  type PullPolicy,
} from './docker-engine.js';
import { normalizeArch } from '../platform/arch.js';
import { launchModes, networkModes, recipes, type ContainerRecipe, type Launch, type LaunchMode, type NetworkMode } from './docker-recipes.js';
import { findFreePort, isPortFree } from './ports.js';
import type { Provider, ProviderContext, ServerHandle, ServerSpec, ServerStatus } from './provider.js';
import type { Role } from '../model/roles.js';

/**
 * One container per role, with a named volume per role for the data, so a container can be replaced
 * (new settings or limits) without losing seeded data. Containers and volumes carry labels naming the
 * state directory; `down` removes exactly those, and nothing else on the engine.
 */

export const LABEL = {
  managed: 'dev.bench.managed',
  role: 'dev.bench.role',
  stateDir: 'dev.bench.state-dir',
  specHash: 'dev.bench.spec-hash',
  engine: 'dev.bench.engine',
  port: 'dev.bench.port',
  network: 'dev.bench.network',
  launchMode: 'dev.bench.launch-mode',
  image: 'dev.bench.image',
  /**
   * On the data volume: the password its cluster was initialised with. Whoever can read it can use the
   * Docker socket, which is root-equivalent, and the container's Env shows it anyway; keeping it here
   * lets a replaced container reuse the data without a state file.
   */
  password: 'dev.bench.password',
} as const;

/** First host ports tried: source 55532, target 55533 (next to the native provider's 55432/55433). */
const BASE_PORT = 55532;
const DEFAULT_READY_TIMEOUT_MS = 120_000;

export interface DockerProviderOptions {
  readonly docker?: Docker;
  /** `auto` (default): publish on 127.0.0.1 when the engine has a bridge network, else host networking. */
  readonly network?: NetworkMode | 'auto';
  readonly pull?: PullPolicy;
  /** Overrides what the image's inspect data says (an image label dev.bench.launch-mode, else its entrypoint). */
  readonly launchMode?: LaunchMode;
  readonly readyTimeoutMs?: number;
}

/** The image, launch mode and settings a role's container is made from, and the hash that says whether an existing one fits. */
interface ContainerPlan {
  readonly recipe: ContainerRecipe;
  readonly imageRef: string;
  readonly image: Docker.ImageInspectInfo;
  readonly emulated: string | undefined;
  readonly mode: LaunchMode;
  readonly network: NetworkMode;
  readonly settings: Readonly<Record<string, string>>;
  readonly hash: string;
}

/** The container's labels (which `down` and reuse read), ports, limits and data mount. */
function createOptions(input: {
  spec: ServerSpec;
  plan: ContainerPlan;
  ctx: ProviderContext;
  name: string;
  port: number;
  launch: Launch;
  volume: string;
  dataDir: string;
}): Docker.ContainerCreateOptions {
  const { spec, plan, ctx, name, port, launch } = input;
  const { recipe, imageRef, mode, network } = plan;
  const { cpus, memoryBytes } = spec.resources ?? {};
  const portKey = `${recipe.containerPort}/tcp`;
  return {
    name,
    Image: imageRef,
    Cmd: launch.cmd.length > 0 ? launch.cmd : undefined,
    Env: launch.env,
    ...(launch.user ? { User: launch.user } : {}),
    StopSignal: recipe.stopSignal,
    Labels: {
      [LABEL.managed]: 'true',
      [LABEL.role]: spec.role,
      [LABEL.stateDir]: ctx.stateDir,
      [LABEL.specHash]: plan.hash,
      [LABEL.engine]: spec.engine,
      [LABEL.port]: String(port),
      [LABEL.network]: network,
      [LABEL.launchMode]: mode,
      [LABEL.image]: imageRef,
    },
    ...(network === 'publish' ? { ExposedPorts: { [portKey]: {} } } : {}),
    HostConfig: {
      NetworkMode: network === 'host' ? 'host' : 'bridge',
      ...(network === 'publish' ? { PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: String(port) }] } } : {}),
      ...(cpus !== undefined ? { NanoCpus: Math.round(cpus * 1e9) } : {}),
      // MemorySwap = Memory: no swap, so a too-small limit shows up as an OOM kill, not as a slow trial.
      ...(memoryBytes !== undefined ? { Memory: memoryBytes, MemorySwap: memoryBytes } : {}),
      ShmSize: shmSize(memoryBytes),
      Mounts: [{ Type: 'volume', Source: input.volume, Target: input.dataDir }],
    },
  };
}

function envChoice<T extends string>(name: string, allowed: readonly T[]): T | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new BenchError(`${name} is "${v}"; choose one of ${allowed.join(', ')}`, { exitCode: ExitCode.usage });
}

/** Short, stable tag of the state directory: container and volume names stay unique per project. */
export function stateTag(stateDir: string): string {
  return createHash('sha256').update(stateDir).digest('hex').slice(0, 8);
}

export function containerName(stateDir: string, role: Role): string {
  return `bench-${stateTag(stateDir)}-${role}`;
}

/**
 * Launch mode from the image: its label when it states one, else `self-init` for an image without an
 * entrypoint (nothing would initialise the data directory) and `entrypoint` otherwise.
 */
export function launchModeOf(image: Pick<Docker.ImageInspectInfo, 'Config'>, recipe: ContainerRecipe, override?: LaunchMode): LaunchMode {
  const labelled = image.Config?.Labels?.[LABEL.launchMode];
  const entrypoint = image.Config?.Entrypoint;
  const hasEntrypoint = Array.isArray(entrypoint) ? entrypoint.length > 0 : Boolean(entrypoint);
  const mode = override ?? (launchModes.includes(labelled as LaunchMode) ? (labelled as LaunchMode) : hasEntrypoint ? 'entrypoint' : 'self-init');
  if (!recipe.launchModes.includes(mode)) {
    throw new BenchError(`${recipe.engine} images need an entrypoint of their own (launch mode ${mode} is PostgreSQL-only)`);
  }
  return mode;
}

function imageEnv(image: Pick<Docker.ImageInspectInfo, 'Config'>, name: string): string | undefined {
  const line = image.Config?.Env?.find((e) => e.startsWith(`${name}=`));
  return line?.slice(name.length + 1);
}

/** What decides whether a running container can be reused: everything but the password. */
export function specHash(parts: {
  engine: string;
  imageId: string;
  mode: LaunchMode;
  network: NetworkMode;
  settings: Readonly<Record<string, string>>;
  cpus?: number;
  memoryBytes?: number;
  port?: number;
}): string {
  const settings = Object.fromEntries(Object.entries(parts.settings).sort(([a], [b]) => a.localeCompare(b)));
  const canonical = JSON.stringify({ ...parts, settings, cpus: parts.cpus ?? null, memoryBytes: parts.memoryBytes ?? null, port: parts.port ?? null, v: 1 });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** `/dev/shm` for parallel query and hash joins: Docker's 64 MB default is too small for bulk loads. */
function shmSize(memoryBytes?: number): number {
  const cap = 1024 * 2 ** 20;
  return memoryBytes ? Math.max(64 * 2 ** 20, Math.min(cap, Math.floor(memoryBytes / 4))) : cap;
}

function mib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1).replace(/\.0$/, '')} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}

export class DockerProvider implements Provider {
  readonly name = 'docker' as const;
  private client: Docker | undefined;

  constructor(private readonly options: DockerProviderOptions = {}) {
    this.client = options.docker;
  }

  private get docker(): Docker {
    this.client ??= newDockerClient();
    return this.client;
  }

  async available(): Promise<true | string> {
    try {
      return await pingEngine(this.docker);
    } catch (err) {
      // A malformed DOCKER_HOST throws in the client's constructor.
      return `Docker engine not reachable at ${dockerEndpoint()} (${describeError(err)}): start it (test/docker/start-engine.sh) or use --provider native`;
    }
  }

  private async requireEngine(): Promise<void> {
    const ok = await this.available();
    if (ok !== true) throw new BenchError(ok);
  }

  private async networkMode(): Promise<NetworkMode> {
    const wanted = this.options.network ?? envChoice('BENCH_DOCKER_NETWORK', [...networkModes, 'auto'] as const) ?? 'auto';
    if (wanted !== 'auto') return wanted;
    try {
      await this.docker.getNetwork('bridge').inspect();
      return 'publish';
    } catch (err) {
      if (statusCodeOf(err) !== 404) throw new BenchError(`could not inspect the engine's bridge network: ${dockerMessage(err)}`);
      log.debug('the Docker engine has no bridge network (dockerd --bridge=none): using host networking');
      return 'host';
    }
  }

  private pullPolicy(): PullPolicy {
    return this.options.pull ?? envChoice('BENCH_DOCKER_PULL', pullPolicies) ?? 'missing';
  }

  private readyTimeoutMs(): number {
    const env = Number(process.env.BENCH_DOCKER_READY_TIMEOUT);
    return this.options.readyTimeoutMs ?? (Number.isFinite(env) && env > 0 ? env * 1000 : DEFAULT_READY_TIMEOUT_MS);
  }

  /** Containers (any state) or volumes that bench made for this state directory. */
  private filters(stateDir: string, role?: Role): string {
    const label = [`${LABEL.managed}=true`, `${LABEL.stateDir}=${stateDir}`, ...(role ? [`${LABEL.role}=${role}`] : [])];
    return JSON.stringify({ label });
  }

  private async ourContainers(stateDir: string, role?: Role): Promise<Docker.ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: this.filters(stateDir, role) });
  }

  private async ourVolumes(stateDir: string, role?: Role): Promise<Docker.VolumeInspectInfo[]> {
    const r = await this.docker.listVolumes({ filters: this.filters(stateDir, role) });
    return r.Volumes ?? [];
  }

  async up(specs: readonly ServerSpec[], ctx: ProviderContext): Promise<ServerHandle[]> {
    await this.requireEngine();
    const network = await this.networkMode();
    const handles: ServerHandle[] = [];
    const taken = new Set<number>();
    // One at a time: the second role's port choice must see the first one's.
    for (const spec of specs) {
      throwIfAborted(ctx.lifecycle.signal);
      const h = await this.upOne(spec, network, taken, ctx);
      taken.add(Number(h.details.port));
      handles.push(h);
    }
    return handles;
  }

  private async upOne(spec: ServerSpec, network: NetworkMode, taken: ReadonlySet<number>, ctx: ProviderContext): Promise<ServerHandle> {
    const plan = await this.planContainer(spec, network, ctx);
    return (await this.reuseOrReplace(spec, plan, ctx)) ?? (await this.createAndStart(spec, plan, taken, ctx));
  }

  /** The image (pulled if need be), how it launches, and the hash an existing container must carry to be reused. */
  private async planContainer(spec: ServerSpec, network: NetworkMode, ctx: ProviderContext): Promise<ContainerPlan> {
    const recipe: ContainerRecipe = recipes[spec.engine];
    const imageRef = spec.image ?? process.env[recipe.imageEnvVar] ?? recipe.defaultImage;
    const image = await ensureImage(this.docker, imageRef, this.pullPolicy(), ctx.lifecycle.signal);
    const emulated = await this.emulation(imageRef, image);
    const mode = launchModeOf(image, recipe, this.options.launchMode ?? envChoice('BENCH_DOCKER_LAUNCH', launchModes));
    const settings = recipe.engine === 'postgres' ? spec.settings : {};
    const hash = specHash({
      engine: spec.engine,
      imageId: image.Id,
      mode,
      network,
      settings,
      ...(spec.resources?.cpus !== undefined ? { cpus: spec.resources.cpus } : {}),
      ...(spec.resources?.memoryBytes !== undefined ? { memoryBytes: spec.resources.memoryBytes } : {}),
      ...(spec.port !== undefined ? { port: spec.port } : {}),
    });
    return { recipe, imageRef, image, emulated, mode, network, settings, hash };
  }

  /**
   * Reuse or restart the role's existing container when it was made from the same spec; replace it
   * otherwise (undefined: a new one is to be made).
   */
  private async reuseOrReplace(spec: ServerSpec, plan: ContainerPlan, ctx: ProviderContext): Promise<ServerHandle | undefined> {
    const { role } = spec;
    const { recipe } = plan;
    for (const existing of await this.ourContainers(ctx.stateDir, role)) {
      const c = this.docker.getContainer(existing.Id);
      if (existing.Labels[LABEL.specHash] === plan.hash) {
        const port = Number(existing.Labels[LABEL.port]);
        const volume = (await this.ourVolumes(ctx.stateDir, role))[0];
        const password = volume?.Labels?.[LABEL.password];
        if (password !== undefined) {
          const url = recipe.url(password, port);
          if (existing.State === 'running') {
            log.debug(`${role} container ${existing.Names[0] ?? existing.Id} already running with the same spec; reusing it`);
            await this.waitReady(c, recipe, url, role, ctx.lifecycle.signal);
            return this.handle(spec, recipe, url, false, { ...plan, name: containerName(ctx.stateDir, role), port });
          }
          if (await isPortFree(port)) {
            log.info(`starting the stopped ${role} container again`);
            ctx.lifecycle.deferOnFailure(`stop the ${role} container`, () => this.stopGracefully(c).catch(() => undefined));
            await this.start(c, role, port);
            await this.waitReady(c, recipe, url, role, ctx.lifecycle.signal);
            return this.handle(spec, recipe, url, true, { ...plan, name: containerName(ctx.stateDir, role), port });
          }
        }
      }
      log.info(`replacing the ${role} container: its settings, limits, image or port differ from this run's`);
      // Stop before removing: a forced remove is SIGKILL, and with synchronous_commit=off the last
      // commits may not have reached the WAL yet. The stop signal (SIGINT) is PostgreSQL's fast shutdown.
      await this.stopGracefully(c);
      await c.remove({ force: true, v: true });
    }
    return undefined;
  }

  /** A new container on the role's data volume, started and ready; removed again if the command fails. */
  private async createAndStart(spec: ServerSpec, plan: ContainerPlan, taken: ReadonlySet<number>, ctx: ProviderContext): Promise<ServerHandle> {
    const { role } = spec;
    const { recipe, imageRef, image, mode, network } = plan;
    const volume = await this.dataVolume(ctx, role, recipe, imageRef);
    const password = volume.Labels![LABEL.password]!;
    const port = await this.pickPort(spec, role, taken);
    const url = recipe.url(password, port);
    const dataDir = (recipe.dataDirEnvVar && imageEnv(image, recipe.dataDirEnvVar)) || recipe.defaultDataDir;
    const launch = recipe.launch({ mode, network, hostPort: port, password, settings: plan.settings, dataDir, imageUser: image.Config?.User ?? '' });
    const name = containerName(ctx.stateDir, role);
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(createOptions({ spec, plan, ctx, name, port, launch, volume: volume.Name, dataDir }));
    } catch (err) {
      if (statusCodeOf(err) === 409) {
        throw new BenchError(`a container named ${name} already exists but bench did not make it for ${ctx.stateDir}: remove or rename it (docker rm -f ${name})`);
      }
      throw new BenchError(`could not create the ${role} container from ${imageRef}: ${dockerMessage(err)}`, { cause: err });
    }
    ctx.lifecycle.deferOnFailure(`remove the ${role} container`, () => container.remove({ force: true, v: true }).catch(() => undefined));
    const { cpus, memoryBytes } = spec.resources ?? {};
    const limits = [cpus !== undefined ? `${cpus} CPUs` : '', memoryBytes !== undefined ? mib(memoryBytes) : ''].filter(Boolean).join(', ');
    log.info(`starting the ${role} container ${name} (${imageRef}, ${mode}, ${network} network${limits ? `, ${limits}` : ''}) on 127.0.0.1:${port}`);
    await this.start(container, role, port);
    await this.waitReady(container, recipe, url, role, ctx.lifecycle.signal);
    await recipe.prepare?.(url);
    return this.handle(spec, recipe, url, true, { ...plan, name, port });
  }

  /** The role's data volume, created (with a new password) when absent or made for another engine/image. */
  private async dataVolume(ctx: ProviderContext, role: Role, recipe: ContainerRecipe, imageRef: string): Promise<Docker.VolumeInspectInfo> {
    for (const v of await this.ourVolumes(ctx.stateDir, role)) {
      const fits = v.Labels?.[LABEL.engine] === recipe.engine && v.Labels?.[LABEL.image] === imageRef && v.Labels?.[LABEL.password];
      if (fits) return v;
      log.info(`removing the ${role} data volume ${v.Name}: it was made for ${v.Labels?.[LABEL.image] ?? 'another image'}`);
      await this.docker.getVolume(v.Name).remove();
    }
    const name = containerName(ctx.stateDir, role);
    const password = recipe.password(randomBytes(18).toString('base64url'));
    const created = (await this.docker.createVolume({
      Name: name,
      Labels: {
        [LABEL.managed]: 'true',
        [LABEL.role]: role,
        [LABEL.stateDir]: ctx.stateDir,
        [LABEL.engine]: recipe.engine,
        [LABEL.image]: imageRef,
        [LABEL.password]: password,
      },
    })) as unknown as Docker.VolumeInspectInfo;
    ctx.lifecycle.deferOnFailure(`remove the ${role} data volume`, () => this.docker.getVolume(name).remove({ force: true }).catch(() => undefined));
    // createVolume answers with the volume's inspect data; read it back to be independent of that.
    return created?.Labels?.[LABEL.password] ? created : ((await this.docker.getVolume(name).inspect()) as Docker.VolumeInspectInfo);
  }

  private async start(container: Docker.Container, role: Role, port: number): Promise<void> {
    try {
      await container.start();
    } catch (err) {
      const msg = dockerMessage(err);
      if (/port is already allocated|address already in use/i.test(msg)) {
        throw new BenchError(`could not start the ${role} container: port ${port} on 127.0.0.1 is in use (pass a free --${role}-port, or run \`bench down\`)`);
      }
      throw new BenchError(`could not start the ${role} container: ${msg}`, { cause: err });
    }
  }

  private async stopGracefully(c: Docker.Container): Promise<void> {
    try {
      await c.stop({ t: 60 });
    } catch (err) {
      if (statusCodeOf(err) !== 304) throw new BenchError(`could not stop container ${c.id.slice(0, 12)}: ${dockerMessage(err)}`); // 304: already stopped
    }
  }

  private async pickPort(spec: ServerSpec, role: Role, taken: ReadonlySet<number>): Promise<number> {
    if (spec.port !== undefined) {
      if (taken.has(spec.port) || !(await isPortFree(spec.port))) {
        throw new BenchError(`port ${spec.port} on 127.0.0.1 is in use (pass a free --${role}-port, or run \`bench down\`)`);
      }
      return spec.port;
    }
    return findFreePort(BASE_PORT + (role === 'source' ? 0 : 1), taken);
  }

  /** Polls the server with a trivial query; a container that stops or a timeout fails with its last log lines. */
  private async waitReady(container: Docker.Container, recipe: ContainerRecipe, url: string, role: Role, signal: AbortSignal): Promise<void> {
    const timeoutMs = this.readyTimeoutMs();
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      throwIfAborted(signal);
      const info = await container.inspect();
      if (!info.State.Running) {
        const why = info.State.OOMKilled ? 'was killed for running out of memory' : `exited with code ${info.State.ExitCode}`;
        throw await this.withLogs(container, `the ${role} container ${info.Name.replace(/^\//, '')} ${why} before ${recipe.engine} was ready`);
      }
      try {
        await recipe.probe(url, 2000);
        return;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() > deadline) {
        throw await this.withLogs(
          container,
          `the ${role} container ${info.Name.replace(/^\//, '')} did not accept connections within ${timeoutMs / 1000} s (last error: ${describeError(lastError)}; raise BENCH_DOCKER_READY_TIMEOUT)`,
        );
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  private async withLogs(container: Docker.Container, message: string): Promise<BenchError> {
    const lines = await lastLogLines(container);
    return new BenchError(lines.length > 0 ? `${message}; its last log lines:\n    ${lines.join('\n    ')}` : message);
  }

  /**
   * Whether the image runs under emulation (an amd64-only SQL Server image on an ARM host, say): warned
   * about now, and recorded in the server's details so every report of the run says so.
   */
  private async emulation(ref: string, image: Docker.ImageInspectInfo): Promise<string | undefined> {
    try {
      const info = (await this.docker.info()) as { Architecture?: string };
      if (info.Architecture && image.Architecture && normalizeArch(info.Architecture) !== normalizeArch(image.Architecture)) {
        log.warn(
          `image ${ref} is ${image.Architecture} but the engine runs ${info.Architecture}: it runs under emulation, expect it to be much slower ` +
            '(about 40% in the seeds’ runs); use a native image',
        );
        return `${normalizeArch(image.Architecture)} image on an ${normalizeArch(info.Architecture)} engine`;
      }
    } catch {
      // Only a warning: the engine answering nothing here must not stop `up`.
    }
    return undefined;
  }

  private handle(
    spec: ServerSpec,
    recipe: ContainerRecipe,
    url: string,
    startedNow: boolean,
    d: { name: string; imageRef: string; image: Docker.ImageInspectInfo; mode: LaunchMode; network: NetworkMode; port: number; emulated: string | undefined },
  ): ServerHandle {
    const { cpus, memoryBytes } = spec.resources ?? {};
    return {
      role: spec.role,
      engine: recipe.engine,
      provider: 'docker',
      url,
      startedNow,
      details: {
        container: d.name,
        image: d.imageRef,
        imageArch: d.image.Architecture,
        // Read by the reports (reports/markdown.ts): an emulated server's numbers say little about native ones.
        ...(d.emulated ? { emulated: d.emulated } : {}),
        launchMode: d.mode,
        network: d.network,
        port: d.port,
        cpus: cpus ?? 'unlimited',
        memory: memoryBytes !== undefined ? mib(memoryBytes) : 'unlimited',
      },
    };
  }

  async down(ctx: ProviderContext): Promise<string[]> {
    await this.requireEngine();
    const done: string[] = [];
    for (const c of await this.ourContainers(ctx.stateDir)) {
      await this.docker.getContainer(c.Id).remove({ force: true, v: true });
      const name = c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12);
      done.push(
        `${c.State === 'running' ? 'stopped and removed' : 'removed'} the ${c.Labels[LABEL.role] ?? ''} container ${name} (${c.Labels[LABEL.image] ?? c.Image}, 127.0.0.1:${c.Labels[LABEL.port] ?? '?'})`,
      );
    }
    for (const v of await this.ourVolumes(ctx.stateDir)) {
      await this.docker.getVolume(v.Name).remove({ force: true });
      done.push(`removed the ${v.Labels?.[LABEL.role] ?? ''} data volume ${v.Name}`);
    }
    return done;
  }

  async status(ctx: ProviderContext): Promise<ServerStatus[]> {
    const ok = await this.available();
    if (ok !== true) return (['source', 'target'] as const).map((role) => ({ role, state: 'absent', details: { engine: ok } }));
    const [containers, volumes] = await Promise.all([this.ourContainers(ctx.stateDir), this.ourVolumes(ctx.stateDir)]);
    return (['source', 'target'] as const).map((role): ServerStatus => {
      const c = containers.find((x) => x.Labels[LABEL.role] === role);
      const v = volumes.find((x) => x.Labels?.[LABEL.role] === role);
      if (!c) return { role, state: 'absent', details: v ? { volume: v.Name } : {} };
      const engine = c.Labels[LABEL.engine] === 'mssql' ? 'mssql' : 'postgres';
      const password = v?.Labels?.[LABEL.password];
      const port = Number(c.Labels[LABEL.port]);
      return {
        role,
        state: c.State === 'running' ? 'running' : 'stopped',
        ...(password !== undefined ? { url: recipes[engine].url(password, port) } : {}),
        details: {
          container: c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12),
          image: c.Labels[LABEL.image] ?? c.Image,
          port,
          network: c.Labels[LABEL.network] ?? '',
          status: c.Status,
          ...(v ? { volume: v.Name } : {}),
        },
      };
    });
  }
}
