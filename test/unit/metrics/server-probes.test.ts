import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probesFromHandles } from '../../../harness/metrics/server-probes.js';

describe('probesFromHandles', () => {
  it('maps native homes to data directories, containers to their names, and the rest to external', () => {
    expect(
      probesFromHandles([
        { role: 'source', provider: 'native', details: { port: 55432, home: '/tmp/s/native/source', version: '15.18' } },
        { role: 'target', provider: 'docker', details: { container: 'bench-ab12cd-target', port: 55433 } },
      ]),
    ).toEqual([
      { role: 'source', kind: 'native', dataDir: join('/tmp/s/native/source', 'data') },
      { role: 'target', kind: 'docker', containerId: 'bench-ab12cd-target' },
    ]);
    expect(probesFromHandles([{ role: 'source', provider: 'external', details: {} }, { role: 'target', provider: 'native', details: {} }])).toEqual([
      { role: 'source', kind: 'external' },
      { role: 'target', kind: 'external' },
    ]);
  });
});
