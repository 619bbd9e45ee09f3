import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import type { ServerOptions } from '../config/options.js';
import type { RunContext } from './run-context.js';
import { provisionServers } from './provision.js';

/**
 * The server-settings dimension (`--server-settings`): before a trial that runs under another set of
 * target settings than the one in force, the target is brought up again with the profile's settings plus
 * that set (the native provider rewrites its settings file and restarts the cluster; the docker provider
 * replaces the container, keeping its volume), and bench claims it again. At the end the profile's own
 * settings are put back, so the next command finds the target as `bench up` left it.
 */
export function targetSettingsSwitcher(server: ServerOptions, run: Pick<RunContext, 'target'>, lifecycle: Lifecycle): (overrides: Readonly<Record<string, string>> | undefined) => Promise<void> {
  let current = '{}';
  const apply = async (overrides: Readonly<Record<string, string>>) => {
    const profile = { ...server.profile, server: { ...server.profile.server, target: { ...server.profile.server.target, ...overrides } } };
    await provisionServers({ ...server, profile }, lifecycle, ['target']);
    await run.target.claimForCopy?.();
    await run.target.settle?.();
  };
  lifecycle.defer('put the target\'s profile settings back', async () => {
    if (current !== '{}') await apply({}).catch((err: unknown) => log.warn(`could not put the target's profile settings back: ${(err as Error).message} (run \`bench up\`)`));
  });
  return async (overrides = {}) => {
    const key = JSON.stringify(Object.entries(overrides).sort());
    const wanted = key === '[]' ? '{}' : key;
    if (wanted === current) return;
    log.info(`target: restarting with ${Object.keys(overrides).length ? Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(', ') : "the profile's settings"}`);
    await apply(overrides);
    current = wanted;
  };
}
