import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EnvironmentInfo } from '../setup/environment.js';
import { BenchError } from '../base/errors.js';
import { makeDir } from '../base/private-files.js';
import type { DatasetTable, TrialResult } from '../model/trial.js';
import { parseResults } from './schema.js';

/**
 * The results file: the machine-readable truth every report is rendered from. `version` changes when
 * a field changes meaning or disappears; new optional fields do not bump it.
 */
export const RESULTS_FORMAT = 'bench-results';
export const RESULTS_VERSION = 2;

export interface ResultsFile {
  readonly format: typeof RESULTS_FORMAT;
  readonly version: typeof RESULTS_VERSION;
  readonly command: 'run' | 'quick' | 'sweep';
  readonly createdAt: string;
  readonly environment: EnvironmentInfo;
  readonly dataset: { readonly source: string; readonly tables: readonly DatasetTable[] };
  /** The options the command ran with (no passwords). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly trials: readonly TrialResult[];
  /** Sweeps: the grid as planned, so a report can tell what was left out (interrupted, resumed). */
  readonly sweep?: SweepRecord;
  /** Platform detection (bench detect), when available. */
  readonly platform?: Readonly<Record<string, unknown>>;
}

export interface SweepRecord {
  readonly strategies: readonly string[];
  readonly parallelism: readonly number[];
  readonly partitions: readonly number[];
  readonly batchSizes: readonly (number | null)[];
  readonly repeat: number;
  /** Warm-up rounds before the measured ones (absent in files from before warm-ups). */
  readonly warmup?: number;
  /** Peer tools run as contenders of the same plan, and their parallelism levels. */
  readonly peers?: readonly string[];
  readonly peerParallelism?: readonly number[];
  readonly constraints: string;
  readonly trialsPlanned: number;
  /** False when the sweep was interrupted before its last trial. */
  readonly complete: boolean;
  readonly seconds: number;
  readonly search?: 'grid' | 'adaptive';
  /** Adaptive search: how many trials it used against the grid's, and the path it took. */
  readonly adaptive?: { readonly trials: number; readonly gridTrials: number; readonly steps: readonly object[] };
}

/** Written to a temporary file and renamed, so a crash mid-write never leaves half a JSON file. */
export function writeResults(file: string, results: ResultsFile): void {
  makeDir(dirname(file), { what: 'directory for the results file' });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(tmp, file);
}

/**
 * Reads and validates a results file. Version 1 files (peers in their own list, no warm-ups) are read
 * as version 2; any other version, or a file that is not bench's, is refused with one line.
 */
export function readResults(file: string): ResultsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BenchError(`cannot read results file ${file}: ${(err as Error).message}`);
  }
  return parseResults(raw, file) as unknown as ResultsFile;
}
