import { resolve } from 'node:path';
import { ConfigError } from '../base/errors.js';
import { outputTarget, STDIO } from '../base/output.js';
import { resolveStateDir } from '../base/paths.js';
import { roles, type Role } from '../model/roles.js';
import { exportFormats, type ExportFormat } from '../../profiles/export.js';
import { DEFAULT_THRESHOLD } from './defaults.js';
import { parseRunConfig, parseSeedConfig, parseServerOptions, parseSweepConfig, type RawOptions, type SeedConfig, type SweepConfig } from './options.js';
import type { Profile } from '../../profiles/profile.js';

/**
 * The options of the commands that neither copy nor sweep (status, check, compare, detect, profile,
 * report, completion), and the exports a sweep writes, turned into typed configuration. Every command
 * reads its options through one parser listed in `commandConfigs`, so a test can check that each option
 * a command's help shows changes what that command does (test/unit/config/command-options.test.ts).
 */

/** Where a machine-readable output goes: a file, or `-` for stdout. */
export type OutputTarget = string;

/** A file to read, `-` for stdin. */
function inputFile(value: unknown): string {
  return value === STDIO ? STDIO : resolve(String(value));
}

/** `--export-csv FILE` and `--export-markdown FILE` (hyperfine's names): the per-point statistics in those forms. */
export interface Exports {
  readonly csv?: OutputTarget;
  readonly markdown?: OutputTarget;
}

export function exportsOf(raw: RawOptions): Exports {
  const csv = outputTarget(raw.exportCsv);
  const markdown = outputTarget(raw.exportMarkdown);
  return { ...(csv ? { csv } : {}), ...(markdown ? { markdown } : {}) };
}

function oneStdout(problems: string[], targets: Readonly<Record<string, OutputTarget | undefined>>): void {
  const onStdout = Object.entries(targets).filter(([, t]) => t === STDIO);
  if (onStdout.length > 1) problems.push(`${onStdout.map(([flag]) => flag).join(' and ')} all write to stdout (-): send all but one to a file`);
}

/** `down`: which provider's databases, in which state directory. */
export interface StateOptions {
  readonly provider: 'native' | 'docker';
  readonly stateDir: string;
}

export function parseStateOptions(raw: RawOptions): StateOptions {
  const server = parseServerOptions({ provider: raw.provider, stateDir: raw.stateDir });
  return { provider: server.provider, stateDir: server.stateDir };
}

export interface StatusConfig extends StateOptions {
  readonly json?: OutputTarget;
}

export function parseStatusConfig(raw: RawOptions): StatusConfig {
  const json = outputTarget(raw.json);
  return { ...parseStateOptions(raw), ...(json ? { json } : {}) };
}

export interface SweepCommandConfig extends SweepConfig {
  readonly exports: Exports;
}

