import type { ResultsFile } from '../harness/results/results-file.js';
import { speedup, type PointSummary } from '../harness/analysis/points.js';
import type { SweepAnalysis } from '../harness/analysis/sweep-analysis.js';
import type { ChartFile } from './charts.js';
import { fmt } from './format.js';
import { recommendationOf } from '../harness/analysis/recommend.js';
import { airflowEnv, postgresqlConf } from '../profiles/export.js';
import { bestSentence, limitFaultSentences, orderingSentence, versusSentence } from './verdicts.js';
import { describeComparison } from '../harness/analysis/claims.js';

/** A markdown table; cells are escaped so a pipe in an error message cannot break the layout. */
export function mdTable(head: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const align = head.map((_, i) => (right.includes(i) ? '---:' : '---'));
  return [`| ${head.map(esc).join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

const rate = (p: PointSummary | undefined) => (p?.stats ? fmt.rate(p.stats.rowsPerSecond.median) : '—');
const times = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(2)}×`);
const cvCell = (p: PointSummary) => (p.stats?.cv == null ? 'n=1' : `${(p.stats.cv * 100).toFixed(1)}%${p.noisy ? ' (noisy)' : ''}`);
const reachedCell = (p: PointSummary) => (p.concurrency ? `${p.concurrency.reached}/${p.concurrency.planned}${p.concurrency.flag ? ' ⚠' : ''}` : '—');

type Section = (results: ResultsFile, a: SweepAnalysis, extras: ReportExtras) => string[];

export interface ReportExtras {
  readonly charts: readonly ChartFile[];
  readonly profileFile?: string;
}

/**
 * The sweep report, in the spirit of the seeds' reports: the result and what the statistics support,
 * the strategy × parallelism matrix, bench against the peer tools, what limited each point, every
 * point's statistics and concurrency, the best run's breakdown and validation, failures, the best
 * settings, environment, dataset. Rendered from the results JSON alone (`bench report`).
 */
export function renderMarkdown(results: ResultsFile, a: SweepAnalysis, extras: ReportExtras = { charts: [] }): string {
  const sections: Section[] = [header, result, matrix, versusPeers, settingsBought, loadingBought, limits, everyPoint, concurrency, bestRun, failures, bestSettings, environment, dataset, adaptiveSearch, grid];
  const out = sections.flatMap((s) => s(results, a, extras));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function header(results: ResultsFile): string[] {
  const env = results.environment;
  return [`# bench ${results.command} report`, '', `Measured ${results.createdAt} by bench ${env.bench.version} (Node ${env.bench.node}).`, ''];
}

function result(results: ResultsFile, a: SweepAnalysis, extras: ReportExtras): string[] {
  const out = ['## Result', ''];
  const best = bestSentence(a);
  if (best && a.best) {
    const up = speedup(a.best, a.baseline);
    out.push(best + (up && a.baseline !== a.best ? ` Median ${up.toFixed(1)}× the csv-buffer baseline (${rate(a.baseline)} rows/s at \`${a.baseline!.point}\`).` : ''), '');
    const ordering = orderingSentence(a);
    if (ordering) out.push(ordering, '');
  } else {
    out.push('No point completed with every trial valid: there is no best setting to recommend.', '');
  }
  for (const fault of limitFaultSentences(a)) out.push(`**${fault}**`, '');
  const s = results.sweep;
  out.push(
    `Trials: ${a.trials.ok} valid, ${a.trials.failed} failed, ${a.trials.skipped} skipped` +
      (a.trials.warmups ? `, plus ${a.trials.warmups} warm-up${a.trials.warmups > 1 ? 's' : ''} (run first, never counted)` : '') +
      (s ? ` of ${s.trialsPlanned} planned${s.complete ? '' : ' (**interrupted**: the numbers cover the finished trials only)'}, ${fmt.secs(s.seconds)} s in all.` : '.'),
    '',
  );
  for (const c of extras.charts) out.push(`![${c.title}](${c.path})`, '');
  return out;
}

function matrix(_r: ResultsFile, a: SweepAnalysis): string[] {
  if (a.matrix.size === 0) return [];
  const levels = a.parallelismLevels;
  return [
    '## Throughput matrix',
    '',
    'Median rows/s (copy + constraints) per strategy and parallelism; the best partitions / batch size per cell. Medians alone do not rank: see the result above and each point\'s spread below.',
    '',
    mdTable(
      ['strategy', ...levels.map((p) => `p${p}`), 'best vs csv-buffer'],
      [...a.matrix].map(([strategy, row]) => {
        const bestOfRow = [...row.values()].sort((x, y) => (y.stats?.rowsPerSecond.median ?? 0) - (x.stats?.rowsPerSecond.median ?? 0))[0];
        return [strategy, ...levels.map((p) => rate(row.get(p))), times(speedup(bestOfRow, a.baseline))];
      }),
      levels.map((_, i) => i + 1).concat(levels.length + 1),
    ),
    '',
  ];
}

function versusPeers(_r: ResultsFile, a: SweepAnalysis): string[] {
  if (a.versusPeers.length === 0 || !a.best?.stats) return [];
  const best = a.best;
  return [
    '## bench against the tools people would otherwise use',
    '',
    'Contenders of the same plan: the same data, warm-up, interleaved rounds, target reset and validation. ' +
      '`server-copy` is the target loading a file already on its own disk: the physical limit.',
    '',
    mdTable(
      ['tool', 'parallelism', 'runs', 'median rows/s', 'median s', 'CV', 'bench best ÷ tool', 'verdict'],
      [
        [`**bench ${best.point}**`, String(best.parallelism), String(best.ok), rate(best), fmt.secs(best.stats!.seconds.median), cvCell(best), '1.00×', ''],
        ...[...a.versusPeers]
          .sort((x, y) => (y.peer.stats?.rowsPerSecond.median ?? 0) - (x.peer.stats?.rowsPerSecond.median ?? 0))
          .map((v) => [
            v.peer.contender,
            String(v.peer.parallelism),
            `${v.peer.ok}/${v.peer.ok + v.peer.failed}`,
            rate(v.peer),
            v.peer.stats ? fmt.secs(v.peer.stats.seconds.median) : '—',
            v.peer.stats ? cvCell(v.peer) : '—',
            times(speedup(best, v.peer)),
            [versusSentence(best, v), ...v.peer.notes].join('; '),
          ]),
      ],
      [1, 3, 4, 6],
    ),
    '',
  ];
}

/** Why a row's change and its verdict can name different ratios (they answer different questions). */
const CHANGE_VS_VERDICT =
  '*change* is the ratio of the median rows/s; the verdict is the Welch test on log trial times, whose ratio (of geometric means) can differ from it when a point has an outlying trial.';

function settingsBought(_r: ResultsFile, a: SweepAnalysis): string[] {
  if (a.settingsEffects.length === 0) return [];
  const reference = a.settingsEffects[0]!.reference.settings;
  return [
    '## What each server setting bought',
    '',
    `Every point was measured under each set of target server settings (the target restarted between sets, in interleaved rounds); each row compares a point under one set with the same point under \`${reference}\`. ${CHANGE_VS_VERDICT}`,
    '',
    mdTable(
      ['point', 'settings', 'median rows/s', `under ${reference}`, 'change', 'verdict'],
      a.settingsEffects.map((e) => [
        e.base,
        e.point.settings ?? '',
        rate(e.point),
        rate(e.reference),
        times(speedup(e.point, e.reference)),
        describeComparison(`\`${e.point.settings}\``, `\`${e.reference.settings}\``, e.comparison),
      ]),
      [2, 3, 4],
    ),
    '',
  ];
}

/** `--constraints after,overlap` / `--freeze off,on` in a sweep: each lever against its first value. */
function loadingBought(_r: ResultsFile, a: SweepAnalysis): string[] {
  if (a.loadingEffects.length === 0) return [];
  const flag = (e: SweepAnalysis['loadingEffects'][number], v: string) => `--${e.lever} ${v}`;
  return [
    '## What each loading option bought',
    '',
    `Every bench point ran under each value of the options below, in the same interleaved rounds; each row compares a point under one value with the same point under the first value listed. ${CHANGE_VS_VERDICT}`,
    '',
    mdTable(
      ['point', 'option', 'median rows/s', 'against', 'its rows/s', 'change', 'verdict'],
      a.loadingEffects.map((e) => [
        e.base,
        `\`${flag(e, e.value)}\``,
        rate(e.point),
        `\`${flag(e, e.referenceValue)}\``,
        rate(e.reference),
        times(speedup(e.point, e.reference)),
        describeComparison(`\`${flag(e, e.value)}\``, `\`${flag(e, e.referenceValue)}\``, e.comparison),
      ]),
      [2, 4, 5],
    ),
    '',
  ];
}

function limits(_r: ResultsFile, a: SweepAnalysis): string[] {
  const diagnosed = a.points.filter((p) => p.resources && p.diagnosis);
  if (diagnosed.length === 0) return [];
  const cores = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(2));
  const out = [
    '## What limited each point',
    '',
    'Sampled over copy + constraints of each point\'s median trial (about 25 samples a trial): host CPU busy and I/O wait as a share of all cores, each server\'s and the bench process\'s CPU in cores, disk writes. The diagnosis names the resource that saturated during the copy itself (the index builds after it are alike for every strategy).',
    '',
    mdTable(
      ['point', 'diagnosis', 'host busy', 'iowait', 'steal', 'source CPU', 'target CPU', 'bench CPU', 'disk write', 'samples'],
      diagnosed.map((p) => {
        const s = p.resources!.summary;
        return [
          p.point,
          p.diagnosis!.verdict,
          s.cpu ? `${s.cpu.busyAvg.toFixed(0)}% (peak ${s.cpu.busyPeak.toFixed(0)}%)` : '—',
          s.cpu ? `${s.cpu.iowaitAvg.toFixed(1)}%` : '—',
          s.cpu ? `${s.cpu.stealAvg.toFixed(1)}%` : '—',
          cores(s.servers.source?.cpuCoresAvg),
          cores(s.servers.target?.cpuCoresAvg),
          `${s.bench.cpuCoresAvg.toFixed(2)} (peak ${s.bench.cpuCoresPeak.toFixed(2)})`,
          s.disk ? `${(s.disk.writeAvg / 1e6).toFixed(1)} MB/s` : '—',
          String(s.samples),
        ];
      }),
      [5, 6, 9],
    ),
    '',
  ];
  for (const [strategy, line] of a.scaling) out.push(`- **${strategy}**: ${line}`);
  if (a.scaling.size > 0) out.push('');
  const evidence = a.best?.diagnosis?.evidence ?? [];
  if (evidence.length > 0) out.push(`Evidence for the best point (\`${a.best!.point}\`): ${evidence.join('; ')}.`, '');
  return out;
}

function everyPoint(_r: ResultsFile, a: SweepAnalysis): string[] {
  return [
    '## Every point',
    '',
    `CV is the coefficient of variation of the trial times; above 5% a point is marked noisy, and claims involving it need more repeats. "Copies" is the most copies seen running at once over the planned parallelism (⚠: below it, see the next section).`,
    '',
    mdTable(
      ['point', 'trials', 'median rows/s', 'min–max rows/s', 'median s', 'CV', 'rme', 'copies', 'bench CPU', 'peak RSS', 'notes'],
      a.points.map((p) => [
        p.point,
        `${p.ok}/${p.ok + p.failed + p.skipped}`,
        rate(p),
        p.stats ? `${fmt.rate(p.stats.rowsPerSecond.min)}–${fmt.rate(p.stats.rowsPerSecond.max)}` : '—',
        p.stats ? fmt.secs(p.stats.seconds.median) : '—',
        p.stats ? cvCell(p) : '—',
        p.stats?.rme != null ? `±${p.stats.rme.toFixed(1)}%` : '—',
        reachedCell(p),
        p.cpuCores ? `${p.cpuCores.toFixed(2)} cores` : '—',
        p.peakRssBytes ? fmt.bytesHuman(p.peakRssBytes) : '—',
        [...(p.skippedReason ? [`skipped: ${p.skippedReason}`] : []), ...p.errors.map((e) => `failed ${e}`), ...p.notes].join('; '),
      ]),
      [2, 4, 5, 6],
    ),
    '',
  ];
}

function concurrency(_r: ResultsFile, a: SweepAnalysis): string[] {
  const flagged = a.points.filter((p) => p.concurrency?.flag);
  const sampled = a.points.filter((p) => p.concurrency);
  if (sampled.length === 0) return [];
  const out = [
    '## Concurrency as labelled',
    '',
    'A point labelled pN should run N copies at once. Each trial counts the sessions busy on each server (pg_stat_activity, every 25 ms during the copy) and the tasks bench had in flight. ' +
      (flagged.length === 0 ? 'Every point reached the concurrency its label claims.' : 'These points did not, so their label overstates what ran:'),
    '',
  ];
  for (const p of flagged) out.push(`- \`${p.point}\`: ${p.concurrency!.flag}`);
  if (flagged.length > 0) out.push('');
  return out;
}

function bestRun(_r: ResultsFile, a: SweepAnalysis): string[] {
  const trial = a.best?.medianTrial;
  if (!trial) return [];
  const m = trial.metrics;
  return [
    `## Best run, table by table (\`${trial.spec.id}\`)`,
    '',
    mdTable(
      ['table', 'rows', 'tasks', 'seconds', 'rows/s', 'MB', 'MB/s'],
      [...m.tables].sort((x, y) => y.rows - x.rows).map((t) => [t.table, fmt.int(t.rows), String(t.tasks), fmt.secs(t.seconds), fmt.rate(t.rowsPerSecond), fmt.mb(t.bytes), fmt.mbps(t.mbPerSecond)]),
      [1, 2, 3, 4, 5, 6],
    ),
    '',
    `Phases: schema ${fmt.secs(m.seconds.schema)} s, copy ${fmt.secs(m.seconds.copy)} s, constraints (keys, indexes, foreign keys) ${fmt.secs(m.seconds.constraints)} s, validation ${fmt.secs(m.seconds.validate)} s. ` +
      `bench process: ${m.process.cpuCores.toFixed(2)} cores of CPU, peak RSS ${fmt.bytesHuman(m.process.peakRssBytes)}.`,
    '',
    '### Validation of the best run',
    '',
    mdTable(
      ['table', 'source rows', 'target rows', 'checksum', 'match'],
      trial.validation.map((v) => [v.table, fmt.int(v.sourceRows), fmt.int(v.targetRows), v.sourceChecksum === v.targetChecksum ? 'equal' : `${v.sourceChecksum} ≠ ${v.targetChecksum}`, v.match ? 'yes' : 'NO']),
      [1, 2],
    ),
    '',
    ...trial.validation.flatMap((v) => (v.unverifiable ?? []).map((u) => `- ${v.table}: unverified, ${u}`)),
    ...(trial.validation.some((v) => v.unverifiable?.length) ? [''] : []),
    `Every one of the ${a.trials.ok} valid trials passed the same row-count and checksum comparison; failed trials are listed below.`,
    '',
  ];
}

function failures(results: ResultsFile): string[] {
  const failed = results.trials.filter((t) => t.state === 'failed');
  if (failed.length === 0) return [];
  return [
    '## Failed trials',
    '',
    'A failed or invalid trial never counts towards a point\'s numbers or the best setting.',
    '',
    mdTable(['trial', 'phase', 'error'], failed.map((t) => [`${t.spec.id}${t.spec.warmup ? ' (warm-up)' : ''}`, t.state === 'failed' ? t.phase : '', t.state === 'failed' ? t.error : ''])),
    '',
  ];
}

function bestSettings(results: ResultsFile, a: SweepAnalysis, extras: ReportExtras): string[] {
  const b = a.best;
  if (!b) return [];
  const spec = b.medianTrial?.spec;
  const profile = recommendationOf(results, a);
  const file = extras.profileFile ?? 'profile.json';
  return [
    '## Best settings found',
    '',
    mdTable(['setting', 'value'], [
      ['strategy', b.contender],
      ['parallelism (concurrent tasks)', String(b.parallelism)],
      ['partitions per large table', String(b.partitions)],
      ['batch size', b.batchSize !== undefined && b.contender !== 'native-bulk' ? String(b.batchSize) : 'n/a (COPY)'],
      ['connections per database', String(b.parallelism + 2)],
      ['constraints', spec?.kind === 'strategy' ? spec.constraints : ''],
    ]),
    '',
    bestSentence(a)?.startsWith('No single fastest') ? 'Other points were within the noise of this one (see the result above): any of them is as good a choice on this evidence.' : '',
    '',
    ...(profile
      ? [
          '### The target server\'s postgresql.conf',
          '',
          `Each setting says whether this sweep measured it or only ran with it (a bulk-load default to undo after the load). \`bench profile export ${file} --format postgresql-conf --role target\` writes this file; \`--role source\` the source server's.`,
          '',
          '```ini',
          postgresqlConf(profile, { role: 'target' }).trimEnd(),
          '```',
          '',
          '### Airflow',
          '',
          `\`bench profile export ${file} --format airflow-env\` writes this file.`,
          '',
          '```sh',
          airflowEnv(profile).trimEnd(),
          '```',
          '',
        ]
      : []),
    extras.profileFile ? `Saved as a profile: \`${extras.profileFile}\` (\`bench run --profile ${extras.profileFile}\` runs the same copy with bench).` : '',
    '',
  ];
}

function environment(results: ResultsFile): string[] {
  const env = results.environment;
  const out = [
    '## Environment',
    '',
    mdTable(['', ''], [
      ['host', env.host.hostname],
      ['OS', env.host.os],
      ['CPU', `${env.host.cpuModel} (${env.host.logicalCpus} logical CPUs, ${env.host.arch})`],
      ['memory', fmt.bytesHuman(env.host.memoryBytes)],
      ...(results.platform ? [['platform', String(results.platform.summary ?? JSON.stringify(results.platform))]] : []),
      ...((results.platform?.classification as { warnings?: string[] } | undefined)?.warnings ?? []).map((w) => ['⚠ platform warning', w]),
      ...(['source', 'target'] as const).map((r) => [`${r} server`, `${env.servers[r].engine} ${env.servers[r].version} via ${env.servers[r].provider} (${env.servers[r].url})`]),
      ...(['source', 'target'] as const).flatMap((r) => {
        const emulated = env.servers[r].details?.emulated;
        return typeof emulated === 'string' ? [[`⚠ ${r} server`, `runs EMULATED (${emulated}): expect it to be much slower than on a native image`]] : [];
      }),
    ]),
    '',
  ];
  const names = [...new Set([...Object.keys(env.servers.source.settings), ...Object.keys(env.servers.target.settings)])].sort();
  if (names.length > 0) {
    out.push('Server settings in force:', '', mdTable(['setting', 'source', 'target'], names.map((n) => [n, env.servers.source.settings[n] ?? '', env.servers.target.settings[n] ?? ''])), '');
  }
  return out;
}

function dataset(results: ResultsFile): string[] {
  const total = results.dataset.tables.reduce((s, t) => ({ rows: s.rows + t.rows, bytes: s.bytes + t.bytes }), { rows: 0, bytes: 0 });
  return [
    '## Dataset',
    '',
    `Source: ${results.dataset.source}.`,
    '',
    mdTable(
      ['table', 'rows', 'size'],
      [...results.dataset.tables].sort((x, y) => y.rows - x.rows).map((t) => [t.table, fmt.int(t.rows), fmt.bytesHuman(t.bytes)]).concat([['**total**', fmt.int(total.rows), fmt.bytesHuman(total.bytes)]]),
      [1, 2],
    ),
    '',
  ];
}

type AdaptiveRecord = {
  trials: number;
  gridTrials: number;
  steps: { strategy: string; parallelism: number; partitions: number; rowsPerSecond?: number; decision: string }[];
  versus?: { gridBest: string; gridRowsPerSecond: number; adaptiveBest: string; adaptiveRowsPerSecond: number; gap: number; gridTrials: number };
};

function adaptiveSearch(results: ResultsFile): string[] {
  const adaptive = results.sweep?.adaptive as AdaptiveRecord | undefined;
  if (!adaptive) return [];
  const v = adaptive.versus;
  return [
    '## Adaptive search',
    '',
    `${adaptive.trials} trials, where the full grid takes ${adaptive.gridTrials}.` +
      (v
        ? ` Against a grid sweep (${v.gridTrials} trials): the grid's best was \`${v.gridBest}\` at ${fmt.rate(v.gridRowsPerSecond)} rows/s, the search's \`${v.adaptiveBest}\` at ${fmt.rate(v.adaptiveRowsPerSecond)} rows/s (${(v.gap * 100).toFixed(1)}%).`
        : ''),
    '',
    mdTable(['strategy', 'parallelism', 'partitions', 'median rows/s', 'decision'], adaptive.steps.map((s) => [s.strategy, String(s.parallelism), String(s.partitions), s.rowsPerSecond ? fmt.rate(s.rowsPerSecond) : '—', s.decision]), [1, 2, 3]),
    '',
  ];
}

function grid(results: ResultsFile): string[] {
  const s = results.sweep;
  if (!s) return [];
  return [
    '## Plan',
    '',
    `strategies ${s.strategies.join(', ')} × parallelism ${s.parallelism.join(', ')} × partitions ${s.partitions.join(', ')} × batch sizes ${s.batchSizes.map((b) => b ?? 'default').join(', ')}` +
      (s.peers?.length ? `, and the peers ${s.peers.join(', ')} at parallelism ${(s.peerParallelism ?? []).join(', ')}` : '') +
      `: ${s.warmup ?? 0} warm-up round${s.warmup === 1 ? '' : 's'}, then ${s.repeat} measured round${s.repeat > 1 ? 's' : ''}, every contender once per round (interleaved), constraints ${s.constraints}. ` +
      'Claims compare log trial times with Welch\'s t-test at α = 0.05; rme is the relative margin of error of the mean at 95%.',
    '',
  ];
}

