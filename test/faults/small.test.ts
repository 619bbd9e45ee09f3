import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { bench, errorLines, scratch } from './support.js';

/** Defect 14 of issue 16, the smaller problems: each one line that says what to do. */
describe('smaller problems', () => {
  let dbs: TestDatabases;
  const work = scratch('small');
  const opts = () => ({ stateDir: join(work.dir, 'state') });

  beforeAll(async () => {
    dbs = await freshDatabases('faults_small');
  });

  afterAll(async () => {
    await dbs?.drop();
    work.remove();
  });

  it('seed --concurrency x is refused even when the dataset is already there', async () => {
    const seeded = await bench(['seed', '--scale', '0.0001', '--source-url', dbs.source], opts());
    expect(seeded.exitCode, seeded.stderr).toBe(0);
    const r = await bench(['seed', '--scale', '0.0001', '--concurrency', 'x', '--source-url', dbs.source], opts());
    expect(r.exitCode).toBe(2);
    expect(errorLines(r.stderr)).toEqual(['error: --concurrency is x; it must be a whole number from 1 to 64']);
  });

  it('a URL without a password the server wants gives a line that says so', async () => {
    const url = new URL(dbs.source);
    url.password = '';
    const r = await bench(['run', '--source-url', url.toString(), '--target-url', dbs.target], { ...opts(), env: { PGPASSWORD: '' } });
    expect(r.exitCode).toBe(1);
    const lines = errorLines(r.stderr);
    expect(lines).toEqual([expect.stringMatching(/^error: could not connect to the source database postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+: the server asks for a password and none was given: put it in the URL \(postgres:\/\/user:password@host\/database\) or set PGPASSWORD$/)]);
    expect(r.stderr).not.toMatch(/SASL|must be a string/);
  });

  it('sslmode=require: no multi-line driver warning, one line at most', async () => {
    const r = await bench(['run', '--source-url', `${dbs.source}?sslmode=require`, '--target-url', dbs.target], opts());
    expect(r.exitCode).toBe(1);
    expect(r.stderr).not.toMatch(/SECURITY WARNING|To prepare for this change|trace-warnings/);
    const lines = errorLines(r.stderr);
    expect(lines.filter((l) => l.startsWith('warning:'))).toEqual([
      "warning: the pg driver treats sslmode=require as verify-full (it checks the server's certificate and name); add uselibpqcompat=true to the URL for libpq's meaning (encryption only)",
    ]);
    expect(lines.filter((l) => !l.startsWith('warning:'))).toEqual([expect.stringMatching(/^error: could not connect to the source database .*: The server does not support SSL connections/)]);
  });
});
