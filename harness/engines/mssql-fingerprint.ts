import { qualified, type Column, type QualifiedName } from '../model/catalog.js';
import { BenchError } from '../base/errors.js';
import type { Role } from '../model/roles.js';
import type { TableFingerprint, UnverifiableProbe } from '../model/database.js';
import type { ResultRow } from './mssql-introspect.js';
import { describeMssqlError, isServerError } from './mssql-pool.js';
import { portableFingerprintSql } from './mssql-sql.js';
import { portableConverter } from './mssql-types.js';
import { portableChecksum, probeKey, probesFor, type Probe } from './portable-fingerprint.js';

/**
 * The portable fingerprint of a SQL Server table: every probe in one query. When the server cannot run
 * one of them (issue 17: an unknown collation in the uuid probe), the row count is read alone (a failure
 * there names the table and stops), then the probes are halved and retried until each failing probe
 * stands alone: its column is reported unverifiable, every other probe still counts. `skip` leaves
 * probes out by probeKey, so both sides of a validation compare the same ones.
 */
export async function probingFingerprint(
  table: QualifiedName,
  columns: readonly Column[],
  where: { readonly role: Role; readonly display: string; readonly skip?: ReadonlySet<string> | undefined },
  run: (sql: string) => Promise<ResultRow[][]>,
): Promise<TableFingerprint> {
  const probes = probesFor(columns).filter((p) => !where.skip?.has(probeKey(p)));
  const fail = (err: unknown) => new BenchError(`${where.display}: fingerprint of ${qualified(table)}: ${describeMssqlError(err)}`, { cause: err });
  const probeRow = async (group: readonly Probe[]) => (await run(portableFingerprintSql(table, group)))[0]?.[0] ?? {};
  const values = new Map<Probe, unknown>();
  const unverifiable: UnverifiableProbe[] = [];
  const keep = (group: readonly Probe[], row: ResultRow) => group.forEach((p) => values.set(p, row[p.alias]));
  const bisect = async (group: readonly Probe[]): Promise<void> => {
    try {
      keep(group, await probeRow(group));
    } catch (err) {
      if (!isServerError(err)) throw fail(err);
      if (group.length > 1) {
        const half = Math.ceil(group.length / 2);
        await bisect(group.slice(0, half));
        await bisect(group.slice(half));
        return;
      }
      const p = group[0]!;
      unverifiable.push({ key: probeKey(p), reason: `${p.column.name} (${p.column.portable.kind}): ${p.kind} failed on the ${where.role}: ${describeMssqlError(err)}` });
    }
  };
  let row: ResultRow;
  try {
    row = await probeRow(probes);
    keep(probes, row);
  } catch (err) {
    if (!isServerError(err)) throw fail(err);
    row = await probeRow([]).catch((e: unknown) => {
      throw fail(e);
    });
    await bisect(probes);
  }
  const counted = probes.filter((p) => values.has(p));
  const shown = counted.map((p) => {
    const v = values.get(p);
    // Temporal extremes arrive as Dates: print them as the copy does, by the portable type both sides share.
    return v instanceof Date ? portableConverter(p.column.portable)(v) : v;
  });
  return { rows: Number(row.rows ?? 0), checksum: portableChecksum(counted, shown), ...(unverifiable.length > 0 ? { unverifiable } : {}) };
}
