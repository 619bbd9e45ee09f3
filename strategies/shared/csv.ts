/**
 * CSV for the csv-buffer spill file, in PostgreSQL's CSV conventions: an unquoted empty field is NULL,
 * a quoted empty field ("") is the empty string, and any field holding a comma, quote, CR or LF is
 * quoted with quotes doubled. Values arrive as text; non-text values (Buffers, Dates, numbers from
 * other engines) are turned into text first by toText().
 */
export function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  // PostgreSQL's bytea hex form, which the target parses back into the same bytes.
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

const needsQuotes = /[",\r\n]/;

export function encodeCsvRow(row: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += ',';
    const text = toText(row[i]);
    if (text === null) continue;
    line += text === '' || needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }
  return `${line}\n`;
}

/**
 * A streaming CSV parser: feed it chunks in order, get complete rows back. Fields are split on commas
 * outside quotes; rows end at LF outside quotes (CR LF too). Keeps partial rows between chunks.
 */
export class CsvRowParser {
  private field = '';
  private row: (string | null)[] = [];
  private inQuotes = false;
  /** The current field was quoted at least once (so an empty one is "" and not NULL). */
  private quoted = false;
  /** Saw a quote inside quotes: either an escaped quote or the closing one. */
  private pendingQuote = false;

  push(chunk: string): (string | null)[][] {
    const rows: (string | null)[][] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (this.pendingQuote) {
        this.pendingQuote = false;
        if (ch === 34 /* " */) {
          // Doubled quote: a literal quote; stay inside the quoted field.
          this.field += '"';
          start = i + 1;
          continue;
        }
        this.inQuotes = false;
        start = i;
      }
      if (this.inQuotes) {
        if (ch === 34) {
          this.field += chunk.slice(start, i);
          this.pendingQuote = true;
          start = i + 1;
        }
        continue;
      }
      if (ch === 34) {
        this.field += chunk.slice(start, i);
        this.inQuotes = true;
        this.quoted = true;
        start = i + 1;
      } else if (ch === 44 /* , */) {
        this.endField(chunk.slice(start, i));
        start = i + 1;
      } else if (ch === 10 /* \n */) {
        let end = i;
        if (end > start && chunk.charCodeAt(end - 1) === 13) end--;
        this.endField(chunk.slice(start, end));
        rows.push(this.row);
        this.row = [];
        start = i + 1;
      }
    }
    if (!this.pendingQuote) this.field += chunk.slice(start);
    return rows;
  }

  /** Call at the end of input: a last row without a trailing newline is returned. */
  end(): (string | null)[][] {
    if (this.pendingQuote) {
      this.pendingQuote = false;
      this.inQuotes = false;
    }
    if (this.inQuotes) throw new Error('CSV spill file ends inside a quoted field');
    if (this.field === '' && !this.quoted && this.row.length === 0) return [];
    this.endField('');
    const last = this.row;
    this.row = [];
    return [last];
  }

  private endField(rest: string): void {
    const text = this.field + rest;
    this.row.push(text === '' && !this.quoted ? null : text);
    this.field = '';
    this.quoted = false;
  }
}
