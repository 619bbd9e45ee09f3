import { describe, expect, it } from 'vitest';
import { DumpScriptError, entrySql, parseRestoreScript } from '../../../harness/engines/pg-dump-script.js';

/** What pg_restore 15.18 --verbose writes (trimmed), header and footer lines included. */
const SCRIPT = `--
-- PostgreSQL database dump
--

\\restrict cKebGm0cNeQWk0y4fw2hSp2cQW2nOUfmjJCKZDyCzhOmRSaY3MLDMuOlgqklcAq

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

-- Started on 2026-12-02 21:03:08 UTC

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

--
-- TOC entry 5 (class 2615 OID 2200)
-- Name: public; Type: SCHEMA; Schema: -; Owner: -
-- Data Pos: 0
--

-- *not* creating schema, since initdb creates it


--
-- TOC entry 347 (class 1255 OID 17197)
-- Name: touch(); Type: FUNCTION; Schema: public; Owner: -
-- Data Pos: 0
--

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN
-- a comment inside the body stays
NEW.v := NEW.v + 1000; RETURN NEW; END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- TOC entry 220 (class 1259 OID 17154)
-- Dependencies: 218 971 975 8 3082
-- Name: Ta"ble. x,y; Type: TABLE; Schema: We"ird. Sch,ema; Owner: -
-- Data Pos: 0
--

CREATE TABLE "We""ird. Sch,ema"."Ta""ble. x,y" (
    id integer NOT NULL
);


--
-- TOC entry 3472 (class 0 OID 0)
-- Dependencies: 3463 229 228 3460
-- Name: meas_2023_h1_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
-- Data Pos: 0
--

ALTER INDEX public.meas_2023_pkey ATTACH PARTITION public.meas_2023_h1_pkey;


-- Completed on 2026-12-02 21:03:08 UTC

--
-- PostgreSQL database dump complete
--

\\unrestrict cKebGm0cNeQWk0y4fw2hSp2cQW2nOUfmjJCKZDyCzhOmRSaY3MLDMuOlgqklcAq
`;

describe("pg_restore's verbose script", () => {
  const entries = parseRestoreScript(SCRIPT);

  it('splits into entries with their ids, catalog objects, dependencies and types', () => {
    expect(entries.map((e) => [e.id, e.classId, e.objectId, e.type, e.schema, e.name, e.dependsOn])).toEqual([
      [5, 2615, 2200, 'SCHEMA', '-', 'public', []],
      [347, 1255, 17197, 'FUNCTION', 'public', 'touch()', []],
      [220, 1259, 17154, 'TABLE', 'We"ird. Sch,ema', 'Ta"ble. x,y', [218, 971, 975, 8, 3082]],
      [3472, 0, 0, 'INDEX ATTACH', 'public', 'meas_2023_h1_pkey', [3463, 229, 228, 3460]],
    ]);
  });

  it('keeps each entry its own SQL, comments inside it included, and nothing of the next header or the footer', () => {
    expect(entries[0]!.sql).toBe('');
    expect(entries[1]!.sql).toBe(`CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN
-- a comment inside the body stays
NEW.v := NEW.v + 1000; RETURN NEW; END $$;`);
    expect(entries[3]!.sql).toBe('ALTER INDEX public.meas_2023_pkey ATTACH PARTITION public.meas_2023_h1_pkey;');
    expect(entries.some((e) => e.sql.includes('restrict'))).toBe(false);
  });

  it('gives each entry the settings in force where it stands, as SET LOCAL', () => {
    const before = { statement_timeout: '0', client_encoding: "'UTF8'", search_path: "''", check_function_bodies: 'false' };
    expect(Object.fromEntries(entries[1]!.settings.map((s) => [s.name, s.value]))).toEqual(before);
    expect(Object.fromEntries(entries[2]!.settings.map((s) => [s.name, s.value]))).toEqual({ ...before, default_tablespace: "''", default_table_access_method: 'heap' });
    expect(entrySql(entries[3]!)).toMatch(/^SET LOCAL statement_timeout = 0;\nSET LOCAL client_encoding = 'UTF8';\nSET LOCAL search_path = '';\n.*\nALTER INDEX /s);
  });

  it('refuses a preamble statement it does not know rather than guess', () => {
    expect(() => parseRestoreScript(SCRIPT.replace('SET statement_timeout = 0;', 'SET ROLE alice; DROP TABLE x;'))).toThrow(DumpScriptError);
  });
});
