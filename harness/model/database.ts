import type { Readable, Writable } from 'node:stream';
import type { Catalog, Column, QualifiedName, Table } from './catalog.js';
import type { CopyFormat } from './contender.js';
import type { EngineName, Role } from './roles.js';
import type { CopyTask, KeyRange } from './task.js';

/**
 * What bench needs from a database engine. Engine differences (SQL dialect, introspection, type
 * mapping, checksums) live behind this interface, one module per engine; strategies stay generic.
 */
export interface Engine {
  readonly name: EngineName;
  /** Connects a pool and checks it with one round trip, so a bad URL fails here, once, clearly. */
  connect(url: string, options: ConnectOptions): Promise<Database>;
}

export interface ConnectOptions {
  readonly role: Role;
  /** Connections the strategies may hold at once (parallelism), plus headroom for side queries. */
  readonly poolSize: number;
  /** Tags every session so leftovers can be found and terminated after Ctrl-C. */
  readonly applicationName: string;
  /**
   * The tag every session of the command carries: its pools, worker threads and external tools name
   * theirs `<tag>` or `<tag>-…`. The activity probe counts those sessions and no one else's, so a
   * point's reached concurrency is its own (another client's busy session is not a copy of this
   * trial). Default: applicationName.
   */
  readonly sessionTag?: string;
  /**
   * The engine on the other side of the copy, when known. A SQL Server source reads rows for a SQL
   * Server target at SQL Server's own precision (7 fractional digits, a datetimeoffset's own offset)
   * rather than in PostgreSQL's forms (6 digits, the UTC instant).
   */
  readonly peer?: EngineName;
}

export interface ServerInfo {
  readonly engine: EngineName;
  readonly version: string;
  /** Settings in force that matter for bulk loads, as the server reports them. */
  readonly settings: Readonly<Record<string, string>>;
}

/**
 * The source snapshot a trial reads in (PostgreSQL: exported by a session that stays open until the
 * trial has validated): every source read of the trial imports `id`. `version` names the data it sees
 * (pg_current_snapshot()): two snapshots with one version see the same rows, so a source fingerprint
 * computed under one is valid under the other.
 */
export interface SnapshotRef {
  readonly id: string;
  readonly version: string;
}

/** How a source read sees the data: in the trial's snapshot (SnapshotRef.id), when it has one. */
export interface ReadOptions {
  readonly snapshot?: string;
}

/** A trial's source snapshot, held open (PostgreSQL: one REPEATABLE READ session) until release(). */
export interface SourceSnapshot extends SnapshotRef {
  release(): Promise<void>;
}

/** Row count and an order-independent content checksum, both computed inside the database. */
export interface TableFingerprint {
  readonly rows: number;
  readonly checksum: string;
  /**
   * Probes of the portable fingerprint the server could not compute (portable-fingerprint.ts probeKey):
   * their columns are unverified, and the checksum covers every other probe.
   */
  readonly unverifiable?: readonly UnverifiableProbe[];
}

export interface UnverifiableProbe {
  /** probeKey(probe): the column and the probe kind. */
  readonly key: string;
  /** "c_uuid (uniqueidentifier): min failed: Invalid collation … [SQL Server error 448]". */
  readonly reason: string;
}

export type ConstraintKind = 'primary-key' | 'unique' | 'check' | 'index' | 'foreign-key';

/** One DDL step run after (or before) the load, timed on its own. */
export interface ConstraintStep {
  readonly kind: ConstraintKind;
  readonly table: Table;
  readonly name: string;
}

export interface Database {
  readonly engine: EngineName;
  readonly role: Role;
  /** Redacted connection label for messages and reports. */
  readonly display: string;
  serverInfo(): Promise<ServerInfo>;
  /** Identifies server and database, so bench can refuse to copy a database onto itself. */
  identity(): Promise<string>;
  /** Tables matching the patterns (all user tables when none). */
  introspect(tables?: readonly string[]): Promise<Catalog>;
  /** Drops these tables if present (the target reset between trials, when bench writes the DDL). */
  dropTables(tables: readonly QualifiedName[]): Promise<void>;
  /**
   * Creates tables with columns only from bench's own DDL (across engines, through the type map);
   * keys, indexes and foreign keys come from constraintSteps(). A PostgreSQL source's own schema is
   * restored instead when both sides are PostgreSQL (setup/target-schema.ts).
   */
  createTables(tables: readonly Table[], sourceEngine: EngineName): Promise<void>;
  /**
   * What createTables could not create from these tables: one line per column whose type has no
   * mapping here ("public.t.c (type mood): …"), so a run is refused before anything is copied.
   */
  unmappable?(tables: readonly Table[], sourceEngine: EngineName): string[];
  /** The DDL steps that recreate the tables' keys, checks, indexes and foreign keys, in a safe order. */
  constraintSteps(tables: readonly Table[]): ConstraintStep[];
  applyConstraint(step: ConstraintStep, sourceEngine: EngineName): Promise<void>;
  fingerprint(table: QualifiedName, columns: readonly string[], options?: ReadOptions): Promise<TableFingerprint>;
  /**
   * `parts` contiguous ranges that together cover every row of the table: by the value range of a
   * single integer primary key when there is one, else by the engine's physical row locator (ctid
   * pages on PostgreSQL), like pgcopydb's split tables. The first and last ranges are open-ended, so
   * rows outside the bounds read at planning time are still copied.
   */
  splitRanges?(table: Table, parts: number): Promise<KeyRange[]>;
  /**
   * The cross-engine fingerprint (portable-fingerprint.ts): per-column aggregates both engines compute
   * alike, by the columns' portable types as the source catalog gives them. Used when the engines differ.
   * `skip` leaves probes out by probeKey, so both sides compare the same probes when one side could not
   * compute some (TableFingerprint.unverifiable).
   */
  fingerprintPortable?(table: QualifiedName, columns: readonly Column[], skip?: ReadonlySet<string>, options?: ReadOptions): Promise<TableFingerprint>;
  /**
   * Flush dirty buffers before a trial (untimed), so a checkpoint forced by the previous trial's WAL does
   * not land inside this one's timing. Best effort: a role without the privilege simply skips it.
   */
  settle?(): Promise<void>;
  /** Refresh planner statistics after a load (untimed, like pgcopydb's vacuum analyze step). */
  analyze(tables: readonly QualifiedName[]): Promise<void>;
  /** A session for one task; with `snapshot`, its reads see the trial's snapshot until it is released. */
  acquire(options?: ReadOptions): Promise<Session>;
  /**
   * Exports a snapshot every source read of a trial then imports (PostgreSQL: pg_export_snapshot() in a
   * REPEATABLE READ transaction on a connection of its own, outside the pool). Absent: no shared snapshot.
   */
  exportSnapshot?(): Promise<SourceSnapshot>;
  /**
   * Runs SQL text (several statements allowed) as one simple query, in one implicit transaction: the
   * target schema's DDL (PostgreSQL).
   */
  execute?(sql: string): Promise<void>;
  /**
   * Makes `sessions` sessions available to one trial without waiting: the pool may hold that many (plus
   * headroom for side queries) and they are opened now, untimed, so a point labelled p8 never queues
   * for a connection and never pays for logins inside its timed copy.
   */
  ensureSessions?(sessions: number): Promise<void>;
  /**
   * A probe on its own connection that counts this database's busy client sessions (running a statement
   * or inside a transaction), other than its own: how many copies the server really sees at once.
   */
  activityProbe?(): Promise<ActivityProbe>;
  /**
   * Claims the database for this command's copies (the target: bench drops and recreates its tables
   * between trials, so two benches on one target would wreck each other's trials). Held until close();
   * rejects with a clear message when another bench holds it.
   */
  claimForCopy?(): Promise<void>;
  /** Ends the pool and terminates any session of ours still running on the server (after Ctrl-C). */
  close(): Promise<void>;
}

