import type { EngineName } from '../model/roles.js';
import { BenchError, ExitCode } from './errors.js';

const schemes: Record<string, EngineName> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mssql:': 'mssql',
  'sqlserver:': 'mssql',
};

const NOT_SHOWN = 'the value is not shown: it may hold a password';
const FORMS = 'postgres://user:password@host:port/database or mssql://user:password@host:1433/database';

/**
 * Which engine a connection URL is for, from its scheme. Anything that is not a `scheme://…` URL bench
 * can parse is refused here, before it can reach a driver (issue 16: `postgres:/user:pw@host` went to
 * port 5432 with the password as the database name), and without echoing the input, which may carry a
 * password in a form no redaction can be sure to recognise.
 */
export function engineOfUrl(url: string): EngineName {
  const usage = (message: string) => new BenchError(message, { exitCode: ExitCode.usage });
  if (/^\s*[a-z_]+\s*=/i.test(url)) {
    throw usage(`a keyword string (host=… dbname=…) is not supported: give a URL, ${FORMS} (${NOT_SHOWN})`);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw usage(`not a connection URL: it must start with postgres://, postgresql://, mssql:// or sqlserver://, as in ${FORMS} (${NOT_SHOWN})`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usage(`not a valid connection URL: check the port, and write special characters of the user or password as %XX, as in ${FORMS} (${NOT_SHOWN})`);
  }
  const engine = schemes[`${scheme}:`];
  if (!engine) {
    throw usage(`unsupported connection URL scheme in ${redactParsed(parsed)} (use postgres://, postgresql://, mssql:// or sqlserver://)`);
  }
  return engine;
}

/** Query parameters whose values are secrets, in any engine's spelling. */
const SECRET_KEY = /pass(word)?|pwd|secret|token/i;

function redactParsed(u: URL): string {
  if (u.password) u.password = '*****';
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_KEY.test(key)) u.searchParams.set(key, '*****');
  }
  return u.toString();
}

/**
 * The URL with any password replaced, safe for logs, reports and error messages. Whatever the form: a
 * URL with an authority (`scheme://user:pw@host`) is parsed; anything else — no scheme, one slash, a
 * keyword string `host=… password=…`, ADO's `Password=…;` — has every `user:secret@` and every secret
 * `key=value` masked.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.host !== '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return redactParsed(u);
  } catch {
    // Not a URL: masked by pattern below.
  }
  return url
    .replace(/(^|[\s/;,])([^\s/:@;,]*):[^@\s]*@/g, '$1$2:*****@')
    .replace(/\b([a-z_]*(?:pass(?:word)?|pwd|secret|token)[a-z_]*)(\s*=\s*)('(?:[^'\\]|\\.)*'|"[^"]*"|[^\s;&]*)/gi, '$1$2*****');
}

/**
 * A short label for a PostgreSQL connection with the PG* environment filled in, as the pg driver does
 * (a URL may leave out host, user or database and let PGHOST, PGUSER, PGDATABASE decide).
 */
export function describePostgresUrl(url: string, env: NodeJS.ProcessEnv = process.env): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return redactUrl(url);
  }
  const host = u.hostname || env.PGHOST || 'localhost';
  const port = u.port || env.PGPORT || '5432';
  const user = decodeURIComponent(u.username) || env.PGUSER || env.USER || 'postgres';
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || env.PGDATABASE || user;
  return `postgres://${user}@${host}:${port}/${database}`;
}
