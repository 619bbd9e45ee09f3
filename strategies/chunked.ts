import { throwIfAborted } from '../harness/base/errors.js';
import { withSessions, type Strategy } from './strategy.js';

/**
 * The seeds' chunk-based streaming, built for observability: walk the table in primary-key order in
 * chunks of `--chunk-size` rows (default 100,000), each chunk read through a keyset query
 * (`WHERE key > last ORDER BY key LIMIT n`) and committed on the target in its own transaction, with
 * progress reported per chunk. Rows are still fetched and inserted `--batch-size` at a time, so memory
 * does not grow with the chunk size. A table without a primary key is copied as one chunk, and the
 * result says so.
 */
export const chunked: Strategy = {
  name: 'chunked',
  description: 'keyset chunks by primary key (100,000 rows), each committed on its own',
  defaultBatchSize: 5000,

  supports() {
    return true;
  },

  async copyTask(ctx) {
    const { task, params, signal } = ctx;
    const pk = task.source.primaryKey?.columns ?? [];
    const keyIndexes = pk.map((k) => task.columns.findIndex((c) => c.name === k));
    const usableKey = pk.length > 0 && keyIndexes.every((i) => i >= 0);

    return withSessions(ctx, async (source, target) => {
      let rows = 0;
      let chunks = 0;
      let after: unknown[] | undefined;
      for (;;) {
        throwIfAborted(signal);
        let inChunk = 0;
        let last: unknown[] | undefined;
        await target.begin();
        try {
          const page = usableKey ? { keyColumns: pk, limit: params.chunkSize, ...(after ? { after } : {}) } : undefined;
          for await (const batch of source.streamRows(task, params.batchSize, page)) {
            throwIfAborted(signal);
            await target.insertRows(task, batch);
            inChunk += batch.length;
            last = batch[batch.length - 1];
          }
          await target.commit();
        } catch (err) {
          await target.rollback().catch(() => undefined);
          throw err;
        }
        rows += inChunk;
        if (inChunk > 0) chunks += 1;
        ctx.progress(inChunk, 0);
        if (!usableKey || inChunk < params.chunkSize || !last) break;
        after = keyIndexes.map((i) => last![i]);
      }
      return {
        rows,
        bytes: 0,
        counters: { chunks },
        ...(usableKey ? {} : { note: `${task.id} has no primary key: copied as one chunk` }),
      };
    });
  },
};
