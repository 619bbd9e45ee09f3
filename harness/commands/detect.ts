import { newDockerClient } from '../providers/docker-engine.js';
import type { RawOptions } from '../config/options.js';
import { parseDetectConfig } from '../config/command-options.js';
import { log } from '../base/log.js';
import { writeOutput } from '../base/output.js';
import { classifyPlatform, detectPlatform } from '../platform/detect.js';
import { recipes } from '../providers/docker-recipes.js';
import { renderPlatform } from '../../reports/terminal-setup.js';

/**
 * `bench detect`: what kind of machine this is, which built-in profile to start from, and what to watch
 * out for. Options: json (JSON instead of a table, on stdout or into a file), docker (ask the engine too;
 * default on), image (the image to check for emulation), stateDir (whose disk to describe).
 */
export async function detectCommand(raw: RawOptions): Promise<number> {
  const config = parseDetectConfig(raw);
  const image = config.image ?? process.env.BENCH_DOCKER_IMAGE ?? recipes.postgres.defaultImage;
  const info = await detectPlatform({
    ...(config.docker ? { docker: newDockerClient(), image } : {}),
    dataDir: config.stateDir,
  });
  const verdict = classifyPlatform(info);
  if (config.json) {
    writeOutput(config.json, `${JSON.stringify({ platform: info, classification: verdict }, null, 2)}\n`, 'platform description');
    return 0;
  }
  log.out(renderPlatform(info, verdict));
  for (const w of verdict.warnings) log.out(`warning: ${w}`);
  return 0;
}
