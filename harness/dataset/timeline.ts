/**
 * Dates inside StackOverflow2013's span (the site opened on 2008-07-31; the dump ends with 2013). Rows
 * are laid out along the span in id order, as on the real site, where ids grow with time.
 * Values are whole milliseconds, so timestamp(3) columns store them without rounding.
 */
export const EPOCH = '2008-07-31 00:00:00';
export const SPAN_MS = Date.UTC(2014, 0, 1) - Date.UTC(2008, 6, 31);
const DAY_MS = 86_400_000;

/** Milliseconds since EPOCH for row `id` of `rows`, evenly spread; float division is IEEE-exact enough. */
export function spreadMs(id: string, rows: number): string {
  return `((((${id}) - 1)::float8 * ${SPAN_MS} / ${rows})::bigint)`;
}

/** A timestamp from milliseconds since EPOCH, capped at the end of the span. */
export function timestampAt(ms: string): string {
  return `(TIMESTAMP '${EPOCH}' + least(${ms}, ${SPAN_MS - 1}) * INTERVAL '1 millisecond')`;
}

/** Midnight of the day: Votes carry dates only, as in the dump. */
export function dayOf(ms: string): string {
  return `(((${ms}) / ${DAY_MS}) * ${DAY_MS})`;
}

export const HOUR_MS = 3_600_000;
export { DAY_MS };