export function parseSweepCommandConfig(raw: RawOptions, startingGrid?: Profile['sweep']): SweepCommandConfig {
  const problems: string[] = [];
  let sweep: SweepConfig | undefined;
  try {
    sweep = parseSweepConfig(raw, startingGrid);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  const exports = exportsOf(raw);
  oneStdout(problems, { '--export-csv': exports.csv, '--export-markdown': exports.markdown });
  if (problems.length > 0 || !sweep) throw new ConfigError(problems);
  return { ...sweep, exports };
}

/** `quick`: the seed's options and the sweep's, validated together before anything starts. */
export interface QuickConfig {
  readonly seed: SeedConfig;
  readonly sweep: SweepCommandConfig;
}

export function parseQuickConfig(raw: RawOptions, startingGrid?: Profile['sweep']): QuickConfig {
  return { seed: parseSeedConfig({ ...raw, scale: raw.scale ?? 0.01 }), sweep: parseSweepCommandConfig({ ...raw, quick: true }, startingGrid) };
}

/** Slowdowns up to `threshold` (a share: 0.1 = 10%) are never regressions. */
function thresholdOf(problems: string[], value: unknown): number {
  if (value === undefined) return DEFAULT_THRESHOLD;
  const n = Number(String(value).replace(/%$/, ''));
  if (!Number.isFinite(n) || n <= 0 || n >= 100) {
    problems.push(`--threshold is ${String(value)}; give a percentage above 0 and below 100, e.g. 10`);
    return DEFAULT_THRESHOLD;
  }
  return n / 100;
}

export interface CheckConfig {
  readonly baseline: string;
  /** Absent: run the sweep `sweep` describes, into `sweepOut`. */
  readonly current?: string;
  readonly threshold: number;
  readonly json?: OutputTarget;
  /** The sweep's options (validated even when --current makes them moot, so a typo is never ignored). */
  readonly sweep: SweepCommandConfig;
}

export function parseCheckConfig(raw: RawOptions, startingGrid?: Profile['sweep']): CheckConfig {
  const problems: string[] = [];
  if (raw.baseline === undefined) problems.push('--baseline FILE is required (a results.json from an earlier sweep)');
  const threshold = thresholdOf(problems, raw.threshold);
  const json = outputTarget(raw.json);
  let sweep: SweepCommandConfig | undefined;
  try {
    sweep = parseSweepCommandConfig({ ...raw, out: raw.out ?? 'bench-results/check', fresh: raw.resume !== true }, startingGrid);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (raw.baseline === STDIO && raw.current === STDIO) problems.push('--baseline and --current cannot both read stdin (-)');
  const exports = exportsOf(raw);
  oneStdout(problems, { '--json': json, '--export-csv': exports.csv, '--export-markdown': exports.markdown });
  if (problems.length > 0 || !sweep) throw new ConfigError([...new Set(problems)]);
  return {
    baseline: inputFile(raw.baseline),
    ...(raw.current !== undefined ? { current: inputFile(raw.current) } : {}),
    threshold,
    ...(json ? { json } : {}),
    sweep,
  };
}

export interface CompareConfig {
  readonly a: string;
  readonly b: string;
  readonly threshold: number;
  readonly json?: OutputTarget;
}

export function parseCompareConfig(raw: RawOptions): CompareConfig {
  const problems: string[] = [];
  const threshold = thresholdOf(problems, raw.threshold);
  if (raw.a === STDIO && raw.b === STDIO) problems.push('the two results files cannot both be stdin (-)');
  if (problems.length > 0) throw new ConfigError(problems);
  const json = outputTarget(raw.json);
  return { a: inputFile(raw.a), b: inputFile(raw.b), threshold, ...(json ? { json } : {}) };
}

export interface DetectConfig {
  readonly json?: OutputTarget;
  /** Ask the Docker engine too (default). */
  readonly docker: boolean;
  readonly image?: string;
  readonly stateDir: string;
}

export function parseDetectConfig(raw: RawOptions): DetectConfig {
  const json = outputTarget(raw.json);
  return {
    ...(json ? { json } : {}),
    docker: raw.docker !== false,
    ...(raw.image !== undefined ? { image: String(raw.image) } : {}),
    stateDir: resolveStateDir(raw.stateDir === undefined ? undefined : String(raw.stateDir)),
  };
}

export interface ExportConfig {
  /** A built-in profile's name, a profile file, a sweep's results.json or its profile.json; absent: the detected platform's profile. */
  readonly ref?: string;
  readonly format: ExportFormat;
  readonly role?: Role;
  readonly out: OutputTarget;
  /** From a results file: export this point instead of the winner. */
  readonly point?: string;
}

export function parseExportConfig(raw: RawOptions): ExportConfig {
  const problems: string[] = [];
  const format = String(raw.format ?? 'json');
  if (!(exportFormats as readonly string[]).includes(format)) problems.push(`--format is "${format}"; choose one of ${exportFormats.join(', ')}`);
  const role = raw.role === undefined ? undefined : String(raw.role);
  if (role !== undefined && !(roles as readonly string[]).includes(role)) problems.push(`--role is "${role}"; choose one of ${roles.join(', ')}`);
  if (role !== undefined && format !== 'postgresql-conf') problems.push('--role applies to --format postgresql-conf only');
  // `--profile` is the older spelling of the positional argument (kept hidden for scripts that use it).
  const ref = raw.ref ?? raw.profile;
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...(ref !== undefined ? { ref: ref === STDIO ? STDIO : String(ref) } : {}),
    format: format as ExportFormat,
    ...(role ? { role: role as Role } : {}),
    out: outputTarget(raw.out ?? STDIO)!,
    ...(raw.point !== undefined ? { point: String(raw.point) } : {}),
  };
}

export interface ProfileListConfig {
  readonly json?: OutputTarget;
}

export function parseProfileListConfig(raw: RawOptions): ProfileListConfig {
  const json = outputTarget(raw.json);
  return json ? { json } : {};
}

export interface ReportConfig {
  readonly results: string;
  /** Where report.md, charts/ and profile.json go; default: the results file's directory (the current one for stdin). */
  readonly out?: string;
  readonly exports: Exports;
}

export function parseReportConfig(raw: RawOptions): ReportConfig {
  const exports = exportsOf(raw);
  const problems: string[] = [];
  oneStdout(problems, { '--export-csv': exports.csv, '--export-markdown': exports.markdown });
  if (problems.length > 0) throw new ConfigError(problems);
  return { results: inputFile(raw.results), ...(raw.out !== undefined ? { out: resolve(String(raw.out)) } : {}), exports };
}

export const shells = ['bash', 'zsh'] as const;
export type Shell = (typeof shells)[number];

export function parseCompletionConfig(raw: RawOptions): { shell: Shell } {
  const shell = String(raw.shell ?? 'bash');
  if (!(shells as readonly string[]).includes(shell)) throw new ConfigError([`no completion for "${shell}"; choose one of ${shells.join(', ')}`]);
  return { shell: shell as Shell };
}

/**
 * Each command's parser, by its path on the command line. Commands read their options only through
 * these, and the help test checks every listed option against them.
 */
export const commandConfigs = {
  up: parseServerOptions,
  down: parseStateOptions,
  status: parseStatusConfig,
  seed: parseSeedConfig,
  run: parseRunConfig,
  sweep: (raw: RawOptions) => parseSweepCommandConfig(raw),
  quick: (raw: RawOptions) => parseQuickConfig(raw),
  check: (raw: RawOptions) => parseCheckConfig(raw),
  compare: parseCompareConfig,
  detect: parseDetectConfig,
  'profile export': parseExportConfig,
  'profile list': parseProfileListConfig,
  report: parseReportConfig,
  completion: parseCompletionConfig,
} as const satisfies Record<string, (raw: RawOptions) => unknown>;
