/**
 * TEST SERVER CODE (not part of bench): SQL Server's implicit conversion of an inserted value (an
 * sp_executesql parameter, a literal, a bulk-loaded column) to its column's type, with the errors
 * SQL Server raises: 245/244/248/8114 (bad or overflowing number text), 235 (money text), 241/242
 * (date and time text), 8169 (uniqueidentifier text), 8115/220/232 (arithmetic overflow), 206 (type
 * clash), 257 (no implicit conversion), 2628 (string or binary data would be truncated; 4815 in a
 * bulk load, where SQL Server names the column by its ordinal). Conversions SQL Server allows but
 * bench never needs fail loudly with 50000 "not implemented" rather than guess.
 */
import iconv from 'iconv-lite';
import { guidText } from './tds-decode.js';
import { SqlError, TERMINATED } from './tds-sql.js';
import {
  DAYS_1900,
  TICKS_PER_DAY,
  datetimeTicks,
  daysOf,
  decimalText,
  isChars,
  isDecimal,
  isInteger,
  localOf,
  normaliseDateTime,
  parseDecimal,
  rescale,
  roundTicks,
  scaleOf,
  temporalText,
  typeText,
  type DateTimeValue,
  type SqlType,
  type SqlValue,
} from './tds-types.js';

/** Where a value is going, for error messages. */
export interface Target {
  /** database.schema.table, as SQL Server names it in 515 and 2628. */
  readonly table: string;
  readonly column: string;
  /** Set in a bulk load: SQL Server reports a too-long value there as 4815 with this 1-based column ordinal. */
  readonly bulkColid?: number;
}

const INT_RANGE: Record<string, [bigint, bigint]> = {
  tinyint: [0n, 255n],
  smallint: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};
const MONEY_RANGE: Record<string, bigint> = { money: 2n ** 63n, smallmoney: 2n ** 31n };

const clash = (from: SqlType, to: SqlType) =>
  new SqlError(`Operand type clash: ${typeText(from)} is incompatible with ${typeText(to)}`, 206);
const notImplemented = (from: SqlType, to: SqlType) =>
  new SqlError(`test server: conversion from ${typeText(from)} to ${typeText(to)} is not implemented`, 50000);
const overflow = (from: SqlType, to: SqlType) =>
  new SqlError(`Arithmetic overflow error converting ${from.name} to data type ${to.name === 'decimal' ? 'numeric' : to.name}.`, 8115);
const badDate = () => new SqlError('Conversion failed when converting date and/or time from character string.', 241);

/** NULL into a NOT NULL column (SQL Server's 515, then "The statement has been terminated."). */
export function nullError(target: Target): SqlError {
  return new SqlError(
    `Cannot insert the value NULL into column '${target.column}', table '${target.table}'; column does not allow nulls. INSERT fails.`,
    515,
    16,
    [TERMINATED],
  );
}

function truncated(target: Target, shown: string): SqlError {
  if (target.bulkColid !== undefined) {
    return new SqlError(`Received an invalid column length from the bcp client for colid ${target.bulkColid}.`, 4815);
  }
  return new SqlError(
    `String or binary data would be truncated in table '${target.table}', column '${target.column}'. Truncated value: '${shown}'.`,
    2628,
    16,
    [TERMINATED],
  );
}

export function convertValue(from: SqlType, to: SqlType, v: SqlValue, target: Target): SqlValue {
  if (v === null) return null;
  switch (from.name) {
    case 'date':
    case 'time':
    case 'datetime':
    case 'datetime2':
    case 'smalldatetime':
    case 'datetimeoffset':
      return fromTemporal(from, to, v as number | DateTimeValue, target);
    case 'uniqueidentifier':
      return fromGuid(from, to, v as string, target);
    default:
      break;
  }
  if (typeof v === 'string') return fromString(from, to, v, target);
  if (typeof v === 'bigint') return fromExact(from, to, v, isDecimal(from) ? scaleOf(from) : 0, target);
  if (typeof v === 'boolean') return fromExact(from, to, v ? 1n : 0n, 0, target);
  if (typeof v === 'number') return fromFloat(from, to, v, target);
  if (Buffer.isBuffer(v)) return fromBinary(from, to, v, target);
  throw notImplemented(from, to);
}

// ---------------------------------------------------------------- to character and binary columns

