import type pg from 'pg';
import { qualified } from '../../harness/model/catalog.js';

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

/**
 * The schema a user's own database brings, in a schema whose name needs quoting in every position (a
 * quote, a dot, a comma, a space, a snowman): an enum and arrays of it, domains with checks, a composite
 * and a range type, citext and hstore (contrib extensions), an ICU collation, a sequence, identity
 * (ALWAYS and BY DEFAULT) and generated columns, comments; a two-level partitioned table with default
 * partitions and a trigger that would change every row it saw; an inheritance parent and child with a
 * rule that would swallow INSERTs and a NOT VALID check the rows break; a view, a populated materialized
 * view with a unique index and one never refreshed; a row 1,200 columns wide.
 */
export const TYPES_SCHEMA = 'Ty"pes. R,Us ☃';
/** `--tables` pattern for every table of TYPES_SCHEMA. */
export const TYPES_PATTERN = '"Ty""pes. R,Us ☃".*';
export const EVERY = 'Ev"ery. Po,sition';
/** The tables of TYPES_SCHEMA that hold rows, as bench names them (qualified()), with their row counts. */
export const TYPES_TABLES: readonly (readonly [string, number])[] = (
  [[EVERY, 5], ['capital', 1], ['city', 2], ['measures_2023_h1', 1447], ['measures_2023_h2', 1308], ['measures_later', 245], ['wide', 40]] as const
).map(([name, rows]) => [qualified({ schema: TYPES_SCHEMA, name }), rows] as const);

