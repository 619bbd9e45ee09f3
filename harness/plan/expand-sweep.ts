import { strategies } from '../../strategies/index.js';
import type { PeerName, StrategyName } from '../model/contender.js';
import type { ConstraintMode, PeerTrialSpec, StrategyTrialSpec, TrialSpec } from '../model/trial.js';
import type { SweepGrid } from '../config/options.js';
import { autoWorkers } from '../workers/policy.js';

/** The coordinates of one of bench's sweep points, without the repetition. */
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

/** A peer's point: "psql-pipe/p2". Peer and strategy names never collide, so neither do their keys. */
export function peerPointKey(peer: PeerName, parallelism: number): string {
  return `${peer}/p${parallelism}`;
}

/** Strategies that write with INSERT batches; batch size means nothing to a COPY pipe. */
export function usesBatches(strategy: StrategyName): boolean {
  return strategies[strategy].defaultBatchSize !== undefined;
}

/** The points of a grid, in grid order, batch sizes only where they matter. */
export function expandPoints(grid: Pick<SweepGrid, 'strategies' | 'parallelism' | 'partitions' | 'batchSizes'>): PointSpec[] {
  const points: PointSpec[] = [];
  const seen = new Set<string>();
  for (const strategy of grid.strategies) {
    for (const parallelism of grid.parallelism) {
      for (const partitions of grid.partitions) {
        for (const batch of usesBatches(strategy) ? grid.batchSizes : [undefined]) {
          const point: PointSpec = { strategy, parallelism, partitions, ...(batch !== undefined ? { batchSize: batch } : {}) };
          const key = keyOf(grid, point);
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

/** The key names the batch size only when the grid varies it: "pipeline/p4", not "pipeline/p4/batch5000". */
function keyOf(grid: Pick<SweepGrid, 'batchSizes'>, p: PointSpec): string {
  return pointKey(grid.batchSizes.length > 1 ? p : { strategy: p.strategy, parallelism: p.parallelism, partitions: p.partitions });
}

/** A contender at one point, before rounds and repetitions are attached. */
type Contender = Omit<StrategyTrialSpec, 'id' | 'repetition' | 'warmup' | 'round'> | Omit<PeerTrialSpec, 'id' | 'repetition' | 'warmup' | 'round'>;

/**
 * Every contender of the plan: bench's points, then the peers at their parallelism levels, once per set
 * of server settings when the sweep varies them (each point then named with its set: "…/settings:wal-minimal").
 */
export function contendersOf(grid: SweepGrid): Contender[] {
  const sets = grid.serverSettings ?? [];
  const base = contendersUnderOneSetting(grid);
  if (sets.length <= 1 && Object.keys(sets[0]?.target ?? {}).length === 0) return base;
  return sets.flatMap((set) => base.map((c) => ({ ...c, point: `${c.point}/settings:${set.label}`, settings: set.label, serverSettings: set.target })));
}

function contendersUnderOneSetting(grid: SweepGrid): Contender[] {
  const mine = expandPoints(grid).flatMap((p) =>
    loadingModes(grid).map(
      (mode): Contender => ({
        kind: 'strategy',
        point: `${keyOf(grid, p)}${mode.label}`,
        strategy: p.strategy,
        parallelism: p.parallelism,
        partitions: p.partitions,
        workers: !usesBatches(p.strategy) ? 0 : grid.workers === 'auto' || grid.workers === undefined ? autoWorkers(p.parallelism) : grid.workers,
        constraints: mode.constraints,
        params: { ...grid.params, freeze: mode.freeze, batchSize: p.batchSize ?? strategies[p.strategy].defaultBatchSize ?? 5000 },
      }),
    ),
  );
  const theirs = grid.peers.flatMap((peer) =>
    grid.peerParallelism.map((parallelism): Contender => ({ kind: 'peer', point: peerPointKey(peer, parallelism), peer, parallelism })),
  );
  return [...mine, ...theirs];
}

/**
 * The constraint modes × COPY FREEZE choices every bench point runs under, each with the suffix that
 * names it in the point ("/constraints:overlap", "/freeze:on") where the grid varies it. FREEZE never
 * goes with constraints before (a referenced table cannot be truncated): that pair is left out.
 */
function loadingModes(grid: SweepGrid): { constraints: ConstraintMode; freeze: boolean; label: string }[] {
  const constraints = grid.constraintModes ?? [grid.constraints];
  const freezes = grid.freezeModes ?? [grid.params.freeze === true];
  return constraints.flatMap((c) =>
    freezes
      .filter((f) => !(f && c === 'before' && freezes.includes(false)))
      .map((f) => ({
        constraints: c,
        freeze: f && c !== 'before',
        label: `${constraints.length > 1 ? `/constraints:${c}` : ''}${freezes.length > 1 ? `/freeze:${f ? 'on' : 'off'}` : ''}`,
      })),
  );
}

/**
 * The plan as a flat list of concrete trials, expanded before anything runs (hyperfine's rule). bench's
 * strategies and the peer tools are contenders of the same plan, run in rounds: every contender once per
 * round, warm-up rounds first (logged, never counted), then the measured ones. A slow drift of the
 * machine (a neighbour's load, a warming cache, a fresh cluster's first WAL segments) therefore lands on
 * every contender alike, and bench-versus-tool ratios compare the same stretch of time. Each round starts
 * one contender later than the previous one, so no contender always runs right after the same other.
 * With several sets of server settings, each round runs the contenders set by set (the target restarts
 * between sets), the sets rotating too, so no set always runs first after a restart.
 */
export function expandSweep(grid: SweepGrid, contenders: readonly Contender[] = contendersOf(grid)): TrialSpec[] {
  // Contenders under the same server settings run together: the target restarts only between groups.
  const bySettings = new Map<string, Contender[]>();
  for (const c of contenders) bySettings.set(c.settings ?? '', [...(bySettings.get(c.settings ?? '') ?? []), c]);
  const groups = [...bySettings.values()];
  const specs: TrialSpec[] = [];
  const rounds = grid.warmup + grid.repeat;
  for (let round = 0; round < rounds; round++) {
    const warmup = round < grid.warmup;
    const repetition = warmup ? round + 1 : round - grid.warmup + 1;
    for (const group of rotate(groups, round)) {
      for (const c of rotate(group, round)) {
        specs.push({ ...c, id: `${c.point}#${warmup ? 'w' : ''}${repetition}`, repetition, round, ...(warmup ? { warmup: true } : {}) } as TrialSpec);
      }
    }
  }
  return specs;
}

/** The list starting `by` places later, wrapping round. */
function rotate<T>(list: readonly T[], by: number): T[] {
  const k = list.length === 0 ? 0 : by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}
