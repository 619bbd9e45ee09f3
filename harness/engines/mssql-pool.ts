import { Connection, Request, TYPES, type ConnectionConfiguration } from 'tedious';
import { BenchError, describeError } from '../base/errors.js';
import type { Role } from '../model/roles.js';
import type { ResultRow } from './mssql-introspect.js';
import type { SqlParam } from './mssql-sql.js';
import type { MssqlUrl } from './mssql-url.js';

/**
 * A small pool of tedious connections (tedious has none), plus the two ways bench runs a statement:
 * collected result sets for catalog and checksum queries, and streamed rows for copies (mssql.ts).
 */
export function connectionConfig(u: MssqlUrl, appName: string): ConnectionConfiguration {
  return {
    server: u.host,
    authentication: { type: 'default', options: { userName: u.user, password: u.password } },
    options: {
      ...(u.port !== undefined ? { port: u.port } : {}),
      ...(u.instance ? { instanceName: u.instance } : {}),
      database: u.database,
      encrypt: u.encrypt,
      trustServerCertificate: u.trustServerCertificate,
      appName,
      connectTimeout: 15_000,
      // No request timeout: a checksum over a large table may run for minutes before its first row.
      requestTimeout: 0,
      rowCollectionOnRequestCompletion: false,
      useColumnNames: false,
      // datetime/datetime2 values come back with their wall-clock fields in UTC, whatever TZ Node runs in.
      useUTC: true,
      lowerCaseGuids: true,
    },
  };
}

/** tedious errors → one line with a hint (login, socket, timeout, TLS, server error numbers); `role` names the option that fixes it. */
export function describeMssqlError(err: unknown, role?: Role): string {
  if (err instanceof BenchError) return err.message;
  if (err instanceof PlaintextRefused) {
    return `${err.message}; bench sends no login or data in plaintext unless allowed: set ?encrypt=false in the URL${role ? ` (or --${role}-encrypt false)` : ''}`;
  }
  // A statement that raises several errors (a failed ADD CONSTRAINT: 1505 then 1750 "could not create
  // constraint") reaches the callback as an AggregateError; the first error is the cause.
  if (err instanceof AggregateError && err.errors.length > 0) return describeMssqlError(err.errors[0]);
  const e = err as { code?: string; number?: number; message?: string; cause?: unknown };
  const message = (e?.message ?? String(err)).split('\n')[0]!.trim();
  if (e?.code === 'ELOGIN') return `${message} (check the user, password and database in the URL)`;
  if (e?.code === 'ETIMEOUT') return 'no answer within 15 s (check the host, port or instance name, and that SQL Server accepts TCP connections)';
  if (e?.code === 'ESOCKET') {
    const cause = e.cause instanceof AggregateError ? e.cause.errors[0] : e.cause;
    if (cause && typeof cause === 'object' && 'code' in cause) return describeError(cause);
    if (/encrypt|certificate|TLS|SSL/i.test(message)) return `${message} (set ?encrypt=false or ?trustServerCertificate=true in the URL)`;
    return message;
  }
  if (/encrypt|certificate|self[- ]signed/i.test(message)) return `${message} (set ?encrypt=false or ?trustServerCertificate=true in the URL)`;
  if (typeof e?.number === 'number') return `${message} [SQL Server error ${e.number}]`;
  return message;
}

/** An error the server sent (an ERROR token, with its number), as opposed to a socket, login or timeout failure. */
export function isServerError(err: unknown): boolean {
  if (err instanceof AggregateError) return err.errors.length > 0 && err.errors.every(isServerError);
  return typeof (err as { number?: unknown } | undefined)?.number === 'number';
}

/** A server that offers no TLS to a client that asked for it (encrypt=true). */
export class PlaintextRefused extends Error {
  readonly code = 'EPLAINTEXT';
}

/** PRELOGIN ENCRYPTION answers (MS-TDS 2.2.6.5) under which tedious negotiates TLS for the whole session. */
const ENCRYPTED_ANSWERS = new Set(['ON', 'REQ']);

/**
 * encrypt=true asks for TLS in PRELOGIN (ENCRYPT_ON), but tedious 19 negotiates it only when the server
 * answers ENCRYPT_ON or ENCRYPT_REQ: to ENCRYPT_NOT_SUP (no TLS) or ENCRYPT_OFF (TLS for the login
 * packet only, which tedious does not do either) it sends its LOGIN7 and every query in plaintext, and
 * says nothing (issue 17). The check wraps tedious's own step between reading the PRELOGIN answer and
 * sending the login (Connection.performTlsNegotiation, public in tedious's typings), so a refused
 * connection never sends the password. encrypt=false allows plaintext; 'strict' wraps the socket in TLS
 * before any TDS and needs no check.
 */
