import { rmSync } from 'node:fs';
import { parseRunConfig, type RawOptions, type RunConfig } from '../config.js';
import { openCopySetup, datasetOf, trialBase } from '../copy-setup.js';
import { ExitCode } from '../errors.js';
import type { Lifecycle } from '../lifecycle.js';
import { log } from '../log.js';
import { redactUrl } from '../connection.js';
import { runTrial } from '../runner.js';
import { describeSplit, partitionTasks } from '../partition.js';
import { pointKey } from '../sweep.js';
import type { TrialResult, TrialSpec } from '../results.js';
import { renderTrialTables, renderValidation } from '../../reports/terminal.js';
import { RESULTS_FORMAT, RESULTS_VERSION, writeResults } from '../../reports/json.js';
import { progressPrinter } from '../progress.js';
import { strategies } from '../../strategies/index.js';

/** `bench run`: reset the target, copy with one strategy, validate, print per-table figures. */
export async function runCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const config = parseRunConfig(raw);
  const setup = await openCopySetup(
    config.server,
    { tables: config.copy.tables, spillDir: config.copy.spillDir, poolSize: config.copy.poolSize },
    lifecycle,
  );
  lifecycle.defer('remove spill files', () => rmSync(setup.workRoot, { recursive: true, force: true }));
  const spec = trialSpecOf(config);
  const tasks = await partitionTasks(setup.dbs.source, setup.tasks, { partitions: config.copy.partitions, minRows: config.copy.partitionMinRows });
  log.info(
    `copying ${setup.tables.length} tables from ${setup.dbs.source.display} to ${setup.dbs.target.display} ` +
      `with ${spec.strategy}, parallelism ${spec.parallelism}` +
      (config.copy.partitions > 1 ? `, up to ${config.copy.partitions} parts per table over ${config.copy.partitionMinRows.toLocaleString('en-US')} rows` : '') +
      `, constraints ${spec.constraints}`,
  );
  // What was really split: an engine or table may allow fewer parts than asked for (issue 17).
  if (config.copy.partitions > 1) log.info(`split: ${describeSplit(tasks)}`);
  const base = trialBase(setup, lifecycle.signal);
  const result = await runTrial(spec, { ...base, tasks, onProgress: progressPrinter(spec.id) });
  log.clearStatus();
  log.out(renderTrialTables(result));
  if (result.state !== 'skipped' && result.validation) log.out(renderValidation(result.validation));
  if (config.json) {
    writeResults(config.json, {
      format: RESULTS_FORMAT,
      version: RESULTS_VERSION,
      command: 'run',
      createdAt: new Date().toISOString(),
      environment: setup.environment,
      dataset: datasetOf(setup, base.sourceFingerprints),
      config: configRecord(config),
      trials: [result],
    });
    log.info(`results written to ${config.json}`);
  }
  return exitCodeOf([result]);
}

export function trialSpecOf(config: Pick<RunConfig, 'copy'>, repetition = 1): TrialSpec {
  const c = config.copy;
  const point = pointKey({ strategy: c.strategy, parallelism: c.parallelism, partitions: c.partitions });
  return {
    id: `${point}#${repetition}`,
    point,
    strategy: c.strategy,
    parallelism: c.parallelism,
    partitions: c.partitions,
    workers: strategies[c.strategy].defaultBatchSize === undefined ? 0 : c.workers,
    constraints: c.constraints,
    params: {
      batchSize: c.batchSize ?? strategies[c.strategy].defaultBatchSize ?? 5000,
      copyFormat: c.copyFormat,
      queueSize: c.queueSize,
      chunkSize: c.chunkSize,
    },
    repetition,
  };
}

/** The options as recorded in results files: URLs redacted. */
export function configRecord(config: RunConfig): Record<string, unknown> {
  return {
    provider: config.server.provider,
    profile: config.server.profile.name,
    ...(config.server.sourceUrl ? { sourceUrl: redactUrl(config.server.sourceUrl) } : {}),
    ...(config.server.targetUrl ? { targetUrl: redactUrl(config.server.targetUrl) } : {}),
    ...config.copy,
  };
}

/** A failed or invalid trial fails the command; a skipped one does not. */
export function exitCodeOf(results: readonly TrialResult[]): number {
  if (results.some((r) => r.state === 'failed')) {
    for (const r of results) if (r.state === 'failed') log.error(`${r.spec.id} failed in ${r.phase}: ${r.error}`);
    return ExitCode.failed;
  }
  return ExitCode.ok;
}
