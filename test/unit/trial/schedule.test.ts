import { describe, expect, it } from 'vitest';
import { runTasks, TaskFailedError } from '../../../harness/trial/schedule.js';
import type { CopyTask } from '../../../harness/model/task.js';

function task(id: string, level = 0): CopyTask {
  return { id, level, source: {} as CopyTask['source'], target: { schema: 's', name: id }, columns: [], estimatedRows: 0, estimatedBytes: 0 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('task scheduler', () => {
  it('never runs more than `parallelism` tasks at once', async () => {
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 12 }, (_, i) => task(`t${i}`));
    await runTasks(tasks, { parallelism: 3, byLevel: false, signal: new AbortController().signal }, async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(5);
      running--;
      return { rows: 1, bytes: 0 };
    });
    expect(peak).toBe(3);
  });

  it('runs foreign-key levels one after the other when asked', async () => {
    const order: string[] = [];
    const tasks = [task('child', 1), task('parent', 0), task('grandchild', 2), task('other-parent', 0)];
    await runTasks(tasks, { parallelism: 4, byLevel: true, signal: new AbortController().signal }, async (t) => {
      order.push(`start ${t.id}`);
      await sleep(t.level === 0 ? 10 : 1);
      order.push(`end ${t.id}`);
      return { rows: 1, bytes: 0 };
    });
    expect(order.indexOf('start child')).toBeGreaterThan(order.indexOf('end parent'));
    expect(order.indexOf('start child')).toBeGreaterThan(order.indexOf('end other-parent'));
    expect(order.indexOf('start grandchild')).toBeGreaterThan(order.indexOf('end child'));
  });

  it('stops the other tasks on the first failure and reports which task failed', async () => {
    const seenAbort: string[] = [];
    const tasks = [task('bad'), task('slow'), task('never-started')];
    const run = runTasks(tasks, { parallelism: 2, byLevel: false, signal: new AbortController().signal }, async (t, signal) => {
      if (t.id === 'bad') throw new Error('boom');
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      seenAbort.push(t.id);
      throw signal.reason;
    });
    await expect(run).rejects.toThrow(TaskFailedError);
    await expect(run).rejects.toThrow('bad: boom');
    expect(seenAbort).toEqual(['slow']);
  });
});
