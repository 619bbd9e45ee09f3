/**
 * A TDS 7.4 TEST SERVER for bench's tests — not SQL Server, not part of bench. It speaks just enough
 * of MS-TDS for tedious 19 (configured with encrypt: false): PRELOGIN (answers ENCRYPT_NOT_SUP),
 * LOGIN7 (SQL logins checked against `users`; LOGINACK, ENVCHANGE database/packet size/collation,
 * DONE), SQL batches and RPC (sp_executesql with parameters of any type tedious sends), ATTENTION
 * (cancel) and messages ended with the IGNORE bit, and answers from in-memory tables (tds-sql.ts)
 * with COLMETADATA, ROW/NBCROW, DONE/DONEINPROC/DONEPROC, ERROR and INFO tokens. Rows are written
 * packet by packet, waiting for 'drain' whenever the socket's buffer is full, so a client that stops
 * reading stops the server: `stats.drainWaits` counts those stalls. Listens on 127.0.0.1 only.
 *
 * As a target it takes the DDL and INSERTs of a writer (tds-writes.ts) and tedious bulk loads
 * (`insert bulk`, then a BULK_LOAD message decoded packet by packet as it arrives, tds-bulk.ts);
 * tables created at run time are ordinary tables for SELECT and for bench's introspection.
 *
 * For FreeTDS's freebcp it also answers the metadata probe `SET FMTONLY ON select * from [s].[t] SET
 * FMTONLY OFF` (COLMETADATA with each column's declared nullability, no rows), `select *`, and a bulk
 * load whose message ends after its last row without a DONE token.
 */
import { once } from 'node:events';
import net from 'node:net';
import { HELLO_SQL, INTROSPECT_BATCH, SIZE_QUERIES } from '../../harness/engines/mssql-sql.js';
import { BulkLoadStream, isInsertBulk, parseInsertBulk } from './tds-bulk.js';
import { Catalog } from './tds-catalog.js';
import { appendRows } from './tds-constraints.js';
import { ByteReader, readTypeInfo, readValue } from './tds-decode.js';
import { parseSelect, runSelect, SqlError, type Outcome, type Param, type ResultSet, type SqlMessage, type TestTable } from './tds-sql.js';
import { COLLATION, encodeValue, hasTableName, parseType, typeInfo, type SqlType, type SqlValue } from './tds-types.js';
import type { Departures } from './tds-departures.js';
import { runWrite } from './tds-writes.js';

export interface TestServerOptions {
  readonly database?: string;
  /** login → password. */
  readonly users?: Readonly<Record<string, string>>;
  readonly tables: readonly TestTable[];
  /** Behave like the independent server of issue 17 in these ways (tds-departures.ts); none by default. */
  readonly departures?: Departures;
}

export interface TestServerStats {
  logins: number;
  failedLogins: number;
  /** Every SQL text received (batches and sp_executesql statements), in order. */
  readonly queries: string[];
  rowsSent: number;
  /** Times a write found the socket buffer full and waited for 'drain' (the client was not reading). */
  drainWaits: number;
  attentions: number;
  /** Rows decoded from BULK_LOAD messages (whether or not their load was then committed). */
  bulkRows: number;
  /** Connections dropped because the client spoke TLS first (encrypt=strict) or sent no TDS packet. */
  tlsRefused: number;
  /** The ENCRYPTION byte of each client PRELOGIN (0 off, 1 on, 2 not supported, 3 required; MS-TDS 2.2.6.5). */
  readonly preloginEncryption: number[];
  /** Test-server bugs (non-SQL exceptions); tests assert this stays empty. */
  readonly internalErrors: string[];
}

