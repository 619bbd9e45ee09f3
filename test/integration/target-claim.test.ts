import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresEngine } from '../../harness/engines/postgres.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';

/** Two benches must not reset the same target under each other's trials. */
describe('claiming the target for a copy', () => {
  let dbs: TestDatabases;
  beforeAll(async () => {
    dbs = await freshDatabases('claim');
  });
  afterAll(async () => {
    await dbs?.drop();
  });

  it('refuses a second bench on the same target with one clear line, and frees the target on close', async () => {
    const open = () => postgresEngine.connect(dbs.target, { role: 'target', poolSize: 1, applicationName: 'bench-claim-test' });
    const first = await open();
    const second = await open();
    try {
      await first.claimForCopy!();
      await expect(second.claimForCopy!()).rejects.toThrow(/^another bench is copying into postgres:\/\/postgres@127\.0\.0\.1:\d+\/claim_\w+ right now .*use another target database$/);
      await first.close();
      await expect(second.claimForCopy!()).resolves.toBeUndefined();
    } finally {
      await second.close();
      await first.close().catch(() => undefined);
    }
  });
});
