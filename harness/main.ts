import { Command, CommanderError, Option } from 'commander';
import { strategyNames } from '../strategies/index.js';
import { downCommand } from './commands/down.js';
import { runCommand } from './commands/run.js';
import { statusCommand } from './commands/status.js';
import { upCommand } from './commands/up.js';
import { sweepCommand } from './commands/sweep.js';
import { reportCommand } from './commands/report.js';
import { detectCommand } from './commands/detect.js';
import { seedCommand } from './commands/seed.js';
import { quickCommand } from './commands/quick.js';
import { checkCommand, compareCommand } from './commands/check.js';
import { profileExportCommand } from './commands/profile-export.js';
import type { RawOptions } from './config/options.js';
import { BenchError, describeError, ExitCode, isAbortError } from './base/errors.js';
import { Lifecycle } from './base/lifecycle.js';
import { log, setVerbosity } from './base/log.js';
import { packageVersion } from './base/paths.js';

type CommandFn = (raw: RawOptions, lifecycle: Lifecycle) => Promise<number>;

/** Options every command that touches servers understands. */
function serverOptions(cmd: Command): Command {
  cmd
    .addOption(new Option('--provider <name>', 'where databases come from: native (local clusters) or docker').default(undefined))
    .option('--profile <name|file>', 'server settings and copy defaults (built-in name or JSON file)', undefined)
    .option('--state-dir <dir>', 'where bench keeps clusters and state (default ./.bench or $BENCH_STATE_DIR)')
    .option('--source-url <url>', 'use an existing source database: postgres://… (PG* variables fill gaps) or mssql://user:pw@host:1433/db')
    .option('--target-url <url>', 'use an existing target database (postgres://… or mssql://…)')
    .option('--source-port <port>', 'port for the native source cluster (default: first free from 55432); with --source-host, the server\'s port')
    .option('--target-port <port>', 'port for the native target cluster (default: first free from 55433); with --target-host, the server\'s port');
  for (const side of ['source', 'target'] as const) {
    cmd
      .option(`--${side}-host <host>`, `an existing ${side} server by parts instead of --${side}-url (with the options below)`)
      .option(`--${side}-engine <name>`, `${side} server engine: postgres (default) or mssql`)
      .option(`--${side}-user <name>`, `${side} login`)
      .option(`--${side}-password <password>`, `${side} password (visible in the process list: prefer $BENCH_${side.toUpperCase()}_PASSWORD)`)
      .option(`--${side}-database <name>`, `${side} database`)
      .option(`--${side}-instance <name>`, `SQL Server named instance (its port comes from SQL Browser)`)
      .option(`--${side}-encrypt <mode>`, `SQL Server: encrypt the connection, true (default: refused when the server offers no TLS), false (plaintext allowed) or strict (TDS 8)`)
      .option(`--${side}-trust-server-certificate`, `SQL Server: accept the server's certificate without checking it`);
  }
  return cmd
    .option('--image <ref>', 'docker provider: image for both databases (default postgres:16-alpine; $BENCH_DOCKER_IMAGE)')
    .option('--cpus <n>', 'docker provider: CPU limit per database container (default from the profile)')
    .option('--memory <size>', 'docker provider: memory limit per database container, e.g. 4GB (default from the profile)');
}

function copyOptions(cmd: Command): Command {
  return cmd
    .option('-s, --strategy <name>', `copy strategy: ${strategyNames.join(', ')}`)
    .option('-p, --parallelism <n>', 'tables copied at once (default from the profile, 2)')
    .option('--batch-size <rows>', 'rows per INSERT batch for row strategies (default 5000; csv-buffer 1000)')
    .option('--queue-size <rows>', 'rows the pipeline queue holds between reader and writer (default 10000)')
    .option('--chunk-size <rows>', 'rows per committed chunk for chunked (default 100000)')
    .option('--spill-dir <dir>', 'where csv-buffer writes its CSV files (default: <state-dir>/spill)')
    .option('--constraints <mode>', 'keys, indexes and foreign keys: after the load (default), before it (load by FK level), or none')
    .option('--copy-format <format>', 'COPY format for native-bulk: binary (default), text or csv')
    .option('--copy-relay <mode>', 'PostgreSQL → PostgreSQL native-bulk: framed (default: forward the server\'s COPY messages as they are) or parsed (re-frame every row)')
    .option('--partition-min-rows <rows>', 'only split tables with at least this many rows (default 50000)')
    .option('--workers <n|auto>', 'worker threads for row strategies (default auto: one per 4 cores, 0 on small machines)')
    .option('--tables <list...>', 'only these tables: names or patterns like public.posts, sales.* (comma or space separated; quote names with dots or commas: \'"public"."a.b"\')');
}

