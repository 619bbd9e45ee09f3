import { describe, expect, it } from 'vitest';
import { CsvRowParser, encodeCsvRow, toText } from '../../../strategies/shared/csv.js';

const nasty: (string | null)[] = [
  null,
  '',
  'plain',
  'tab\there',
  'new\nline',
  'crlf\r\nline',
  'quote " inside',
  '""',
  'comma, inside',
  'back\\slash \\N \\x00',
  '"starts and ends with quotes"',
  'unicode ☃ 😀 中文',
  ' leading and trailing spaces ',
];

function roundTrip(rows: (string | null)[][], chunkSize: number): (string | null)[][] {
  const text = rows.map(encodeCsvRow).join('');
  const parser = new CsvRowParser();
  const out: (string | null)[][] = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...parser.push(text.slice(i, i + chunkSize)));
  out.push(...parser.end());
  return out;
}

describe('csv-buffer spill format', () => {
  it('keeps NULL apart from the empty string and survives tabs, newlines, quotes and backslashes', () => {
    const rows = [nasty, [...nasty].reverse(), [null], [''], ['only']];
    // Every chunk boundary, including ones that split a doubled quote or a CR LF.
    for (const size of [1, 2, 3, 7, 64, 1 << 16]) expect(roundTrip(rows, size)).toEqual(rows);
  });

  it('writes NULL as an unquoted empty field and the empty string as ""', () => {
    expect(encodeCsvRow([null, '', 'a'])).toBe(',"",a\n');
  });

  it('turns binary data into the bytea hex form the target parses back', () => {
    expect(toText(Buffer.from([0, 1, 255]))).toBe('\\x0001ff');
    expect(roundTrip([[toText(Buffer.from([0, 10, 13, 34, 44]))]], 3)).toEqual([['\\x000a0d222c']]);
  });

  it('refuses a file cut inside a quoted field', () => {
    const p = new CsvRowParser();
    p.push('"unterminated');
    expect(() => p.end()).toThrow(/inside a quoted field/);
  });
});
