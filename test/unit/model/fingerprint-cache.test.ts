import { describe, expect, it } from 'vitest';
import { SourceFingerprints } from '../../../harness/model/fingerprint-cache.js';

describe('source fingerprints shared by the trials of a command', () => {
  it('hands a fingerprint only to a trial whose snapshot sees the same data, and starts over when it does not', () => {
    const cache = new SourceFingerprints();
    cache.set('public.a', '10:12:', { rows: 5, checksum: '1' });
    expect(cache.get('public.a', '10:12:')).toEqual({ rows: 5, checksum: '1' });
    expect(cache.get('public.a', '10:14:')).toBeUndefined();
    cache.set('public.b', '10:14:', { rows: 6, checksum: '2' });
    expect(cache.get('public.a', '10:14:')).toBeUndefined();
    expect(cache.latest('public.b')).toEqual({ rows: 6, checksum: '2' });
  });
});
