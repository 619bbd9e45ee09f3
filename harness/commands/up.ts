import Table from 'cli-table3';
import { parseServerOptions, type RawOptions } from '../config/options.js';
import { redactUrl } from '../base/connection-url.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { provisionServers } from '../setup/provision.js';

/** `bench up`: start (or reuse) the source and target servers with the profile's settings. */
export async function upCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const options = parseServerOptions(raw);
  const handles = await provisionServers(options, lifecycle);
  const t = new Table({ head: ['role', 'state', 'url', 'details'], style: { head: [], border: [] } });
  for (const h of [handles.source, handles.target]) {
    t.push([
      h.role,
      h.startedNow ? 'started' : 'already running',
      redactUrl(h.url),
      Object.entries(h.details)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join('\n'),
    ]);
  }
  log.out(t.toString());
  log.info(`profile: ${options.profile.name}; stop and remove with \`bench down\``);
  return 0;
}
