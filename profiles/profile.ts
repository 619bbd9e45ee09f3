import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../harness/base/errors.js';
import { profilesDir } from '../harness/base/paths.js';
import type { Role } from '../harness/model/roles.js';

/**
 * A profile is data: server settings per role and default copy settings, written by hand (profiles/*.json)
 * or by `bench sweep` as the best settings found. Unknown keys are errors, so a typo never silently
 * falls back to a default.
 */
const settingValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
/** "4GB", "512MB", "1.5GiB" or a number of bytes. */
const byteSize = z.union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'a size like 4GB or 512MB')]);

/** Bytes in a profile size: GB and GiB both mean 2^30, as in postgresql.conf and Docker. */
export function parseByteSize(v: number | string): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B$/i.exec(v.trim());
  if (!m) throw new Error(`not a size: ${v}`);
  const power = ' KMGT'.indexOf(m[2]!.toUpperCase() || ' ');
  return Math.round(Number(m[1]) * 1024 ** power);
}

const settings = z.record(z.string().regex(/^[a-z_][a-z0-9_.]*$/, 'a PostgreSQL setting name'), settingValue);

export const profileSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  server: z
    .strictObject({
      both: settings.default({}),
      source: settings.default({}),
      target: settings.default({}),
    })
    .default({ both: {}, source: {}, target: {} }),
  copy: z
    .strictObject({
      strategy: z.string().optional(),
      parallelism: z.number().int().positive().optional(),
      batchSize: z.number().int().positive().optional(),
      constraints: z.enum(['after', 'overlap', 'before', 'none']).optional(),
      copyFormat: z.enum(['binary', 'text', 'csv']).optional(),
      /** native-bulk into PostgreSQL: COPY FREEZE each whole table (--freeze; absent: on). */
      freeze: z.boolean().optional(),
      queueSize: z.number().int().positive().optional(),
      chunkSize: z.number().int().positive().optional(),
      /** Parts per large table (1: whole tables). */
      partitions: z.number().int().positive().optional(),
      /** Connections per database; at least parallelism (bench adds two for side queries). */
      poolSize: z.number().int().positive().optional(),
    })
    .default({}),
  platform: z
    .strictObject({
      /** The kind of machine this profile is a starting point for (harness/platform classifyPlatform). */
      kind: z.enum(['native-arm', 'wsl2-docker-desktop', 'native-x86-linux', 'vm', 'ci-small', 'unknown']),
      /** Where the numbers come from (a seed run, a sweep…). */
      evidence: z.string().optional(),
      /** Copy tasks running at once (Airflow: max active tasks per DAG). */
      tasks: z.number().int().positive(),
      /** Parts a big table is split into (key ranges). */
      partitions: z.number().int().positive(),
      /** Connections per database pool. */
      poolSize: z.number().int().positive(),
      /** Container resources per database server. */
      docker: z.strictObject({ cpus: z.number().positive(), memory: byteSize }).optional(),
      /** Settings an Airflow deployment would use for the same machine (bench profile export --format airflow-env). */
      airflow: z
        .strictObject({
          parallelism: z.number().int().positive().optional(),
          maxActiveTasksPerDag: z.number().int().positive().optional(),
          workerConcurrency: z.number().int().positive().optional(),
          schedulerHeartbeatSec: z.number().int().positive().optional(),
          sqlAlchemyPoolSize: z.number().int().positive().optional(),
        })
        .optional(),
    })
    .optional(),
  /**
   * Written by a sweep into the profile it recommends (profile.json): which point won, on what evidence,
   * and which server settings the sweep measured (varied across its points) rather than merely ran with.
   */
  recommendation: z
    .strictObject({
      point: z.string(),
      /** False when another point was asked for (bench profile export --point). */
      winner: z.boolean().default(true),
      rowsPerSecond: z.number(),
      trials: z.number().int().nonnegative(),
      /** The winner was faster than the runner-up beyond the noise. */
      established: z.boolean(),
      host: z.string(),
      measuredAt: z.string(),
      /** Server settings the sweep varied, with the values it tried; the profile holds the winner's. */
      measured: z.record(z.string(), z.array(z.string())).default({}),
    })
    .optional(),
  /** The first sweep grid to try on this platform: every combination is one sweep point. */
  sweep: z
    .strictObject({
      strategies: z.array(z.string().min(1)).min(1),
      parallelism: z.array(z.number().int().positive()).min(1),
      partitions: z.array(z.number().int().positive()).min(1).optional(),
      batchSizes: z.array(z.number().int().positive()).min(1).optional(),
      repeat: z.number().int().positive().optional(),
    })
    .optional(),
});

export type Profile = z.infer<typeof profileSchema>;

export const DEFAULT_PROFILE = 'bulk-load';

/** Built-in profiles: general ones in profiles/, per-platform starting points in profiles/platforms/. */
export const platformProfilesDir = join(profilesDir, 'platforms');
const builtInDirs = [profilesDir, platformProfilesDir];

export function builtInProfileNames(): string[] {
  return builtInDirs
    .filter((d) => existsSync(d))
    .flatMap((d) => readdirSync(d))
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

function builtInFile(ref: string): string | undefined {
  if (ref.includes('/') || ref.endsWith('.json')) return undefined;
  return builtInDirs.map((d) => join(d, `${ref}.json`)).find((f) => existsSync(f));
}

/** A built-in profile by name, or a profile file by path. */
export function loadProfile(ref: string = DEFAULT_PROFILE): Profile {
  const file = builtInFile(ref) ?? resolve(ref);
  if (!existsSync(file)) {
    throw new ConfigError([`profile "${ref}" not found: use a file path or one of ${builtInProfileNames().join(', ')}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([`profile ${file} is not valid JSON: ${(err as Error).message}`]);
  }
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `profile ${file}: ${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return parsed.data;
}

/** The settings a role's server runs with: the shared ones, overridden by the role's own. */
export function serverSettings(profile: Profile, role: Role): Record<string, string> {
  return { ...profile.server.both, ...profile.server[role] };
}