export interface ActivityProbe {
  busySessions(): Promise<number>;
  close(): Promise<void>;
}

/** One keyset page of a table, by its key columns (see Session.streamRows). */
export interface KeysetRead {
  readonly keyColumns: readonly string[];
  /** The last key of the previous page, in keyColumns order; absent for the first page. */
  readonly after?: readonly unknown[];
  readonly limit: number;
}

/** A bulk-load stream and, once it has finished, the server's own row count (`COPY n`). */
export interface BulkSink {
  readonly stream: Writable;
  rows(): number;
  /** Ends what the load opened (the FREEZE transaction) once the stream has finished. */
  done?(): Promise<void>;
}

/** One connection, held by one task at a time. */
export interface Session {
  readonly engine: EngineName;
  /**
   * Reads the task's rows in batches of at most `fetchSize`; values in the engine's row format. With
   * `page`, reads one keyset page: rows whose key is after `page.after` (none: from the start) in key
   * order, at most `page.limit` rows.
   */
  streamRows(task: CopyTask, fetchSize: number, page?: KeysetRead): AsyncIterable<unknown[][]>;
  /** Explicit transactions, for strategies that commit in chunks. */
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Writes rows with multi-row parameterised INSERT statements. */
  insertRows(task: CopyTask, rows: readonly unknown[][]): Promise<void>;
  /** Native bulk export (PostgreSQL COPY TO STDOUT). Absent when the engine has none. */
  copyOut?(task: CopyTask, format: CopyFormat): Readable;
  /** Native bulk import (PostgreSQL COPY FROM STDIN). */
  copyIn?(task: CopyTask, format: CopyFormat): BulkSink;
  /**
   * PostgreSQL → PostgreSQL: the COPY stream as the server's own CopyData messages, to be written to a
   * target's copyInFramed() unchanged (engines/pg-copy-relay.ts: no per-row parsing or re-framing).
   */
  copyOutFramed?(task: CopyTask, format: CopyFormat, onBytes?: (bytes: number) => void): Readable;
  /**
   * Takes copyOutFramed()'s messages as they are. With `freeze`, the table is emptied and loaded in one
   * transaction with COPY FREEZE (rows written frozen: no hint-bit or freeze rewrite later, and no WAL
   * at all under wal_level=minimal); only for a task that loads a whole table no one else writes.
   */
  copyInFramed?(task: CopyTask, format: CopyFormat, options?: { freeze?: boolean }): BulkSink;
  /** Opens the FREEZE load's transaction and empties the table in it (before copyInFramed with freeze). */
  emptyForFreeze?(task: CopyTask): Promise<void>;
  /**
   * Native bulk import of decoded rows (SQL Server: TDS bulk load, as bcp and SqlBulkCopy do), in the
   * task's column order. Resolves with the server's row count.
   */
  bulkLoad?(task: CopyTask, batches: AsyncIterable<readonly unknown[][]>, signal?: AbortSignal): Promise<number>;
  /**
   * Called with a failure of work that used this session: when the failure came with the end of this
   * session's connection (at once, or within a moment, as the socket closes), the error to report,
   * naming the server; otherwise undefined.
   */
  connectionLost?(err: unknown): Promise<Error | undefined>;
  /**
   * Back to the pool; resolves once it is (PostgreSQL: after the snapshot's COMMIT has answered), so a
   * task that awaits it never overlaps the next one's session and a point called p8 holds 8, not 9.
   */
  release(): Promise<void>;
  /** Closed for good: after a failed COPY the connection may be unusable (see postgres.ts). */
  destroy(): void;
}
