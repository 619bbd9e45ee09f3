import type { EngineName } from '../model/roles.js';
import type { Engine } from '../model/database.js';

/**
 * The engine registry: one entry per engine module, loaded on first use. A copy between two PostgreSQL
 * servers never loads the SQL Server driver (tedious alone is ~0.3 s of a command's start).
 */
const engines: Record<EngineName, () => Promise<Engine>> = {
  postgres: async () => (await import('./postgres.js')).postgresEngine,
  mssql: async () => (await import('./mssql.js')).mssqlEngine,
};

export async function engineFor(name: EngineName): Promise<Engine> {
  const load = engines[name];
  if (!load) throw new Error(`no engine module for ${name}`);
  return load();
}
