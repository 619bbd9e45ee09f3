import { describe, expect, it } from 'vitest';
import {
  LOOKUP_TABLES, SCALED_TABLES, STACKOVERFLOW_2013_ROWS, createTableSql, foreignKeySteps, plannedRowCounts,
} from '../../../harness/dataset/stackoverflow-schema.js';

const sum = (counts: Record<string, number>, tables: readonly string[]) => tables.reduce((s, t) => s + counts[t]!, 0);

describe('plannedRowCounts', () => {
  it('is StackOverflow2013 at scale 1: 106,534,545 rows in the six big tables', () => {
    const rows = plannedRowCounts(1);
    expect(sum(rows, SCALED_TABLES)).toBe(106_534_545);
    expect(rows).toEqual(STACKOVERFLOW_2013_ROWS);
  });

  it('rounds each table at a scale (0.01 ≈ 1.07M rows)', () => {
    const rows = plannedRowCounts(0.01);
    expect(rows.Votes).toBe(529_287);
    expect(rows.Posts).toBe(171_422);
    expect(sum(rows, SCALED_TABLES)).toBeGreaterThan(1_060_000);
    expect(sum(rows, SCALED_TABLES)).toBeLessThan(1_070_000);
  });

  it('keeps at least one row per big table and the lookup tables whole', () => {
    const rows = plannedRowCounts(1e-9);
    for (const t of SCALED_TABLES) expect(rows[t]).toBe(1);
    expect(LOOKUP_TABLES.map((t) => rows[t])).toEqual([15, 8, 2]);
  });

  it('rejects a scale that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => plannedRowCounts(bad)).toThrow(/scale/);
  });
});

describe('StackOverflow DDL', () => {
  it('uses int keys, and bigint once a table outgrows int', () => {
    expect(createTableSql('public', 'Votes', plannedRowCounts(1))).toContain('"Id" int NOT NULL');
    const huge = plannedRowCounts(50); // 2.6 billion votes
    expect(createTableSql('public', 'Votes', huge)).toMatch(/"Id" bigint NOT NULL, "PostId" int NOT NULL/);
  });

  it('declares the ten foreign keys, added NOT VALID and validated separately', () => {
    const fks = foreignKeySteps('s');
    expect(fks.map((f) => f.name)).toHaveLength(10);
    expect(fks.every((f) => f.addSql.endsWith('NOT VALID') && f.validateSql.includes('VALIDATE CONSTRAINT'))).toBe(true);
  });
});
