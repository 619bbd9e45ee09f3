import { describe, expect, it } from 'vitest';
import { parseRunConfig, parseSeedConfig, parseSweepConfig } from '../../../harness/config/options.js';
import { ConfigError } from '../../../harness/base/errors.js';

describe('configuration', () => {
  it('takes defaults from the profile', () => {
    const c = parseRunConfig({});
    expect(c.server.profile.name).toBe('bulk-load');
    expect(c.copy).toMatchObject({ strategy: 'native-bulk', parallelism: 2, batchSize: 5000, constraints: 'after', copyFormat: 'binary' });
  });

  it('collects every problem into one error', () => {
    try {
      parseRunConfig({ parallelism: '-1', batchSize: 'lots', strategy: 'nope', copyFormat: 'xml', sourcePort: '80', profile: 'missing-profile' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems).toHaveLength(6);
      expect(problems.join('\n')).toMatch(/--parallelism is -1/);
      expect(problems.join('\n')).toMatch(/profile "missing-profile" not found/);
    }
  });

  it('splits --tables on commas', () => {
    expect(parseRunConfig({ tables: ['public.a,b', 'sales.*'] }).copy.tables).toEqual(['public.a', 'b', 'sales.*']);
  });

  it('--quick sweeps every PostgreSQL strategy at parallelism 2 and 4, a warm-up and three measured rounds, with the two quick peers at 2', () => {
    const c = parseSweepConfig({ quick: true });
    expect(c.grid.strategies).toEqual(['csv-buffer', 'direct-stream', 'pipeline', 'chunked', 'native-bulk']);
    expect(c.grid).toMatchObject({ parallelism: [2, 4], partitions: [1], batchSizes: [undefined], repeat: 3, warmup: 1, constraints: 'after' });
    expect(c.grid.peers).toEqual(['server-copy', 'psql-pipe']);
    expect(c.grid.peerParallelism).toEqual([2]);
    // Options still override the preset.
    expect(parseSweepConfig({ quick: true, parallelism: ['1,2,4'], repeat: '2', warmup: '0' }).grid).toMatchObject({ parallelism: [1, 2, 4], repeat: 2, warmup: 0 });
    expect(() => parseSweepConfig({ warmup: '-1' })).toThrow(/--warmup is -1/);
  });

  it('a sweep takes --constraints and --freeze as lists (dimensions); a run takes one value', () => {
    const g = parseSweepConfig({ constraints: 'after,overlap', freeze: 'off,on' }).grid;
    expect(g).toMatchObject({ constraints: 'after', constraintModes: ['after', 'overlap'], freezeModes: [false, true] });
    expect(g.params.freeze).toBe(false);
    const one = parseSweepConfig({ constraints: 'overlap', freeze: true }).grid;
    expect(one.constraintModes).toBeUndefined();
    expect(one.freezeModes).toBeUndefined();
    expect(one).toMatchObject({ constraints: 'overlap', params: { freeze: true } });
    expect(parseRunConfig({ freeze: 'on' }).copy.freeze).toBe(true);
    expect(parseRunConfig({ freeze: 'off' }).copy.freeze).toBe(false);
    expect(() => parseRunConfig({ freeze: 'off,on' })).toThrow(/--freeze is "off,on"/);
    expect(() => parseSweepConfig({ constraints: 'after,sideways' })).toThrow(/--constraints is "sideways"/);
  });

  it('validates seed options', () => {
    expect(parseSeedConfig({ scale: '0.01', seed: '7' })).toMatchObject({ scale: 0.01, seed: 7 });
    expect(() => parseSeedConfig({ scale: '0', seed: '1.5' })).toThrow(/2 problems/);
  });
});
