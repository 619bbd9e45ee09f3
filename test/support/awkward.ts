import type pg from 'pg';

/**
 * A schema built to break naive copy code: names that need quoting (spaces, quotes, upper case,
 * reserved words, unicode), NULL next to empty strings, unicode text, a 1 MB value, bytea with NUL
 * bytes, special floats, arrays, JSON, a generated column, an expression index, a check, a unique key
 * and a foreign key between two awkward tables.
 */
export const AWKWARD_SCHEMA = 'Odd "Schema"';
export const PARENT = 'Parent Table';
export const CHILD = 'Mixed "Case" Child';

export async function createAwkwardSchema(c: pg.Client): Promise<void> {
  await c.query(`
    CREATE SCHEMA "Odd ""Schema""";
    CREATE TABLE "Odd ""Schema"""."Parent Table" (
      "ID" integer PRIMARY KEY,
      "select" text NOT NULL,
      "naïve ☃" varchar(20) UNIQUE
    );
    CREATE TABLE "Odd ""Schema"""."Mixed ""Case"" Child" (
      id bigint PRIMARY KEY,
      "parent ID" integer REFERENCES "Odd ""Schema"""."Parent Table" ("ID"),
      "Text" text,
      big text,
      raw bytea,
      amount numeric(12,3) CHECK (amount IS NULL OR amount > -1000000),
      ratio double precision,
      happened timestamptz,
      "day" date,
      flags boolean[],
      doc jsonb,
      token uuid,
      doubled bigint GENERATED ALWAYS AS (id * 2) STORED
    );
    CREATE INDEX "lower ""text"" idx" ON "Odd ""Schema"""."Mixed ""Case"" Child" (lower("Text"));
    INSERT INTO "Odd ""Schema"""."Parent Table" VALUES (1, '', NULL), (2, 'a', 'ünïcödé'), (3, E'tab\\there', '日本語');
    INSERT INTO "Odd ""Schema"""."Mixed ""Case"" Child"
      (id, "parent ID", "Text", big, raw, amount, ratio, happened, "day", flags, doc, token) VALUES
      (1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (2, 1, '', '', '\\x', 0, 0, '2013-12-31 23:59:59.999999+00', '2008-07-31', '{}', '{}', '00000000-0000-0000-0000-000000000000'),
      (3, 2, E'quote '' double " back\\\\slash tab\\t newline\\n cr\\r', repeat('x', 1048576), '\\x00ff00', -999999.999, 'NaN',
         '1970-01-01 00:00:00+05:30', '0001-01-01', '{t,f,NULL}', '{"k": [1, "two", null], "ü": "☃"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
      (4, 3, '😀 emoji and 中文 and ñ', repeat('ab€', 200000), decode(repeat('00', 1000), 'hex'), 123.456, '-Infinity',
         '2038-01-19 03:14:08+00', '2100-02-28', '{NULL}', '[null]', NULL),
      (5, NULL, 'null parent', 'NULL', '\\x4e554c4c', 1e-3, 1.0000000000000002, 'infinity', 'infinity', NULL, '"just a string"', NULL);
    ANALYZE;
  `);
}
