import type { Role } from '../harness/model/roles.js';
import type { Profile } from './profile.js';
import { airflowEnv } from './export-airflow.js';
import { postgresqlConf } from './export-postgresql.js';

/**
 * A profile in other tools' words: a postgresql.conf fragment (export-postgresql.ts), Airflow
 * environment variables (export-airflow.ts), or JSON. Pure functions of the profile; `bench profile
 * export` only picks one and writes it.
 */
export type ExportFormat = 'postgresql-conf' | 'airflow-env' | 'json';

export interface ExportOptions {
  /** postgresql-conf: the settings of this role's server (shared + its own); default: the shared ones. */
  readonly role?: Role;
}

export { airflowEnv, orchestration } from './export-airflow.js';
export { confValue, postgresqlConf, unappliedSettings } from './export-postgresql.js';

export function profileJson(profile: Profile): string {
  return `${JSON.stringify(profile, null, 2)}\n`;
}

/** The exporter registry: one function per format name. */
export const exporters = {
  'postgresql-conf': (p: Profile, o?: ExportOptions) => postgresqlConf(p, o),
  'airflow-env': (p: Profile) => airflowEnv(p),
  json: (p: Profile) => profileJson(p),
} as const satisfies Record<ExportFormat, (p: Profile, o?: ExportOptions) => string>;

export const exportFormats = Object.keys(exporters) as ExportFormat[];
