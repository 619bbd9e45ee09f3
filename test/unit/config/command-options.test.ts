import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../harness/main.js';
import { commandConfigs, parseCheckConfig, parseExportConfig, parseSweepCommandConfig } from '../../../harness/config/command-options.js';
import { parseRunConfig } from '../../../harness/config/options.js';
import type { RawOptions } from '../../../harness/config/options.js';

/**
 * Issue 15: each command's help lists only options that command uses. For every option a command's
 * help shows, giving it a value must change what the command's parser (the only way a command reads its
 * options: config/command-options.ts commandConfigs) returns, or make it refuse. An option that changes
 * nothing is noise in the help, or a flag the command silently ignores.
 */

/** A value for each option, by flag; `with` is what the option needs beside it to mean anything. */
const samples: Record<string, { value: unknown; with?: RawOptions }> = {
  '--provider': { value: 'docker' },
  '--state-dir': { value: '/tmp/bench-help-test-state' },
  '--profile': { value: 'ci-small' },
  '--source-url': { value: 'postgres://u@db1:5432/app' },
  '--target-url': { value: 'postgres://u@db2:5432/app' },
  '--source-port': { value: '56001' },
  '--target-port': { value: '56002' },
  '--image': { value: 'postgres:15' },
  '--cpus': { value: '1.5' },
  '--memory': { value: '2GB' },
  '--strategy': { value: 'pipeline' },
  '--parallelism': { value: '3' },
  '--partitions': { value: '3' },
  '--batch-size': { value: '777' },
  '--queue-size': { value: '1234' },
  '--chunk-size': { value: '4321' },
  '--spill-dir': { value: '/tmp/bench-help-test-spill' },
  '--constraints': { value: 'before' },
  '--copy-format': { value: 'text' },
  '--copy-relay': { value: 'parsed' },
  '--freeze': { value: 'off' },
  '--partition-min-rows': { value: '7' },
  '--workers': { value: '3' },
  '--tables': { value: ['public.orders'] },
  '--json': { value: '/tmp/bench-help-test.json' },
  '--repeat': { value: '4' },
  '--warmup': { value: '2' },
  '--server-settings': { value: ['profile', 'wal-minimal'] },
  '--search': { value: 'adaptive' },
  '--out': { value: '/tmp/bench-help-test-out' },
  '--resume': { value: true },
  '--fresh': { value: true },
  '--versus': { value: '/tmp/grid/results.json' },
  '--peers': { value: ['psql-pipe'] },
  '--no-peers': { value: false },
  '--peer-parallelism': { value: '3' },
  '--export-csv': { value: '/tmp/points.csv' },
  '--export-markdown': { value: '/tmp/points.md' },
  '--quick': { value: true },
  '--baseline': { value: '/tmp/other-baseline.json' },
  '--current': { value: '/tmp/current.json' },
  '--threshold': { value: '15' },
  '--scale': { value: '0.5' },
  '--seed': { value: '9' },
  '--concurrency': { value: '3' },
  '--force': { value: true },
  '--no-docker': { value: false },
  '--format': { value: 'airflow-env' },
  '--role': { value: 'target', with: { format: 'postgresql-conf' } },
  '--point': { value: 'pipeline/p4' },
};
for (const side of ['source', 'target']) {
  const host = { [`${side}Host`]: 'db1' };
  const mssql = { ...host, [`${side}Engine`]: 'mssql', [`${side}User`]: 'bench' };
  Object.assign(samples, {
    [`--${side}-host`]: { value: 'db1' },
    [`--${side}-engine`]: { value: 'mssql', with: host },
    [`--${side}-user`]: { value: 'someone', with: host },
    [`--${side}-password`]: { value: 'secret', with: host },
    [`--${side}-database`]: { value: 'other', with: host },
    [`--${side}-instance`]: { value: 'SQL2022', with: mssql },
    [`--${side}-encrypt`]: { value: 'false', with: mssql },
    [`--${side}-trust-server-certificate`]: { value: true, with: mssql },
  });
}

/** What a command needs to parse at all (required options and arguments). */
const required: Partial<Record<keyof typeof commandConfigs, RawOptions>> = {
  check: { baseline: '/tmp/baseline.json' },
  compare: { a: '/tmp/a.json', b: '/tmp/b.json' },
  report: { results: '/tmp/results.json' },
  completion: { shell: 'bash' },
};

function commandsOf(program: Command): { path: string; cmd: Command }[] {
  const out: { path: string; cmd: Command }[] = [];
  const visit = (cmd: Command, path: string) => {
    for (const sub of cmd.commands) {
      const p = path ? `${path} ${sub.name()}` : sub.name();
      out.push({ path: p, cmd: sub });
      visit(sub, p);
    }
  };
  visit(program, '');
  return out;
}

const listed = (cmd: Command): Option[] => cmd.createHelp().visibleOptions(cmd).filter((o) => o.long !== '--help');

/** The parser's result, or its refusal: either way, what the command would do with these options. */
function outcome(parse: (raw: RawOptions) => unknown, raw: RawOptions): unknown {
  try {
    return JSON.parse(JSON.stringify(parse(raw)));
  } catch (err) {
    return { refused: (err as Error).message };
  }
}

