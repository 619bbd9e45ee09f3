/** A bulk-copy tool found on this machine: which one, where, and its version. */

/**
 * The bulk-copy tools the bcp strategy drives: Microsoft's `bcp` (mssql-tools18 / mssql-tools, over ODBC)
 * or FreeTDS's `freebcp` (Debian: freetds-bin). One job: find a tool, know its version, and build the
 * argument arrays (never a shell string) for a native-format copy out of or into SQL Server.
 *
 * Passwords: freebcp reads it from stdin (`-P -`, FreeTDS's getpassarg), so it never reaches argv or the
 * environment. Microsoft's bcp cannot hide it: `-P` is its only non-interactive way (no environment
 * variable — SQLCMDPASSWORD is sqlcmd's —, a DSN (`-D`) cannot hold one, and without `-P` it prompts on
 * the terminal), so its password is visible in the process list while it runs. bench masks it in every
 * message (displayArgs, and bcp-output.ts redact()).
 */
export type BcpFlavor = 'microsoft' | 'freetds';

export interface BcpTool {
  readonly flavor: BcpFlavor;
  /** Absolute path of the executable. */
  readonly path: string;
  /** As the tool reports it: "18.2.0001.1", "1.3.17". */
  readonly version: string;
  /** Major version when known: Microsoft's bcp 18 added -u (trust the certificate) and -Y (encryption). */
  readonly major?: number;
}
