/**
 * TEST SERVER CODE (not part of bench): bulk load as tedious 19 does it (lib/bulk-load.js,
 * Connection.execBulkLoad). First a SQL batch
 *   insert bulk [s].[t]([a] int, [b] nvarchar(max), …) WITH (KEEP_NULLS,TABLOCK)
 * which names the table and columns (parseInsertBulk); then a BULK_LOAD message (packet type 0x07)
 * holding COLMETADATA, one ROW token per row and a DONE token (MS-TDS 2.2.6.1 BulkLoadBCP). FreeTDS's
 * bcp (freebcp) sends the same statement with its own column list and the same message without the
 * DONE token (see finish()).
 *
 * BulkLoadStream decodes that message packet by packet as it arrives: only the unfinished row is
 * kept between packets, and decoded rows are converted to the table's column types at once, so the
 * load never sits in memory as raw bytes. Rows are appended only when the message ends without
 * error (SQL Server runs the load as one statement); the first error stops decoding.
 */
import type { Catalog } from './tds-catalog.js';
import { convertValue, nullError } from './tds-convert.js';
import { Cursor, type QualifiedName } from './tds-cursor.js';
import { ByteReader, NeedMore, readTypeInfo, readValue, type WireType } from './tds-decode.js';
import { SqlError, type TestTable } from './tds-sql.js';
import type { SqlValue } from './tds-types.js';

export interface BulkPlan {
  readonly table: QualifiedName;
  /** WITH (CHECK_CONSTRAINTS): foreign keys are checked only then, as SQL Server does. */
  readonly checkConstraints: boolean;
}

export function isInsertBulk(sql: string): boolean {
  return /^insert\s+bulk\b/i.test(sql);
}

/** insert bulk [s].[t]([a] int, …) [WITH (KEEP_NULLS, TABLOCK, CHECK_CONSTRAINTS, ORDER (…), …)] */
export function parseInsertBulk(sql: string, catalog: Catalog): BulkPlan {
  const c = new Cursor(sql);
  c.word('INSERT');
  c.word('BULK');
  const name = c.qualified();
  const table = catalog.find(name);
  if (!table) throw new SqlError(`Invalid object name '${name.schema}.${name.name}'.`, 208);
  c.op('(');
  let ordinal = 0;
  do {
    const column = c.ident();
    c.type(column, ++ordinal);
    if (!table.columns.some((x) => x.name.toLowerCase() === column.toLowerCase())) throw new SqlError(`Invalid column name '${column}'.`, 207);
  } while (c.optOp(','));
  c.op(')');
  let checkConstraints = false;
  if (c.optWord('WITH')) {
    c.op('(');
    do {
      const option = c.ident().toUpperCase();
      if (option === 'CHECK_CONSTRAINTS') checkConstraints = true;
      // ORDER (col ASC, …) is a hint; the test server keeps rows in primary-key order anyway.
      if (option === 'ORDER') while (!c.optOp(')')) c.next();
    } while (c.optOp(','));
    c.op(')');
  }
  c.end();
  return { table: { schema: table.schema, name: table.name }, checkConstraints };
}

const TOKEN = { COLMETADATA: 0x81, ROW: 0xd1, NBCROW: 0xd2, DONE: 0xfd } as const;

interface BulkColumn {
  readonly wire: WireType;
  /** Position in the table's columns. */
  readonly index: number;
}

export class BulkLoadStream {
  /** Converted rows, appended to the table when the message ends cleanly. */
  readonly rows: SqlValue[][] = [];
  error: SqlError | undefined;
  /** Rows decoded so far (converted or not): the server's stats.bulkRows. */
  received = 0;
  private columns: BulkColumn[] | undefined;
  private ended = false;
  private pending: Buffer[] = [];
  private buffered = 0;
  /** The buffered length the unfinished token needs before it is worth parsing again. */
  private needed = 0;
  private readonly fullName: string;

  constructor(
    readonly plan: BulkPlan,
    private readonly table: TestTable,
    catalog: Catalog,
  ) {
    this.fullName = catalog.fullName(table);
  }

