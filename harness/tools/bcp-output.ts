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
];
const GENERIC = [/^bcp copy (in|out|queryout) failed$/i, /^General SQL Server error: Check messages from the SQL Server$/i];

/** One message as freebcp prints it: from the server when a "Server 'x', Line N" line follows the header. */
interface ToolMessage {
  readonly number?: string;
  readonly level?: number;
  readonly fromServer: boolean;
  readonly text: string;
}

/** freebcp's output as messages: "Msg N, Level L" blocks, and loose lines (the tool's own words) as messages of their own. */
function messagesOf(lines: readonly string[]): ToolMessage[] {
  const out: ToolMessage[] = [];
  let header: { number: string; level: number; fromServer: boolean } | undefined;
  for (const line of lines) {
    const m = /^Msg (\d+), Level (\d+)/i.exec(line);
    if (m) {
      header = { number: m[1]!, level: Number(m[2]), fromServer: false };
      continue;
    }
    if (header && /^(Server|Procedure) '.*'/i.test(line)) {
      header.fromServer = true;
      continue;
    }
    if (!line || NOISE.some((re) => re.test(line))) continue;
    out.push(header ? { ...header, text: line } : { fromServer: false, text: line });
    header = undefined;
  }
  return out;
}

/**
 * The line that says what went wrong, with its message number when it has one: the first server message
 * of severity above 10 (SQL Server's errors; 10 and below are informational, like 5701 "Changed database
 * context", which a server may send under another number), else the tool's own first error (FreeTDS's
 * Msg 20xxx, "Unknown datatype encountered"), past the generic follow-ups ("bcp copy in failed").
 * Informational server messages are never the failure.
 */
export function firstErrorLine(output: string): string | undefined {
  const lines = output.split(/\r?\n/).map((l) => l.trim());
  const odbc = lines.findIndex((l) => /^Error = /i.test(l));
  if (odbc >= 0) {
    // The NativeError of this error's own SQLState line (warnings before it carry theirs).
    const state = lines.slice(0, odbc).reverse().find((l) => /^SQLState = /i.test(l));
    const native = state ? /NativeError = (\d+)/i.exec(state)?.[1] : undefined;
    const text = lines[odbc]!.replace(/^Error = /i, '').replace(/^(\[[^\]]*\])+/, '').trim();
    return native && native !== '0' ? `${text} (error ${native})` : text;
  }
  const messages = messagesOf(lines);
  const show = (m: ToolMessage) => (m.number ? `${m.text} (Msg ${m.number})` : m.text);
  const serverError = messages.find((m) => m.fromServer && (m.level ?? 0) > 10);
  if (serverError) return show(serverError);
  const own = messages.filter((m) => !m.fromServer);
  const specific = own.find((m) => !GENERIC.some((re) => re.test(m.text)));
  const chosen = specific ?? own[0];
  return chosen ? show(chosen) : undefined;
}

/** The text with every secret replaced: tool output can echo a connection string or an argument list. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('*****');
  return out;
}
