import { redactUrl } from '../base/connection-url.js';
import { ExitCode } from '../base/errors.js';
import { log } from '../base/log.js';
import type { CopyOptions, ServerOptions } from '../config/options.js';
import type { TrialResult } from '../model/trial.js';

/** The options as recorded in results files: URLs redacted. */
export function configRecord(config: { server: ServerOptions; copy: CopyOptions }): Record<string, unknown> {
  return {
    provider: config.server.provider,
    profile: config.server.profile.name,
    ...(config.server.sourceUrl ? { sourceUrl: redactUrl(config.server.sourceUrl) } : {}),
    ...(config.server.targetUrl ? { targetUrl: redactUrl(config.server.targetUrl) } : {}),
    ...config.copy,
  };
}

/**
 * A failed or invalid measured trial fails the command, and so does a run in which no measured trial
 * of bench's was valid (skipped ones included: nothing was measured). Warm-ups never decide it.
 */
export function exitCodeOf(results: readonly TrialResult[]): number {
  const measured = results.filter((r) => r.spec.warmup !== true);
  const failed = measured.filter((r) => r.state === 'failed');
  for (const r of failed) if (r.state === 'failed') log.error(`${r.spec.id} failed in ${r.phase}: ${r.error}`);
  if (failed.length > 0) return ExitCode.failed;
  if (!measured.some((r) => r.state === 'ok' && r.spec.kind === 'strategy')) {
    log.error('no trial of bench ran to a valid copy: nothing was measured (see the skipped reasons above)');
    return ExitCode.failed;
  }
  return ExitCode.ok;
}
