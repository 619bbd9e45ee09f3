/**
 * Errors the user should see as one line. Anything thrown inside bench that is not a BenchError is turned
 * into one by describeError() at the single catch in cli.ts, so no stack trace reaches the terminal.
 */

/** Exit codes: 0 ok, 1 the job ran and failed (validation, regression), 2 bad input, 130 interrupted. */
export const ExitCode = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export class BenchError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BenchError';
    this.exitCode = options.exitCode ?? ExitCode.failed;
  }
}

/** Every problem found in the options, collected and thrown once (STYLE rule 4). */
export class ConfigError extends BenchError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`, {
      exitCode: ExitCode.usage,
    });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Ctrl-C or SIGTERM: the command unwinds, cleans up, and exits 130. */
export class InterruptedError extends BenchError {
  constructor(signal = 'SIGINT') {
    super(`interrupted by ${signal}; cleaned up what this command started, finished results are kept`, {
      exitCode: ExitCode.interrupted,
    });
    this.name = 'InterruptedError';
  }
}

/**
 * Something threw or rejected where no code of bench's could catch it (an unhandled rejection, an
 * uncaught exception). The command stops as on Ctrl-C (the lifecycle aborts its signal with this
 * error), but it is a failure: the trial under way is recorded with it and bench exits 1.
 */
export class UnexpectedError extends BenchError {
  constructor(cause: unknown) {
    super(`unexpected failure: ${describeError(cause)} (bench stopped, cleaned up what this command started and kept finished results; please report it)`, { cause });
    this.name = 'UnexpectedError';
  }
}

/**
 * A server ended one of bench's sessions mid-work. Names the side and the server, and the likely cause:
 * when a backend is terminated (pg_terminate_backend) the client often sees only the socket's symptom
 * (ECONNRESET, EPIPE, "Connection terminated unexpectedly"), never the server's reason, so neither the
 * network nor a firewall is blamed (issue 16).
 */
export class ConnectionLostError extends BenchError {
  constructor(role: string, endpoint: string, errors: readonly unknown[]) {
    const server = errors.find((e): e is { code: string; message: string } => typeof (e as { code?: unknown } | null)?.code === 'string' && /^57P0[123]$/.test((e as { code: string }).code));
    const symptom = errors.map((e) => (e instanceof Error ? e.message : undefined)).find((m) => m !== undefined && m !== '');
    const why =
      server?.code === '57P01'
        ? `an administrator terminated it (pg_terminate_backend), or the server is shutting down ("${firstLine(server.message)}")`
        : server
          ? `the server is restarting or recovering ("${firstLine(server.message)}")`
          : `an administrator terminated it (pg_terminate_backend), or the server stopped or crashed (${firstLine(symptom ?? 'connection closed')})`;
    super(`the ${role} server ${endpoint} ended bench's session: ${why}; see the server log, and run again once it answers`, {
      cause: errors[0],
    });
    this.name = 'ConnectionLostError';
  }
}

/** An error that comes with the end of the connection it arrived on (not a failed statement). */
export function isConnectionLoss(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code)) return true;
  return err instanceof Error && /Connection terminated|connection closed|Client has encountered a connection error/i.test(err.message);
}

export function isAbortError(err: unknown): boolean {
  return err instanceof InterruptedError || (err instanceof Error && err.name === 'AbortError');
}

/** Throws the signal's reason (an InterruptedError when set by the lifecycle) if it has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new InterruptedError();
}

interface SystemErrorLike {
  code?: string;
  errno?: number;
  address?: string;
  port?: number;
  syscall?: string;
  message?: string;
}

/**
 * One line for any error. `where` names the object ("source database at postgres://u@h:5432/db") so the
 * message says what failed, and the hint says what to do.
 */
export function describeError(err: unknown, where?: string): string {
  if (err instanceof BenchError) return err.message;
  const prefix = where ? `${where}: ` : '';
  if (err instanceof AggregateError && err.errors.length > 0) return describeError(err.errors[0], where);
  if (typeof err === 'object' && err !== null) {
    const e = err as SystemErrorLike & { severity?: string };
    const pg = describePostgresError(e);
    if (pg) return prefix + pg;
    const sys = describeSystemError(e);
    if (sys) return prefix + sys;
    // pg's words when the server wants a password and none was given (no password in the URL, no PGPASSWORD).
    if (typeof e.message === 'string' && /client password must be a string/.test(e.message)) {
      return `${prefix}the server asks for a password and none was given: put it in the URL (postgres://user:password@host/database) or set PGPASSWORD`;
    }
    if (typeof e.message === 'string' && e.message.length > 0) return prefix + firstLine(e.message);
  }
  return prefix + firstLine(String(err));
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** PostgreSQL SQLSTATEs we can give advice for (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
function describePostgresError(e: SystemErrorLike & { severity?: string }): string | undefined {
  if (!e.severity || typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  const message = firstLine(e.message ?? '');
  switch (e.code) {
    case '28P01':
    case '28000':
      return `${message} (check the user and password in the URL, or PGUSER/PGPASSWORD)`;
    case '3D000':
      return `${message} (create it, or name an existing database in the URL)`;
    case '42P01':
      return `${message} (check --tables and the schema name)`;
    case '53300':
      return `${message} (lower --parallelism or raise max_connections in the profile)`;
    case '53100':
      return `${message} (the disk is full: free space or point the state directory elsewhere)`;
    case '57P01':
    case '57P02':
    case '57P03':
      return `${message} (the server is shutting down or starting: retry, or run \`bench up\`)`;
    default:
      return `${message} [SQLSTATE ${e.code}]`;
  }
}

function describeSystemError(e: SystemErrorLike): string | undefined {
  const at = e.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : undefined;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `nothing is listening at ${at ?? 'that address'} (is the server running? \`bench up\` starts the native ones)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host name not found${e.message ? ` (${firstLine(e.message).replace(/^getaddrinfo \w+ /, '')})` : ''} (check the host in the URL)`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `could not reach ${at ?? 'the server'} (${e.code}; check the host, port and firewall)`;
    case 'ECONNRESET':
    case 'EPIPE':
      // The server closing a session (a terminated backend, a restart) looks like this on the client.
      return `the connection${at ? ` to ${at}` : ''} was closed (${e.code}): the server ended the session (an administrator, a restart or a crash: see its log)`;
    case 'EADDRINUSE':
      return `port ${e.port ?? ''} is already in use (pass another port or run \`bench down\`)`;
    case 'ENOSPC':
      return `no space left on device${e.message ? ` (${firstLine(e.message)})` : ''}: free disk space or move the state/spill directory`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied${e.message ? ` (${firstLine(e.message)})` : ''}`;
    default:
      return undefined;
  }
}
