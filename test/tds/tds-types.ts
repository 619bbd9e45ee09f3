/**
 * TEST SERVER CODE (not part of bench): SQL Server data types for the TDS test server — their value
 * model, parsing from text, TYPE_INFO and value encodings (MS-TDS 2.2.5.4–2.2.5.5, checked against
 * tedious 19's lib/metadata-parser.js and lib/value-parser.js), and the conversions (CAST, CONVERT,
 * comparison) that the queries bench sends need, done the way SQL Server does them.
 */
import iconv from 'iconv-lite';
import { SqlError } from './tds-tokens.js';

export interface SqlType {
  readonly name: string;
  /** Characters for (n)char/(n)varchar, bytes for binary types; -1 for max. */
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
}

/** Days since 0001-01-01 and 100 ns ticks since midnight; for datetimeoffset the UTC instant plus offset minutes. */
export interface DateTimeValue {
  readonly days: number;
  readonly ticks: number;
  readonly offset?: number;
}

/**
 * Values as the test server holds them: bigint for integers and for decimal/money (unscaled, at the
 * type's scale), number for floats, days for date, ticks for time, DateTimeValue for the date-times,
 * string for character types, xml and uniqueidentifier (lower case), Buffer for binary types.
 */
export type SqlValue = null | bigint | boolean | number | string | Buffer | DateTimeValue;

export const TICKS_PER_DAY = 864_000_000_000;
const MS_0001 = -62135596800000;
/** SQL_Latin1_General_CP1_CI_AS: LCID 0x0409, sort id 52 → code page 1252. */
export const COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

