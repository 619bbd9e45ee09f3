import { describe, expect, it } from 'vitest';
import type { Table } from '../../../harness/model/catalog.js';
import { foreignKeyLevels } from '../../../harness/plan/fk-levels.js';

function table(name: string, refs: string[] = []): Table {
  return {
    schema: 'public',
    name,
    columns: [],
    uniques: [],
    checks: [],
    indexes: [],
    estimatedRows: 0,
    estimatedBytes: 0,
    foreignKeys: refs.map((r, i) => ({ name: `fk${i}`, columns: ['x'], references: { schema: 'public', name: r }, refColumns: ['id'] })),
  };
}

describe('foreign-key levels', () => {
  it("reproduces the seeds' four StackOverflow levels", () => {
    const tables = [
      table('votes', ['posts', 'votetypes', 'users']),
      table('comments', ['posts', 'users']),
      table('postlinks', ['posts', 'linktypes']),
      table('posts', ['users', 'posttypes', 'posts']), // self-reference ignored
      table('badges', ['users']),
      table('users'),
      table('votetypes'),
      table('posttypes'),
      table('linktypes'),
    ];
    const { levels, cycle } = foreignKeyLevels(tables);
    expect(cycle).toEqual([]);
    expect(levels.map((l) => l.map((t) => t.name).sort())).toEqual([
      ['linktypes', 'posttypes', 'users', 'votetypes'],
      ['badges', 'posts'],
      ['comments', 'postlinks', 'votes'],
    ]);
  });

  it('ignores references to tables outside the copy set and reports cycles', () => {
    const { levels, cycle } = foreignKeyLevels([table('a', ['b']), table('b', ['a']), table('c', ['elsewhere'])]);
    expect(levels[0]!.map((t) => t.name)).toEqual(['c']);
    expect(cycle.map((t) => t.name)).toEqual(['a', 'b']);
  });

  it('puts a table that references a partitioned table after every leaf below it', () => {
    const leaf = (name: string, above: string[]): Table => ({ ...table(name), partitionOf: above.map((n) => ({ schema: 'public', name: n })) });
    const { levels } = foreignKeyLevels([table('refund', ['payment']), leaf('payment_2022_01', ['payment_2022', 'payment']), leaf('payment_2023', ['payment'])]);
    expect(levels.map((l) => l.map((t) => t.name).sort())).toEqual([['payment_2022_01', 'payment_2023'], ['refund']]);
  });
});
