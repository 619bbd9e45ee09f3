import type { ResultsFile } from './json.js';
import { speedup, type PeerSummary, type PointSummary, type SweepAnalysis } from './analysis.js';
import type { ChartFile } from './charts.js';
import { fmt } from './format.js';

/** A markdown table; cells are escaped so a pipe in an error message cannot break the layout. */
function mdTable(head: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const align = head.map((_, i) => (right.includes(i) ? '---:' : '---'));
  return [`| ${head.map(esc).join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

const rate = (p: PointSummary | undefined) => (p?.stats ? fmt.rate(p.stats.rowsPerSecond.median) : '—');
const rme = (p: PointSummary) => (p.stats?.rme != null ? `±${p.stats.rme.toFixed(1)}%` : 'n=1');
const times = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(2)}×`);

/**
 * The sweep report, in the spirit of the seeds' reports: environment, dataset, the strategy ×
 * parallelism matrix, speed-ups over the csv-buffer baseline, the best run's breakdown and validation,
 * the best settings, and every failure. Rendered from the results JSON alone (`bench report`).
 */
export function renderMarkdown(
  results: ResultsFile,
  a: SweepAnalysis,
  charts: readonly ChartFile[],
  extras: { profileFile?: string; peers?: readonly PeerSummary[] } = {},
): string {
  const out: string[] = [];
  const env = results.environment;
  out.push(`# bench ${results.command} report`, '');
  out.push(`Measured ${results.createdAt} by bench ${env.bench.version} (Node ${env.bench.node}).`, '');

  if (a.best?.stats) {
    const b = a.best;
    const up = speedup(b, a.baseline);
    out.push(
      '## Result',
      '',
      `**Fastest: \`${b.point}\` at ${fmt.rate(b.stats!.rowsPerSecond.median)} rows/s** ` +
        `(median of ${b.stats!.samples} trial${b.stats!.samples > 1 ? 's' : ''}, ${fmt.secs(b.stats!.seconds.median)} s for copy + constraints, ${rme(b)})` +
        (up ? `, ${up.toFixed(1)}× the csv-buffer baseline (${rate(a.baseline)} rows/s at \`${a.baseline!.point}\`).` : '.'),
      '',
    );
    if (a.ordering) {
      out.push(
        a.ordering.held
          ? `The seeds' ordering held here: ${a.ordering.expected.join(' < ')}.`
          : `The seeds' ordering (${a.ordering.expected.join(' < ')}) did **not** hold here: observed ${a.ordering.observed.join(' < ')} (each strategy at its best point).`,
        '',
      );
    }
  } else {
    out.push('## Result', '', 'No point completed with every trial valid: there is no best setting to recommend.', '');
  }
  out.push(`Trials: ${a.trials.ok} valid, ${a.trials.failed} failed, ${a.trials.skipped} skipped` +
    (results.sweep ? ` of ${results.sweep.trialsPlanned} planned${results.sweep.complete ? '' : ' (**interrupted**: the numbers cover the finished trials only)'}, ${fmt.secs(results.sweep.seconds)} s in all.` : '.'), '');

  for (const c of charts) out.push(`![${c.title}](${c.path})`, '');

  out.push('## Throughput matrix', '', 'Median rows/s (copy + constraints) per strategy and parallelism; the best partitions / batch size per cell.', '');
  const levels = a.parallelismLevels;
  out.push(
    mdTable(
      ['strategy', ...levels.map((p) => `p${p}`), 'best vs csv-buffer'],
      [...a.matrix].map(([strategy, row]) => {
        const bestOfRow = [...row.values()].sort((x, y) => (y.stats?.rowsPerSecond.median ?? 0) - (x.stats?.rowsPerSecond.median ?? 0))[0];
        return [strategy, ...levels.map((p) => rate(row.get(p))), times(speedup(bestOfRow, a.baseline))];
      }),
      levels.map((_, i) => i + 1).concat(levels.length + 1),
    ),
    '',
  );

  if (extras.peers && extras.peers.length > 0) {
    out.push(
      '## bench against the tools people would otherwise use',
      '',
      'Measured in the same run, on the same data, with the same target reset and the same validation. ' +
        '"bench best ÷ tool" above 1.00× means bench was faster; against `server-copy` (the target loading a file already on its own disk) it says how far bench is from the physical limit.',
      '',
    );
    const ranked = [...extras.peers].sort((x, y) => (y.stats?.rowsPerSecond.median ?? 0) - (x.stats?.rowsPerSecond.median ?? 0));
    out.push(
      mdTable(
        ['tool', 'parallelism', 'runs', 'median rows/s', 'median s', 'bench best ÷ tool', 'notes'],
        [
          ...(a.best?.stats ? [[`**bench ${a.best.point}**`, String(a.best.parallelism), String(a.best.ok), fmt.rate(a.best.stats.rowsPerSecond.median), fmt.secs(a.best.stats.seconds.median), '1.00×', '']] : []),
          ...ranked.map((p) => [
            p.peer,
            String(p.parallelism),
            `${p.ok}/${p.ok + p.failed}`,
            p.stats ? fmt.rate(p.stats.rowsPerSecond.median) : '—',
            p.stats ? fmt.secs(p.stats.seconds.median) : '—',
            times(p.benchRatio),
            [...(p.skippedReason ? [`skipped: ${p.skippedReason}`] : []), ...p.errors.map((e) => `failed ${e}`), ...p.notes].join('; '),
          ]),
        ],
        [1, 3, 4, 5],
      ),
      '',
    );
  }

  const diagnosed = a.points.filter((p) => p.resources);
  if (diagnosed.length > 0) {
    out.push(
      '## What limited each point',
      '',
      'Sampled about once a second over copy + constraints (median trial of each point): host CPU busy and I/O wait as a share of all cores, each server\'s and the bench process\'s CPU in cores, disk writes. The diagnosis names the resource that saturated during the copy itself (the index builds after it are alike for every strategy).',
      '',
    );
    out.push(
      mdTable(
        ['point', 'diagnosis', 'host busy', 'iowait', 'steal', 'source CPU', 'target CPU', 'bench CPU', 'disk write', 'samples'],
        diagnosed.map((p) => {
          const s = p.resources!.summary;
          const cores = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(2));
          return [
            p.point,
            p.resources!.diagnosis.verdict,
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
    );
    for (const [strategy, line] of a.scaling) out.push(`- **${strategy}**: ${line}`);
    if (a.scaling.size > 0) out.push('');
    const evidence = a.best?.resources?.diagnosis.evidence ?? [];
    if (evidence.length > 0) out.push(`Evidence for the best point (\`${a.best!.point}\`): ${evidence.join('; ')}.`, '');
  }

  out.push('## Every point', '');
  out.push(
    mdTable(
      ['point', 'trials', 'median rows/s', 'min–max rows/s', 'median s', 'mean s', 'sd s', 'rme', 'bench CPU', 'peak RSS', 'notes'],
      a.points.map((p) => [
        p.point,
        `${p.ok}/${p.ok + p.failed + p.skipped}`,
        rate(p),
        p.stats ? `${fmt.rate(p.stats.rowsPerSecond.min)}–${fmt.rate(p.stats.rowsPerSecond.max)}` : '—',
        p.stats ? fmt.secs(p.stats.seconds.median) : '—',
        p.stats ? fmt.secs(p.stats.seconds.mean) : '—',
        p.stats ? fmt.secs(p.stats.seconds.sd) : '—',
        p.stats ? rme(p) : '—',
        p.cpuCores ? `${p.cpuCores.toFixed(2)} cores` : '—',
        p.peakRssBytes ? fmt.bytesHuman(p.peakRssBytes) : '—',
        [...(p.skippedReason ? [`skipped: ${p.skippedReason}`] : []), ...p.errors.map((e) => `failed ${e}`), ...p.notes].join('; '),
      ]),
      [2, 4, 5, 6],
    ),
    '',
  );

  const bestTrial = a.best?.medianTrial;
  if (bestTrial) {
    const m = bestTrial.metrics;
    out.push(`## Best run, table by table (\`${bestTrial.spec.id}\`)`, '');
    out.push(
      mdTable(
        ['table', 'rows', 'tasks', 'seconds', 'rows/s', 'MB', 'MB/s'],
        [...m.tables].sort((x, y) => y.rows - x.rows).map((t) => [t.table, fmt.int(t.rows), String(t.tasks), fmt.secs(t.seconds), fmt.rate(t.rowsPerSecond), fmt.mb(t.bytes), fmt.mbps(t.mbPerSecond)]),
        [1, 2, 3, 4, 5, 6],
      ),
      '',
      `Phases: schema ${fmt.secs(m.seconds.schema)} s, copy ${fmt.secs(m.seconds.copy)} s, constraints (keys, indexes, foreign keys) ${fmt.secs(m.seconds.constraints)} s, validation ${fmt.secs(m.seconds.validate)} s. ` +
        `bench process: ${m.process.cpuCores.toFixed(2)} cores of CPU, peak RSS ${fmt.bytesHuman(m.process.peakRssBytes)}.`,
      '',
    );
    out.push('### Validation of the best run', '');
    out.push(
      mdTable(
        ['table', 'source rows', 'target rows', 'checksum', 'match'],
        bestTrial.validation.map((v) => [v.table, fmt.int(v.sourceRows), fmt.int(v.targetRows), v.sourceChecksum === v.targetChecksum ? 'equal' : `${v.sourceChecksum} ≠ ${v.targetChecksum}`, v.match ? 'yes' : 'NO']),
        [1, 2],
      ),
      '',
      ...bestTrial.validation.flatMap((v) => (v.unverifiable ?? []).map((u) => `- ${v.table}: unverified, ${u}`)),
      ...(bestTrial.validation.some((v) => v.unverifiable?.length) ? [''] : []),
      `Every one of the ${a.trials.ok} valid trials passed the same row-count and checksum comparison; failed trials are listed below.`,
      '',
    );
  }

  const failures = results.trials.filter((t) => t.state === 'failed');
  if (failures.length > 0) {
    out.push('## Failed trials', '', 'A failed or invalid trial never counts towards a point\'s numbers or the best setting.', '');
    out.push(mdTable(['trial', 'phase', 'error'], failures.map((t) => [t.spec.id, t.state === 'failed' ? t.phase : '', t.state === 'failed' ? t.error : ''])), '');
  }

  if (a.best) {
    const b = a.best;
    out.push('## Best settings found', '');
    out.push(
      mdTable(['setting', 'value'], [
        ['strategy', b.strategy],
        ['parallelism (concurrent tasks)', String(b.parallelism)],
        ['partitions per large table', String(b.partitions)],
        ['batch size', b.medianTrial && b.strategy !== 'native-bulk' ? String(b.batchSize) : 'n/a (COPY)'],
        ['connections per database', String(b.parallelism + 2)],
        ['constraints', b.medianTrial?.spec.constraints ?? ''],
      ]),
      '',
      extras.profileFile ? `Saved as a profile: \`bench run --profile ${extras.profileFile}\` applies it.` : '',
      '',
    );
  }

  out.push('## Environment', '');
  out.push(
    mdTable(['', ''], [
      ['host', env.host.hostname],
      ['OS', env.host.os],
      ['CPU', `${env.host.cpuModel} (${env.host.logicalCpus} logical CPUs, ${env.host.arch})`],
      ['memory', fmt.bytesHuman(env.host.memoryBytes)],
      ...(results.platform ? [['platform', String(results.platform.summary ?? JSON.stringify(results.platform))]] : []),
      ...((results.platform?.classification as { warnings?: string[] } | undefined)?.warnings ?? []).map((w) => ['⚠ platform warning', w]),
      ...(['source', 'target'] as const).map((r) => [
        `${r} server`,
        `${env.servers[r].engine} ${env.servers[r].version} via ${env.servers[r].provider} (${env.servers[r].url})`,
      ]),
      ...(['source', 'target'] as const).flatMap((r) => {
        const emulated = env.servers[r].details?.emulated;
        return typeof emulated === 'string' ? [[`⚠ ${r} server`, `runs EMULATED (${emulated}): expect it to be much slower than on a native image`]] : [];
      }),
    ]),
    '',
  );
  const settingNames = [...new Set([...Object.keys(env.servers.source.settings), ...Object.keys(env.servers.target.settings)])].sort();
  if (settingNames.length > 0) {
    out.push('Server settings in force:', '');
    out.push(mdTable(['setting', 'source', 'target'], settingNames.map((n) => [n, env.servers.source.settings[n] ?? '', env.servers.target.settings[n] ?? ''])), '');
  }

  out.push('## Dataset', '', `Source: ${results.dataset.source}.`, '');
  const total = results.dataset.tables.reduce((s, t) => ({ rows: s.rows + t.rows, bytes: s.bytes + t.bytes }), { rows: 0, bytes: 0 });
  out.push(
    mdTable(
      ['table', 'rows', 'size'],
      [...results.dataset.tables].sort((x, y) => y.rows - x.rows).map((t) => [t.table, fmt.int(t.rows), fmt.bytesHuman(t.bytes)]).concat([['**total**', fmt.int(total.rows), fmt.bytesHuman(total.bytes)]]),
      [1, 2],
    ),
    '',
  );
  const adaptive = results.sweep?.adaptive as
    | { trials: number; gridTrials: number; steps: { strategy: string; parallelism: number; partitions: number; rowsPerSecond?: number; decision: string }[]; versus?: { gridBest: string; gridRowsPerSecond: number; adaptiveBest: string; adaptiveRowsPerSecond: number; gap: number; gridTrials: number } }
    | undefined;
  if (adaptive) {
    out.push(
      '## Adaptive search',
      '',
      `${adaptive.trials} trials, where the full grid takes ${adaptive.gridTrials}.` +
        (adaptive.versus
          ? ` Against a grid sweep (${adaptive.versus.gridTrials} trials): the grid's best was \`${adaptive.versus.gridBest}\` at ${fmt.rate(adaptive.versus.gridRowsPerSecond)} rows/s, the search's \`${adaptive.versus.adaptiveBest}\` at ${fmt.rate(adaptive.versus.adaptiveRowsPerSecond)} rows/s (${(adaptive.versus.gap * 100).toFixed(1)}%).`
          : ''),
      '',
      mdTable(['strategy', 'parallelism', 'partitions', 'median rows/s', 'decision'], adaptive.steps.map((s) => [s.strategy, String(s.parallelism), String(s.partitions), s.rowsPerSecond ? fmt.rate(s.rowsPerSecond) : '—', s.decision]), [1, 2, 3]),
      '',
    );
  }
  if (results.sweep) {
    const s = results.sweep;
    out.push(
      '## Grid',
      '',
      `strategies ${s.strategies.join(', ')} × parallelism ${s.parallelism.join(', ')} × partitions ${s.partitions.join(', ')} × batch sizes ${s.batchSizes.map((b) => b ?? 'default').join(', ')}, ` +
        `${s.repeat} repeat${s.repeat > 1 ? 's' : ''} (interleaved rounds), constraints ${s.constraints}. Statistics by tinybench over the valid trials of each point; rme is the relative margin of error of the mean at 95%.`,
      '',
    );
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
