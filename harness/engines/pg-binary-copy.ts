import type { PortableType } from '../model/catalog.js';
import type { PgValue } from './mssql-types.js';

/**
 * PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary
 * Format"), written by bench for a source that is not PostgreSQL (SQL Server's row stream), so the target
 * skips parsing text. One job: values in the text form the converters produce (mssql-types.ts, already
 * rounded to PostgreSQL's precision) → the bytes of the target column's binary representation. The
 * target column is the one bench created from the portable type (postgres-ddl.ts pgTypeFor), so the
 * encoder is chosen by portable type: int16 → int2, decimal/money → numeric, timestamp → int8 µs, …
 *
 * Fields are written straight into one growing chunk (BinaryCopyWriter), not built as small Buffers and
 * concatenated: a first version that allocated per field cost bench ~13% more CPU than COPY text.
 */
export type FieldWriter = (w: BinaryCopyWriter, v: NonNullable<PgValue>) => void;

/** Signature, flags (no OIDs), header extension length 0. */
export const COPY_BINARY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** A field count of -1 ends the data. */
export const COPY_BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/** Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for date and timestamp. */
const PG_EPOCH_DAYS = 10_957;
const MICROS_PER_DAY = 86_400_000_000n;

/** Tuples appended into one buffer, grown by doubling; take() hands the bytes written so far out. */
export class BinaryCopyWriter {
  private buf: Buffer;
  private at = 0;

  constructor(capacity = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.at;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  int16(n: number): void {
    this.room(2);
    this.at = this.buf.writeInt16BE(n, this.at);
  }

  int32(n: number): void {
    this.room(4);
    this.at = this.buf.writeInt32BE(n, this.at);
  }

  /** Fixed-width fields: the length, then the value (no closure or Buffer per value: this is the hot path). */
  int2Field(n: number): void {
    this.room(6);
    this.at = this.buf.writeInt16BE(n, this.buf.writeInt32BE(2, this.at));
  }

  int4Field(n: number): void {
    this.room(8);
    this.at = this.buf.writeInt32BE(n, this.buf.writeInt32BE(4, this.at));
  }

  int8Field(n: bigint): void {
    this.room(12);
    this.at = this.buf.writeBigInt64BE(n, this.buf.writeInt32BE(8, this.at));
  }

  float4Field(n: number): void {
    this.room(8);
    this.at = this.buf.writeFloatBE(n, this.buf.writeInt32BE(4, this.at));
  }

  float8Field(n: number): void {
    this.room(12);
    this.at = this.buf.writeDoubleBE(n, this.buf.writeInt32BE(8, this.at));
  }

  boolField(b: boolean): void {
    this.room(5);
    this.at = this.buf.writeUInt8(b ? 1 : 0, this.buf.writeInt32BE(1, this.at));
  }

  uuidField(hex: string): void {
    this.room(20);
    this.at = this.buf.writeInt32BE(16, this.at);
    this.at += this.buf.write(hex, this.at, 16, 'hex');
  }

  text(s: string): void {
    const size = Buffer.byteLength(s, 'utf8');
    this.room(4 + size);
    this.at = this.buf.writeInt32BE(size, this.at);
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  /** Bytes as they are, with no length: the header and trailer. */
  raw(b: Buffer): void {
    this.room(b.length);
    this.at += b.copy(this.buf, this.at);
  }

  bytes(b: Buffer): void {
    this.room(4 + b.length);
    this.at = this.buf.writeInt32BE(b.length, this.at);
    this.at += b.copy(this.buf, this.at);
  }

  /** One tuple: the field count, then each field's length (-1 for NULL) and bytes. */
  row(values: readonly PgValue[], writers: readonly FieldWriter[]): void {
    this.int16(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) this.int32(-1);
      else writers[i]!(this, v);
    }
  }

  /** The bytes written since the last take(), copied out; the writer starts over. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.at));
    this.at = 0;
    return out;
  }
}

/** 'YYYY-MM-DD' → days since 1970-01-01 (years below 100 stay as written). */
function daysOf(text: string): number {
  const d = new Date(0);
  d.setUTCFullYear(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)));
  return Math.round(d.getTime() / 86_400_000);
}

