import { describe, expect, it } from 'vitest';
import type { DumpEntry } from '../../../harness/engines/pg-dump-script.js';
import type { Table } from '../../../harness/model/catalog.js';
import type { Database } from '../../../harness/model/database.js';
import { planFrom } from '../../../harness/setup/source-schema.js';
import type { SourceCatalog } from '../../../harness/setup/source-catalog.js';

/** A dump entry: `id`, its catalog object (class/OID) and its dependencies. */
const entry = (id: number, type: string, name: string, dependsOn: number[] = [], classId = 0, objectId = 0): DumpEntry => ({
  id, classId, objectId, dependsOn, type, name, schema: 'public', sql: `-- ${type} ${name}`, settings: [],
});
const table = (name: string, partitionOf?: string): Table => ({
  schema: 'public', name, columns: [], uniques: [], checks: [], foreignKeys: [], indexes: [], estimatedRows: 0, estimatedBytes: 0,
  ...(partitionOf ? { partitionOf: [{ schema: 'public', name: partitionOf }] } : {}),
});

/**
 * A schema like Pagila's: payment partitioned (one partition), customer, rental; a view over rental, a
 * function returning customer rows, a matview over payment; keys, a partitioned index attached, foreign
 * keys, a trigger and its comment.
 */
const PRE = [
  entry(1, 'TYPE', 'mpaa_rating', [], 1247, 901),
  entry(10, 'TABLE', 'customer', [], 1259, 110),
  entry(11, 'TABLE', 'rental', [], 1259, 111),
  entry(12, 'TABLE', 'payment', [], 1259, 112),
  entry(13, 'TABLE', 'payment_p1', [12], 1259, 113),
  entry(14, 'TABLE ATTACH', 'payment_p1', [13, 12]),
  entry(15, 'VIEW', 'rental_list', [11], 1259, 115),
  entry(16, 'FUNCTION', 'rewards_report()', [10], 1255, 116),
  entry(17, 'MATERIALIZED VIEW', 'sales', [12], 1259, 117),
  entry(18, 'SEQUENCE', 'rental_id_seq', [], 1259, 118),
];
const POST = [
  entry(20, 'CONSTRAINT', 'customer customer_pkey', [10], 2606, 120),
  entry(21, 'CONSTRAINT', 'payment payment_pkey', [12], 2606, 121),
  entry(22, 'CONSTRAINT', 'payment_p1 payment_p1_pkey', [13, 21], 2606, 122),
  entry(23, 'INDEX ATTACH', 'payment_p1_pkey', [22, 21, 13, 12]),
  entry(24, 'FK CONSTRAINT', 'payment_p1 payment_p1_customer_fkey', [13, 20], 2606, 124),
  entry(25, 'FK CONSTRAINT', 'payment_p1 payment_p1_rental_fkey', [13, 11], 2606, 125),
  entry(26, 'TRIGGER', 'customer last_updated', [10], 2620, 126),
  entry(27, 'COMMENT', 'TRIGGER last_updated ON customer', [26]),
  entry(28, 'CONSTRAINT', 'customer customer_email_check', [10], 2606, 128),
];
const rel = (name: string, kind = 'r', populated = true) => ({ name: { schema: 'public', name }, kind, populated });
const CATALOG: SourceCatalog = {
  relations: new Map([
    ['1259/110', rel('customer')], ['1259/111', rel('rental')], ['1259/112', rel('payment', 'p')], ['1259/113', rel('payment_p1')],
    ['1259/115', rel('rental_list', 'v')], ['1259/117', rel('sales', 'm')], ['1259/118', rel('rental_id_seq', 'S')],
    ['2606/120', rel('customer')], ['2606/121', rel('payment', 'p')], ['2606/122', rel('payment_p1')], ['2606/124', rel('payment_p1')],
    ['2606/125', rel('payment_p1')], ['2620/126', rel('customer')], ['2606/128', rel('customer')],
  ]),
  notValid: new Set([128]),
  extensions: new Map(),
  drops: ['DROP TABLE IF EXISTS public.customer CASCADE;'],
  hasPublic: true,
};

function plan(tables: Table[], selection?: string[]) {
  const sent: string[] = [];
  const target = { execute: async (sql: string) => void sent.push(sql), display: 'target' } as unknown as Database;
  const schema = planFrom({
    source: {} as Database, target, tables, ...(selection ? { selection } : {}), urls: { source: '', target: '' }, workRoot: '',
    pre: PRE, post: POST, catalog: CATALOG, version: '15.18',
  });
  return { schema, sent };
}

