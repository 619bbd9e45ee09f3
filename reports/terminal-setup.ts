import { redactUrl } from '../harness/base/connection-url.js';
import type { SeedReport } from '../harness/dataset/seed-dataset.js';
import type { ValidationRow } from '../harness/model/trial.js';
import { formatPlatformRows } from '../harness/platform/classify.js';
import type { PlatformClass, PlatformInfo } from '../harness/platform/types.js';
import { fmt } from './format.js';
import { table } from './terminal-table.js';

/** The tables of the commands around a sweep: up, status, detect, profile list and seed. */

export interface ServerRow {
  readonly role: string;
  readonly state: string;
  /** Printed redacted: it may carry a password. */
  readonly url?: string;
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

/** `bench up` and `bench status`: one row per server, its details one per line. */
export function renderServers(rows: readonly ServerRow[]): string {
  const t = table(['role', 'state', 'url', 'details']);
  for (const r of rows) {
    t.push([
      r.role,
      r.state,
      r.url ? redactUrl(r.url) : '',
      Object.entries(r.details)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join('\n'),
    ]);
  }
  return t.toString();
}

/** `bench detect`: the machine's facts, then what bench makes of them. */
export function renderPlatform(info: PlatformInfo, verdict: PlatformClass): string {
  const t = table([]);
  for (const [label, value] of formatPlatformRows(info)) t.push([label, value]);
  t.push(['platform kind', verdict.kind]);
  t.push(['usable CPUs', String(verdict.effectiveCpus)]);
  t.push(['starting profile', `${verdict.profile} (bench profile export ${verdict.profile})`]);
  return t.toString();
}

/** `bench profile list`: one line each, the description's first sentence (the full text is in `--json` and the profile files). */
export function renderProfileList(profiles: readonly { name: string; description?: string }[], columns: number): string {
  const firstSentence = (text: string) => /^.*?\.(?=\s|$)/.exec(text)?.[0] ?? text;
  const width = Math.max(60, Math.min(100, columns));
  const t = table(['profile', 'what it is for'], undefined, { colWidths: [22, width - 25], wordWrap: true, style: { compact: true } });
  for (const p of profiles) t.push([p.name, firstSentence(p.description ?? '')]);
  return t.toString();
}

/** `bench seed` on PostgreSQL: rows, load seconds and size per table, largest first, and the totals. */
export function renderSeedTables(report: SeedReport): string {
  const t = table(['table', 'rows', 'load s', 'size'], ['left', 'right', 'right', 'right']);
  for (const r of [...report.tables].sort((a, b) => b.rows - a.rows)) t.push([r.name, fmt.int(r.rows), fmt.secs(r.seconds), fmt.bytesHuman(r.bytes)]);
  const bytes = report.tables.reduce((n, r) => n + r.bytes, 0);
  t.push(['total', fmt.int(report.tables.reduce((n, r) => n + r.rows, 0)), fmt.secs(report.seconds), fmt.bytesHuman(bytes)]);
  return t.toString();
}

/** `bench seed` into SQL Server: what validation found per table after the copy from the staging PostgreSQL. */
export function renderSeedValidation(rows: readonly ValidationRow[]): string {
  const t = table(['table', 'rows', 'validation'], ['left', 'right', 'left']);
  for (const v of rows) t.push([v.table, fmt.int(v.targetRows), v.match ? 'rows and checksum match' : 'MISMATCH']);
  return t.toString();
}