const isNational = (t: SqlType) => t.name === 'nchar' || t.name === 'nvarchar' || t.name === 'ntext';

/**
 * Text into a character column: code page 1252 for the non-Unicode types (unmappable characters
 * become '?', as SQL Server's conversion does), the declared length checked, char/nchar padded.
 * Trailing spaces beyond the length are dropped silently: SQL Server only complains about the rest.
 */
function fitText(to: SqlType, s: string, target: Target): string {
  const unchanged = isNational(to) || to.name === 'xml' || /^[\x00-\x7f]*$/.test(s);
  let text = unchanged ? s : iconv.decode(iconv.encode(s, 'cp1252'), 'cp1252');
  const max = to.length;
  if (max !== undefined && max !== -1) {
    // nvarchar lengths count UTF-16 code units, varchar lengths bytes (one per character in code page 1252).
    if (text.length > max) {
      if (/^ *$/.test(text.slice(max))) text = text.slice(0, max);
      else throw truncated(target, text.slice(0, max));
    }
    if (to.name === 'char' || to.name === 'nchar') text = text.padEnd(max, ' ');
  }
  return text;
}

function fitBinary(to: SqlType, b: Buffer, target: Target): Buffer {
  const max = to.length;
  if (max === undefined || max === -1) return b;
  if (b.length > max) throw truncated(target, '');
  return to.name === 'binary' && b.length < max ? Buffer.concat([b, Buffer.alloc(max - b.length)]) : b;
}

const isTextColumn = (t: SqlType) => ['char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext'].includes(t.name);

// ---------------------------------------------------------------- from character data

function fromString(from: SqlType, to: SqlType, s: string, target: Target): SqlValue {
  const fromName = from.name === 'nchar' || from.name === 'ntext' || from.name === 'xml' ? 'nvarchar' : from.name === 'char' || from.name === 'text' ? 'varchar' : from.name;
  if (isChars(to)) return fitText(to, s, target);
  const t = s.trim();
  if (isInteger(to)) {
    // '' and blanks convert to 0, as CAST(N'' AS int) does.
    if (t !== '' && !/^[+-]?\d+$/.test(t)) {
      if (to.name === 'bigint') throw new SqlError(`Error converting data type ${fromName} to bigint.`, 8114);
      throw new SqlError(`Conversion failed when converting the ${fromName} value '${s}' to data type ${to.name}.`, 245);
    }
    const n = t === '' ? 0n : BigInt(t);
    const [lo, hi] = INT_RANGE[to.name]!;
    if (n < lo || n > hi) {
      if (to.name === 'bigint') throw new SqlError(`Error converting data type ${fromName} to bigint.`, 8114);
      if (to.name === 'int') throw new SqlError(`The conversion of the ${fromName} value '${s}' overflowed an int column.`, 248);
      throw new SqlError(`The conversion of the ${fromName} value '${s}' overflowed a ${to.name} column. Use a larger integer column.`, 244);
    }
    return n;
  }
  switch (to.name) {
    case 'bit': {
      if (/^true$/i.test(t)) return true;
      if (/^false$/i.test(t)) return false;
      if (t === '' || /^[+-]?\d+$/.test(t)) return t !== '' && BigInt(t) !== 0n;
      throw new SqlError(`Conversion failed when converting the ${fromName} value '${s}' to data type bit.`, 245);
    }
    case 'decimal':
    case 'numeric': {
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) throw new SqlError(`Error converting data type ${fromName} to numeric.`, 8114);
      return checkDecimal(parseDecimal(t, scaleOf(to)), to, () => new SqlError(`Arithmetic overflow error converting ${fromName} to data type numeric.`, 8115));
    }
    case 'money':
    case 'smallmoney': {
      const m = /^([+-]?)\$?(\d+(\.\d*)?|\.\d+)$/.exec(t.replace(/,/g, ''));
      if (!m) throw new SqlError('Cannot convert a char value to money. The char value has incorrect syntax.', 235);
      return checkDecimal(parseDecimal(`${m[1]}${m[2]}`, 4), to, () => new SqlError(`Arithmetic overflow error converting expression to data type ${to.name}.`, 8115));
    }
    case 'real':
    case 'float': {
      if (t !== '' && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
        throw new SqlError(`Error converting data type ${fromName} to ${to.name}.`, 8114);
      }
      const n = t === '' ? 0 : Number(t);
      if (!Number.isFinite(n) || (to.name === 'real' && !Number.isFinite(Math.fround(n)))) {
        throw new SqlError(`Arithmetic overflow error converting expression to data type ${to.name}.`, 8115);
      }
      return to.name === 'real' ? Math.fround(n) : n;
    }
    case 'date':
    case 'time':
    case 'datetime':
    case 'datetime2':
    case 'smalldatetime':
    case 'datetimeoffset':
      return dateFromText(to, t, fromName);
    case 'uniqueidentifier': {
      const m = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i.exec(t);
      if (!m) throw new SqlError('Conversion failed when converting from a character string to uniqueidentifier.', 8169);
      return m[1]!.toLowerCase();
    }
    case 'binary':
    case 'varbinary':
    case 'image':
      throw new SqlError(`Implicit conversion from data type ${fromName} to ${typeText(to)} is not allowed. Use the CONVERT function to run this query.`, 257);
    default:
      throw notImplemented(from, to);
  }
}

