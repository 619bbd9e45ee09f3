import { createHash } from 'node:crypto';
import type { Column, PortableType } from '../model/catalog.js';

/**
 * The cross-engine fingerprint. A same-engine copy compares a hash of each row's text form
 * (postgres-sql.ts fingerprintSql), but SQL Server and PostgreSQL print values differently, so across
 * engines each side computes the same per-column aggregates inside its own database, and bench
 * compares them after normalising their text here. The rule, by the column's portable type (taken
 * from the source catalog, so both sides agree on what to compute):
 *
 * | portable type            | probes (besides the row count)                                    |
 * |--------------------------|-------------------------------------------------------------------|
 * | every column             | count of non-NULL values                                          |
 * | int16/32/64, decimal, money | exact sum (as a decimal, trailing zeros dropped)              |
 * | bool                     | number of true values                                             |
 * | float32/64               | min and max (sums of floats depend on the order of addition)      |
 * | text                     | sum of lengths in UTF-16 code units, trailing spaces ignored      |
 * |                          | (SQL Server pads char(n) and compares ignoring them)              |
 * | binary                   | sum of lengths in bytes                                           |
 * | date                     | min, max, sum of days since 1970-01-01                            |
 * | time                     | min, max at the target's precision (≤ 6 digits)                   |
 * | timestamp                | min, max at the target's precision, sum of whole seconds since 1970 |
 * | timestamptz              | the same on the UTC instant                                       |
 * | uuid                     | min and max of the lower-case text, in binary (C) order           |
 * | xml, json, other         | the count only (servers normalise these documents differently)    |
 *
 * This is weaker than the row hash (it cannot see two values swapped between rows, or a changed
 * character that keeps the length) and is used only when the engines differ.
 */
export type ProbeKind = 'count' | 'sum' | 'trues' | 'min' | 'max' | 'chars' | 'bytes' | 'days' | 'seconds';

export interface Probe {
  readonly column: Column;
  readonly kind: ProbeKind;
  /** Result column alias: p0, p1, … in plan order. */
  readonly alias: string;
}

/** A probe's identity across engines and queries (its alias changes when probes are left out). */
export function probeKey(p: Pick<Probe, 'column' | 'kind'>): string {
  return `${p.column.name}\u0000${p.kind}`;
}

export function probesFor(columns: readonly Column[]): Probe[] {
  const probes: Probe[] = [];
  const add = (column: Column, kind: ProbeKind) => probes.push({ column, kind, alias: `p${probes.length}` });
  for (const c of columns) {
    add(c, 'count');
    for (const kind of kindsFor(c.portable)) add(c, kind);
  }
  return probes;
}

function kindsFor(p: PortableType): ProbeKind[] {
  switch (p.kind) {
    case 'int16':
    case 'int32':
    case 'int64':
    case 'decimal':
    case 'money':
      return ['sum'];
    case 'bool': return ['trues'];
    case 'float32':
    case 'float64':
      return ['min', 'max'];
    case 'text': return ['chars'];
    case 'binary': return ['bytes'];
    case 'date': return ['min', 'max', 'days'];
    case 'time': return ['min', 'max'];
    case 'timestamp':
    case 'timestamptz':
      return ['min', 'max', 'seconds'];
    case 'uuid': return ['min', 'max'];
    default: return [];
  }
}

/** The scale a decimal sum is computed at (both sides must print the same digits before normalising). */
/**
 * The scale an unconstrained decimal (PostgreSQL's plain `numeric`) gets on a SQL Server target,
 * decimal(38,10): its sums are compared at that scale, so values SQL Server had to round show up.
 */
export const UNCONSTRAINED_DECIMAL_SCALE = 10;

export function sumScale(p: PortableType): number {
  if (p.kind === 'money') return 4;
  if (p.kind === 'decimal') return p.scale ?? (p.precision === undefined ? UNCONSTRAINED_DECIMAL_SCALE : 0);
  return 0;
}

/** Fractional digits kept for time and timestamp probes: what the PostgreSQL target column keeps. */
export function temporalDigits(p: PortableType): number {
  const precision = p.kind === 'time' || p.kind === 'timestamp' || p.kind === 'timestamptz' ? p.precision : undefined;
  return Math.min(6, precision ?? 6);
}

/**
 * One probe's value as text that is equal on both engines for equal data. Inputs are what each
 * engine's driver returns (strings, numbers, Dates already formatted by the engine module).
 */
export function normaliseProbe(probe: Probe, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const text = String(value).trim();
  switch (probe.kind) {
    case 'count':
    case 'trues':
    case 'chars':
    case 'bytes':
    case 'days':
    case 'seconds':
      return BigInt(text.replace(/\.0*$/, '')).toString();
    case 'sum':
      return canonicalDecimal(text);
    case 'min':
    case 'max':
      return normaliseExtreme(probe.column.portable, text);
  }
}

/** "-0012.3400" → "-12.34", "0.000" → "0". */
export function canonicalDecimal(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) return text;
  const int = (m[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return body === '0' ? '0' : `${m[1] === '-' ? '-' : ''}${body}`;
}

function normaliseExtreme(p: PortableType, text: string): string {
  switch (p.kind) {
    case 'float32':
    case 'float64':
      return String(Number(text));
    case 'uuid':
      return text.toLowerCase();
    case 'time':
      return padFraction(text, temporalDigits(p));
    case 'timestamp':
    case 'timestamptz':
      // "2024-01-02T03:04:05.5" and "2024-01-02 03:04:05.500000+00" → "2024-01-02 03:04:05.500000".
      return padFraction(text.replace('T', ' ').replace(/(Z|[+-]\d\d(:?\d\d)?)$/, ''), temporalDigits(p));
    default:
      return text;
  }
}

/** Gives the seconds field exactly `digits` fractional digits (the value is already rounded to them). */
function padFraction(text: string, digits: number): string {
  const m = /^(.*\d\d:\d\d:\d\d)(?:\.(\d+))?$/.exec(text);
  if (!m) return text;
  const frac = (m[2] ?? '').padEnd(digits, '0').slice(0, digits);
  return digits > 0 ? `${m[1]}.${frac}` : m[1]!;
}

/** The checksum: a short hash of every probe's normalised value, in plan order. */
export function portableChecksum(probes: readonly Probe[], values: readonly unknown[]): string {
  const hash = createHash('sha256');
  probes.forEach((p, i) => hash.update(`${p.column.name}\u0000${p.kind}\u0000${normaliseProbe(p, values[i])}\n`));
  return `portable:${hash.digest('hex').slice(0, 16)}`;
}
