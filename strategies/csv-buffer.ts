import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { BenchError, describeError, throwIfAborted } from '../harness/base/errors.js';
import { rowBytes } from '../harness/base/memory-bounds.js';
import { CsvRowParser, encodeCsvRow } from './shared/csv.js';
import { InsertBatches } from './shared/insert-batches.js';
import { withSessions, type Strategy } from './strategy.js';

/**
 * The seeds' baseline, reproduced faithfully: read *all* of a task's rows into a CSV file on disk, and
 * only then rewind and INSERT them in batches of 1,000 rows. Nothing is written to the target until the
 * whole table has been read, and every row goes through CSV encoding and parsing on the way.
 * The file lives in the trial's spill directory (`--spill-dir`) and is removed after the task.
 */
export const csvBuffer: Strategy = {
  name: 'csv-buffer',
  description: 'buffer all rows to a CSV file on disk, then INSERT them in 1,000-row batches',
  defaultBatchSize: 1000,

  supports() {
    return true;
  },

  async copyTask(ctx) {
    const { task, params, signal } = ctx;
    const file = join(ctx.workDir, `${task.id.replace(/[^a-z0-9._-]+/gi, '_')}-${process.hrtime.bigint()}.csv`);
    try {
      return await withSessions(ctx, async (source, target) => {
        // Phase 1: buffer everything.
        const out = createWriteStream(file, { mode: 0o600 }); // table data: owner only
        // A write error (a full disk) must reach this task, not become an unhandled rejection (issue 16):
        // `failed` is awaited with every wait on the file, and always observed.
        const failed = new Promise<never>((_, reject) => out.on('error', (err) => reject(spillError(err, ctx.workDir))));
        failed.catch(() => undefined);
        let spilled = 0;
        let read = 0;
        try {
          for await (const batch of source.streamRows(task, params.batchSize)) {
            throwIfAborted(signal);
            let text = '';
            for (const row of batch) text += encodeCsvRow(row);
            spilled += Buffer.byteLength(text);
            read += batch.length;
            // Honour the file's backpressure: a full write buffer waits for the disk.
            if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
          }
          out.end();
          await Promise.race([once(out, 'close'), failed]);
        } finally {
          if (!out.closed) {
            out.destroy();
            await once(out, 'close').catch(() => undefined);
          }
        }

        // Phase 2: rewind and insert in batches.
        const parser = new CsvRowParser();
        const batches = new InsertBatches<(string | null)[]>(params.batchSize, async (rows) => {
          await target.insertRows(task, rows);
          ctx.progress(rows.length, 0);
        });
        for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
          throwIfAborted(signal);
          for (const row of parser.push(chunk as string)) await batches.add(row, rowBytes(row));
        }
        for (const row of parser.end()) await batches.add(row, rowBytes(row));
        await batches.flush();
        const written = batches.written;
        if (written !== read) throw new Error(`csv-buffer read ${read} rows but the spill file gave back ${written}`);
        return { rows: written, bytes: 0, counters: { spillBytes: spilled } };
      });
    } finally {
      await rm(file, { force: true });
    }
  },
};

/** A spill write failure as one line: which disk, and what to do. */
function spillError(err: Error & { code?: string }, dir: string): Error {
  // The spill directory is <--spill-dir>/bench-<pid>/trial-…: name the one the user chose.
  const chosen = dirname(dirname(dir));
  if (err.code === 'ENOSPC' || err.code === 'EDQUOT') {
    return new BenchError(`no space left on the spill disk (${chosen}): free space there, or pass --spill-dir on a disk that holds the largest table as CSV`, { cause: err });
  }
  return new BenchError(`could not write the spill file in ${chosen} (${describeError(err)}): pass --spill-dir with a writable directory`, { cause: err });
}
