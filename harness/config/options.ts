import { resolve } from 'node:path';
import { isStrategyName, strategies, strategyNames } from '../../strategies/index.js';
import { loadProfile, parseByteSize, type Profile } from '../../profiles/profile.js';
import { ConfigError } from '../base/errors.js';
import { engineOfUrl } from '../base/connection-url.js';
import { resolveStateDir } from '../base/paths.js';
import { outputTarget } from '../base/output.js';
import { givesParts, urlFromParts, type Side } from './server-parts.js';
import { constraintModes, type ConstraintMode } from '../model/trial.js';
import { splitTableList } from '../model/catalog.js';
import { DEFAULT_PARTITION_MIN_ROWS, DEFAULT_WARMUP, SERVER_SETTINGS_PRESETS } from './defaults.js';
import { isPeerName, peerNames } from '../peers/index.js';
import { copyRelays, type CopyFormat, type CopyRelay, type PeerName, type StrategyName, type StrategyParams } from '../model/contender.js';
import type { ProviderName } from '../providers/provider.js';
import { autoWorkers } from '../workers/policy.js';

/**
 * Command-line options → typed, validated configuration. Every problem is collected and reported at
 * once (STYLE rule 4); nothing here exits the process.
 */
export type RawOptions = Readonly<Record<string, unknown>>;

export interface CopyOptions {
  readonly strategy: StrategyName;
  readonly parallelism: number;
  /** Absent: each row strategy uses its own default (csv-buffer 1,000, the others 5,000). */
  readonly batchSize?: number;
  readonly constraints: ConstraintMode;
  readonly copyFormat: CopyFormat;
  readonly copyRelay: CopyRelay;
  /** native-bulk into PostgreSQL: COPY FREEZE for whole tables (never with constraints before). */
  readonly freeze: boolean;
  readonly queueSize: number;
  readonly chunkSize: number;
  /** Parts per large table (1: whole tables). */
  readonly partitions: number;
  /** Tables with fewer (estimated) rows are never split. */
  readonly partitionMinRows: number;
  /** Connections per database for the copy (at least parallelism). */
  readonly poolSize: number;
  /** Copy worker threads for row strategies; 0 = the main thread. */
  readonly workers: number;
  readonly tables?: readonly string[];
  /** Where csv-buffer spills (default: the state directory's spill/). */
  readonly spillDir?: string;
}

const copyFormats: readonly CopyFormat[] = ['binary', 'text', 'csv'];
const providerNames = ['native', 'docker'] as const;

class Problems {
  readonly list: string[] = [];
  add(p: string): void {
    this.list.push(p);
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new ConfigError(this.list);
  }
}

function positiveInt(p: Problems, flag: string, value: unknown, fallback: number | undefined, max = 1_000_000): number {
  if (value === undefined || value === null) return fallback ?? 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    p.add(`${flag} is ${String(value)}; it must be a whole number from 1 to ${max.toLocaleString('en-US')}`);
    return fallback ?? 1;
  }
  return n;
}

function nonNegativeInt(p: Problems, flag: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    p.add(`${flag} is ${String(value)}; it must be a whole number from 0 to ${max}`);
    return fallback;
  }
  return n;
}

function port(p: Problems, flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1024 || n > 65535) {
    p.add(`${flag} is ${String(value)}; it must be a port number from 1024 to 65535`);
    return undefined;
  }
  return n;
}

function url(p: Problems, flag: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  try {
    engineOfUrl(text);
  } catch (err) {
    p.add(`${flag}: ${(err as Error).message}`);
  }
  return text;
}

/** --source-url, or the URL the --source-host … options describe (server-parts.ts). */
function serverUrl(p: Problems, side: Side, raw: RawOptions): string | undefined {
  const parts = urlFromParts(side, raw);
  parts.problems.forEach((x) => p.add(x));
  if (parts.url !== undefined) {
    const serverPort = raw[`${side}Port`];
    const valid = /^\d{1,5}$/.test(String(serverPort)) && Number(serverPort) >= 1 && Number(serverPort) <= 65535;
    if (serverPort !== undefined && !valid) {
      p.add(`--${side}-port is ${String(serverPort)}; it must be the server's port number, 1 to 65535`);
      return undefined; // the URL built with that port is invalid for the same reason: one problem, not two
    }
    return url(p, `--${side}-host …`, parts.url);
  }
  return url(p, `--${side}-url`, raw[`${side}Url`]);
}

