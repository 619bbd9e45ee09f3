import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BenchError, ExitCode } from '../../../harness/base/errors.js';
import { readTrialLog, TrialLog } from '../../../harness/results/trial-log.js';
import { failedTrial, okTrial, skippedTrial } from '../../support/results.js';

const none = { resume: false, fresh: false };
const resume = { resume: true, fresh: false };
const fresh = { resume: false, fresh: true };

function thrown(fn: () => unknown): BenchError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BenchError);
    return err as BenchError;
  }
  throw new Error('expected an error');
}

describe('TrialLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'bench-trial-log-')), 'out');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  const trials = [okTrial({ strategy: 'native-bulk' }, 1.5), failedTrial({ strategy: 'pipeline', parallelism: 2 }, 'boom | bang'), skippedTrial({ strategy: 'chunked' }, 'no')];

  it('a new log creates the directory and starts with a header carrying the fingerprint', () => {
    const log = TrialLog.open(dir, 'fp-1', none);
    expect(log.file).toBe(join(dir, 'trials.jsonl'));
    expect(log.finished).toEqual([]);
    const lines = readFileSync(log.file, 'utf8').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({ kind: 'bench-trial-log', version: 2, fingerprint: 'fp-1' });
    expect(Number.isNaN(Date.parse(String(header.createdAt)))).toBe(false);
  });

  it('appends one line per trial, readable as soon as it is written', () => {
    const log = TrialLog.open(dir, 'fp-1', none);
    log.append(trials[0]!);
    expect(readTrialLog(log.file).trials).toEqual([trials[0]]);
    log.append(trials[1]!);
    log.append(trials[2]!);
    expect(readFileSync(log.file, 'utf8').trim().split('\n')).toHaveLength(4);
    expect(readTrialLog(log.file)).toEqual({ header: expect.objectContaining({ fingerprint: 'fp-1' }), trials });
  });

  it('--resume returns the earlier trials and appends after them', () => {
    const first = TrialLog.open(dir, 'fp-1', none);
    for (const t of trials.slice(0, 2)) first.append(t);
    const again = TrialLog.open(dir, 'fp-1', resume);
    expect(again.finished).toEqual(trials.slice(0, 2));
    again.append(trials[2]!);
    const read = readTrialLog(again.file);
    expect(read.trials).toEqual(trials);
    // Still one header: resuming does not start a new log.
    expect(readFileSync(again.file, 'utf8').split('\n').filter((l) => l.includes('bench-trial-log'))).toHaveLength(1);
  });

  it('--resume counts a failed trial as not done: it runs again, and its latest result decides', () => {
    const first = TrialLog.open(dir, 'fp-1', none);
    for (const t of trials) first.append(t);
    const again = TrialLog.open(dir, 'fp-1', resume);
    expect(again.done).toEqual([trials[0], trials[2]]);
    expect(again.retried).toBe(1);
    const retriedOk = { ...okTrial({ strategy: 'pipeline', parallelism: 2 }, 2), spec: trials[1]!.spec };
    again.append(retriedOk);
    const third = TrialLog.open(dir, 'fp-1', resume);
    expect(third.done).toEqual([trials[0], retriedOk, trials[2]]);
    expect(third.retried).toBe(0);
  });

  it('--resume without an earlier log starts a new one', () => {
    const log = TrialLog.open(dir, 'fp-1', resume);
    expect(log.finished).toEqual([]);
    expect(readTrialLog(log.file).header.fingerprint).toBe('fp-1');
  });

  it('--resume of a sweep with other options is a usage error naming --fresh and --out, and leaves the log alone', () => {
    TrialLog.open(dir, 'fp-1', none).append(trials[0]!);
    const before = readFileSync(TrialLog.fileIn(dir), 'utf8');
    const err = thrown(() => TrialLog.open(dir, 'fp-2', resume));
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toContain(TrialLog.fileIn(dir));
    expect(err.message).toContain('--fresh');
    expect(err.message).toContain('--out');
    expect(readFileSync(TrialLog.fileIn(dir), 'utf8')).toBe(before);
  });

  it('an existing log without --resume or --fresh is a usage error naming all three ways out', () => {
    TrialLog.open(dir, 'fp-1', none).append(trials[0]!);
    const before = readFileSync(TrialLog.fileIn(dir), 'utf8');
    const err = thrown(() => TrialLog.open(dir, 'fp-1', none));
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toContain('--resume');
    expect(err.message).toContain('--fresh');
    expect(err.message).toContain('--out');
    expect(err.message.split('\n')).toHaveLength(1);
    expect(readFileSync(TrialLog.fileIn(dir), 'utf8')).toBe(before);
  });

  it('--fresh moves the old log aside (kept, not deleted) and starts a new one', () => {
    const old = TrialLog.open(dir, 'fp-1', none);
    old.append(trials[0]!);
    const before = readFileSync(old.file, 'utf8');
    const log = TrialLog.open(dir, 'fp-2', fresh);
    expect(log.finished).toEqual([]);
    expect(readTrialLog(log.file)).toEqual({ header: expect.objectContaining({ fingerprint: 'fp-2' }), trials: [] });
    const kept = readdirSync(dir).filter((f) => f !== 'trials.jsonl');
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^previous-/);
    expect(readFileSync(join(dir, kept[0]!, 'trials.jsonl'), 'utf8')).toBe(before);
  });

  it('--fresh without an earlier log simply starts one', () => {
    const log = TrialLog.open(dir, 'fp-1', fresh);
    expect(readdirSync(dir)).toEqual(['trials.jsonl']);
    expect(log.finished).toEqual([]);
  });

  it('a torn last line (a crash mid-append) is ignored', () => {
    const log = TrialLog.open(dir, 'fp-1', none);
    log.append(trials[0]!);
    log.append(trials[1]!);
    appendFileSync(log.file, JSON.stringify(trials[2]).slice(0, 40));
    expect(readTrialLog(log.file).trials).toEqual(trials.slice(0, 2));
    expect(TrialLog.open(dir, 'fp-1', resume).finished).toEqual(trials.slice(0, 2));
  });

  it('--resume after a torn last line appends the next trial on a line of its own', () => {
    const log = TrialLog.open(dir, 'fp-1', none);
    log.append(trials[0]!);
    appendFileSync(log.file, JSON.stringify(trials[1]).slice(0, 40));
    const again = TrialLog.open(dir, 'fp-1', resume);
    expect(again.finished).toEqual([trials[0]]);
    again.append(trials[1]!);
    again.append(trials[2]!);
    // Neither the trial appended right after the torn fragment nor the next may be lost or damaged.
    expect(readTrialLog(log.file).trials).toEqual(trials);
  });

  it('a corrupt line in the middle is an error naming the line and the way out', () => {
    const log = TrialLog.open(dir, 'fp-1', none);
    log.append(trials[0]!);
    appendFileSync(log.file, '{"spec": oops\n');
    log.append(trials[1]!);
    const err = thrown(() => readTrialLog(log.file));
    expect(err.message).toContain(log.file);
    expect(err.message).toContain('line 3');
    expect(err.message).toContain('--fresh');
    expect(() => TrialLog.open(dir, 'fp-1', resume)).toThrow(/line 3 is not valid JSON/);
  });

  it('a file that is not a trial log is refused', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bench-not-log-')), 'trials.jsonl');
    try {
      writeFileSync(file, `${JSON.stringify({ kind: 'something-else' })}\n`);
      expect(() => readTrialLog(file)).toThrow(/is not a bench trial log/);
      writeFileSync(file, '');
      expect(() => readTrialLog(file)).toThrow(BenchError);
    } finally {
      rmSync(join(file, '..'), { recursive: true, force: true });
    }
  });
});
