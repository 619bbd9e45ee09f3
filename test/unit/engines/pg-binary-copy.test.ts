import { describe, expect, it } from 'vitest';
import type { PortableType } from '../../../harness/model/catalog.js';
import { BinaryCopyWriter, binaryWriterFor, COPY_BINARY_HEADER, numericBinary } from '../../../harness/engines/pg-binary-copy.js';

/** One value written as a field, without its length. */
function field(p: PortableType, v: string | number | boolean): Buffer {
  const w = new BinaryCopyWriter(4);
  binaryWriterFor(p)!(w, v);
  return w.take().subarray(4);
}

/** numeric_send's fields: ndigits, weight, sign, dscale, then the base-10,000 digits. */
function numericFields(text: string): number[] {
  const b = numericBinary(text);
  const out = [b.readInt16BE(0), b.readInt16BE(2), b.readUInt16BE(4), b.readInt16BE(6)];
  for (let i = 8; i < b.length; i += 2) out.push(b.readInt16BE(i));
  return out;
}

describe('PostgreSQL binary COPY encoding', () => {
  it('writes numeric as base-10,000 digits around the decimal point, zero digits left out', () => {
    expect(numericFields('12345.6789')).toEqual([3, 1, 0, 4, 1, 2345, 6789]);
    expect(numericFields('-0.0001')).toEqual([1, -1, 0x4000, 4, 1]);
    expect(numericFields('10000')).toEqual([1, 1, 0, 0, 1]);
    expect(numericFields('-0.00')).toEqual([0, 0, 0, 2]);
    expect(numericFields('0')).toEqual([0, 0, 0, 0]);
    expect(numericFields('922337203685477.5807')).toEqual([5, 3, 0, 4, 922, 3372, 368, 5477, 5807]);
  });

  it('writes dates, times and timestamps from PostgreSQL epoch 2000-01-01 in days and microseconds', () => {
    expect(field({ kind: 'date' }, '2000-01-02').readInt32BE(0)).toBe(1);
    expect(field({ kind: 'date' }, '0001-01-01').readInt32BE(0)).toBe(-730_119);
    expect(field({ kind: 'time' }, '24:00:00').readBigInt64BE(0)).toBe(86_400_000_000n);
    expect(field({ kind: 'time' }, '00:00:01.5').readBigInt64BE(0)).toBe(1_500_000n);
    expect(field({ kind: 'timestamp' }, '1999-12-31 23:59:59.999999').readBigInt64BE(0)).toBe(-1n);
    expect(field({ kind: 'timestamptz' }, '2000-01-01 00:00:01+00:00').readBigInt64BE(0)).toBe(1_000_000n);
  });

  it('refuses what it cannot parse exactly, naming the value, instead of guessing (issue 17)', () => {
    for (const bad of [' 1.5000    ', '1.5000 ', '14,2857', '1e3', '', '-', '1.2.3', '0x10', 'abc']) {
      expect(() => numericBinary(bad), bad).toThrow(/is not a decimal number/);
    }
    expect(() => numericBinary('1.23456', 10, 4)).toThrow("'1.23456' has more than 4 decimal places");
    expect(() => numericBinary('1234567', 10, 4)).toThrow("'1234567' does not fit numeric(10,4)");
    const bad: [PortableType, string | number | boolean, RegExp][] = [
      [{ kind: 'int16' }, 40000, /is not an int2/],
      [{ kind: 'int32' }, '12abc', /is not an int4/],
      [{ kind: 'int32' }, 1.5, /is not an int4/],
      [{ kind: 'int64' }, '9223372036854775808', /is not an int8/],
      [{ kind: 'bool' }, 'yes', /is not a boolean/],
      [{ kind: 'float64' }, '3,14', /is not a float8/],
      [{ kind: 'money' }, ' 1.5000    ', /' 1\.5000    ' is not a decimal number/],
      [{ kind: 'decimal', precision: 5, scale: 2 }, '1.005', /has more than 2 decimal places/],
      [{ kind: 'date' }, '2024-02-30', /is not a day of the calendar/],
      [{ kind: 'date' }, '24-02-03', /is not a date/],
      [{ kind: 'time' }, '25:00:00', /is not a time of day/],
      [{ kind: 'timestamp' }, '2024-01-01T00:00:00', /is not a timestamp/],
      [{ kind: 'timestamptz' }, '2024-01-01 24:00:00+00:00', /its time is past/],
      [{ kind: 'uuid' }, '6f9619ff-8b86-d011-b42d', /is not a uuid/],
      [{ kind: 'binary' }, 'cafe', /is not binary data/],
      [{ kind: 'text' }, 42, /is not text/],
    ];
    for (const [p, v, message] of bad) expect(() => field(p, v), `${p.kind} ${String(v)}`).toThrow(message);
    // An offset is applied, not dropped.
    expect(field({ kind: 'timestamptz' }, '2000-01-01 01:00:00+01:00').readBigInt64BE(0)).toBe(0n);
  });

  it('takes a refused row back whole, naming the column index', () => {
    const w = new BinaryCopyWriter(64);
    w.row([1], [binaryWriterFor({ kind: 'int32' })!]);
    const before = w.length;
    expect(() => w.row([2, 'x'], [binaryWriterFor({ kind: 'int32' })!, binaryWriterFor({ kind: 'int32' })!])).toThrow(expect.objectContaining({ index: 1 }));
    expect(w.length).toBe(before);
  });

  it('frames a tuple with its field count, lengths and -1 for NULL, growing its buffer as needed', () => {
    const w = new BinaryCopyWriter(4);
    w.row([7, null, 'é', '6f9619ff-8b86-d011-b42d-00c04fc964ff'], [binaryWriterFor({ kind: 'int32' })!, binaryWriterFor({ kind: 'int64' })!, binaryWriterFor({ kind: 'text' })!, binaryWriterFor({ kind: 'uuid' })!]);
    expect(w.take().toString('hex')).toBe('0004' + '00000004' + '00000007' + 'ffffffff' + '00000002' + 'c3a9' + '00000010' + '6f9619ff8b86d011b42d00c04fc964ff');
    expect(w.length).toBe(0);
    expect(COPY_BINARY_HEADER.toString('hex')).toBe('5047434f50590aff0d0a00' + '00000000' + '00000000');
  });
});
