import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import type { MssqlUrl } from '../engines/mssql-url.js';
import { hasNativeDefects } from './bcp-freetds.js';
import type { BcpTool } from './bcp-tool.js';
import { BenchError, ExitCode } from '../base/errors.js';

/** Where Microsoft's packages install bcp without putting it on PATH. */
export const MICROSOFT_BCP_DIRS: readonly string[] = ['/opt/mssql-tools18/bin', '/opt/mssql-tools/bin'];

export const NO_BCP_TOOL =
  "no bcp tool installed: install Microsoft's bcp (mssql-tools18) or FreeTDS's freebcp (Debian: apt-get install freetds-bin)";

export interface LocateOptions {
  /** Search path; default $PATH. */
  readonly path?: string;
  /** Extra directories for Microsoft's bcp; default MICROSOFT_BCP_DIRS. */
  readonly microsoftDirs?: readonly string[];
}

let found: Promise<BcpTool | string> | undefined;

/** locateBcpTool() with the default search, done once per process (a sweep asks before every trial). */
export function findBcpTool(): Promise<BcpTool | string> {
  found ??= locateBcpTool();
  return found;
}

/**
 * Microsoft's bcp first (PATH, then MICROSOFT_BCP_DIRS), then freebcp on PATH. A string says why none
 * was found; it becomes the skip reason of the trial.
 */
export async function locateBcpTool(options: LocateOptions = {}): Promise<BcpTool | string> {
  const dirs = (options.path ?? process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, ...(options.microsoftDirs ?? MICROSOFT_BCP_DIRS)]) {
    const file = join(dir, 'bcp');
    if (!(await isExecutable(file))) continue;
    // Sybase's client also installs a `bcp`: only Microsoft's names Microsoft in its banner.
    const r = await execa(file, ['-v'], { reject: false, timeout: 10_000, all: true });
    const banner = typeof r.all === 'string' ? r.all : '';
    if (!/microsoft/i.test(banner)) continue;
    const version = /Version:?\s*v?(\d[\d.]*)/i.exec(banner)?.[1] ?? 'unknown';
    return { flavor: 'microsoft', path: file, version, ...majorOf(version) };
  }
  for (const dir of dirs) {
    const file = join(dir, 'freebcp');
    if (!(await isExecutable(file))) continue;
    // freebcp wants six arguments before it reads any option; -v then prints the version and exits from
    // the option parser, before any connection is attempted.
    const r = await execa(file, ['x', 'out', '/dev/null', '-S', 'x', '-v'], { reject: false, timeout: 10_000, all: true });
    const version = /freetds v?(\d[\w.]*)/i.exec(typeof r.all === 'string' ? r.all : '')?.[1] ?? 'unknown';
    return { flavor: 'freetds', path: file, version, ...majorOf(version) };
  }
  return NO_BCP_TOOL;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function majorOf(version: string): { major?: number } {
  const major = Number.parseInt(version, 10);
  return Number.isFinite(major) ? { major } : {};
}

/** One run of a tool: `out` (table → file), `queryout` (SELECT → file) or `in` (file → table). */
export interface BcpCopy {
  readonly direction: 'out' | 'queryout' | 'in';
  /** "[schema].[table]" for out and in; the SELECT text for queryout. */
  readonly object: string;
  /** The data file or named pipe. */
  readonly dataFile: string;
  /** in: rows per committed batch. */
  readonly batchSize?: number;
  /** in: whether the target table has an IDENTITY column; undefined when not known. */
  readonly identity?: boolean;
  /** freebcp: where bench writes its private connection file (a freetds.conf with one server section). */
  readonly configFile: string;
}

/** A ready-to-run command: argument array, environment, stdin, the files it needs, what to redact. */
export interface BcpCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** Added to the inherited environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Removed from the inherited environment: they would override the connection file. */
  readonly unsetEnv: readonly string[];
  /** Written to the tool's stdin. */
  readonly input?: string;
  /** Written (mode 0600) before the tool runs. */
  readonly files: readonly { readonly path: string; readonly text: string }[];
  /** Never printed: the password. */
  readonly secrets: readonly string[];
  /** Something the report should say (a setting the tool could not honour). */
  readonly note?: string;
}

/** The FreeTDS server section bench writes; -S names it. */
const FREETDS_SECTION = 'bench';
/**
 * Stop at the first rejected row (both tools default to 10) rather than load the rest: its message is on
 * the tool's output. No -e error file: it would be removed with the trial's scratch directory.
 */
const FAIL_FAST = ['-m', '1'];
/** SET TEXTSIZE's maximum. freebcp's default of 4,096 bytes would cut every (max), text and image value. */
const MAX_TEXTSIZE = '2147483647';

export function bcpCommand(tool: BcpTool, url: MssqlUrl, copy: BcpCopy): BcpCommand {
  return tool.flavor === 'freetds' ? freebcpCommand(tool, url, copy) : microsoftCommand(tool, url, copy);
}

/**
 * freebcp: the server, port or instance, TDS version and encryption go in a private freetds.conf
 * (FREETDSCONF), the login on the command line, the password on stdin. Verified against FreeTDS 1.3.17.
 */
