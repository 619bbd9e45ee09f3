import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../../strategies/shared/bounded-queue.js';

describe('bounded queue', () => {
  it('blocks the producer while full and releases it as the consumer takes', async () => {
    const q = new BoundedQueue<number>(10);
    await q.push(1, 6);
    let pushed = false;
    const second = q.push(2, 6).then(() => (pushed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(pushed).toBe(false);
    expect(await q.take()).toBe(1);
    await second;
    expect(pushed).toBe(true);
    q.close();
    expect(await q.take()).toBe(2);
    expect(await q.take()).toBeUndefined();
    expect(q.peakWeight).toBe(6);
  });

  it('a failure wakes both sides with the error', async () => {
    const q = new BoundedQueue<number>(1);
    await q.push(1, 1);
    const blockedPush = q.push(2, 1);
    const empty = new BoundedQueue<number>(1);
    const blockedTake = empty.take();
    q.fail(new Error('consumer died'));
    empty.fail(new Error('producer died'));
    await expect(blockedPush).rejects.toThrow('consumer died');
    await expect(blockedTake).rejects.toThrow('producer died');
  });
});

describe('bounded queue by bytes', () => {
  it('blocks the producer when the bytes would pass the byte capacity, whatever the rows', async () => {
    const q = new BoundedQueue<string>(1000, 100);
    await q.push('a', 1, 80);
    let pushed = false;
    const second = q.push('b', 1, 30).then(() => (pushed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(pushed).toBe(false);
    expect(await q.take()).toBe('a');
    await second;
    // An item over the byte capacity still goes in once the queue is empty.
    expect(await q.take()).toBe('b');
    await q.push('huge', 1, 500);
    expect(await q.take()).toBe('huge');
  });
});
