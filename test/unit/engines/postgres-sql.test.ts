import { describe, expect, it } from 'vitest';
import { copyOutSql, fingerprintSql, insertSql, oversizeOf, quoteIdent, rowSizeGuardSql, rowsPerInsert } from '../../../harness/engines/postgres-sql.js';
import type { Column } from '../../../harness/model/catalog.js';
import type { CopyTask } from '../../../harness/model/task.js';

const task = (range?: CopyTask['range']): CopyTask => ({
  id: 'x',
  source: { schema: 'My Schema', name: 'Ta"ble' } as CopyTask['source'],
  target: { schema: 'My Schema', name: 'Ta"ble' },
  columns: [{ name: 'id', nativeType: 'int', portable: { kind: 'int32' }, nullable: false }, { name: 'select', nativeType: 'text', portable: { kind: 'text' }, nullable: true }],
  ...(range ? { range } : {}),
  level: 0,
  estimatedRows: 0,
  estimatedBytes: 0,
});

describe('PostgreSQL SQL builders', () => {
  it('quotes every identifier', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(copyOutSql(task(), 'binary')).toBe('COPY "My Schema"."Ta""ble" ("id", "select") TO STDOUT (FORMAT binary)');
  });

  it('reads a key range with an inclusive lower and exclusive upper bound', () => {
    expect(copyOutSql(task({ column: 'id', from: '100', to: '200' }), 'text')).toBe(
      `COPY (SELECT "id", "select" FROM ONLY "My Schema"."Ta""ble" WHERE "id" >= '100' AND "id" < '200') TO STDOUT`,
    );
  });

  it('keeps INSERT statements under the protocol limit of 65,535 parameters', () => {
    expect(rowsPerInsert(20, 5000)).toBe(3276);
    expect(rowsPerInsert(2, 5000)).toBe(5000);
    expect(insertSql({ schema: 's', name: 't' }, [{ name: 'a' }, { name: 'b' }], 2)).toBe('INSERT INTO "s"."t" ("a", "b") VALUES ($1,$2),($3,$4)');
  });

  it('checksums the row text of the named columns in the given order', () => {
    expect(fingerprintSql({ schema: 's', name: 't' }, ['b', 'a'])).toContain('hashtextextended(ROW("b", "a")::text, 0)');
  });

  it("reads and checksums a table's own rows, never an inheritance child's", () => {
    expect(fingerprintSql({ schema: 's', name: 't' }, ['a'])).toMatch(/ FROM ONLY "s"\."t"$/);
    expect(copyOutSql(task({ column: 'ctid', from: '(0,0)' }), 'binary')).toContain(' FROM ONLY "My Schema"."Ta""ble" WHERE');
  });

  it('writes GENERATED ALWAYS identity columns with OVERRIDING SYSTEM VALUE, others as they are', () => {
    expect(insertSql({ schema: 's', name: 't' }, [{ name: 'id', identity: 'always' }, { name: 'b' }], 1)).toBe(
      'INSERT INTO "s"."t" ("id", "b") OVERRIDING SYSTEM VALUE VALUES ($1,$2)',
    );
    expect(insertSql({ schema: 's', name: 't' }, [{ name: 'id', identity: 'by-default' }], 1)).toBe('INSERT INTO "s"."t" ("id") VALUES ($1)');
  });

  it('guards a row of hundreds of wide columns without passing a function more than 100 arguments', () => {
    const columns: Column[] = Array.from({ length: 1200 }, (_, i) =>
      i % 3 === 0 ? { name: `t${i}`, nativeType: 'text', portable: { kind: 'text' }, nullable: true } : { name: `i${i}`, nativeType: 'integer', portable: { kind: 'int32' }, nullable: true },
    );
    const guard = rowSizeGuardSql(columns, 1000)!;
    // The separator literal ',' is one argument: blank it out before counting commas.
    for (const call of guard.replaceAll("','", "'_'").split('concat_ws(').slice(1)) {
      // Arguments of this call: up to its closing parenthesis at depth 0.
      let depth = 0;
      let args = 1;
      for (const ch of call) {
        if (ch === '(') depth += 1;
        else if (ch === ')' && depth-- === 0) break;
        else if (ch === ',' && depth === 0) args += 1;
      }
      expect(args).toBeLessThanOrEqual(100);
    }
    // The error names the guarded (text) columns' sizes in order; the integers count 0.
    const sizes = oversizeOf(`invalid input syntax for type integer: "bench-oversize:${Array.from({ length: 400 }, (_, i) => i + 1).join(',')}"`, columns)!;
    expect(sizes.slice(0, 4)).toEqual([{ name: 't0', bytes: 1 }, { name: 'i1', bytes: 0 }, { name: 'i2', bytes: 0 }, { name: 't3', bytes: 2 }]);
    expect(sizes.at(-3)).toEqual({ name: 't1197', bytes: 400 });
  });
});
