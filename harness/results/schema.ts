import { z } from 'zod';
import { BenchError } from '../base/errors.js';
import { claimsRecord, pointRecord } from './points-schema.js';

/**
 * The results file's schema: what a reader of results.json may rely on, checked when the file is read
 * (`bench report`, `check`, `compare`, `--versus`). Fields the reports only display pass through as they
 * are; the ones every number is computed from (each trial's spec, state and seconds) are checked.
 */
const seconds = z.object({ schema: z.number(), copy: z.number(), constraints: z.number(), validate: z.number(), total: z.number() }).loose();

const specBase = {
  id: z.string(),
  point: z.string(),
  parallelism: z.number().int().positive(),
  repetition: z.number().int().positive(),
  warmup: z.boolean().optional(),
  round: z.number().int().nonnegative().optional(),
};

const spec = z.discriminatedUnion('kind', [
  z
    .object({
      ...specBase,
      kind: z.literal('strategy'),
      strategy: z.string(),
      partitions: z.number().int().positive(),
      workers: z.number().int().nonnegative(),
      constraints: z.enum(['after', 'overlap', 'before', 'none']),
      params: z.object({ batchSize: z.number(), copyFormat: z.string(), queueSize: z.number(), chunkSize: z.number() }).loose(),
    })
    .loose(),
  z.object({ ...specBase, kind: z.literal('peer'), peer: z.string() }).loose(),
]);

const metrics = z.object({ seconds, rows: z.number(), rowsPerSecond: z.number() }).loose();

const trial = z.discriminatedUnion('state', [
  z.object({ spec, startedAt: z.string(), state: z.literal('ok'), metrics, validation: z.array(z.object({ table: z.string(), match: z.boolean() }).loose()) }).loose(),
  z.object({ spec, startedAt: z.string(), state: z.literal('failed'), phase: z.string(), error: z.string(), metrics: metrics.optional() }).loose(),
  z.object({ spec, startedAt: z.string(), state: z.literal('skipped'), reason: z.string() }).loose(),
]);

export const resultsSchema = z
  .object({
    format: z.literal('bench-results'),
    version: z.literal(2),
    command: z.enum(['run', 'quick', 'sweep']),
    createdAt: z.string(),
    environment: z.object({ bench: z.object({ version: z.string() }).loose(), host: z.object({ hostname: z.string() }).loose() }).loose(),
    dataset: z.object({ source: z.string(), tables: z.array(z.object({ table: z.string(), rows: z.number(), bytes: z.number() })) }),
    config: z.record(z.string(), z.unknown()),
    trials: z.array(trial),
    // Derived from the trials for other readers (points-schema.ts); absent in files from before them.
    points: z.array(pointRecord).optional(),
    claims: claimsRecord.optional(),
  })
  .loose();

/** Validates parsed JSON as a results file (upgrading version 1), or throws one line naming the file and the first problem. */
export function parseResults(raw: unknown, file: string): z.infer<typeof resultsSchema> {
  const head = (raw ?? {}) as { format?: unknown; version?: unknown };
  if (head.format !== 'bench-results') throw new BenchError(`${file} is not a bench results file (format is ${String(head.format)})`);
  const upgraded = head.version === 1 ? upgradeV1(raw as V1) : raw;
  const version = (upgraded as { version?: unknown }).version;
  if (version !== 2) throw new BenchError(`${file} has results version ${String(version)}; this bench reads versions 1 and 2 (re-run the sweep with this bench)`);
  const parsed = resultsSchema.safeParse(upgraded);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BenchError(`${file} is not a valid bench results file: ${issue.message} at ${issue.path.join('.') || 'the top level'}`);
  }
  return parsed.data;
}

interface V1 {
  version: 1;
  trials: { spec: Record<string, unknown> }[];
  peers?: ({ peer: string; parallelism: number; repetition: number; startedAt: string; state: string; seconds?: { load: number; constraints: number; total: number }; rows?: number } & Record<string, unknown>)[];
  [key: string]: unknown;
}

/**
 * Version 1 kept peer runs in their own list and had no warm-ups. Its strategy trials become
 * `kind: 'strategy'` trials and its peer runs `kind: 'peer'` trials, so a baseline made by an earlier
 * bench can still be checked against.
 */
function upgradeV1(v1: V1): unknown {
  const { peers = [], ...rest } = v1;
  return {
    ...rest,
    version: 2,
    trials: [
      ...v1.trials.map((t) => ({ ...t, spec: { kind: 'strategy', partitions: 1, workers: 0, ...t.spec } })),
      ...peers.map(({ peer, parallelism, repetition, startedAt, seconds: s, ...r }) => ({
        ...r,
        startedAt,
        spec: { kind: 'peer', peer, parallelism, repetition, id: `${peer}/p${parallelism}#${repetition}`, point: `${peer}/p${parallelism}` },
        ...(s ? { metrics: { seconds: { schema: 0, copy: s.load, constraints: s.constraints, validate: 0, total: s.total }, rows: r.rows ?? 0, rowsPerSecond: Number(r.rowsPerSecond ?? 0), tables: [], process: { wallSeconds: 0, cpuUserSeconds: 0, cpuSystemSeconds: 0, cpuCores: 0, peakRssBytes: 0 }, counters: {}, notes: r.note ? [r.note] : [], bytes: 0, wireBytes: 0, copyRowsPerSecond: 0, mbPerSecond: 0 } } : {}),
      })),
    ],
  };
}