describe("the source schema's plan", () => {
  it('gives every post-data step its table (a partition for an attached index), its dependencies and when it may run', () => {
    const { schema } = plan([table('customer'), table('rental'), table('payment_p1', 'payment')]);
    const byId = Object.fromEntries(schema.steps.map((s) => [s.id, s]));
    expect(byId['toc 23']).toMatchObject({ table: { name: 'payment_p1' }, after: ['toc 22', 'toc 21'] });
    expect(byId['toc 24']?.after).toEqual(['toc 20']);
    // Never during the load: the trigger, its comment (it needs the trigger), the NOT VALID check.
    expect(schema.steps.filter((s) => s.afterLoad).map((s) => s.id)).toEqual(['toc 26', 'toc 27', 'toc 28', 'refresh 17', 'sequence values']);
    // The matview is refreshed once every other post-data step has run.
    expect(byId['refresh 17']?.after).toEqual(expect.arrayContaining(POST.map((e) => `toc ${e.id}`)));
  });

  it("leaves out the tables --tables leaves out and what depends on them, keeps the partitioned table above a partition", async () => {
    const { schema, sent } = plan([table('payment_p1', 'payment')], ['public.payment_p1']);
    await schema.clear();
    await schema.create('tables');
    const created = sent.slice(2).map((q) => q.split('\n').at(-1));
    // payment (the partitioned table) and its partition, the type, the sequence, the matview over payment;
    // not customer or rental, nor the view over rental or the function returning customer rows.
    expect(created).toEqual([
      '-- TYPE mpaa_rating', '-- TABLE payment', '-- TABLE payment_p1', '-- TABLE ATTACH payment_p1', '-- MATERIALIZED VIEW sales', '-- SEQUENCE rental_id_seq',
    ]);
    // Foreign keys to the tables left out go too; the partition's key and its attachment stay.
    expect(schema.steps.map((s) => s.id)).toEqual(['toc 21', 'toc 22', 'toc 23', 'refresh 17', 'sequence values']);
    // The reset drops first (the whole schema's objects), then makes sure public exists.
    expect(sent[0]).toContain('DROP TABLE IF EXISTS public.customer CASCADE;');
    expect(sent[1]).toBe('CREATE SCHEMA IF NOT EXISTS public');
  });

  it('adds a foreign key NOT VALID, then validates it once every foreign key is added; not on a partitioned table, nor one NOT VALID on the source', async () => {
    const fk = (id: number, sql: string, oid: number) => ({ ...entry(id, 'FK CONSTRAINT', `t ${id}`, [13, 20], 2606, oid), sql, settings: [{ name: 'statement_timeout', value: '0' }] });
    const post = [
      ...POST.filter((e) => e.type !== 'FK CONSTRAINT'),
      fk(24, 'ALTER TABLE ONLY public."pay ""p1"""\n    ADD CONSTRAINT "cust ""fk""" FOREIGN KEY (customer_id) REFERENCES public.customer(customer_id) ON DELETE CASCADE DEFERRABLE;\n', 124),
      fk(25, 'ALTER TABLE ONLY public.payment_p1\n    ADD CONSTRAINT payment_p1_rental_fkey FOREIGN KEY (rental_id) REFERENCES public.rental(rental_id);\n', 125),
      fk(29, 'ALTER TABLE public.payment\n    ADD CONSTRAINT payment_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customer(customer_id);\n', 129),
      fk(30, 'ALTER TABLE ONLY public.payment_p1\n    ADD CONSTRAINT payment_p1_staff_fkey FOREIGN KEY (staff_id) REFERENCES public.customer(customer_id) NOT VALID;\n', 130),
    ];
    const sent: string[] = [];
    const target = { execute: async (sql: string) => void sent.push(sql), display: 'target' } as unknown as Database;
    const schema = planFrom({
      source: {} as Database, target, tables: [table('customer'), table('rental'), table('payment_p1', 'payment')], urls: { source: '', target: '' }, workRoot: '',
      pre: PRE, post, catalog: { ...CATALOG, notValid: new Set([128, 130]) }, version: '15.18',
    });
    const byId = Object.fromEntries(schema.steps.map((s) => [s.id, s]));
    // Split: the two plain tables' keys. Not: the partitioned table's (no ONLY), the source's NOT VALID one.
    expect(schema.steps.filter((s) => s.id.endsWith('validate')).map((s) => s.id)).toEqual(['toc 24 validate', 'toc 25 validate']);
    expect(byId['toc 24 validate']).toMatchObject({ label: 'FK CONSTRAINT public.t 24 (validate)', table: { name: 'payment_p1' }, after: ['toc 24', 'toc 25'], afterLoad: false });
    expect(byId['toc 30']?.afterLoad).toBe(true);
    // Steps that waited for every other step wait for the validations too (the matview's refresh).
    expect(byId['refresh 17']?.after).toEqual(expect.arrayContaining(['toc 24 validate', 'toc 25 validate']));
    const run = async (id: string) => {
      sent.length = 0;
      await schema.apply(byId[id]!, {});
      return sent[0];
    };
    expect(await run('toc 24')).toBe(
      'SET LOCAL statement_timeout = 0;\nALTER TABLE ONLY public."pay ""p1"""\n    ADD CONSTRAINT "cust ""fk""" FOREIGN KEY (customer_id) REFERENCES public.customer(customer_id) ON DELETE CASCADE DEFERRABLE NOT VALID;',
    );
    expect(await run('toc 24 validate')).toBe('SET LOCAL statement_timeout = 0;\nALTER TABLE ONLY public."pay ""p1""" VALIDATE CONSTRAINT "cust ""fk""";');
    expect(await run('toc 29')).toBe(`SET LOCAL statement_timeout = 0;\n${post.find((e) => e.id === 29)!.sql}`);
  });

  it('refuses a table bench copies that the schema would not create', () => {
    expect(() => plan([table('ghost')])).toThrow(/bench cannot create public\.ghost on the target/);
  });
});
