/**
 * TEST SERVER CODE (not part of bench): the inbound half of tds-types.ts — TYPE_INFO and values as a
 * client sends them in RPC parameters and in a BULK_LOAD message's COLMETADATA and ROW tokens
 * (MS-TDS 2.2.5.4–2.2.5.6), checked against tedious 19's lib/data-types/*.js generateTypeInfo,
 * generateParameterLength and generateParameterData. Values come out in the server's value model
 * (tds-types.ts SqlValue) for the type the client declared; tds-convert.ts then converts them to the
 * column's type.
 *
 * A bulk load arrives packet by packet and a row may straddle packets, so every read checks that
 * its bytes are there and throws NeedMore (with the length the buffer must reach) when they are not:
 * the caller keeps the bytes and retries the row once enough have come.
 */
import iconv from 'iconv-lite';
import { SqlError } from './tds-sql.js';
import { DAYS_1900, datetimeUnitsToTicks, type SqlType, type SqlValue } from './tds-types.js';

/** Not an Error: one is thrown per packet boundary inside a row, and a stack trace would be wasted work. */
export class NeedMore {
  constructor(readonly upTo: number) {}
}

export class ByteReader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new NeedMore(this.pos + n);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  i16(): number {
    this.need(2);
    const v = this.buf.readInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  uint(n: number): number {
    this.need(n);
    const v = this.buf.readUIntLE(this.pos, n);
    this.pos += n;
    return v;
  }

  /** A copy: values outlive the packet buffers they were read from. */
  bytes(n: number): Buffer {
    this.need(n);
    const v = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return v;
  }

