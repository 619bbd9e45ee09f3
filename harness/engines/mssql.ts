import { Readable } from 'node:stream';
import { Request, type Connection } from 'tedious';
import type { Catalog, Column, QualifiedName, Table } from '../model/catalog.js';
import { qualified } from '../model/catalog.js';
import type { EngineName, Role } from '../model/roles.js';
import { BenchError, ExitCode } from '../base/errors.js';
import { log } from '../base/log.js';
import { BATCH_BYTES, rowBytes } from '../base/memory-bounds.js';
import type { CopyTask, KeyRange } from '../model/task.js';
import type { ConnectOptions, ConstraintStep, Database, Engine, KeysetRead, ServerInfo, Session, TableFingerprint } from '../model/database.js';
import type { CopyFormat } from '../model/contender.js';
import { constraintSteps, unmappableBy } from './constraint-steps.js';
import {
  createSchemaSql,
  createTableSql,
  dropConstraintSql,
  dropTableSql,
  mssqlConstraintSql,
  referencingForeignKeysSql,
  targetTypeOf,
} from './mssql-ddl.js';
import { probingFingerprint } from './mssql-fingerprint.js';
import { assertSupported, catalogFromResultSets, type ResultRow, type SizeEstimates } from './mssql-introspect.js';
import { addParams, connectionConfig, describeMssqlError, MssqlPool, query } from './mssql-pool.js';
import { readSizeEstimates } from './mssql-sizes.js';
import { keyRanges } from './mssql-split.js';
import { HELLO_SQL, INTROSPECT_BATCH, selectSql, tableSql } from './mssql-sql.js';
import { BinaryCopyWriter, binaryWriterFor, COPY_BINARY_HEADER, COPY_BINARY_TRAILER } from './pg-binary-copy.js';
import { converterFor, copyCsvField, copyTextField, type Converter, type PgValue, type RowForm } from './mssql-types.js';
import { insertSql, rowsPerInsert, writeColumn, type WriteColumn } from './mssql-write.js';
import { parseMssqlUrl } from './mssql-url.js';
import { RowValueError } from './value-error.js';

/**
 * SQL Server through tedious 19 (tedious 20 needs Node 22). As a source: introspection, keyset and
 * range reads with real backpressure, COPY-text export for the PostgreSQL target, and the portable
 * fingerprint for cross-engine validation. As a target: schema from the source catalog (mssql-ddl.ts),
 * parameterised multi-row INSERT and tedious bulk load (mssql-write.ts), keys and indexes afterwards.
 */
export const mssqlEngine: Engine = {
  name: 'mssql',
  async connect(url: string, options: ConnectOptions): Promise<Database> {
    const u = parseMssqlUrl(url);
    const pool = new MssqlPool(connectionConfig(u, options.applicationName), Math.max(1, options.poolSize));
    let hello: Record<string, unknown>;
    try {
      // One login and one round trip: the version and identity are kept for serverInfo()/identity().
      const conn = await pool.acquire();
      try {
        hello = (await query(conn, HELLO_SQL))[0]?.[0] ?? {};
      } finally {
        pool.release(conn);
      }
    } catch (err) {
      await pool.end();
      throw new BenchError(`could not connect to the ${options.role} database ${u.display}: ${describeMssqlError(err, options.role)}`, { cause: err });
    }
    return new MssqlDatabase(pool, options.role, u.display, hello, options.peer);
  },
};

class MssqlDatabase implements Database {
  readonly engine: EngineName = 'mssql';
  /** Columns by table, from the last introspection: fingerprint() gets names only. */
  private readonly known = new Map<string, Table>();

  constructor(
    private readonly pool: MssqlPool,
    readonly role: Role,
    readonly display: string,
    private readonly hello: Record<string, unknown>,
    /** The engine on the other side of the copy, when known (ConnectOptions.peer). */
    private readonly peer: EngineName | undefined,
  ) {
    this.form = peer === 'mssql' ? 'mssql' : 'postgres';
  }

  /** How a source reads rows: for a PostgreSQL target, or at full precision for a SQL Server one. */
  private readonly form: RowForm;