function oneOf<T extends string>(p: Problems, flag: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(String(value))) return String(value) as T;
  p.add(`${flag} is "${String(value)}"; choose one of ${allowed.join(', ')}`);
  return fallback;
}

/** `--freeze`: the bare flag or `on` loads with COPY FREEZE, `off` does not. */
function freezeOf(p: Problems, value: unknown): boolean {
  if (value === false || value === 'off') return false;
  if (value === true || value === 'on') return true;
  p.add(`--freeze is "${String(value)}"; use on or off (a sweep takes off,on to measure both)`);
  return false;
}

/** The comma-separated values of a list option (given once or repeated), in the order given. */
function listOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

/**
 * `--constraints after,overlap` and `--freeze off,on` in a sweep: each value becomes a dimension every
 * bench point runs under, interleaved like any other, so the report can say what each lever bought.
 */
function loadingModesOf(p: Problems, raw: RawOptions): { constraintModes: ConstraintMode[]; freezeModes: boolean[] } {
  // Each value once: a value listed twice would make the same point twice.
  const constraints = raw.constraints === undefined ? [] : [...new Set(listOf(raw.constraints))];
  const freeze = raw.freeze === undefined || typeof raw.freeze === 'boolean' ? [] : [...new Set(listOf(raw.freeze))];
  return {
    constraintModes: constraints.map((c) => oneOf(p, '--constraints', c, constraintModes, 'after')),
    freezeModes: freeze.map((f) => freezeOf(p, f)),
  };
}

function workersOf(p: Problems, value: unknown, parallelism: number): number {
  if (value === undefined || value === 'auto') return autoWorkers(parallelism);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 256) {
    p.add(`--workers is ${String(value)}; use auto or a whole number from 0 (main thread only) to 256`);
    return 0;
  }
  return n;
}

function loadProfileInto(p: Problems, ref: unknown): Profile | undefined {
  try {
    return loadProfile(ref === undefined ? undefined : String(ref));
  } catch (err) {
    if (err instanceof ConfigError) err.problems.forEach((x) => p.add(x));
    else p.add(String(err));
    return undefined;
  }
}

function serverOptionsOf(p: Problems, raw: RawOptions): ServerOptions {
  const profile = loadProfileInto(p, raw.profile);
  return {
    provider: oneOf(p, '--provider', raw.provider, providerNames, 'native'),
    stateDir: resolveStateDir(raw.stateDir === undefined ? undefined : String(raw.stateDir)),
    ...optional('sourceUrl', serverUrl(p, 'source', raw)),
    ...optional('targetUrl', serverUrl(p, 'target', raw)),
    // With --source-host …, --source-port is that server's port (in the URL), not a native cluster's.
    ...optional('sourcePort', givesParts('source', raw) ? undefined : port(p, '--source-port', raw.sourcePort)),
    ...optional('targetPort', givesParts('target', raw) ? undefined : port(p, '--target-port', raw.targetPort)),
    profile: profile ?? { name: 'invalid', server: { both: {}, source: {}, target: {} }, copy: {} },
    ...optional('image', raw.image === undefined ? undefined : String(raw.image)),
    ...optional('cpus', cpusOf(p, raw.cpus)),
    ...optional('memoryBytes', memoryOf(p, raw.memory)),
  };
}

function cpusOf(p: Problems, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1024) {
    p.add(`--cpus is ${String(value)}; it must be a number of CPUs above 0, e.g. 1.5`);
    return undefined;
  }
  return n;
}

