#!/usr/bin/env node
// `npm run bench:hot-loops [-- --time 2000]`: tinybench micro-benchmarks of bench's own per-row loops, on
// the built dist/, so a slowdown there shows before it shows in a sweep (issue 14). Each task handles one
// batch of ROWS StackOverflow-shaped Posts rows (ints, a bigint, timestamps, a decimal, a bool, a uuid,
// a title and a 200-character body, some NULLs):
//   binary COPY encoding  SQL Server → PostgreSQL native-bulk: PgValue rows → COPY BINARY tuples
//   COPY text encoding    the same rows as COPY text lines (--copy-format text)
//   CSV encode / parse    csv-buffer's spill file: rows → CSV, and CSV back → rows
//   row conversion        tedious's values → PgValue (converterFor), and PgValue → SQL Server bulk-load values
//   COPY relay            PostgreSQL → PostgreSQL native-bulk: the socket reads of a COPY OUT (64 KiB each)
//                         scanned for message boundaries and forwarded (engines/pg-copy-relay.ts): what one
//                         main thread can relay, in MB/s per core, whatever the servers do
// Prints each task's ops/s (batches) with its relative margin of error, rows/s, and the latency
// percentiles; exits 1 when a task errored.
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Bench } from 'tinybench';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const timeAt = args.indexOf('--time');
const time = timeAt >= 0 ? Number(args[timeAt + 1]) : 1000;
const ROWS = 1000;

const dist = (p) => import(join(root, 'dist', p));
const { BinaryCopyWriter, binaryWriterFor, COPY_BINARY_HEADER } = await dist('harness/engines/pg-binary-copy.js');
const { converterFor, copyTextField } = await dist('harness/engines/mssql-types.js');
const { writeColumn } = await dist('harness/engines/mssql-write.js');
const { encodeCsvRow, CsvRowParser } = await dist('strategies/shared/csv.js');
const { CopyOutRelay } = await dist('harness/engines/pg-copy-relay.js');

/** The Posts columns as a SQL Server source describes them (native type for the converters, portable for COPY). */
const columns = [
  { name: 'Id', nativeType: 'int', portable: { kind: 'int32' } },
  { name: 'PostTypeId', nativeType: 'smallint', portable: { kind: 'int16' } },
  { name: 'ViewCount', nativeType: 'bigint', portable: { kind: 'int64' } },
  { name: 'CreationDate', nativeType: 'datetime2(3)', portable: { kind: 'timestamp', precision: 3 } },
  { name: 'Score', nativeType: 'decimal(12,2)', portable: { kind: 'decimal', precision: 12, scale: 2 } },
  { name: 'IsClosed', nativeType: 'bit', portable: { kind: 'bool' } },
  { name: 'Guid', nativeType: 'uniqueidentifier', portable: { kind: 'uuid' } },
  { name: 'Title', nativeType: 'nvarchar(250)', portable: { kind: 'text', length: 250 } },
  { name: 'Body', nativeType: 'nvarchar(max)', portable: { kind: 'text' } },
].map((c) => ({ ...c, nullable: true }));

const word = (i) => ['copy', 'index', 'vacuum', 'tuple', 'page', 'commit', 'snapshot', 'batch'][i % 8];
/** A row as tedious hands it over: numbers, a bigint as text, Dates, booleans. */
const tediousRow = (i) => [
  i + 1,
  (i % 2) + 1,
  String(1_000_000 + i * 37),
  new Date(Date.UTC(2013, i % 12, (i % 28) + 1, i % 24, i % 60, i % 60, i % 1000)),
  ((i * 7919) % 100_000) / 100,
  i % 10 === 0,
  `6F9619FF-8B86-D011-B42D-${String(i).padStart(12, '0')}`,
  i % 5 === 0 ? null : `How do I ${word(i)} a ${word(i + 3)}, "fast"?`,
  `${word(i)} ${word(i + 1)}\t${word(i + 2)}\n`.repeat(12).slice(0, 200),
];
const raw = Array.from({ length: ROWS }, (_, i) => tediousRow(i));
const converters = columns.map((c) => converterFor(c));
/** The same rows in bench's common row form (PostgreSQL's text forms), what the COPY and CSV encoders take. */
const rows = raw.map((r) => r.map((v, i) => converters[i](v)));
const binaryWriters = columns.map((c) => binaryWriterFor(c.portable));
const bulkEncoders = columns.map((c) => writeColumn(c).bulk.encode);
const csv = rows.map(encodeCsvRow).join('');
/** A COPY OUT as the server sends it (CopyOutResponse, one CopyData per row, CopyDone), cut into socket reads. */
const copyOutReads = (() => {
  const message = (code, body) => {
    const m = Buffer.alloc(5 + body.length);
    m[0] = code;
    m.writeUInt32BE(4 + body.length, 1);
    body.copy(m, 5);
    return m;
  };
  const lines = rows.map((r) => Buffer.from(`${r.map((v) => copyTextField(v)).join('\t')}\n`));
  const all = Buffer.concat([message(0x48, Buffer.from([0, 0, 0])), ...lines.map((l) => message(0x64, l)), message(0x63, Buffer.alloc(0))]);
  const reads = [];
  for (let at = 0; at < all.length; at += 64 * 1024) reads.push(all.subarray(at, at + 64 * 1024));
  return { reads, bytes: all.length };
})();

