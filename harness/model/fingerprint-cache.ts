import type { TableFingerprint } from './database.js';

/**
 * Source fingerprints shared by the trials of one command. Each trial reads the source in its own
 * snapshot; a fingerprint computed under one snapshot version (SnapshotRef.version) is handed only to
 * trials that see the same data. A source written to between trials gets a new version, and the cache
 * starts over. Without a snapshot (a SQL Server source) the version is undefined and the source is taken
 * to be unchanged between trials, as it always was.
 */
export class SourceFingerprints {
  private version: string | undefined;
  private readonly byTable = new Map<string, TableFingerprint>();

  /** The fingerprint of `table` (its qualified name) computed at this version, if any. */
  get(table: string, version: string | undefined): TableFingerprint | undefined {
    return version === this.version ? this.byTable.get(table) : undefined;
  }

  set(table: string, version: string | undefined, fingerprint: TableFingerprint): void {
    if (version !== this.version) {
      this.byTable.clear();
      this.version = version;
    }
    this.byTable.set(table, fingerprint);
  }

  /** The last fingerprint computed for `table`, whatever its version (exact row counts for the results). */
  latest(table: string): TableFingerprint | undefined {
    return this.byTable.get(table);
  }
}
