import { randomBytes } from 'node:crypto';
import { BenchError } from '../base/errors.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { engineOfUrl, redactUrl } from '../base/connection-url.js';
import { engineFor } from '../engines/index.js';
import type { Database } from '../model/database.js';
import { ExternalProvider } from '../providers/external.js';
import { NativeProvider } from '../providers/native.js';
import { DockerProvider } from '../providers/docker.js';
import type { Provider, ProviderContext, ServerHandle, ServerSpec } from '../providers/provider.js';
import type { ServerOptions } from '../config/options.js';
import type { Role } from '../model/roles.js';
import { parseByteSize, serverSettings } from '../../profiles/profile.js';

/** The provider registry: managed providers by name; `external` is built from the URLs. */
const managedProviders: Record<ServerOptions['provider'], () => Provider> = {
  native: () => new NativeProvider(),
  docker: () => new DockerProvider(),
};

export function managedProvider(name: ServerOptions['provider']): Provider {
  return managedProviders[name]();
}

/**
 * Brings up the servers for the given roles. A role with a URL is external (the user's own database);
 * the others come from the managed provider (native clusters by default).
 */
export async function provisionServers(
  options: ServerOptions,
  lifecycle: Lifecycle,
  wanted: readonly Role[] = ['source', 'target'],
): Promise<Record<Role, ServerHandle>> {
  const ctx: ProviderContext = { stateDir: options.stateDir, lifecycle };
  const urls: Partial<Record<Role, string>> = { source: options.sourceUrl, target: options.targetUrl };
  const external = new ExternalProvider(urls);
  const managed = wanted.filter((r) => !urls[r]);
  const specs = (roles: readonly Role[]): ServerSpec[] =>
    roles.map((role) => ({
      role,
      engine: urls[role] ? engineOfUrl(urls[role]) : 'postgres',
      settings: serverSettings(options.profile, role),
      ...(role === 'source' && options.sourcePort ? { port: options.sourcePort } : {}),
      ...(role === 'target' && options.targetPort ? { port: options.targetPort } : {}),
      ...(options.image ? { image: options.image } : {}),
      ...(resources(options) ? { resources: resources(options)! } : {}),
    }));
  const handles: ServerHandle[] = [];
  if (managed.length > 0) {
    const provider = managedProvider(options.provider);
    const ok = await provider.available(ctx);
    if (ok !== true) throw new BenchError(`the ${provider.name} provider cannot run here: ${ok}`);
    handles.push(...(await provider.up(specs(managed), ctx)));
  }
  handles.push(...(await external.up(specs(wanted.filter((r) => urls[r])))));
  for (const h of handles) {
    if (h.startedNow) log.info(`${h.role}: started ${h.engine} at ${redactUrl(h.url)} (${h.provider})`);
  }
  return Object.fromEntries(handles.map((h) => [h.role, h])) as Record<Role, ServerHandle>;
}

function resources(options: ServerOptions): ServerSpec['resources'] | undefined {
  const docker = options.profile.platform?.docker;
  const cpus = options.cpus ?? (options.provider === 'docker' ? docker?.cpus : undefined);
  const memoryBytes = options.memoryBytes ?? (options.provider === 'docker' && docker ? parseByteSize(docker.memory) : undefined);
  if (cpus === undefined && memoryBytes === undefined) return undefined;
  return { ...(cpus !== undefined ? { cpus } : {}), ...(memoryBytes !== undefined ? { memoryBytes } : {}) };
}

/** A tag shared by every connection of this command, so leftovers can be found on the server. */
export function newRunTag(): string {
  return `bench-${randomBytes(4).toString('hex')}`;
}

/** Connects both roles; pools are closed when the command ends, however it ends. */
export async function connectDatabases(
  handles: Readonly<Record<Role, ServerHandle>>,
  poolSize: number,
  lifecycle: Lifecycle,
  runTag: string = newRunTag(),
): Promise<Record<Role, Database>> {
  const dbs: Partial<Record<Role, Database>> = {};
  for (const role of ['source', 'target'] as const) {
    const h = handles[role];
    const peer = handles[role === 'source' ? 'target' : 'source'].engine;
    const db = await (await engineFor(h.engine)).connect(h.url, { role, poolSize, applicationName: `${runTag}-${role}`, sessionTag: runTag, peer });
    lifecycle.defer(`close the ${role} connections`, () => db.close());
    dbs[role] = db;
  }
  return dbs as Record<Role, Database>;
}

