import Table from 'cli-table3';
import type { TrialResult } from '../harness/results.js';
import type { ValidationRow } from '../harness/validate.js';
import { fmt } from './format.js';
import { speedup, type PeerSummary, type SweepAnalysis } from './analysis.js';

/** cli-table3 without colours: the output is read in terminals, CI logs and pasted into issues alike. */
function table(head: string[], aligns?: ('left' | 'right')[]): Table.Table {
  return new Table({
    head,
    style: { head: [], border: [], compact: false },
    ...(aligns ? { colAligns: aligns } : {}),
  });
}

/** Per table: rows, seconds, rows/s, MB, MB/s, and a totals row. */
export function renderTrialTables(result: TrialResult): string {
  if (result.state === 'skipped') return `${result.spec.id}: skipped (${result.reason})`;
  if (result.state === 'failed' && !result.metrics) return `${result.spec.id}: failed in ${result.phase}: ${result.error}`;
  const m = result.metrics!;
  const t = table(['table', 'rows', 'seconds', 'rows/s', 'MB', 'MB/s'], ['left', 'right', 'right', 'right', 'right', 'right']);
  for (const r of [...m.tables].sort((a, b) => b.rows - a.rows)) {
    t.push([r.table, fmt.int(r.rows), fmt.secs(r.seconds), fmt.rate(r.rowsPerSecond), fmt.mb(r.bytes), fmt.mbps(r.mbPerSecond)]);
  }
  t.push([
    'total (copy)',
    fmt.int(m.rows),
    fmt.secs(m.seconds.copy),
    fmt.rate(m.copyRowsPerSecond),
    fmt.mb(m.bytes),
    fmt.mbps(m.seconds.copy > 0 ? m.bytes / 1e6 / m.seconds.copy : 0),
  ]);
  t.push([
    'total (copy + constraints)',
    fmt.int(m.rows),
    fmt.secs(m.seconds.total),
    fmt.rate(m.rowsPerSecond),
    fmt.mb(m.bytes),
    fmt.mbps(m.mbPerSecond),
  ]);
  const phases =
    `phases: schema ${fmt.secs(m.seconds.schema)} s · copy ${fmt.secs(m.seconds.copy)} s · ` +
    `constraints ${fmt.secs(m.seconds.constraints)} s · validate ${fmt.secs(m.seconds.validate)} s`;
  const proc =
    `bench process: CPU ${m.process.cpuCores.toFixed(2)} cores (user ${fmt.secs(m.process.cpuUserSeconds)} s, ` +
    `system ${fmt.secs(m.process.cpuSystemSeconds)} s), peak RSS ${fmt.bytesHuman(m.process.peakRssBytes)}`;
  const diag = m.resources ? `\ndiagnosis: ${m.resources.diagnosis.verdict}${m.resources.diagnosis.evidence.length ? ` (${m.resources.diagnosis.evidence.join('; ')})` : ''}` : '';
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

/** One line per trial, for commands that run several (quick, sweep). */
export function renderTrialSummary(results: readonly TrialResult[]): string {
  const t = table(['strategy', 'parallelism', 'rows', 'copy s', 'total s', 'rows/s', 'MB/s', 'valid', 'note'], [
    'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'left',
  ]);
  for (const r of results) {
    const s = r.spec;
    if (r.state === 'skipped') {
      t.push([s.strategy, String(s.parallelism), '', '', '', '', '', '', `skipped: ${r.reason}`]);
      continue;
    }
    const m = r.metrics;
    t.push([
      s.strategy,
      String(s.parallelism),
      m ? fmt.int(m.rows) : '',
      m ? fmt.secs(m.seconds.copy) : '',
      m ? fmt.secs(m.seconds.total) : '',
      m ? fmt.rate(m.rowsPerSecond) : '',
      m ? fmt.mbps(m.mbPerSecond) : '',
      r.state === 'ok' ? 'yes' : r.phase === 'validate' ? 'NO' : '',
      r.state === 'failed' ? `failed in ${r.phase}: ${r.error}` : '',
    ]);
  }
  return t.toString();
}

/** The strategy × parallelism matrix of median rows/s, and the best point, for the end of a sweep. */
export function renderSweepSummary(a: SweepAnalysis, peers: readonly PeerSummary[] = []): string {
  const levels = a.parallelismLevels;
  const t = table(['strategy', ...levels.map((p) => `p${p}`)], ['left', ...levels.map(() => 'right' as const)]);
  for (const [strategy, row] of a.matrix) {
    t.push([strategy, ...levels.map((p) => {
      const point = row.get(p);
      return point?.stats ? fmt.rate(point.stats.rowsPerSecond.median) : '—';
    })]);
  }
  const lines = [`median rows/s (copy + constraints), ${a.trials.ok} valid / ${a.trials.failed} failed / ${a.trials.skipped} skipped trials`, t.toString()];
  if (a.best?.stats) {
    const up = speedup(a.best, a.baseline);
    lines.push(
      `best: ${a.best.point} at ${fmt.rate(a.best.stats.rowsPerSecond.median)} rows/s` +
        (a.best.stats.rme != null ? ` (±${a.best.stats.rme.toFixed(1)}%)` : '') +
        (up ? `, ${up.toFixed(1)}× csv-buffer` : ''),
    );
    if (a.best.resources) lines.push(`diagnosis of the best point: ${a.best.resources.diagnosis.verdict}`);
    for (const [strategy, line] of a.scaling) lines.push(`${strategy}: ${line}`);
  } else {
    lines.push('no point passed every trial: nothing to recommend');
  }
  for (const p of peers) {
    lines.push(
      `peer ${p.peer}/p${p.parallelism}: ` +
        (p.stats
          ? `${fmt.rate(p.stats.rowsPerSecond.median)} rows/s` + (p.benchRatio ? ` (bench best is ${p.benchRatio.toFixed(2)}× this)` : '')
          : p.skippedReason
            ? `skipped: ${p.skippedReason}`
            : `failed: ${p.errors.join('; ')}`),
    );
  }
  return lines.join('\n');
}
