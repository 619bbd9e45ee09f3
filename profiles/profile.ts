import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../harness/errors.js';
import { profilesDir } from '../harness/paths.js';
import type { Role } from '../harness/providers/provider.js';

/**
 * A profile is data: server settings per role and default copy settings, written by hand (profiles/*.json)
 * or by `bench sweep` as the best settings found. Unknown keys are errors, so a typo never silently
 * falls back to a default.
 */
const settingValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
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
      constraints: z.enum(['after', 'before', 'none']).optional(),
      copyFormat: z.enum(['binary', 'text', 'csv']).optional(),
      queueSize: z.number().int().positive().optional(),
      chunkSize: z.number().int().positive().optional(),
      /** Parts per large table (1: whole tables). */
      partitions: z.number().int().positive().optional(),
      /** Connections per database; at least parallelism (bench adds two for side queries). */
      poolSize: z.number().int().positive().optional(),
    })
    .default({}),
  /** Where `bench sweep` starts on this kind of machine (a platform profile's starting grid). */
  sweep: z
    .strictObject({
      strategies: z.array(z.string()).optional(),
      parallelism: z.array(z.number().int().positive()).optional(),
      partitions: z.array(z.number().int().positive()).optional(),
      batchSizes: z.array(z.number().int().positive()).optional(),
      repeat: z.number().int().positive().optional(),
    })
    .optional(),
});

export type Profile = z.infer<typeof profileSchema>;

export const DEFAULT_PROFILE = 'bulk-load';

export function builtInProfileNames(): string[] {
  return readdirSync(profilesDir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

/** A built-in profile by name, or a profile file by path. */
export function loadProfile(ref: string = DEFAULT_PROFILE): Profile {
  const builtIn = join(profilesDir, `${ref}.json`);
  const file = existsSync(builtIn) && !ref.includes('/') ? builtIn : resolve(ref);
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
