import type { Column, PortableType } from '../model/catalog.js';
import { ValueError } from './value-error.js';

/**
 * SQL Server types: how they map to bench's portable types (and so to PostgreSQL DDL through
 * pgTypeFor), how a column is selected, and how the value tedious decodes becomes the text form the
 * PostgreSQL target accepts. docs/mssql-types.md is the same table for people.
 */

/** A column as sys.columns describes it (max_length in bytes, -1 for max). */
export interface MssqlColumnType {
  /** System type name; for alias types the base type (TYPE_NAME(system_type_id)). */
  readonly typeName: string;
  readonly maxLength: number;
  readonly precision: number;
  readonly scale: number;
}

/** Types bench refuses: no faithful PostgreSQL column, so the run stops before copying (see mssql-introspect.ts). */
export const UNSUPPORTED_TYPES = new Set(['sql_variant', 'geography', 'geometry', 'hierarchyid', 'table', 'vector', 'json']);

export function nativeTypeName(t: MssqlColumnType): string {
  const chars = (bytesPerChar: number) => (t.maxLength === -1 ? 'max' : String(t.maxLength / bytesPerChar));
  switch (t.typeName) {
    case 'decimal':
    case 'numeric':
      return `${t.typeName}(${t.precision},${t.scale})`;
    case 'char':
    case 'varchar':
    case 'binary':
    case 'varbinary':
      return `${t.typeName}(${chars(1)})`;
    case 'nchar':
    case 'nvarchar':
      return `${t.typeName}(${chars(2)})`;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return `${t.typeName}(${t.scale})`;
    case 'float':
      return t.precision === 53 ? 'float' : `float(${t.precision})`;
    default:
      return t.typeName;
  }
}

export function portableType(t: MssqlColumnType): PortableType {
  const length = (bytesPerChar: number) => (t.maxLength === -1 ? {} : { length: t.maxLength / bytesPerChar });
  switch (t.typeName) {
    case 'tinyint':
    case 'smallint':
      return { kind: 'int16' };
    case 'int': return { kind: 'int32' };
    case 'bigint': return { kind: 'int64' };
    case 'bit': return { kind: 'bool' };
    case 'decimal':
    case 'numeric':
      return { kind: 'decimal', precision: t.precision, scale: t.scale };
    case 'money': return { kind: 'money' };
    case 'smallmoney': return { kind: 'decimal', precision: 10, scale: 4 };
    case 'real': return { kind: 'float32' };
    case 'float': return t.precision <= 24 ? { kind: 'float32' } : { kind: 'float64' };
    case 'date': return { kind: 'date' };
    case 'time': return { kind: 'time', precision: t.scale };
    case 'datetime': return { kind: 'timestamp', precision: 3 };
    case 'smalldatetime': return { kind: 'timestamp', precision: 0 };
    case 'datetime2': return { kind: 'timestamp', precision: t.scale };
    case 'datetimeoffset': return { kind: 'timestamptz', precision: t.scale };
    case 'char': return { kind: 'text', fixed: true, ...length(1) };
    case 'nchar': return { kind: 'text', fixed: true, ...length(2) };
    case 'varchar': return { kind: 'text', ...length(1) };
    case 'nvarchar': return { kind: 'text', ...length(2) };
    case 'sysname': return { kind: 'text', length: 128 };
    case 'text':
    case 'ntext':
      return { kind: 'text' };
    case 'uniqueidentifier': return { kind: 'uuid' };
    case 'binary':
    case 'varbinary':
    case 'image':
    case 'timestamp':
    case 'rowversion':
      return { kind: 'binary' };
    case 'xml': return { kind: 'xml' };
    default: return { kind: 'other', name: t.typeName };
  }
}

