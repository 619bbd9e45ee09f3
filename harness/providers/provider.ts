import type { Role } from '../model/roles.js';
import type { EngineName } from '../model/roles.js';
import type { Lifecycle } from '../base/lifecycle.js';

/** What a provider is asked for: one database server per role, with the settings under test. */
export interface ServerSpec {
  readonly role: Role;
  readonly engine: EngineName;
  /** Server settings under test (postgresql.conf names for PostgreSQL). */
  readonly settings: Readonly<Record<string, string>>;
  /** Requested host port; a free one is picked when absent. */
  readonly port?: number;
  /** Container resources (docker provider). */
  readonly resources?: { readonly cpus?: number; readonly memoryBytes?: number };
  /** Container image (docker provider). */
  readonly image?: string;
}

/** A server ready to take connections. */
export interface ServerHandle {
  readonly role: Role;
  readonly engine: EngineName;
  readonly provider: ProviderName;
  /** Connection URL. It may carry a password: print redactUrl(url), never url. */
  readonly url: string;
  /** False when an already running server was reused. */
  readonly startedNow: boolean;
  /** Facts for reports: data directory, log file, binaries, image, limits… */
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

export interface ServerStatus {
  readonly role: Role;
  readonly state: 'running' | 'stopped' | 'absent';
  readonly url?: string;
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

export interface ProviderContext {
  readonly stateDir: string;
  readonly lifecycle: Lifecycle;
}

export type ProviderName = 'native' | 'docker' | 'external';

/** Where the two databases come from. One file per provider under providers/. */
export interface Provider {
  readonly name: ProviderName;
  /** True, or why this provider cannot work here (e.g. "no PostgreSQL server binaries found"). */
  available(ctx: ProviderContext): Promise<true | string>;
  /**
   * Start (or reuse) the servers. A server started here is registered with ctx.lifecycle so a failure or
   * Ctrl-C in the same command stops it again; on success it stays up until `bench down`.
   */
  up(specs: readonly ServerSpec[], ctx: ProviderContext): Promise<ServerHandle[]>;
  /** Stop and remove what this provider created; returns one line per thing removed. */
  down(ctx: ProviderContext): Promise<string[]>;
  status(ctx: ProviderContext): Promise<ServerStatus[]>;
}