function memoryOf(p: Problems, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  try {
    const bytes = parseByteSize(/^\d+(\.\d+)?$/.test(String(value)) ? `${String(value)}MB` : String(value));
    if (bytes < 64 * 1024 * 1024) throw new Error('too small');
    return bytes;
  } catch {
    p.add(`--memory is ${String(value)}; give a size of at least 64MB, e.g. 4GB or 512MB`);
    return undefined;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

export function parseServerOptions(raw: RawOptions): ServerOptions {
  const p = new Problems();
  const server = serverOptionsOf(p, raw);
  p.throwIfAny();
  return server;
}

function tablesOf(raw: RawOptions): string[] | undefined {
  if (raw.tables === undefined) return undefined;
  // Commas inside double quotes belong to a name: "public"."a,b".
  const list = (Array.isArray(raw.tables) ? raw.tables : [raw.tables]).flatMap((t) => splitTableList(String(t)));
  return list.length > 0 ? list : undefined;
}

function copyOptionsOf(p: Problems, raw: RawOptions, profile: Profile): CopyOptions {
  const strategyRaw = raw.strategy ?? profile.copy.strategy ?? 'native-bulk';
  let strategy: StrategyName = 'native-bulk';
  if (isStrategyName(String(strategyRaw))) strategy = String(strategyRaw) as StrategyName;
  else p.add(`--strategy is "${String(strategyRaw)}"; choose one of ${strategyNames.join(', ')}`);
  const tables = tablesOf(raw);
  const batch = raw.batchSize ?? profile.copy.batchSize;
  const parallelism = positiveInt(p, '--parallelism', raw.parallelism, profile.copy.parallelism ?? 2, 256);
  return {
    strategy,
    parallelism,
    partitions: positiveInt(p, '--partitions', raw.partitions, profile.copy.partitions ?? 1, 1024),
    partitionMinRows: positiveInt(p, '--partition-min-rows', raw.partitionMinRows, DEFAULT_PARTITION_MIN_ROWS, 1e12),
    poolSize: Math.max(parallelism, profile.copy.poolSize ?? parallelism),
    workers: workersOf(p, raw.workers, parallelism),
    ...optional('batchSize', batch === undefined ? undefined : positiveInt(p, '--batch-size', batch, 5000, 1_000_000)),
    constraints: oneOf(p, '--constraints', raw.constraints, constraintModes, profile.copy.constraints ?? 'after'),
    copyFormat: oneOf(p, '--copy-format', raw.copyFormat, copyFormats, profile.copy.copyFormat ?? 'binary'),
    copyRelay: oneOf(p, '--copy-relay', raw.copyRelay, copyRelays, 'framed'),
    // On unless the profile or --freeze off says otherwise: measured faster or within the noise at every
    // point tried here (issue 13: 1.14× at scale 0.1, p4, whole tables), never slower beyond it.
    freeze: raw.freeze === undefined ? profile.copy.freeze ?? true : freezeOf(p, raw.freeze),
    queueSize: positiveInt(p, '--queue-size', raw.queueSize, profile.copy.queueSize ?? 10_000, 10_000_000),
    chunkSize: positiveInt(p, '--chunk-size', raw.chunkSize, profile.copy.chunkSize ?? 100_000, 100_000_000),
    ...(tables ? { tables } : {}),
    ...optional('spillDir', raw.spillDir === undefined ? undefined : resolve(String(raw.spillDir))),
  };
}

export interface RunConfig {
  readonly server: ServerOptions;
  readonly copy: CopyOptions;
  readonly json?: string;
}

export function parseRunConfig(raw: RawOptions): RunConfig {
  const p = new Problems();
  const server = serverOptionsOf(p, raw);
  const copy = copyOptionsOf(p, raw, server.profile);
  p.throwIfAny();
  // --json alone or --json - is stdout, --json FILE a file.
  return { server, copy, ...optional('json', outputTarget(raw.json)) };
}

export interface SeedConfig {
  readonly server: ServerOptions;
  readonly scale: number;
  readonly seed: number;
  readonly force: boolean;
  /** Tables generated at once. */
  readonly concurrency: number;
}

export function parseSeedConfig(raw: RawOptions): SeedConfig {
  const p = new Problems();
  const server = serverOptionsOf(p, raw);
  const scale = Number(raw.scale ?? 0.01);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) p.add(`--scale is ${String(raw.scale)}; it must be a number above 0 (1 = StackOverflow2013, 106.5M rows)`);
  const seed = Number(raw.seed ?? 1);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) p.add(`--seed is ${String(raw.seed)}; it must be a whole number from 0 to 2147483647`);
  // Validated with the rest, even when the dataset turns out to be there already (issue 16).
  const concurrency = positiveInt(p, '--concurrency', raw.concurrency, 2, 64);
  p.throwIfAny();
  return { server, scale, seed, force: raw.force === true, concurrency };
}

