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
