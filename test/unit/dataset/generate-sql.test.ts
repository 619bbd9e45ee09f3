import { describe, expect, it } from 'vitest';
import { WORD_SPAN, createCorpusSql } from '../../../harness/dataset/corpus.js';
import { TABLE_GENERATORS, VOTE_TYPE_SHARES } from '../../../harness/dataset/generate-sql.js';
import { SCALED_TABLES, plannedRowCounts } from '../../../harness/dataset/stackoverflow-schema.js';
import { WORDS } from '../../../harness/dataset/vocabulary.js';

describe('generated SQL', () => {
  const ctx = { schema: 'public', seed: 42, rows: plannedRowCounts(0.001) };

  it('derives every value from hashes of the id and seed, never random()', () => {
    for (const t of SCALED_TABLES) {
      const sql = TABLE_GENERATORS[t](ctx);
      expect(sql).not.toMatch(/random\(|now\(|clock_timestamp/i);
      expect(sql).toContain(`generate_series(1::bigint, ${ctx.rows[t]})`);
    }
    expect(createCorpusSql('public', 42)).not.toMatch(/random\(/i);
  });

  it('changes with the seed', () => {
    expect(TABLE_GENERATORS.Posts(ctx)).not.toBe(TABLE_GENERATORS.Posts({ ...ctx, seed: 43 }));
  });

  it('keeps a space within every 16 bytes of the corpus, so text windows end on words', () => {
    // A word plus its separator (". ") must fit: see corpus.ts.
    expect(Math.max(...WORDS.map((w) => Buffer.byteLength(w)))).toBeLessThanOrEqual(WORD_SPAN - 4);
  });

  it('shares vote types out of exactly 1000 per mille', () => {
    expect(VOTE_TYPE_SHARES.reduce((s, [, share]) => s + share, 0)).toBe(1000);
  });
});