function engineOrPostgres(url: string | undefined) {
  if (!url) return 'postgres' as const;
  try {
    return engineOfUrl(url);
  } catch {
    return 'postgres' as const; // the URL problem is reported by serverOptionsOf
  }
}

function intList(p: Problems, flag: string, value: unknown, max: number): number[] | undefined {
  if (value === undefined) return undefined;
  const items = listOf(value);
  const out: number[] = [];
  for (const item of items) {
    const n = Number(item);
    if (!Number.isInteger(n) || n < 1 || n > max) p.add(`${flag}: "${item}" is not a whole number from 1 to ${max.toLocaleString('en-US')}`);
    else if (!out.includes(n)) out.push(n);
  }
  return out.length > 0 ? out : undefined;
}

export type SearchMode = 'grid' | 'adaptive';

export interface SweepConfig {
  readonly server: ServerOptions;
  readonly copy: CopyOptions;
  readonly grid: SweepGrid;
  readonly search: SearchMode;
  /** Directory for results.json, trials.jsonl, report.md, charts/ and profile.json. */
  readonly outDir: string;
  readonly resume: boolean;
  /** Replace an earlier sweep's results in outDir instead of refusing. */
  readonly fresh: boolean;
  readonly quick: boolean;
  /** Adaptive search: a grid sweep's results.json to measure the search against. */
  readonly versus?: string;
}

/**
 * The `--quick` preset: every strategy at parallelism 2 and 4, one warm-up round and three measured
 * rounds, with the server-side COPY limit and a psql pipe as contenders of the same plan. No parallelism
 * 1: it was the slowest point of every strategy, and never the answer to "what is fastest" (in five quick
 * sweeps here no strategy's best was at p1 beyond run-to-run noise). Three measured trials because fewer
 * support no claim at all: with one trial per point the noise is unknown, so no ordering, no "fastest"
 * and no coefficient of variation could be printed.
 */
export const QUICK_GRID = { parallelism: [2, 4], partitions: [1], repeat: 3 } as const;
/** The grid when neither options nor the profile say otherwise. */
export const DEFAULT_GRID = { parallelism: [1, 2, 4, 8], partitions: [1, 4], repeat: 3 } as const;

