import { strategies } from '../../strategies/index.js';
import type { StrategyName } from '../model/contender.js';
import type { TrialSpec } from '../model/trial.js';
import type { SweepGrid } from '../config/options.js';
import { autoWorkers } from '../workers/policy.js';

/** The coordinates of a sweep point, without the repetition. */
export interface PointSpec {
  readonly strategy: StrategyName;
  readonly parallelism: number;
  readonly partitions: number;
  readonly batchSize?: number;
}

/**
 * Readable and stable: "pipeline/p4", "native-bulk/p8/parts4", "direct-stream/p2/batch1000". A default
 * dimension is left out so a grid that does not vary it reads like the seeds' tables.
 */
export function pointKey(p: PointSpec): string {
  return [
    p.strategy,
    `p${p.parallelism}`,
    ...(p.partitions > 1 ? [`parts${p.partitions}`] : []),
    ...(p.batchSize !== undefined ? [`batch${p.batchSize}`] : []),
  ].join('/');
}

/** Strategies that write with INSERT batches; batch size means nothing to a COPY pipe. */
export function usesBatches(strategy: StrategyName): boolean {
  return strategies[strategy].defaultBatchSize !== undefined;
}

/** The points of a grid, in grid order, batch sizes only where they matter. */
export function expandPoints(grid: Pick<SweepGrid, 'strategies' | 'parallelism' | 'partitions' | 'batchSizes'>): PointSpec[] {
  const points: PointSpec[] = [];
  const seen = new Set<string>();
  const varyBatch = grid.batchSizes.length > 1;
  for (const strategy of grid.strategies) {
    for (const parallelism of grid.parallelism) {
      for (const partitions of grid.partitions) {
        for (const batch of usesBatches(strategy) ? grid.batchSizes : [undefined]) {
          const point: PointSpec = { strategy, parallelism, partitions, ...(batch !== undefined ? { batchSize: batch } : {}) };
          // The key names the batch size only when the grid varies it: "pipeline/p4", not "pipeline/p4/batch5000".
          const key = pointKey(varyBatch ? point : { strategy, parallelism, partitions });
          if (!seen.has(key)) {
            seen.add(key);
            points.push(point);
          }
        }
      }
    }
  }
  return points;
}

/**
 * The grid as a flat list of concrete trials, expanded before anything runs (hyperfine's rule).
 * Repetitions are interleaved: round 1 runs every point once, then round 2… so a slow drift of the
 * machine (a neighbour's load, a warming cache) spreads over all points instead of biasing one.
 */
export function expandSweep(grid: SweepGrid): TrialSpec[] {
  const points = expandPoints(grid);
  const varyBatch = grid.batchSizes.length > 1;
  const specs: TrialSpec[] = [];
  for (let repetition = 1; repetition <= grid.repeat; repetition++) {
    for (const p of points) {
      const point = pointKey(varyBatch ? p : { strategy: p.strategy, parallelism: p.parallelism, partitions: p.partitions });
      specs.push({
        id: `${point}#${repetition}`,
        point,
        strategy: p.strategy,
        parallelism: p.parallelism,
        partitions: p.partitions,
        workers: !usesBatches(p.strategy) ? 0 : grid.workers === 'auto' || grid.workers === undefined ? autoWorkers(p.parallelism) : grid.workers,
        constraints: grid.constraints,
        params: { ...grid.params, batchSize: p.batchSize ?? strategies[p.strategy].defaultBatchSize ?? 5000 },
        repetition,
      });
    }
  }
  return specs;
}
