import type { RawOptions } from '../config/options.js';
import { parseStateOptions } from '../config/command-options.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { managedProvider } from '../setup/provision.js';

/** `bench down`: stop and remove what `bench up` (or any command) created. External servers are never touched. */
export async function downCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const options = parseStateOptions(raw);
  const done = await managedProvider(options.provider).down({ stateDir: options.stateDir, lifecycle });
  log.out(done.length > 0 ? done.join('\n') : `nothing to remove (${options.provider} provider, state in ${options.stateDir})`);
  return 0;
}