/** `startingGrid`: the detected platform profile's grid, used when neither options nor --profile give one. */
export function parseSweepConfig(raw: RawOptions, startingGrid?: Profile['sweep']): SweepConfig {
  const p = new Problems();
  const server = serverOptionsOf(p, raw);
  // The run options supply the knobs that are not swept; --parallelism / --partitions are lists here.
  // --constraints and --freeze may be lists here (sweep dimensions); the copy options take the first.
  const loading = loadingModesOf(p, raw);
  const copy = copyOptionsOf(
    p,
    {
      ...raw,
      parallelism: undefined,
      partitions: undefined,
      batchSize: undefined,
      strategy: undefined,
      ...(loading.constraintModes.length > 0 ? { constraints: loading.constraintModes[0] } : {}),
      ...(loading.freezeModes.length > 0 ? { freeze: loading.freezeModes[0] } : {}),
    },
    server.profile,
  );
  const quick = raw.quick === true;
  const sweepDefaults = server.profile.sweep ?? startingGrid;
  let strategiesList: StrategyName[] = [...strategyNames];
  const rawStrategies = raw.strategies ?? raw.strategy;
  if (rawStrategies !== undefined) {
    const names = listOf(rawStrategies);
    const bad = names.filter((n) => !isStrategyName(n));
    if (bad.length > 0) p.add(`--strategies: ${bad.join(', ')} unknown; choose from ${strategyNames.join(', ')}`);
    strategiesList = strategyNames.filter((n) => names.includes(n));
  } else {
    if (sweepDefaults?.strategies && !quick) strategiesList = strategyNames.filter((n) => sweepDefaults.strategies!.includes(n));
    // Unasked, a strategy that cannot copy this engine pair (bcp between PostgreSQL servers) would only
    // add skipped rows; named with --strategies it still runs and is reported as skipped, with the reason.
    const pair = { source: engineOrPostgres(server.sourceUrl), target: engineOrPostgres(server.targetUrl) };
    strategiesList = strategiesList.filter((n) => strategies[n].supports(pair) === true);
  }
  const preset = quick ? QUICK_GRID : { ...DEFAULT_GRID, ...(sweepDefaults ?? {}) };
  const parallelism = intList(p, '--parallelism', raw.parallelism, 256) ?? [...preset.parallelism];
  const partitions = intList(p, '--partitions', raw.partitions, 1024) ?? [...preset.partitions];
  const batchSizes = intList(p, '--batch-sizes', raw.batchSizes ?? raw.batchSize, 1_000_000) ?? (sweepDefaults?.batchSizes && !quick ? [...sweepDefaults.batchSizes] : [undefined]);
  const repeat = positiveInt(p, '--repeat', raw.repeat, preset.repeat, 1000);
  const warmup = nonNegativeInt(p, '--warmup', raw.warmup, DEFAULT_WARMUP, 100);
  const search = oneOf(p, '--search', raw.search, ['grid', 'adaptive'] as const, 'grid');
  let peerList: PeerName[] = quick ? ['server-copy', 'psql-pipe'] : [...peerNames];
  if (raw.peers !== undefined && typeof raw.peers !== 'boolean') {
    const names = listOf(raw.peers);
    if (names.length === 1 && names[0] === 'none') peerList = [];
    else if (!(names.length === 1 && names[0] === 'all')) {
      const bad = names.filter((n) => !isPeerName(n));
      if (bad.length > 0) p.add(`--peers: ${bad.join(', ')} unknown; choose from ${peerNames.join(', ')}, all or none`);
      peerList = peerNames.filter((n) => names.includes(n));
    }
  }
  if (raw.peers === false) peerList = [];
  const peerParallelism = intList(p, '--peer-parallelism', raw.peerParallelism, 256) ?? (quick ? [Math.min(2, Math.max(...parallelism))] : parallelism);
  if (raw.resume === true && raw.fresh === true) p.add('--resume and --fresh contradict each other: pick one');
  const serverSettings = serverSettingsOf(p, raw.serverSettings, server.targetUrl !== undefined);
  p.throwIfAny();
  return {
    server,
    copy: { ...copy, parallelism: Math.max(...parallelism) },
    grid: {
      strategies: strategiesList,
      parallelism,
      partitions,
      batchSizes,
      constraints: copy.constraints,
      ...(loading.constraintModes.length > 1 ? { constraintModes: loading.constraintModes } : {}),
      ...(loading.freezeModes.length > 1 ? { freezeModes: loading.freezeModes } : {}),
      workers: raw.workers === undefined || raw.workers === 'auto' ? 'auto' : copy.workers,
      repeat,
      warmup,
      params: { copyFormat: copy.copyFormat, copyRelay: copy.copyRelay, freeze: copy.freeze && copy.constraints !== 'before', queueSize: copy.queueSize, chunkSize: copy.chunkSize },
      peers: peerList,
      peerParallelism,
      serverSettings,
    },
    search,
    outDir: resolve(String(raw.out ?? (quick ? 'bench-results/quick' : 'bench-results/sweep'))),
    resume: raw.resume === true,
    fresh: raw.fresh === true || (quick && raw.resume !== true),
    quick,
    ...optional('versus', raw.versus === undefined ? undefined : resolve(String(raw.versus))),
  };
}

