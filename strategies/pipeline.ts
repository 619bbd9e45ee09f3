import { batchBytes, QUEUE_BYTES } from '../harness/base/memory-bounds.js';
import { BoundedQueue } from './shared/bounded-queue.js';
import { InsertBatches } from './shared/insert-batches.js';
import { withSessions, type Strategy } from './strategy.js';

/**
 * The seeds' producer/consumer design: a producer reads the source while a consumer writes the target,
 * at the same time, joined by a queue bounded to `--queue-size` rows (default 10,000) and QUEUE_BYTES. A full queue
 * blocks the producer (backpressure); a failure on either side fails the queue, which stops the other.
 * The queue's wait times tell which side was the bottleneck.
 */
export const pipeline: Strategy = {
  name: 'pipeline',
  description: 'producer reads and consumer INSERTs concurrently through a bounded queue (10,000 rows)',
  defaultBatchSize: 5000,

  supports() {
    return true;
  },

  async copyTask(ctx) {
    const { task, params, signal } = ctx;
    return withSessions(ctx, async (source, target) => {
      const queue = new BoundedQueue<unknown[][]>(params.queueSize, QUEUE_BYTES);
      const onAbort = () => queue.fail(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      // Fetch in pieces no larger than the queue, so backpressure has room to act.
      const fetchSize = Math.max(1, Math.min(params.batchSize, params.queueSize));

      const produce = async () => {
        try {
          for await (const batch of source.streamRows(task, fetchSize)) await queue.push(batch, batch.length, batchBytes(batch));
          queue.close();
        } catch (err) {
          queue.fail(err);
          throw err;
        }
      };

      const batches = new InsertBatches<unknown[]>(params.batchSize, async (rows) => {
        await target.insertRows(task, rows);
        ctx.progress(rows.length, 0);
      });
      const consume = async () => {
        try {
          for (let batch = await queue.take(); batch !== undefined; batch = await queue.take()) {
            // The batch's rows at their average size (measured once, by the reader).
            const size = batch.length > 0 ? batchBytes(batch) / batch.length : 0;
            for (const row of batch) await batches.add(row, size);
          }
          await batches.flush();
        } catch (err) {
          queue.fail(err);
          throw err;
        }
      };

      try {
        const results = await Promise.allSettled([produce(), consume()]);
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
      return {
        rows: batches.written,
        bytes: 0,
        counters: {
          producerWaitSeconds: queue.producerWaitMs / 1000,
          consumerWaitSeconds: queue.consumerWaitMs / 1000,
          queuePeakRows: queue.peakWeight,
        },
      };
    });
  },
};