  /** Decodes what `payload` completes; returns the number of rows it finished. */
  feed(payload: Buffer): number {
    if (this.error || this.ended) return 0;
    this.pending.push(payload);
    this.buffered += payload.length;
    if (this.buffered < this.needed) return 0;
    const r = new ByteReader(this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending));
    const before = this.received;
    let start = 0;
    try {
      while (r.remaining > 0 && !this.ended) {
        start = r.pos;
        this.token(r);
      }
      this.pending = [];
      this.buffered = 0;
      this.needed = 0;
    } catch (err) {
      if (err instanceof NeedMore) {
        // Keep the unfinished token's bytes; skip parsing until the buffer reaches what it needs.
        const rest = r.buf.subarray(start);
        this.pending = [rest];
        this.buffered = rest.length;
        this.needed = err.upTo - start;
      } else if (err instanceof SqlError) {
        this.error = err;
        this.pending = [];
        this.rows.length = 0;
      } else {
        throw err;
      }
    }
    return this.received - before;
  }

  /**
   * The rows to append, once the message has ended; throws the load's error. The message may end
   * with a DONE token (tedious) or simply at its last packet after a whole row (FreeTDS's bcp sends no
   * DONE: tds_bcp_done only flushes the message, and SQL Server loads it); a message cut inside a token
   * or without COLMETADATA is incomplete.
   */
  finish(): SqlValue[][] {
    if (this.error) throw this.error;
    if (!this.ended && (this.buffered > 0 || !this.columns)) {
      throw new SqlError('The incoming tabular data stream (TDS) protocol stream is incorrect. The stream ended unexpectedly.', 4002);
    }
    return this.rows;
  }

  private token(r: ByteReader): void {
    const type = r.u8();
    switch (type) {
      case TOKEN.COLMETADATA:
        this.columns = this.metadata(r);
        return;
      case TOKEN.ROW:
      case TOKEN.NBCROW:
        this.rows.push(this.row(r, type === TOKEN.NBCROW));
        this.received++;
        return;
      case TOKEN.DONE:
        r.skip(12); // status, current command, row count: the client's count is not used
        this.ended = true;
        return;
      default:
        throw new SqlError(`The incoming tabular data stream (TDS) protocol stream is incorrect. Unexpected token 0x${type.toString(16)} in a bulk load.`, 4002);
    }
  }

  /**
   * COLMETADATA as tedious writes it for a bulk load: per column UserType (4 bytes), Flags (2),
   * TYPE_INFO, a table name for text/ntext/image (one US_VARCHAR, tedious's form, not MS-TDS's
   * NumParts list), and the column name.
   */
  private metadata(r: ByteReader): BulkColumn[] {
    const count = r.u16();
    const out: BulkColumn[] = [];
    for (let k = 0; k < count; k++) {
      r.u32();
      r.u16();
      const wire = readTypeInfo(r);
      if (wire.id === 0x23 || wire.id === 0x63 || wire.id === 0x22) r.ucs2(r.u16());
      const name = r.ucs2(r.u8());
      const index = this.table.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
      if (index < 0) throw new SqlError(`Invalid column name '${name}'.`, 207);
      out.push({ wire, index });
    }
    return out;
  }

  private row(r: ByteReader, nullBitmap: boolean): SqlValue[] {
    const columns = this.columns;
    if (!columns) throw new SqlError('The incoming tabular data stream (TDS) protocol stream is incorrect. A row came before COLMETADATA.', 4002);
    const bitmap = nullBitmap ? r.bytes(Math.ceil(columns.length / 8)) : undefined;
    // Decode the whole row before converting: a NeedMore half-way must leave nothing behind.
    const values = columns.map((c, k) => (bitmap && bitmap[k >> 3]! & (1 << (k & 7)) ? null : readValue(r, c.wire, true)));
    const row: SqlValue[] = this.table.columns.map(() => null);
    columns.forEach((c, k) => {
      const column = this.table.columns[c.index]!;
      const target = { table: this.fullName, column: column.name, bulkColid: k + 1 };
      row[c.index] = convertValue(c.wire.type, column.type, values[k] ?? null, target);
    });
    this.table.columns.forEach((column, i) => {
      if (row[i] === null && !column.nullable) throw nullError({ table: this.fullName, column: column.name });
    });
    return row;
  }
}