/** The sweep's options, shared by `sweep` and `check` (which runs a sweep when given no --current). */
function copySweepOptions(cmd: Command): Command {
  return cmd
    .option('--strategies <list...>', `strategies to sweep (default all: ${strategyNames.join(', ')})`)
    .option('-p, --parallelism <list...>', 'parallelism levels, e.g. 1,2,4,8 (default from the profile)')
    .option('--partitions <list...>', 'partitions per large table, e.g. 1,4 (default 1,4)')
    .option('--batch-sizes <list...>', 'INSERT batch sizes for row strategies (default: each strategy\'s own)')
    .option('--repeat <n>', 'trials per point (default 3; statistics need at least 2)')
    .option('--warmup <n>', 'untimed-for-the-statistics runs of every contender before its measured ones (default 1; 0 for none)')
    .option('--quick', 'preset: every strategy at parallelism 2 and 4, once (about two minutes at scale 0.01)')
    .option('--search <mode>', 'grid (default) or adaptive (climb parallelism from the profile, stop inside the noise)')
    .option('--out <dir>', 'where results.json, trials.jsonl, report.md, charts/ and profile.json go (default bench-results/sweep)')
    .option('--resume', 'continue the sweep in --out, skipping finished trials')
    .option('--versus <results.json>', 'adaptive search: report how close it came to this grid sweep\'s best')
    .option('--peers <list...>', 'peer tools to measure alongside: server-copy, psql-pipe, pg-dump-restore, pgcopydb, all (default) or none (quick: server-copy,psql-pipe)')
    .option('--no-peers', 'measure bench only')
    .option('--peer-parallelism <list...>', 'parallelism levels for the peers (default: the grid\'s; quick: 2)')
    .option('--fresh', 'start over even if --out holds an earlier sweep (its trial log is kept aside)')
    .option('--queue-size <rows>', 'pipeline queue size (default 10000)')
    .option('--chunk-size <rows>', 'rows per committed chunk for chunked (default 100000)')
    .option('--spill-dir <dir>', 'where csv-buffer writes its CSV files')
    .option('--constraints <mode>', 'after (default), before or none')
    .option('--copy-format <format>', 'COPY format for native-bulk: binary (default), text or csv')
    .option('--copy-relay <mode>', 'PostgreSQL → PostgreSQL native-bulk: framed (default: forward the server\'s COPY messages as they are) or parsed (re-frame every row)')
    .option('--partition-min-rows <rows>', 'only split tables with at least this many rows (default 50000)')
    .option('--workers <n|auto>', 'worker threads for row strategies (default auto: one per 4 cores, 0 on small machines)')
    .option('--tables <list...>', 'only these tables');
}

