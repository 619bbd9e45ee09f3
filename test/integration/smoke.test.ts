import { describe, expect, it } from 'vitest';
import { connect, freshDatabases } from '../support/databases.js';

describe('test clusters', () => {
  it('source and target answer', async () => {
    const dbs = await freshDatabases('smoke');
    for (const url of [dbs.source, dbs.target]) {
      const c = await connect(url);
      const r = await c.query('SELECT current_setting($1) AS fsync', ['fsync']);
      expect(r.rows[0].fsync).toBe('off');
      await c.end();
    }
    await dbs.drop();
  });
});
