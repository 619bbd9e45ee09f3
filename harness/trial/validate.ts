import type { ValidationRow } from '../model/trial.js';
import { copiedColumns, qualified, type Table } from '../model/catalog.js';
import type { Database, ReadOptions, SnapshotRef, TableFingerprint } from '../model/database.js';
import type { SourceFingerprints } from '../model/fingerprint-cache.js';
import { forEachLimited } from '../base/concurrency.js';

/**
 * Row counts and content checksums computed inside both databases (never by pulling rows into Node),
 * table by table: every table the trial copied, partitions included. The source side is read in the
 * trial's snapshot, the one the copy read, so a source written to meanwhile still validates; a sweep
 * passes a cache, which hands a fingerprint only to trials whose snapshot sees the same data.
 */
export async function validateCopy(
  source: Database,
  target: Database,
  tables: readonly Table[],
  options: { parallelism: number; sourceCache?: SourceFingerprints; snapshot?: SnapshotRef },
): Promise<ValidationRow[]> {
  const read: ReadOptions = options.snapshot ? { snapshot: options.snapshot.id } : {};
  const version = options.snapshot?.version;
  const rows = new Map<string, ValidationRow>();
  await forEachLimited(tables, options.parallelism, async (t) => {
    const copied = copiedColumns(t);
    const columns = copied.map((c) => c.name);
    const key = qualified(t);
    const cached = options.sourceCache?.get(key, version);
    const targetName = { schema: t.schema, name: t.name };
    // Across engines the row-text hash cannot match: both sides compute the portable per-column
    // aggregates instead (engines/portable-fingerprint.ts), typed by the source catalog.
    const portable = source.engine !== target.engine && source.fingerprintPortable && target.fingerprintPortable;
    let [s, d] = await Promise.all([
      cached ?? (portable ? source.fingerprintPortable!(t, copied, undefined, read) : source.fingerprint(t, columns, read)),
      portable ? target.fingerprintPortable!(targetName, copied) : target.fingerprint(targetName, columns),
    ]);
    // A probe one side could not compute is left out on both, so they compare the same probes.
    const skip = new Set([...(s.unverifiable ?? []), ...(d.unverifiable ?? [])].map((u) => u.key));
    const covers = (f: TableFingerprint) => (f.unverifiable ?? []).length === skip.size;
    if (portable && !covers(s)) s = await source.fingerprintPortable!(t, copied, skip, read);
    if (portable && !covers(d)) d = await target.fingerprintPortable!(targetName, copied, skip);
    options.sourceCache?.set(key, version, s);
    const reasons = [...(s.unverifiable ?? []), ...(d.unverifiable ?? [])].map((u) => u.reason);
    rows.set(key, {
      table: key,
      sourceRows: s.rows,
      targetRows: d.rows,
      sourceChecksum: s.checksum,
      targetChecksum: d.checksum,
      match: s.rows === d.rows && s.checksum === d.checksum,
      ...(reasons.length > 0 ? { unverifiable: reasons } : {}),
    });
  });
  return tables.map((t) => rows.get(qualified(t))!);
}

export function validationPassed(rows: readonly ValidationRow[]): boolean {
  return rows.every((r) => r.match);
}

/** "2 of 9 tables differ: public.votes (rows 100 vs 99), public.posts (checksum)". */
export function describeMismatch(rows: readonly ValidationRow[]): string {
  const bad = rows.filter((r) => !r.match);
  const parts = bad.map((r) =>
    r.sourceRows !== r.targetRows
      ? `${r.table} (rows ${r.sourceRows} vs ${r.targetRows})`
      : `${r.table} (checksum ${r.sourceChecksum} vs ${r.targetChecksum})`,
  );
  return `${bad.length} of ${rows.length} tables differ after the copy: ${parts.join(', ')}`;
}
