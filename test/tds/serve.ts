/**
 * TEST SERVER entry point: runs the TDS test server in its own process (so a benchmark measures
 * bench's CPU apart from the server's). Prints {"port":N} on stdout; answers "cpu" on stdin with
 * {"user":µs,"system":µs}; exits when stdin closes. Argument: rows in dbo.big.
 */
import { createInterface } from 'node:readline';
import { allTypesTable, bigTable } from './fixtures.js';
import { TdsTestServer } from './tds-server.js';

const rows = Number(process.argv[2] ?? 200_000);
const server = await TdsTestServer.start({ tables: [allTypesTable(), bigTable('big', rows)] });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'cpu') process.stdout.write(`${JSON.stringify(process.cpuUsage())}\n`);
});
lines.on('close', () => {
  void server.close().then(() => process.exit(0));
});
