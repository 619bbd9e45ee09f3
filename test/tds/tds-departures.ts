/**
 * TEST SERVER CODE (not part of bench): ways an independent SQL Server-compatible TDS server (one we did
 * not write) departed from SQL Server when bench ran against it (issue 17). Each is off by default, so
 * the test server behaves as SQL Server does; a test turns one on to reproduce what bench met there and
 * to show that bench now copes, or fails loudly, naming what it could not do.
 */
export interface Departures {
  /** The number of the login INFO messages ("Changed database context…", "Changed language setting…"); SQL Server: 5701 and 5703. */
  readonly loginInfoNumber?: number;
  /** Catalog views the server lacks (lower case, e.g. 'sys.allocation_units'): a statement naming one fails with 208. */
  readonly missingViews?: readonly string[];
  /** The error number for an object that does not exist (SQL Server: 208 "Invalid object name"). */
  readonly missingObjectNumber?: number;
  /**
   * INSERT … VALUES converts a value implicitly only within its type family (character to character,
   * binary to binary, or the column's own type): anything else, such as nvarchar text into a
   * datetimeoffset column, fails with 257 unless the statement CASTs it. SQL Server would convert.
   */
  readonly noImplicitConversion?: boolean;
  /** CONVERT(varchar(n), decimal or money[, style]) comes back blank-padded to n: ' 1.5000    ' (SQL Server: '1.5000'). */
  readonly paddedNumericText?: boolean;
  /** A statement with a COLLATE clause fails with 448 "Invalid collation" (the server lacks the collation). */
  readonly invalidCollate?: boolean;
}
