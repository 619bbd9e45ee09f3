import { throwIfAborted } from '../harness/base/errors.js';
import { withSessions, type Strategy } from './strategy.js';

/**
 * The seeds' "direct row streaming": read the source through a cursor and write multi-row
 * parameterised INSERTs of `--batch-size` rows (default 5,000), one batch after the other. Reading and
 * writing do not overlap (that is what `pipeline` adds). Values travel as the source's text form.
 */
export const directStream: Strategy = {
  name: 'direct-stream',
  description: 'cursor reads, multi-row parameterised INSERT batches (default 5,000 rows)',
  defaultBatchSize: 5000,

  supports() {
    return true;
  },

  async copyTask(ctx) {
    const { task, params } = ctx;
    return withSessions(ctx, async (source, target) => {
      let rows = 0;
      for await (const batch of source.streamRows(task, params.batchSize)) {
        throwIfAborted(ctx.signal);
        await target.insertRows(task, batch);
        rows += batch.length;
        ctx.progress(batch.length, 0);
      }
      return { rows, bytes: 0 };
    });
  },
};
