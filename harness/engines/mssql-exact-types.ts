import { TYPES } from 'tedious';

/**
 * tedious's own decimal and money encoders multiply a JavaScript double by 10^scale, so any value whose
 * unscaled digits pass 2^53 (a decimal(38,10) above 900,000, a money above 900 billion) would be
 * written with wrong digits. These two types keep tedious's wire metadata (type info, lengths) and
 * replace only the value encoding with exact integer arithmetic on the unscaled value, a bigint that
 * mssql-write.ts computes from the decimal text. Values must be validated by the caller (validate is
 * the identity), which mssql-write.ts does before a value reaches tedious.
 */
type Parameter = { value: unknown; precision?: number; scale?: number };

function littleEndian(magnitude: bigint, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let rest = magnitude;
  for (let i = 0; i < bytes; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** MS-TDS 2.2.5.5.1.6: a sign byte (1 = positive) then the magnitude in 4, 8, 12 or 16 bytes by precision. */
export const ExactDecimal = Object.assign(Object.create(TYPES.Decimal) as typeof TYPES.Decimal, {
  validate: (value: unknown) => value ?? null,
  *generateParameterData(parameter: Parameter) {
    if (parameter.value === null || parameter.value === undefined) return;
    const unscaled = parameter.value as bigint;
    const precision = parameter.precision ?? 18;
    const bytes = precision <= 9 ? 4 : precision <= 19 ? 8 : precision <= 28 ? 12 : 16;
    yield Buffer.concat([Buffer.from([unscaled < 0n ? 0 : 1]), littleEndian(unscaled < 0n ? -unscaled : unscaled, bytes)]);
  },
});

/** money: the value × 10,000 as a 64-bit integer, sent high 32 bits first, then the low 32 bits. */
export const ExactMoney = Object.assign(Object.create(TYPES.Money) as typeof TYPES.Money, {
  validate: (value: unknown) => value ?? null,
  *generateParameterData(parameter: Parameter) {
    if (parameter.value === null || parameter.value === undefined) return;
    const v = BigInt.asUintN(64, parameter.value as bigint);
    const out = Buffer.alloc(8);
    out.writeUInt32LE(Number(v >> 32n), 0);
    out.writeUInt32LE(Number(v & 0xffffffffn), 4);
    yield out;
  },
});

/** smallmoney: the value × 10,000 as a 32-bit integer. */
export const ExactSmallMoney = Object.assign(Object.create(TYPES.SmallMoney) as typeof TYPES.SmallMoney, {
  validate: (value: unknown) => value ?? null,
  *generateParameterData(parameter: Parameter) {
    if (parameter.value === null || parameter.value === undefined) return;
    const out = Buffer.alloc(4);
    out.writeInt32LE(Number(parameter.value as bigint), 0);
    yield out;
  },
});

/** A datetimeoffset as SQL Server stores it: the UTC date and time, and the offset it was written at. */
export interface OffsetDateTime {
  /** Days since 0001-01-01 (UTC date). */
  readonly days: number;
  /** 100 ns ticks since midnight (UTC time). */
  readonly ticks: number;
  /** Minutes east of UTC, -840 to 840. */
  readonly offsetMinutes: number;
}

/**
 * datetimeoffset: tedious's encoder takes a Date and writes Node's own time-zone offset, so a value's
 * offset (-08:00, +05:30) would be replaced by the bench process's. This one writes the value's (MS-TDS
 * 2.2.5.5.1.8: time in 10^-scale seconds in 3 to 5 bytes by scale, days since 0001-01-01 in 3, offset
 * in minutes in 2).
 */
export const ExactDateTimeOffset = Object.assign(Object.create(TYPES.DateTimeOffset) as typeof TYPES.DateTimeOffset, {
  validate: (value: unknown) => value ?? null,
  *generateParameterData(parameter: Parameter) {
    if (parameter.value === null || parameter.value === undefined) return;
    const v = parameter.value as OffsetDateTime;
    const scale = parameter.scale ?? 7;
    // Callers round to the column's scale first (the text never has more digits than the source column).
    const time = Math.round(v.ticks / 10 ** (7 - scale));
    const timeBytes = scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
    const out = Buffer.alloc(timeBytes + 5);
    out.writeUIntLE(time, 0, timeBytes);
    out.writeUIntLE(v.days, timeBytes, 3);
    out.writeInt16LE(v.offsetMinutes, timeBytes + 3);
    yield out;
  },
});