// Results must be used, or the JIT may drop the work being measured.
let sink = 0;
const bench = new Bench({ time, warmupTime: Math.min(250, time) });
bench
  .add('binary COPY encoding', () => {
    const w = new BinaryCopyWriter(256 * 1024);
    w.raw(COPY_BINARY_HEADER);
    for (const r of rows) w.row(r, binaryWriters);
    sink += w.take().length;
  })
  .add('COPY text encoding', () => {
    let text = '';
    for (const r of rows) {
      let line = copyTextField(r[0]);
      for (let i = 1; i < r.length; i++) line += `\t${copyTextField(r[i])}`;
      text += `${line}\n`;
    }
    sink += Buffer.byteLength(text);
  })
  .add('CSV encode (csv-buffer)', () => {
    let text = '';
    for (const r of rows) text += encodeCsvRow(r);
    sink += text.length;
  })
  .add('CSV parse (csv-buffer)', () => {
    const parser = new CsvRowParser();
    sink += parser.push(csv).length + parser.end().length;
  })
  .add('row conversion: tedious → PgValue', () => {
    for (const r of raw) {
      for (let i = 0; i < r.length; i++) if (converters[i](r[i]) === undefined) sink++;
    }
  })
  .add('row conversion: PgValue → SQL Server bulk', () => {
    for (const r of rows) {
      for (let i = 0; i < r.length; i++) if (bulkEncoders[i](r[i]) === undefined) sink++;
    }
  })
  .add('COPY relay (PostgreSQL → PostgreSQL)', async () => {
    // A stand-in for pg's socket: the relay takes it over from pg's one data listener, as on a real client.
    const socket = new PassThrough({ highWaterMark: 64 * 1024 });
    socket.on('data', () => {});
    const relay = new CopyOutRelay('COPY', undefined);
    relay.submit({ stream: socket, query() {}, sendCopyFail() {} });
    for (const read of copyOutReads.reads) socket.write(read);
    for await (const chunk of relay) sink += chunk.length;
  });
const bytesPerOp = { 'COPY relay (PostgreSQL → PostgreSQL)': copyOutReads.bytes };

await bench.run();

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
let failed = false;
const table = bench.tasks.map((t) => {
  const r = t.result;
  if (r.state !== 'completed') {
    failed = true;
    return { task: t.name, state: r.state, error: r.state === 'errored' ? r.error.message : '' };
  }
  return {
    task: t.name,
    'ops/s': `${fmt(r.throughput.mean)} ±${fmt(r.throughput.rme, 1)}%`,
    'rows/s': fmt(r.throughput.mean * ROWS),
    'MB/s': bytesPerOp[t.name] ? fmt((r.throughput.mean * bytesPerOp[t.name]) / 1e6) : '',
    'p50 ms': fmt(r.latency.p50, 3),
    'p99 ms': fmt(r.latency.p99, 3),
    samples: r.latency.samplesCount,
  };
});
console.log(`bench hot loops: ${ROWS} rows per op, ${time} ms per task (node ${process.version})`);
console.table(table);
if (sink < 0) console.log(sink);
process.exit(failed ? 1 : 0);
