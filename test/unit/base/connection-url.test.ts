import { describe, expect, it } from 'vitest';
import { describePostgresUrl, engineOfUrl, redactUrl } from '../../../harness/base/connection-url.js';

describe('connection URLs', () => {
  it('knows the engine from the scheme', () => {
    expect(engineOfUrl('postgres://u@h/db')).toBe('postgres');
    expect(engineOfUrl('postgresql://u@h/db')).toBe('postgres');
    expect(engineOfUrl('mssql://sa@h/db')).toBe('mssql');
    expect(engineOfUrl('sqlserver://sa@h/db')).toBe('mssql');
    expect(() => engineOfUrl('mysql://root:secret@h/db')).toThrow(/unsupported connection URL scheme in mysql:\/\/root:\*\*\*\*\*@h\/db/);
  });

  it('never shows a password', () => {
    expect(redactUrl('postgres://alice:p%40ss@db.example:5432/x')).toBe('postgres://alice:*****@db.example:5432/x');
    expect(redactUrl('postgres://h/x?password=secret&sslmode=require')).toBe('postgres://h/x?password=*****&sslmode=require');
    expect(redactUrl('not a url://bob:secret@host')).not.toContain('secret');
    expect(describePostgresUrl('postgres://alice:secret@h:6000/x')).toBe('postgres://alice@h:6000/x');
  });

  it('masks the password in every form a user can type (issue 16)', () => {
    for (const form of [
      'tester:s3cret@127.0.0.1:5432/db',
      'host=127.0.0.1 port=5432 user=tester password=s3cret dbname=db',
      "host=h password='s3 cret' dbname=db",
      'postgres:/tester:s3cret@127.0.0.1:5432/db',
      'postgres://tester:s3cret@127.0.0.1:port/db',
      'Server=h;User Id=sa;Password=s3cret;',
      'mssql://sa@h/db?password=s3cret',
    ]) {
      expect(redactUrl(form), form).not.toContain('s3cret');
    }
  });

  it('refuses malformed URLs without echoing them', () => {
    for (const form of ['tester:s3cret@h:5432/db', 'host=h password=s3cret', 'postgres:/tester:s3cret@h/db', 'postgres://tester:s3cret@h:port/db']) {
      expect(() => engineOfUrl(form), form).toThrow(/^(not a|a keyword string)/);
      try {
        engineOfUrl(form);
      } catch (err) {
        expect((err as Error).message).not.toContain('s3cret');
      }
    }
  });

  it('fills gaps from the PG* environment like the driver does', () => {
    expect(describePostgresUrl('postgres:///', { PGHOST: 'dbhost', PGPORT: '7000', PGUSER: 'bob', PGDATABASE: 'sales' })).toBe(
      'postgres://bob@dbhost:7000/sales',
    );
  });
});
