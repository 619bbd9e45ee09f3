import { arch, cpus, hostname, release, totalmem, type as osType } from 'node:os';
import { redactUrl } from '../base/connection-url.js';
import type { Database, ServerInfo } from '../model/database.js';
import { packageVersion } from '../base/paths.js';
import type { ServerHandle } from '../providers/provider.js';
import type { Role } from '../model/roles.js';

/** Where a result was measured: recorded with every result file and printed in every report. */
export interface EnvironmentInfo {
  readonly capturedAt: string;
  readonly bench: { readonly version: string; readonly node: string };
  readonly host: {
    readonly hostname: string;
    readonly os: string;
    readonly arch: string;
    readonly cpuModel: string;
    readonly logicalCpus: number;
    readonly memoryBytes: number;
  };
  readonly servers: Readonly<Record<Role, ServerRecord>>;
}

export interface ServerRecord extends ServerInfo {
  readonly provider: string;
  /** Redacted. */
  readonly url: string;
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

export async function captureEnvironment(
  handles: Readonly<Record<Role, ServerHandle>>,
  dbs: Readonly<Record<Role, Database>>,
): Promise<EnvironmentInfo> {
  const [source, target] = await Promise.all([dbs.source.serverInfo(), dbs.target.serverInfo()]);
  const record = (role: Role, info: ServerInfo): ServerRecord => ({
    ...info,
    provider: handles[role].provider,
    url: redactUrl(handles[role].url),
    details: handles[role].details,
  });
  const cpu = cpus();
  return {
    capturedAt: new Date().toISOString(),
    bench: { version: packageVersion, node: process.version },
    host: {
      hostname: hostname(),
      os: `${osType()} ${release()}`,
      arch: arch(),
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      logicalCpus: cpu.length,
      memoryBytes: totalmem(),
    },
    servers: { source: record('source', source), target: record('target', target) },
  };
}
