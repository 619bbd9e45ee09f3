/**
 * What each PostgreSQL setting a profile may hold does for a bulk load, PostgreSQL's own default (the
 * value to go back to when the server had none of its own), whether a change needs a restart, and the
 * settings that trade durability for speed. Data, not code: the postgresql.conf export reads it, and a
 * setting missing here is still exported, with a note saying bench has none.
 *
 * Defaults are PostgreSQL 15's (pg_settings.boot_val); sources: the PostgreSQL 15 documentation,
 * "Server Configuration" and "Populating a Database" (14.4).
 */
export interface SettingNote {
  /** What the setting does for the load, in one line. */
  readonly does: string;
  /** PostgreSQL's built-in default. */
  readonly default: string;
  /** Takes effect only when the server restarts (postmaster context). */
  readonly restart?: boolean;
  /**
   * It risks data for speed. `comment`: the export writes it commented out, never applied by `include`
   * alone; `warn`: applied, with the risk spelled out.
   */
  readonly risk?: { readonly level: 'comment' | 'warn'; readonly what: string };
}

export const settingNotes: Readonly<Record<string, SettingNote>> = {
  max_connections: { does: 'sessions the server accepts: the copy opens one per task at once on each side, plus a few for side queries', default: '100', restart: true },
  shared_buffers: { does: 'the server\'s page cache; a larger one absorbs the load\'s writes between checkpoints', default: '128MB', restart: true },
  effective_cache_size: { does: 'the planner\'s estimate of the OS cache (allocates nothing); matters for the index builds\' and validation queries\' plans', default: '4GB' },
  maintenance_work_mem: { does: 'memory for each CREATE INDEX and ADD FOREIGN KEY after the load: more means fewer sort passes', default: '64MB' },
  work_mem: { does: 'memory per sort or hash in a query (the validation checksums)', default: '4MB' },
  wal_buffers: { does: 'WAL held in memory before it is written; bulk COPY fills the default quickly', default: '-1 (1/32 of shared_buffers, at most 16MB)', restart: true },
  max_wal_size: { does: 'WAL between checkpoints: a larger one means fewer checkpoints (and full-page writes) during the load', default: '1GB' },
  min_wal_size: { does: 'WAL kept for reuse after a checkpoint', default: '80MB' },
  checkpoint_timeout: { does: 'the longest time between checkpoints', default: '5min' },
  checkpoint_completion_target: { does: 'how much of the interval a checkpoint spreads its writes over', default: '0.9' },
  wal_compression: { does: 'compress full-page images in WAL: less WAL I/O for more CPU', default: 'off' },
  autovacuum: {
    does: 'background VACUUM and ANALYZE; off keeps workers from scanning half-loaded tables (run ANALYZE yourself after the load)',
    default: 'on',
  },
  synchronous_commit: {
    does: 'whether a commit waits for its WAL to reach disk; off lets the load run ahead of the disk',
    default: 'on',
    risk: { level: 'warn', what: 'a crash loses the commits of the last moments (up to three times wal_writer_delay, 0.6 s by default), never corrupts: reload the tables that were loading' },
  },
  fsync: {
    does: 'whether PostgreSQL forces writes to disk at all',
    default: 'on',
    risk: { level: 'comment', what: 'with fsync off a crash or power loss can corrupt the whole cluster, not only the tables being loaded: only for a cluster you can recreate from scratch' },
  },
  full_page_writes: {
    does: 'whole pages written to WAL after each checkpoint, so a torn page can be repaired',
    default: 'on',
    risk: { level: 'comment', what: 'with full_page_writes off a crash mid-write can leave torn pages that WAL cannot repair: silent corruption' },
  },
  wal_level: {
    does: 'how much WAL is written; minimal skips WAL for tables created or truncated in the loading transaction',
    default: 'replica',
    restart: true,
    risk: { level: 'comment', what: 'minimal breaks streaming replicas, archiving and point-in-time recovery, needs max_wal_senders = 0 and archive_mode = off, and a restart; take a new base backup after the load' },
  },
  max_wal_senders: {
    does: 'replication connections; 0 is required by wal_level = minimal',
    default: '10',
    restart: true,
    risk: { level: 'comment', what: '0 disconnects every replica and stops WAL streaming' },
  },
  archive_mode: {
    does: 'WAL archiving for backups and point-in-time recovery',
    default: 'off',
    restart: true,
    risk: { level: 'comment', what: 'off stops archiving: the backups\' WAL chain breaks until a new base backup' },
  },
  max_worker_processes: { does: 'background workers, parallel query and index builds included', default: '8', restart: true },
  max_parallel_maintenance_workers: { does: 'workers one CREATE INDEX may use', default: '2' },
  max_parallel_workers: { does: 'parallel workers at once across the server', default: '8' },
  effective_io_concurrency: { does: 'concurrent I/O requests the planner assumes for bitmap scans', default: '1' },
  random_page_cost: { does: 'the planner\'s cost of a random page read (lower for SSDs)', default: '4' },
  huge_pages: { does: 'use huge pages for shared memory', default: 'try', restart: true },
  temp_buffers: { does: 'per-session memory for temporary tables', default: '8MB' },
  commit_delay: { does: 'microseconds a commit waits to group with others', default: '0' },
  wal_writer_delay: { does: 'how often the WAL writer flushes', default: '200ms' },
  bgwriter_lru_maxpages: { does: 'pages the background writer writes per round', default: '100' },
};
