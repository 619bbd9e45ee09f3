import { describe, expect, it } from 'vitest';
import { sweepStatusLine } from '../../../reports/progress.js';

/** The sweep's live line (issue 15): the ETA first, a bar for every trial (peers too), honest for adaptive search. */
describe('the sweep status line', () => {
  const base = { done: 11, total: 60, adaptive: false, id: 'native-bulk/p4#2', phase: 'copy', elapsedSeconds: 12.4 };

  it('starts with the ETA, so 80 columns never cut it off', () => {
    const line = sweepStatusLine({ ...base, etaSeconds: 754, rowsPerSecond: 123_456.7 });
    expect(line).toBe('ETA 13 min · [####................] 12/60 · native-bulk/p4#2 · copy · 123,457 rows/s');
    expect(line.slice(0, 79)).toMatch(/^ETA 13 min/);
    expect(sweepStatusLine({ ...base, done: 0 })).toMatch(/^ETA … · \[\.{20}\] 1\/60 /);
    expect(sweepStatusLine({ ...base, etaSeconds: 42 })).toMatch(/^ETA 42 s · /);
  });

  it('a peer tool reports no rows: it still has its bar, with the time it has run', () => {
    expect(sweepStatusLine({ ...base, id: 'psql-pipe/p2#1', etaSeconds: 100 })).toBe('ETA 2 min · [####................] 12/60 · psql-pipe/p2#1 · copy · 12 s');
  });

  it('an adaptive search does not count against the full grid: no bar, no ETA, only its most', () => {
    expect(sweepStatusLine({ ...base, adaptive: true, total: 90, etaSeconds: 100 })).toBe('ETA ? · trial 12, adaptive (at most 90) · native-bulk/p4#2 · copy · 12 s');
  });
});
