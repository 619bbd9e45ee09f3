import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files that hold table data or secrets (spill CSVs, server-copy exports, the pgcopydb passfile) live in
 * directories only their owner can enter, and a directory a killed bench left behind is removed by the
 * next one (issue 16). Every such directory carries the pid of the bench that made it in its name.
 */

/** Creates `dir` (and missing parents) as 0700; an existing one is made 0700. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
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

/** The scratch directories of copy commands under a spill root: bench-<pid>, bench-seed-<pid>. */
export const WORK_DIR_PATTERN = /^bench-(?:seed-)?(\d+)$/;
