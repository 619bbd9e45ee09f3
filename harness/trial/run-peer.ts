import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from '../model/catalog.js';
import type { Database, TableFingerprint } from '../engines/engine.js';
import { describeError, isAbortError } from '../base/errors.js';
import type { Peer, PeerContext } from '../peers/peer.js';
import type { PeerResult } from '../model/trial.js';
import { applyConstraints, resetTarget } from './run-trial.js';
import { describeMismatch, validateCopy, validationPassed } from './validate.js';

export interface PeerEnvironment {
  readonly sourceUrl: string;
  readonly targetUrl: string;
  readonly source: Database;
  readonly target: Database;
  readonly tables: readonly Table[];
  readonly workRoot: string;
  readonly signal: AbortSignal;
  readonly sourceFingerprints: Map<string, TableFingerprint>;
}

/**
 * One peer trial, shaped like bench's own: reset the target, run the tool (timed), add keys and indexes
 * where the tool only loads (timed), validate with the same checksums. A tool that fails or is missing
 * is a row in the report, never a crash.
 */
export async function runPeer(peer: Peer, parallelism: number, repetition: number, env: PeerEnvironment): Promise<PeerResult> {
  const base = { peer: peer.name, parallelism, repetition, startedAt: new Date().toISOString() };
  const workDir = join(env.workRoot, `peer-${peer.name}-${parallelism}-${repetition}`);
  const ctx: PeerContext = { ...env, parallelism, workDir };
  let phase: 'prepare' | 'load' | 'constraints' | 'validate' = 'prepare';
  try {
    const handled = peer.handles(env.tables);
    if (handled !== true) return { ...base, state: 'skipped', reason: handled };
    const ok = await peer.available(ctx);
    if (ok !== true) return { ...base, state: 'skipped', reason: ok };
    mkdirSync(workDir, { recursive: true, mode: 0o700 }); // spill files and passfiles: owner only
    if (peer.target === 'tables') await resetTarget(env);
    else {
      await env.target.dropTables(env.tables.map((t) => ({ schema: t.schema, name: t.name })));
      await env.target.settle?.();
    }
    await peer.prepare?.(ctx);

    phase = 'load';
    const t0 = performance.now();
    const note = await peer.run(ctx);
    const load = (performance.now() - t0) / 1000;
    phase = 'constraints';
    const t1 = performance.now();
    if (peer.target === 'tables') await applyConstraints(env, env.target.constraintSteps(env.tables), parallelism);
    const constraints = (performance.now() - t1) / 1000;

    phase = 'validate';
    const validation = await validateCopy(env.source, env.target, env.tables, { parallelism: Math.max(2, parallelism), sourceCache: env.sourceFingerprints });
    if (!validationPassed(validation)) return { ...base, state: 'failed', phase, error: describeMismatch(validation) };
    const rows = validation.reduce((n, v) => n + v.targetRows, 0);
    const total = load + constraints;
    return { ...base, state: 'ok', seconds: { load, constraints, total }, rows, rowsPerSecond: total > 0 ? rows / total : 0, validation, ...(note ? { note } : {}) };
  } catch (err) {
    if (isAbortError(err) || env.signal.aborted) throw env.signal.reason ?? err;
    return { ...base, state: 'failed', phase, error: describeError(err) };
  } finally {
    await peer.cleanup?.(ctx).catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}
