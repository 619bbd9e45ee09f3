import type { TrialResult } from '../harness/model/trial.js';
import type { ValidationRow } from '../harness/model/trial.js';
import { fmt } from './format.js';
import { table } from './terminal-table.js';
import { diagnoseTrial } from '../harness/analysis/points.js';
import type { SweepAnalysis } from '../harness/analysis/sweep-analysis.js';
import { bestSentence, limitFaultSentences, orderingSentence, versusSentence } from './verdicts.js';


/** Per table: rows, seconds, rows/s, MB, MB/s, and a totals row. */
export function renderTrialTables(result: TrialResult): string {
  if (result.state === 'skipped') return `${result.spec.id}: skipped (${result.reason})`;
  if (result.state === 'failed' && !result.metrics) return `${result.spec.id}: failed in ${result.phase}: ${result.error}`;
  const m = result.metrics!;
  const t = table(['table', 'rows', 'seconds', 'rows/s', 'MB', 'MB/s'], ['left', 'right', 'right', 'right', 'right', 'right']);
  for (const r of [...m.tables].sort((a, b) => b.rows - a.rows)) {
    t.push([r.table, fmt.int(r.rows), fmt.secs(r.seconds), fmt.rate(r.rowsPerSecond), fmt.mb(r.bytes), fmt.mbps(r.mbPerSecond)]);
  }
  const total = (label: string, seconds: number, rowsPerSecond: number, mbPerSecond: number) =>
    t.push([label, fmt.int(m.rows), fmt.secs(seconds), fmt.rate(rowsPerSecond), fmt.mb(m.bytes), fmt.mbps(mbPerSecond)]);
  total('total (copy)', m.seconds.copy, m.copyRowsPerSecond, m.seconds.copy > 0 ? m.bytes / 1e6 / m.seconds.copy : 0);
  total('total (copy + constraints)', m.seconds.total, m.rowsPerSecond, m.mbPerSecond);
  const phases =
    `phases: schema ${fmt.secs(m.seconds.schema)} s · copy ${fmt.secs(m.seconds.copy)} s · ` +
    `constraints ${fmt.secs(m.seconds.constraints)} s · validate ${fmt.secs(m.seconds.validate)} s`;
  const proc =
    `bench process: CPU ${m.process.cpuCores.toFixed(2)} cores (user ${fmt.secs(m.process.cpuUserSeconds)} s, ` +
    `system ${fmt.secs(m.process.cpuSystemSeconds)} s), peak RSS ${fmt.bytesHuman(m.process.peakRssBytes)}`;
  const d = m.resources ? diagnoseTrial(m.resources) : undefined;
  const diag = d ? `\ndiagnosis: ${d.verdict}${d.evidence.length ? ` (${d.evidence.join('; ')})` : ''}` : '';
  return `${t.toString()}\n${phases}\n${proc}${diag}`;
}

export function renderValidation(rows: readonly ValidationRow[]): string {
  const t = table(['table', 'source rows', 'target rows', 'checksum', 'match'], ['left', 'right', 'right', 'left', 'left']);
  for (const r of rows) {
    t.push([
      r.table,
      fmt.int(r.sourceRows),
      fmt.int(r.targetRows),
      r.sourceChecksum === r.targetChecksum ? 'equal' : `${r.sourceChecksum} ≠ ${r.targetChecksum}`,
      r.match ? 'yes' : 'NO',
    ]);
  }
  const unverified = rows.flatMap((r) => (r.unverifiable ?? []).map((u) => `unverified: ${r.table} ${u}`));
  return [t.toString(), ...unverified].join('\n');
}

/** The strategy × parallelism matrix of median rows/s, and the best point, for the end of a sweep. */
export function renderSweepSummary(a: SweepAnalysis): string {
  const levels = a.parallelismLevels;
  const t = table(['strategy', ...levels.map((p) => `p${p}`)], ['left', ...levels.map(() => 'right' as const)]);
  for (const [strategy, row] of a.matrix) {
    t.push([strategy, ...levels.map((p) => {
      const point = row.get(p);
      return point?.stats ? `${fmt.rate(point.stats.rowsPerSecond.median)}${point.noisy ? '*' : ''}${point.concurrency?.flag ? '!' : ''}` : '—';
    })]);
  }
  const lines = [
    `median rows/s (copy + constraints) over ${a.trials.ok} valid / ${a.trials.failed} failed / ${a.trials.skipped} skipped measured trials` +
      (a.trials.warmups ? ` (+${a.trials.warmups} warm-ups)` : '') + '; * noisy (CV > 5%), ! fewer concurrent copies than labelled',
    t.toString(),
  ];
  const best = bestSentence(a);
  if (best && a.best) {
    lines.push(best.replace(/`/g, ''));
    const ordering = orderingSentence(a);
    if (ordering) lines.push(ordering.replace(/`|\*\*/g, ''));
    if (a.best.diagnosis) lines.push(`diagnosis of the best point: ${a.best.diagnosis.verdict}`);
    for (const [strategy, line] of a.scaling) lines.push(`${strategy}: ${line}`);
    for (const v of a.versusPeers) lines.push(`peer ${v.peer.point}: ${v.peer.stats ? `${fmt.rate(v.peer.stats.rowsPerSecond.median)} rows/s; ` : ''}${versusSentence(a.best, v).replace(/`/g, '')}`);
  } else {
    lines.push('no point passed every trial: nothing to recommend');
  }
  for (const fault of limitFaultSentences(a)) lines.push(fault.replace(/`/g, ''));
  for (const p of a.points.filter((x) => x.concurrency?.flag)) lines.push(`${p.point}: ${p.concurrency!.flag}`);
  return lines.join('\n');
}