export async function createAwkwardTypes(c: pg.Client): Promise<void> {
  const s = '"Ty""pes. R,Us ☃"';
  const wideColumns = Array.from({ length: 1200 }, (_, i) => `c${i + 1} integer`).join(', ');
  const wideValues = Array.from({ length: 1200 }, (_, i) => `g * ${i + 1}`).join(', ');
  await c.query(`
    CREATE EXTENSION IF NOT EXISTS citext;
    CREATE EXTENSION IF NOT EXISTS hstore;
    CREATE SCHEMA ${s};
    CREATE TYPE ${s}.mood AS ENUM ('sad', 'ok', 'happy ☃', 'it''s "quoted"');
    CREATE DOMAIN ${s}.pos AS integer CONSTRAINT pos_positive CHECK (VALUE > 0);
    CREATE DOMAIN ${s}."short text" AS text CONSTRAINT "short enough" CHECK (length(VALUE) <= 20);
    CREATE TYPE ${s}.pair AS (a integer, b ${s}.mood, "c d" ${s}."short text");
    CREATE TYPE ${s}.floatrange AS RANGE (subtype = float8);
    CREATE COLLATION ${s}."case blind" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
    CREATE SEQUENCE ${s}.counter START 100;
    CREATE TABLE ${s}."Ev""ery. Po,sition" (
      "i""d. x" integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      "m, o" ${s}.mood,
      moods ${s}.mood[],
      p ${s}.pos,
      pr ${s}.pair,
      prs ${s}.pair[],
      r ${s}.floatrange,
      ir int4range,
      mr int4multirange,
      ci citext UNIQUE,
      cis citext[],
      h hstore,
      t text COLLATE ${s}."case blind",
      n bigint DEFAULT nextval('${s.replace(/'/g, "''")}.counter'),
      g integer GENERATED ALWAYS AS (p * 2) STORED
    );
    COMMENT ON TABLE ${s}."Ev""ery. Po,sition" IS 'every name here needs quoting';
    COMMENT ON COLUMN ${s}."Ev""ery. Po,sition"."m, o" IS 'an enum, in a column whose name needs quoting';
    INSERT INTO ${s}."Ev""ery. Po,sition" ("m, o", moods, p, pr, prs, r, ir, mr, ci, cis, h, t, n) VALUES
      ('sad', '{sad,ok}', 1, ROW(1, 'ok', 'x'), ARRAY[ROW(2, 'sad', 'y')::${s}.pair], '[1.5,2.5)', '[1,10)', '{[1,3),[5,7)}', 'Straße', '{A,b}', 'a=>1, b=>NULL', 'Hello', DEFAULT),
      ('happy ☃', '{"happy ☃",NULL}', 2, ROW(NULL, NULL, NULL), '{}', 'empty', 'empty', '{}', 'MiXeD', '{}', '', 'hello', DEFAULT),
      ('it''s "quoted"', '{"it''s \\"quoted\\""}', 3, ROW(3, 'it''s "quoted"', 'a "b", c'), ARRAY[ROW(4, 'happy ☃', 'q''t')::${s}.pair, NULL], '(,)', '(,5]', '{(,)}', 'ünïcödé', ARRAY['Q"T', NULL]::citext[], '"k ey"=>"v,al\\"ue"', 'ÉCOLE', DEFAULT),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, DEFAULT),
      ('ok', '{}', 1073741823, ROW(-1, 'sad', ''), '{}', '[-Infinity,Infinity]', '[-2147483648,2147483647)', '{[1,2)}', '', '{""}', '"=>"=>"\\\\"', '', DEFAULT);
    SELECT setval('${s.replace(/'/g, "''")}.counter', 500);

    CREATE TABLE ${s}.measures (id bigint GENERATED BY DEFAULT AS IDENTITY, at date NOT NULL, v integer, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
    CREATE TABLE ${s}.measures_2023 PARTITION OF ${s}.measures FOR VALUES FROM ('2023-01-01') TO ('2024-01-01') PARTITION BY RANGE (at);
    CREATE TABLE ${s}.measures_2023_h1 PARTITION OF ${s}.measures_2023 FOR VALUES FROM ('2023-01-01') TO ('2023-07-01');
    CREATE TABLE ${s}.measures_2023_h2 PARTITION OF ${s}.measures_2023 DEFAULT;
    CREATE TABLE ${s}.measures_later PARTITION OF ${s}.measures DEFAULT;
    CREATE INDEX ON ${s}.measures (v);
    INSERT INTO ${s}.measures (at, v) SELECT date '2023-01-01' + (g % 400), g FROM generate_series(1, 3000) g;
    CREATE FUNCTION ${s}.bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.v := NEW.v + 1000000; RETURN NEW; END $$;
    CREATE TRIGGER bump BEFORE INSERT ON ${s}.measures_2023_h1 FOR EACH ROW EXECUTE FUNCTION ${s}.bump();

    CREATE TABLE ${s}.city (name text, population integer);
    CREATE TABLE ${s}.capital (state char(2)) INHERITS (${s}.city);
    INSERT INTO ${s}.city VALUES ('Lyon', 520000), ('Nice', 340000);
    INSERT INTO ${s}.capital VALUES ('Paris', 2100000, 'IF');
    CREATE RULE capital_inserts_vanish AS ON INSERT TO ${s}.capital DO INSTEAD NOTHING;
    ALTER TABLE ${s}.city ADD CONSTRAINT "small cities" CHECK (population < 1000000) NOT VALID;

    CREATE VIEW ${s}.big_cities AS SELECT name FROM ${s}.city WHERE population > 400000;
    CREATE MATERIALIZED VIEW ${s}.measure_counts AS SELECT v % 10 AS k, count(*) AS n FROM ${s}.measures GROUP BY 1;
    CREATE UNIQUE INDEX ON ${s}.measure_counts (k);
    CREATE MATERIALIZED VIEW ${s}.never_refreshed AS SELECT 1 AS x WITH NO DATA;

    CREATE TABLE ${s}.wide (id integer PRIMARY KEY, ${wideColumns}, note text);
    INSERT INTO ${s}.wide SELECT g, ${wideValues}, repeat('w', g * 100) FROM generate_series(1, 40) g;
    ANALYZE;
  `);
}
