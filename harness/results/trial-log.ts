import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { BenchError, ExitCode } from '../base/errors.js';
import { makeDir } from '../base/private-files.js';
import type { TrialResult } from '../model/trial.js';

/**
 * The sweep's write-ahead record: one JSON line per finished trial, appended (and flushed by the OS)
 * the moment the trial ends, so Ctrl-C, a crash or a full disk later loses nothing already measured
 * (hyperfine writes results after each benchmark for the same reason). The first line fingerprints
 * the sweep's options so `--resume` never mixes trials from a different grid or dataset.
 */
/** 2: peers are trials like bench's own (kind 'peer'), and warm-ups are logged (spec.warmup). */
export const TRIAL_LOG_VERSION = 2;

export interface TrialLogHeader {
  readonly kind: 'bench-trial-log';
  readonly version: typeof TRIAL_LOG_VERSION;
  /** What must match for `--resume`: grid knobs, tables, provider and server settings. */
  readonly fingerprint: string;
  readonly createdAt: string;
}

export class TrialLog {
  /**
   * What a --resume need not run again: per trial (peers' included), its latest result, unless that
   * failed. A failed trial is retried (issue 16: after a target outage, --resume used to count the
   * failures as finished and never ran them again); its earlier failure stays in the file.
   */
  readonly done: readonly TrialResult[];
  /** Trials whose latest result failed: a --resume runs them again. */
  readonly retried: number;

  private constructor(
    readonly file: string,
    /** Every result read back from the file, in order, failures and retried trials included. */
    readonly finished: readonly TrialResult[],
  ) {
    const trials = latest(finished, (t) => t.spec.id);
    this.done = trials.filter((t) => t.state !== 'failed');
    this.retried = trials.length - this.done.length;
  }

  static fileIn(dir: string): string {
    return join(dir, 'trials.jsonl');
  }

  /**
   * Opens the log in `dir`. With `resume`, earlier trials are read back (and kept); without it an
   * existing log is an error unless `fresh`, which moves it aside rather than deleting it.
   */
  static open(dir: string, fingerprint: string, options: { resume: boolean; fresh: boolean }): TrialLog {
    makeDir(dir, { what: 'results directory', option: '--out' });
    const file = TrialLog.fileIn(dir);
    if (existsSync(file)) {
      if (options.resume) {
        const { header, trials } = readTrialLog(file);
        if (header.fingerprint !== fingerprint) {
          throw new BenchError(
            `${file} belongs to a sweep with different options or data: run without --resume (add --fresh to replace it) or use --out DIR`,
            { exitCode: ExitCode.usage },
          );
        }
        dropTornTail(file);
        return new TrialLog(file, trials);
      }
      if (!options.fresh) {
        throw new BenchError(`${dir} already holds a sweep's results: pass --resume to continue it, --fresh to start over, or --out DIR`, {
          exitCode: ExitCode.usage,
        });
      }
      // Everything the earlier sweep wrote moves aside together, so its report or profile can never be
      // mistaken for the new sweep's (which may be interrupted before writing its own).
      const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
      const aside = join(dir, `previous-${stamp}`);
      mkdirSync(aside);
      for (const name of ['trials.jsonl', 'results.json', 'report.md', 'profile.json', 'charts']) {
        if (existsSync(join(dir, name))) renameSync(join(dir, name), join(aside, name));
      }
    }
    const header: TrialLogHeader = { kind: 'bench-trial-log', version: TRIAL_LOG_VERSION, fingerprint, createdAt: new Date().toISOString() };
    appendFileSync(file, `${JSON.stringify(header)}\n`);
    return new TrialLog(file, []);
  }

  append(result: TrialResult): void {
    appendFileSync(this.file, `${JSON.stringify(result)}\n`);
  }
}

/** The last result per key, in the order the keys first appear. */
function latest<T>(results: readonly T[], key: (r: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const r of results) byKey.set(key(r), r);
  return [...byKey.values()];
}

/** A crash mid-append leaves a partial last line: cut it, so the next append starts a clean line. */
function dropTornTail(file: string): void {
  const text = readFileSync(file, 'utf8');
  if (text.endsWith('\n')) return;
  truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
}

export function readTrialLog(file: string): { header: TrialLogHeader; trials: TrialResult[] } {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const parse = (line: string, i: number): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      // A crash mid-append can leave a torn last line; anything else is corruption worth reporting.
      if (i === lines.length - 1) return undefined;
      throw new BenchError(`${file}: line ${i + 1} is not valid JSON (the file is damaged; start a --fresh sweep)`);
    }
  };
  const header = parse(lines[0] ?? '', 0) as TrialLogHeader | undefined;
  if (header?.kind !== 'bench-trial-log') throw new BenchError(`${file} is not a bench trial log`);
  if (header.version !== TRIAL_LOG_VERSION) {
    throw new BenchError(`${file} was written by an earlier bench (trial log version ${String(header.version)}): start a --fresh sweep`, { exitCode: ExitCode.usage });
  }
  const trials = lines.slice(1).map((line, i) => parse(line, i + 1)).filter((t) => t !== undefined) as TrialResult[];
  return { header, trials };
}
