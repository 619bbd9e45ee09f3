import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { bench, scratch, sql } from './support.js';

/**
 * Defect 12 of issue 16: qualified() gave `public."a.b"` and `"public.a".b` the same key, so a correct
 * copy of both was reported as differing; and --tables split on every comma and dot, so such names could
 * not be selected. Keys now quote a part holding a dot or a quote, and --tables takes quoted names.
 */
describe('tables whose names hold dots, quotes and commas', () => {
  let dbs: TestDatabases;
  const work = scratch('names');
  const state = () => ({ stateDir: join(work.dir, 'state') });

  beforeAll(async () => {
    dbs = await freshDatabases('faults_names');
    await sql(dbs.source, `CREATE SCHEMA "public.a"`);
    await sql(dbs.source, `CREATE TABLE public."a.b" (id int PRIMARY KEY, v text)`);
    await sql(dbs.source, `INSERT INTO public."a.b" SELECT g, 'v' || g FROM generate_series(1, 10) g`);
    await sql(dbs.source, `CREATE TABLE "public.a".b (id int PRIMARY KEY, w int)`);
    await sql(dbs.source, `INSERT INTO "public.a".b SELECT g, g FROM generate_series(1, 20) g`);
    await sql(dbs.source, `CREATE TABLE public."c,d" (id int PRIMARY KEY)`);
    await sql(dbs.source, `INSERT INTO public."c,d" SELECT generate_series(1, 5)`);
  });

  afterAll(async () => {
    await dbs?.drop();
    work.remove();
  });

  it('a copy of public."a.b" and "public.a".b validates, each table on its own row', async () => {
    const r = await bench(['run', '-s', 'native-bulk', '-p', '1', '--source-url', dbs.source, '--target-url', dbs.target], state());
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/public\."a\.b"\s.*\b10\b/);
    expect(r.stdout).toMatch(/"public\.a"\.b\s.*\b20\b/);
  });

  it('--tables selects quoted names, and does not split inside quotes', async () => {
    const r = await bench(
      ['run', '-s', 'direct-stream', '-p', '1', '--tables', '"public"."a.b","public"."c,d"', '--source-url', dbs.source, '--target-url', dbs.target],
      state(),
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^copying 2 tables /m);
    expect(r.stdout).toMatch(/public\."a\.b"/);
    expect(r.stdout).toMatch(/public\.c,d/);
    expect(r.stdout).not.toMatch(/"public\.a"\.b/);
  });
});
