import type { EngineName } from '../model/roles.js';
import type { Engine } from '../model/database.js';
import { mssqlEngine } from './mssql.js';
import { postgresEngine } from './postgres.js';

/** The engine registry: one entry per engine module. */
export const engines: Partial<Record<EngineName, Engine>> = {
  postgres: postgresEngine,
  mssql: mssqlEngine,
};

export function engineFor(name: EngineName): Engine {
  const engine = engines[name];
  if (!engine) throw new Error(`no engine module for ${name}`);
  return engine;
}