/** Where the databases come from, as the user asked for them on the command line. */
export interface ServerOptions {
  readonly provider: Exclude<ProviderName, 'external'>;
  readonly stateDir: string;
  readonly sourceUrl?: string;
  readonly targetUrl?: string;
  readonly sourcePort?: number;
  readonly targetPort?: number;
  readonly profile: Profile;
  /** Container image and limits per database (docker provider); the profile's platform.docker fills gaps. */
  readonly image?: string;
  readonly cpus?: number;
  readonly memoryBytes?: number;
}

/** The grid a sweep covers. Every list is non-empty; `batchSizes` entries of undefined mean "the strategy's default". */
export interface SweepGrid {
  readonly strategies: readonly StrategyName[];
  readonly parallelism: readonly number[];
  readonly partitions: readonly number[];
  readonly batchSizes: readonly (number | undefined)[];
  readonly constraints: ConstraintMode;
  /**
   * When the sweep varies them (`--constraints after,overlap`, `--freeze off,on`): every bench point runs
   * under each, named with it ("…/constraints:overlap", "…/freeze:on"). Absent: `constraints` and
   * `params.freeze` for every point.
   */
  readonly constraintModes?: readonly ConstraintMode[];
  readonly freezeModes?: readonly boolean[];
  /** Copy worker threads for row strategies: a number, or 'auto' (per point: autoWorkers(parallelism)). */
  readonly workers?: number | 'auto';
  /** Measured trials per point. */
  readonly repeat: number;
  /** Untimed-for-the-statistics runs of every contender before its measured ones (hyperfine's --warmup). */
  readonly warmup: number;
  /** The knobs not swept (copy format, queue and chunk sizes). */
  readonly params: Omit<StrategyParams, 'batchSize'>;
  /** Peer tools measured as contenders of the same plan, at these parallelism levels. */
  readonly peers: readonly PeerName[];
  readonly peerParallelism: readonly number[];
  /**
   * Sets of target server settings, each applied on top of the profile's with a restart of the target
   * between them (`--server-settings`). One set labelled `profile` and empty: the dimension is not swept.
   */
  readonly serverSettings: readonly ServerSettingsSet[];
}

/** A named set of target server settings a sweep runs its contenders under. */
export interface ServerSettingsSet {
  readonly label: string;
  readonly target: Readonly<Record<string, string>>;
}

/**
 * `--server-settings profile wal-minimal "max_wal_size=8GB,shared_buffers=2GB"`: preset names
 * (config/defaults.ts) or inline `name=value` lists, labelled by the text itself (or `label:a=b,c=d`).
 */
function serverSettingsOf(p: Problems, value: unknown, external: boolean): ServerSettingsSet[] {
  if (value === undefined) return [{ label: 'profile', target: {} }];
  const items = (Array.isArray(value) ? value : [value]).map((v) => String(v).trim()).filter(Boolean);
  const sets: ServerSettingsSet[] = [];
  for (const item of items) {
    const preset = SERVER_SETTINGS_PRESETS[item];
    if (preset) {
      sets.push({ label: item, target: preset });
      continue;
    }
    const colon = item.indexOf(':');
    const [label, body] = colon > 0 && !item.slice(0, colon).includes('=') ? [item.slice(0, colon), item.slice(colon + 1)] : [item, item];
    const target: Record<string, string> = {};
    for (const pair of body.split(',').map((x) => x.trim()).filter(Boolean)) {
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (eq <= 0 || !/^[a-z_][a-z0-9_.]*$/.test(name)) {
        p.add(`--server-settings: "${pair}" in "${item}" is not name=value; use a preset (${Object.keys(SERVER_SETTINGS_PRESETS).join(', ')}) or a list like max_wal_size=8GB,shared_buffers=2GB`);
        continue;
      }
      target[name] = pair.slice(eq + 1).trim();
    }
    sets.push({ label, target });
  }
  if (new Set(sets.map((s) => s.label)).size !== sets.length) p.add('--server-settings: a set is named twice');
  if (external && sets.some((s) => Object.keys(s.target).length > 0)) {
    p.add('--server-settings restarts the target with each set, which bench can only do for servers it runs (native or docker): drop --target-url, or apply the settings yourself and sweep once per set');
  }
  return sets.length > 0 ? sets : [{ label: 'profile', target: {} }];
}
