#!/usr/bin/env node
// `npm run bench:mssql-read`: how fast bench reads SQL Server into PostgreSQL, and where its CPU goes.
// No SQL Server runs on our machines, so the source is the TDS test server (test/tds/serve.ts) in its own
// process: its speed says nothing about SQL Server's, but bench's side of the wire is the real one
// (tedious decoding, the row conversion, the PostgreSQL writers). For each strategy (default
// native-bulk with binary and with text COPY, and direct-stream) it runs `bench run` REPEAT times (default 3) into a native PostgreSQL
// target and prints the medians of rows/s, bench's CPU (cores) and the test server's CPU (cores).
// With --profile it runs native-bulk once more under --cpu-prof and splits bench's CPU time by who spent
// it (tedious, pg, bench's own code, node internals, GC), which answers "is tedious decoding the
// bottleneck?". Environment: BENCH_MSSQL_READ_ROWS (default 1,000,000), BENCH_MSSQL_READ_REPEAT,
// BENCH_MSSQL_READ_STRATEGIES (comma separated).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';

const root = new URL('..', import.meta.url).pathname;
const rows = Number(process.env.BENCH_MSSQL_READ_ROWS ?? 1_000_000);
const repeat = Number(process.env.BENCH_MSSQL_READ_REPEAT ?? 3);
// strategy[:copy format]: native-bulk's COPY stream is written by bench, binary or text, the issue asks which is faster.
const strategies = (process.env.BENCH_MSSQL_READ_STRATEGIES ?? 'native-bulk:binary,native-bulk:text,direct-stream').split(',');
const profile = process.argv.includes('--profile');
const stateDir = join(root, '.bench-mssql-read');
const work = mkdtempSync(join(tmpdir(), 'bench-mssql-read-'));

// The test server, compiled once into node_modules/.cache (so it resolves this repo's packages).
const serveDir = join(root, 'node_modules', '.cache', 'bench-tds-serve');
await execa('npx', ['tsc', '-p', 'test/tds/tsconfig.serve.json', '--outDir', serveDir], { cwd: root, stdio: 'inherit' });
const server = spawn(process.execPath, [join(serveDir, 'test', 'tds', 'serve.js'), String(rows)], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: server.stdout });
const [first] = await once(lines, 'line');
const { port } = JSON.parse(first);
const sourceUrl = `mssql://sa:Secret-Passw0rd@127.0.0.1:${port}/bench?encrypt=false`;
const serverCpuSeconds = async () => {
  server.stdin.write('cpu\n');
  const [line] = await once(lines, 'line');
  const cpu = JSON.parse(line);
  return (cpu.user + cpu.system) / 1e6;
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One `bench run` into the native target cluster; its JSON result, and the server's CPU over it. */
async function run(variant, nodeFlags = []) {
  const [strategy, format] = variant.split(':');
  const json = join(work, `${strategy}-${Date.now()}.json`);
  const cpu0 = await serverCpuSeconds();
  const r = await execa(
    'node',
    [...nodeFlags, join(root, 'bin', 'bench.js'), 'run', '--source-url', sourceUrl, '--state-dir', stateDir, '--strategy', strategy, ...(format ? ['--copy-format', format] : []), '--tables', 'dbo.big', '--json', json],
    { reject: false, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const serverCpu = (await serverCpuSeconds()) - cpu0;
  if (r.exitCode !== 0) throw new Error(`bench run --strategy ${strategy} failed (exit ${r.exitCode})`);
  const trial = JSON.parse(readFileSync(json, 'utf8')).trials[0];
  if (trial.state !== 'ok' || !trial.validation.every((v) => v.match)) throw new Error(`${strategy}: trial not valid`);
  return { trial, serverCores: serverCpu / trial.metrics.seconds.total };
}

/**
 * Self time of a .cpuprofile by who spent it. A frame without a package of its own (a builtin such as
 * Buffer.readUInt16LE or TextDecoder, or node:internal code) is charged to the nearest caller that has
 * one, so tedious's calls into Buffer count as tedious.
 */
function splitProfile(file) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ownerOf = (url) =>
    /node_modules\/tedious\//.test(url) ? 'tedious (TDS decoding)'
    : /node_modules\/(pg|pg-protocol|pg-copy-streams|pg-pool)\//.test(url) ? 'pg driver'
    : /\/dist\/harness\/engines\/(mssql|pg-binary-copy)/.test(url) ? 'bench: row conversion and COPY encoding (engines/mssql*, pg-binary-copy)'
    : /\/dist\//.test(url) ? 'bench: other'
    : /node_modules\//.test(url) ? 'other packages'
    : undefined;
  const groupOf = (id) => {
    const { functionName } = byId.get(id).callFrame;
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(garbage collector)') return 'garbage collector';
    if (functionName === '(program)') return 'node/V8 (program)';
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const owner = ownerOf(byId.get(at).callFrame.url);
      if (owner) return owner;
    }
    return 'node internals (streams, sockets, module loading)';
  };
  const groups = new Map();
  for (let i = 0; i < p.samples.length; i++) {
    const g = groupOf(p.samples[i]);
    groups.set(g, (groups.get(g) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const busy = [...groups].filter(([g]) => g !== 'idle').reduce((n, [, us]) => n + us, 0);
  return [...groups].filter(([g]) => g !== 'idle').sort((a, b) => b[1] - a[1]).map(([g, us]) => `${g}: ${((100 * us) / busy).toFixed(1)}%`);
}

try {
  console.log(`TDS test server (own process) → native PostgreSQL, ${rows.toLocaleString('en-US')} rows of dbo.big (id bigint, n int, s nvarchar(200)), ${repeat} runs each`);
  for (const strategy of strategies) {
    const runs = [];
    for (let i = 0; i < repeat; i++) runs.push(await run(strategy));
    const m = (f) => median(runs.map(f));
    console.log(
      `${strategy.padEnd(19)} ${Math.round(m((r) => r.trial.metrics.copyRowsPerSecond)).toLocaleString('en-US').padStart(9)} rows/s (runs: ` +
        `${runs.map((r) => Math.round(r.trial.metrics.copyRowsPerSecond / 1000)).join('K, ')}K) · bench CPU ${m((r) => r.trial.metrics.process.cpuCores).toFixed(2)} cores · ` +
        `test server CPU ${m((r) => r.serverCores).toFixed(2)} cores`,
    );
  }
  if (profile) {
    const dir = join(work, 'profile');
    // Node flags, not NODE_OPTIONS (which refuses --cpu-prof); bin/bench.js passes them to the child it
    // re-runs itself as, and the child that copied writes the profile with the most samples.
    await run('native-bulk', ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const files = readdirSync(dir).map((f) => join(dir, f));
    const largest = files.sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
    console.log(`native-bulk, bench's busy CPU time by who spent it:\n  ${splitProfile(largest).join('\n  ')}`);
  }
} finally {
  // The target cluster was started for this benchmark only.
  await execa('node', [join(root, 'bin', 'bench.js'), 'down', '--state-dir', stateDir], { reject: false });
  server.stdin.end();
  await once(server, 'exit');
  rmSync(work, { recursive: true, force: true });
}
