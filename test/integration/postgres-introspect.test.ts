import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresEngine } from '../../harness/engines/postgres.js';
import type { Database } from '../../harness/model/database.js';
import { foreignKeyLevels } from '../../harness/plan/fk-levels.js';
import { AWKWARD_SCHEMA, CHILD, PARENT, createAwkwardSchema } from '../support/awkward.js';
import { connect, freshDatabases, type TestDatabases } from '../support/databases.js';

describe('PostgreSQL introspection', () => {
  let dbs: TestDatabases;
  let db: Database;

  beforeAll(async () => {
    dbs = await freshDatabases('introspect');
    const c = await connect(dbs.source);
    await createAwkwardSchema(c);
    await c.query(`CREATE SCHEMA _bench; CREATE TABLE _bench.hidden (x int); CREATE TABLE public.plain (a int, b text DEFAULT 'x', c serial);`);
    await c.end();
    db = await postgresEngine.connect(dbs.source, { role: 'source', poolSize: 2, applicationName: 'bench-test-introspect' });
  });

  afterAll(async () => {
    await db?.close();
    await dbs?.drop();
  });

  it('reads names that need quoting, types, keys, checks, indexes and foreign keys', async () => {
    const { tables } = await db.introspect();
    expect(tables.map((t) => `${t.schema}.${t.name}`)).toEqual([
      `${AWKWARD_SCHEMA}.${CHILD}`,
      `${AWKWARD_SCHEMA}.${PARENT}`,
      'public.plain',
    ]);
    const parent = tables.find((t) => t.name === PARENT)!;
    expect(parent.columns.map((c) => [c.name, c.nativeType, c.nullable])).toEqual([
      ['ID', 'integer', false],
      ['select', 'text', false],
      ['naïve ☃', 'character varying(20)', true],
    ]);
    expect(parent.primaryKey?.columns).toEqual(['ID']);
    expect(parent.uniques.map((u) => u.columns)).toEqual([['naïve ☃']]);
    expect(parent.estimatedRows).toBe(3);

    const child = tables.find((t) => t.name === CHILD)!;
    const byName = Object.fromEntries(child.columns.map((c) => [c.name, c]));
    expect(byName.amount?.portable).toEqual({ kind: 'decimal', precision: 12, scale: 3 });
    expect(byName.happened?.portable).toEqual({ kind: 'timestamptz' });
    expect(byName.flags?.nativeType).toBe('boolean[]');
    expect(byName.doubled?.generated).toBe('(id * 2)');
    expect(child.checks).toHaveLength(1);
    expect(child.foreignKeys).toEqual([
      expect.objectContaining({ columns: ['parent ID'], references: { schema: AWKWARD_SCHEMA, name: PARENT }, refColumns: ['ID'] }),
    ]);
    expect(child.indexes).toEqual([expect.objectContaining({ name: 'lower "text" idx', columns: ['lower("Text")'], unique: false })]);
    // Fully qualified definitions, so they run unchanged on the target.
    expect(child.indexes[0]!.definition).toContain('"Odd ""Schema"""."Mixed ""Case"" Child"');

    const plain = tables.find((t) => t.name === 'plain')!;
    expect(plain.columns.find((c) => c.name === 'b')?.default).toBe("'x'::text");
    // A serial's nextval() default belongs to the source's sequence and is not copied.
    expect(plain.columns.find((c) => c.name === 'c')?.default).toBeUndefined();

    const { levels } = foreignKeyLevels(tables.filter((t) => t.schema === AWKWARD_SCHEMA));
    expect(levels.map((l) => l.map((t) => t.name))).toEqual([[PARENT], [CHILD]]);
  });

  it('filters tables with --tables patterns', async () => {
    expect((await db.introspect(['plain'])).tables.map((t) => t.name)).toEqual(['plain']);
    expect((await db.introspect([`${AWKWARD_SCHEMA}.*`])).tables).toHaveLength(2);
    expect((await db.introspect(['nope'])).tables).toHaveLength(0);
  });
});
