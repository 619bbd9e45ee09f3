import { describe, expect, it } from 'vitest';
import { expandPoints, expandSweep, pointKey, usesBatches } from '../../../harness/plan/expand-sweep.js';
import { type SweepGrid } from '../../../harness/config/options.js';
import { defaultStrategyParams } from '../../../harness/model/contender.js';

const { batchSize: _unused, ...params } = defaultStrategyParams;

function grid(over: Partial<SweepGrid> = {}): SweepGrid {
  return {
    strategies: ['native-bulk', 'direct-stream'],
    parallelism: [1, 2],
    partitions: [1],
    batchSizes: [undefined],
    constraints: 'after',
    workers: 0,
    repeat: 1,
    warmup: 0,
    params,
    peers: [],
    peerParallelism: [],
    serverSettings: [{ label: 'profile', target: {} }],
    ...over,
  };
}

describe('pointKey', () => {
  it('leaves default dimensions out', () => {
    expect(pointKey({ strategy: 'pipeline', parallelism: 4, partitions: 1 })).toBe('pipeline/p4');
  });

  it('names partitions above one and an explicit batch size', () => {
    expect(pointKey({ strategy: 'native-bulk', parallelism: 8, partitions: 4 })).toBe('native-bulk/p8/parts4');
    expect(pointKey({ strategy: 'direct-stream', parallelism: 2, partitions: 1, batchSize: 1000 })).toBe('direct-stream/p2/batch1000');
    expect(pointKey({ strategy: 'chunked', parallelism: 2, partitions: 3, batchSize: 500 })).toBe('chunked/p2/parts3/batch500');
  });
});

describe('usesBatches', () => {
  it('is true for the INSERT strategies and false for COPY', () => {
    expect(usesBatches('native-bulk')).toBe(false);
    expect(usesBatches('csv-buffer')).toBe(true);
    expect(usesBatches('direct-stream')).toBe(true);
    expect(usesBatches('pipeline')).toBe(true);
    expect(usesBatches('chunked')).toBe(true);
  });
});

describe('expandPoints', () => {
  it('walks the grid in order: strategy, parallelism, partitions, batch size', () => {
    const points = expandPoints(grid({ partitions: [1, 4], batchSizes: [100, 1000] }));
    expect(points.map(pointKey)).toEqual([
      'native-bulk/p1',
      'native-bulk/p1/parts4',
      'native-bulk/p2',
      'native-bulk/p2/parts4',
      'direct-stream/p1/batch100',
      'direct-stream/p1/batch1000',
      'direct-stream/p1/parts4/batch100',
      'direct-stream/p1/parts4/batch1000',
      'direct-stream/p2/batch100',
      'direct-stream/p2/batch1000',
      'direct-stream/p2/parts4/batch100',
      'direct-stream/p2/parts4/batch1000',
    ]);
  });

  it('gives a COPY strategy no batch size, whatever the grid says', () => {
    const points = expandPoints(grid({ strategies: ['native-bulk'], parallelism: [2], batchSizes: [100, 1000, undefined] }));
    expect(points).toEqual([{ strategy: 'native-bulk', parallelism: 2, partitions: 1 }]);
  });

  it('drops duplicate points from repeated grid values', () => {
    const points = expandPoints(grid({ strategies: ['pipeline'], parallelism: [2, 2], partitions: [1, 1], batchSizes: [500, 500] }));
    expect(points).toEqual([{ strategy: 'pipeline', parallelism: 2, partitions: 1, batchSize: 500 }]);
  });
});

