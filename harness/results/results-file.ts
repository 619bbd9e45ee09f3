import type { EnvironmentInfo } from '../setup/environment.js';
import { BenchError } from '../base/errors.js';
import { readInput, STDIO, writeOutput } from '../base/output.js';
import type { DatasetTable, TrialResult } from '../model/trial.js';
import { parseResults } from './schema.js';
import type { ClaimsRecord, PointRecord } from './points-schema.js';

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
  /** Per point, the statistics the report shows, and its claims (points-schema.ts): derived from `trials` for other readers. */
  readonly points?: readonly PointRecord[];
  readonly claims?: ClaimsRecord;
}

/** Per lever, its values in the order the user listed them. */
export type LeverOrder = { readonly settings?: readonly string[]; readonly constraints?: readonly string[]; readonly freeze?: readonly string[] };

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
  /**
   * The levers the sweep varied besides the grid (--server-settings, --constraints, --freeze), each with
   * its values in the order given: the first is what the others are compared with.
   */
  readonly levers?: LeverOrder;
  readonly trialsPlanned: number;
  /** False when the sweep was interrupted before its last trial. */
  readonly complete: boolean;
  readonly seconds: number;
  readonly search?: 'grid' | 'adaptive';
  /** Adaptive search: how many trials it used against the grid's, and the path it took. */
  readonly adaptive?: { readonly trials: number; readonly gridTrials: number; readonly steps: readonly object[] };
}

/** Written to a temporary file and renamed, so a crash mid-write never leaves half a JSON file; `-` is stdout. */
export function writeResults(file: string, results: ResultsFile): void {
  writeOutput(file, `${JSON.stringify(results, null, 2)}\n`, 'results file');
}

/**
 * Reads and validates a results file (`-`: stdin). Version 1 files (peers in their own list, no warm-ups) are read
 * as version 2; any other version, or a file that is not bench's, is refused with one line.
 */
export function readResults(file: string): ResultsFile {
  let raw: unknown;
  const text = readInput(file, 'results file');
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BenchError(`cannot read results file ${file === STDIO ? 'from stdin' : file}: ${(err as Error).message}`);
  }
  return parseResults(raw, file) as unknown as ResultsFile;
}