function freebcpCommand(tool: BcpTool, url: MssqlUrl, copy: BcpCopy): BcpCommand {
  if (/[\r\n]/.test(url.password)) {
    throw new BenchError(`${url.display}: freebcp reads the password as one line from stdin; this one contains a line break`, { exitCode: ExitCode.usage });
  }
  if (url.encrypt === 'strict' && hasNativeDefects(tool)) {
    throw new BenchError(`${url.display}: FreeTDS freebcp ${tool.version} has no TDS 8 strict encryption (FreeTDS 1.4 adds it): use encrypt=true, or a newer FreeTDS or Microsoft bcp 18`, {
      exitCode: ExitCode.usage,
    });
  }
  const args = [copy.object, copy.direction, copy.dataFile, '-n', '-S', FREETDS_SECTION, '-U', url.user, '-P', '-', '-D', url.database, '-T', MAX_TEXTSIZE];
  if (copy.direction === 'in') {
    // -b is accepted but not applied in native mode up to at least 1.3.17 (freebcp.c file_native() never
    // calls bcp_control(BCPBATCH)): the whole load is one batch. Passed for the versions that do.
    if (copy.batchSize !== undefined) args.push('-b', String(copy.batchSize));
    // TABLOCK: a bulk-update lock, the condition for minimally logged loads into a heap or empty table.
    args.push('-h', 'TABLOCK', ...FAIL_FAST);
    // freebcp -E runs SET IDENTITY_INSERT … ON, which fails on a table without an IDENTITY column:
    // only when the table is known to have one.
    if (copy.identity === true) args.push('-E');
  }
  return {
    file: tool.path,
    args,
    env: { FREETDSCONF: copy.configFile, TDSVER: '7.4' },
    // Each would override the connection file (FreeTDS config.c: environment after freetds.conf).
    unsetEnv: ['TDSPORT', 'TDSHOST', 'TDSQUERY', 'DSQUERY', 'FREETDS'],
    input: `${url.password}\n`,
    files: [{ path: copy.configFile, text: freetdsConf(url) }],
    secrets: url.password ? [url.password] : [],
  };
}

/** The one-section freetds.conf for a bench URL. */
export function freetdsConf(url: MssqlUrl): string {
  for (const [what, value] of [['host', url.host], ['instance', url.instance ?? '']] as const) {
    // freetds.conf has no quoting: ';' and '#' start comments, whitespace is collapsed.
    if (/[\s;#[\]=]/.test(value)) throw new BenchError(`${url.display}: the ${what} "${value}" cannot be written to a freetds.conf`, { exitCode: ExitCode.usage });
  }
  const lines = [`[${FREETDS_SECTION}]`, `\thost = ${url.host}`];
  if (url.port !== undefined) lines.push(`\tport = ${url.port}`);
  else if (url.instance) lines.push(`\tinstance = ${url.instance}`);
  // 7.4 (SQL Server 2012+) carries date, time, datetime2 and datetimeoffset as themselves.
  lines.push('\ttds version = 7.4');
  // freebcp `out` converts char/varchar/text to the client charset, `in` sends the file's bytes as they
  // are (1.3.17): with code page 1252 — the columns' own in SQL Server's default collations — the bytes
  // come back unchanged. The locale's UTF-8 would turn every non-ASCII character into two.
  lines.push('\tclient charset = CP1252');
  // require: TLS or no connection (FreeTDS refuses a server without it); strict: TDS 8, FreeTDS 1.4+.
  lines.push(`\tencryption = ${url.encrypt === 'strict' ? 'strict' : url.encrypt ? 'require' : 'off'}`);
  if (url.encrypt && !url.trustServerCertificate) {
    // Without a CA file FreeTDS does not verify the certificate at all; "system" is the system store.
    lines.push('\tca file = system', '\tcheck certificate hostname = yes');
  } else {
    lines.push('\tcheck certificate hostname = no');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Microsoft's bcp (Linux, ODBC driver): `-S tcp:host,port` or `host\instance`, `-d`, `-U`, `-P` (see the
 * module comment), and from version 18 `-Y` for the encryption mode and `-u` to trust the certificate.
 * Not verified here: no Microsoft package can be installed on our machines.
 */
function microsoftCommand(tool: BcpTool, url: MssqlUrl, copy: BcpCopy): BcpCommand {
  const server = url.port !== undefined ? `tcp:${url.host},${url.port}` : url.instance ? `${url.host}\\${url.instance}` : url.host;
  const args = [copy.object, copy.direction, copy.dataFile, '-n', '-S', server, '-d', url.database, '-U', url.user, '-P', url.password];
  if ((tool.major ?? 0) >= 18) {
    // bcp 18 (ODBC Driver 18): -Ym mandatory (its default), -Ys strict (TDS 8), -Yo optional, as encrypt=false.
    args.push(url.encrypt === 'strict' ? '-Ys' : url.encrypt ? '-Ym' : '-Yo');
    if (url.trustServerCertificate) args.push('-u');
  } else if (url.encrypt !== false) {
    // Refused, not copied in plaintext (issue 17): encryption was asked for and cannot be requested.
    throw new BenchError(
      `${url.display}: Microsoft bcp ${tool.version} cannot request encryption on the command line (bcp 18 adds -Y): install bcp 18, or allow plaintext with ?encrypt=false`,
      { exitCode: ExitCode.usage },
    );
  }
  if (copy.direction === 'in') {
    if (copy.batchSize !== undefined) args.push('-b', String(copy.batchSize));
    args.push(...FAIL_FAST);
    // KEEPIDENTITY: the file's values, not new ones. Harmless on a table without an IDENTITY column.
    if (copy.identity !== false) args.push('-E');
    // No -h "TABLOCK": Microsoft documents -h as unavailable in the Linux bcp ("Connecting with bcp").
  }
  return { file: tool.path, args, env: {}, unsetEnv: [], files: [], secrets: url.password ? [url.password] : [] };
}