describe('expandSweep', () => {
  it('interleaves repetitions in rounds, every point once per round, each round starting one point later', () => {
    const specs = expandSweep(grid({ repeat: 3 }));
    expect(specs.map((s) => s.id)).toEqual([
      'native-bulk/p1#1', 'native-bulk/p2#1', 'direct-stream/p1#1', 'direct-stream/p2#1',
      'native-bulk/p2#2', 'direct-stream/p1#2', 'direct-stream/p2#2', 'native-bulk/p1#2',
      'direct-stream/p1#3', 'direct-stream/p2#3', 'native-bulk/p1#3', 'native-bulk/p2#3',
    ]);
    expect(specs.map((s) => s.repetition)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect(specs.map((s) => s.round)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('runs warm-up rounds of every contender first, marked and never numbered as measured repetitions', () => {
    const specs = expandSweep(grid({ strategies: ['native-bulk'], parallelism: [2], repeat: 2, warmup: 1, peers: ['psql-pipe'], peerParallelism: [2] }));
    expect(specs.map((s) => [s.id, s.warmup ?? false])).toEqual([
      ['native-bulk/p2#w1', true],
      ['psql-pipe/p2#w1', true],
      ['psql-pipe/p2#1', false],
      ['native-bulk/p2#1', false],
      ['native-bulk/p2#2', false],
      ['psql-pipe/p2#2', false],
    ]);
  });

  it('makes the peers contenders of the same plan, with their own points', () => {
    const specs = expandSweep(grid({ strategies: ['native-bulk'], parallelism: [2], peers: ['server-copy', 'psql-pipe'], peerParallelism: [2, 4] }));
    expect(specs.map((s) => s.point)).toEqual(['native-bulk/p2', 'server-copy/p2', 'server-copy/p4', 'psql-pipe/p2', 'psql-pipe/p4']);
    expect(specs.filter((s) => s.kind === 'peer').map((s) => s.parallelism)).toEqual([2, 4, 2, 4]);
  });

  it('gives every trial a unique id made of its point and repetition', () => {
    const specs = expandSweep(grid({ strategies: ['csv-buffer', 'native-bulk', 'chunked'], parallelism: [1, 2, 4], partitions: [1, 4], batchSizes: [100, 200], repeat: 2 }));
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
    for (const s of specs) expect(s.id).toBe(`${s.point}#${s.repetition}`);
    // csv-buffer and chunked: 3 × 2 × 2 points each; native-bulk: 3 × 2; twice.
    expect(specs).toHaveLength((12 + 12 + 6) * 2);
  });

  it('carries every coordinate and the unswept knobs into the spec', () => {
    const specs = expandSweep(grid({ strategies: ['direct-stream'], parallelism: [4], partitions: [3], batchSizes: [250], constraints: 'before' }));
    expect(specs).toEqual([
      {
        kind: 'strategy',
        round: 0,
        // One batch size in the grid: it is in the params, not in the point's name.
        id: 'direct-stream/p4/parts3#1',
        point: 'direct-stream/p4/parts3',
        strategy: 'direct-stream',
        parallelism: 4,
        partitions: 3,
        workers: 0,
        constraints: 'before',
        params: { ...params, freeze: false, batchSize: 250 },
        repetition: 1,
      },
    ]);
  });

  it("uses the strategy's own default batch size when the grid has none", () => {
    const specs = expandSweep(grid({ strategies: ['csv-buffer', 'direct-stream', 'native-bulk'], parallelism: [1] }));
    expect(specs.map((s) => [s.point, s.kind === 'strategy' ? s.params.batchSize : 0])).toEqual([
      ['csv-buffer/p1', 1000],
      ['direct-stream/p1', 5000],
      ['native-bulk/p1', 5000],
    ]);
  });

  it('with several sets of server settings, names each point with its set and runs each round set by set', () => {
    const specs = expandSweep(grid({ strategies: ['native-bulk'], parallelism: [1, 2], repeat: 2, serverSettings: [{ label: 'profile', target: {} }, { label: 'wal-minimal', target: { wal_level: 'minimal' } }] }));
    expect(specs.map((s) => s.id)).toEqual([
      'native-bulk/p1/settings:profile#1', 'native-bulk/p2/settings:profile#1',
      'native-bulk/p1/settings:wal-minimal#1', 'native-bulk/p2/settings:wal-minimal#1',
      'native-bulk/p2/settings:wal-minimal#2', 'native-bulk/p1/settings:wal-minimal#2',
      'native-bulk/p2/settings:profile#2', 'native-bulk/p1/settings:profile#2',
    ]);
    expect(specs.filter((s) => s.settings === 'wal-minimal').every((s) => s.serverSettings?.wal_level === 'minimal')).toBe(true);
    // Two restarts a round at most: the settings change only between groups.
    const changes = specs.filter((s, i) => i > 0 && s.settings !== specs[i - 1]!.settings).length;
    expect(changes).toBe(2);
  });

  it('with --constraints after,overlap and --freeze off,on, runs every bench point under each pair, peers once', () => {
    const specs = expandSweep(grid({ strategies: ['native-bulk'], parallelism: [4], constraintModes: ['after', 'overlap'], freezeModes: [false, true], peers: ['psql-pipe'], peerParallelism: [4] }));
    expect(specs.map((s) => [s.point, s.kind === 'strategy' ? `${s.constraints} ${s.params.freeze}` : 'peer'])).toEqual([
      ['native-bulk/p4/constraints:after/freeze:off', 'after false'],
      ['native-bulk/p4/constraints:after/freeze:on', 'after true'],
      ['native-bulk/p4/constraints:overlap/freeze:off', 'overlap false'],
      ['native-bulk/p4/constraints:overlap/freeze:on', 'overlap true'],
      ['psql-pipe/p4', 'peer'],
    ]);
  });

  it('never pairs FREEZE with constraints before (a referenced table cannot be truncated)', () => {
    const specs = expandSweep(grid({ strategies: ['native-bulk'], parallelism: [2], constraintModes: ['before', 'after'], freezeModes: [false, true] }));
    expect(specs.map((s) => s.point)).toEqual(['native-bulk/p2/constraints:before/freeze:off', 'native-bulk/p2/constraints:after/freeze:off', 'native-bulk/p2/constraints:after/freeze:on']);
    expect(specs.some((s) => s.kind === 'strategy' && s.constraints === 'before' && s.params.freeze)).toBe(false);
  });
});
