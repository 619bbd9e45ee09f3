import { parseServerOptions, type RawOptions } from '../config/options.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { provisionServers } from '../setup/provision.js';
import { renderServers } from '../../reports/terminal-setup.js';

/** `bench up`: start (or reuse) the source and target servers with the profile's settings. */
export async function upCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const options = parseServerOptions(raw);
  const handles = await provisionServers(options, lifecycle);
  log.out(renderServers([handles.source, handles.target].map((h) => ({ role: h.role, state: h.startedNow ? 'started' : 'already running', url: h.url, details: h.details }))));
  log.info(`profile: ${options.profile.name}; stop and remove with \`bench down\``);
  return 0;
}
