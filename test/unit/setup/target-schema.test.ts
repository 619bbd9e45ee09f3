import { describe, expect, it } from 'vitest';
import { unmappableBy } from '../../../harness/engines/constraint-steps.js';
import { createTableSql, mssqlConstraintSql } from '../../../harness/engines/mssql-ddl.js';
import type { Table } from '../../../harness/model/catalog.js';
import type { Database } from '../../../harness/model/database.js';
import { planTargetSchema } from '../../../harness/setup/target-schema.js';

/** A PostgreSQL table with an enum column and a check constraint: neither has a SQL Server form. */
const films: Table = {
  schema: 'public',
  name: 'film',
  columns: [
    { name: 'id', nativeType: 'integer', portable: { kind: 'int32' }, nullable: false },
    { name: 'rating', nativeType: 'public.mpaa_rating', portable: { kind: 'other', name: 'mpaa_rating' }, nullable: true },
  ],
  primaryKey: { name: 'film_pkey', columns: ['id'] },
  uniques: [],
  checks: [{ name: 'positive', definition: 'CHECK ((id > 0))' }],
  foreignKeys: [],
  indexes: [],
  estimatedRows: 0,
  estimatedBytes: 0,
};

describe('the target schema across engines', () => {
  it("lists every column and constraint SQL Server's DDL cannot carry", () => {
    const problems = unmappableBy([films], (t) => createTableSql(t, 'postgres'), (s) => mssqlConstraintSql(s, 'postgres'));
    expect(problems).toEqual([
      'public.film: column "rating" has type mpaa_rating, which bench cannot map to SQL Server',
      'public.film: check constraint positive on public.film cannot be translated from postgres to T-SQL',
    ]);
  });

  it('refuses the command before anything is copied, naming them all', async () => {
    const source = { engine: 'postgres' } as Database;
    const target = { engine: 'mssql', unmappable: () => ['public.film: one', 'public.film: two'] } as unknown as Database;
    await expect(planTargetSchema({ source, target, tables: [films], urls: { source: '', target: '' }, workRoot: '' })).rejects.toThrow(
      'bench cannot create these 2 on the mssql target (leave the tables out with --tables):\n  - public.film: one\n  - public.film: two',
    );
  });
});
