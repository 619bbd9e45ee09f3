import { Argument, Command, CommanderError, Option } from 'commander';
import { strategyNames } from '../strategies/index.js';
import { completionCommand, describeProgram } from './commands/completion.js';
import { DEFAULT_GRID, QUICK_GRID, type RawOptions } from './config/options.js';
import { shells } from './config/command-options.js';
import { DEFAULT_PARTITION_MIN_ROWS, DEFAULT_THRESHOLD, DEFAULT_WARMUP } from './config/defaults.js';
import { BenchError, describeError, ExitCode, isAbortError } from './base/errors.js';
import { Lifecycle } from './base/lifecycle.js';
import { log, setVerbosity } from './base/log.js';
import { packageVersion } from './base/paths.js';

type CommandFn = (raw: RawOptions, lifecycle: Lifecycle) => Promise<number>;
type Run = (fn: CommandFn, raw: RawOptions) => Promise<void>;

/*
 * Each command's module is loaded when the command runs, not at start: together they pull in every
 * driver and renderer (tedious, dockerode, vega…), about a second of imports that `bench run` between
 * two PostgreSQL servers, `--help` or `--version` never use.
 */
function lazy<K extends string>(load: () => Promise<Record<K, CommandFn>>, name: K): CommandFn {
  return async (raw, lifecycle) => (await load())[name](raw, lifecycle);
}
const upCommand = lazy(() => import('./commands/up.js'), 'upCommand');
const downCommand = lazy(() => import('./commands/down.js'), 'downCommand');
const statusCommand = lazy(() => import('./commands/status.js'), 'statusCommand');
const runCommand = lazy(() => import('./commands/run.js'), 'runCommand');
const sweepCommand = lazy(() => import('./commands/sweep.js'), 'sweepCommand');
const checkCommand = lazy(() => import('./commands/check.js'), 'checkCommand');
const compareCommand = lazy(() => import('./commands/check.js'), 'compareCommand');
const seedCommand = lazy(() => import('./commands/seed.js'), 'seedCommand');
const quickCommand = lazy(() => import('./commands/quick.js'), 'quickCommand');
const detectCommand = lazy(() => import('./commands/detect.js'), 'detectCommand');
const profileListCommand = lazy(() => import('./commands/profile-export.js'), 'profileListCommand');
const profileExportCommand = lazy(() => import('./commands/profile-export.js'), 'profileExportCommand');
const reportCommand = lazy(() => import('./commands/report.js'), 'reportCommand');

/** The exit codes, at the end of `bench --help`; each command's help lists those it can return. */
const EXIT_CODES = {
  ok: '0    success',
  failed: '1    failure: a trial failed or did not validate, or no trial of bench\'s ran to a valid copy',
  regressed: '1    a point regressed, a current trial failed, or a baseline point is missing from the current results',
  usage: '2    bad usage: an option, file or combination bench cannot use',
  unjudged: '2    a point cannot be judged (fewer than 2 valid trials a side: sweep with --repeat 3 or more)',
  interrupted: '130  interrupted (Ctrl-C, SIGTERM, SIGHUP): bench stopped what it started and kept finished results',
} as const;

const ALL_EXIT_CODES = `
Exit codes:
  0    success (check: no point regressed)
  1    failure: a trial failed or did not validate, or no trial of bench's ran to a valid copy;
       check: a point regressed, a current trial failed, or a baseline point is missing
  2    bad usage: an option, file or combination bench cannot use; check: a point cannot be judged
  130  interrupted (Ctrl-C, SIGTERM, SIGHUP): bench stopped what it started and kept finished results`;

function exitCodes(cmd: Command, ...codes: (keyof typeof EXIT_CODES)[]): Command {
  return cmd.addHelpText('after', `\nExit codes:\n${codes.map((c) => `  ${EXIT_CODES[c]}`).join('\n')}`);
}

