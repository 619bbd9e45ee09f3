import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { copyFormatFor, qualified } from '../harness/model/catalog.js';
import { withSessions, type Strategy } from './strategy.js';

/**
 * Each target's own bulk path. Into PostgreSQL: `COPY … TO STDOUT` on the source piped into
 * `COPY … FROM STDIN` on the target; the bytes are never decoded, Node only moves buffers and both
 * servers do the parsing. Binary format by default (`--copy-format text|csv` to compare); the target's
 * `COPY n` is the row count. Into SQL Server: the source's row stream fed to a TDS bulk load (what
 * SqlBulkCopy does); the server's bulk row count is the row count.
 */
export const nativeBulk: Strategy = {
  name: 'native-bulk',
  description: 'the target\'s bulk path: COPY FROM STDIN fed by COPY TO STDOUT (PostgreSQL), TDS bulk load (SQL Server)',

  supports() {
    // Every pair has one: an mssql source encodes its rows as COPY text (engines/mssql.ts copyOut),
    // and an mssql target bulk-loads any source's row stream.
    return true;
  },

  async copyTask(ctx) {
    const { task, params } = ctx;
    return withSessions(ctx, async (source, target) => {
      if (target.bulkLoad) {
        const metered = async function* () {
          for await (const batch of source.streamRows(task, params.batchSize)) {
            ctx.progress(batch.length, 0);
            yield batch;
          }
        };
        const rows = await target.bulkLoad(task, metered(), ctx.signal);
        return { rows, bytes: 0 };
      }
      // A table whose binary form names the source's type OIDs (arrays of an enum…) goes as text.
      const format = copyFormatFor(task.columns, params.copyFormat);
      const note = format === params.copyFormat ? undefined : `${qualified(task.source)} copied as COPY ${format}: its binary form carries the source's type OIDs (${task.columns.filter((c) => c.binaryCarriesOids).map((c) => c.name).join(', ')})`;
      if (params.copyRelay !== 'parsed' && source.copyOutFramed && target.copyInFramed) {
        // PostgreSQL on both sides: the source's CopyData messages go to the target as they are.
        const out = source.copyOutFramed(task, format, (bytes) => ctx.progress(0, bytes));
        // FREEZE only where this task is the table's only writer: a whole table, no key constraints yet.
        const freeze = params.freeze === true && task.range === undefined && target.emptyForFreeze !== undefined;
        if (freeze) await target.emptyForFreeze!(task);
        const sink = target.copyInFramed(task, format, { freeze });
        await pipeline(out, sink.stream, { signal: ctx.signal });
        await sink.done?.();
        return { rows: sink.rows(), bytes: (out as Readable & { bytes: number }).bytes, ...(note ? { note } : {}) };
      }
      if (!source.copyOut || !target.copyIn) throw new Error('native-bulk: an engine without COPY support');
      // From SQL Server, bench writes the COPY stream itself, binary included (engines/pg-binary-copy.ts).
      const out = source.copyOut(task, format);
      const sink = target.copyIn(task, format);
      let bytes = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          ctx.progress(0, chunk.length);
          done(null, chunk);
        },
      });
      // pipeline propagates backpressure (the source socket pauses while the target's is full) and
      // destroys every stream on error or abort.
      await pipeline(out, meter, sink.stream, { signal: ctx.signal });
      return { rows: sink.rows(), bytes, ...(note ? { note } : {}) };
    });
  },
};