  private async withConnection<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
    const conn = await this.pool.acquire();
    try {
      const result = await fn(conn);
      this.pool.release(conn);
      return result;
    } catch (err) {
      this.pool.release(conn);
      throw new BenchError(`${this.display}: ${describeMssqlError(err)}`, { cause: err });
    }
  }

  async serverInfo(): Promise<ServerInfo> {
    const h = this.hello;
    return {
      engine: 'mssql',
      version: String(h.banner ?? h.version ?? 'SQL Server').split('\n')[0]!.trim(),
      settings: {
        product_version: String(h.version ?? ''),
        edition: String(h.edition ?? ''),
        recovery_model: String(h.recovery_model ?? ''),
      },
    };
  }

  async identity(): Promise<string> {
    return `mssql:${String(this.hello.server_name ?? '')}/${String(this.hello.database_name ?? '')}`;
  }

  async introspect(tables?: readonly string[]): Promise<Catalog> {
    const [sets, sizes] = await this.withConnection(async (c) => [await query(c, INTROSPECT_BATCH), await this.sizeEstimates(c)] as const);
    const catalog = catalogFromResultSets(sets, tables, sizes);
    for (const t of catalog.tables) this.known.set(qualified(t), t);
    // Stop before anything is copied: a source column bench cannot map is a configuration problem.
    if (this.role === 'source') assertSupported(catalog, this.peer);
    return catalog;
  }

  /** Said once per database: where its size estimates came from, when not from sys.allocation_units. */
  private sizesNoted = false;

  private async sizeEstimates(c: Connection): Promise<SizeEstimates | undefined> {
    const { sizes, note } = await readSizeEstimates((sql) => query(c, sql));
    if (note && !this.sizesNoted) {
      this.sizesNoted = true;
      log.warn(`${this.display}: ${note}`);
    }
    return sizes;
  }

  /** Key ranges by the primary key's first column (mssql-split.ts); none when the table cannot be split. */
  async splitRanges(table: Table, parts: number): Promise<KeyRange[]> {
    return keyRanges(table, parts, (sql) => this.run(sql));
  }

  /** Foreign keys that point at these tables go first (SQL Server has no DROP … CASCADE). */
  async dropTables(tables: readonly QualifiedName[]): Promise<void> {
    if (tables.length === 0) return;
    await this.withConnection(async (c) => {
      const referencing = (await query(c, referencingForeignKeysSql(tables)))[0] ?? [];
      for (const fk of referencing) {
        await query(c, dropConstraintSql({ schema: String(fk.schema), name: String(fk.table) }, String(fk.name)));
      }
      for (const t of tables) await query(c, dropTableSql(t));
    });
    for (const t of tables) this.writers.delete(qualified(t));
  }

  unmappable(tables: readonly Table[], sourceEngine: EngineName): string[] {
    return unmappableBy(tables, (t) => createTableSql(t, sourceEngine), (step) => mssqlConstraintSql(step, sourceEngine));
  }

  async createTables(tables: readonly Table[], sourceEngine: EngineName): Promise<void> {
    const schemas = [...new Set(tables.map((t) => t.schema))].filter((s) => s !== 'dbo');
    await this.withConnection(async (c) => {
      for (const schema of schemas) await query(c, createSchemaSql(schema));
      for (const t of tables) await query(c, createTableSql(t, sourceEngine));
    });
    // The target's own column types, for the writers and same-engine fingerprints (no introspection needed).
    for (const t of tables) {
      // The portable type stays the source's: the T-SQL type was mapped from it.
      const columns = t.columns.map((col) => ({ ...col, nativeType: targetTypeOf(col, sourceEngine) }));
      const target: Table = { ...t, columns };
      this.known.set(qualified(t), target);
      this.writers.delete(qualified(t));
    }
  }

  constraintSteps(tables: readonly Table[]): ConstraintStep[] {
    return constraintSteps(tables);
  }

  async applyConstraint(step: ConstraintStep, sourceEngine: EngineName): Promise<void> {
    await this.withConnection((c) => query(c, mssqlConstraintSql(step, sourceEngine)));
  }

  /** Writers per target table, from its actual column types (introspected when this process did not create it). */
  private readonly writers = new Map<string, Promise<ReadonlyMap<string, WriteColumn>>>();

  writersFor(table: QualifiedName): Promise<ReadonlyMap<string, WriteColumn>> {
    const key = qualified(table);
    let found = this.writers.get(key);
    if (!found) {
      found = (async () => {
        const t = await this.knownTable(key);
        if (!t) throw new BenchError(`${this.display}: target table ${key} not found`);
        return new Map(t.columns.map((c) => [c.name, writeColumn(c)]));
      })();
      found.catch(() => this.writers.delete(key));
      this.writers.set(key, found);
    }
    return found;
  }

  /** A table this process created or introspected, else introspected now; undefined when it does not exist. */
  private async knownTable(key: string): Promise<Table | undefined> {
    if (!this.known.has(key)) await this.introspect([key]);
    return this.known.get(key);
  }

  /** Same-engine callers pass names only; the columns' types come from the last introspection. */
  async fingerprint(table: QualifiedName, columns: readonly string[]): Promise<TableFingerprint> {
    const t = await this.knownTable(qualified(table)).catch(() => undefined);
    if (!t) throw new BenchError(`${this.display}: table ${qualified(table)} not found`);
    const byName = new Map(t.columns.map((c) => [c.name, c]));
    return this.fingerprintPortable(table, columns.map((n) => byName.get(n)!).filter(Boolean));
  }

  /** The portable fingerprint, a failing probe leaving its column unverifiable (mssql-fingerprint.ts). */
  async fingerprintPortable(table: QualifiedName, columns: readonly Column[], skip?: ReadonlySet<string>): Promise<TableFingerprint> {
    return probingFingerprint(table, columns, { role: this.role, display: this.display, skip }, (sql) => this.run(sql));
  }

  /** One statement on a pooled connection, its error as tedious raised it. */
  private async run(sql: string): Promise<ResultRow[][]> {
    const conn = await this.pool.acquire();
    try {
      return await query(conn, sql);
    } finally {
      this.pool.release(conn);
    }
  }

  async analyze(tables: readonly QualifiedName[]): Promise<void> {
    if (tables.length === 0) return;
    await this.withConnection((c) => query(c, tables.map((t) => `UPDATE STATISTICS ${tableSql(t)};`).join('\n')));
  }

  async settle(): Promise<void> {
    // Like the PostgreSQL target's CHECKPOINT: the previous trial's dirty pages are written before this one.
    await this.withConnection((c) => query(c, 'CHECKPOINT')).catch(() => undefined);
  }

  async acquire(): Promise<Session> {
    try {
      return new MssqlSession(this.pool, await this.pool.acquire(), (t) => this.writersFor(t), this.form);
    } catch (err) {
      throw new BenchError(`${this.display}: ${describeMssqlError(err)}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Batches queued ahead of the consumer before the request is paused (see streamRows). */
const QUEUED_BATCHES = 2;
/** Bytes of COPY data (text or binary) gathered before a push into the Readable. */
const COPY_CHUNK = 64 * 1024;

/**
 * Converted rows → COPY data, gathered into chunks of about COPY_CHUNK bytes: text or csv lines, or
 * binary tuples written straight into one buffer (pg-binary-copy.ts) for the columns bench created
 * from the portable types.
 */
interface CopyChunker {
  add(row: PgValue[]): void;
  /** Bytes (text: characters) gathered since the last take(). */
  readonly size: number;
  take(): Buffer;
  /** The end of the data (binary: the trailer). */
  finish(): void;
}

function textChunker(format: 'text' | 'csv'): CopyChunker {
  const field = format === 'csv' ? copyCsvField : copyTextField;
  const separator = format === 'csv' ? ',' : '\t';
  let lines: string[] = [];
  let size = 0;
  return {
    add(row) {
      let line = field(row[0] ?? null);
      for (let i = 1; i < row.length; i++) line += separator + field(row[i]!);
      line += '\n';
      lines.push(line);
      size += line.length;
    },
    get size() {
      return size;
    },
    take() {
      const chunk = Buffer.from(lines.join(''), 'utf8');
      lines = [];
      size = 0;
      return chunk;
    },
    finish() {},
  };
}

function binaryChunker(task: CopyTask): CopyChunker {
  const writers = task.columns.map((c) => {
    const w = binaryWriterFor(c.portable);
    if (!w) throw new BenchError(`${task.id}: column ${c.name} (${c.nativeType}) has no binary COPY form here: pass --copy-format text`, { exitCode: ExitCode.usage });
    return w;
  });
  const writer = new BinaryCopyWriter(2 * COPY_CHUNK);
  writer.raw(COPY_BINARY_HEADER);
  return {
    add: (row) => writer.row(row, writers),
    get size() {
      return writer.length;
    },
    take: () => writer.take(),
    finish: () => writer.raw(COPY_BINARY_TRAILER),
  };
}

class MssqlSession implements Session {
  readonly engine: EngineName = 'mssql';
  private done = false;
  private broken = false;

  constructor(
    private readonly pool: MssqlPool,
    private readonly conn: Connection,
    private readonly writersFor: (t: QualifiedName) => Promise<ReadonlyMap<string, WriteColumn>>,
    private readonly form: RowForm,
  ) {}

  private async columnWriters(task: CopyTask): Promise<WriteColumn[]> {
    const byName = await this.writersFor(task.target);
    return task.columns.map((c) => {
      const w = byName.get(c.name);
      if (!w) throw new BenchError(`${task.id}: the target table has no column ${c.name}`);
      return w;
    });
  }

  /**
   * Rows in batches of `fetchSize`, converted to the PostgreSQL target's text forms. Backpressure:
   * tedious emits `row` events as fast as the socket delivers; once QUEUED_BATCHES batches wait for
   * the consumer, `request.pause()` stops tedious's token parser, its message stream stops reading
   * the socket, TCP's window fills and the server blocks in its send. Memory is bounded by
   * (QUEUED_BATCHES + 1) × fetchSize rows plus the socket buffers, whatever the table size.
   */
  async *streamRows(task: CopyTask, fetchSize: number, page?: KeysetRead): AsyncIterable<unknown[][]> {
    const stmt = selectSql(task, page, this.form);
    const convert = task.columns.map((c) => converterFor(c, this.form));
    const queue: PgValue[][][] = [];
    let batch: PgValue[][] = [];
    let finished = false;
    let failure: unknown;
    let refused: BenchError | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const req = new Request(stmt.sql, (err) => {
      finished = true;
      failure = err ?? undefined;
      if (batch.length > 0) queue.push(batch);
      batch = [];
      notify();
    });
    addParams(req, stmt.params);
    let bytes = 0;
    req.on('row', (columns: { value: unknown }[]) => {
      if (refused) return;
      let row: ReturnType<typeof convertRow>;
      try {
        row = convertRow(columns, convert);
      } catch (err) {
        // A value bench cannot convert: stop the request (ATTENTION) and fail with it, not with the cancel.
        refused = valueFailure(task, err);
        req.resume();
        this.conn.cancel();
        return;
      }
      batch.push(row);
      bytes += rowBytes(row);
      // A batch ends at fetchSize rows or BATCH_BYTES, whichever comes first (issue 16).
      if (batch.length >= fetchSize || bytes >= BATCH_BYTES) {
        queue.push(batch);
        batch = [];
        bytes = 0;
        if (queue.length >= QUEUED_BATCHES) req.pause();
        notify();
      }
    });
    this.conn.execSql(req);
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          if (req.paused && queue.length < QUEUED_BATCHES) req.resume();
          yield next;
          continue;
        }
        if (finished) {
          if (refused) throw refused;
          if (failure) throw new BenchError(`${task.id}: ${describeMssqlError(failure)}`, { cause: failure });
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      if (!finished) await this.cancel(req, () => finished);
    }
  }

  /**
   * Stops a running request: tedious sends an ATTENTION and the server acknowledges it with a DONE
   * (MS-TDS 2.2.1.7); the connection is reusable afterwards. No acknowledgement within 5 s: the
   * connection is closed instead of pooled.
   */
  private async cancel(req: Request, isFinished: () => boolean): Promise<void> {
    req.resume();
    this.conn.cancel();
    const deadline = Date.now() + 5000;
    while (!isFinished()) {
      if (Date.now() > deadline) {
        this.broken = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /**
   * The task's rows as PostgreSQL COPY text (or CSV), for native-bulk into a PostgreSQL copyIn with the
   * same format. The Readable's own backpressure drives the request: a false push() pauses it,
   * _read() resumes it.
   */
  copyOut(task: CopyTask, format: CopyFormat): Readable {
    // COPY is for a PostgreSQL target: PostgreSQL's forms whatever the peer.
    const stmt = selectSql(task);
    const convert = task.columns.map((c) => converterFor(c));
    const chunks = format === 'binary' ? binaryChunker(task) : textChunker(format);
    let finished = false;
    let refused: BenchError | undefined;
    let req: Request | undefined;
    const out = new Readable({
      highWaterMark: 4 * COPY_CHUNK,
      read() {
        if (req?.paused) req.resume();
      },
      destroy: (err, callback) => {
        if (!finished && req) {
          req.resume();
          this.conn.cancel();
        }
        callback(err);
      },
    });
    const flush = () => {
      if (chunks.size === 0) return;
      if (!out.push(chunks.take())) req?.pause();
    };
    req = new Request(stmt.sql, (err) => {
      finished = true;
      if (refused || err) {
        this.broken = true;
        out.destroy(refused ?? new BenchError(`${task.id}: ${describeMssqlError(err)}`, { cause: err }));
        return;
      }
      chunks.finish();
      flush();
      out.push(null);
    });
    addParams(req, stmt.params);
    req.on('row', (columns: { value: unknown }[]) => {
      if (refused) return;
      try {
        chunks.add(convertRow(columns, convert));
      } catch (err) {
        // A value bench cannot convert or encode: stop the request and fail the stream with it.
        refused = valueFailure(task, err);
        req?.resume();
        this.conn.cancel();
        return;
      }
      if (chunks.size >= COPY_CHUNK) flush();
    });
    this.conn.execSql(req);
    return out;
  }

  async begin(): Promise<void> {
    await this.run('BEGIN TRANSACTION');
  }

  async commit(): Promise<void> {
    await this.run('COMMIT TRANSACTION');
  }

  async rollback(): Promise<void> {
    await this.run('IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION');
  }

  private async run(sql: string): Promise<void> {
    try {
      await query(this.conn, sql);
    } catch (err) {
      throw new BenchError(describeMssqlError(err), { cause: err });
    }
  }

  /** Multi-row INSERT through sp_executesql, as many rows per statement as 2,100 parameters allow. */
  async insertRows(task: CopyTask, rows: readonly unknown[][]): Promise<void> {
    const writers = await this.columnWriters(task);
    const per = rowsPerInsert(writers.length, rows.length);
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      await new Promise<void>((resolve, reject) => {
        const req = new Request(insertSql(task.target, writers, chunk.length), (err) => (err ? reject(err) : resolve()));
        try {
          chunk.forEach((row, r) => {
            writers.forEach((w, c) => req.addParameter(`p${r * writers.length + c}`, w.param.type, w.param.encode(row[c]), w.param.options));
          });
        } catch (err) {
          reject(err);
          return;
        }
        this.conn.execSql(req);
      }).catch((err: unknown) => {
        throw new BenchError(`${task.id}: ${describeMssqlError(err)}`, { cause: err });
      });
    }
  }

  /**
   * tedious bulk load (TDS INSERT BULK, what bcp and SqlBulkCopy use) fed from a row stream: tedious
   * pulls rows as its packets drain, so the source is read no faster than SQL Server takes them.
   * TABLOCK lets parallel loads of one heap's partitions proceed side by side (bulk update locks).
   */
  async bulkLoad(task: CopyTask, batches: AsyncIterable<readonly unknown[][]>, signal?: AbortSignal): Promise<number> {
    const writers = await this.columnWriters(task);
    return new Promise<number>((resolve, reject) => {
      const bulk = this.conn.newBulkLoad(tableSql(task.target), { keepNulls: true, lockTable: true }, (err, rowCount) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) {
          this.broken = true;
          reject(new BenchError(`${task.id}: ${describeMssqlError(err)}`, { cause: err }));
        } else {
          resolve(rowCount ?? 0);
        }
      });
      const onAbort = () => bulk.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const w of writers) bulk.addColumn(w.name, w.bulk.type, { ...w.bulk.options, nullable: true });
      async function* rows(): AsyncGenerator<unknown[]> {
        for await (const batch of batches) {
          for (const row of batch) yield writers.map((w, i) => w.bulk.encode(row[i]));
        }
      }
      this.conn.execBulkLoad(bulk, rows());
    });
  }

  async release(): Promise<void> {
    if (this.done) return;
    this.done = true;
    if (this.broken) this.pool.discard(this.conn);
    else this.pool.release(this.conn);
  }

  destroy(): void {
    if (this.done) return;
    this.done = true;
    this.pool.discard(this.conn);
  }
}

function convertRow(columns: readonly { value: unknown }[], convert: readonly Converter[]): PgValue[] {
  const row = new Array<PgValue>(convert.length);
  let i = 0;
  try {
    for (; i < convert.length; i++) row[i] = convert[i]!(columns[i]!.value);
  } catch (err) {
    throw new RowValueError(i, err);
  }
  return row;
}

/** A value a converter or encoder refused, as one line naming the task's table, the column and the value. */
function valueFailure(task: CopyTask, err: unknown): BenchError {
  if (!(err instanceof RowValueError)) return new BenchError(`${task.id}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  const c = task.columns[err.index];
  return new BenchError(`${task.id}: column ${c?.name ?? `#${err.index + 1}`} (${c?.nativeType ?? '?'}): ${err.message}`, { cause: err });
}
