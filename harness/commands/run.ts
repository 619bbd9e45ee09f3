import { parseRunConfig, type RawOptions, type RunConfig } from '../config/options.js';
import { openRun, datasetOf } from '../setup/open-run.js';
import type { Lifecycle } from '../base/lifecycle.js';
import { log } from '../base/log.js';
import { runTrial } from '../trial/run-trial.js';
import { pointKey } from '../plan/expand-sweep.js';
import type { StrategyTrialSpec } from '../model/trial.js';
import { configRecord, exitCodeOf } from '../results/run-record.js';
import { renderTrialTables, renderValidation } from '../../reports/terminal.js';
import { RESULTS_FORMAT, RESULTS_VERSION, writeResults } from '../results/results-file.js';
import { progressPrinter } from '../../reports/progress.js';
import { withPointRecords } from '../analysis/point-records.js';
import { claimStdout, toStdout } from '../base/output.js';
import { strategies } from '../../strategies/index.js';

/** `bench run`: reset the target, copy with one strategy, validate, print per-table figures. */
export async function runCommand(raw: RawOptions, lifecycle: Lifecycle): Promise<number> {
  const config = parseRunConfig(raw);
  claimStdout(config.json);
  const run = await openRun(
    config.server,
    { tables: config.copy.tables, spillDir: config.copy.spillDir, partitionMinRows: config.copy.partitionMinRows, maxParallelism: config.copy.parallelism },
    lifecycle,
  );
  const spec = trialSpecOf(config);
  log.info(
    `copying ${run.tables.length} tables from ${run.source.display} to ${run.target.display} ` +
      `with ${spec.strategy}, parallelism ${spec.parallelism}` +
      (config.copy.partitions > 1 ? `, up to ${config.copy.partitions} parts per table over ${config.copy.partitionMinRows.toLocaleString('en-US')} rows` : '') +
      `, constraints ${spec.constraints}`,
  );
  const result = await runTrial(spec, run, { onProgress: progressPrinter(spec.id) });
  log.clearStatus();
  log.out(renderTrialTables(result));
  if (result.state !== 'skipped' && result.validation) log.out(renderValidation(result.validation));
  if (config.json) {
    writeResults(config.json, withPointRecords({
      format: RESULTS_FORMAT,
      version: RESULTS_VERSION,
      command: 'run',
      createdAt: new Date().toISOString(),
      environment: run.environment,
      dataset: datasetOf(run),
      config: configRecord(config),
      trials: [result],
    }));
    if (!toStdout(config.json)) log.info(`results written to ${config.json}`);
  }
  return exitCodeOf([result]);
}

export function trialSpecOf(config: Pick<RunConfig, 'copy'>, repetition = 1): StrategyTrialSpec {
  const c = config.copy;
  const point = pointKey({ strategy: c.strategy, parallelism: c.parallelism, partitions: c.partitions });
  return {
    kind: 'strategy',
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
      copyRelay: c.copyRelay,
      freeze: c.freeze && c.constraints !== 'before',
      queueSize: c.queueSize,
      chunkSize: c.chunkSize,
    },
    repetition,
  };
}
