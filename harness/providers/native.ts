import { randomBytes, createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import pg from 'pg';
import { BenchError, describeError, throwIfAborted } from '../base/errors.js';
import { log } from '../base/log.js';
import { statePaths, clusterPaths } from '../base/paths.js';
import { makeDir } from '../base/private-files.js';
import { STATE_DIR } from './native-cluster.js';
import { findPostgresBinaries, type PgBinaries } from './pg-binaries.js';
import { serverOsUser, type OsUser } from './os-user.js';
import { initCluster, PortInUseError, runningPid, startCluster, stopCluster, writeSettings, type ClusterLocation } from './native-cluster.js';
import { findFreePort, isPortFree } from './ports.js';
import type { Provider, ProviderContext, ServerHandle, ServerSpec, ServerStatus } from './provider.js';
import type { Role } from '../model/roles.js';

/** The database bench creates in each native cluster and connects to. */
export const NATIVE_DATABASE = 'bench';
/** First port tried: source 55432, target 55433 (PostgreSQL's 5432 with a 55 in front). */
const BASE_PORT = 55432;

interface ClusterState {
  home: string;
  port: number;
  binDir: string;
  version: string;
  osUser: string;
  password: string;
  settings: Record<string, string>;
  createdAt: string;
}

interface NativeState {
  version: 1;
  clusters: Partial<Record<Role, ClusterState>>;
}

function readState(stateDir: string): NativeState {
  const file = statePaths.nativeStateFile(stateDir);
  if (!existsSync(file)) return { version: 1, clusters: {} };
  return JSON.parse(readFileSync(file, 'utf8')) as NativeState;
}

function writeState(stateDir: string, state: NativeState): void {
  const file = statePaths.nativeStateFile(stateDir);
  makeDir(dirname(file), STATE_DIR);
  // The file holds the clusters' generated passwords.
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function urlOf(c: Pick<ClusterState, 'password' | 'port'>): string {
  return `postgres://postgres:${encodeURIComponent(c.password)}@127.0.0.1:${c.port}/${NATIVE_DATABASE}`;
}

/**
 * As root the server runs as another user, which must be able to reach its data directory. A state
 * directory under a 0700 home (e.g. /root/project/.bench) is not reachable, so the clusters then live
 * under the system temp directory, named after the state directory so each project keeps its own.
 */
function clusterHome(stateDir: string, role: Role, user: OsUser): string {
  const preferred = statePaths.clusterHome(stateDir, role);
  if (!user.dropsPrivileges || reachableByOthers(dirname(preferred))) return preferred;
  const tag = createHash('sha256').update(stateDir).digest('hex').slice(0, 12);
  const home = join(tmpdir(), `bench-clusters-${tag}`, role);
  log.info(`${stateDir} is not reachable by user "${user.name}": keeping the ${role} cluster in ${home}`);
  return home;
}

/** Every existing ancestor must be searchable by "others" (the server user is neither owner nor group). */
function reachableByOthers(dir: string): boolean {
  let d = dir;
  const root = parse(d).root;
  for (;;) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (d === root) return true;
    d = dirname(d);
  }
}

function sameSettings(a: Record<string, string>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

async function ensureDatabase(c: ClusterState): Promise<void> {
  const client = new pg.Client({ connectionString: urlOf(c).replace(/\/bench$/, '/postgres') });
  await client.connect();
  try {
    const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [NATIVE_DATABASE]);
    if (r.rowCount === 0) await client.query(`CREATE DATABASE ${NATIVE_DATABASE}`);
  } finally {
    await client.end();
  }
}

export class NativeProvider implements Provider {
  readonly name = 'native' as const;

  async available(): Promise<true | string> {
    try {
      await findPostgresBinaries();
      return true;
    } catch (err) {
      return describeError(err);
    }
  }

  async up(specs: readonly ServerSpec[], ctx: ProviderContext): Promise<ServerHandle[]> {
    for (const s of specs) {
      if (s.engine !== 'postgres') {
        throw new BenchError(`the native provider runs PostgreSQL only; the ${s.role} is ${s.engine} (use --provider docker or --${s.role}-url)`);
      }
    }
    const [bin, user] = await Promise.all([findPostgresBinaries(), serverOsUser()]);
    const state = readState(ctx.stateDir);
    const handles: ServerHandle[] = [];
    // One at a time: port choice depends on the other cluster's port, and state is saved after each.
    for (const spec of specs) {
      throwIfAborted(ctx.lifecycle.signal);
      handles.push(await this.upOne(spec, bin, user, state, ctx));
    }
    return handles;
  }

  private async upOne(spec: ServerSpec, bin: PgBinaries, user: OsUser, state: NativeState, ctx: ProviderContext): Promise<ServerHandle> {
    const { role } = spec;
    let c = state.clusters[role];
    if (c && !existsSync(clusterPaths.dataDir(c.home))) c = undefined; // removed by hand
    const otherPorts = new Set(
      Object.entries(state.clusters)
        .filter(([r]) => r !== role)
        .map(([, v]) => v.port),
    );
    let startedNow = false;

    if (c && runningPid(c.home) !== undefined) {
      const portOk = spec.port === undefined || spec.port === c.port;
      if (portOk && sameSettings(c.settings, spec.settings)) {
        log.debug(`${role} cluster already running on 127.0.0.1:${c.port}; reusing it`);
      } else {
        // The new port is checked before the running cluster is stopped: a busy port must leave it
        // running (issue 16).
        const port = portOk ? c.port : await this.pickPort(spec, role, otherPorts);
        log.info(`restarting the ${role} cluster to apply new ${portOk ? 'settings' : 'port'}`);
        await stopCluster(this.location(c, user));
        c.settings = { ...spec.settings };
        c.port = port;
        await this.start(c, user, role, ctx, spec.port === undefined);
        startedNow = true;
      }
    } else {
      if (!c) {
        const home = clusterHome(ctx.stateDir, role, user);
        if (existsSync(home)) rmSync(home, { recursive: true, force: true }); // leftovers of a broken run
        c = {
          home,
          port: await this.pickPort(spec, role, otherPorts),
          binDir: bin.binDir,
          version: bin.version,
          osUser: user.name,
          password: randomBytes(18).toString('base64url'),
          settings: { ...spec.settings },
          createdAt: new Date().toISOString(),
        };
        log.info(`initialising the ${role} cluster (PostgreSQL ${bin.version}, ${bin.foundBy}: ${bin.binDir}) in ${home}`);
        const created = c;
        // Registered before initdb so a failed or interrupted `up` removes the half-made cluster too.
        ctx.lifecycle.deferOnFailure(`remove the ${role} cluster`, () => this.removeCluster(ctx.stateDir, role, created, user));
        await initCluster(this.location(c, user), c.password, ctx.lifecycle.signal);
      } else {
        c.settings = { ...spec.settings };
        const portTaken = !(await isPortFree(c.port));
        if (spec.port !== undefined && spec.port !== c.port) c.port = await this.pickPort(spec, role, otherPorts);
        else if (portTaken) {
          const old = c.port;
          c.port = await this.pickPort(spec, role, otherPorts);
          log.info(`port ${old} is taken now; the ${role} cluster moves to ${c.port}`);
        }
      }
      await this.start(c, user, role, ctx, spec.port === undefined);
      startedNow = true;
    }
    state.clusters[role] = c;
    writeState(ctx.stateDir, state);
    return {
      role,
      engine: 'postgres',
      provider: 'native',
      url: urlOf(c),
      startedNow,
      details: {
        port: c.port,
        home: c.home,
        logFile: clusterPaths.logFile(c.home),
        binDir: c.binDir,
        version: c.version,
        osUser: c.osUser,
      },
    };
  }

  private location(c: ClusterState, user: OsUser): ClusterLocation {
    return { home: c.home, bin: { binDir: c.binDir }, user };
  }

  private async start(c: ClusterState, user: OsUser, role: Role, ctx: ProviderContext, portChosenByUs = true): Promise<void> {
    const loc = this.location(c, user);
    ctx.lifecycle.deferOnFailure(`stop the ${role} cluster`, () => stopCluster(loc));
    const tried = new Set<number>();
    for (;;) {
      writeSettings(loc, c.port, c.settings);
      throwIfAborted(ctx.lifecycle.signal);
      try {
        await startCluster(loc, c.port, role, ctx.lifecycle.signal);
        break;
      } catch (err) {
        // Between our free-port probe and the postmaster's bind another process can take the port
        // (parallel test runs, a second bench). A port we picked ourselves is simply picked again.
        if (!(err instanceof PortInUseError) || !portChosenByUs || tried.size >= 5) throw err;
        tried.add(c.port);
        const old = c.port;
        c.port = await findFreePort(c.port + 2, tried);
        log.info(`port ${old} was taken while the ${role} cluster started; trying ${c.port}`);
      }
    }
    await ensureDatabase(c);
    throwIfAborted(ctx.lifecycle.signal);
  }

  private async pickPort(spec: ServerSpec, role: Role, taken: ReadonlySet<number>): Promise<number> {
    if (spec.port !== undefined) {
      if (!(await isPortFree(spec.port))) {
        throw new BenchError(`port ${spec.port} on 127.0.0.1 is in use (pass a free --${role}-port, or run \`bench down\`)`);
      }
      return spec.port;
    }
    return findFreePort(BASE_PORT + (role === 'source' ? 0 : 1), taken);
  }

  private async removeCluster(stateDir: string, role: Role, c: ClusterState, user: OsUser): Promise<void> {
    await stopCluster(this.location(c, user));
    rmSync(c.home, { recursive: true, force: true });
    const state = readState(stateDir);
    if (state.clusters[role]?.home === c.home) {
      delete state.clusters[role];
      writeState(stateDir, state);
    }
  }

  async down(ctx: ProviderContext): Promise<string[]> {
    const state = readState(ctx.stateDir);
    const user = await serverOsUser();
    const done: string[] = [];
    for (const [role, c] of Object.entries(state.clusters) as [Role, ClusterState][]) {
      const wasRunning = runningPid(c.home) !== undefined;
      await this.removeCluster(ctx.stateDir, role, c, user);
      done.push(`${wasRunning ? 'stopped and removed' : 'removed'} the ${role} cluster (127.0.0.1:${c.port}, ${c.home})`);
    }
    const root = statePaths.nativeRoot(ctx.stateDir);
    if (existsSync(root)) {
      rmSync(statePaths.nativeStateFile(ctx.stateDir), { force: true });
      if (readdirSync(root).length === 0) rmSync(root, { recursive: true, force: true });
    }
    return done;
  }

  async status(ctx: ProviderContext): Promise<ServerStatus[]> {
    const state = readState(ctx.stateDir);
    return (['source', 'target'] as const).map((role): ServerStatus => {
      const c = state.clusters[role];
      if (!c || !existsSync(clusterPaths.dataDir(c.home))) return { role, state: 'absent', details: {} };
      const running = runningPid(c.home) !== undefined;
      return {
        role,
        state: running ? 'running' : 'stopped',
        url: urlOf(c),
        details: { port: c.port, version: c.version, home: c.home, logFile: clusterPaths.logFile(c.home) },
      };
    });
  }
}
