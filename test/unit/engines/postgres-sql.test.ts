import { describe, expect, it } from 'vitest';
import { copyOutSql, fingerprintSql, insertSql, quoteIdent, rowsPerInsert } from '../../../harness/engines/postgres-sql.js';
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
      `COPY (SELECT "id", "select" FROM "My Schema"."Ta""ble" WHERE "id" >= '100' AND "id" < '200') TO STDOUT`,
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
});
