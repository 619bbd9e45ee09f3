import Table from 'cli-table3';
import Docker from 'dockerode';
import type { RawOptions } from '../config/options.js';
import { log } from '../base/log.js';
import { resolveStateDir } from '../base/paths.js';
import { classifyPlatform, detectPlatform, formatPlatformRows } from '../platform/detect.js';
import { recipes } from '../providers/docker-recipes.js';

/**
 * `bench detect`: what kind of machine this is, which built-in profile to start from, and what to watch
 * out for. Options: json (print JSON instead of a table), docker (ask the engine too; default on),
 * image (the image to check for emulation), stateDir (whose disk to describe).
 */
export async function detectCommand(raw: RawOptions): Promise<number> {
  const useDocker = raw.docker !== false;
  const image = raw.image !== undefined ? String(raw.image) : (process.env.BENCH_DOCKER_IMAGE ?? recipes.postgres.defaultImage);
  const info = await detectPlatform({
    ...(useDocker ? { docker: new Docker(), image } : {}),
    dataDir: resolveStateDir(raw.stateDir === undefined ? undefined : String(raw.stateDir)),
  });
  const verdict = classifyPlatform(info);
  if (raw.json === true) {
    log.out(JSON.stringify({ platform: info, classification: verdict }, null, 2));
    return 0;
  }
  const t = new Table({ style: { head: [], border: [] } });
  for (const [label, value] of formatPlatformRows(info)) t.push([label, value]);
  t.push(['platform kind', verdict.kind]);
  t.push(['usable CPUs', String(verdict.effectiveCpus)]);
  t.push(['starting profile', `${verdict.profile} (bench profile export --profile ${verdict.profile})`]);
  log.out(t.toString());
  for (const w of verdict.warnings) log.out(`warning: ${w}`);
  return 0;
}
