import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { withSessions, type Strategy } from './strategy.js';

/**
 * `COPY … TO STDOUT` on the source piped into `COPY … FROM STDIN` on the target. The bytes are never
 * decoded: Node only moves buffers, and both servers do the parsing. Binary format by default
 * (`--copy-format text|csv` to compare). The target's `COPY n` is the row count.
 */
export const nativeBulk: Strategy = {
  name: 'native-bulk',
  description: 'COPY TO STDOUT piped into COPY FROM STDIN, bytes never decoded (pg-copy-streams)',

  supports(pair) {
    // An mssql source encodes its tedious row stream as PostgreSQL COPY text (engines/mssql.ts copyOut).
    return pair.target === 'postgres' && (pair.source === 'postgres' || pair.source === 'mssql')
      ? true
      : 'native-bulk needs a PostgreSQL target fed by COPY (PostgreSQL or SQL Server sources)';
  },

  async copyTask(ctx) {
    const { task, params } = ctx;
    return withSessions(ctx, async (source, target) => {
      if (!source.copyOut || !target.copyIn) throw new Error('native-bulk: an engine without COPY support');
      // Binary COPY exists only between PostgreSQL servers; from SQL Server the stream is COPY text.
      const format = source.engine !== 'postgres' && params.copyFormat === 'binary' ? 'text' : params.copyFormat;
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
      return { rows: sink.rows(), bytes };
    });
  },
};
