import { TYPES } from 'tedious';
import type { Column } from '../model/catalog.js';
import { BenchError } from '../base/errors.js';
import { ExactDateTimeOffset, ExactDecimal, ExactMoney, ExactSmallMoney, type OffsetDateTime } from './mssql-exact-types.js';
import { quoteName, tableSql } from './mssql-sql.js';
import { TICKS_PER_DAY } from './mssql-types.js';
import type { QualifiedName } from '../model/catalog.js';

/**
 * Writing rows into SQL Server. Rows reach a target in bench's common row form (PostgreSQL's text
 * forms: strings, plus numbers, booleans and Buffers from a SQL Server source, see mssql-types.ts), and
 * each target column gets two encoders chosen once from its T-SQL type (like SqlBulkCopy, which reads
 * the destination's column types first):
 * - INSERT parameters: integers, bit, floats and binary typed; everything else as nvarchar text,
 *   CAST to the column's type in the statement (exact for decimals, keeps every fractional digit);
 * - bulk load (tedious BulkLoad, TDS INSERT BULK): the column's own TDS type, because a bulk load
 *   carries values in the declared types.
 */

type DataType = (typeof TYPES)[keyof typeof TYPES];

interface TypeOptions {
  length?: number;
  precision?: number;
  scale?: number;
}

export interface Encoder {
  readonly type: DataType;
  readonly options: TypeOptions;
  readonly encode: (v: unknown) => unknown;
}

export interface WriteColumn {
  readonly name: string;
  readonly param: Encoder;
  readonly bulk: Encoder;
  /**
   * The type an INSERT parameter is CAST to in the statement: the column's own, so no value relies on
   * the server's implicit conversion (a datetimeoffset's text, a decimal's; issue 17). Absent for
   * character, binary and xml columns, whose values travel in their own type family: there an explicit
   * CAST would truncate a too-long value silently where the implicit conversion fails (2628).
   */
  readonly castTo?: string;
}

/** "decimal(38,10)" → base "decimal", args [38, 10]; "nvarchar(max)" → args [-1]. */
export function parseTsqlType(nativeType: string): { base: string; args: number[] } {
  const m = /^\s*([a-z0-9_ ]+?)\s*(?:\(([^)]*)\))?\s*$/i.exec(nativeType);
  if (!m) return { base: nativeType.trim().toLowerCase(), args: [] };
  const args = (m[2] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a.length > 0)
    .map((a) => (a.toLowerCase() === 'max' ? -1 : Number(a)));
  return { base: m[1]!.toLowerCase(), args };
}

/** Character, binary and xml columns take their values without a CAST (see WriteColumn.castTo). */
const UNCAST = new Set(['char', 'varchar', 'text', 'nchar', 'nvarchar', 'ntext', 'sysname', 'binary', 'varbinary', 'image', 'timestamp', 'rowversion', 'xml']);

export function writeColumn(c: Column): WriteColumn {
  const column = encodersOf(c);
  const base = parseTsqlType(c.nativeType).base;
  return UNCAST.has(base) ? column : { ...column, castTo: c.nativeType };
}

function encodersOf(c: Column): WriteColumn {
  const { base, args } = parseTsqlType(c.nativeType);
  const column = numericEncoders(c, base, args) ?? temporalEncoders(c, base, args) ?? otherEncoders(c, base, args);
  if (!column) throw new BenchError(`column "${c.name}" has SQL Server type ${c.nativeType}, which bench cannot write`);
  return column;
}

/** Parameters that carry text for CAST in the statement (see WriteColumn.castTo). */
const text: Encoder = { type: TYPES.NVarChar, options: { length: 4000 }, encode: (v) => textOf(v) };
const textMax: Encoder = { type: TYPES.NVarChar, options: { length: Infinity }, encode: (v) => textOf(v) };

