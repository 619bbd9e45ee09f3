import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../../harness/config/options.js';
import { parseMssqlUrl } from '../../../harness/engines/mssql-url.js';
import { ConfigError } from '../../../harness/base/errors.js';
import { urlFromParts } from '../../../harness/config/server-parts.js';

function problemsOf(raw: Record<string, unknown>): string[] {
  try {
    parseRunConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('a server given by parts (--source-host …)', () => {
  it('builds a SQL Server URL the engine parses back to the same parts', () => {
    const { url, problems } = urlFromParts(
      'source',
      {
        sourceHost: 'db1.example',
        sourceEngine: 'mssql',
        sourcePort: '14330',
        sourceUser: 'bench user',
        sourcePassword: 'p@ss:w/rd?#',
        sourceDatabase: 'Stack Overflow',
        sourceEncrypt: 'false',
        sourceTrustServerCertificate: true,
      },
      {},
    );
    expect(problems).toEqual([]);
    expect(parseMssqlUrl(url!)).toMatchObject({
      host: 'db1.example',
      port: 14330,
      user: 'bench user',
      password: 'p@ss:w/rd?#',
      database: 'Stack Overflow',
      encrypt: false,
      trustServerCertificate: true,
    });
  });

  it('names a SQL Server instance instead of a port', () => {
    const { url } = urlFromParts('target', { targetHost: 'db1', targetEngine: 'mssql', targetUser: 'sa', targetInstance: 'SQL2022' }, {});
    expect(parseMssqlUrl(url!)).toMatchObject({ host: 'db1', instance: 'SQL2022', database: 'master' });
    expect(parseMssqlUrl(url!).port).toBeUndefined();
  });

  it('reads the password from BENCH_SOURCE_PASSWORD when the option is absent', () => {
    const { url } = urlFromParts('source', { sourceHost: 'db1', sourceEngine: 'mssql', sourceUser: 'sa' }, { BENCH_SOURCE_PASSWORD: 'from-env' });
    expect(parseMssqlUrl(url!).password).toBe('from-env');
  });

  it('builds a PostgreSQL URL by default, leaving out what the PG* variables can fill', () => {
    expect(urlFromParts('source', { sourceHost: '127.0.0.1', sourcePort: '5433', sourceDatabase: 'so' }, {}).url).toBe('postgres://127.0.0.1:5433/so');
    expect(urlFromParts('target', { targetHost: '::1', targetUser: 'u' }, {}).url).toBe('postgres://u@[::1]/');
  });

  it('gives no URL when no part is given (the native provider decides)', () => {
    expect(urlFromParts('source', { sourcePort: '55432' }, {})).toEqual({ problems: [] });
  });

  it('reports every mistake at once, with the fix', () => {
    const problems = problemsOf({
      sourceUrl: 'postgres://a@b/c',
      sourceHost: 'x',
      targetUser: 'u',
      targetInstance: 'I',
      targetEngine: 'oracle',
    });
    expect(problems.join('\n')).toMatch(/--source-url and --source-host both describe the source server/);
    expect(problems.join('\n')).toMatch(/--target-engine is "oracle"; choose one of postgres, mssql/);
    expect(problems.join('\n')).toMatch(/need --target-host \(or give --target-url\)/);
  });

  it('refuses SQL Server options for a PostgreSQL server, and a SQL Server without a login', () => {
    expect(problemsOf({ sourceHost: 'x', sourceInstance: 'I' })).toEqual(['--source-instance is for SQL Server: add --source-engine mssql']);
    expect(problemsOf({ sourceHost: 'x', sourceEngine: 'mssql' })).toEqual([
      '--source-user is needed: bench logs in to SQL Server with a SQL Server login',
    ]);
    expect(problemsOf({ sourceHost: 'x', sourceEngine: 'mssql', sourceUser: 'sa', sourceEncrypt: 'maybe' })).toEqual([
      '--source-encrypt is "maybe"; use true, false or strict',
    ]);
  });

  it('takes --source-port as the server port with --source-host, not as a native cluster port', () => {
    const c = parseRunConfig({ sourceHost: 'db1', sourceEngine: 'mssql', sourceUser: 'sa', sourcePort: '1433' });
    expect(c.server.sourcePort).toBeUndefined();
    expect(parseMssqlUrl(c.server.sourceUrl!).port).toBe(1433);
    expect(problemsOf({ sourceHost: 'db1', sourcePort: '70000' })).toEqual(["--source-port is 70000; it must be the server's port number, 1 to 65535"]);
  });
});
