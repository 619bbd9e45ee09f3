import { clusterPaths } from '../base/paths.js';
import type { ServerHandle } from '../providers/provider.js';
import type { ServerProbe } from './servers.js';

/**
 * What the sampler should watch for each server, from the handles the providers return: a native
 * cluster by its data directory (`details.home` + /data, see providers/native.ts), a container by name
 * (`details.container`, see providers/docker.ts; the engine accepts a name wherever it takes an id).
 * A handle without those details (or an external server) is 'external': nothing on this host to read.
 */
export function probesFromHandles(handles: readonly Pick<ServerHandle, 'role' | 'provider' | 'details'>[]): ServerProbe[] {
  return handles.map((h): ServerProbe => {
    const home = h.details.home;
    const container = h.details.container;
    if (h.provider === 'native' && typeof home === 'string') return { role: h.role, kind: 'native', dataDir: clusterPaths.dataDir(home) };
    if (h.provider === 'docker' && typeof container === 'string') return { role: h.role, kind: 'docker', containerId: container };
    return { role: h.role, kind: 'external' };
  });
}