/** An exact number at the column's scale, checked against its precision (or money's range). */
function checkDecimal(v: bigint, to: SqlType, error: () => SqlError): bigint {
  const limit = MONEY_RANGE[to.name];
  if (limit !== undefined) {
    if (v >= limit || v < -limit) throw error();
    return v;
  }
  const max = 10n ** BigInt(to.precision ?? 18);
  if (v >= max || v <= -max) throw error();
  return v;
}

interface ParsedDateTime {
  days: number;
  ticks: number;
  offset?: number;
  fractionDigits: number;
}

/**
 * The ISO forms SQL Server reads whatever its language settings: 'yyyy-mm-dd', 'yyyymmdd', an
 * optional time 'hh:mm[:ss[.fffffff]]' after a space or 'T', an optional offset '+hh:mm', '-hh:mm'
 * or 'Z'; or a time alone (date 1900-01-01). Undefined when the text is not a valid date and time.
 */
function parseDateTimeText(t: string): ParsedDateTime | undefined {
  const m =
    /^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})(\d{2})(\d{2}))?(?:(?:^|[ T])(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{0,7}))?)?)?\s*(Z|[+-]\d{2}:\d{2})?$/i.exec(t);
  if (!m || t === '') return undefined;
  const hasDate = m[1] !== undefined || m[4] !== undefined;
  const hasTime = m[7] !== undefined;
  if (!hasDate && !hasTime) return undefined;
  let days = DAYS_1900;
  if (hasDate) {
    const [y, mo, d] = (m[1] !== undefined ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]]).map(Number) as [number, number, number];
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(2000, mo, 0)).getUTCDate() || (mo === 2 && d === 29 && !isLeap(y))) return undefined;
    days = daysOf(y, mo, d);
  }
  let ticks = 0;
  const fraction = m[10] ?? '';
  if (hasTime) {
    const [h, mi, s] = [m[7], m[8], m[9] ?? '0'].map(Number) as [number, number, number];
    if (h > 23 || mi > 59 || s > 59) return undefined;
    ticks = ((h * 60 + mi) * 60 + s) * 10_000_000 + Number(fraction.padEnd(7, '0'));
  }
  const parsed: ParsedDateTime = { days, ticks, fractionDigits: fraction.length };
  const o = m[11];
  if (o !== undefined) {
    if (o.toUpperCase() === 'Z') parsed.offset = 0;
    else {
      const minutes = Number(o.slice(1, 3)) * 60 + Number(o.slice(4, 6));
      if (minutes > 14 * 60 || Number(o.slice(4, 6)) > 59) return undefined;
      parsed.offset = o[0] === '-' ? -minutes : minutes;
    }
  }
  return parsed;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function dateFromText(to: SqlType, t: string, fromName: string): SqlValue {
  const p = parseDateTimeText(t);
  if (!p) throw badDate();
  switch (to.name) {
    case 'date': return p.days;
    case 'time': return roundTicks(p.ticks, scaleOf(to)) % TICKS_PER_DAY;
    case 'datetime2': return normaliseDateTime(p.days, p.ticks, scaleOf(to));
    // The text is the local time at its offset; the value keeps the UTC instant and the offset.
    case 'datetimeoffset': return normaliseDateTime(p.days, p.ticks - (p.offset ?? 0) * 600_000_000, scaleOf(to), p.offset ?? 0);
    default: {
      // datetime and smalldatetime read at most three fractional digits and no offset.
      if (p.fractionDigits > 3 || p.offset !== undefined) throw badDate();
      return toLegacyDateTime(to, { days: p.days, ticks: p.ticks }, fromName);
    }
  }
}