/** One to three examples at the end of a command's help. */
function examples(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`);
}

/** `--json [file]`: one spelling for every command that can print JSON. */
function jsonOption(what: string): Option {
  return new Option('--json [file]', `${what} as JSON: on stdout (--json or --json -) or into FILE`);
}

/** Which databases bench manages: all that `down` and `status` need. */
function stateOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--provider <name>', 'where databases come from: native (local clusters, default) or docker').default(undefined))
    .option('--state-dir <dir>', 'where bench keeps clusters and state (default ./.bench or $BENCH_STATE_DIR)');
}

/** Options every command that starts or connects to servers understands. */
function serverOptions(cmd: Command): Command {
  stateOptions(cmd)
    .option('--profile <name|file>', 'server settings and copy defaults (built-in name or JSON file; `bench profile list`)', undefined)
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

const TASKS = 'copy tasks run at once (a task is a table, or one key range of a split table)';

/** The knobs a copy takes besides what a sweep varies: one name and meaning in run, sweep, check and quick. */
function copyKnobs(cmd: Command): Command {
  return cmd
    .option('--queue-size <rows>', 'rows the pipeline queue holds between reader and writer (default 10000)')
    .option('--chunk-size <rows>', 'rows per committed chunk for chunked (default 100000)')
    .option('--spill-dir <dir>', 'where csv-buffer writes its CSV files (default: <state-dir>/spill)')
    .option('--constraints <mode>', 'keys, indexes and foreign keys: after the load (default), overlap (each table\'s as soon as its data is in, while others load), before it (load by FK level), or none; a sweep takes a list (after,overlap) and measures each')
    .option('--copy-format <format>', 'COPY format for native-bulk: binary (default), text or csv')
    .option('--freeze [when]', 'native-bulk into PostgreSQL: load each whole table with COPY FREEZE in the transaction that empties it (not with --constraints before): on (default) or off; a sweep takes off,on and measures both')
    .option('--copy-relay <mode>', 'PostgreSQL → PostgreSQL native-bulk: framed (default: forward the server\'s COPY messages as they are) or parsed (re-frame every row)')
    .option('--partition-min-rows <rows>', `only split tables with at least this many rows (default ${DEFAULT_PARTITION_MIN_ROWS})`)
    .option('--workers <n|auto>', 'worker threads for row strategies (default auto: one per 4 cores, 0 on small machines)')
    .option('--tables <list...>', 'only these tables: names or patterns like public.posts, sales.* (comma or space separated; quote names with dots or commas: \'"public"."a.b"\')');
}

function copyOptions(cmd: Command): Command {
  return copyKnobs(
    cmd
      .option('-s, --strategy <name>', `copy strategy: ${strategyNames.join(', ')} (default from the profile: native-bulk)`)
      .option('-p, --parallelism <n>', `${TASKS} (default from the profile, 2)`)
      .option('--partitions <n>', 'split each large table into n key ranges copied as separate tasks (default 1)')
      .option('--batch-size <rows>', 'rows per INSERT batch for row strategies (default 5000; csv-buffer 1000)'),
  );
}

/**
 * The sweep's options, shared by `sweep`, `check` (which runs a sweep when given no --current) and
 * `quick`. A knob has the name it has in `bench run`; here it takes a comma-separated list of the values
 * to sweep. `--strategies` and `--batch-sizes`, the older spellings, are still accepted but not shown.
 */
function copySweepOptions(cmd: Command, out: string, { fresh = true } = {}): Command {
  cmd
    .option('-s, --strategy <list...>', `strategies to sweep: ${strategyNames.join(', ')} (default: every one that can copy the servers' engines, so bcp only between SQL Servers)`)
    .addOption(new Option('--strategies <list...>').hideHelp())
    .option('-p, --parallelism <list...>', `${TASKS}, e.g. 1,2,4,8 (default from the detected platform's profile, else ${DEFAULT_GRID.parallelism.join(',')})`)
    .option('--partitions <list...>', `key ranges per large table, e.g. 1,4 (default ${DEFAULT_GRID.partitions.join(',')})`)
    .option('--batch-size <list...>', 'rows per INSERT batch for row strategies, e.g. 1000,5000 (default: each strategy\'s own)')
    .addOption(new Option('--batch-sizes <list...>').hideHelp())
    .option('--repeat <n>', `measured trials per point (default ${DEFAULT_GRID.repeat}; a claim needs at least 2)`)
    .option('--warmup <n>', `runs of every contender before its measured ones, never counted (default ${DEFAULT_WARMUP}; 0 for none)`)
    .option('--server-settings <sets...>', 'a sweep dimension: target server settings to restart the target with, on top of the profile\'s: presets (profile, wal-minimal, big-wal, index-build, small-buffers) or lists like max_wal_size=8GB,shared_buffers=2GB (native and docker targets)')
    .option('--search <mode>', 'grid (default) or adaptive (climb parallelism from the profile, stop inside the noise)')
    .option('--out <dir>', `where results.json, trials.jsonl, report.md, charts/ and profile.json go (default ${out})`)
    .option('--resume', 'continue the sweep in --out, skipping finished trials');
  // check and quick always start over unless --resume: --fresh would change nothing there.
  if (fresh) cmd.option('--fresh', 'start over even if --out holds an earlier sweep (its trial log is kept aside)');
  cmd
    .option('--versus <results.json>', 'adaptive search: report how close it came to this grid sweep\'s best')
    .option('--peers <list...>', 'peer tools measured alongside: server-copy, psql-pipe, pg-dump-restore, pgcopydb or all (default all installed; --quick: server-copy,psql-pipe)')
    .option('--no-peers', 'measure bench only')
    .option('--peer-parallelism <list...>', 'parallelism levels for the peers (default: the grid\'s; --quick: 2)');
  return exportOptions(copyKnobs(cmd));
}

/** hyperfine's exports: the statistics per point, as CSV or a markdown table. */
function exportOptions(cmd: Command): Command {
  return cmd
    .option('--export-csv <file>', 'also write each point\'s statistics as CSV (- for stdout)')
    .option('--export-markdown <file>', 'also write each point\'s statistics as a markdown table (- for stdout)');
}

const QUICK_HELP = `preset: every strategy at parallelism ${QUICK_GRID.parallelism.join(' and ')}, ${QUICK_GRID.repeat} measured rounds, server-copy and psql-pipe alongside (about 90 s at scale 0.01 on 2 cores)`;

export function buildProgram(run: Run): Command {
  const program = new Command('bench')
    .description('Benchmark and tune bulk database copy: which strategy and settings are fastest on this machine, and why.')
    .version(packageVersion)
    .option('-q, --quiet', 'only results and errors')
    .option('-v, --verbose', 'more detail on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  examples(program, 'bench quick', 'bench sweep --strategy native-bulk,pipeline --parallelism 1,2,4 --repeat 5', 'bench check --baseline main.json --current results.json');
  program.addHelpText('after', ALL_EXIT_CODES);

  // Commander lists commands in help in the order they are added, so this order is the help's.
  addServerCommands(program, run);
  addCopyCommands(program, run);
  addDataCommands(program, run);
  addProfileCommands(program, run);
  addOutputCommands(program, run);
  return program;
}

/** A commander action that hands the command's options, globals included, to `run`. */
function actionOf(run: Run) {
  return (fn: CommandFn) =>
    async function (this: Command) {
      await run(fn, this.optsWithGlobals());
    };
}

/** `up`, `down` and `status`: the databases bench manages. */
function addServerCommands(program: Command, run: Run): void {
  const action = actionOf(run);
  const up = serverOptions(program.command('up').description('start (or reuse) the source and target databases')).action(action(upCommand));
  examples(up, 'bench up', 'bench up --provider docker --cpus 2 --memory 4GB', 'bench up --profile ci-small');
  exitCodes(up, 'ok', 'usage', 'interrupted');
  const down = stateOptions(program.command('down').description('stop and remove the databases bench started')).action(action(downCommand));
  examples(down, 'bench down', 'bench down --provider docker');
  const status = stateOptions(program.command('status').description('show the databases bench manages'))
    .addOption(jsonOption('the databases'))
    .action(action(statusCommand));
  examples(status, 'bench status', 'bench status --json - | jq -r \'.[] | select(.role == "target") | .url\'');
}

/** `run`, `sweep`, `check` and `compare`: copies, and the verdicts on them. */
function addCopyCommands(program: Command, run: Run): void {
  const action = actionOf(run);
  const runCmd = copyOptions(serverOptions(program.command('run').description('reset the target, copy once with one strategy, validate, report')))
    .addOption(jsonOption('the result (format bench-results)'))
    .action(action(runCommand));
  examples(runCmd, 'bench run -s native-bulk -p 4', 'bench run -s pipeline -p 2 --batch-size 2000 --partitions 4', 'bench run --profile bench-results/quick/profile.json --json result.json');
  exitCodes(runCmd, 'ok', 'failed', 'usage', 'interrupted');
  const sweep = copySweepOptions(serverOptions(program.command('sweep').description('run a grid of strategies × parallelism × partitions × batch sizes, validate every trial, report the fastest')), 'bench-results/sweep')
    .option('--quick', QUICK_HELP)
    .action(action(sweepCommand));
  examples(sweep, 'bench sweep --quick', 'bench sweep -s native-bulk,pipeline -p 1,2,4,8 --partitions 1,4 --repeat 5', 'bench sweep --search adaptive --export-csv points.csv');
  exitCodes(sweep, 'ok', 'failed', 'usage', 'interrupted');
  const check = copySweepOptions(serverOptions(program.command('check').description('fail (exit 1) when throughput regressed against a baseline results.json, beyond threshold and noise')), 'bench-results/check', { fresh: false })
    .option('--quick', QUICK_HELP)
    .requiredOption('--baseline <file>', 'results.json of the reference sweep (- for stdin)')
    .option('--current <file>', 'results.json to check (- for stdin; default: run the sweep the other options describe)')
    .option('--threshold <percent>', `slowdowns up to this are never regressions (default ${DEFAULT_THRESHOLD * 100})`)
    .addOption(jsonOption('the verdict per point'))
    .action(action(checkCommand));
  examples(check, 'bench check --baseline main/results.json --current pr/results.json', 'bench check --baseline main/results.json --quick --threshold 15', 'bench check --baseline base.json --current cur.json --json verdicts.json');
  exitCodes(check, 'ok', 'regressed', 'unjudged', 'usage', 'interrupted');
  const compare = program
    .command('compare')
    .description('two results files side by side: rows/s, change and verdict per point (always exit 0)')
    .argument('<a>', 'results.json (before; - for stdin)')
    .argument('<b>', 'results.json (after)')
    .option('--threshold <percent>', `as for check (default ${DEFAULT_THRESHOLD * 100})`)
    .addOption(jsonOption('the verdict per point'))
    .action(async function (this: Command, a: string, b: string) {
      await run(compareCommand, { ...this.optsWithGlobals(), a, b });
    });
  examples(compare, 'bench compare before/results.json after/results.json');
}

/** `seed` and `quick`: the dataset, and the one-command preset that seeds it when needed. */
function addDataCommands(program: Command, run: Run): void {
  const action = actionOf(run);
  const seed = serverOptions(program.command('seed').description('create the StackOverflow-shaped dataset in the source database (deterministic, generated in the server)'))
    .option('--scale <s>', 'fraction of StackOverflow2013 (1 = 106.5M rows; default 0.01 = 1.07M rows)')
    .option('--seed <n>', 'random seed: same scale and seed give byte-identical data (default 1)')
    .option('--concurrency <n>', 'tables generated at once (default 2)')
    .option('--force', 're-seed even when the same dataset is already there')
    .action(action(seedCommand));
  examples(seed, 'bench seed --scale 0.01', 'bench seed --scale 0.1 --seed 7 --force', 'bench seed --source-url mssql://sa:pw@db1:1433/so?encrypt=false --scale 0.01');
  const quick = copySweepOptions(serverOptions(program.command('quick').description('the main job: up, seed scale 0.01 if needed, a quick sweep of every strategy with validation, report')), 'bench-results/quick', { fresh: false })
    .option('--scale <s>', 'dataset scale (default 0.01)')
    .option('--seed <n>', 'dataset seed (default 1)')
    .action(action(quickCommand));
  examples(quick, 'bench quick', 'bench quick --scale 0.1 --parallelism 1,2,4', 'bench quick --source-url postgres://me@db1/app --tables public.orders');
  exitCodes(quick, 'ok', 'failed', 'usage', 'interrupted');
}

/** `detect` and `profile`: the machine, and the settings to start from or carry away. */
function addProfileCommands(program: Command, run: Run): void {
  const action = actionOf(run);
  const detect = program
    .command('detect')
    .description('what kind of machine this is (VM, WSL2, Docker Desktop, emulation…) and which profile to start from')
    .addOption(jsonOption('the platform and its classification'))
    .option('--no-docker', 'do not ask the Docker engine')
    .option('--image <ref>', 'image to check for emulation')
    .option('--state-dir <dir>', 'whose disk to describe')
    .action(action(detectCommand));
  examples(detect, 'bench detect', 'bench detect --json - --no-docker');
  const profile = program.command('profile').description('profiles: built-in starting points, and the settings a sweep recommends, in the words of the systems that run the real migration');
  const list = profile
    .command('list')
    .description('the built-in profiles with what each is for')
    .addOption(jsonOption('the profiles'))
    .action(action(profileListCommand));
  examples(list, 'bench profile list');
  const exportCmd = profile
    .command('export [ref]')
    .description('write a profile as a postgresql.conf fragment, Airflow environment variables or JSON. REF is a built-in profile, a profile file, or a sweep\'s results.json or profile.json (its winner is exported); default: the profile `bench detect` recommends')
    .addOption(new Option('--format <f>', 'output format').choices(['postgresql-conf', 'airflow-env', 'json']).default('json'))
    .addOption(new Option('--role <role>', 'postgresql-conf: the settings of one server (source or target) instead of those both share').choices(['source', 'target']))
    .option('--point <point>', 'from a results file: export this point (e.g. pipeline/p4) instead of the winner')
    .option('--out <file>', 'write to a file (default: stdout)')
    .addOption(new Option('--profile <name|file>').hideHelp())
    .action(async function (this: Command, ref?: string) {
      await run(profileExportCommand, { ...this.optsWithGlobals(), ...(ref ? { ref } : {}) });
    });
  examples(exportCmd, 'bench profile export bench-results/quick/results.json --format postgresql-conf --role target > bulk-load.conf', 'bench profile export bench-results/quick/profile.json --format airflow-env --out airflow.env', 'bench profile export ci-small --format json');
}

/** `report` and `completion`: files rendered from results, and shell completion. */
function addOutputCommands(program: Command, run: Run): void {
  const report = program
    .command('report')
    .description('render report.md, charts and the recommended profile from a results.json')
    .argument('<results>', 'a results.json written by bench sweep, quick or run --json (- for stdin)')
    .option('--out <dir>', 'where to write (default: the results file\'s directory)')
    .action(async function (this: Command, file: string) {
      await run(reportCommand, { ...this.optsWithGlobals(), results: file });
    });
  exportOptions(report);
  examples(report, 'bench report bench-results/sweep/results.json', 'bench report results.json --out /tmp/r --export-csv -');
  const completion = program
    .command('completion')
    .description('a shell completion script: add `source <(bench completion bash)` to ~/.bashrc, or `source <(bench completion zsh)` to ~/.zshrc')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(shells))
    .action(async function (this: Command, shell: string) {
      await run((raw) => completionCommand(raw, describeProgram(program)), { ...this.optsWithGlobals(), shell });
    });
  examples(completion, 'source <(bench completion bash)', 'bench completion zsh > "${fpath[1]}/_bench"');
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
