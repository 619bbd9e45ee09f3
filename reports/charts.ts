import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { SweepAnalysis } from '../harness/analysis/sweep-analysis.js';

/** A chart written next to the markdown report, linked by its relative path. */
export interface ChartFile {
  readonly title: string;
  /** Relative to the report directory. */
  readonly path: string;
}

/** vega-lite → vega → SVG, headless (renderer 'none': no canvas or DOM needed on Node). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const font = { config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: 'transparent' } } } as const;

/** rows/s against parallelism, one line per strategy, whiskers from the slowest to the fastest trial. */
export function throughputSpec(a: SweepAnalysis): TopLevelSpec {
  const values = [...a.matrix].flatMap(([strategy, row]) =>
    [...row.values()].map((p) => ({
      strategy,
      parallelism: p.parallelism,
      median: Math.round(p.stats!.rowsPerSecond.median),
      min: Math.round(p.stats!.rowsPerSecond.min),
      max: Math.round(p.stats!.rowsPerSecond.max),
    })),
  );
  const x = { field: 'parallelism', type: 'quantitative' as const, scale: { type: 'log' as const, base: 2 }, axis: { values: [...a.parallelismLevels], title: 'parallelism (concurrent tasks)' } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Throughput by strategy and parallelism (median of repeats, whiskers min–max)',
    width: 560,
    height: 320,
    data: { values },
    layer: [
      { mark: { type: 'rule' }, encoding: { x, y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' }, color: { field: 'strategy', type: 'nominal' } } },
      {
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'median', type: 'quantitative', title: 'rows/s (copy + constraints)' },
          color: { field: 'strategy', type: 'nominal', title: 'strategy' },
        },
      },
    ],
    ...font,
  };
}

/** Per-table seconds of the best point's median trial: where the time went. */
export function tablesSpec(a: SweepAnalysis): TopLevelSpec | undefined {
  const m = a.best?.medianTrial?.metrics;
  if (!m) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Per-table copy time, best point (${a.best!.point})`,
    width: 560,
    height: { step: 22 },
    data: { values: m.tables.map((t) => ({ table: t.table, seconds: Number(t.seconds.toFixed(3)), rows: t.rows })) },
    mark: 'bar',
    encoding: {
      y: { field: 'table', type: 'nominal', sort: '-x', title: null },
      x: { field: 'seconds', type: 'quantitative', title: 'seconds (first task start → last task end)' },
    },
    ...font,
  };
}

/** Copy against constraint time per point's median trial: the share a post-load index build takes. */
export function phasesSpec(a: SweepAnalysis): TopLevelSpec | undefined {
  const values = a.points.flatMap((p) => {
    const m = p.medianTrial?.metrics;
    return m
      ? [
          { point: p.point, phase: 'copy', seconds: Number(m.seconds.copy.toFixed(3)) },
          { point: p.point, phase: 'constraints', seconds: Number(m.seconds.constraints.toFixed(3)) },
        ]
      : [];
  });
  if (values.length === 0) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Where each point spends its time (median trial)',
    width: 560,
    height: { step: 18 },
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'point', type: 'nominal', sort: 'x', title: null },
      x: { field: 'seconds', type: 'quantitative', stack: 'zero', title: 'seconds' },
      color: { field: 'phase', type: 'nominal', title: 'phase' },
    },
    ...font,
  };
}

/** One trial's timeline (the best point's median trial): CPU of host, servers and bench, I/O wait. */
export function timelineSpec(a: SweepAnalysis): TopLevelSpec | undefined {
  const samples = a.best?.resources?.samples;
  if (!samples || samples.length < 2) return undefined;
  const cores = a.best!.resources!.summary.cores;
  const values = samples.flatMap((s) => [
    ...(s.cpu ? [{ t: s.t, series: 'host busy (cores)', value: ((s.cpu.user + s.cpu.system) / 100) * cores }] : []),
    ...(s.cpu ? [{ t: s.t, series: 'I/O wait (cores)', value: (s.cpu.iowait / 100) * cores }] : []),
    ...(s.servers.source ? [{ t: s.t, series: 'source server', value: s.servers.source.cpuCores }] : []),
    ...(s.servers.target ? [{ t: s.t, series: 'target server', value: s.servers.target.cpuCores }] : []),
    { t: s.t, series: 'bench process', value: s.bench.cpuCores },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `CPU over time, best point's median trial (${a.best!.medianTrial?.spec.id ?? a.best!.point}; ${cores} cores)`,
    width: 560,
    height: 260,
    data: { values },
    // Each sample is an average over the interval that ends at it: drawn as steps through the sample
    // points, never as a smoothed curve that invents values between samples.
    mark: { type: 'line', interpolate: 'step-before', point: true },
    encoding: {
      x: { field: 't', type: 'quantitative', title: `seconds into copy + constraints (${samples.length} samples)` },
      y: { field: 'value', type: 'quantitative', title: 'cores' },
      color: { field: 'series', type: 'nominal', title: null },
    },
    ...font,
  };
}

/** Renders every chart that has data into `dir/charts/`. */
export async function writeCharts(dir: string, a: SweepAnalysis): Promise<ChartFile[]> {
  const charts: [string, string, TopLevelSpec | undefined][] = [
    ['throughput.svg', 'rows/s against parallelism', a.matrix.size > 0 ? throughputSpec(a) : undefined],
    ['tables.svg', 'per-table time of the best point', tablesSpec(a)],
    ['phases.svg', 'copy and constraint time per point', phasesSpec(a)],
    ['timeline.svg', 'CPU over time of the best run', timelineSpec(a)],
  ];
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const written: ChartFile[] = [];
  for (const [file, title, spec] of charts) {
    if (!spec) continue;
    writeFileSync(join(dir, 'charts', file), await renderSvg(spec));
    written.push({ title, path: `charts/${file}` });
  }
  return written;
}