/** Integers, bit and floats travel typed both ways; exact numbers as text to INSERT, unscaled to a bulk load. */
function numericEncoders(c: Column, base: string, args: readonly number[]): WriteColumn | undefined {
  const where = c.name;
  const same = (e: Encoder): WriteColumn => ({ name: c.name, param: e, bulk: e });
  switch (base) {
    case 'tinyint':
      return same({ type: TYPES.TinyInt, options: {}, encode: (v) => intOf(v, where) });
    case 'smallint':
      return same({ type: TYPES.SmallInt, options: {}, encode: (v) => intOf(v, where) });
    case 'int':
      return same({ type: TYPES.Int, options: {}, encode: (v) => intOf(v, where) });
    case 'bigint':
      return same({ type: TYPES.BigInt, options: {}, encode: (v) => bigintOf(v, where) });
    case 'bit':
      return same({ type: TYPES.Bit, options: {}, encode: (v) => bitOf(v, where) });
    case 'real':
      return same({ type: TYPES.Real, options: {}, encode: (v) => floatOf(v, where) });
    case 'float':
      return same({ type: (args[0] ?? 53) <= 24 ? TYPES.Real : TYPES.Float, options: {}, encode: (v) => floatOf(v, where) });
    case 'decimal':
    case 'numeric': {
      const precision = args[0] ?? 18;
      const scale = args[1] ?? 0;
      return {
        name: c.name,
        param: text,
        bulk: { type: ExactDecimal, options: { precision, scale }, encode: (v) => unscaledDecimal(v, scale, precision, where) },
      };
    }
    case 'money':
    case 'smallmoney':
      return {
        name: c.name,
        param: text,
        bulk: { type: base === 'money' ? ExactMoney : ExactSmallMoney, options: {}, encode: (v) => unscaledDecimal(v, 4, base === 'money' ? 19 : 10, where) },
      };
    default:
      return undefined;
  }
}

function temporalEncoders(c: Column, base: string, args: readonly number[]): WriteColumn | undefined {
  const where = c.name;
  switch (base) {
    case 'date':
      return { name: c.name, param: text, bulk: { type: TYPES.Date, options: {}, encode: (v) => dateOf(v, where) } };
    case 'time': {
      const scale = args[0] ?? 7;
      return { name: c.name, param: text, bulk: { type: TYPES.Time, options: { scale }, encode: (v) => timeOf(v, where) } };
    }
    case 'datetime2': {
      const scale = args[0] ?? 7;
      return { name: c.name, param: text, bulk: { type: TYPES.DateTime2, options: { scale }, encode: (v) => timestampOf(v, where) } };
    }
    case 'datetime':
    case 'smalldatetime':
      return {
        name: c.name,
        // A string with more than 3 fractional digits does not convert to datetime.
        param: { type: TYPES.NVarChar, options: { length: 4000 }, encode: (v) => millisecondText(v) },
        bulk: { type: base === 'datetime' ? TYPES.DateTime : TYPES.SmallDateTime, options: {}, encode: (v) => timestampOf(v, where) },
      };
    case 'datetimeoffset': {
      const scale = args[0] ?? 7;
      return {
        name: c.name,
        // Both keep the source's offset: INSERT sends the text, the bulk load the UTC time and the offset.
        param: { type: TYPES.NVarChar, options: { length: 4000 }, encode: (v) => offsetText(v) },
        bulk: { type: ExactDateTimeOffset, options: { scale }, encode: (v) => offsetDateTimeOf(v, scale, where) },
      };
    }
    default:
      return undefined;
  }
}

