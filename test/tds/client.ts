/**
 * TEST HELPERS: tedious driven directly against the TDS test server (as a SQL Server target writer
 * would drive it): connect, run a batch or a parameterized statement, bulk load.
 */
import { Connection, Request, TYPES, type BulkLoad, type ConnectionConfiguration } from 'tedious';
import type { TdsTestServer } from './tds-server.js';

export function clientConfig(server: TdsTestServer, packetSize = 4096): ConnectionConfiguration {
  return {
    server: '127.0.0.1',
    authentication: { type: 'default', options: { userName: 'sa', password: 'Secret-Passw0rd' } },
    options: {
      port: server.port,
      database: server.database,
      encrypt: false,
      packetSize,
      requestTimeout: 0,
      useUTC: true,
      lowerCaseGuids: true,
    },
  };
}

export function connectClient(server: TdsTestServer, packetSize?: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const conn = new Connection(clientConfig(server, packetSize));
    conn.on('error', () => undefined);
    conn.connect((err) => (err ? reject(err) : resolve(conn)));
  });
}

export interface Result {
  readonly rows: unknown[][];
  readonly rowCount: number;
  /** INFO messages (e.g. 3621 "The statement has been terminated."). */
  readonly infos: number[];
}

/** A tedious data type (TYPES.Int, TYPES.NVarChar, …). */
export type TediousType = (typeof TYPES)[keyof typeof TYPES];

/** A parameter: name, tedious type, value, and options (length, precision, scale). */
export type Param = [string, TediousType, unknown, { length?: number; precision?: number; scale?: number }?];

/** Runs `sql` as a batch, or through sp_executesql when there are parameters. */
export function run(conn: Connection, sql: string, params: readonly Param[] = []): Promise<Result> {
  return new Promise((resolve, reject) => {
    const rows: unknown[][] = [];
    const infos: number[] = [];
    const onInfo = (info: { number: number }) => infos.push(info.number);
    conn.on('infoMessage', onInfo);
    const req = new Request(sql, (err, rowCount) => {
      conn.off('infoMessage', onInfo);
      if (err) reject(Object.assign(err, { infos }));
      else resolve({ rows, rowCount: rowCount ?? 0, infos });
    });
    req.on('row', (columns: { value: unknown }[]) => rows.push(columns.map((c) => c.value)));
    for (const [name, type, value, options] of params) req.addParameter(name, type, value, options ?? {});
    if (params.length) conn.execSql(req);
    else conn.execSqlBatch(req);
  });
}

/** The SQL Server error numbers of a tedious error (an AggregateError when SQL Server sent several). */
export function errorNumbers(err: unknown): number[] {
  if (err instanceof AggregateError) return err.errors.map((e: { number?: number }) => e.number ?? -1);
  return [(err as { number?: number }).number ?? -1];
}

export async function failure(p: Promise<unknown>): Promise<Error & { number?: number; code?: string; infos?: number[] }> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the request to fail');
}

/** A bulk-load column: name, tedious type, options (nullable defaults to true). */
export type BulkColumn = [string, TediousType, { nullable?: boolean; length?: number; precision?: number; scale?: number }?];

/**
 * A tedious bulk load as a target writer runs it (keepNulls, lockTable): `load` can be cancelled,
 * `done` resolves with the row count tedious reports (the server's DONE_COUNT).
 */
export function bulkLoad(
  conn: Connection,
  table: string,
  columns: readonly BulkColumn[],
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>,
): { load: BulkLoad; done: Promise<number> } {
  let load!: BulkLoad;
  const done = new Promise<number>((resolve, reject) => {
    load = conn.newBulkLoad(table, { keepNulls: true, lockTable: true }, (err, rowCount) => (err ? reject(err) : resolve(rowCount ?? 0)));
  });
  for (const [name, type, options] of columns) load.addColumn(name, type, { nullable: true, ...options });
  conn.execBulkLoad(load, rows as Iterable<unknown[]> | AsyncIterable<unknown[]>);
  return { load, done };
}
