import type { RawOptions } from '../config/options.js';
import { parseStatusConfig } from '../config/command-options.js';
import { redactUrl } from '../base/connection-url.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { writeOutput } from '../base/output.js';
import { managedProvider } from '../setup/provision.js';
import { renderServers } from '../../reports/terminal-setup.js';

/** `bench status [--json [file]]`: what the managed provider has running, with redacted URLs. */
export async function statusCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const options = parseStatusConfig(raw);
  const statuses = await managedProvider(options.provider).status({ stateDir: options.stateDir, lifecycle });
  if (options.json) {
    const rows = statuses.map((s) => ({ role: s.role, state: s.state, ...(s.url ? { url: redactUrl(s.url) } : {}), provider: options.provider, details: s.details }));
    writeOutput(options.json, `${JSON.stringify(rows, null, 2)}\n`, 'status');
    return 0;
  }
  log.out(renderServers(statuses));
  return 0;
}
