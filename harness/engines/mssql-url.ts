import { BenchError, ExitCode } from '../base/errors.js';

/**
 * `mssql://user:password@host:port/database?instance=NAME&encrypt=false&trustServerCertificate=true`
 * (encrypt: true by default, false, or strict)
 * (also `sqlserver://`). engineOfUrl in connection.ts already routes both schemes here. Query
 * parameters are case-insensitive; `database` may also come as a parameter (`?database=` or
 * `?databaseName=`, as in JDBC URLs). The password is never part of `display`.
 */
export interface MssqlUrl {
  readonly host: string;
  /** Absent with an instance name: tedious asks the SQL Browser service (UDP 1434) for the port. */
  readonly port?: number;
  readonly instance?: string;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /**
   * true: TLS negotiated in PRELOGIN, and bench refuses a server that offers none (mssql-pool.ts);
   * 'strict': TDS 8, TLS before any TDS message; false: plaintext allowed (used when the server has no TLS).
   */
  readonly encrypt: Encrypt;
  readonly trustServerCertificate: boolean;
  /** Redacted label for messages and reports. */
  readonly display: string;
}

export type Encrypt = boolean | 'strict';

const TRUE = new Set(['true', 'yes', '1', 'on', 'mandatory']);
const FALSE = new Set(['false', 'no', '0', 'off', 'optional']);

/** An encrypt setting's text (the URL's ?encrypt=, --source-encrypt): ODBC's Mandatory/Optional/Strict included. */
export function parseEncrypt(text: string): Encrypt | undefined {
  const v = text.toLowerCase();
  if (v === 'strict') return 'strict';
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return undefined;
}

export function parseMssqlUrl(url: string): MssqlUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new BenchError('not a valid SQL Server URL (expected mssql://user:password@host:1433/database)', { exitCode: ExitCode.usage });
  }
  if (u.protocol !== 'mssql:' && u.protocol !== 'sqlserver:') {
    throw new BenchError(`not a SQL Server URL: scheme ${u.protocol} (use mssql:// or sqlserver://)`, { exitCode: ExitCode.usage });
  }
  const params = new Map<string, string>();
  for (const [k, v] of u.searchParams) params.set(k.toLowerCase(), v);
  const problems: string[] = [];
  const flag = (name: string, fallback: boolean): boolean => {
    const v = params.get(name.toLowerCase());
    if (v === undefined) return fallback;
    if (TRUE.has(v.toLowerCase())) return true;
    if (FALSE.has(v.toLowerCase())) return false;
    problems.push(`${name}=${v} is not true or false`);
    return fallback;
  };
  // Host "host\instance" is how SQL Server tools write a named instance; URL parsers turn the
  // backslash into a slash, so it also arrives as the first path segment when no database follows.
  const host = decodeURIComponent(u.hostname) || 'localhost';
  const instance = params.get('instance') ?? params.get('instancename');
  let port: number | undefined;
  if (u.port) {
    port = Number(u.port);
  } else if (!instance) {
    port = 1433;
  }
  const user = decodeURIComponent(u.username) || params.get('user') || '';
  const password = decodeURIComponent(u.password) || params.get('password') || '';
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || params.get('database') || params.get('databasename') || 'master';
  if (!user) problems.push('no user name (mssql://user:password@host/database); bench supports SQL Server logins only');
  const encryptText = params.get('encrypt');
  const encrypt = encryptText === undefined ? true : parseEncrypt(encryptText);
  if (encrypt === undefined) problems.push(`encrypt=${encryptText} is not true, false or strict`);
  const trustServerCertificate = flag('trustServerCertificate', false);
  const display = `mssql://${user}@${host}${port !== undefined ? `:${port}` : ''}${instance ? `\\${instance}` : ''}/${database}`;
  if (problems.length > 0) {
    throw new BenchError(`${display}: ${problems.join('; ')}`, { exitCode: ExitCode.usage });
  }
  return {
    host,
    ...(port !== undefined ? { port } : {}),
    ...(instance ? { instance } : {}),
    user,
    password,
    database,
    encrypt: encrypt ?? true,
    trustServerCertificate,
    display,
  };
}
