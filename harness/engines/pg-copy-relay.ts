import { Readable, Writable } from 'node:stream';
import type pg from 'pg';

/**
 * A PostgreSQL → PostgreSQL COPY relay that forwards the source's CopyData messages to the target as
 * they arrived, headers and all, instead of taking each row out of its message and wrapping it again.
 *
 * Why: `COPY … TO STDOUT` sends one CopyData message ('d', int32 length, payload) per row, and
 * `COPY … FROM STDIN` expects exactly the same messages from the client (protocol-flow.html, "COPY
 * Operations"). pg-copy-streams parses every message into a payload and frames each chunk again, which
 * costs bench about half a core at 200 MB/s (issue 13: `psql | psql` moved bytes faster). Here each
 * socket read is scanned only for message boundaries (a 5-byte header per row, jumped over) and
 * forwarded as one slice of the same buffer: no payload is copied, parsed or re-framed. The stream the
 * target reads is byte for byte the stream the source wrote, minus the CopyOutResponse before it and
 * the CopyDone after it.
 */

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'
/** Big reads and writes: the relay's cost is per chunk, so fewer, larger chunks. */
const HIGH_WATER_MARK = 1 << 20;

/** The socket and the pg internals a Submittable query is handed (pg's Connection). */
interface PgConnection {
  readonly stream: import('node:net').Socket;
  query(text: string): void;
  sendCopyFail(message: string): void;
}

const rowCountOf = (msg: { text?: string } | undefined): number | undefined => {
  const m = /COPY (\d+)/.exec(msg?.text ?? '');
  return m ? Number(m[1]) : undefined;
};

/**
 * `COPY … TO STDOUT` whose readable side yields the raw CopyData messages (framed), ready to be written
 * to a target in COPY IN. rowCount is the server's `COPY n` once the stream has ended.
 */
export class CopyOutRelay extends Readable {
  rowCount = 0;
  /** Bytes forwarded (CopyData messages, headers included). */
  bytes = 0;
  private connection: PgConnection | undefined;
  private pgDataHandler: ((chunk: Buffer) => void) | undefined;
  private readonly onReadable = () => this.pump();
  private wanted = false;
  private pumping = false;
  /** Bytes of the current message body still to come. */
  private remaining = 0;
  /** Whether the current message is CopyData (forwarded) or another one (skipped). */
  private forwarding = false;
  /** An incomplete message header from the end of the previous read. */
  private leftover: Buffer | undefined;
  private finished = false;

  constructor(
    private readonly text: string,
    /** Told of every slice forwarded, for progress (called per socket read, not per row). */
    private readonly onBytes?: (bytes: number) => void,
  ) {
    super({ highWaterMark: HIGH_WATER_MARK });
  }

  /** Called by pg when this query's turn comes: take the socket over, as pg-copy-streams does. */
  submit(connection: PgConnection): void {
    this.connection = connection;
    const stream = connection.stream;
    const listeners = stream.listeners('data');
    if (listeners.length !== 1) throw new Error(`COPY relay: expected pg's one data listener on the socket, found ${listeners.length}`);
    this.pgDataHandler = listeners[0] as unknown as (chunk: Buffer) => void;
    stream.removeListener('data', this.pgDataHandler);
    stream.pause();
    stream.on('readable', this.onReadable);
    connection.query(this.text);
  }

  override _read(): void {
    this.wanted = true;
    this.pump();
  }

  private pump(): void {
    if (this.pumping || !this.wanted || !this.connection || this.finished) return;
    this.pumping = true;
    let chunk: Buffer | null;
    while (this.wanted && !this.finished && (chunk = this.connection.stream.read() as Buffer | null) !== null) this.wanted = this.scan(chunk);
    this.pumping = false;
  }