const PACKET = { SQL_BATCH: 0x01, RPC: 0x03, REPLY: 0x04, ATTENTION: 0x06, BULK_LOAD: 0x07, LOGIN7: 0x10, PRELOGIN: 0x12 } as const;
const TOKEN = { COLMETADATA: 0x81, ROW: 0xd1, NBCROW: 0xd2, DONE: 0xfd, DONEPROC: 0xfe, DONEINPROC: 0xff, ERROR: 0xaa, INFO: 0xab, LOGINACK: 0xad, ENVCHANGE: 0xe3, RETURNSTATUS: 0x79 } as const;
/** Packet header status bits (MS-TDS 2.2.3.1.2): end of message, and IGNORE (the client cancelled mid-message). */
const STATUS = { EOM: 0x01, IGNORE: 0x02 } as const;
/** sp_executesql's own two parameters aside, SQL Server takes at most 2100 (error 8003). */
const MAX_PARAMS = 2100;
const DONE_STATUS = { FINAL: 0x00, MORE: 0x01, ERROR: 0x02, COUNT: 0x10, ATTN: 0x20 } as const;
const SP_EXECUTESQL = 10;

// ---------------------------------------------------------------- token builders

function bVarchar(s: string): Buffer {
  const data = Buffer.from(s, 'utf16le');
  return Buffer.concat([Buffer.from([s.length]), data]);
}

function usVarchar(s: string): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16LE(s.length);
  return Buffer.concat([len, Buffer.from(s, 'utf16le')]);
}

function withLength(token: number, body: Buffer): Buffer {
  const head = Buffer.alloc(3);
  head[0] = token;
  head.writeUInt16LE(body.length, 1);
  return Buffer.concat([head, body]);
}

export function doneToken(token: number, status: number, rows = 0n): Buffer {
  const b = Buffer.alloc(13);
  b[0] = token;
  b.writeUInt16LE(status, 1);
  b.writeUInt16LE(0xc1, 3); // current command: SELECT
  b.writeBigUInt64LE(rows, 5);
  return b;
}

export function errorToken(number: number, message: string, severity = 16, state = 1): Buffer {
  const head = Buffer.alloc(6);
  head.writeInt32LE(number, 0);
  head[4] = state;
  head[5] = severity;
  const line = Buffer.alloc(4);
  line.writeInt32LE(1);
  // INFO has ERROR's layout; SQL Server sends severities of 10 and below as INFO.
  return withLength(severity > 10 ? TOKEN.ERROR : TOKEN.INFO, Buffer.concat([head, usVarchar(message), bVarchar('tds-test-server'), bVarchar(''), line]));
}

/** An error and the messages SQL Server sends after it (1750, 3727, the 3621 INFO…). */
function errorTokens(err: SqlError): Buffer[] {
  const all: SqlMessage[] = [{ number: err.number, message: err.message, severity: err.severity }, ...err.more];
  return all.map((m) => errorToken(m.number, m.message, m.severity));
}

function envChange(type: number, value: string, old = ''): Buffer {
  return withLength(TOKEN.ENVCHANGE, Buffer.concat([Buffer.from([type]), bVarchar(value), bVarchar(old)]));
}

function loginAck(): Buffer {
  const version = Buffer.alloc(4);
  version.writeUInt32BE(0x74000004); // TDS 7.4
  return withLength(TOKEN.LOGINACK, Buffer.concat([Buffer.from([1]), version, bVarchar('Microsoft SQL Server'), Buffer.from([16, 0, 0x10, 0x00])]));
}

function colMetadata(columns: ResultSet['columns']): Buffer {
  const parts: Buffer[] = [Buffer.from([TOKEN.COLMETADATA, columns.length & 0xff, columns.length >> 8])];
  for (const c of columns) {
    const head = Buffer.alloc(6);
    head.writeUInt32LE(0, 0); // user type
    // fNullable (bit 0) as the column is declared: bcp tools choose a native field's length prefix by it.
    head.writeUInt16LE((c.nullable === false ? 0 : 0x0001) | 0x0008, 4); // updateable: unknown
    parts.push(head, typeInfo(c.type));
    if (hasTableName(c.type)) parts.push(Buffer.from([1]), usVarchar('t'));
    parts.push(bVarchar(c.name));
  }
  return Buffer.concat(parts);
}

