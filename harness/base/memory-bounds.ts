import { BenchError } from './errors.js';

/**
 * How much table data bench holds in memory at once (issue 16: row strategies held batches bounded by
 * rows only, so one row with a 50 MB text and a 50 MB bytea ran the capped heap out of memory).
 *
 * Every batch of rows — a read from the source, a pipeline queue, an INSERT statement — ends at its row
 * count or at BATCH_BYTES, whichever comes first. A single row bigger than MAX_ROW_BYTES in its text
 * form is refused by the source read before it is sent (see postgres-sql.ts selectSql), so the trial
 * fails naming the table and the sizes instead of the process dying. Peak RSS with such data, measured
 * by test/faults/memory.test.ts, stays under the 256 MB bin/bench.js promises.
 */
export const BATCH_BYTES = 8 * 2 ** 20;

/**
 * The largest row a row strategy copies. On its way through bench a row exists about four times at
 * once: the protocol parser's buffer (which grows by doubling), the decoded strings, the INSERT's bind
 * message being built, and the socket's write buffer, on top of the process's ~70 MB base.
 */
export const MAX_ROW_BYTES = 8 * 2 ** 20;

/** The pipeline queue between reader and writer holds at most this many bytes of rows. */
export const QUEUE_BYTES = 2 * BATCH_BYTES;

/**
 * The size of a row as bench holds it, roughly: characters of text values (most are one byte each in
 * V8), bytes of binary values, 8 for anything else. Cheap enough for every row of the hot loop.
 */
export function rowBytes(row: readonly unknown[]): number {
  let n = 16;
  for (const v of row) {
    if (typeof v === 'string') n += v.length + 8;
    else if (v === null || v === undefined) n += 8;
    else if (Buffer.isBuffer(v)) n += v.length + 8;
    else n += 16;
  }
  return n;
}

/** Sizes already measured, so a batch measured by its reader is not measured again downstream. */
const measured = new WeakMap<object, number>();

export function batchBytes(rows: readonly (readonly unknown[])[]): number {
  let n = measured.get(rows);
  if (n === undefined) {
    n = 0;
    for (const r of rows) n += rowBytes(r);
    measured.set(rows, n);
  }
  return n;
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** A row the source refused to send because it is bigger than MAX_ROW_BYTES. */
export class RowTooLargeError extends BenchError {
  constructor(
    readonly bytes: number,
    readonly columns: readonly { name: string; bytes: number }[],
  ) {
    const widest = [...columns].sort((a, b) => b.bytes - a.bytes).filter((c) => c.bytes > 0).slice(0, 3);
    super(
      `a row of ${mebibytes(bytes)} in text form (${widest.map((c) => `${c.name} ${mebibytes(c.bytes)}`).join(', ')}) ` +
        `is over the ${mebibytes(MAX_ROW_BYTES)} a row strategy holds in memory: copy this table with -s native-bulk, or leave it out with --tables`,
    );
    this.name = 'RowTooLargeError';
  }
}
