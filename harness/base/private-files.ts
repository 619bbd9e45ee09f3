import { chmodSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BenchError } from './errors.js';

/**
 * Files that hold table data or secrets (spill CSVs, server-copy exports, the pgcopydb passfile) live in
 * directories only their owner can enter, and a directory a killed bench left behind is removed by the
 * next one (issue 16). Every such directory carries the pid of the bench that made it in its name.
 */

/** What a directory is for, to name it and the option that chooses it when it cannot be created. */
export interface DirPurpose {
  /** e.g. "spill directory" */
  readonly what: string;
  /** e.g. "--spill-dir" */
  readonly option?: string;
}

/**
 * Creates `dir` and its missing parents, one level at a time. Not mkdirSync's `recursive`: under /proc
 * it never returns (procfs answers ENOENT to mkdir while the parent exists, and Node's recursive mkdir
 * then retries forever, at 100% CPU, deaf to Ctrl-C: issue 16). A directory that cannot be created is
 * one line naming it, the part that failed and the option to change.
 */
export function makeDir(dir: string, purpose: DirPurpose, mode = 0o777): void {
  // `mode` is for `dir` itself; missing parents get the default (a private spill directory must not
  // make the state directory above it private: the servers' OS user must reach their clusters there).
  const target = resolve(dir);
  const missing: string[] = [];
  for (let d = target; !isDirectory(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d, { mode: d === target ? mode : 0o777 });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      if (code === 'EEXIST' && isDirectory(d)) continue; // made by another process meanwhile
      const fix = purpose.option ? `pass ${purpose.option} with a directory bench can write` : 'choose a directory bench can write';
      throw new BenchError(`cannot create the ${purpose.what} ${target} (${d}: ${code}): ${fix}`, { cause: err });
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Creates `dir` (and missing parents) as 0700; an existing one is made 0700. */
export function makePrivateDir(dir: string, purpose: DirPurpose): void {
  makeDir(dir, purpose, 0o700);
  chmodSync(dir, 0o700);
}

/** False only when no process has this pid (another user's process counts as running). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the entries of `parent` whose name matches `pattern` (its first group: the pid of the bench
 * that made them) when that process has ended. Returns what it removed. A missing or unreadable parent
 * is nothing to sweep.
 */
export function removeLeftovers(parent: string, pattern: RegExp): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processRuns(pid)) continue;
    const path = join(parent, name);
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Not ours to remove (another user's): left alone.
    }
  }
  return removed;
}