/** ROW, or NBCROW (null bitmap, NULLs left out) when the row has a NULL, as SQL Server does. */
export function rowToken(types: readonly SqlType[], values: readonly SqlValue[]): Buffer {
  const hasNull = values.some((v) => v === null);
  if (!hasNull) return Buffer.concat([Buffer.from([TOKEN.ROW]), ...values.map((v, i) => encodeValue(types[i]!, v))]);
  const bitmap = Buffer.alloc(Math.ceil(types.length / 8));
  const parts: Buffer[] = [Buffer.from([TOKEN.NBCROW]), bitmap];
  values.forEach((v, i) => {
    if (v === null) bitmap[i >> 3]! |= 1 << (i & 7);
    else parts.push(encodeValue(types[i]!, v));
  });
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------- packets out

/** One response message: tokens are gathered and cut into packets; 'drain' is awaited when the socket is full. */
class MessageWriter {
  private parts: Buffer[] = [];
  private size = 0;
  private packetId = 1;

  constructor(
    private readonly socket: net.Socket,
    private readonly packetSize: number,
    private readonly stats: TestServerStats,
  ) {}

  async write(data: Buffer): Promise<void> {
    this.parts.push(data);
    this.size += data.length;
    const max = this.packetSize - 8;
    if (this.size < max) return;
    let all = Buffer.concat(this.parts);
    while (all.length >= max) {
      await this.packet(all.subarray(0, max), false);
      all = all.subarray(max);
    }
    this.parts = all.length ? [all] : [];
    this.size = all.length;
  }

  async end(): Promise<void> {
    await this.packet(Buffer.concat(this.parts), true);
    this.parts = [];
    this.size = 0;
  }

  private async packet(payload: Buffer, last: boolean): Promise<void> {
    if (this.socket.destroyed) throw new Error('client went away');
    const head = Buffer.alloc(8);
    head[0] = PACKET.REPLY;
    head[1] = last ? 0x01 : 0x00;
    head.writeUInt16BE(payload.length + 8, 2);
    head.writeUInt16BE(0x0033, 4); // SPID
    head[6] = this.packetId;
    this.packetId = (this.packetId + 1) & 0xff;
    if (!this.socket.write(Buffer.concat([head, payload]))) {
      this.stats.drainWaits += 1;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
    }
  }
}

// ---------------------------------------------------------------- requests in

interface RpcCall {
  readonly procId?: number;
  readonly name?: string;
  readonly params: { name: string; type: SqlType; value: SqlValue }[];
}

/** The SQL text of a batch, after ALL_HEADERS (MS-TDS 2.2.5.3: its first DWORD is its own total length). */
function batchText(payload: Buffer): string {
  return payload.toString('utf16le', payload.readUInt32LE(0));
}

/**
 * A batch cut at its `SET FMTONLY ON|OFF` statements, as FreeTDS's bcp sends its metadata probe:
 * `SET FMTONLY ON select * from [dbo].[t] SET FMTONLY OFF` (one batch, no semicolons). A batch without
 * one is a single statement, as before. (A regex, not a parser: a string literal holding those words
 * would be cut too; no client of this server sends one.)
 */
export function splitFmtOnly(text: string): ({ fmtOnly: boolean } | { sql: string })[] {
  const parts: ({ fmtOnly: boolean } | { sql: string })[] = [];
  let at = 0;
  for (const m of text.matchAll(/\bSET\s+FMTONLY\s+(ON|OFF)\b\s*;?/gi)) {
    const before = text.slice(at, m.index).trim();
    if (before) parts.push({ sql: before });
    parts.push({ fmtOnly: m[1]!.toUpperCase() === 'ON' });
    at = m.index + m[0].length;
  }
  const rest = text.slice(at).trim();
  if (rest || parts.length === 0) parts.push({ sql: rest });
  return parts;
}

/** An RPC request: procedure, then parameters (name, status, TYPE_INFO, value), decoded as tds-decode.ts reads them. */
function parseRpc(payload: Buffer): RpcCall {
  const r = new ByteReader(payload, payload.readUInt32LE(0));
  const nameLength = r.u16();
  const call: { procId?: number; name?: string } = nameLength === 0xffff ? { procId: r.u16() } : { name: r.ucs2(nameLength) };
  r.u16(); // option flags
  const params: RpcCall['params'] = [];
  while (r.remaining > 0) {
    const name = r.ucs2(r.u8()).replace(/^@/, '');
    r.u8(); // status flags
    const wire = readTypeInfo(r);
    params.push({ name, type: wire.type, value: readValue(r, wire, false) });
  }
  return { ...call, params };
}

/** "@k0 nvarchar(4000), @r0 varbinary(8000)" → declared types by name. */
function declaredTypes(declarations: string): Map<string, SqlType> {
  const m = new Map<string, SqlType>();
  for (const part of declarations.split(/,(?![^(]*\))/)) {
    const d = /^\s*@(\w+)\s+(.+?)\s*$/.exec(part);
    if (d) m.set(d[1]!.toLowerCase(), parseType(d[2]!));
  }
  return m;
}

// ---------------------------------------------------------------- the server

export class TdsTestServer {
  readonly stats: TestServerStats = { logins: 0, failedLogins: 0, queries: [], rowsSent: 0, drainWaits: 0, attentions: 0, bulkRows: 0, tlsRefused: 0, preloginEncryption: [], internalErrors: [] };
  /** Called before each statement runs; throw a SqlError to make it fail (error-path tests). */
  beforeQuery?: (sql: string) => void;
  /**
   * Awaited when a bulk load's last packet has arrived, before its rows are committed: a test can
   * cancel the load there, after tedious has sent the whole message (tedious then sends ATTENTION).
   */
  beforeBulkCommit?: () => Promise<void>;
  private readonly sockets = new Set<net.Socket>();
  readonly database: string;
  readonly catalog: Catalog;
  readonly departures: Departures;
  private readonly users: Readonly<Record<string, string>>;

  private constructor(
    private readonly server: net.Server,
    tables: readonly TestTable[],
    options: TestServerOptions,
  ) {
    this.database = options.database ?? 'bench';
    this.users = options.users ?? { sa: 'Secret-Passw0rd' };
    this.departures = options.departures ?? {};
    this.catalog = new Catalog(tables, this.database);
  }

  /** The tables as they are now: the fixtures plus those created at run time, minus those dropped. */
  get tables(): readonly TestTable[] {
    return this.catalog.tables;
  }

  static async start(options: TestServerOptions): Promise<TdsTestServer> {
    const server = net.createServer();
    const tds = new TdsTestServer(server, options.tables, options);
    server.on('connection', (socket) => tds.accept(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return tds;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** A bench URL for this server (encrypt=false: the test server has no TLS). */
  url(user = 'sa', password = this.users.sa ?? '', database = this.database): string {
    return `mssql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/${encodeURIComponent(database)}?encrypt=false`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.close();
    await once(this.server, 'close').catch(() => undefined);
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const session = new ServerSession(this, socket, this.stats);
    socket.on('data', (chunk: Buffer) => session.onData(chunk));
  }

  checkLogin(user: string, password: string, database: string): string | undefined {
    if (this.users[user] === undefined || this.users[user] !== password) return `Login failed for user '${user}'.`;
    if (database && database.toLowerCase() !== this.database.toLowerCase()) {
      return `Cannot open database "${database}" requested by the login. The login failed.`;
    }
    return undefined;
  }
}

class ServerSession {
  private pending: Buffer = Buffer.alloc(0);
  private messageType = 0;
  private messageParts: Buffer[] = [];
  private readonly queue: { type: number; payload: Buffer; ignored: boolean }[] = [];
  private busy = false;
  private attention = false;
  private packetSize = 4096;
  private loggedIn = false;
  /** SET FMTONLY ON: SELECTs are described, not run, until SET FMTONLY OFF. */
  private fmtOnly = false;
  /** The load opened by the last `insert bulk` statement, fed by BULK_LOAD packets as they arrive. */
  private bulk: BulkLoadStream | undefined;

  constructor(
    private readonly server: TdsTestServer,
    private readonly socket: net.Socket,
    private readonly stats: TestServerStats,
  ) {}

  onData(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      // A TLS record where a TDS packet belongs (a TDS 8 client, encrypt=strict, starts with its TLS
      // handshake: content type 0x16) or a length shorter than the header: this server has no TLS, and
      // drops the connection as SQL Server drops one that does not speak its protocol.
      const length = this.pending.readUInt16BE(2);
      if (this.pending[0] === 0x16 || length < 8) {
        this.stats.tlsRefused += 1;
        this.pending = Buffer.alloc(0);
        this.socket.destroy();
        return;
      }
      if (this.pending.length < length) break;
      const packet = this.pending.subarray(0, length);
      this.pending = this.pending.subarray(length);
      const type = packet[0]!;
      if (type === PACKET.ATTENTION) {
        // Out of band: stop the running request (if any) and acknowledge (MS-TDS 2.2.1.7).
        this.stats.attentions += 1;
        if (this.busy) this.attention = true;
        else void this.acknowledgeAttention();
        continue;
      }
      const last = (packet[1]! & STATUS.EOM) !== 0;
      const ignored = (packet[1]! & STATUS.IGNORE) !== 0;
      if (type === PACKET.BULK_LOAD) {
        this.bulkPacket(packet.subarray(8), last, ignored);
        continue;
      }
      this.messageType = type;
      this.messageParts.push(Buffer.from(packet.subarray(8)));
      if (last) {
        this.queue.push({ type: this.messageType, payload: Buffer.concat(this.messageParts), ignored });
        this.messageParts = [];
        void this.pump();
      }
    }
  }

  /**
   * A BULK_LOAD packet is decoded on arrival rather than gathered into one message: a load can be
   * far larger than memory should hold. Its last packet queues the load's answer behind whatever
   * the session is still answering. A last packet with the IGNORE bit means tedious cancelled the
   * load while sending it (no ATTENTION follows): everything decoded is dropped.
   */
  private bulkPacket(payload: Buffer, last: boolean, ignored: boolean): void {
    if (ignored) this.bulk = undefined;
    else if (this.bulk) {
      try {
        this.stats.bulkRows += this.bulk.feed(payload);
      } catch (err) {
        this.stats.internalErrors.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
        this.socket.destroy();
        return;
      }
    }
    if (last) {
      this.queue.push({ type: PACKET.BULK_LOAD, payload: Buffer.alloc(0), ignored });
      void this.pump();
    }
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let m = this.queue.shift(); m; m = this.queue.shift()) {
        try {
          if (m.ignored) await this.acknowledgeAttention();
          else await this.handle(m.type, m.payload);
        } catch (err) {
          // A bug in the test server (not a SQL error): make it visible, then drop the client.
          this.stats.internalErrors.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
          this.socket.destroy();
          return;
        }
        if (this.attention) {
          this.attention = false;
          await this.acknowledgeAttention();
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** DONE with ATTN: the answer to an ATTENTION, and to a message the client ended with IGNORE. */
  private async acknowledgeAttention(): Promise<void> {
    const w = this.writer();
    await w.write(doneToken(TOKEN.DONE, DONE_STATUS.ATTN));
    await w.end();
  }

  private writer(): MessageWriter {
    return new MessageWriter(this.socket, this.packetSize, this.stats);
  }

  private async handle(type: number, payload: Buffer): Promise<void> {
    switch (type) {
      case PACKET.PRELOGIN:
        return this.prelogin(payload);
      case PACKET.LOGIN7:
        return this.login(payload);
      case PACKET.SQL_BATCH: {
        if (!this.loggedIn) throw new Error('not logged in');
        return this.statement(batchText(payload), new Map(), false);
      }
      case PACKET.RPC: {
        if (!this.loggedIn) throw new Error('not logged in');
        let call: RpcCall;
        try {
          call = parseRpc(payload);
        } catch (err) {
          return this.fail(err, true);
        }
        if (call.procId !== SP_EXECUTESQL && call.name?.toLowerCase() !== 'sp_executesql') {
          return this.fail(new SqlError(`Could not find stored procedure '${call.name ?? call.procId}'.`, 2812), true);
        }
        const [statement, declarations, ...values] = call.params;
        if (values.length > MAX_PARAMS) {
          const message = `The incoming request has too many parameters. The server supports a maximum of ${MAX_PARAMS} parameters. Reduce the number of parameters and resend the request.`;
          return this.fail(new SqlError(message, 8003), true);
        }
        const declared = declaredTypes(String(declarations?.value ?? ''));
        const params = new Map<string, Param>();
        for (const p of values) params.set(p.name.toLowerCase(), { type: declared.get(p.name.toLowerCase()) ?? p.type, value: p.value });
        return this.statement(String(statement?.value ?? ''), params, true);
      }
      case PACKET.BULK_LOAD:
        return this.finishBulk();
      default:
        throw new Error(`test server: packet type ${type} not handled`);
    }
  }

  /** The client's options are read for the record (its ENCRYPTION byte); the answer is always ENCRYPT_NOT_SUP: no TLS here. */
  private async prelogin(request: Buffer): Promise<void> {
    for (let at = 0; at + 5 <= request.length && request[at] !== 0xff; at += 5) {
      if (request[at] === 0x01) this.stats.preloginEncryption.push(request[request.readUInt16BE(at + 1)] ?? -1);
    }
    // Options: VERSION(6), ENCRYPTION(1) = NOT_SUP, INSTOPT(1), THREADID(4), MARS(1); then the terminator.
    const options: [number, Buffer][] = [
      [0x00, Buffer.from([16, 0, 0x10, 0x00, 0, 0])],
      [0x01, Buffer.from([0x02])],
      [0x02, Buffer.from([0])],
      [0x03, Buffer.alloc(4)],
      [0x04, Buffer.from([0])],
    ];
    const headerLength = options.length * 5 + 1;
    const head = Buffer.alloc(headerLength);
    let offset = headerLength;
    options.forEach(([token, data], i) => {
      head[i * 5] = token;
      head.writeUInt16BE(offset, i * 5 + 1);
      head.writeUInt16BE(data.length, i * 5 + 3);
      offset += data.length;
    });
    head[headerLength - 1] = 0xff;
    const w = this.writer();
    await w.write(Buffer.concat([head, ...options.map(([, d]) => d)]));
    await w.end();
  }

  private async login(p: Buffer): Promise<void> {
    const field = (at: number) => p.toString('utf16le', p.readUInt16LE(at), p.readUInt16LE(at) + p.readUInt16LE(at + 2) * 2);
    const user = field(40);
    const pwStart = p.readUInt16LE(44);
    // LOGIN7 passwords are obfuscated: each byte's nibbles swapped, then XORed with 0xA5 (MS-TDS 2.2.6.4).
    const pw = Buffer.from(p.subarray(pwStart, pwStart + p.readUInt16LE(46) * 2)).map((b) => {
      const x = b ^ 0xa5;
      return ((x & 0x0f) << 4) | (x >> 4);
    });
    const password = Buffer.from(pw).toString('utf16le');
    const database = field(68);
    const requestedPacketSize = p.readUInt32LE(8);
    const w = this.writer();
    const problem = this.server.checkLogin(user, password, database);
    if (problem) {
      this.stats.failedLogins += 1;
      await w.write(errorToken(problem.startsWith('Cannot open') ? 4060 : 18456, problem, 14));
      await w.write(doneToken(TOKEN.DONE, DONE_STATUS.ERROR));
      await w.end();
      return;
    }
    this.stats.logins += 1;
    this.loggedIn = true;
    const db = database || this.server.database;
    await w.write(envChange(1, db, 'master'));
    // SQL Server follows the login's database and language ENVCHANGEs with INFO messages (severity 0),
    // which clients must not take for errors (FreeTDS's freebcp drops them by their numbers, 5701 and 5703).
    const info = this.server.departures.loginInfoNumber;
    await w.write(errorToken(info ?? 5701, `Changed database context to '${db}'.`, 0, 2));
    await w.write(withLength(TOKEN.ENVCHANGE, Buffer.concat([Buffer.from([7, 5]), COLLATION, Buffer.from([0])])));
    await w.write(envChange(2, 'us_english'));
    await w.write(errorToken(info ?? 5703, 'Changed language setting to us_english.', 0, 1));
    await w.write(loginAck());
    const size = requestedPacketSize > 0 ? Math.min(requestedPacketSize, 32767) : 4096;
    await w.write(envChange(4, String(size), '4096'));
    await w.write(doneToken(TOKEN.DONE, DONE_STATUS.FINAL));
    await w.end();
    this.packetSize = size;
  }

  private async fail(err: unknown, rpc: boolean): Promise<void> {
    const e = err instanceof SqlError ? err : new SqlError(err instanceof Error ? err.message : String(err), 50000);
    const w = this.writer();
    for (const t of errorTokens(e)) await w.write(t);
    await w.write(doneToken(rpc ? TOKEN.DONEPROC : TOKEN.DONE, DONE_STATUS.ERROR));
    await w.end();
  }

  /**
   * What a batch produces: one statement, or statements around SET FMTONLY ON|OFF. Under FMTONLY ON
   * SQL Server describes a SELECT's result without running it (COLMETADATA, then DONE, no rows); the
   * setting lasts for the session, like any SET.
   */
  private runBatch(text: string, params: ReadonlyMap<string, Param>): Outcome {
    const parts = splitFmtOnly(text);
    const only = parts[0];
    if (parts.length === 1 && only && 'sql' in only && !this.fmtOnly) return this.run(only.sql, params);
    const sets: ResultSet[] = [];
    for (const part of parts) {
      if ('fmtOnly' in part) {
        this.fmtOnly = part.fmtOnly;
        continue;
      }
      if (this.fmtOnly && /^select\s/i.test(part.sql)) {
        const { columns } = runSelect(parseSelect(part.sql), this.server.catalog.tables, params, this.server.departures);
        sets.push({ columns, rows: [], metadataOnly: true });
        continue;
      }
      if (this.fmtOnly && !/^set\s/i.test(part.sql)) throw new Error(`test server: only SELECT and SET are answered under SET FMTONLY ON, not: ${part.sql}`);
      const outcome = this.run(part.sql, params);
      if (outcome.count !== undefined) throw new Error(`test server: a write inside a SET FMTONLY batch is not supported: ${part.sql}`);
      sets.push(...outcome.sets);
    }
    return { sets };
  }

  /** What a statement produces; `insert bulk` also opens the session's bulk load. */
  private run(text: string, params: ReadonlyMap<string, Param>): Outcome {
    const catalog = this.server.catalog;
    const missing = this.server.departures.missingViews?.find((v) => text.toLowerCase().includes(v));
    if (missing) throw new SqlError(`Invalid object name '${missing}'.`, 208);
    if (text === INTROSPECT_BATCH.trim()) return { sets: catalog.introspection() };
    const sizes = SIZE_QUERIES.find((q) => q.sql === text);
    if (sizes) return { sets: [catalog.sizes(sizes.bytes)] };
    if (text === HELLO_SQL) return { sets: [this.hello()] };
    if (/^(set |begin tran|commit tran|if @@trancount > 0 rollback|update statistics )/i.test(text)) return { sets: [] };
    if (isInsertBulk(text)) {
      const plan = parseInsertBulk(text, catalog);
      this.bulk = new BulkLoadStream(plan, catalog.get(plan.table), catalog);
      return { sets: [] };
    }
    const written = runWrite(text, params, catalog, this.server.departures);
    if (written) return written;
    if (/^select /i.test(text)) {
      const collate = this.server.departures.invalidCollate ? /\bCOLLATE\s+(\w+)/i.exec(text) : null;
      if (collate) throw new SqlError(`Invalid collation '${collate[1]}'.`, 448);
      return { sets: [runSelect(parseSelect(text), catalog.tables, params, this.server.departures)] };
    }
    throw new SqlError(`Incorrect syntax near '${text.split(/\s+/)[0] ?? ''}'.`, 102, 15);
  }

  /**
   * The answer to a BULK_LOAD message (its rows were decoded as its packets came): the rows are
   * appended and DONE carries their count (tedious's rowCount), or ERROR and DONE with ERROR and
   * nothing appended. An ATTENTION that arrived meanwhile wins: nothing is appended, and the pump
   * sends the acknowledgement after this answer.
   */
  private async finishBulk(): Promise<void> {
    const load = this.bulk;
    this.bulk = undefined;
    if (!load) return this.fail(new SqlError('test server: bulk data arrived without an insert bulk statement', 4002), false);
    await this.server.beforeBulkCommit?.();
    const w = this.writer();
    if (this.attention) {
      await w.write(doneToken(TOKEN.DONE, DONE_STATUS.FINAL));
      return w.end();
    }
    try {
      const rows = load.finish();
      const table = this.server.catalog.get(load.plan.table);
      appendRows(this.server.catalog, table, rows, load.plan.checkConstraints);
      await w.write(doneToken(TOKEN.DONE, DONE_STATUS.COUNT, BigInt(rows.length)));
    } catch (err) {
      if (!(err instanceof SqlError)) throw err;
      for (const t of errorTokens(err)) await w.write(t);
      await w.write(doneToken(TOKEN.DONE, DONE_STATUS.ERROR));
    }
    await w.end();
  }

  private async statement(sql: string, params: ReadonlyMap<string, Param>, rpc: boolean): Promise<void> {
    this.stats.queries.push(sql);
    // Any request ends a bulk load whose data never came (tedious cancelled it after `insert bulk`).
    this.bulk = undefined;
    const w = this.writer();
    const statementDone = rpc ? TOKEN.DONEINPROC : TOKEN.DONE;
    const finish = async (status: number) => {
      if (rpc) {
        const rs = Buffer.alloc(5);
        rs[0] = TOKEN.RETURNSTATUS;
        rs.writeInt32LE(status & DONE_STATUS.ERROR ? 1 : 0, 1);
        await w.write(rs);
        await w.write(doneToken(TOKEN.DONEPROC, status & DONE_STATUS.ERROR));
      }
      await w.end();
    };
    try {
      this.server.beforeQuery?.(sql);
      const outcome = this.runBatch(sql.trim(), params);
      const sets = outcome.sets;
      for (const [i, set] of sets.entries()) {
        const types = set.columns.map((c) => c.type);
        await w.write(colMetadata(set.columns));
        let count = 0n;
        for (const row of set.rows) {
          if (this.attention) break;
          await w.write(rowToken(types, row));
          count += 1n;
          this.stats.rowsSent += 1;
        }
        if (this.attention) break;
        const more = i < sets.length - 1 || !rpc ? (i < sets.length - 1 ? DONE_STATUS.MORE : 0) : 0;
        await w.write(doneToken(statementDone, more | (set.metadataOnly ? 0 : DONE_STATUS.COUNT), count));
      }
      if (sets.length === 0) {
        // INSERT reports its rows (DONE_COUNT): tedious adds them up into the request's rowCount.
        const counted = outcome.count !== undefined;
        await w.write(doneToken(statementDone, counted ? DONE_STATUS.COUNT : DONE_STATUS.FINAL, BigInt(outcome.count ?? 0)));
      }
      await finish(DONE_STATUS.FINAL);
    } catch (caught) {
      if (!(caught instanceof SqlError)) throw caught;
      const err = this.depart(caught);
      // Rows already sent stay sent; the error ends the statement, as on SQL Server.
      for (const t of errorTokens(err)) await w.write(t);
      await w.write(doneToken(statementDone, DONE_STATUS.ERROR));
      await finish(DONE_STATUS.ERROR);
    }
  }

  /** An error as the server of departures.missingObjectNumber reports it: a missing object under another number. */
  private depart(err: SqlError): SqlError {
    const missing = this.server.departures.missingObjectNumber;
    if (missing === undefined || err.number !== 208) return err;
    return new SqlError(err.message, missing, err.severity, err.more);
  }

  private hello(): ResultSet {
    const t = parseType('nvarchar(256)');
    const columns = ['version', 'banner', 'server_name', 'database_name', 'edition', 'recovery_model'].map((name) => ({ name, type: t }));
    return {
      columns,
      rows: [['16.0.4000.0', 'Microsoft SQL Server 2022 (TDS test server)', 'tds-test', this.server.database, 'Test Edition', 'SIMPLE']],
    };
  }
}

