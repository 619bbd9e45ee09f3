import { describe, expect, it } from 'vitest';
import { splitBounds } from '../../../harness/engines/postgres.js';
import type { KeyRange } from '../../../harness/model/task.js';

/** The range a value falls in; bounds are inclusive below and exclusive above, open at the ends. */
function rangesHolding(ranges: readonly KeyRange[], v: bigint): number[] {
  return ranges.flatMap((r, i) => ((r.from === undefined || v >= BigInt(r.from)) && (r.to === undefined || v < BigInt(r.to)) ? [i] : []));
}

function expectContiguous(ranges: readonly KeyRange[]): void {
  expect(ranges[0]!.from).toBeUndefined();
  expect(ranges.at(-1)!.to).toBeUndefined();
  for (let i = 0; i + 1 < ranges.length; i++) {
    expect(ranges[i]!.to).toBeDefined();
    expect(ranges[i + 1]!.from).toBe(ranges[i]!.to);
  }
  // Strictly increasing bounds: no empty part.
  const bounds = ranges.slice(1).map((r) => BigInt(r.from!));
  for (let i = 0; i + 1 < bounds.length; i++) expect(bounds[i]! < bounds[i + 1]!).toBe(true);
}

describe('splitBounds', () => {
  it('splits [lo, hi) into equal-width parts, the outer ones open', () => {
    expect(splitBounds('id', 1n, 101n, 4)).toEqual([
      { column: 'id', to: '26' },
      { column: 'id', from: '26', to: '51' },
      { column: 'id', from: '51', to: '76' },
      { column: 'id', from: '76' },
    ]);
  });

  it('one part is the whole table, unbounded', () => {
    expect(splitBounds('id', 5n, 1000n, 1)).toEqual([{ column: 'id' }]);
    expect(splitBounds('id', 5n, 1000n, 0)).toEqual([{ column: 'id' }]);
  });

  it('never makes more parts than there are key values', () => {
    expect(splitBounds('id', 10n, 13n, 8)).toEqual([
      { column: 'id', to: '11' },
      { column: 'id', from: '11', to: '12' },
      { column: 'id', from: '12' },
    ]);
    expect(splitBounds('id', 7n, 8n, 4)).toEqual([{ column: 'id' }]);
  });

  it('every value, inside the bounds or outside them, falls in exactly one part', () => {
    for (const [lo, hi] of [[0n, 10n], [-50n, 37n], [1n, 2n], [100n, 1103n]] as const) {
      for (const parts of [1, 2, 3, 4, 7, 16, 1000]) {
        const ranges = splitBounds('k', lo, hi, parts);
        expect(ranges.length).toBe(Math.min(parts, Number(hi - lo)));
        expectContiguous(ranges);
        for (let v = lo - 5n; v < hi + 5n; v++) expect(rangesHolding(ranges, v)).toHaveLength(1);
      }
    }
  });

  it('keeps 64-bit keys exact (no float rounding)', () => {
    const lo = 9_007_199_254_740_993n; // 2^53 + 1: not representable as a double
    const ranges = splitBounds('id', lo, lo + 4n, 4);
    expect(ranges.map((r) => [r.from, r.to])).toEqual([
      [undefined, '9007199254740994'],
      ['9007199254740994', '9007199254740995'],
      ['9007199254740995', '9007199254740996'],
      ['9007199254740996', undefined],
    ]);
    const wide = splitBounds('id', -(2n ** 63n), 2n ** 63n, 4);
    expect(wide.map((r) => [r.from, r.to])).toEqual([
      [undefined, '-4611686018427387904'],
      ['-4611686018427387904', '0'],
      ['0', '4611686018427387904'],
      ['4611686018427387904', undefined],
    ]);
  });
});