/** The base type name inside a Column's nativeType: "decimal(38,10)" → "decimal". */
export function baseTypeName(nativeType: string): string {
  return nativeType.replace(/\(.*$/, '').trim().toLowerCase();
}

/**
 * The form a SQL Server source reads rows in: `postgres` (the default) as a PostgreSQL target takes them,
 * fractional seconds at most 6 digits and a datetimeoffset as its UTC instant; `mssql` at SQL Server's
 * own precision for a SQL Server target, 7 digits and the datetimeoffset's own offset (read as text,
 * since tedious decodes only the instant).
 */
export type RowForm = 'postgres' | 'mssql';

/**
 * How a column's values are read, where tedious's own decoding would not be exact. tedious decodes
 * decimal/numeric as a JavaScript number and money as a number divided by 10,000: exact only while the
 * unscaled digits stay below 2^53. Issue 17 also showed that reading them as CONVERT(…) text leaves
 * their format to the server (one printed money blank-padded, and bench wrote 0.5000 for 1.5000). So:
 * - `native`: tedious's value as it is (decimals of up to 15 digits and smallmoney are exact as doubles;
 *   toFixed(scale) gives their digits back);
 * - `scaled`: money and decimals of 16 to 18 digits as their exact unscaled integer, a bigint (TDS's
 *   8-byte integer, which tedious hands over as decimal text): CAST(value × 10^scale AS bigint) is exact,
 *   since the product has no fraction and fits (|money| × 10,000 < 2^63, a decimal(18,s) × 10^s < 10^18);
 * - `text`: decimals of 19 to 38 digits, which no integer type holds, as CONVERT(varchar, value) with
 *   style 0 (the only one decimals have: sign, digits, point, digits), parsed strictly (decimalText): any
 *   other form stops the copy naming the value, never guessed at; and a datetimeoffset for a SQL Server
 *   target, whose offset tedious drops.
 */
export type ReadForm = { readonly kind: 'native' } | { readonly kind: 'scaled'; readonly scale: number } | { readonly kind: 'text' };

export function readFormOf(c: Column, form: RowForm = 'postgres'): ReadForm {
  const base = baseTypeName(c.nativeType);
  if (base === 'money') return { kind: 'scaled', scale: 4 };
  if (base === 'datetimeoffset') return form === 'mssql' ? { kind: 'text' } : { kind: 'native' };
  if (base === 'decimal' || base === 'numeric') {
    const precision = c.portable.kind === 'decimal' ? (c.portable.precision ?? 38) : 38;
    const scale = c.portable.kind === 'decimal' ? (c.portable.scale ?? 0) : 0;
    if (precision <= 15) return { kind: 'native' };
    if (precision <= 18) return { kind: 'scaled', scale };
    return { kind: 'text' };
  }
  return { kind: 'native' };
}

/** An unscaled integer's text (a bigint from tedious) at `scale` → decimal text: '-15000', 4 → '-1.5000'. */
export function scaledText(v: unknown, scale: number): string {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw new ValueError(v, 'is not an integer (a scaled decimal read as bigint)');
  if (scale === 0) return v;
  const negative = v.startsWith('-');
  const digits = (negative ? v.slice(1) : v).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * A decimal(p,s) as the server's CONVERT text → the same digits, checked: an optional minus, digits, an
 * optional point and fraction of at most s digits, at most p - s integer digits. Nothing is trimmed or
 * rounded: any other text throws (issue 17).
 */
export function decimalText(v: unknown, precision: number, scale: number): string {
  const m = typeof v === 'string' ? /^(-?)(\d+)(?:\.(\d+))?$/.exec(v) : null;
  if (!m) throw new ValueError(v, "is not a decimal number (the server's CONVERT text)");
  if ((m[3] ?? '').length > scale || m[2]!.replace(/^0+(?=\d)/, '').length > Math.max(1, precision - scale)) {
    throw new ValueError(v, `does not fit decimal(${precision},${scale}) (the server's CONVERT text)`);
  }
  return v as string;
}

/** Values as PostgreSQL takes them: text, numbers, booleans, or Buffers (bytea). */
export type PgValue = string | number | boolean | Buffer | null;
export type Converter = (value: unknown) => PgValue;

/** tedious sets this on Date values of time, datetime2 and datetimeoffset: the part below a millisecond, in seconds. */
interface DateWithNanos extends Date {
  nanosecondsDelta?: number;
}

/** 100 ns ticks in a day: SQL Server's time unit (mssql-write.ts counts in it too). */
export const TICKS_PER_DAY = 864_000_000_000;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * A tedious Date (UTC fields, see `useUTC: true`) → days since 1970 and 100 ns ticks since midnight.
 * nanosecondsDelta is a float (ticks / 1e7), so it is rounded back to whole ticks.
 */
function dayTicks(d: DateWithNanos): { day: number; ticks: number } {
  const ms = d.getTime();
  const day = Math.floor(ms / 86_400_000);
  const msOfDay = ms - day * 86_400_000;
  return { day, ticks: msOfDay * 10_000 + Math.round((d.nanosecondsDelta ?? 0) * 1e7) };
}

/**
 * Rounds 100 ns ticks to `digits` fractional digits, half up as SQL Server's CAST to a smaller scale
 * does, so the copied value and the fingerprint's CAST(… AS datetime2(6)) agree (PostgreSQL would
 * round a seventh digit half-even).
 */
function roundTicks(ticks: number, digits: number): number {
  const unit = 10 ** (7 - digits);
  return Math.floor((ticks + unit / 2) / unit) * unit;
}

function dateText(day: number): string {
  const d = new Date(day * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

function timeText(ticks: number, digits: number): string {
  const seconds = Math.floor(ticks / 10_000_000);
  const frac = ticks - seconds * 10_000_000;
  const hms = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  return digits > 0 ? `${hms}.${pad(frac, 7).slice(0, digits)}` : hms;
}

/** "YYYY-MM-DD HH:MM:SS[.fffffff]" at `digits` (≤ 7) fractional digits, carrying a rounded-up midnight. */
function timestampText(d: DateWithNanos, digits: number): string {
  let { day, ticks } = dayTicks(d);
  ticks = roundTicks(ticks, digits);
  if (ticks >= TICKS_PER_DAY) {
    day += 1;
    ticks -= TICKS_PER_DAY;
  }
  return `${dateText(day)} ${timeText(ticks, digits)}`;
}

/** Fractional digits a PostgreSQL time/timestamp keeps: the source scale, at most 6. */
export function pgDigits(scale: number | undefined): number {
  return Math.min(6, scale ?? 6);
}

/** Fractional digits a value keeps in a row form: all of SQL Server's (up to 7) for a SQL Server target. */
function formDigits(scale: number | undefined, form: RowForm): number {
  return form === 'mssql' ? Math.min(7, scale ?? 7) : pgDigits(scale);
}

/**
 * One converter per copied column, chosen once from the catalog (never per value). With the `mssql` form
 * a datetimeoffset arrives as SQL Server's own text ('2024-03-10 01:30:00.5000000 -08:00'), kept as is.
 */
export function converterFor(c: Column, form: RowForm = 'postgres'): Converter {
  const base = baseTypeName(c.nativeType);
  const p = c.portable;
  const read = readFormOf(c, form);
  if (read.kind === 'scaled') return (v) => (v === null || v === undefined ? null : scaledText(v, read.scale));
  if (read.kind === 'text') {
    if (base === 'datetimeoffset') return (v) => (v === null || v === undefined ? null : String(v));
    const precision = p.kind === 'decimal' ? (p.precision ?? 38) : 38;
    const scale = p.kind === 'decimal' ? (p.scale ?? 0) : 0;
    return (v) => (v === null || v === undefined ? null : decimalText(v, precision, scale));
  }
  switch (base) {
    case 'decimal':
    case 'numeric': {
      const scale = p.kind === 'decimal' ? (p.scale ?? 0) : 0;
      return (v) => (v === null || v === undefined ? null : (v as number).toFixed(scale));
    }
    case 'smallmoney':
      return (v) => (v === null || v === undefined ? null : (v as number).toFixed(4));
    case 'real':
    case 'float':
      // String() is the shortest text that parses back to the same double; a real arrives widened
      // to a double, and PostgreSQL's real input rounds it back to the same single.
      return (v) => (v === null || v === undefined ? null : String(v));
    case 'date':
      return (v) => (v === null || v === undefined ? null : dateText(dayTicks(v as Date).day));
    case 'time': {
      const digits = formDigits(p.kind === 'time' ? p.precision : 7, form);
      return (v) => {
        if (v === null || v === undefined) return null;
        // time(7) 23:59:59.9999995 rounds to 24:00:00, which PostgreSQL's time accepts.
        return timeText(roundTicks(dayTicks(v as Date).ticks, digits), digits);
      };
    }
    case 'datetime':
    case 'smalldatetime':
    case 'datetime2': {
      const digits = formDigits(p.kind === 'timestamp' ? p.precision : 7, form);
      return (v) => (v === null || v === undefined ? null : timestampText(v as Date, digits));
    }
    case 'datetimeoffset': {
      // tedious hands back the instant (UTC) and drops the offset; timestamptz keeps the instant too.
      const digits = pgDigits(p.kind === 'timestamptz' ? p.precision : 7);
      return (v) => (v === null || v === undefined ? null : `${timestampText(v as Date, digits)}+00:00`);
    }
    case 'uniqueidentifier':
      return (v) => (v === null || v === undefined ? null : String(v).toLowerCase());
    default:
      // Integers (bigint arrives as a string), bit (boolean), strings, xml, Buffers: as they are.
      return (v) => (v === undefined ? null : (v as PgValue));
  }
}

/**
 * Temporal values by portable type alone, for the portable fingerprint's MIN/MAX results: the column may
 * come from another engine's catalog, whose native type names mean nothing here. Same text as converterFor.
 */
export function portableConverter(p: PortableType): Converter {
  const digits = pgDigits('precision' in p ? p.precision : undefined);
  switch (p.kind) {
    case 'date':
      return (v) => (v instanceof Date ? dateText(dayTicks(v).day) : (v as PgValue));
    case 'time':
      return (v) => (v instanceof Date ? timeText(roundTicks(dayTicks(v).ticks, digits), digits) : (v as PgValue));
    case 'timestamp':
      return (v) => (v instanceof Date ? timestampText(v, digits) : (v as PgValue));
    case 'timestamptz':
      return (v) => (v instanceof Date ? `${timestampText(v, digits)}+00:00` : (v as PgValue));
    default:
      return (v) => (v as PgValue);
  }
}

/**
 * PostgreSQL COPY text format (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format"):
 * tab between columns, newline after each row, \N for NULL, backslash escapes for backslash, tab,
 * newline and carriage return; bytea as \\x followed by hex (the escaped form of \x).
 */
export function copyTextField(v: PgValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'string') return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, escapeChar) : v;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return `\\\\x${v.toString('hex')}`;
}

function escapeChar(ch: string): string {
  switch (ch) {
    case '\\': return '\\\\';
    case '\t': return '\\t';
    case '\n': return '\\n';
    default: return '\\r';
  }
}

/** PostgreSQL CSV: empty unquoted field is NULL, "" is the empty string, quotes doubled. */
export function copyCsvField(v: PgValue): string {
  if (v === null) return '';
  let text: string;
  if (typeof v === 'string') text = v;
  else if (typeof v === 'boolean') text = v ? 't' : 'f';
  else if (typeof v === 'number') text = String(v);
  else text = `\\x${v.toString('hex')}`;
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
