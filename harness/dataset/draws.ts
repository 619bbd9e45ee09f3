/**
 * SQL expressions for deterministic pseudo-random values. Every value is a pure function of the row id,
 * the seed and a per-column salt, through hashint8extended: PostgreSQL's own hash, stable across
 * versions and platforms because hash partitioning and pg_upgrade depend on it. No random(): re-seeding
 * with the same seed must give byte-identical rows.
 *
 * Only integer arithmetic (and IEEE-exact float division for proportions) is used, never pow/ln/exp,
 * whose last bits may differ between C libraries and would flip a floor() now and then.
 */

/** Salts per seed: seed × SALTS + salt keeps every (seed, salt) pair distinct and inside bigint. */
const SALTS = 4096;
const UNIT_BITS = 20;
const UNIT = 2 ** UNIT_BITS;

export class Draws {
  /** `id` is the SQL expression of the row number (1-based, bigint). */
  constructor(
    private readonly seed: number,
    readonly id = 'id',
  ) {}

  /** A 64-bit hash of the row for one salt. Salts 0–4095; each column draws from its own salts. */
  hash(salt: number): string {
    if (!Number.isInteger(salt) || salt < 0 || salt >= SALTS) throw new Error(`salt ${salt} out of range`);
    return `hashint8extended(${this.id}, ${this.seed * SALTS + salt})`;
  }

  /** Uniform integer in [0, n). `n` may be SQL; the & keeps the dividend non-negative. */
  below(salt: number, n: number | string): string {
    return `((${this.hash(salt)} & 9223372036854775807) % (${n}))`;
  }

  /** True with the given probability, in per mille. */
  chance(salt: number, perMille: number): string {
    return `(${this.below(salt, 1000)} < ${perMille})`;
  }

  /** u^power scaled to [0, 2^20): power 1 is uniform, higher powers crowd toward 0 (a long tail). */
  private unitPower(salt: number, power: number): string {
    const u = `(${this.hash(salt)} & ${UNIT - 1})`;
    let e = u;
    for (let i = 1; i < power; i++) e = `((${e} * ${u}) >> ${UNIT_BITS})`;
    return e;
  }

  /** Integer in [0, max) with density falling like u^power: most values small, a few near max. */
  skewed(salt: number, max: number | string, power: number): string {
    return `(((${max})::bigint * ${this.unitPower(salt, power)}) >> ${UNIT_BITS})`;
  }

  /** One of the strings, early ones more often when power > 1. */
  pickFrom(salt: number, values: readonly string[], power = 1): string {
    const list = values.map(sqlString).join(', ');
    return `(ARRAY[${list}])[1 + ${this.skewed(salt, values.length, power)}]`;
  }
}

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