/** uniqueidentifier, binary, character and xml columns. */
function otherEncoders(c: Column, base: string, args: readonly number[]): WriteColumn | undefined {
  const where = c.name;
  const same = (e: Encoder): WriteColumn => ({ name: c.name, param: e, bulk: e });
  switch (base) {
    case 'uniqueidentifier':
      return { name: c.name, param: text, bulk: { type: TYPES.UniqueIdentifier, options: {}, encode: (v) => textOf(v) } };
    case 'binary':
    case 'varbinary':
    case 'image':
    case 'timestamp':
    case 'rowversion': {
      const length = args[0] === undefined || args[0] === -1 || base === 'image' ? Infinity : args[0];
      const param: Encoder = { type: TYPES.VarBinary, options: { length: length === Infinity ? Infinity : 8000 }, encode: (v) => bytesOf(v, where) };
      return { name: c.name, param, bulk: { ...param, options: { length } } };
    }
    case 'char':
    case 'varchar':
    case 'text':
    case 'nchar':
    case 'nvarchar':
    case 'ntext':
    case 'sysname': {
      const unicode = base.startsWith('n') || base === 'sysname';
      const length = args[0] === undefined || args[0] === -1 || base === 'text' || base === 'ntext' ? Infinity : args[0];
      const type = unicode ? (base === 'nchar' ? TYPES.NChar : TYPES.NVarChar) : base === 'char' ? TYPES.Char : TYPES.VarChar;
      const param = length === Infinity ? textMax : text;
      return { name: c.name, param, bulk: { type, options: { length }, encode: (v) => textOf(v) } };
    }
    case 'xml':
      // tedious cannot send xml values; nvarchar(max) converts to xml on the server.
      return same(textMax);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- values

function textOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex')}`;
  return String(v);
}

function fail(where: string, v: unknown, why: string): never {
  const shown = String(v).length > 40 ? `${String(v).slice(0, 40)}…` : String(v);
  throw new BenchError(`column "${where}": ${why} (value ${shown})`);
}

function intOf(v: unknown, where: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = String(v);
  if (!/^[+-]?\d+$/.test(s)) fail(where, v, 'not an integer');
  return Number(s);
}

function bigintOf(v: unknown, where: string): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v);
  if (!/^[+-]?\d+$/.test(s)) fail(where, v, 'not an integer');
  return s;
}

function bitOf(v: unknown, where: string): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  switch (String(v).toLowerCase()) {
    case 't':
    case 'true':
    case '1':
      return true;
    case 'f':
    case 'false':
    case '0':
      return false;
    default:
      return fail(where, v, 'not a boolean');
  }
}

function floatOf(v: unknown, where: string): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) fail(where, v, "SQL Server's float holds no NaN or infinity");
  return n;
}

/**
 * A decimal's text → its unscaled integer at the column's scale (exact: no double in between), for
 * the exact bulk encoders (mssql-exact-types.ts). A value with more decimal places or more digits than
 * the column holds stops the copy, naming the column, rather than being rounded.
 */
function unscaledDecimal(v: unknown, scale: number, precision: number, where: string): bigint | null {
  if (v === null || v === undefined) return null;
  const s = typeof v === 'number' ? v.toFixed(scale) : String(v).trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return fail(where, v, 'not a decimal number');
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > scale) fail(where, v, `more than ${scale} decimal places`);
  const digits = ((m[2] || '0') + fraction.padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > precision) fail(where, v, `more than ${precision} digits`);
  const unscaled = BigInt(digits);
  return m[1] === '-' ? -unscaled : unscaled;
}

function bytesOf(v: unknown, where: string): Buffer | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  const s = String(v);
  // PostgreSQL's bytea hex output.
  if (/^\\x[0-9a-f]*$/i.test(s)) return Buffer.from(s.slice(2), 'hex');
  return fail(where, v, 'not bytea hex text (\\x…)');
}

/** tedious reads the part of a time below a millisecond from this property, in seconds. */
type DateWithNanos = Date & { nanosecondDelta?: number };

const TEMPORAL = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?)?(?:\s*([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?|Z)?$/;
const TIME = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?$/;

/** Date fields as UTC, with sub-millisecond digits in nanosecondDelta; years below 100 stay as written. */
function utcDate(y: number, mo: number, d: number, h: number, mi: number, s: number, fraction: string): DateWithNanos {
  const digits = fraction.padEnd(9, '0');
  const ms = Number(digits.slice(0, 3));
  const date = new Date(0) as DateWithNanos;
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  const below = Number(digits.slice(3));
  if (below > 0) date.nanosecondDelta = below / 1e9;
  return date;
}

function dateOf(v: unknown, where: string): Date | null {
  if (v === null || v === undefined) return null;
  const m = TEMPORAL.exec(String(v).trim());
  if (!m) return fail(where, v, 'not a date SQL Server can hold (years 1 to 9999, no BC or infinity)');
  return utcDate(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, '');
}

function timeOf(v: unknown, where: string): Date | null {
  if (v === null || v === undefined) return null;
  const m = TIME.exec(String(v).trim());
  if (!m) return fail(where, v, 'not a time of day SQL Server can hold');
  // PostgreSQL's 24:00:00 has no SQL Server counterpart.
  if (Number(m[1]) > 23) fail(where, v, "SQL Server's time stops at 23:59:59.9999999");
  return utcDate(1970, 1, 1, Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? '');
}

/** A timestamp's text (datetime2, datetime, smalldatetime: no offset) → its date and time as a UTC Date. */
function timestampOf(v: unknown, where: string): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const m = TEMPORAL.exec(String(v).trim());
  if (!m) return fail(where, v, 'not a timestamp SQL Server can hold (years 1 to 9999, no BC or infinity)');
  return utcDate(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7] ?? '');
}