/** datetime (1753–9999, 1/300 s) and smalldatetime (1900-01-01–2079-06-06, minutes; 29.998 s rounds up). */
function toLegacyDateTime(to: SqlType, v: DateTimeValue, fromName: string): DateTimeValue {
  const out =
    to.name === 'datetime'
      ? normaliseDateTime(v.days, datetimeTicks(v.ticks), 7)
      : normaliseDateTime(v.days, Math.round(datetimeTicks(v.ticks) / 600_000_000) * 600_000_000, 7);
  const [min, max] = to.name === 'datetime' ? [daysOf(1753, 1, 1), daysOf(9999, 12, 31)] : [DAYS_1900, daysOf(2079, 6, 6)];
  if (out.days < min || out.days > max || (to.name === 'smalldatetime' && out.days === max && out.ticks > 0)) {
    throw new SqlError(`The conversion of a ${fromName} data type to a ${to.name} data type resulted in an out-of-range value.`, 242);
  }
  return out;
}

// ---------------------------------------------------------------- from exact numbers, bit and floats

function fromExact(from: SqlType, to: SqlType, v: bigint, scale: number, target: Target): SqlValue {
  if (isInteger(to)) {
    const n = v / 10n ** BigInt(scale); // truncates toward zero, as SQL Server does
    const [lo, hi] = INT_RANGE[to.name]!;
    if (n < lo || n > hi) {
      if (to.name === 'tinyint' || to.name === 'smallint') throw new SqlError(`Arithmetic overflow error for data type ${to.name}, value = ${decimalText(v, scale)}.`, 220);
      throw overflow(from, to);
    }
    return n;
  }
  if (isDecimal(to)) return checkDecimal(rescale(v, scale, scaleOf(to)), to, () => overflow(from, to));
  switch (to.name) {
    case 'bit': return v !== 0n;
    case 'real': return Math.fround(Number(decimalText(v, scale)));
    case 'float': return Number(decimalText(v, scale));
    case 'datetime':
    case 'smalldatetime':
      if (isInteger(from) || from.name === 'bit') return toLegacyDateTime(to, { days: DAYS_1900 + Number(v), ticks: 0 }, from.name);
      throw notImplemented(from, to);
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar': {
      // money shows two decimals (CONVERT style 0).
      const text = from.name === 'money' || from.name === 'smallmoney' ? decimalText(rescale(v, scale, 2), 2) : decimalText(v, scale);
      return fitText(to, text, target);
    }
    case 'binary':
    case 'varbinary': {
      if (!isInteger(from)) throw notImplemented(from, to);
      const size = { tinyint: 1, smallint: 2, int: 4, bigint: 8 }[from.name]!;
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(v);
      return fitBinary(to, b.subarray(8 - size), target);
    }
    default:
      throw clash(from, to);
  }
}

/** A double as plain decimal text (no exponent), for conversion to an exact type. */
function plainText(x: number): string {
  const s = String(x);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2]! + (m[3] ?? '');
  const point = 1 + Number(m[4]);
  if (point <= 0) return `${m[1]}0.${'0'.repeat(-point)}${digits}`;
  return `${m[1]}${digits.padEnd(point, '0').slice(0, point)}${point < digits.length ? `.${digits.slice(point)}` : ''}`;
}

/** CONVERT(varchar, float) style 0: at most 6 significant digits, scientific when the number needs it. */
function floatText(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp >= -4 && exp < 6) return String(Number(x.toPrecision(6)));
  const [mant, e] = x.toExponential(5).split('e') as [string, string];
  const n = Number(e);
  return `${String(Number(mant))}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(3, '0')}`;
}