export function parseType(text: string): SqlType {
  const m = /^\s*([a-z_0-9]+)\s*(?:\(\s*(max|\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i.exec(text);
  if (!m) throw new Error(`test server: bad type ${text}`);
  const name = m[1]!.toLowerCase();
  const a = m[2]?.toLowerCase();
  const b = m[3];
  switch (name) {
    case 'decimal':
    case 'numeric':
      return { name, precision: a ? Number(a) : 18, scale: b ? Number(b) : 0 };
    case 'money': return { name, precision: 19, scale: 4 };
    case 'smallmoney': return { name, precision: 10, scale: 4 };
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return { name, scale: a ? Number(a) : 7 };
    case 'datetime': return { name, scale: 3 };
    case 'smalldatetime': return { name, scale: 0 };
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
    case 'binary':
    case 'varbinary':
      return { name, length: a === 'max' ? -1 : a ? Number(a) : 1 };
    case 'float':
      return { name, precision: a && Number(a) <= 24 ? 24 : 53 };
    default:
      return { name };
  }
}

export function typeText(t: SqlType): string {
  if (t.length !== undefined) return `${t.name}(${t.length === -1 ? 'max' : t.length})`;
  if (t.name === 'decimal' || t.name === 'numeric') return `${t.name}(${t.precision},${t.scale})`;
  if (t.name === 'time' || t.name === 'datetime2' || t.name === 'datetimeoffset') return `${t.name}(${t.scale})`;
  return t.name;
}

const INTEGER = new Set(['tinyint', 'smallint', 'int', 'bigint']);
const DECIMAL = new Set(['decimal', 'numeric', 'money', 'smallmoney']);
const UNICODE = new Set(['nchar', 'nvarchar', 'ntext', 'xml', 'sysname']);
const CHARS = new Set(['char', 'varchar', 'text', 'nchar', 'nvarchar', 'ntext', 'xml', 'sysname']);
const BINARY = new Set(['binary', 'varbinary', 'image', 'timestamp']);
const DATETIMES = new Set(['datetime', 'datetime2', 'smalldatetime', 'datetimeoffset']);

export const isInteger = (t: SqlType) => INTEGER.has(t.name);
export const isDecimal = (t: SqlType) => DECIMAL.has(t.name);
export const isChars = (t: SqlType) => CHARS.has(t.name);
export const isUnicode = (t: SqlType) => UNICODE.has(t.name);
export const isBinary = (t: SqlType) => BINARY.has(t.name);
export const isDateTime = (t: SqlType) => DATETIMES.has(t.name);
export const scaleOf = (t: SqlType) => t.scale ?? 0;

// ---------------------------------------------------------------- text → value

export function daysOf(y: number, m: number, d: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  date.setUTCHours(0, 0, 0, 0);
  return Math.round((date.getTime() - MS_0001) / 86_400_000);
}

export function dateOfDays(days: number): { y: number; m: number; d: number } {
  const date = new Date(MS_0001 + days * 86_400_000);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

function ticksOf(time: string): number {
  const m = /^(\d{1,2}):(\d\d)(?::(\d\d)(?:\.(\d{1,7}))?)?$/.exec(time);
  if (!m) throw new Error(`test server: bad time ${time}`);
  const frac = (m[4] ?? '').padEnd(7, '0');
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 10_000_000 + Number(frac);
}

/** Days from 0001-01-01 to 1900-01-01: the epoch of datetime and smalldatetime on the wire. */
export const DAYS_1900 = daysOf(1900, 1, 1);

/**
 * datetime keeps 1/300 s: ticks rounded to that unit, then to the millisecond SQL Server shows
 * (.xx0, .xx3, .xx7), so that encodeValue's Math.round(ticks * 3 / 100_000) gives the unit back.
 */
export function datetimeTicks(ticks: number): number {
  return datetimeUnitsToTicks(Math.round((ticks * 3) / 100_000));
}

export function datetimeUnitsToTicks(units: number): number {
  return Math.round((units * 10) / 3) * 10_000;
}

/** Half-up rounding of ticks to a scale (SQL Server's conversion to a smaller fractional precision). */
export function roundTicks(ticks: number, scale: number): number {
  const unit = 10 ** (7 - scale);
  return Math.floor((ticks + unit / 2) / unit) * unit;
}

export function normaliseDateTime(days: number, ticks: number, scale: number, offset?: number): DateTimeValue {
  let t = roundTicks(ticks, scale);
  let d = days;
  while (t >= TICKS_PER_DAY) {
    t -= TICKS_PER_DAY;
    d += 1;
  }
  while (t < 0) {
    t += TICKS_PER_DAY;
    d -= 1;
  }
  return offset === undefined ? { days: d, ticks: t } : { days: d, ticks: t, offset };
}

/** Decimal text → unscaled bigint at `scale`, rounding half away from zero. */
export function parseDecimal(text: string, scale: number): bigint {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m) throw new Error(`test server: bad number ${text}`);
  const frac = m[3] ?? '';
  let digits = BigInt((m[2] || '0') + frac.padEnd(scale, '0').slice(0, scale));
  if (frac.length > scale && Number(frac[scale]) >= 5) digits += 1n;
  return m[1] === '-' ? -digits : digits;
}

/** Values written the way SQL Server's own literals look (the fixtures use these). */
export function parseValue(t: SqlType, text: string | null): SqlValue {
  if (text === null) return null;
  if (isInteger(t)) return BigInt(text);
  if (isDecimal(t)) return parseDecimal(text, scaleOf(t));
  switch (t.name) {
    case 'bit':
      return text === '1' || text.toLowerCase() === 'true';
    case 'real':
      return Math.fround(Number(text));
    case 'float':
      return Number(text);
    case 'date': {
      const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(text.trim());
      if (!m) throw new Error(`test server: bad date ${text}`);
      return daysOf(Number(m[1]), Number(m[2]), Number(m[3]));
    }
    case 'time':
      return roundTicks(ticksOf(text.trim()), scaleOf(t)) % TICKS_PER_DAY;
    case 'datetime':
    case 'smalldatetime':
    case 'datetime2':
    case 'datetimeoffset': {
      const m = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d:\d\d(?::\d\d(?:\.\d+)?)?))?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/.exec(text.trim());
      if (!m) throw new Error(`test server: bad ${t.name} ${text}`);
      const days = daysOf(Number(m[1]), Number(m[2]), Number(m[3]));
      const clock = m[4] ?? '00:00:00';
      const ticks = ticksOf(clock.length > 16 ? clock.slice(0, 16) : clock);
      const scale = t.name === 'smalldatetime' ? 0 : scaleOf(t);
      if (t.name !== 'datetimeoffset') {
        // datetime keeps 1/300 s: '…15.006' is stored as .007, as SQL Server stores the literal.
        const v = normaliseDateTime(days, t.name === 'datetime' ? datetimeTicks(ticks) : ticks, scale);
        // smalldatetime keeps minutes: seconds ≥ 29.998 round up (SQL Server's rule).
        return t.name === 'smalldatetime' ? normaliseDateTime(v.days, Math.round(v.ticks / 600_000_000) * 600_000_000, 0) : v;
      }
      const o = m[5];
      let offset = 0;
      if (o && o !== 'Z') {
        const om = /^([+-])(\d\d):?(\d\d)?$/.exec(o)!;
        offset = (om[1] === '-' ? -1 : 1) * (Number(om[2]) * 60 + Number(om[3] ?? 0));
      }
      // Stored as the UTC instant; the offset is kept for display and CAST to local time.
      return normaliseDateTime(days, ticks - offset * 600_000_000, scale, offset);
    }
    case 'uniqueidentifier':
      return text.toLowerCase();
    case 'char':
    case 'nchar':
      return text.padEnd(t.length ?? 1, ' ');
    default:
      if (isBinary(t)) {
        const b = Buffer.from(text.replace(/^0x/i, ''), 'hex');
        return t.name === 'binary' && t.length! > b.length ? Buffer.concat([b, Buffer.alloc(t.length! - b.length)]) : b;
      }
      return text;
  }
}

// ---------------------------------------------------------------- value → text (CONVERT to varchar)

export function decimalText(v: bigint, scale: number): string {
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${neg ? '-' : ''}${int}${scale > 0 ? `.${frac}` : ''}`;
}

export function dateText(days: number): string {
  const { y, m, d } = dateOfDays(days);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function timeText(ticks: number, scale: number): string {
  const s = Math.floor(ticks / 10_000_000);
  const frac = String(ticks % 10_000_000).padStart(7, '0').slice(0, scale);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return scale > 0 ? `${hms}.${frac}` : hms;
}

// ---------------------------------------------------------------- comparisons

function uuidKey(u: string): string {
  // SQL Server orders uniqueidentifier by its last group first, then the 4th, 3rd, 2nd and 1st.
  const g = u.split('-');
  return `${g[4]}${g[3]}${g[2]}${g[1]}${g[0]}`;
}

export function compareValues(t: SqlType, a: SqlValue, b: SqlValue): number {
  if (a === null || b === null) throw new Error('compare with NULL');
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  if (typeof a === 'string' && typeof b === 'string') {
    if (t.name === 'uniqueidentifier') return uuidKey(a) < uuidKey(b) ? -1 : uuidKey(a) > uuidKey(b) ? 1 : 0;
    // Trailing spaces do not count in SQL Server comparisons (ANSI padding rules).
    const x = a.replace(/ +$/, '');
    const y = b.replace(/ +$/, '');
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = a as DateTimeValue;
  const y = b as DateTimeValue;
  return x.days !== y.days ? x.days - y.days : x.ticks - y.ticks;
}

// ---------------------------------------------------------------- CAST

export function castValue(from: SqlType, to: SqlType, v: SqlValue): SqlValue {
  if (v === null) return null;
  if (typeof v === 'string' && !isChars(to)) return parseValue(to, v);
  if (isChars(to)) {
    if (typeof v === 'string') return v;
    return textOf(from, v, undefined);
  }
  if (isInteger(to)) {
    const n = typeof v === 'boolean' ? (v ? 1n : 0n) : typeof v === 'bigint' ? (isDecimal(from) ? v / 10n ** BigInt(scaleOf(from)) : v) : typeof v === 'number' ? BigInt(Math.trunc(v)) : undefined;
    if (n !== undefined) {
      const bits = { tinyint: 8n, smallint: 16n, int: 32n, bigint: 64n }[to.name as 'int'] ?? 64n;
      const [lo, hi] = to.name === 'tinyint' ? [0n, 255n] : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
      if (n < lo || n > hi) throw new SqlError(`Arithmetic overflow error converting expression to data type ${to.name}.`, 8115);
      return n;
    }
  }
  if (isDecimal(to)) {
    const s = scaleOf(to);
    if (typeof v === 'boolean') return (v ? 1n : 0n) * 10n ** BigInt(s);
    if (typeof v === 'bigint') return rescale(v, isDecimal(from) ? scaleOf(from) : 0, s);
    if (typeof v === 'number') return parseDecimal(v.toFixed(s), s);
  }
  if (to.name === 'float' || to.name === 'real') {
    const n = typeof v === 'bigint' ? Number(v) / 10 ** (isDecimal(from) ? scaleOf(from) : 0) : Number(v);
    return to.name === 'real' ? Math.fround(n) : n;
  }
  if (to.name === 'bit') return typeof v === 'boolean' ? v : v !== 0n && v !== 0;
  if (to.name === 'date') return typeof v === 'number' ? v : localOf(v as DateTimeValue).days;
  if (to.name === 'time') {
    if (typeof v === 'number') return roundTicks(v, scaleOf(to)) % TICKS_PER_DAY;
    return roundTicks(localOf(v as DateTimeValue).ticks, scaleOf(to)) % TICKS_PER_DAY;
  }
  if (isDateTime(to)) {
    const scale = to.name === 'datetime' ? 3 : to.name === 'smalldatetime' ? 0 : scaleOf(to);
    if (typeof v === 'number') return from.name === 'date' ? { days: v, ticks: 0 } : { days: 0, ticks: v };
    const dt = v as DateTimeValue;
    if (to.name === 'datetimeoffset') return normaliseDateTime(dt.days, dt.ticks, scale, dt.offset ?? 0);
    const local = localOf(dt);
    return normaliseDateTime(local.days, local.ticks, scale);
  }
  if (isBinary(to) && Buffer.isBuffer(v)) return v;
  throw new Error(`test server: no CAST from ${typeText(from)} to ${typeText(to)}`);
}

/** The wall-clock date-time of a value (for datetimeoffset: the UTC instant moved by its offset). */
export function localOf(v: DateTimeValue): DateTimeValue {
  if (v.offset === undefined || v.offset === 0) return { days: v.days, ticks: v.ticks };
  return normaliseDateTime(v.days, v.ticks + v.offset * 600_000_000, 7);
}

export function rescale(v: bigint, from: number, to: number): bigint {
  if (to >= from) return v * 10n ** BigInt(to - from);
  const f = 10n ** BigInt(from - to);
  const q = v / f;
  const r = v % f;
  // Half away from zero, as SQL Server rounds decimals.
  if ((r < 0n ? -r : r) * 2n >= f) return q + (v < 0n ? -1n : 1n);
  return q;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const notImplementedStyle = (t: SqlType, style: number) => new SqlError(`test server: CONVERT of ${typeText(t)} with style ${style} is not implemented`, 50000);

/** A datetimeoffset's offset as SQL Server prints it: '+04:30'. */
function offsetText(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A date or time as CONVERT prints it. Style 0 (none, or 100): datetime and smalldatetime as
 * 'Jan  2 2020  3:04AM', the newer types in their ISO form (a datetimeoffset with its offset); 120:
 * 'yyyy-mm-dd hh:mi:ss'; 121: with the fraction (3 digits for datetime and smalldatetime, the scale's
 * for the others).
 */
export function temporalText(t: SqlType, v: number | DateTimeValue, style = 0): string {
  if (style !== 0 && style !== 100 && style !== 120 && style !== 121) throw notImplementedStyle(t, style);
  if (t.name === 'date') return dateText(v as number);
  if (t.name === 'time') return timeText(v as number, style === 120 ? 0 : scaleOf(t));
  const dt = v as DateTimeValue;
  const local = localOf(dt);
  const legacy = t.name === 'datetime' || t.name === 'smalldatetime';
  if (legacy && (style === 0 || style === 100)) {
    const { y, m, d } = dateOfDays(local.days);
    const minutes = Math.floor(local.ticks / 600_000_000);
    const h = Math.floor(minutes / 60);
    const h12 = h % 12 === 0 ? 12 : h % 12;
    return `${MONTHS[m - 1]} ${String(d).padStart(2, ' ')} ${y} ${String(h12).padStart(2, ' ')}:${String(minutes % 60).padStart(2, '0')}${h < 12 ? 'AM' : 'PM'}`;
  }
  const digits = style === 120 ? 0 : legacy ? 3 : scaleOf(t);
  const text = `${dateText(local.days)} ${timeText(local.ticks, digits)}`;
  return t.name === 'datetimeoffset' ? `${text} ${offsetText(dt.offset ?? 0)}` : text;
}

/** '1234567.89' → '1,234,567.89' (money style 1). */
function withCommas(text: string): string {
  const [int = '', frac] = text.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const grouped = int.replace('-', '').replace(/\B(?=(\d{3})+$)/g, ',');
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/**
 * CONVERT(varchar, value[, style]) as SQL Server prints it: money with 2 decimals (style 0), commas
 * (style 1) or 4 decimals (style 2 and 126); decimals with their scale; dates and times by
 * temporalText; a uniqueidentifier in upper case.
 */
export function textOf(t: SqlType, v: SqlValue, style: number | undefined): string {
  if (typeof v === 'bigint') {
    if (t.name === 'money' || t.name === 'smallmoney') {
      const s = style ?? 0;
      if (s === 2 || s === 126) return decimalText(v, 4);
      if (s === 0 || s === 1) {
        const two = decimalText(rescale(v, 4, 2), 2);
        return s === 1 ? withCommas(two) : two;
      }
      throw notImplementedStyle(t, s);
    }
    return isDecimal(t) ? decimalText(v, scaleOf(t)) : v.toString();
  }
  if (typeof v === 'string') return t.name === 'uniqueidentifier' ? v.toUpperCase() : v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number' && t.name !== 'date' && t.name !== 'time') return String(v);
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  return temporalText(t, v as number | DateTimeValue, style);
}

export function dataLength(t: SqlType, v: SqlValue): SqlValue {
  if (v === null) return null;
  if (Buffer.isBuffer(v)) return BigInt(v.length);
  if (typeof v === 'string') return BigInt(isUnicode(t) ? v.length * 2 : iconv.encode(v, 'cp1252').length);
  throw new Error(`test server: DATALENGTH of ${typeText(t)}`);
}

// ---------------------------------------------------------------- TDS encoding

function u8(n: number): Buffer {
  return Buffer.from([n & 0xff]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

function decimalBytes(p: number): number {
  return p <= 9 ? 5 : p <= 19 ? 9 : p <= 28 ? 13 : 17;
}

function timeBytes(scale: number): number {
  return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
}

const isMax = (t: SqlType) => t.length === -1;

/** TYPE_INFO (MS-TDS 2.2.5.6) as SQL Server sends it in COLMETADATA: nullable (…N) forms throughout. */
export function typeInfo(t: SqlType): Buffer {
  switch (t.name) {
    case 'tinyint': return Buffer.from([0x26, 1]);
    case 'smallint': return Buffer.from([0x26, 2]);
    case 'int': return Buffer.from([0x26, 4]);
    case 'bigint': return Buffer.from([0x26, 8]);
    case 'bit': return Buffer.from([0x68, 1]);
    case 'decimal':
    case 'numeric':
      return Buffer.from([t.name === 'decimal' ? 0x6a : 0x6c, decimalBytes(t.precision!), t.precision!, t.scale!]);
    case 'money': return Buffer.from([0x6e, 8]);
    case 'smallmoney': return Buffer.from([0x6e, 4]);
    case 'real': return Buffer.from([0x6d, 4]);
    case 'float': return Buffer.from([0x6d, t.precision === 24 ? 4 : 8]);
    case 'date': return Buffer.from([0x28]);
    case 'time': return Buffer.from([0x29, scaleOf(t)]);
    case 'datetime2': return Buffer.from([0x2a, scaleOf(t)]);
    case 'datetimeoffset': return Buffer.from([0x2b, scaleOf(t)]);
    case 'datetime': return Buffer.from([0x6f, 8]);
    case 'smalldatetime': return Buffer.from([0x6f, 4]);
    case 'char': return Buffer.concat([u8(0xaf), u16(t.length!), COLLATION]);
    case 'varchar': return Buffer.concat([u8(0xa7), u16(isMax(t) ? 0xffff : t.length!), COLLATION]);
    case 'nchar': return Buffer.concat([u8(0xef), u16(t.length! * 2), COLLATION]);
    case 'sysname': return Buffer.concat([u8(0xe7), u16(256), COLLATION]);
    case 'nvarchar': return Buffer.concat([u8(0xe7), u16(isMax(t) ? 0xffff : t.length! * 2), COLLATION]);
    case 'text': return Buffer.concat([u8(0x23), u32(0x7fffffff), COLLATION]);
    case 'ntext': return Buffer.concat([u8(0x63), u32(0x7ffffffe), COLLATION]);
    case 'image': return Buffer.concat([u8(0x22), u32(0x7fffffff)]);
    case 'uniqueidentifier': return Buffer.from([0x24, 16]);
    case 'binary': return Buffer.concat([u8(0xad), u16(t.length!)]);
    case 'varbinary': return Buffer.concat([u8(0xa5), u16(isMax(t) ? 0xffff : t.length!)]);
    case 'xml': return Buffer.from([0xf1, 0]);
    case 'sql_variant': return Buffer.concat([u8(0x62), u32(8016)]);
    default: throw new Error(`test server: cannot describe type ${t.name}`);
  }
}

/** text, ntext and image carry a table name in COLMETADATA (MS-TDS: TableName for text/ntext/image). */
export function hasTableName(t: SqlType): boolean {
  return t.name === 'text' || t.name === 'ntext' || t.name === 'image';
}

const PLP_NULL = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

/** Partially length-prefixed bytes: total length, then chunks of at most 8000 bytes, then a zero terminator. */
function plp(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  const total = Buffer.alloc(8);
  total.writeBigUInt64LE(BigInt(data.length));
  parts.push(total);
  for (let i = 0; i < data.length; i += 8000) {
    const chunk = data.subarray(i, i + 8000);
    parts.push(u32(chunk.length), chunk);
  }
  parts.push(u32(0));
  return Buffer.concat(parts);
}

function uint(n: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  b.writeUIntLE(n, 0, bytes);
  return b;
}

function timePart(ticks: number, scale: number): Buffer {
  return uint(Math.round(ticks / 10 ** (7 - scale)), timeBytes(scale));
}

function guidBytes(u: string): Buffer {
  const hex = Buffer.from(u.replace(/-/g, ''), 'hex');
  // The first three groups are little-endian on the wire (tedious's guid-parser reverses them back).
  return Buffer.concat([Buffer.from(hex.subarray(0, 4)).reverse(), Buffer.from(hex.subarray(4, 6)).reverse(), Buffer.from(hex.subarray(6, 8)).reverse(), hex.subarray(8)]);
}

/** The NULL form of a column's value: used in ROW tokens (NBCROW leaves NULLs out). */
export function encodeNull(t: SqlType): Buffer {
  switch (t.name) {
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
    case 'sysname':
    case 'binary':
    case 'varbinary':
      return isMax(t) ? PLP_NULL : Buffer.from([0xff, 0xff]);
    case 'xml':
      return PLP_NULL;
    case 'sql_variant':
      return u32(0);
    default:
      return Buffer.from([0]);
  }
}

export function encodeValue(t: SqlType, v: SqlValue): Buffer {
  if (v === null) return encodeNull(t);
  switch (t.name) {
    case 'tinyint': return Buffer.from([1, Number(v)]);
    case 'smallint': {
      const b = Buffer.alloc(3);
      b[0] = 2;
      b.writeInt16LE(Number(v), 1);
      return b;
    }
    case 'int': {
      const b = Buffer.alloc(5);
      b[0] = 4;
      b.writeInt32LE(Number(v), 1);
      return b;
    }
    case 'bigint': {
      const b = Buffer.alloc(9);
      b[0] = 8;
      b.writeBigInt64LE(v as bigint, 1);
      return b;
    }
    case 'bit': return Buffer.from([1, v ? 1 : 0]);
    case 'decimal':
    case 'numeric': {
      const n = decimalBytes(t.precision!);
      const b = Buffer.alloc(1 + n);
      b[0] = n;
      const x = v as bigint;
      b[1] = x < 0n ? 0 : 1;
      let mag = x < 0n ? -x : x;
      for (let i = 2; i <= n; i++) {
        b[i] = Number(mag & 0xffn);
        mag >>= 8n;
      }
      return b;
    }
    case 'money': {
      const b = Buffer.alloc(9);
      b[0] = 8;
      const x = BigInt.asUintN(64, v as bigint);
      b.writeUInt32LE(Number(x >> 32n), 1);
      b.writeUInt32LE(Number(x & 0xffffffffn), 5);
      return b;
    }
    case 'smallmoney': {
      const b = Buffer.alloc(5);
      b[0] = 4;
      b.writeInt32LE(Number(v), 1);
      return b;
    }
    case 'real': {
      const b = Buffer.alloc(5);
      b[0] = 4;
      b.writeFloatLE(v as number, 1);
      return b;
    }
    case 'float': {
      if (t.precision === 24) return encodeValue({ name: 'real' }, v);
      const b = Buffer.alloc(9);
      b[0] = 8;
      b.writeDoubleLE(v as number, 1);
      return b;
    }
    case 'date': return Buffer.concat([u8(3), uint(v as number, 3)]);
    case 'time': {
      const part = timePart(v as number, scaleOf(t));
      return Buffer.concat([u8(part.length), part]);
    }
    case 'datetime2': {
      const dt = v as DateTimeValue;
      const part = timePart(dt.ticks, scaleOf(t));
      return Buffer.concat([u8(part.length + 3), part, uint(dt.days, 3)]);
    }
    case 'datetimeoffset': {
      const dt = v as DateTimeValue;
      const part = timePart(dt.ticks, scaleOf(t));
      const offset = Buffer.alloc(2);
      offset.writeInt16LE(dt.offset ?? 0);
      return Buffer.concat([u8(part.length + 5), part, uint(dt.days, 3), offset]);
    }
    case 'datetime': {
      // Days since 1900-01-01 and 1/300 s since midnight.
      const dt = v as DateTimeValue;
      const b = Buffer.alloc(9);
      b[0] = 8;
      b.writeInt32LE(dt.days - DAYS_1900, 1);
      b.writeUInt32LE(Math.round((dt.ticks * 3) / 100_000), 5);
      return b;
    }
    case 'smalldatetime': {
      const dt = v as DateTimeValue;
      const b = Buffer.alloc(5);
      b[0] = 4;
      b.writeUInt16LE(dt.days - DAYS_1900, 1);
      b.writeUInt16LE(Math.round(dt.ticks / 600_000_000), 3);
      return b;
    }
    case 'char':
    case 'varchar': {
      const data = iconv.encode(v as string, 'cp1252');
      return isMax(t) ? plp(data) : Buffer.concat([u16(data.length), data]);
    }
    case 'nchar':
    case 'nvarchar':
    case 'sysname': {
      const data = Buffer.from(v as string, 'utf16le');
      return isMax(t) ? plp(data) : Buffer.concat([u16(data.length), data]);
    }
    case 'xml': return plp(Buffer.from(v as string, 'utf16le'));
    case 'binary':
    case 'varbinary':
      return isMax(t) ? plp(v as Buffer) : Buffer.concat([u16((v as Buffer).length), v as Buffer]);
    case 'text':
    case 'ntext':
    case 'image': {
      const data = t.name === 'image' ? (v as Buffer) : t.name === 'ntext' ? Buffer.from(v as string, 'utf16le') : iconv.encode(v as string, 'cp1252');
      // Text pointer (16 bytes) and timestamp (8 bytes) precede the length; clients ignore both.
      return Buffer.concat([u8(16), Buffer.alloc(16, 0xab), Buffer.alloc(8), u32(data.length), data]);
    }
    case 'uniqueidentifier': return Buffer.concat([u8(16), guidBytes(v as string)]);
    default: throw new Error(`test server: cannot encode a ${t.name} value`);
  }
}

/** sys.columns max_length / precision / scale for a declared type, as SQL Server reports them. */
export function sysColumnsShape(t: SqlType): { maxLength: number; precision: number; scale: number } {
  const fixed: Record<string, [number, number, number]> = {
    tinyint: [1, 3, 0], smallint: [2, 5, 0], int: [4, 10, 0], bigint: [8, 19, 0], bit: [1, 1, 0],
    money: [8, 19, 4], smallmoney: [4, 10, 4], real: [4, 24, 0], date: [3, 10, 0], datetime: [8, 23, 3],
    smalldatetime: [4, 16, 0], text: [16, 0, 0], ntext: [16, 0, 0], image: [16, 0, 0], uniqueidentifier: [16, 0, 0],
    xml: [-1, 0, 0], sql_variant: [8016, 0, 0], geography: [-1, 0, 0], hierarchyid: [892, 0, 0], sysname: [256, 0, 0],
  };
  const f = fixed[t.name];
  if (f) return { maxLength: f[0], precision: f[1], scale: f[2] };
  const s = scaleOf(t);
  switch (t.name) {
    case 'float': return { maxLength: t.precision === 24 ? 4 : 8, precision: t.precision ?? 53, scale: 0 };
    case 'decimal':
    case 'numeric':
      return { maxLength: decimalBytes(t.precision!), precision: t.precision!, scale: s };
    case 'time': return { maxLength: timeBytes(s), precision: s === 0 ? 8 : 9 + s, scale: s };
    case 'datetime2': return { maxLength: timeBytes(s) + 3, precision: s === 0 ? 19 : 20 + s, scale: s };
    case 'datetimeoffset': return { maxLength: timeBytes(s) + 5, precision: s === 0 ? 26 : 27 + s, scale: s };
    case 'char':
    case 'varchar':
    case 'binary':
    case 'varbinary':
      return { maxLength: t.length!, precision: 0, scale: 0 };
    case 'nchar':
    case 'nvarchar':
      return { maxLength: t.length === -1 ? -1 : t.length! * 2, precision: 0, scale: 0 };
    default:
      throw new Error(`test server: no sys.columns shape for ${t.name}`);
  }
}
