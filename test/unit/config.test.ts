import { describe, expect, it } from 'vitest';
import { parseRunConfig, parseSeedConfig } from '../../harness/config.js';
import { ConfigError } from '../../harness/errors.js';

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

  it('validates seed options', () => {
    expect(parseSeedConfig({ scale: '0.01', seed: '7' })).toMatchObject({ scale: 0.01, seed: 7 });
    expect(() => parseSeedConfig({ scale: '0', seed: '1.5' })).toThrow(/2 problems/);
  });
});