/** 'HH:MM:SS[.ffffff]' → microseconds since midnight (24:00:00 is a valid time). */
function microsOf(text: string): number {
  const fraction = text.length > 8 ? Number(text.slice(9).padEnd(6, '0').slice(0, 6)) : 0;
  return ((Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5))) * 60 + Number(text.slice(6, 8))) * 1_000_000 + fraction;
}

/** 'YYYY-MM-DD HH:MM:SS[.ffffff][+00:00]' → microseconds since 2000-01-01 (the text is UTC when zoned). */
function timestampMicros(text: string): bigint {
  const time = text.slice(11).replace(/[+-]\d\d(:\d\d)?$/, '');
  return BigInt(daysOf(text.slice(0, 10)) - PG_EPOCH_DAYS) * MICROS_PER_DAY + BigInt(microsOf(time));
}

/**
 * numeric's binary form: ndigits, weight (of the first base-10,000 digit), sign, display scale, then the
 * base-10,000 digits, leading and trailing zero digits left out (numeric_send).
 */
export function numericBinary(text: string): Buffer {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^[-+]/, '').split('.');
  const intText = whole.replace(/^0+/, '');
  const groups: number[] = [];
  const intPadded = intText.padStart(Math.ceil(intText.length / 4) * 4, '0');
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  let weight = groups.length - 1;
  const fracPadded = fraction.padEnd(Math.ceil(fraction.length / 4) * 4, '0');
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  let start = 0;
  while (start < groups.length && groups[start] === 0) {
    start++;
    weight--;
  }
  let end = groups.length;
  while (end > start && groups[end - 1] === 0) end--;
  const digits = groups.slice(start, end);
  const out = Buffer.alloc(8 + 2 * digits.length);
  out.writeInt16BE(digits.length, 0);
  out.writeInt16BE(digits.length === 0 ? 0 : weight, 2);
  out.writeUInt16BE(negative && digits.length > 0 ? 0x4000 : 0, 4);
  out.writeInt16BE(fraction.length, 6);
  digits.forEach((d, i) => out.writeInt16BE(d, 8 + 2 * i));
  return out;
}

const JSONB_VERSION = Buffer.from([1]);

/** The writer for a column bench created from this portable type; undefined for types it cannot write. */
export function binaryWriterFor(p: PortableType): FieldWriter | undefined {
  switch (p.kind) {
    case 'int16': return (w, v) => w.int2Field(Number(v));
    case 'int32': return (w, v) => w.int4Field(Number(v));
    case 'int64': return (w, v) => w.int8Field(BigInt(v as string | number));
    case 'bool': return (w, v) => w.boolField(v === true || v === 't');
    case 'float32': return (w, v) => w.float4Field(Number(v));
    case 'float64': return (w, v) => w.float8Field(Number(v));
    case 'decimal':
    case 'money':
      return (w, v) => w.bytes(numericBinary(String(v)));
    case 'date': return (w, v) => w.int4Field(daysOf(String(v)) - PG_EPOCH_DAYS);
    case 'time': return (w, v) => w.int8Field(BigInt(microsOf(String(v))));
    case 'timestamp':
    case 'timestamptz':
      return (w, v) => w.int8Field(timestampMicros(String(v)));
    case 'uuid': return (w, v) => w.uuidField(String(v).replace(/-/g, ''));
    case 'binary': return (w, v) => (Buffer.isBuffer(v) ? w.bytes(v) : w.text(String(v)));
    case 'text':
    case 'xml':
      // text, varchar, bpchar and xml receive the characters in UTF-8.
      return (w, v) => w.text(String(v));
    case 'json':
      // jsonb (json maps to it) wants a version byte first.
      return (w, v) => w.bytes(Buffer.concat([JSONB_VERSION, Buffer.from(String(v), 'utf8')]));
    default:
      return undefined;
  }
}
