#!/usr/bin/env node
// `npm run bench:limit [-- --scale 0.02] [-- sweep options…]`: bench's best point against the tools
// and the physical limit, measured in one run on the same data. Native clusters under .bench-limit/.
// One `bench sweep` plans native-bulk over parallelism × partitions and, as contenders of the same plan,
// server-copy (the target's own COPY FROM a file on its disk, keys built after: the write limit),
// psql-pipe and pgcopydb at their parallelism levels; a warm-up round, then 3 interleaved measured
// rounds. Prints each ratio of medians, its 90% confidence interval, whether it meets issue 13's goals
// and whether the goal holds across the interval:
//   bench best ≤ 1.3 × the limit · ≥ 1.1× faster than the psql pipe · ≥ 1.5× faster than pgcopydb ·
//   bench's peak RSS ≤ 256 MB.
// With --server-settings "stock:…" "tuned:…", it also prints the moonshot: bench's best point under any set
// against the limit under the first (untuned) set.
// `--analyze-only` prints the figures of the last run with the same --scale and --label again.
// `--label name` keeps the run's results apart (bench-results/limit-<scale>-<name>). Other extra
// arguments are passed to the sweep (e.g. --constraints overlap --freeze --server-settings …).
// Exit 1 when a goal is missed.
import { execa } from 'execa';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const scaleAt = args.indexOf('--scale');
const scale = scaleAt >= 0 ? args.splice(scaleAt, 2)[1] : (process.env.BENCH_LIMIT_SCALE ?? '0.02');
const stateDir = join(root, '.bench-limit');
const labelAt = args.indexOf('--label');
const label = labelAt >= 0 ? args.splice(labelAt, 2)[1] : undefined;
const out = join(root, 'bench-results', `limit-${scale}${label ? `-${label}` : ''}`);
const bench = (a) => execa('node', [join(root, 'bin', 'bench.js'), ...a, '--state-dir', stateDir], { stdio: 'inherit', reject: false });

// --analyze-only: print the figures of the last run with these --scale and --label again, running nothing.
const analyzeOnly = args.includes('--analyze-only');
if (analyzeOnly) args.splice(args.indexOf('--analyze-only'), 1);
let r = analyzeOnly ? { exitCode: 0 } : await bench(['seed', '--scale', scale]);
if (r.exitCode !== 0) process.exit(r.exitCode ?? 1);
// The grid's defaults, each dropped where the extra arguments name the option (list options add up).
const defaults = { '--parallelism': '2,4', '--partitions': '1,4', '--peer-parallelism': '2,4', '--repeat': '3', '--warmup': '1' };
const grid = Object.entries(defaults).flatMap(([flag, value]) => (args.includes(flag) ? [] : [flag, value]));
const sweep = ['sweep', '--strategies', 'native-bulk', ...grid, '--peers', 'server-copy,psql-pipe,pgcopydb', '--out', out, '--fresh', ...args];
const t0 = performance.now();
if (!analyzeOnly) r = await bench(sweep);
const sweepSeconds = (performance.now() - t0) / 1000;
if (r.exitCode === 130) process.exit(130);

const { readResults } = await import(join(root, 'dist/harness/results/results-file.js'));
const { analyzeTrials } = await import(join(root, 'dist/harness/analysis/sweep-analysis.js'));
const { compareTimes } = await import(join(root, 'dist/harness/analysis/claims.js'));
const results = readResults(join(out, 'results.json'));
const a = analyzeTrials(results.trials, results.sweep?.levers);
const best = a.best;
if (!best?.stats) {
  console.error('bench:limit: no valid bench point');
  process.exit(1);
}
// Each tool at its fastest parallelism.
const fastest = (name) => a.points.filter((p) => p.contender === name && p.stats && p.failed === 0).sort((x, y) => x.stats.seconds.median - y.stats.seconds.median)[0];
const rows = results.dataset.tables.reduce((n, t) => n + t.rows, 0);
const bytes = results.dataset.tables.reduce((n, t) => n + t.bytes, 0);
const f = (x) => `${x.toFixed(2)} s`;
const rss = Math.max(...results.trials.filter((t) => t.metrics && !t.spec.warmup && t.spec.kind === 'strategy').map((t) => t.metrics.process.peakRssBytes));
console.log('');
console.log(`data: ${rows.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(0)} MB (scale ${scale}); sweep ${sweepSeconds.toFixed(0)} s; extra options: ${args.join(' ') || 'none'}`);
console.log(`bench best ${best.point}: median ${f(best.stats.seconds.median)} (CV ${((best.stats.cv ?? 0) * 100).toFixed(1)}%)`);

