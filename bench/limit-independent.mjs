#!/usr/bin/env node
// `npm run bench:limit:independent [-- --point native-bulk/p4/parts4] [-- run options…]`: the write limit
// measured without bench's code, to check the ratio `npm run bench:limit` reports. On the clusters and
// data bench:limit left in .bench-limit/ (run it first, same --scale), with psql and pg_dump only:
//   limit: tables created from the source's pre-data schema (untimed, checkpoint after), then timed: the
//          target's own `COPY … FROM '<file>' (FORMAT binary)` of files the source exported once, two
//          psql sessions at a time, largest table first; then the source's post-data (keys, indexes) two
//          tables at a time, foreign keys last — what bench's server-copy peer times;
//   bench:  `bench run` of the point, its own copy + constraints seconds.
// One warm-up each, then 3 measured runs, alternating. Prints both medians and limit ÷ bench, next to
// the ratio bench:limit printed from its own results.json.
import { execa } from 'execa';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const take = (flag, fallback) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const scale = take('--scale', '0.02');
const point = take('--point', undefined);
const stateDir = join(root, '.bench-limit');
const state = JSON.parse(readFileSync(join(stateDir, 'native', 'state.json'), 'utf8'));
const url = (role) => `postgres://postgres:${encodeURIComponent(state.clusters[role].password)}@127.0.0.1:${state.clusters[role].port}/bench`;
const env = (role) => ({ PGHOST: '127.0.0.1', PGPORT: String(state.clusters[role].port), PGUSER: 'postgres', PGPASSWORD: state.clusters[role].password, PGDATABASE: 'bench' });
const psql = (role, sql) => execa('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { env: env(role) });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
async function limit(n, jobs, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, async () => { while (next < jobs.length) await fn(jobs[next++]); }));
}

// The point bench:limit found best, unless one is given.
const { readResults } = await import(join(root, 'dist/harness/results/results-file.js'));
const { analyzeTrials } = await import(join(root, 'dist/harness/analysis/sweep-analysis.js'));
const limitResults = readResults(join(root, 'bench-results', `limit-${scale}`, 'results.json'));
const analysis = analyzeTrials(limitResults.trials);
const chosen = point ?? analysis.best.point;
const [, p, parts] = /^native-bulk\/p(\d+)(?:\/parts(\d+))?/.exec(chosen) ?? [];
const limitPoint = analysis.points.filter((x) => x.contender === 'server-copy' && x.stats).sort((a, b) => a.stats.seconds.median - b.stats.seconds.median)[0];
const bestPoint = analysis.points.find((x) => x.point === chosen);

// Tables, largest first, and their schema from the source.
const tables = (await execa('psql', ['-X', '-At', '-c', "SELECT quote_ident(schemaname) || '.' || quote_ident(relname) FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY pg_table_size(relid) DESC"], { env: env('source') })).stdout.split('\n').filter(Boolean);
const dump = (section) => execa('pg_dump', ['--schema-only', `--section=${section}`, '--no-owner', '--no-privileges', ...tables.flatMap((t) => ['-t', t])], { env: env('source') }).then((r) => r.stdout.split('\n').filter((l) => !l.startsWith('\\')).join('\n'));
const preData = await dump('pre-data');
// Post-data, split at pg_dump's "-- Name: <table> <object>; Type: …" headers: keys and indexes by table, foreign keys last.
const postData = (await dump('post-data')).split(/\n(?=-- Name: )/).flatMap((block) => {
  const m = /^-- Name: (\S+) [^;]*; Type: ([^;]+);/.exec(block);
  return m ? [{ table: m[1], fk: m[2] === 'FK CONSTRAINT', sql: block.replace(/^--.*$/gm, '').trim() }] : [];
});
const byTable = new Map();
for (const s of postData.filter((x) => !x.fk)) byTable.set(s.table, [...(byTable.get(s.table) ?? []), s.sql]);

const dir = mkdtempSync(join(tmpdir(), 'bench-limit-independent-'));
const postgresUid = Number((await execa('id', ['-u', 'postgres'])).stdout);
chownSync(dir, postgresUid, postgresUid);
const fileOf = (t) => join(dir, `${t.replace(/[^a-z0-9]+/gi, '_')}.bin`);
try {
  for (const t of tables) await psql('source', `COPY ${t} TO '${fileOf(t)}' (FORMAT binary)`);
  const limitRun = async () => {
    await psql('target', `DROP TABLE IF EXISTS ${tables.join(', ')} CASCADE`);
    await execa('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1'], { env: env('target'), input: preData });
    await psql('target', 'CHECKPOINT');
    const t0 = performance.now();
    await limit(2, tables, (t) => psql('target', `COPY ${t} FROM '${fileOf(t)}' (FORMAT binary)`));
    await limit(2, [...byTable.values()], (sqls) => psql('target', sqls.join('\n')));
    for (const s of postData.filter((x) => x.fk)) await psql('target', s.sql);
    return (performance.now() - t0) / 1000;
  };
  const benchRun = async () => {
    const json = join(dir, 'run.json');
    const r = await execa('node', [join(root, 'bin', 'bench.js'), 'run', '-s', 'native-bulk', '-p', p, '--partitions', parts ?? '1', '--json', json, '--state-dir', stateDir, ...args], { reject: false });
    if (r.exitCode !== 0) throw new Error(`bench run failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
    return JSON.parse(readFileSync(json, 'utf8')).trials[0].metrics.seconds.total;
  };
  await limitRun();
  await benchRun();
  const limits = [];
  const benches = [];
  for (let i = 0; i < 3; i++) {
    limits.push(await limitRun());
    benches.push(await benchRun());
  }
  const ratio = median(benches) / median(limits);
  const theirs = bestPoint?.stats && limitPoint?.stats ? bestPoint.stats.seconds.median / limitPoint.stats.seconds.median : undefined;
  console.log(`independent write limit (psql, 2 streams + keys): median ${median(limits).toFixed(2)} s (${limits.map((x) => x.toFixed(2)).join(', ')})`);
  console.log(`bench run ${chosen}: median ${median(benches).toFixed(2)} s (${benches.map((x) => x.toFixed(2)).join(', ')})`);
  console.log(`bench ÷ limit, independent: ${ratio.toFixed(2)}×; bench:limit said ${theirs?.toFixed(2) ?? '—'}× (${limitPoint?.point ?? '—'} against ${chosen})` +
    (theirs ? `; they differ by ${((theirs / ratio - 1) * 100).toFixed(1)}%` : ''));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
