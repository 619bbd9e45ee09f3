import type { Readable } from 'node:stream';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Catalog, Column, QualifiedName, Table } from '../model/catalog.js';
import { describePostgresUrl } from '../base/connection-url.js';
import { type EngineName } from '../model/roles.js';
import { BenchError, ConnectionLostError, describeError, isConnectionLoss } from '../base/errors.js';
import type { Role } from '../model/roles.js';
import type { CopyTask, KeyRange } from '../model/task.js';
import type { ActivityProbe, BulkSink, ConnectOptions, KeysetRead, ConstraintStep, Database, Engine, ReadOptions, ServerInfo, Session, SourceSnapshot, TableFingerprint } from '../model/database.js';
import type { CopyFormat } from '../model/contender.js';
import { constraintSteps, unmappableBy } from './constraint-steps.js';
import { constraintSql, createTableSql } from './postgres-ddl.js';
import { introspectPostgres } from './postgres-introspect.js';
import { splitBounds } from './key-ranges.js';
import { CopyInRelay, CopyOutRelay, submitRelay } from './pg-copy-relay.js';
import { portableChecksum, probeKey, probesFor } from './portable-fingerprint.js';
import { copyInSql, copyOutSql, fingerprintSql, insertSql, oversizeOf, ownRowsSql, portableFingerprintSql, quoteIdent, quoteLiteral, rowsPerInsert, selectSql, tableSql } from './postgres-sql.js';
import { BATCH_BYTES, batchBytes, MAX_ROW_BYTES, RowTooLargeError } from '../base/memory-bounds.js';

/**
 * Session settings that make values' text forms identical on both sides, whatever the servers'
 * defaults: timestamps with time zone print in UTC, floats print their shortest exact form, bytea as hex.
 * Sent as the startup `options` parameter, so they cost no round trip.
 */
const SESSION_OPTIONS = [
  'TimeZone=UTC',
  'DateStyle=ISO,YMD',
  'IntervalStyle=postgres',
  'extra_float_digits=1',
  'bytea_output=hex',
  'client_encoding=UTF8',
].map((s) => `-c ${s}`).join(' ');

/**
 * Every value comes back as the server's text, untouched: no Date (which would drop microseconds and
 * shift time zones), no float parsing, no JSON parsing. Text in, text out is what makes INSERT-based
 * strategies lossless, and it is also the cheapest decoding there is.
 */
const rawText: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/** Connections beyond a trial's parallelism: validation and side queries (CHECKPOINT, ANALYZE). */
const POOL_HEADROOM = 2;

/**
 * The command's own client sessions of this database ($1: its session tag; application_name `<tag>` or
 * `<tag>-…`) that are doing something: running a statement (a COPY, a cursor read, an INSERT) or holding
 * a transaction open between statements. Idle pooled connections, the probe itself, the snapshot's
 * holder ($2) and every other client's sessions are not counted.
 */
const BUSY_SESSIONS_SQL = `SELECT count(*) AS n FROM pg_stat_activity
  WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
    AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')
    AND (application_name = $1 OR left(application_name, length($1) + 1) = $1 || '-')
    AND application_name <> $2`;

/**
 * The session that exports a trial's snapshot is named apart: it sits idle in its transaction through
 * the copy, and is no copy (BUSY_SESSIONS_SQL leaves it out).
 */
const snapshotApplication = (applicationName: string) => `${applicationName}-snapshot`;

/** Starts a read in the trial's snapshot (the exporter's transaction is REPEATABLE READ, so is this one). */
const importSnapshotSql = (id: string) => `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT ${quoteLiteral(id)}`;

/** Settings worth recording with every result (what the seeds tuned, and what decides bulk-load speed). */
export const REPORTED_SETTINGS = [
  'max_connections', 'shared_buffers', 'effective_cache_size', 'maintenance_work_mem', 'work_mem', 'wal_buffers',
  'max_wal_size', 'min_wal_size', 'checkpoint_timeout', 'synchronous_commit', 'fsync', 'full_page_writes',
  'wal_level', 'wal_compression', 'max_worker_processes', 'max_parallel_workers', 'max_parallel_maintenance_workers',
  'autovacuum', 'huge_pages',
];