// ratio = tool's time ÷ bench's time: above 1, bench is faster.
const goals = [
  { tool: 'server-copy', label: 'write limit (server-side COPY FROM file + keys)', ok: (x) => 1 / x <= 1.3, goal: 'bench ≤ 1.3 × limit' },
  { tool: 'psql-pipe', label: 'psql | psql binary pipes + keys', ok: (x) => x >= 1.1, goal: 'bench ≥ 1.1× faster' },
  { tool: 'pgcopydb', label: 'pgcopydb clone', ok: (x) => x >= 1.5, goal: 'bench ≥ 1.5× faster' },
];
let met = true;
for (const g of goals) {
  const peer = fastest(g.tool);
  if (!peer) {
    console.log(`${g.label}: not measured (see the report)`);
    met = false;
    continue;
  }
  const c = compareTimes(best, peer);
  const ratio = peer.stats.seconds.median / best.stats.seconds.median;
  const interval = c ? ` (90% CI ${c.ratioLow.toFixed(2)}–${c.ratioHigh.toFixed(2)})` : '';
  // Judged on the ratio printed (of the medians); the CI says whether the noise could undo it. Every
  // goal is met for a large enough ratio, so the CI's low end is the cautious reading.
  const pass = g.ok(ratio);
  const held = c ? (g.ok(c.ratioLow) ? '; holds across the CI' : '; not across the CI: within the noise of the goal') : '';
  met &&= pass;
  console.log(`${g.label}, ${peer.point}: ${f(peer.stats.seconds.median)}; ${g.tool} ÷ bench = ${ratio.toFixed(2)}×${interval}; bench ÷ ${g.tool} = ${(1 / ratio).toFixed(2)}×  [goal: ${g.goal}: ${pass ? 'met' : 'MISSED'} on the medians${held}]`);
}
// The moonshot: with several sets of target settings, bench's best point (under any set) against the
// limit under the first set listed, the untuned one (e.g. --server-settings "stock:…" tuned-set).
const sets = results.sweep?.levers?.settings ?? [];
if (sets.length > 1) {
  const untuned = a.points.filter((p) => p.contender === 'server-copy' && p.settings === sets[0] && p.stats && p.failed === 0).sort((x, y) => x.stats.seconds.median - y.stats.seconds.median)[0];
  if (untuned) {
    const c = compareTimes(best, untuned);
    const ratio = untuned.stats.seconds.median / best.stats.seconds.median;
    const verdict = !c ? 'not judged' : c.significant && c.ratio > 1 ? 'reached: bench is faster beyond the noise' : c.significant ? 'not reached: the limit is faster beyond the noise' : 'not reached: within the noise of each other';
    console.log(`moonshot: bench best ${best.point} against the limit under \`${sets[0]}\`, ${untuned.point}: ${f(untuned.stats.seconds.median)}; limit ÷ bench = ${ratio.toFixed(2)}×${c ? ` (90% CI ${c.ratioLow.toFixed(2)}–${c.ratioHigh.toFixed(2)}, p = ${c.p.toPrecision(2)})` : ''}  [${verdict}]`);
  }
}
const rssOk = rss <= 256 * 2 ** 20;
met &&= rssOk;
console.log(`bench peak RSS over its measured trials: ${(rss / 2 ** 20).toFixed(0)} MiB [goal ≤ 256 MiB: ${rssOk ? 'met' : 'MISSED'}]`);
const m = best.medianTrial.metrics.seconds;
console.log(`bench best, median trial's phases: schema ${f(m.schema)}, copy ${f(m.copy)}, constraints ${f(m.constraints)}, validate ${f(m.validate)}`);

// The whole command's overhead, apart from the trial bench times: one `bench run` of the best point (after
// a warm-up run), its wall time split into node's start (`bench --version`), the trial's own phases, and
// the rest (connecting, introspection, planning, writing results).
const spec = best.medianTrial.spec;
const runArgs = ['run', '-s', spec.strategy, '-p', String(spec.parallelism), '--partitions', String(spec.partitions ?? 1), '--constraints', spec.constraints, '--freeze', spec.params.freeze ? 'on' : 'off', '--json', join(out, 'overhead.json'), '--state-dir', stateDir];
const wall = async (a) => {
  const t = performance.now();
  const x = await execa('node', [join(root, 'bin', 'bench.js'), ...a], { reject: false });
  return { seconds: (performance.now() - t) / 1000, exitCode: x.exitCode, stderr: x.stderr };
};
if (analyzeOnly) process.exit(met ? 0 : 1);
await wall(runArgs);
const start = await wall(['--version']);
const whole = await wall(runArgs);
if (whole.exitCode === 0) {
  const t = readResults(join(out, 'overhead.json')).trials[0].metrics.seconds;
  // clear: dropping what the previous run left on the target (here, the sweep's last trial) and a
  // checkpoint; a copy into an empty database has nothing to drop.
  const clear = t.clear ?? 0;
  const rest = whole.seconds - start.seconds - clear - t.schema - t.copy - t.constraints - t.validate;
  console.log(`whole \`bench run\` of ${best.point}: ${f(whole.seconds)} = node start ${f(start.seconds)} + clearing the previous run's tables ${f(clear)} + schema ${f(t.schema)} + copy ${f(t.copy)} + constraints ${f(t.constraints)} + validation ${f(t.validate)} + the rest (connect, introspect, plan, write results) ${f(rest)} [goal: the rest ≤ 1 s: ${rest <= 1 ? 'met' : 'MISSED'}]`);
} else {
  console.log(`whole \`bench run\` of ${best.point}: failed (${whole.stderr.split('\n')[0]})`);
}
process.exit(met ? 0 : 1);
