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
    return pair.source === 'postgres' && pair.target === 'postgres'
      ? true
      : 'native-bulk needs COPY on both sides (PostgreSQL to PostgreSQL)';
  },

  async copyTask(ctx) {
    const { task, params } = ctx;
    return withSessions(ctx, async (source, target) => {
      if (!source.copyOut || !target.copyIn) throw new Error('native-bulk: an engine without COPY support');
      const out = source.copyOut(task, params.copyFormat);
      const sink = target.copyIn(task, params.copyFormat);
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
