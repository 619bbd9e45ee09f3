/**
 * Reading what bcp tools print. Both end a successful run with "N rows copied."; for `in`, freebcp's N
 * is the row count of the server's DONE token (FreeTDS bcp_exec), so it is the server's own count.
 *
 * Errors: freebcp prints "Msg N, Level L[, State S]", then for a server message "Server 'x', Line N",
 * then the text (tab-indented); the server's message comes first, FreeTDS's own follow ("Msg 20018
 * General SQL Server error: Check messages from the SQL Server", "bcp copy in failed"). Microsoft's bcp
 * prints "SQLState = S1000, NativeError = 0" then "Error = [Microsoft][ODBC Driver 18 for SQL Server]…".
 */
export function rowsCopied(output: string): number | undefined {
  const counts = [...output.matchAll(/^\s*(\d+) rows? copied\b/gim)];
  const last = counts.at(-1);
  return last ? Number(last[1]) : undefined;
}

const NOISE = [
  /^Starting copy\.*$/i,
  /^\d+ rows? (copied|sent to SQL Server)/i,
  /^Network packet size/i,
  /^Clock Time/i,
  /^SQLState = /i,
  /^Msg \d+, Level \d+/i,
  /^(Server|Procedure) '.*'/i,
];
const GENERIC = [/^bcp copy (in|out|queryout) failed$/i, /^General SQL Server error: Check messages from the SQL Server$/i];

/** The first line that says what went wrong, with the tool's own message number when it gave one. */
export function firstErrorLine(output: string): string | undefined {
  const lines = output.split(/\r?\n/).map((l) => l.trim());
  const odbc = lines.find((l) => /^Error = /i.test(l));
  if (odbc) {
    const native = /NativeError = (\d+)/i.exec(output)?.[1];
    const text = odbc.replace(/^Error = /i, '').replace(/^(\[[^\]]*\])+/, '').trim();
    return native && native !== '0' ? `${text} (error ${native})` : text;
  }
  let msg: string | undefined;
  const candidates: string[] = [];
  for (const line of lines) {
    const header = /^Msg (\d+), Level \d+/i.exec(line);
    if (header) {
      msg = header[1];
      continue;
    }
    if (!line || NOISE.some((re) => re.test(line))) continue;
    candidates.push(msg ? `${line} (Msg ${msg})` : line);
    msg = undefined;
  }
  return candidates.find((c) => !GENERIC.some((re) => re.test(c.replace(/ \(Msg \d+\)$/, '')))) ?? candidates[0];
}

/** The text with every secret replaced: tool output can echo a connection string or an argument list. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('*****');
  return out;
}
