import type { EngineName } from '../model/roles.js';
import { parseEncrypt } from '../engines/mssql-url.js';

/**
 * An existing server given by parts instead of a URL: `--source-host db1 --source-engine mssql
 * --source-user bench --source-database StackOverflow --source-instance SQL2022 …` (and the same for
 * `--target-*`). One job: turn those options into the connection URL the rest of bench takes, so a
 * server given by parts and one given by URL behave the same. Problems are returned, not thrown, to be
 * reported with every other option problem (config.ts).
 *
 * The password: `--source-password` works but is visible in the process list while bench runs, so
 * `BENCH_SOURCE_PASSWORD` / `BENCH_TARGET_PASSWORD` are read first when the option is absent. For
 * PostgreSQL, with neither, the driver's own PGPASSWORD and ~/.pgpass apply as for a URL without one.
 */
export type Side = 'source' | 'target';

export interface ServerParts {
  readonly url?: string;
  readonly problems: readonly string[];
}

const ENGINES: readonly EngineName[] = ['postgres', 'mssql'];

/** The option keys, as commander names them (camel case of --source-host …). */
const keys = (side: Side) =>
  ({
    url: `${side}Url`,
    engine: `${side}Engine`,
    host: `${side}Host`,
    port: `${side}Port`,
    user: `${side}User`,
    password: `${side}Password`,
    database: `${side}Database`,
    instance: `${side}Instance`,
    encrypt: `${side}Encrypt`,
    trust: `${side}TrustServerCertificate`,
  }) as const;

/** Options that only describe an existing server (--{side}-port alone means the native cluster's port). */
const PART_KEYS = ['engine', 'host', 'user', 'password', 'database', 'instance', 'encrypt', 'trust'] as const;
/** SQL Server-only parts: given with --{side}-engine postgres, they are a mistake worth naming. */
const MSSQL_ONLY = ['instance', 'encrypt', 'trust'] as const;

const flagOf = (side: Side, part: string) =>
  `--${side}-${part === 'trust' ? 'trust-server-certificate' : part}`;

/** True when any part was given: then --{side}-port is the server's port, not a native cluster's. */
export function givesParts(side: Side, raw: Readonly<Record<string, unknown>>): boolean {
  const k = keys(side);
  return PART_KEYS.some((part) => raw[k[part]] !== undefined);
}

export function urlFromParts(side: Side, raw: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv = process.env): ServerParts {
  const k = keys(side);
  if (!givesParts(side, raw)) return { problems: [] };
  const given = PART_KEYS.filter((part) => raw[k[part]] !== undefined).map((part) => flagOf(side, part));
  if (raw[k.url] !== undefined) {
    return { problems: [`--${side}-url and ${given.join(', ')} both describe the ${side} server: give one or the other`] };
  }
  const problems: string[] = [];
  const text = (part: keyof ReturnType<typeof keys>) => (raw[k[part]] === undefined ? undefined : String(raw[k[part]]));
  const engineText = text('engine') ?? 'postgres';
  const engine = ENGINES.find((e) => e === engineText);
  if (!engine) problems.push(`--${side}-engine is "${engineText}"; choose one of ${ENGINES.join(', ')}`);
  const host = text('host');
  if (!host) problems.push(`${given.join(', ')} ${given.length > 1 ? 'need' : 'needs'} --${side}-host (or give --${side}-url)`);
  if (engine === 'postgres') {
    for (const part of MSSQL_ONLY) {
      if (raw[k[part]] !== undefined) problems.push(`${flagOf(side, part)} is for SQL Server: add --${side}-engine mssql`);
    }
  }
  const port = text('port');
  const encrypt = text('encrypt');
  if (encrypt !== undefined && parseEncrypt(encrypt) === undefined) problems.push(`--${side}-encrypt is "${encrypt}"; use true, false or strict`);
  if (engine === 'mssql' && text('user') === undefined) problems.push(`--${side}-user is needed: bench logs in to SQL Server with a SQL Server login`);
  if (port !== undefined && raw[k.instance] !== undefined) {
    problems.push(`--${side}-port and --${side}-instance both choose the SQL Server port: give one (an instance's port comes from SQL Browser)`);
  }
  if (problems.length > 0 || !engine || !host) return { problems };

  const password = text('password') ?? env[`BENCH_${side.toUpperCase()}_PASSWORD`];
  const user = text('user');
  const scheme = engine === 'mssql' ? 'mssql' : 'postgres';
  // IPv6 literals need brackets in a URL authority.
  const authority = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}${port !== undefined ? `:${port}` : ''}`;
  // No user: the PostgreSQL driver's PGUSER (or the OS user) applies, with this password if given.
  const login = user === undefined && password === undefined ? '' : `${encodeURIComponent(user ?? '')}${password !== undefined ? `:${encodeURIComponent(password)}` : ''}@`;
  const database = text('database');
  const query = new URLSearchParams();
  if (engine === 'mssql') {
    const instance = text('instance');
    if (instance !== undefined) query.set('instance', instance);
    if (encrypt !== undefined) query.set('encrypt', encrypt);
    if (raw[k.trust] !== undefined) query.set('trustServerCertificate', String(raw[k.trust] !== false));
  }
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return { url: `${scheme}://${login}${authority}/${database === undefined ? '' : encodeURIComponent(database)}${search}`, problems: [] };
}
