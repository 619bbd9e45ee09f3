#!/usr/bin/env node
// `npm run bench:limit`: bench's best point against the physical limit of the target, measured in the
// same run on the same data (the yardstick): scale 0.02 (2.13M rows), native clusters under
// .bench-limit/, native-bulk over parallelism × partitions with 3 repeats, and the peers server-copy
// (the target's own COPY FROM a local binary file, keys built after), psql-pipe and pgcopydb.
// Prints the ratio best ÷ limit (target: ≤ 1.5×), the ratio to pgcopydb, and the bench process's peak
// RSS over every trial (target: < 256 MB). Exit 1 when a target is missed.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stateDir = join(root, '.bench-limit');
const out = join(root, 'bench-results', 'limit');
const scale = process.env.BENCH_LIMIT_SCALE ?? '0.02';
const bench = (args) => execa('node', [join(root, 'bin', 'bench.js'), ...args, '--state-dir', stateDir], { stdio: 'inherit', reject: false });

let r = await bench(['seed', '--scale', scale]);
if (r.exitCode !== 0) process.exit(r.exitCode ?? 1);
r = await bench([
  'sweep', '--strategies', 'native-bulk', '--parallelism', '2,4', '--partitions', '1,2,4', '--repeat', '3',
  '--peers', 'server-copy,psql-pipe,pgcopydb', '--peer-parallelism', '2,4', '--out', out, '--fresh',
]);
if (r.exitCode === 130) process.exit(130);

const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const byKey = (items, key, secs) => {
  const m = new Map();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), secs(it)]);
  return [...m].map(([k, v]) => ({ key: k, seconds: median(v) }));
};
const ok = results.trials.filter((t) => t.state === 'ok');
const points = byKey(ok, (t) => t.spec.point, (t) => t.metrics.seconds.total).sort((a, b) => a.seconds - b.seconds);
const peers = byKey((results.peers ?? []).filter((p) => p.state === 'ok'), (p) => p.peer, (p) => p.seconds.total);
const best = (name) => Math.min(...peers.filter((p) => p.key === name).map((p) => p.seconds));
const limit = best('server-copy');
const pgcopydb = best('pgcopydb');
const psql = best('psql-pipe');
const rss = Math.max(...results.trials.filter((t) => t.metrics).map((t) => t.metrics.process.peakRssBytes));
const b = points[0];
const f = (x) => `${x.toFixed(2)} s`;
console.log('');
console.log(`data: ${results.dataset.tables.reduce((n, t) => n + t.rows, 0).toLocaleString('en-US')} rows (scale ${scale})`);
console.log(`physical limit (server-side COPY FROM file + keys): ${f(limit)}`);
console.log(`psql | psql binary pipes:                       ${f(psql)}`);
console.log(`pgcopydb clone (best parallelism):               ${f(pgcopydb)}`);
console.log(`bench best (${b.key}):                ${f(b.seconds)}`);
const ratio = b.seconds / limit;
console.log(`bench best ÷ limit: ${ratio.toFixed(2)}× (target ≤ 1.50×) · pgcopydb ÷ bench best: ${(pgcopydb / b.seconds).toFixed(2)}× · peak RSS ${(rss / 2 ** 20).toFixed(0)} MiB (target < 256 MiB)`);
process.exit(ratio <= 1.5 && rss < 256 * 2 ** 20 && b.seconds < pgcopydb ? 0 : 1);