function refusePlaintext(conn: Connection): void {
  const negotiate = conn.performTlsNegotiation.bind(conn);
  conn.performTlsNegotiation = async (prelogin, signal) => {
    const answer = prelogin.encryptionString ?? `0x${(prelogin.encryption ?? 0).toString(16)}`;
    if (!ENCRYPTED_ANSWERS.has(answer)) {
      throw new PlaintextRefused(`the server offers no encryption (it answered ENCRYPT_${answer}) and encrypt=true requires it`);
    }
    return negotiate(prelogin, signal);
  };
}

export function openConnection(config: ConnectionConfiguration): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const conn = new Connection(config);
    if (config.options?.encrypt === true) refusePlaintext(conn);
    // A socket error on an idle connection is emitted here; the next request on it then fails
    // with its own error, so the event only needs a listener (an unhandled 'error' would crash).
    conn.on('error', () => undefined);
    conn.connect((err) => {
      if (err) {
        conn.close();
        reject(err);
      } else {
        resolve(conn);
      }
    });
  });
}

export function addParams(req: Request, params: readonly SqlParam[]): void {
  for (const p of params) {
    // A fixed declared length keeps one cached plan per statement shape (tedious would otherwise
    // declare nvarchar(len(value)), a new plan for each key length).
    if (p.type === 'varbinary') req.addParameter(p.name, TYPES.VarBinary, p.value, { length: 8000 });
    else req.addParameter(p.name, TYPES.NVarChar, p.value, { length: 4000 });
  }
}

/** Runs a statement (a batch without parameters, sp_executesql with) and collects every result set. */
export function query(conn: Connection, sql: string, params: readonly SqlParam[] = []): Promise<ResultRow[][]> {
  return new Promise((resolve, reject) => {
    const sets: ResultRow[][] = [];
    let names: string[] = [];
    const req = new Request(sql, (err) => (err ? reject(err) : resolve(sets)));
    req.on('columnMetadata', (columns) => {
      names = (Array.isArray(columns) ? columns : Object.values(columns)).map((c) => c.colName);
      sets.push([]);
    });
    req.on('row', (columns: { value: unknown }[]) => {
      const row: Record<string, unknown> = {};
      columns.forEach((c, i) => (row[names[i]!] = c.value));
      sets[sets.length - 1]!.push(row);
    });
    if (params.length > 0) {
      addParams(req, params);
      conn.execSql(req);
    } else {
      conn.execSqlBatch(req);
    }
  });
}

export class MssqlPool {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly waiters: { resolve(c: Connection): void; reject(e: unknown): void }[] = [];
  private ended = false;

  constructor(
    private readonly config: ConnectionConfiguration,
    private readonly max: number,
  ) {}

  /** Connections created and not yet closed, in use or idle. */
  get size(): number {
    return this.all.size;
  }

  get inUse(): number {
    return this.all.size - this.idle.length;
  }

  async acquire(): Promise<Connection> {
    if (this.ended) throw new BenchError('the SQL Server connection pool is closed');
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.all.size < this.max) return this.open();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private async open(): Promise<Connection> {
    // Reserve the slot before the (asynchronous) login, so concurrent acquires respect `max`.
    const placeholder = {} as Connection;
    this.all.add(placeholder);
    try {
      const conn = await openConnection(this.config);
      this.all.delete(placeholder);
      this.all.add(conn);
      conn.on('end', () => this.forget(conn));
      return conn;
    } catch (err) {
      this.all.delete(placeholder);
      throw err;
    }
  }

  release(conn: Connection): void {
    if (!this.all.has(conn)) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(conn);
    else this.idle.push(conn);
  }

  /** Closes a connection that may be mid-request (a failed copy) instead of pooling it. */
  discard(conn: Connection): void {
    this.forget(conn);
    conn.close();
  }

  private forget(conn: Connection): void {
    if (!this.all.delete(conn)) return;
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    const waiter = this.waiters.shift();
    if (waiter) this.open().then(waiter.resolve, waiter.reject);
  }

  /** Closes every connection, busy ones too: SQL Server ends a session's request when its socket closes. */
  async end(): Promise<void> {
    this.ended = true;
    for (const w of this.waiters.splice(0)) w.reject(new BenchError('the SQL Server connection pool is closed'));
    const closing = [...this.all].filter((c) => typeof c.close === 'function');
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(
      closing.map(
        (c) =>
          new Promise<void>((resolve) => {
            c.once('end', () => resolve());
            c.close();
            setTimeout(resolve, 1000).unref();
          }),
      ),
    );
  }
}
