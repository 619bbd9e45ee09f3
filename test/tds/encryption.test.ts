import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mssqlEngine } from '../../harness/engines/mssql.js';
import { parseMssqlUrl } from '../../harness/engines/mssql-url.js';
import { urlFromParts } from '../../harness/config/server-parts.js';
import { table } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';

/**
 * Issue 17, defect 3: with encrypt=true (the default) tedious asks for TLS, and when the server answers
 * that it supports no encryption (PRELOGIN ENCRYPT_NOT_SUP, as the TDS test server always does) it logs
 * in and copies in plaintext anyway. bench refuses, before the login is sent, unless the user allowed
 * plaintext with encrypt=false; encrypt=strict (TDS 8: TLS before any TDS) is its own choice.
 */
let server: TdsTestServer;
const options = { role: 'source' as const, poolSize: 1, applicationName: 'bench-tls-test' };

beforeAll(async () => {
  server = await TdsTestServer.start({ tables: [table('dbo', 't', [['id', 'int', false]], [['1']])] });
});

afterAll(async () => {
  await server?.close();
  expect(server.stats.internalErrors).toEqual([]);
});

/** The test server's URL with this query string instead of ?encrypt=false. */
const urlWith = (query: string) => server.url().replace('?encrypt=false', query);

describe('encryption', () => {
  it('refuses a server that offers no encryption when encrypt is true (the default), before sending the login', async () => {
    for (const query of ['', '?encrypt=true']) {
      const before = { logins: server.stats.logins, failed: server.stats.failedLogins, prelogins: server.stats.preloginEncryption.length };
      const err = await mssqlEngine.connect(urlWith(query), options).catch((e: unknown) => e as Error);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toBe(
        `could not connect to the source database mssql://sa@127.0.0.1:${server.port}/bench: the server offers no encryption (it answered ENCRYPT_NOT_SUP) ` +
          'and encrypt=true requires it; bench sends no login or data in plaintext unless allowed: set ?encrypt=false in the URL (or --source-encrypt false)',
      );
      // bench asked for encryption (ENCRYPT_ON) and never sent its login.
      expect(server.stats.preloginEncryption.slice(before.prelogins)).toEqual([0x01]);
      expect([server.stats.logins, server.stats.failedLogins]).toEqual([before.logins, before.failed]);
    }
  });

  it('connects in plaintext when the user allowed it with encrypt=false', async () => {
    const db = await mssqlEngine.connect(server.url(), options);
    expect((await db.introspect()).tables.map((t) => t.name)).toEqual(['t']);
    await db.close();
  });

  it('takes encrypt=strict as its own choice: TLS before any TDS, so a server without TLS fails instead of downgrading', async () => {
    expect(parseMssqlUrl(urlWith('?encrypt=strict')).encrypt).toBe('strict');
    const before = server.stats.logins + server.stats.failedLogins;
    const err = await mssqlEngine.connect(urlWith('?encrypt=strict'), options).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    // tedious opened with a TLS handshake, which this server (no TLS) dropped; no login followed.
    expect(server.stats.tlsRefused).toBeGreaterThan(0);
    expect(server.stats.logins + server.stats.failedLogins).toBe(before);
    expect(urlFromParts('source', { sourceHost: 'db1', sourceEngine: 'mssql', sourceUser: 'sa', sourceEncrypt: 'strict' }, {}).url).toContain('encrypt=strict');
  });
});
