import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDir, makePrivateDir, removeLeftovers } from '../../../harness/base/private-files.js';
import { scratchPaths } from '../../../harness/base/paths.js';

describe('private scratch directories', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-private-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a private directory is 0700, and the parents it creates keep the default mode', () => {
    const leaf = join(dir, 'state', 'spill', 'bench-1');
    makePrivateDir(leaf, { what: 'spill directory', option: '--spill-dir' });
    expect(statSync(leaf).mode & 0o777).toBe(0o700);
    const umask = process.umask();
    expect(statSync(join(dir, 'state')).mode & 0o777).toBe(0o777 & ~umask);
  });

  it('a directory that cannot be created is one error naming it and the option, not a hang', () => {
    expect(() => makeDir(`/proc/bench-unit-${process.pid}/x`, { what: 'state directory', option: '--state-dir' })).toThrow(
      new RegExp(`^cannot create the state directory /proc/bench-unit-${process.pid}/x \\(/proc/bench-unit-${process.pid}: ENOENT\\): pass --state-dir with a directory bench can write$`),
    );
  });

  it('removes the leftovers of ended processes only', async () => {
    const ended = execa('true');
    await ended;
    const dead = join(dir, `bench-${ended.pid!}`);
    const live = join(dir, `bench-${process.pid}`);
    const other = join(dir, 'bench-notapid');
    for (const d of [dead, live, other]) mkdirSync(d);
    expect(removeLeftovers(dir, scratchPaths.workRootPattern)).toEqual([dead]);
    expect([dead, live, other].map(existsSync)).toEqual([false, true, true]);
  });
});
