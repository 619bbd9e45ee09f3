/** Defaults that several steps read; config/ owns them. */

/** Tables smaller than this are not worth splitting: a part's fixed cost (a connection, a query) dominates. */
export const DEFAULT_PARTITION_MIN_ROWS = 50_000;