/** Days from 0001-01-01 to 1970-01-01. */
const DAYS_BEFORE_1970 = 719_162;

/**
 * A datetimeoffset's text ('2024-03-10 01:30:00.5000000 -08:00' from SQL Server, '… 09:30:00.5+00' from
 * PostgreSQL; no offset: UTC) → its UTC date and time and its offset, rounded half up to `scale` digits.
 * An offset with seconds (PostgreSQL's local mean times) keeps its instant; SQL Server stores whole minutes.
 */
function offsetDateTimeOf(v: unknown, scale: number, where: string): OffsetDateTime | null {
  if (v === null || v === undefined) return null;
  const m = TEMPORAL.exec(String(v).trim());
  if (!m) return fail(where, v, 'not a timestamp SQL Server can hold (years 1 to 9999, no BC or infinity)');
  const local = new Date(0);
  local.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const unit = 10 ** (7 - scale);
  const fraction = Number((m[7] ?? '').padEnd(7, '0').slice(0, 7));
  const ticks = ((Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0)) * 60 + Number(m[6] ?? 0)) * 10_000_000 + Math.floor((fraction + unit / 2) / unit) * unit;
  const offsetSeconds = m[8] ? (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) * (m[8] === '-' ? -1 : 1) : 0;
  let days = Math.floor(local.getTime() / 86_400_000) + DAYS_BEFORE_1970;
  let utc = ticks - offsetSeconds * 10_000_000;
  while (utc < 0) {
    utc += TICKS_PER_DAY;
    days -= 1;
  }
  while (utc >= TICKS_PER_DAY) {
    utc -= TICKS_PER_DAY;
    days += 1;
  }
  if (days < 0 || days >= 3_652_059) return fail(where, v, 'outside the years 1 to 9999 SQL Server can hold');
  return { days, ticks: utc, offsetMinutes: Math.trunc(offsetSeconds / 60) };
}

/** "… 12:00:00.123456" → "… 12:00:00.123": datetime's string conversion takes at most 3 digits. */
function millisecondText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return String(v).replace(/(:\d\d\.\d{3})\d+/, '$1');
}

/** PostgreSQL prints offsets as "+02" or "+05:30"; SQL Server's conversion wants "+02:00". */
function offsetText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  const m = /^(.*?)([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?$/.exec(s);
  if (!m || !/\d:\d\d/.test(m[1]!)) return s;
  return `${m[1]!.trim()}${m[2]}${m[3]}:${m[4] ?? '00'}`;
}

// ---------------------------------------------------------------- INSERT

/** SQL Server accepts at most 2,100 parameters per request and 1,000 rows per VALUES list. */
export function rowsPerInsert(columns: number, rows: number): number {
  return Math.max(1, Math.min(1000, rows, Math.floor(2000 / Math.max(1, columns))));
}

export function insertSql(table: QualifiedName, columns: readonly WriteColumn[], rows: number): string {
  const values: string[] = [];
  const value = (c: WriteColumn, p: number) => (c.castTo ? `CAST(@p${p} AS ${c.castTo})` : `@p${p}`);
  for (let r = 0; r < rows; r++) values.push(`(${columns.map((c, i) => value(c, r * columns.length + i)).join(', ')})`);
  return `INSERT INTO ${tableSql(table)} (${columns.map((c) => quoteName(c.name)).join(', ')}) VALUES ${values.join(', ')}`;
}
