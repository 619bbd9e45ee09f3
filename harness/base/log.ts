/**
 * Human output goes to stderr so stdout stays clean for `--json -` and pipes. Verbosity is process-wide:
 * the CLI sets it once from --quiet / --verbose.
 */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

let verbosity: Verbosity = 'normal';
let statusLineActive = false;
let stdoutReserved = false;

/**
 * A machine-readable output goes to stdout (`--json -`, `--export-csv -`): from now on the results meant
 * for people (log.out) go to stderr, so stdout holds only what a program parses.
 */
export function reserveStdout(): void {
  stdoutReserved = true;
}

export function setVerbosity(v: Verbosity): void {
  verbosity = v;
}

function write(text: string): void {
  clearStatus();
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export const log = {
  info(text: string): void {
    if (verbosity !== 'quiet') write(text);
  },
  warn(text: string): void {
    write(`warning: ${text}`);
  },
  error(text: string): void {
    write(`error: ${text}`);
  },
  debug(text: string): void {
    if (verbosity === 'verbose') write(`  ${text}`);
  },
  /** Results (tables, summaries) go to stdout, unless a machine-readable output has it (reserveStdout). */
  out(text: string): void {
    clearStatus();
    (stdoutReserved ? process.stderr : process.stdout).write(text.endsWith('\n') ? text : `${text}\n`);
  },
  /** A single self-overwriting status line, shown only on a terminal. */
  status(text: string): void {
    if (verbosity === 'quiet' || !process.stderr.isTTY) return;
    const width = process.stderr.columns ?? 100;
    process.stderr.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
    statusLineActive = true;
  },
  clearStatus,
};

function clearStatus(): void {
  if (statusLineActive) {
    process.stderr.write('\r\x1b[2K');
    statusLineActive = false;
  }
}
