import type { RawOptions } from '../config/options.js';
import { parseQuickConfig } from '../config/command-options.js';
import { ExitCode } from '../base/errors.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { seedCommand } from './seed.js';
import { sweepCommand } from './sweep.js';

/**
 * `bench quick`: the README's main command. Start (or reuse) the native databases, seed the
 * StackOverflow dataset at scale 0.01 unless it is there already, and run the quick sweep: every
 * strategy at parallelism 2 and 4, each trial validated, with the server-side COPY limit and a psql
 * pipe alongside. Report, JSON, charts and the recommended profile land in bench-results/quick/.
 */
export async function quickCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const t0 = performance.now();
  // Every option of both steps is checked before the seed starts: a typo in a sweep option must not
  // cost the minutes of seeding first.
  parseQuickConfig(raw);
  const seeded = await seedCommand({ ...raw, scale: raw.scale ?? 0.01 }, lifecycle);
  if (seeded !== ExitCode.ok) return seeded;
  const code = await sweepCommand({ ...raw, quick: true }, lifecycle);
  log.info(`bench quick took ${((performance.now() - t0) / 1000).toFixed(0)} s; \`bench down\` stops the databases`);
  return code;
}