function fromFloat(from: SqlType, to: SqlType, x: number, target: Target): SqlValue {
  if (!Number.isFinite(x)) {
    throw new SqlError(`The supplied value is not a valid instance of data type ${from.name}. Check the source data for invalid values.`, 8023);
  }
  if (isInteger(to)) {
    const n = BigInt(Math.trunc(x));
    const [lo, hi] = INT_RANGE[to.name]!;
    if (n < lo || n > hi) throw new SqlError(`Arithmetic overflow error for type ${to.name}, value = ${x.toFixed(6)}.`, 232);
    return n;
  }
  if (isDecimal(to)) return checkDecimal(parseDecimal(plainText(x), scaleOf(to)), to, () => overflow(from, to));
  switch (to.name) {
    case 'bit': return x !== 0;
    case 'real': {
      const r = Math.fround(x);
      if (!Number.isFinite(r)) throw overflow(from, to);
      return r;
    }
    case 'float': return x;
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
      return fitText(to, floatText(x), target);
    case 'datetime':
    case 'smalldatetime': {
      const days = Math.floor(x);
      return toLegacyDateTime(to, { days: DAYS_1900 + days, ticks: Math.round((x - days) * TICKS_PER_DAY) }, from.name);
    }
    default:
      throw clash(from, to);
  }
}

// ---------------------------------------------------------------- from binary

function fromBinary(from: SqlType, to: SqlType, b: Buffer, target: Target): SqlValue {
  switch (to.name) {
    case 'binary':
    case 'varbinary':
    case 'image':
      return fitBinary(to, b, target);
    case 'char':
    case 'varchar':
    case 'text':
      return fitText(to, iconv.decode(b, 'cp1252'), target);
    case 'nchar':
    case 'nvarchar':
    case 'ntext':
      return fitText(to, b.toString('utf16le'), target);
    case 'uniqueidentifier': {
      if (b.length !== 16) throw new SqlError('Conversion failed when converting from a character string to uniqueidentifier.', 8169);
      return guidText(b);
    }
    default:
      throw new SqlError(`Implicit conversion from data type ${from.name} to ${typeText(to)} is not allowed. Use the CONVERT function to run this query.`, 257);
  }
}

// ---------------------------------------------------------------- from uniqueidentifier

function fromGuid(from: SqlType, to: SqlType, u: string, target: Target): SqlValue {
  if (to.name === 'uniqueidentifier') return u;
  // SQL Server writes a uniqueidentifier as upper-case text.
  if (isTextColumn(to)) return fitText(to, u.toUpperCase(), target);
  if (to.name === 'binary' || to.name === 'varbinary') {
    const hex = Buffer.from(u.replace(/-/g, ''), 'hex');
    const wire = Buffer.concat([Buffer.from(hex.subarray(0, 4)).reverse(), Buffer.from(hex.subarray(4, 6)).reverse(), Buffer.from(hex.subarray(6, 8)).reverse(), hex.subarray(8)]);
    return fitBinary(to, wire, target);
  }
  throw clash(from, to);
}

// ---------------------------------------------------------------- from dates and times

function fromTemporal(from: SqlType, to: SqlType, v: number | DateTimeValue, target: Target): SqlValue {
  if (isTextColumn(to)) return fitText(to, temporalText(from, v), target);
  // date and time do not convert into each other.
  if ((from.name === 'date' && to.name === 'time') || (from.name === 'time' && to.name === 'date')) throw clash(from, to);
  // The wall-clock date and time (a datetimeoffset's local time at its offset; a time alone is on 1900-01-01).
  const local: DateTimeValue =
    from.name === 'date' ? { days: v as number, ticks: 0 } : from.name === 'time' ? { days: DAYS_1900, ticks: v as number } : localOf(v as DateTimeValue);
  switch (to.name) {
    case 'date': return local.days;
    case 'time': return roundTicks(local.ticks, scaleOf(to)) % TICKS_PER_DAY;
    case 'datetime2': return normaliseDateTime(local.days, local.ticks, scaleOf(to));
    case 'datetimeoffset': {
      if (from.name === 'datetimeoffset') {
        const dt = v as DateTimeValue;
        return normaliseDateTime(dt.days, dt.ticks, scaleOf(to), dt.offset ?? 0);
      }
      // Anything else is taken as the time at +00:00.
      return normaliseDateTime(local.days, local.ticks, scaleOf(to), 0);
    }
    case 'datetime':
    case 'smalldatetime':
      return toLegacyDateTime(to, local, from.name);
    default:
      if (isInteger(to) || isDecimal(to) || to.name === 'real' || to.name === 'float') throw notImplemented(from, to);
      throw clash(from, to);
  }
}
