import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualified } from '../../harness/model/catalog.js';
import { plannedRowCounts, seedStackOverflow } from '../../harness/dataset/index.js';
import { levelOf } from '../../harness/plan/fk-levels.js';
import { freshDatabases, type TestDatabases } from '../support/databases.js';
import { connectPair, trial, type Pair } from '../support/trial.js';

/**
 * The seeded StackOverflow schema seen through bench's own introspection, and copied by both
 * foundation strategies with validation, in both constraint modes.
 */
describe('the StackOverflow dataset through bench', () => {
  const SCALE = 0.001;
  let dbs: TestDatabases;
  let pair: Pair;

  beforeAll(async () => {
    dbs = await freshDatabases('stackoverflow');
    const pool = new pg.Pool({ connectionString: dbs.source, max: 4 });
    try {
      await seedStackOverflow(pool, { scale: SCALE, seed: 7 });
    } finally {
      await pool.end();
    }
    pair = await connectPair(dbs.source, dbs.target);
  });

  afterAll(async () => {
    await pair?.close();
    await dbs?.drop();
  });

  it('introspects nine tables with their keys, foreign keys, types and four foreign-key levels', async () => {
    const catalog = await pair.source.introspect();
    const names = catalog.tables.map((t) => qualified(t)).sort();
    expect(names).toEqual(
      ['Badges', 'Comments', 'LinkTypes', 'PostLinks', 'PostTypes', 'Posts', 'Users', 'VoteTypes', 'Votes'].map((n) => `public.${n}`).sort(),
    );
    for (const t of catalog.tables) expect(t.primaryKey?.columns).toEqual(['Id']);
    const posts = catalog.tables.find((t) => t.name === 'Posts')!;
    expect(posts.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['Body', 'Title', 'Tags', 'OwnerUserId', 'ParentId', 'AcceptedAnswerId']));
    expect(posts.columns.find((c) => c.name === 'Body')!.portable.kind).toBe('text');
    expect(posts.columns.find((c) => c.name === 'CreationDate')!.portable.kind).toBe('timestamp');
    const fks = catalog.tables.flatMap((t) => t.foreignKeys.map((f) => `${t.name}.${f.columns.join(',')}→${f.references.name}`)).sort();
    expect(fks).toEqual(
      expect.arrayContaining(['Votes.PostId→Posts', 'Comments.PostId→Posts', 'Comments.UserId→Users', 'Badges.UserId→Users', 'PostLinks.RelatedPostId→Posts', 'Posts.OwnerUserId→Users']),
    );
    const levels = levelOf(catalog.tables);
    expect(levels.get('public.Users')).toBe(0);
    expect(levels.get('public.Posts')).toBe(1);
    expect(levels.get('public.Votes')).toBe(2);
    const planned = plannedRowCounts(SCALE);
    expect(catalog.tables.find((t) => t.name === 'Votes')!.estimatedRows).toBeGreaterThan(planned.Votes * 0.5);
  });

  it.each([
    ['native-bulk', 'after'],
    ['native-bulk', 'before'],
    ['direct-stream', 'after'],
    ['direct-stream', 'before'],
  ] as const)('%s copies it with constraints %s and validates every table', async (strategy, constraints) => {
    const r = await trial(pair, { strategy, constraints, parallelism: 2 });
    expect(r.state, r.state === 'failed' ? r.error : '').toBe('ok');
    if (r.state !== 'ok') return;
    expect(r.validation).toHaveLength(9);
    expect(r.validation.every((v) => v.match && v.sourceRows === v.targetRows)).toBe(true);
    const planned = plannedRowCounts(SCALE);
    expect(r.validation.find((v) => v.table === 'public.Votes')!.targetRows).toBe(planned.Votes);
  });
});