export const postgresEngine: Engine = {
  name: 'postgres',
  async connect(url: string, options: ConnectOptions): Promise<Database> {
    const display = describePostgresUrl(url);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize,
      application_name: options.applicationName,
      options: SESSION_OPTIONS,
      types: rawText,
      connectionTimeoutMillis: 15_000,
      idleTimeoutMillis: 60_000,
    });
    // An idle pooled connection whose server goes away emits 'error' on the pool; without a listener
    // that would crash the process. The next checkout reports the problem instead.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      client.release();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new BenchError(`could not connect to the ${options.role} database ${display}: ${connectError(err)}`, { cause: err });
    }
    return new PgDatabase(pool, url, options.role, display, options.applicationName, options.sessionTag ?? options.applicationName);
  },
};

function connectError(err: unknown): string {
  if (err instanceof Error && /timeout expired|Connection terminated due to connection timeout/i.test(err.message)) {
    return 'no answer within 15 s (check the host and port, and that the server accepts connections)';
  }
  return describeError(err);
}

class PgDatabase implements Database {
  readonly engine: EngineName = 'postgres';

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    readonly role: Role,
    readonly display: string,
    private readonly applicationName: string,
    private readonly sessionTag: string,
  ) {}

  /** host:port of the server, for messages. */
  private get endpoint(): string {
    return new URL(this.display).host;
  }

  private async withClient<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let lost = false;
    try {
      return await fn(client);
    } catch (err) {
      lost = isConnectionLoss(err);
      throw lost ? new ConnectionLostError(this.role, this.endpoint, [err]) : err;
    } finally {
      client.release(lost);
    }
  }

  async serverInfo(): Promise<ServerInfo> {
    return this.withClient(async (c) => {
      const version = (await c.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
      const rows = (
        await c.query<{ name: string; value: string }>(
          'SELECT name, current_setting(name) AS value FROM pg_settings WHERE name = ANY($1) ORDER BY name',
          [REPORTED_SETTINGS],
        )
      ).rows;
      return { engine: 'postgres', version, settings: Object.fromEntries(rows.map((r) => [r.name, r.value])) };
    });
  }

  async identity(): Promise<string> {
    const r = await this.withClient((c) =>
      c.query<{ id: string }>(`SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || current_database() AS id`),
    );
    return `postgres:${r.rows[0]!.id}`;
  }

  introspect(tables?: readonly string[]): Promise<Catalog> {
    return this.withClient((c) => introspectPostgres(c, tables));
  }

  async dropTables(tables: readonly QualifiedName[]): Promise<void> {
    if (tables.length === 0) return;
    this.generation += 1;
    await this.withClient((c) => c.query(`DROP TABLE IF EXISTS ${tables.map(tableSql).join(', ')} CASCADE`));
  }

  /**
   * Bumped by every DDL bench sends through this database (the target schema's reset and steps). The
   * row strategies' named INSERT statements are prepared once per connection and schema generation: a
   * prepared statement keeps the OIDs of its parameters' types, so after an enum or a domain is dropped
   * and created again it fails ("cache lookup failed for type"). A pooled connection lent out in a new
   * generation drops its old statements first (acquire).
   */
  private generation = 0;

  unmappable(tables: readonly Table[], sourceEngine: EngineName): string[] {
    return unmappableBy(tables, (t) => createTableSql(t, sourceEngine), (step) => constraintSql(step, sourceEngine));
  }

  async execute(sql: string): Promise<void> {
    this.generation += 1;
    await this.withClient((c) => c.query(sql));
  }

  async createTables(tables: readonly Table[], sourceEngine: EngineName): Promise<void> {
    this.generation += 1;
    const schemas = [...new Set(tables.map((t) => t.schema))];
    const statements = [
      ...schemas.map((s) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s)}`),
      ...tables.map((t) => createTableSql(t, sourceEngine)),
    ];
    await this.withClient(async (c) => {
      for (const sql of statements) await c.query(sql);
    });
  }

  constraintSteps(tables: readonly Table[]): ConstraintStep[] {
    return constraintSteps(tables);
  }

  async applyConstraint(step: ConstraintStep, sourceEngine: EngineName): Promise<void> {
    await this.withClient((c) => c.query(constraintSql(step, sourceEngine)));
  }

  /** One query, in the trial's snapshot when there is one. */
  private readQuery<R extends pg.QueryResultRow>(sql: string, options?: ReadOptions): Promise<pg.QueryResult<R>> {
    if (!options?.snapshot) return this.withClient((c) => c.query<R>(sql));
    const snapshot = options.snapshot;
    return this.withClient(async (c) => {
      await c.query(importSnapshotSql(snapshot));
      try {
        return await c.query<R>(sql);
      } finally {
        await c.query('COMMIT');
      }
    });
  }

  async fingerprint(table: QualifiedName, columns: readonly string[], options?: ReadOptions): Promise<TableFingerprint> {
    const r = await this.readQuery<{ rows: string; checksum: string }>(fingerprintSql(table, columns), options);
    return { rows: Number(r.rows[0]!.rows), checksum: r.rows[0]!.checksum };
  }

  async splitRanges(table: Table, parts: number): Promise<KeyRange[]> {
    const key = integerKey(table);
    if (key) {
      const r = await this.withClient((c) =>
        c.query<{ lo: string | null; hi: string | null }>(`SELECT min(${quoteIdent(key)})::text AS lo, max(${quoteIdent(key)})::text AS hi FROM ${ownRowsSql(table)}`),
      );
      const { lo, hi } = r.rows[0] ?? { lo: null, hi: null };
      if (lo !== null && hi !== null) return splitBounds(key, BigInt(lo), BigInt(hi) + 1n, parts);
    }
    // No integer key: split the heap by page. A TID range scan (PostgreSQL 14+) reads only its pages.
    const r = await this.withClient((c) =>
      c.query<{ pages: string }>(`SELECT greatest(pg_relation_size($1::regclass) / current_setting('block_size')::int, 1)::text AS pages`, [tableSql(table)]),
    );
    const pages = BigInt(r.rows[0]?.pages ?? '1');
    return splitBounds('ctid', 0n, pages, parts).map((range) => ({
      column: 'ctid',
      ...(range.from !== undefined ? { from: `(${range.from},0)` } : {}),
      ...(range.to !== undefined ? { to: `(${range.to},0)` } : {}),
    }));
  }

  async fingerprintPortable(table: QualifiedName, columns: readonly Column[], skip?: ReadonlySet<string>, options?: ReadOptions): Promise<TableFingerprint> {
    const probes = probesFor(columns).filter((p) => !skip?.has(probeKey(p)));
    const r = await this.readQuery<Record<string, string | null>>(portableFingerprintSql(table, probes), options);
    const row = r.rows[0]!;
    return { rows: Number(row.rows), checksum: portableChecksum(probes, probes.map((p) => row[p.alias])) };
  }

  async settle(): Promise<void> {
    await this.withClient((c) => c.query('CHECKPOINT')).catch(() => undefined);
  }

  async analyze(tables: readonly QualifiedName[]): Promise<void> {
    if (tables.length === 0) return;
    await this.withClient((c) => c.query(`ANALYZE ${tables.map(tableSql).join(', ')}`));
  }

  async acquire(options?: ReadOptions): Promise<Session> {
    const client = await this.pool.connect();
    const generation = this.generation;
    try {
      const prepared = preparedIn.get(client);
      if (prepared !== undefined && prepared !== generation) await client.query('DEALLOCATE ALL');
      preparedIn.set(client, generation);
      if (options?.snapshot) await client.query(importSnapshotSql(options.snapshot));
    } catch (err) {
      client.release(true);
      throw isConnectionLoss(err) ? new ConnectionLostError(this.role, this.endpoint, [err]) : err;
    }
    return new PgSession(client, this.role, this.endpoint, generation, options?.snapshot !== undefined);
  }

  async exportSnapshot(): Promise<SourceSnapshot> {
    // Its own connection, outside the pool: a trial's sessions stay the parallelism it is labelled with.
    // Idle in its transaction through the copy, so a server-wide idle_in_transaction_session_timeout must
    // not end it (the snapshot dies with it, and every later import fails).
    const client = new pg.Client({ connectionString: this.url, application_name: snapshotApplication(this.applicationName), options: SESSION_OPTIONS, types: rawText });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SET idle_in_transaction_session_timeout = 0');
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // One statement, one snapshot: the id to import and the text that names what it sees.
      const r = await client.query<{ id: string; version: string }>('SELECT pg_export_snapshot() AS id, pg_current_snapshot()::text AS version');
      const { id, version } = r.rows[0]!;
      let released: Promise<void> | undefined;
      return {
        id,
        version,
        // Once: the trial releases it after validation, and again in its `finally` whatever happened.
        release: () =>
          (released ??= (async () => {
            await client.query('COMMIT').catch(() => undefined);
            await client.end().catch(() => undefined);
          })()),
      };
    } catch (err) {
      await client.end().catch(() => undefined);
      throw new BenchError(`could not export a snapshot on the ${this.role} database ${this.display}: ${describeError(err)}`, { cause: err });
    }
  }

  async ensureSessions(sessions: number): Promise<void> {
    // pg-pool reads options.max on every checkout, so the pool can follow each trial's parallelism.
    (this.pool.options as { max: number }).max = sessions + POOL_HEADROOM;
    const clients = await Promise.all(Array.from({ length: sessions }, () => this.pool.connect()));
    for (const c of clients) c.release();
  }

  async activityProbe(): Promise<ActivityProbe> {
    const client = new pg.Client({ connectionString: this.url, application_name: `${this.applicationName}-probe` });
    client.on('error', () => undefined);
    await client.connect();
    return {
      busySessions: async () => {
        const r = await client.query<{ n: string }>(BUSY_SESSIONS_SQL, [this.sessionTag, snapshotApplication(this.applicationName)]);
        return Number(r.rows[0]?.n ?? 0);
      },
      close: () => client.end().catch(() => undefined),
    };
  }

  private claim: pg.Client | undefined;

  async claimForCopy(): Promise<void> {
    // A session-level advisory lock on a dedicated connection: released by the server the moment the
    // connection ends, so a crashed bench never leaves the target locked.
    const client = new pg.Client({ connectionString: this.url, application_name: `${this.applicationName}-claim` });
    client.on('error', () => undefined);
    await client.connect();
    const r = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('bench target'), hashtext(current_database())) AS ok");
    if (r.rows[0]?.ok !== true) {
      await client.end().catch(() => undefined);
      throw new BenchError(
        `another bench is copying into ${this.display} right now (it resets the target's tables between trials): wait for it to finish, or use another target database`,
      );
    }
    this.claim = client;
  }

  async close(): Promise<void> {
    await this.claim?.end().catch(() => undefined);
    // Sessions still checked out mean a copy was interrupted: their server backends may be busy (an
    // index build does not notice a closed socket until it finishes), so terminate them by name.
    if (this.pool.totalCount > this.pool.idleCount) await this.terminateOwnBackends();
    await this.pool.end();
  }

  private async terminateOwnBackends(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
        [this.applicationName],
      );
    } catch {
      // Best effort: the server may be gone already.
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** How long a failed copy waits for a session's connection to end before deciding it did not. */
const LOSS_GRACE_MS = 250;

/**
 * Rows of this average size that fit in BATCH_BYTES, rounded down to a power of two: the writers prepare
 * one INSERT statement per row count, so batch sizes must come from a small set.
 */
function rowsThatFit(averageRowBytes: number): number {
  const fit = Math.floor(BATCH_BYTES / Math.max(1, averageRowBytes));
  return fit >= 1 ? 2 ** Math.floor(Math.log2(fit)) : 1;
}

/** The single integer primary-key column a key-range split can use, if the table has one. */
function integerKey(table: Table): string | undefined {
  const key = table.primaryKey?.columns;
  if (key?.length !== 1) return undefined;
  const column = table.columns.find((c) => c.name === key[0]);
  return column && ['int16', 'int32', 'int64'].includes(column.portable.kind) ? column.name : undefined;
}

// splitBounds moved to key-ranges.ts, which the SQL Server engine shares; re-exported for existing importers.
export { splitBounds } from './key-ranges.js';

class PgSession implements Session {
  readonly engine: EngineName = 'postgres';
  private done = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly role: Role,
    /** host:port, for messages. */
    private readonly endpoint: string,
    /** The schema generation its INSERT statements are prepared for (PgDatabase.generation). */
    private readonly generation: number,
    /** Reading in the trial's snapshot: a transaction is open, and ends when the session is released. */
    private readonly inSnapshot = false,
  ) {
    // A checked-out client has no pool listener: when its backend dies (terminated, server crash) pg
    // emits 'error' on the client after failing the active query, and an unheard 'error' kills the
    // process. The failed query already carries the cause to the strategy, so this only records it.
    client.on('error', this.onError);
    client.on('end', this.onEnd);
  }

  private readonly onError = (err: Error): void => {
    this.lostConnection = err;
    this.wakeLost();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.wakeLost();
  };

  /** Set when the connection died while checked out; such a client must never go back to the pool. */
  private lostConnection: Error | undefined;
  /** The connection has closed (its 'end'), whether or not an error came first. */
  private ended = false;
  private lostWaiters: (() => void)[] = [];

  private wakeLost(): void {
    for (const w of this.lostWaiters.splice(0)) w();
  }

  /**
   * A terminated backend sends its reason and closes the socket; a failure elsewhere in the same copy
   * (the COPY pipe's other stream) may reach the strategy first, so a failure that looks like a lost
   * connection waits a moment for this session's connection to end before telling.
   */
  async connectionLost(err: unknown): Promise<Error | undefined> {
    if (!this.lostConnection && !this.ended) {
      if (!isConnectionLoss(err)) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, LOSS_GRACE_MS);
        this.lostWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (!this.lostConnection && !this.ended) return undefined;
    }
    return new ConnectionLostError(this.role, this.endpoint, [err, this.lostConnection]);
  }

  /** Settles with `work`, or rejects as soon as the connection ends underneath it. */
  private untilConnectionLost<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onEnd = () => reject(this.lostConnection ?? new Error('Connection terminated unexpectedly'));
      this.client.once('end', onEnd);
      work.then(resolve, reject).finally(() => this.client.off('end', onEnd));
    });
  }

  async *streamRows(task: CopyTask, fetchSize: number, page?: KeysetRead): AsyncIterable<unknown[][]> {
    const guard = { maxRowBytes: MAX_ROW_BYTES };
    const sql = page
      ? selectSql(task, { keyColumns: page.keyColumns, after: page.after !== undefined, limit: page.limit }, guard)
      : selectSql(task, undefined, guard);
    // pg-cursor reads through a portal, a count of rows per round trip: memory stays bounded whatever
    // the table size (a plain query would buffer the whole result). The count is rows, so it adapts to
    // the bytes seen: a read aims at BATCH_BYTES, starting from one row and at most doubling from one
    // read to the next (the catalog's size estimate cannot help: TOAST compression hides wide values).
    const cursor = this.client.query(new Cursor<unknown[]>(sql, page?.after ? [...page.after] : [], { rowMode: 'array' }));
    let count = 1;
    let failed = false;
    try {
      for (;;) {
        const rows = await cursor.read(count);
        if (rows.length === 0) return;
        count = Math.min(fetchSize, 2 * count, rowsThatFit(batchBytes(rows) / rows.length));
        yield rows;
      }
    } catch (err) {
      failed = true;
      const oversize = oversizeOf(err instanceof Error ? err.message : '', task.columns);
      if (oversize) throw new RowTooLargeError(oversize.reduce((n, c) => n + c.bytes, 0), oversize);
      throw this.explainLostSocket(err);
    } finally {
      // Closing a portal waits for the server's ReadyForQuery, which never comes once the backend is
      // gone (terminated mid-read): closing then would hang the strategy forever. A failed read leaves
      // the session to be destroyed instead.
      if (!failed && !this.lostConnection) await this.untilConnectionLost(cursor.close());
    }
  }

  async insertRows(task: CopyTask, rows: readonly unknown[][]): Promise<void> {
    const per = rowsPerInsert(task.columns.length, rows.length);
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      await this.client
        .query({
          // Named: the server parses and plans each (table, row count) shape once per connection.
          name: `${statementName(task, chunk.length)}_g${this.generation}`,
          text: insertText(task, chunk.length),
          values: chunk.flat(),
        })
        .catch((err: unknown) => {
          throw this.explainLostSocket(err);
        });
    }
  }

  /**
   * A backend that is terminated or a server that stops sends its reason and closes the socket. When
   * the client writes its next request before reading that reason, all it sees is the socket's symptom
   * (`write EPIPE`, `read ECONNRESET`), which says nothing to the user. Name the side, the server and
   * the likely causes.
   */
  private explainLostSocket(err: unknown): unknown {
    return isConnectionLoss(err) ? new ConnectionLostError(this.role, this.endpoint, [err, this.lostConnection]) : err;
  }

  async begin(): Promise<void> {
    await this.client.query('BEGIN');
  }

  async commit(): Promise<void> {
    await this.client.query('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.client.query('ROLLBACK');
  }

  copyOut(task: CopyTask, format: CopyFormat): Readable {
    return this.client.query(copyTo(copyOutSql(task, format)));
  }

  copyOutFramed(task: CopyTask, format: CopyFormat, onBytes?: (bytes: number) => void): Readable {
    return submitRelay(this.client, new CopyOutRelay(copyOutSql(task, format), onBytes));
  }

  copyInFramed(task: CopyTask, format: CopyFormat, options: { freeze?: boolean } = {}): BulkSink {
    const stream = submitRelay(this.client, new CopyInRelay(copyInSql(task, format, options.freeze)));
    return { stream, rows: () => stream.rowCount, ...(options.freeze ? { done: async () => void (await this.client.query('COMMIT')) } : {}) };
  }

  async emptyForFreeze(task: CopyTask): Promise<void> {
    // COPY FREEZE needs the table created or truncated in the same transaction as the COPY.
    await this.client.query('BEGIN');
    await this.client.query(`TRUNCATE ONLY ${tableSql(task.target)}`);
  }

  copyIn(task: CopyTask, format: CopyFormat): BulkSink {
    const stream = this.client.query(copyFrom(copyInSql(task, format)));
    return { stream, rows: () => stream.rowCount };
  }

  async release(): Promise<void> {
    if (this.done) return;
    this.done = true;
    const broken = this.lostConnection ?? (this.ended || false);
    if (this.inSnapshot && !broken) {
      // The snapshot's transaction ends before the connection goes back to the pool (it is only lent
      // out again once COMMIT has answered; the listeners stay until then, so a connection lost meanwhile
      // is noticed); a connection that cannot end it is closed instead.
      try {
        await this.client.query('COMMIT');
      } catch {
        this.handBack(true);
        return;
      }
      this.handBack(this.lostConnection ?? (this.ended || false));
      return;
    }
    this.handBack(broken);
  }

  private handBack(broken: Error | boolean): void {
    this.client.off('error', this.onError);
    this.client.off('end', this.onEnd);
    this.client.release(broken);
  }

  destroy(): void {
    if (this.done) return;
    this.done = true;
    this.client.off('error', this.onError);
    this.client.off('end', this.onEnd);
    // release(true) closes the socket instead of pooling it. After a failed COPY pipe the source
    // connection no longer answers (a COPY TO left mid-stream), so it must never be reused.
    this.client.release(true);
  }
}

/** The schema generation each pooled connection prepared its INSERT statements in (PgDatabase.generation). */
const preparedIn = new WeakMap<pg.PoolClient, number>();

const insertTexts = new Map<string, string>();

function shapeKey(task: CopyTask, rows: number): string {
  return `${task.target.schema}\u0000${task.target.name}\u0000${task.columns.map((c) => c.name).join('\u0000')}\u0000${rows}`;
}

function insertText(task: CopyTask, rows: number): string {
  const key = shapeKey(task, rows);
  let text = insertTexts.get(key);
  if (!text) {
    text = insertSql(task.target, task.columns, rows);
    insertTexts.set(key, text);
  }
  return text;
}

const statementNames = new Map<string, string>();

function statementName(task: CopyTask, rows: number): string {
  const key = shapeKey(task, rows);
  let name = statementNames.get(key);
  if (!name) {
    name = `bench_insert_${statementNames.size + 1}`;
    statementNames.set(key, name);
  }
  return name;
}
