import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BenchError } from './errors.js';
import { makeDir } from './private-files.js';
import { reserveStdout } from './log.js';

/**
 * `-` means stdout wherever bench writes a file (`run --json -`, `--export-csv -`, `check --json -`)
 * and stdin wherever it reads one (`report -`, `check --current -`), as in hyperfine and most Unix tools.
 */
export const STDIO = '-';

/**
 * An output option's value as a target: `--json` alone (commander's true) or `-` is stdout, anything else
 * a file path; undefined when the option is absent.
 */
export function outputTarget(value: unknown): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true || value === STDIO) return STDIO;
  return resolve(String(value));
}

/** Whether a machine-readable output goes to stdout. */
export function toStdout(target: string | undefined): boolean {
  return target === STDIO;
}

/** Called by a command once its options are parsed: when an output goes to stdout, the tables for people go to stderr. */
export function claimStdout(...targets: readonly (string | undefined)[]): void {
  if (targets.some(toStdout)) reserveStdout();
}

/**
 * Writes `text` to the file (through a temporary file and a rename, so a crash never leaves half of it)
 * or to stdout for `-`.
 */
export function writeOutput(target: string, text: string, what: string): void {
  if (target === STDIO) {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  makeDir(dirname(target), { what: `directory for the ${what}` });
  const tmp = `${target}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, target);
}

/** The text of a file, or of stdin for `-`; one line naming the file when it cannot be read. */
export function readInput(file: string, what: string): string {
  try {
    return readFileSync(file === STDIO ? 0 : file, 'utf8');
  } catch (err) {
    throw new BenchError(`cannot read ${what} ${file === STDIO ? 'from stdin' : file}: ${(err as Error).message}`);
  }
}