describe('every option a command lists is used by that command', () => {
  const program = buildProgram(async () => {});
  const commands = commandsOf(program);

  it('each command with options has a parser, and each parser a command', () => {
    const withOptions = commands.filter((c) => listed(c.cmd).length > 0 || c.cmd.registeredArguments.length > 0).map((c) => c.path);
    expect(withOptions.sort()).toEqual(Object.keys(commandConfigs).sort());
  });

  for (const { path, cmd } of commands) {
    const parse = (commandConfigs as Record<string, (raw: RawOptions) => unknown>)[path];
    if (!parse) continue;
    const base = required[path as keyof typeof commandConfigs] ?? {};
    it(`bench ${path}: ${listed(cmd).length} options, each changes what it does`, () => {
      const unused: string[] = [];
      for (const option of listed(cmd)) {
        const sample = samples[option.long!];
        expect(sample, `no sample value for ${option.long} (add one to this test)`).toBeDefined();
        const context = { ...base, ...(sample!.with ?? {}) };
        const given = outcome(parse, { ...context, [option.attributeName()]: sample!.value });
        if (JSON.stringify(given) === JSON.stringify(outcome(parse, context))) unused.push(option.long!);
      }
      expect(unused, `bench ${path} lists options it does not use`).toEqual([]);
    });
  }

  it('down and status list only the state options (issue 15: they listed 31 connection and Docker options)', () => {
    for (const name of ['down', 'status']) {
      const cmd = commands.find((c) => c.path === name)!.cmd;
      expect(listed(cmd).map((o) => o.long).filter((l) => l !== '--json')).toEqual(['--provider', '--state-dir']);
    }
  });

  it('quick does not offer --quick, and check --help names its own --out default', () => {
    const help = (name: string) => commands.find((c) => c.path === name)!.cmd.helpInformation();
    expect(help('quick')).not.toMatch(/^\s+--quick\b/m);
    expect(help('sweep')).toMatch(/^\s+--quick\b/m);
    expect(help('check')).toMatch(/--out <dir>[\s\S]*default bench-results\/check/);
    expect(help('sweep')).toMatch(/--out <dir>[\s\S]*default bench-results\/sweep/);
  });

  it('one name per knob: run and sweep both take --strategy and --batch-size; the older plural spellings still parse', () => {
    const flags = (name: string) => listed(commands.find((c) => c.path === name)!.cmd).map((o) => o.long);
    for (const name of ['run', 'sweep', 'check', 'quick']) expect(flags(name)).toEqual(expect.arrayContaining(['--strategy', '--parallelism', '--partitions', '--batch-size']));
    for (const name of ['sweep', 'check', 'quick']) expect(flags(name)).not.toEqual(expect.arrayContaining(['--strategies']));
    expect(parseSweepCommandConfig({ strategies: ['pipeline'], batchSizes: ['100,200'] }).grid).toMatchObject({ strategies: ['pipeline'], batchSizes: [100, 200] });
    expect(parseSweepCommandConfig({ strategy: ['pipeline'], batchSize: ['100,200'] }).grid).toMatchObject({ strategies: ['pipeline'], batchSizes: [100, 200] });
  });

  it('every command lists 1 to 3 examples; the program and the commands that run lists their exit codes', () => {
    for (const { path, cmd } of commands) {
      if (path === 'profile') continue;
      const text = helpText(cmd);
      const examples = /Examples:\n((?: {2}\$ .*\n?)+)/.exec(text)?.[1]?.trim().split('\n') ?? [];
      expect(examples.length, `bench ${path} --help`).toBeGreaterThanOrEqual(1);
      expect(examples.length, `bench ${path} --help`).toBeLessThanOrEqual(3);
    }
    expect(helpText(program)).toMatch(/Exit codes:\n {2}0 .*\n {2}1 [\s\S]*\n {2}2 [\s\S]*\n {2}130 /);
    for (const name of ['run', 'sweep', 'quick', 'check']) expect(helpText(commands.find((c) => c.path === name)!.cmd)).toMatch(/Exit codes:/);
  });
});

/** The help as printed, "after" texts included. */
function helpText(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  cmd.outputHelp();
  return text;
}

describe('- means stdout and stdin', () => {
  it('--json alone and --json - are stdout; a file is resolved', () => {
    expect(parseRunConfig({ json: true }).json).toBe('-');
    expect(parseRunConfig({ json: '-' }).json).toBe('-');
    expect(parseRunConfig({ json: 'r.json' }).json).toMatch(/^\/.*\/r\.json$/);
    expect(parseCheckConfig({ baseline: '-', current: 'c.json' }).baseline).toBe('-');
    expect(parseExportConfig({}).out).toBe('-');
  });

  it('two outputs on stdout at once are refused, with every other problem', () => {
    const refusal = outcome(parseCheckConfig, { baseline: 'b.json', json: true, exportCsv: '-', repeat: '0' }) as { refused?: string };
    expect(refusal.refused).toMatch(/--json and --export-csv all write to stdout/);
    expect(refusal.refused).toMatch(/--repeat is 0/);
    expect(() => parseCheckConfig({ baseline: '-', current: '-' })).toThrow(/cannot both read stdin/);
  });
});
