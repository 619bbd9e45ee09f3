import { engineOfUrl } from '../base/connection-url.js';
import { BenchError, ExitCode } from '../base/errors.js';
import type { Provider, ServerHandle, ServerSpec, ServerStatus } from './provider.js';
import type { Role } from '../model/roles.js';

/**
 * Databases the user already runs, given by URL (--source-url / --target-url). bench never starts,
 * stops or removes them; it only resets the target tables it copies into.
 */
export class ExternalProvider implements Provider {
  readonly name = 'external' as const;

  constructor(private readonly urls: Partial<Record<Role, string>>) {}

  async available(): Promise<true | string> {
    return true;
  }

  async up(specs: readonly ServerSpec[]): Promise<ServerHandle[]> {
    return specs.map((spec) => {
      const url = this.urls[spec.role];
      if (!url) {
        throw new BenchError(`no URL for the ${spec.role} database (pass --${spec.role}-url)`, { exitCode: ExitCode.usage });
      }
      return { role: spec.role, engine: engineOfUrl(url), provider: 'external', url, startedNow: false, details: {} };
    });
  }

  async down(): Promise<string[]> {
    return [];
  }

  async status(): Promise<ServerStatus[]> {
    return (Object.entries(this.urls) as [Role, string][]).map(([role, url]) => ({
      role,
      state: 'running',
      url,
      details: { external: true },
    }));
  }
}