  /** Finds the message boundaries in one read and forwards the CopyData runs; false when the reader is full. */
  private scan(input: Buffer): boolean {
    const chunk = this.leftover ? Buffer.concat([this.leftover, input]) : input;
    this.leftover = undefined;
    const n = chunk.length;
    let pos = 0;
    let runStart = -1;
    let room = true;
    const flush = (end: number) => {
      if (runStart >= 0 && end > runStart) {
        this.bytes += end - runStart;
        this.onBytes?.(end - runStart);
        room = this.push(chunk.subarray(runStart, end)) && room;
      }
      runStart = -1;
    };
    while (pos < n) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, n - pos);
        if (this.forwarding && runStart < 0) runStart = pos;
        pos += take;
        this.remaining -= take;
        continue;
      }
      if (n - pos < 5) {
        flush(pos);
        this.leftover = Buffer.from(chunk.subarray(pos));
        return room;
      }
      const code = chunk[pos]!;
      const length = chunk.readUInt32BE(pos + 1);
      if (code === COPY_DATA) {
        if (runStart < 0) runStart = pos;
        this.forwarding = true;
        this.remaining = length - 4;
        pos += 5;
        continue;
      }
      flush(pos);
      if (code === ERROR_RESPONSE) {
        // pg parses the error and fails the query through handleError.
        this.detach(chunk.subarray(pos));
        return false;
      }
      if (code === COPY_DONE) {
        this.detach(chunk.subarray(pos + 1 + length));
        this.push(null);
        return false;
      }
      // CopyOutResponse before the data, or a NoticeResponse / ParameterStatus between rows: not data.
      this.forwarding = false;
      this.remaining = length - 4;
      pos += 5;
    }
    flush(pos);
    return room;
  }

  /** Gives the socket back to pg with what is left of this read (CommandComplete, ReadyForQuery, or an error). */
  private detach(rest: Buffer): void {
    this.finished = true;
    const connection = this.connection!;
    const stream = connection.stream;
    stream.removeListener('readable', this.onReadable);
    stream.on('data', this.pgDataHandler!);
    if (rest.length > 0) this.pgDataHandler!(rest);
    process.nextTick(() => stream.resume());
  }

  handleCommandComplete(msg: { text?: string }): void {
    this.rowCount = rowCountOf(msg) ?? this.rowCount;
  }

  handleReadyForQuery(): void {}

  handleError(err: Error): void {
    if (!this.finished) this.detach(Buffer.alloc(0));
    this.destroy(err);
  }
}

/**
 * `COPY … FROM STDIN` whose writable side takes CopyData messages already framed (a CopyOutRelay's
 * output) and writes them to the socket untouched. `rowCount` is the server's `COPY n` once it finished.
 */
export class CopyInRelay extends Writable {
  rowCount = 0;
  private connection: PgConnection | undefined;
  private ready = false;
  private waiting: (() => void) | undefined;
  private onDone: ((err?: Error | null) => void) | undefined;
  private failure: Error | undefined;

  constructor(private readonly text: string) {
    super({ highWaterMark: HIGH_WATER_MARK });
  }

  submit(connection: PgConnection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  /** pg's query timeout hook: defined so pg can find it. */
  callback(): void {}

  handleCopyInResponse(): void {
    this.ready = true;
    const go = this.waiting;
    this.waiting = undefined;
    go?.();
  }

  private whenReady(fn: () => void): void {
    if (this.ready) fn();
    else this.waiting = fn;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.whenReady(() => {
      if (this.failure) return cb(this.failure);
      const stream = this.connection!.stream;
      if (stream.write(chunk)) cb();
      else stream.once('drain', () => cb());
    });
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    this._write(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk)), 'binary', cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.whenReady(() => {
      if (this.failure) return cb(this.failure);
      this.onDone = cb;
      this.connection!.stream.write(Buffer.from([COPY_DONE, 0, 0, 0, 4]));
    });
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // The copy failed on the other side or was aborted: CopyFail rolls the COPY back, and the server's
    // ErrorResponse then reaches handleError.
    if (this.ready && !this.failure && this.connection && !this.onDone) this.connection.sendCopyFail(err?.message ?? 'bench: copy aborted');
    cb(err);
  }

  handleCommandComplete(msg: { text?: string }): void {
    this.rowCount = rowCountOf(msg) ?? this.rowCount;
  }

  handleReadyForQuery(): void {
    const done = this.onDone;
    this.onDone = undefined;
    done?.();
  }

  handleError(err: Error): void {
    this.failure = err;
    const done = this.onDone;
    this.onDone = undefined;
    if (done) done(err);
    else if (!this.ready) {
      this.ready = true; // nothing will be sent: let a pending write fail with the error
      const go = this.waiting;
      this.waiting = undefined;
      go?.();
      this.destroy(err);
    } else this.destroy(err);
  }
}

/** Submits a relay on a pg client (pg accepts any object with submit()). */
export function submitRelay<T extends CopyOutRelay | CopyInRelay>(client: pg.ClientBase, relay: T): T {
  return client.query(relay as unknown as pg.Submittable) as unknown as T;
}