export function buildProgram(run: (fn: CommandFn, raw: RawOptions) => Promise<void>): Command {
  const program = new Command('bench')
    .description('Benchmark and tune bulk database copy: which strategy and settings are fastest on this machine, and why.')
    .version(packageVersion)
    .option('-q, --quiet', 'only results and errors')
    .option('-v, --verbose', 'more detail on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const action = (fn: CommandFn) =>
    async function (this: Command) {
      await run(fn, this.optsWithGlobals());
    };

  serverOptions(program.command('up').description('start (or reuse) the source and target databases')).action(action(upCommand));
  serverOptions(program.command('down').description('stop and remove the databases bench started')).action(action(downCommand));
  serverOptions(program.command('status').description('show the databases bench manages')).action(action(statusCommand));
  copyOptions(serverOptions(program.command('run').description('reset the target, copy once with one strategy, validate, report')))
    .option('--partitions <n>', 'split each large table into n key ranges copied as separate tasks (default 1)')
    .option('--json <file>', 'also write the result as JSON')
    .action(action(runCommand));
  copySweepOptions(serverOptions(program.command('sweep').description('run a grid of strategies × parallelism × partitions × batch sizes, validate every trial, report the fastest')))
    .action(action(sweepCommand));
  copySweepOptions(serverOptions(program.command('check').description('fail (exit 1) when throughput regressed against a baseline results.json, beyond threshold and noise')))
    .requiredOption('--baseline <file>', 'results.json of the reference sweep')
    .option('--current <file>', 'results.json to check (default: run the sweep the other options describe)')
    .option('--threshold <percent>', 'slowdowns up to this are never regressions (default 10)')
    .action(action(checkCommand));
  program
    .command('compare')
    .description('two results files side by side: rows/s, change and verdict per point')
    .argument('<a>', 'results.json (before)')
    .argument('<b>', 'results.json (after)')
    .option('--threshold <percent>', 'as for check (default 10)')
    .action(async function (this: Command, a: string, b: string) {
      await run(compareCommand, { ...this.optsWithGlobals(), a, b });
    });
  serverOptions(program.command('seed').description('create the StackOverflow-shaped dataset in the source database (deterministic, generated in the server)'))
    .option('--scale <s>', 'fraction of StackOverflow2013 (1 = 106.5M rows; default 0.01 = 1.07M rows)')
    .option('--seed <n>', 'random seed: same scale and seed give byte-identical data (default 1)')
    .option('--concurrency <n>', 'tables generated at once (default 2)')
    .option('--force', 're-seed even when the same dataset is already there')
    .action(action(seedCommand));
  copySweepOptions(serverOptions(program.command('quick').description('the main job: up, seed scale 0.01 if needed, quick sweep of every strategy with validation, report')))
    .option('--scale <s>', 'dataset scale (default 0.01)')
    .option('--seed <n>', 'dataset seed (default 1)')
    .action(action(quickCommand));
  program
    .command('detect')
    .description('what kind of machine this is (VM, WSL2, Docker Desktop, emulation…) and which profile to start from')
    .option('--json', 'print JSON')
    .option('--no-docker', 'do not ask the Docker engine')
    .option('--image <ref>', 'image to check for emulation')
    .option('--state-dir <dir>', 'whose disk to describe')
    .action(action(detectCommand));
  program
    .command('profile')
    .description('profiles: settings for the systems that run the real migration')
    .command('export [name]')
    .description('write a profile as Airflow environment variables, a postgresql.conf fragment or JSON (default: the profile detect recommends)')
    .option('--profile <name|file>', 'the profile to export')
    .addOption(new Option('--format <f>', 'output format').choices(['airflow-env', 'postgresql-conf', 'json']).default('json'))
    .addOption(new Option('--role <role>', 'server settings of one role').choices(['source', 'target']))
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async function (this: Command, name?: string) {
      await run(profileExportCommand, { ...this.optsWithGlobals(), ...(name ? { name } : {}) });
    });
  program
    .command('report')
    .description('render report.md, charts and the recommended profile from a results.json')
    .argument('<results>', 'a results.json written by bench sweep, quick or run --json')
    .option('--out <dir>', 'where to write (default: the results file\'s directory)')
    .action(async function (this: Command, file: string) {
      await run(reportCommand, { ...this.optsWithGlobals(), results: file });
    });
  return program;
}

/**
 * Node prints process warnings as paragraphs on stderr. bench's output is one line per problem, so
 * warnings become `warning:` lines; pg's multi-line notice about sslmode=prefer/require/verify-ca (issue
 * 16) becomes one line that says what bench's connection will do and how to change it.
 */
function oneLineWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    const sslmode = /treated as aliases for 'verify-full'[\s\S]*sslmode=(\w+)'/.exec(w.message)?.[1];
    if (sslmode) {
      log.warn(`the pg driver treats sslmode=${sslmode} as verify-full (it checks the server's certificate and name); add uselibpqcompat=true to the URL for libpq's meaning (encryption only)`);
    } else {
      log.warn(`${w.name === 'Warning' ? '' : `${w.name}: `}${w.message.split('\n')[0]}`);
    }
  });
}

/** The only catch and the only exit code decision in bench. */
export async function main(argv: readonly string[]): Promise<number> {
  oneLineWarnings();
  const lifecycle = new Lifecycle();
  lifecycle.installSignalHandlers();
  lifecycle.installFaultHandlers();
  let code: number = ExitCode.ok;
  const program = buildProgram(async (fn, raw) => {
    setVerbosity(raw.quiet ? 'quiet' : raw.verbose ? 'verbose' : 'normal');
    code = await fn(raw, lifecycle);
  });
  try {
    await program.parseAsync([...argv]);
    if (lifecycle.failure && code === ExitCode.ok) {
      // The command finished although a fault stopped it (nothing it awaited noticed): still a failure.
      log.error(lifecycle.failure.message);
      code = ExitCode.failed;
    }
    await lifecycle.dispose(code !== ExitCode.ok);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its own message (or the help / version).
      await lifecycle.dispose(true);
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const failure = lifecycle.failure;
    const interrupted = !failure && (lifecycle.interrupted || isAbortError(err));
    log.clearStatus();
    log.error(describeError(interrupted ? (lifecycle.signal.reason ?? err) : (failure ?? err)));
    if (process.env.BENCH_DEBUG && err instanceof Error) log.debug(err.stack ?? '');
    await lifecycle.dispose(true);
    if (interrupted) return ExitCode.interrupted;
    if (failure) return ExitCode.failed;
    return err instanceof BenchError ? err.exitCode : ExitCode.failed;
  }
}