  /** No copy: for bytes read at once into a number or text. */
  view(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  ucs2(chars: number): string {
    this.need(chars * 2);
    const v = this.buf.toString('utf16le', this.pos, this.pos + chars * 2);
    this.pos += chars * 2;
    return v;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }
}

/** A column or parameter type as it travels: the TDS type id, its length field, and the SQL type. */
export interface WireType {
  readonly id: number;
  /** The TYPE_INFO length: value bytes for the …N types, maximum bytes for the variable ones (0xffff: max, PLP). */
  readonly size: number;
  readonly type: SqlType;
}

const INTN: Record<number, string> = { 1: 'tinyint', 2: 'smallint', 4: 'int', 8: 'bigint' };
/** Fixed-length types (no length byte before the value): type id → [bytes, SQL type]. */
const FIXED: Record<number, [number, string]> = {
  0x30: [1, 'tinyint'], 0x34: [2, 'smallint'], 0x38: [4, 'int'], 0x7f: [8, 'bigint'], 0x32: [1, 'bit'],
  0x3b: [4, 'real'], 0x3e: [8, 'float'], 0x7a: [4, 'smallmoney'], 0x3c: [8, 'money'],
  0x3a: [4, 'smalldatetime'], 0x3d: [8, 'datetime'],
};

function unsupported(id: number): SqlError {
  return new SqlError(`test server: TDS type 0x${id.toString(16)} is not implemented`, 50000);
}

/** TYPE_INFO (MS-TDS 2.2.5.6). */
export function readTypeInfo(r: ByteReader): WireType {
  const id = r.u8();
  const fixed = FIXED[id];
  if (fixed) return { id, size: fixed[0], type: { name: fixed[1] } };
  switch (id) {
    case 0x26: {
      const size = r.u8();
      const name = INTN[size];
      if (!name) throw unsupported(id);
      return { id, size, type: { name } };
    }
    case 0x68: return { id, size: r.u8(), type: { name: 'bit' } };
    case 0x6d: {
      const size = r.u8();
      return { id, size, type: size === 4 ? { name: 'real' } : { name: 'float', precision: 53 } };
    }
    case 0x6e: {
      const size = r.u8();
      return { id, size, type: size === 4 ? { name: 'smallmoney', precision: 10, scale: 4 } : { name: 'money', precision: 19, scale: 4 } };
    }
    case 0x6f: {
      const size = r.u8();
      return { id, size, type: size === 4 ? { name: 'smalldatetime', scale: 0 } : { name: 'datetime', scale: 3 } };
    }
    case 0x6a:
    case 0x6c: {
      const size = r.u8();
      const precision = r.u8();
      const scale = r.u8();
      return { id, size, type: { name: id === 0x6a ? 'decimal' : 'numeric', precision, scale } };
    }
    case 0x28: return { id, size: 3, type: { name: 'date' } };
    case 0x29:
    case 0x2a:
    case 0x2b: {
      const scale = r.u8();
      const name = id === 0x29 ? 'time' : id === 0x2a ? 'datetime2' : 'datetimeoffset';
      return { id, size: 0, type: { name, scale } };
    }
    case 0x24: return { id, size: r.u8(), type: { name: 'uniqueidentifier' } };
    case 0xa7:
    case 0xaf:
    case 0xe7:
    case 0xef: {
      const size = r.u16();
      r.skip(5); // collation: the test server has one (code page 1252)
      const unicode = id === 0xe7 || id === 0xef;
      const name = id === 0xa7 ? 'varchar' : id === 0xaf ? 'char' : id === 0xe7 ? 'nvarchar' : 'nchar';
      return { id, size, type: { name, length: size === 0xffff ? -1 : unicode ? size / 2 : size } };
    }
    case 0xa5:
    case 0xad: {
      const size = r.u16();
      return { id, size, type: { name: id === 0xa5 ? 'varbinary' : 'binary', length: size === 0xffff ? -1 : size } };
    }
    case 0x23:
    case 0x63: {
      const size = r.i32();
      r.skip(5);
      return { id, size, type: { name: id === 0x23 ? 'text' : 'ntext' } };
    }
    case 0x22: return { id, size: r.i32(), type: { name: 'image' } };
    default:
      throw unsupported(id);
  }
}

const PLP_NULL = 0xffffffffffffffffn;

/** Partially length-prefixed data: total length (or UNKNOWN, 0x…fe, as tedious sends), chunks, a zero terminator. */
function readPlp(r: ByteReader): Buffer | null {
  if (r.u64() === PLP_NULL) return null;
  const chunks: Buffer[] = [];
  for (let n = r.u32(); n > 0; n = r.u32()) chunks.push(r.view(n));
  // Buffer.concat copies; a single chunk is a view, copied by the caller if it keeps bytes.
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function text(w: WireType, data: Buffer): string {
  if (w.id !== 0xe7 && w.id !== 0xef && w.id !== 0x63) return iconv.decode(data, 'cp1252');
  // UTF-16 comes in 2-byte units; an odd count is not Unicode data (Buffer would drop the last byte).
  if (data.length % 2 !== 0) {
    throw new SqlError(`The incoming tabular data stream (TDS) protocol stream is incorrect: a Unicode (${w.type.name}) value of ${data.length} bytes.`, 4002);
  }
  return data.toString('utf16le');
}

export function guidText(b: Buffer): string {
  // The first three groups travel little-endian (tedious's guid-parser guidToArray).
  const x = b.toString('hex');
  const at = (i: number) => x.slice(i * 2, i * 2 + 2);
  return `${at(3)}${at(2)}${at(1)}${at(0)}-${at(5)}${at(4)}-${at(7)}${at(6)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function magnitude(b: Buffer): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/**
 * One value of type `w`. `textPointers`: in ROW tokens (bulk load) text, ntext and image values carry
 * a text pointer and timestamp first (a zero pointer length is NULL); RPC parameters do not.
 */
export function readValue(r: ByteReader, w: WireType, textPointers: boolean): SqlValue {
  const fixed = FIXED[w.id] !== undefined;
  switch (w.type.name) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint': {
      const len = fixed ? w.size : r.u8();
      if (len === 0) return null;
      if (len === 8) {
        const lo = BigInt(r.u32());
        const hi = BigInt(r.i32());
        return (hi << 32n) | lo;
      }
      // tinyint is unsigned; smallint and int are signed.
      return BigInt(len === 1 ? r.u8() : len === 2 ? r.i16() : r.i32());
    }
    case 'bit': {
      const len = fixed ? 1 : r.u8();
      return len === 0 ? null : r.u8() !== 0;
    }
    case 'real':
    case 'float': {
      const len = fixed ? w.size : r.u8();
      if (len === 0) return null;
      const b = r.view(len);
      return len === 4 ? b.readFloatLE(0) : b.readDoubleLE(0);
    }
    case 'money':
    case 'smallmoney': {
      const len = fixed ? w.size : r.u8();
      if (len === 0) return null;
      if (len === 4) return BigInt(r.i32());
      // money is two 32-bit halves, the high (signed) one first.
      const hi = BigInt(r.i32());
      return (hi << 32n) | BigInt(r.u32());
    }
    case 'datetime':
    case 'smalldatetime': {
      const len = fixed ? w.size : r.u8();
      if (len === 0) return null;
      if (len === 4) {
        const days = r.u16();
        return { days: DAYS_1900 + days, ticks: r.u16() * 600_000_000 };
      }
      const days = r.i32();
      return { days: DAYS_1900 + days, ticks: datetimeUnitsToTicks(r.u32()) };
    }
    case 'decimal':
    case 'numeric': {
      const len = r.u8();
      if (len === 0) return null;
      const positive = r.u8() === 1;
      const v = magnitude(r.view(len - 1));
      return positive ? v : -v;
    }
    case 'date': {
      const len = r.u8();
      return len === 0 ? null : r.uint(3);
    }
    case 'time':
    case 'datetime2':
    case 'datetimeoffset': {
      const len = r.u8();
      if (len === 0) return null;
      const extra = w.type.name === 'time' ? 0 : w.type.name === 'datetime2' ? 3 : 5;
      const ticks = r.uint(len - extra) * 10 ** (7 - (w.type.scale ?? 7));
      if (w.type.name === 'time') return ticks;
      const days = r.uint(3);
      // datetimeoffset: the UTC date and time, then the offset in minutes.
      return w.type.name === 'datetime2' ? { days, ticks } : { days, ticks, offset: r.i16() };
    }
    case 'uniqueidentifier': {
      const len = r.u8();
      return len === 0 ? null : guidText(r.view(16));
    }
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
    case 'binary':
    case 'varbinary': {
      let data: Buffer | null;
      if (w.size === 0xffff) data = readPlp(r);
      else {
        const len = r.u16();
        data = len === 0xffff ? null : r.view(len);
      }
      if (data === null) return null;
      return w.type.name === 'binary' || w.type.name === 'varbinary' ? Buffer.from(data) : text(w, data);
    }
    case 'text':
    case 'ntext':
    case 'image': {
      if (textPointers) {
        const pointer = r.u8();
        if (pointer === 0) return null;
        r.skip(pointer + 8); // text pointer, timestamp
      }
      const len = r.i32();
      if (len < 0) return null;
      const data = r.view(len);
      return w.type.name === 'image' ? Buffer.from(data) : text(w, data);
    }
    default:
      throw unsupported(w.id);
  }
}
