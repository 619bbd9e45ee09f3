import type { Role } from '../harness/model/roles.js';
import { serverSettings, type Profile } from './profile.js';

/**
 * A profile in other tools' words: Airflow environment variables, a postgresql.conf fragment, or JSON.
 * Pure functions of the profile; `bench profile export` only picks one and prints it.
 */

export type ExportFormat = 'airflow-env' | 'postgresql-conf' | 'json';

export interface ExportOptions {
  /** postgresql-conf: the settings of this role's server (shared + its own); default: the shared ones. */
  readonly role?: Role;
}

/** The copy-side numbers an orchestrator needs; derived from copy.parallelism when the profile has no platform section. */
export function orchestration(profile: Profile): {
  tasks: number;
  partitions?: number;
  poolSize: number;
  parallelism: number;
  workerConcurrency: number;
  schedulerHeartbeatSec?: number;
  sqlAlchemyPoolSize?: number;
} {
  const p = profile.platform;
  const tasks = p?.airflow?.maxActiveTasksPerDag ?? p?.tasks ?? profile.copy.parallelism ?? 2;
  return {
    tasks,
    ...(p ? { partitions: p.partitions } : {}),
    // The seeds: 16 connections per pool at 64 tasks (Mac), 8 at 8 tasks (WSL2).
    poolSize: p?.poolSize ?? Math.min(tasks, 16),
    // The seeds run Airflow's global parallelism at twice the per-DAG task limit (128/64, 16/8).
    parallelism: p?.airflow?.parallelism ?? tasks * 2,
    workerConcurrency: p?.airflow?.workerConcurrency ?? tasks,
    ...(p?.airflow?.schedulerHeartbeatSec !== undefined ? { schedulerHeartbeatSec: p.airflow.schedulerHeartbeatSec } : {}),
    ...(p?.airflow?.sqlAlchemyPoolSize !== undefined ? { sqlAlchemyPoolSize: p.airflow.sqlAlchemyPoolSize } : {}),
  };
}

/** KEY=VALUE lines, usable as a docker compose / astro .env file. */
export function airflowEnv(profile: Profile): string {
  const o = orchestration(profile);
  const lines = [
    `# bench profile ${profile.name}: Airflow settings for the same machine`,
    `AIRFLOW__CORE__PARALLELISM=${o.parallelism}`,
    `AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG=${o.tasks}`,
    `AIRFLOW__CELERY__WORKER_CONCURRENCY=${o.workerConcurrency}`,
  ];
  if (o.schedulerHeartbeatSec !== undefined) lines.push(`AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC=${o.schedulerHeartbeatSec}`);
  if (o.sqlAlchemyPoolSize !== undefined) lines.push(`AIRFLOW__DATABASE__SQL_ALCHEMY_POOL_SIZE=${o.sqlAlchemyPoolSize}`);
  if (o.partitions !== undefined) lines.push(`MAX_PARTITIONS=${o.partitions}`);
  lines.push(`PG_POOL_MAXCONN=${o.poolSize}`);
  return `${lines.join('\n')}\n`;
}

/** postgresql.conf quoting: plain numbers stay bare, anything else is single-quoted with '' for '. */
export function confValue(value: string): string {
  return /^-?\d+(\.\d+)?$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

function confLines(settings: Readonly<Record<string, string>>): string[] {
  return Object.keys(settings)
    .sort()
    .map((k) => `${k} = ${confValue(settings[k]!)}`);
}

/** A fragment to append to postgresql.conf (or put in conf.d/). */
export function postgresqlConf(profile: Profile, options: ExportOptions = {}): string {
  const out = [`# bench profile ${profile.name}${options.role ? ` (${options.role} server)` : ''}`];
  if (options.role) out.push(...confLines(serverSettings(profile, options.role)));
  else {
    out.push(...confLines(profile.server.both));
    for (const role of ['source', 'target'] as const) {
      const own = profile.server[role];
      if (Object.keys(own).length > 0) {
        out.push(`# ${role} server only (export with --role ${role} to include them):`);
        out.push(...confLines(own).map((l) => `# ${l}`));
      }
    }
  }
  return `${out.join('\n')}\n`;
}

export function profileJson(profile: Profile): string {
  return `${JSON.stringify(profile, null, 2)}\n`;
}

/** The exporter registry: one function per format name. */
export const exporters = {
  'airflow-env': (p: Profile) => airflowEnv(p),
  'postgresql-conf': (p: Profile, o?: ExportOptions) => postgresqlConf(p, o),
  json: (p: Profile) => profileJson(p),
} as const satisfies Record<ExportFormat, (p: Profile, o?: ExportOptions) => string>;

export const exportFormats = Object.keys(exporters) as ExportFormat[];
