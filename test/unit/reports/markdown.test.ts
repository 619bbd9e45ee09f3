import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../../../harness/model/trial.js';
import { analyzeTrials } from '../../../harness/analysis/sweep-analysis.js';
import type { SweepRecord } from '../../../harness/results/results-file.js';
import { renderMarkdown } from '../../../reports/markdown.js';
import { failedTrial, okTrial, resultsFileOf, trialsTaking } from '../../support/results.js';

async function render(trials: readonly TrialResult[], sweep?: Partial<SweepRecord>, extras: { profileFile?: string } = {}) {
  const results = resultsFileOf(trials, sweep);
  return renderMarkdown(results, analyzeTrials(trials), { charts: [{ title: 'rows/s against parallelism', path: 'charts/throughput.svg' }], ...extras });
}

/** The lines of the markdown table that follows `heading`. */
function tableAfter(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const from = lines.findIndex((l, i) => i > start && l.startsWith('|'));
  const rows: string[] = [];
  for (let i = from; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(lines[i]!);
  return rows;
}

/** Cells of a table row, splitting on unescaped pipes only. */
function cells(row: string): string[] {
  return row.slice(2, -2).split(/(?<!\\) \| /);
}

const grid = [
  okTrial({ strategy: 'csv-buffer', parallelism: 1 }, 4, 1),
  okTrial({ strategy: 'csv-buffer', parallelism: 1 }, 4, 2),
  okTrial({ strategy: 'csv-buffer', parallelism: 2 }, 2, 1),
  okTrial({ strategy: 'csv-buffer', parallelism: 2 }, 2, 2),
  okTrial({ strategy: 'native-bulk', parallelism: 1 }, 1, 1),
  okTrial({ strategy: 'native-bulk', parallelism: 1 }, 1, 2),
  okTrial({ strategy: 'native-bulk', parallelism: 2 }, 0.5, 1),
  okTrial({ strategy: 'native-bulk', parallelism: 2 }, 0.5, 2),
];

describe('renderMarkdown', () => {
  it('has the strategy × parallelism matrix with median rows/s and the speed-up over csv-buffer', async () => {
    const md = await render(grid);
    expect(md).toContain('## Throughput matrix');
    const table = tableAfter(md, '## Throughput matrix');
    expect(cells(table[0]!)).toEqual(['strategy', 'p1', 'p2', 'best vs csv-buffer']);
    expect(table.slice(2).map(cells)).toEqual([
      ['csv-buffer', '2,500', '5,000', '1.00×'],
      ['native-bulk', '10,000', '20,000', '4.00×'],
    ]);
  });

  it('names the fastest point and links the charts', async () => {
    const md = await render(grid, {}, { profileFile: '/tmp/out/profile.json' });
    expect(md).toContain('Fastest: `native-bulk/p2` at 20,000 rows/s');
    expect(md).toContain('`native-bulk/p2` is 2.00× as fast as `native-bulk/p1`');
    expect(md).toContain('Median 4.0× the csv-buffer baseline');
    expect(md).toContain('![rows/s against parallelism](charts/throughput.svg)');
    expect(md).toContain('## Best settings found');
    expect(md).toContain('bench run --profile /tmp/out/profile.json');
    expect(md).not.toContain('interrupted');
    expect(md).not.toContain('## Failed trials');
  });

  it('lists every failed trial with its phase and error, and never makes its point the best', async () => {
    const md = await render([
      ...grid,
      failedTrial({ strategy: 'native-bulk', parallelism: 2 }, 'public.t: target refused row 7', 3, 'copy'),
    ]);
    const failures = tableAfter(md, '## Failed trials');
    expect(failures.slice(2).map(cells)).toEqual([['native-bulk/p2#3', 'copy', 'public.t: target refused row 7']]);
    expect(md).toContain('Fastest: `native-bulk/p1` at 10,000 rows/s');
    expect(md).toContain('Trials: 8 valid, 1 failed, 0 skipped');
  });

  it('escapes pipes and newlines in errors so the tables keep their columns', async () => {
    const error = 'COPY failed | column "a|b" \nline two';
    const md = await render([...grid, failedTrial({ strategy: 'csv-buffer', parallelism: 2 }, error, 3, 'copy')]);
    const failures = tableAfter(md, '## Failed trials');
    const row = failures[2]!;
    expect(row).toContain('COPY failed \\| column "a\\|b"  line two');
    expect(cells(row)).toHaveLength(3);
    // The same error in the per-point table is escaped too.
    const points = tableAfter(md, '## Every point');
    const csv2 = points.find((r) => r.startsWith('| csv-buffer/p2 |'))!;
    expect(cells(csv2)).toHaveLength(cells(points[0]!).length);
    expect(csv2).toContain('failed copy: COPY failed \\| column');
  });

  it('says the sweep was interrupted when it did not complete', async () => {
    const md = await render(grid.slice(0, 3), { complete: false, trialsPlanned: 8 });
    expect(md).toMatch(/Trials: 3 valid, 0 failed, 0 skipped of 8 planned \(\*\*interrupted\*\*/);
  });

  it('says there is no best setting when no point passed every trial', async () => {
    const md = await render([failedTrial({ strategy: 'pipeline' }, 'boom', 1)]);
    expect(md).toContain('No point completed with every trial valid');
    expect(md).not.toContain('## Best settings found');
    expect(md).toContain('## Failed trials');
  });

  it('warns when a server ran from an emulated image (recorded by the Docker provider)', async () => {
    const results = resultsFileOf(grid);
    const source = { ...results.environment.servers.source, engine: 'mssql' as const, provider: 'docker', details: { emulated: 'amd64 image on an arm64 engine' } };
    const md = renderMarkdown({ ...results, environment: { ...results.environment, servers: { ...results.environment.servers, source } } }, analyzeTrials(grid));
    expect(md).toContain('| ⚠ source server | runs EMULATED (amd64 image on an arm64 engine): expect it to be much slower than on a native image |');
    expect(md).not.toContain('⚠ target server');
    expect(await render(grid)).not.toContain('EMULATED');
  });

  it('names no fastest point when the best two are within the noise, and shows each point\'s CV', async () => {
    const md = await render([
      ...trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [1.0, 1.08, 0.95]),
      ...trialsTaking({ strategy: 'native-bulk', parallelism: 4 }, [1.02, 0.97, 1.06]),
    ]);
    expect(md).toContain('No single fastest point');
    expect(md).toMatch(/are within the noise of each other/);
    expect(md).not.toContain('Fastest:');
    expect(md).toMatch(/\| native-bulk\/p2 \| 3\/3 \|[^\n]*\| 6\.\d% \(noisy\) \|/);
  });

  it('says what each loading option bought when a sweep varied --constraints or --freeze', async () => {
    const under = (suffix: string, seconds: number[]) =>
      trialsTaking({ strategy: 'native-bulk', parallelism: 4 }, seconds).map((t) => ({ ...t, spec: { ...t.spec, point: `${t.spec.point}${suffix}`, id: `${t.spec.point}${suffix}#${t.spec.repetition}` } }));
    const md = await render([...under('/constraints:after', [2, 2.02, 1.99]), ...under('/constraints:overlap', [1.6, 1.62, 1.59])]);
    const rows = tableAfter(md, '## What each loading option bought');
    expect(rows).toHaveLength(3);
    expect(cells(rows[2]!).slice(0, 2)).toEqual(['native-bulk/p4', '`--constraints overlap`']);
    expect(cells(rows[2]!)[3]).toBe('`--constraints after`');
    expect(cells(rows[2]!)[6]).toMatch(/^`--constraints overlap` is 1\.25× as fast as/);
    expect(await render(grid)).not.toContain('What each loading option bought');
  });

  it('reports a contender faster than the physical limit as a measurement fault', async () => {
    const md = await render([...trialsTaking('server-copy', [3.0, 3.05, 2.97]), ...trialsTaking({ strategy: 'native-bulk', parallelism: 2 }, [2.0, 2.03, 1.98])]);
    expect(md).toMatch(/\*\*Measurement fault: `native-bulk\/p2` was measured 1\.50× faster than the physical limit/);
  });

  it('best settings show the snippets a DBA applies, not only a bench command (issue 15)', async () => {
    const md = await render(grid, undefined, { profileFile: '/out/profile.json' });
    const section = md.slice(md.indexOf('## Best settings found'), md.indexOf('## Environment'));
    expect(section).toContain("### The target server's postgresql.conf");
    expect(section).toMatch(/```ini\n# bench: the target server's settings of the sweep's winner native-bulk\/p2/);
    expect(section).toContain('`bench profile export /out/profile.json --format postgresql-conf --role target` writes this file');
    expect(section).toMatch(/```sh\n# bench: Airflow settings for the sweep's winner native-bulk\/p2[\s\S]*AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG=2\n[\s\S]*AIRFLOW_VAR_BENCH_COPY_STRATEGY=native-bulk\n/);
    expect(section.trimEnd().split('\n').at(-1)).toBe('Saved as a profile: `/out/profile.json` (`bench run --profile /out/profile.json` runs the same copy with bench).');
  });
});
