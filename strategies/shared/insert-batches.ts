import { BATCH_BYTES } from '../../harness/base/memory-bounds.js';

/**
 * Rows gathered into INSERT statements for the row strategies: a statement ends at `--batch-size` rows
 * or before it would pass BATCH_BYTES, whichever comes first, so a table of wide rows never builds one
 * statement the size of the batch times its widest row.
 */
export class InsertBatches<Row> {
  private pending: Row[] = [];
  private pendingBytes = 0;
  /** Rows handed to `write` so far. */
  written = 0;

  constructor(
    private readonly batchSize: number,
    private readonly write: (rows: Row[]) => Promise<void>,
  ) {}

  async add(row: Row, bytes: number): Promise<void> {
    if (this.pending.length > 0 && this.pendingBytes + bytes > BATCH_BYTES) await this.flush();
    this.pending.push(row);
    this.pendingBytes += bytes;
    if (this.pending.length >= this.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    await this.write(rows);
    this.written += rows.length;
  }
}
