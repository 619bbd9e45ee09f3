/**
 * Reads the SQL script `pg_restore --verbose` writes from a schema archive (`pg_dump -Fc --schema-only`)
 * into its table-of-contents entries, so bench can run them one by one: pre-data in order before the
 * load, post-data per table and in parallel after it, as pg_restore -j and pgcopydb do. In verbose mode
 * every entry opens with a header naming its dump id, the catalog object it creates (class and OID) and
 * the dump ids it depends on:
 *
 *     --
 *     -- TOC entry 3399 (class 2606 OID 16607)
 *     -- Dependencies: 215
 *     -- Name: actor actor_pkey; Type: CONSTRAINT; Schema: public; Owner: -
 *     -- Data Pos: 0
 *     --
 *
 * The ids, class and OID are numbers and cannot be forged by an object's name; the name part is only
 * read for messages and the type (pg_dump's fixed descriptions: TABLE, INDEX, FK CONSTRAINT…).
 * A name holding "; Type: " could mislead the type, never the SQL run.
 */

/** One object pg_dump creates. */
export interface DumpEntry {
  /** pg_dump's dump id: what other entries' dependencies name. */
  readonly id: number;
  /** The system catalog of the object (pg_class 1259, pg_constraint 2606, …); 0 when it has none (COMMENT, INDEX ATTACH). */
  readonly classId: number;
  readonly objectId: number;
  readonly dependsOn: readonly number[];
  /** pg_dump's description of the entry: TABLE, INDEX, CONSTRAINT, FK CONSTRAINT, TRIGGER, COMMENT… */
  readonly type: string;
  /** The tag and schema as the header prints them, for messages ("-" for no schema). */
  readonly name: string;
  readonly schema: string;
  /** The entry's statements; empty when there is nothing to run (the public schema initdb creates). */
  readonly sql: string;
  /** Session settings in force for the entry (the script's own SETs), to apply with SET LOCAL. */
  readonly settings: readonly DumpSetting[];
}

export interface DumpSetting {
  readonly name: string;
  /** As SQL: `0`, `'UTF8'`, `heap`, `''`. */
  readonly value: string;
}

const HEADER =
  /^--\n-- TOC entry (\d+) \(class (\d+) OID (\d+)\)\n(?:-- Dependencies: ([\d ]*)\n)?-- Name: (.*?); Type: ([A-Z][A-Z ]*?); Schema: (.*?); Owner: .*\n(?:-- [A-Za-z ]+: .*\n)*--\n/gm;

/** `SET name = value;` as pg_dump and pg_restore write them, between entries and in the preamble. */
const SET_LINE = /^SET ([a-z_]+) = (.+);$/;
/** The preamble's search path: `SELECT pg_catalog.set_config('search_path', '', false);`. */
const SET_CONFIG_LINE = /^SELECT pg_catalog\.set_config\('([a-z_]+)', '((?:[^']|'')*)', false\);$/;
/**
 * psql meta-commands pg_dump 15.14+ writes around the script (CVE-2025-8714): `\restrict KEY` makes psql
 * refuse any other meta-command until `\unrestrict KEY`, so a hostile server cannot smuggle one into a
 * dump. bench never runs the script through psql (each entry goes to the server as SQL), so no
 * meta-command is ever interpreted and these two lines, at the script's very start and end, are dropped.
 */
const RESTRICT_LINE = /^\\(un)?restrict [A-Za-z0-9]+$/;
/** What pg_restore writes after the last entry. */
const FOOTER_LINE = /^(--|-- Completed on .*|-- PostgreSQL database dump complete|)$/;

export class DumpScriptError extends Error {}

export function parseRestoreScript(text: string): DumpEntry[] {
  const headers = [...text.matchAll(HEADER)];
  if (headers.length === 0) {
    if (/TOC entry/.test(text)) throw new DumpScriptError('the restore script has entries bench cannot read (not pg_restore --verbose output?)');
    return [];
  }
  const state = new Map<string, string>();
  for (const line of statementLines(text.slice(0, headers[0]!.index))) applySetting(state, line, true);

  const entries: DumpEntry[] = [];
  headers.forEach((h, i) => {
    const start = h.index + h[0].length;
    const end = i + 1 < headers.length ? headers[i + 1]!.index : text.length;
    const settings = [...state].map(([name, value]) => ({ name, value }));
    const lines = text.slice(start, end).split('\n');
    // Settings and footer lines at the end of a chunk belong to what follows, not to this entry.
    const following: string[] = [];
    while (lines.length > 0) {
      const last = lines[lines.length - 1]!.trimEnd();
      if (FOOTER_LINE.test(last) || (RESTRICT_LINE.test(last) && i === headers.length - 1)) lines.pop();
      else if (SET_LINE.test(last)) following.unshift(lines.pop()!.trimEnd());
      else break;
    }
    for (const line of following) applySetting(state, line, false);
    const sql = lines.join('\n').trim();
    const onlyComments = sql.split('\n').every((l) => l.trim() === '' || l.startsWith('--'));
    entries.push({
      id: Number(h[1]),
      classId: Number(h[2]),
      objectId: Number(h[3]),
      dependsOn: (h[4] ?? '').split(' ').filter(Boolean).map(Number),
      name: h[5]!,
      type: h[6]!,
      schema: h[7]!,
      sql: onlyComments ? '' : sql,
      settings,
    });
  });
  const ids = new Set<number>();
  for (const e of entries) {
    if (ids.has(e.id)) throw new DumpScriptError(`the restore script names entry ${e.id} twice`);
    ids.add(e.id);
  }
  return entries;
}

/** The statements of the script's preamble: its settings, after the comments and `\restrict`. */
function statementLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '' && !l.startsWith('--') && !RESTRICT_LINE.test(l));
}

function applySetting(state: Map<string, string>, line: string, preamble: boolean): void {
  const set = SET_LINE.exec(line);
  if (set) {
    state.set(set[1]!, set[2]!);
    return;
  }
  const config = SET_CONFIG_LINE.exec(line);
  if (config) {
    state.set(config[1]!, `'${config[2]!}'`);
    return;
  }
  throw new DumpScriptError(`the restore script's ${preamble ? 'preamble' : 'settings'} hold a statement bench does not know: ${line}`);
}

/** The entry as one simple query: its settings, local to the query's implicit transaction, then its SQL. */
export function entrySql(entry: Pick<DumpEntry, 'settings' | 'sql'>): string {
  return [...entry.settings.map((s) => `SET LOCAL ${s.name} = ${s.value};`), entry.sql].join('\n');
}
