import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EnvironmentInfo } from '../setup/environment.js';
import { BenchError } from '../base/errors.js';
import { makeDir } from '../base/private-files.js';
import type { DatasetTable, PeerResult, TrialResult } from '../model/trial.js';

/**
 * The results file: the machine-readable truth every report is rendered from. `version` changes when
 * a field changes meaning or disappears; new optional fields do not bump it.
 */
export const RESULTS_FORMAT = 'bench-results';
export const RESULTS_VERSION = 1;

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
  /** Peer tools measured in the same run (pgcopydb, pg_dump/pg_restore, psql pipe, the server-side COPY limit). */
  readonly peers?: readonly PeerResult[];
  /** Platform detection (bench detect), when available. */
  readonly platform?: Readonly<Record<string, unknown>>;
}

export interface SweepRecord {
  readonly strategies: readonly string[];
  readonly parallelism: readonly number[];
  readonly partitions: readonly number[];
  readonly batchSizes: readonly (number | null)[];
  readonly repeat: number;
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

export function readResults(file: string): ResultsFile {
  let raw: { format?: unknown; version?: unknown };
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as typeof raw;
  } catch (err) {
    throw new BenchError(`cannot read results file ${file}: ${(err as Error).message}`);
  }
  if (raw.format !== RESULTS_FORMAT) throw new BenchError(`${file} is not a bench results file (format is ${String(raw.format)})`);
  if (raw.version !== RESULTS_VERSION) {
    throw new BenchError(`${file} has results version ${String(raw.version)}; this bench reads version ${RESULTS_VERSION}`);
  }
  return raw as ResultsFile;
}
