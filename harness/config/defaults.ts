/** Defaults that several steps read; config/ owns them. */

/** Tables smaller than this are not worth splitting: a part's fixed cost (a connection, a query) dominates. */
export const DEFAULT_PARTITION_MIN_ROWS = 50_000;

/**
 * Warm-up runs per contender before its measured trials. One: a fresh cluster's first loads cost up to
 * 3× more (new WAL segments, cold caches), and a warm-up takes that cost where it is never counted.
 */
export const DEFAULT_WARMUP = 1;

/** `bench check`: slowdowns up to this share are never regressions (--threshold, in percent). */
export const DEFAULT_THRESHOLD = 0.1;

/**
 * Named sets of target server settings for `--server-settings` (a sweep dimension: the target is
 * restarted with each set on top of the profile's settings). `profile` changes nothing. Each preset is
 * one of the levers the seeds and PostgreSQL's "Populating a Database" name for bulk loads.
 */
export const SERVER_SETTINGS_PRESETS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  profile: {},
  // COPY into a table created or truncated in the same transaction then writes no WAL at all.
  'wal-minimal': { wal_level: 'minimal', max_wal_senders: '0', archive_mode: 'off' },
  // Fewer checkpoints (and full-page images after each) during the load.
  'big-wal': { max_wal_size: '16GB', checkpoint_timeout: '30min' },
  // Index builds after the load: more memory per sort, parallel workers for CREATE INDEX.
  'index-build': { maintenance_work_mem: '1GB', max_parallel_maintenance_workers: '2' },
  'small-buffers': { shared_buffers: '128MB' },
};
