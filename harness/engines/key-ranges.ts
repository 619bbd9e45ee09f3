import type { KeyRange } from '../model/task.js';

/**
 * Key ranges for split tables, shared by the engines: `parts` equal-width ranges over [lo, hi), the
 * outer ones left open (so rows outside the bounds read at planning time still fall in a part), never
 * more parts than values.
 */
export function splitBounds(column: string, lo: bigint, hi: bigint, parts: number): KeyRange[] {
  const span = hi - lo;
  const n = BigInt(Math.max(1, Math.min(parts, Number(span > 0n ? span : 1n))));
  const ranges: KeyRange[] = [];
  for (let i = 0n; i < n; i++) {
    const from = lo + (span * i) / n;
    const to = lo + (span * (i + 1n)) / n;
    ranges.push({ column, ...(i > 0n ? { from: String(from) } : {}), ...(i < n - 1n ? { to: String(to) } : {}) });
  }
  return ranges;
}

/**
 * Ranges between boundary values read from the server in key order (the key at every n/parts-th row):
 * [open, b1), [b1, b2), …, [bk, open). Equal neighbouring boundaries collapse, so a key with few
 * distinct values gets fewer parts, never an empty or overlapping one.
 */
export function rangesBetween(column: string, boundaries: readonly string[]): KeyRange[] {
  const bounds = boundaries.filter((b, i) => i === 0 || b !== boundaries[i - 1]);
  if (bounds.length === 0) return [{ column }];
  return [
    { column, to: bounds[0]! },
    ...bounds.slice(1).map((b, i) => ({ column, from: bounds[i]!, to: b })),
    { column, from: bounds.at(-1)! },
  ];
}
