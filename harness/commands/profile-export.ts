import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Docker from 'dockerode';
import { exporters, exportFormats, type ExportFormat } from '../../profiles/export.js';
import { loadProfile } from '../../profiles/profile.js';
import type { RawOptions } from '../config/options.js';
import { ConfigError } from '../base/errors.js';
import { log } from '../base/log.js';
import { classifyPlatform, detectPlatform } from '../platform/detect.js';
import { roles, type Role } from '../model/roles.js';

/**
 * `bench profile export [name] --format airflow-env|postgresql-conf|json [--role source|target] [--out file]`.
 * Without a name (or --profile) the profile is the one `bench detect` recommends for this machine.
 */
export async function profileExportCommand(raw: RawOptions): Promise<number> {
  const problems: string[] = [];
  const format = String(raw.format ?? 'json');
  if (!(exportFormats as readonly string[]).includes(format)) problems.push(`--format is "${format}"; choose one of ${exportFormats.join(', ')}`);
  const role = raw.role === undefined ? undefined : String(raw.role);
  if (role !== undefined && !(roles as readonly string[]).includes(role)) problems.push(`--role is "${role}"; choose one of ${roles.join(', ')}`);
  if (role !== undefined && format !== 'postgresql-conf') problems.push('--role applies to --format postgresql-conf only');
  if (problems.length > 0) throw new ConfigError(problems);

  let ref = raw.name ?? raw.profile;
  if (ref === undefined) {
    const verdict = classifyPlatform(await detectPlatform({ docker: new Docker() }));
    ref = verdict.profile;
    log.info(`this machine looks like ${verdict.kind}: exporting the ${verdict.profile} profile`);
  }
  const profile = loadProfile(String(ref));
  const text = exporters[format as ExportFormat](profile, role ? { role: role as Role } : {});
  if (raw.out !== undefined) {
    const file = resolve(String(raw.out));
    writeFileSync(file, text);
    log.info(`wrote ${file}`);
  } else log.out(text.trimEnd());
  return 0;
}
