import type { EngineName } from '../model/roles.js';
import { BenchError, ExitCode } from './errors.js';

const schemes: Record<string, EngineName> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mssql:': 'mssql',
  'sqlserver:': 'mssql',
};

/** Which engine a connection URL is for, from its scheme. */
export function engineOfUrl(url: string): EngineName {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0]?.toLowerCase();
  const engine = scheme ? schemes[scheme] : undefined;
  if (!engine) {
    throw new BenchError(
      `unsupported connection URL scheme in ${redactUrl(url)} (use postgres://, postgresql://, mssql:// or sqlserver://)`,
      { exitCode: ExitCode.usage },
    );
  }
  return engine;
}

/** The URL with any password replaced, safe for logs, reports and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '*****';
    for (const key of [...u.searchParams.keys()]) {
      if (/pass(word)?|secret|token/i.test(key)) u.searchParams.set(key, '*****');
    }
    return u.toString();
  } catch {
    // Not parseable as a URL: drop anything between "://user:" and "@".
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1*****@');
  }
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
