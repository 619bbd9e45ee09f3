import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { throwIfAborted } from '../base/errors.js';

/**
 * Pooled sessions whose running statements can be cancelled. Closing a socket does not stop a
 * backend (an INSERT … SELECT runs to its end before it notices the client is gone), so an abort sends
 * pg_cancel_backend for every busy session over a separate connection, outside the pool, which may be
 * full. The cancel is repeated until every statement has returned: a cancel that reaches a backend
 * just before its next statement starts is discarded by the server.
 */
export class Sessions {
  private readonly controller = new AbortController();
  /** Backend pid → statements running on it. */
  private readonly busy = new Map<number, number>();
  private cancelling: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly outer?: AbortSignal,
  ) {
    outer?.addEventListener('abort', this.onAbort, { once: true });
    if (outer?.aborted) this.onAbort();
  }

  /** Fires on the caller's abort and on the first failure, so that sibling statements stop too. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Runs `fn` on one pooled session; a session that saw an error is destroyed, not returned. */
  async with<T>(fn: (session: Session) => Promise<T>): Promise<T> {
    this.throwIfStopped();
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const pid = Number((await client.query<{ pid: string }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
      return await fn(new Session(client, pid, this));
    } catch (err) {
      broken = err instanceof Error ? err : new Error(String(err));
      this.fail(err);
      throw this.stopReason(err);
    } finally {
      client.release(broken);
    }
  }

  /** Runs `work` for every item, at most `concurrency` at a time, in the items' order; stops at the first failure. */
  async each<T>(items: readonly T[], concurrency: number, work: (item: T, session: Session) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length && !this.controller.signal.aborted) {
        const item = items[next++]!;
        await this.with((s) => work(item, s));
      }
    };
    const results = await Promise.allSettled(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) throw this.stopReason(rejected.reason);
    this.throwIfStopped();
  }

  /** Waits for outstanding cancels and detaches from the caller's signal. */
  async close(): Promise<void> {
    this.outer?.removeEventListener('abort', this.onAbort);
    await this.cancelling;
  }

  /** @internal Session bookkeeping. */
  markBusy(pid: number, delta: 1 | -1): void {
    const n = (this.busy.get(pid) ?? 0) + delta;
    if (n > 0) this.busy.set(pid, n);
    else this.busy.delete(pid);
  }

  throwIfStopped(): void {
    throwIfAborted(this.outer);
    if (this.failure) throw this.failure.error;
  }

  /** The caller's abort reason wins over the cancellation errors it causes. */
  private stopReason(err: unknown): unknown {
    if (this.outer?.aborted) {
      try {
        throwIfAborted(this.outer);
      } catch (reason) {
        return reason;
      }
    }
    return this.failure?.error ?? err;
  }

  private fail(error: unknown): void {
    if (this.failure || this.outer?.aborted) return;
    this.failure = { error };
    this.stopAll();
  }

  private readonly onAbort = (): void => this.stopAll();

  private stopAll(): void {
    if (!this.controller.signal.aborted) this.controller.abort();
    this.cancelling ??= this.cancelBusy();
  }

  private async cancelBusy(): Promise<void> {
    let canceller: pg.Client | undefined;
    try {
      for (let round = 0; this.busy.size > 0 && round < 600; round++) {
        if (!canceller) {
          canceller = new pg.Client(this.pool.options);
          canceller.on('error', () => undefined);
          await canceller.connect();
        }
        await canceller.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid', [[...this.busy.keys()]]);
        await sleep(50);
      }
    } catch {
      // Best effort: if the server cannot be reached, neither can the statements we wanted to stop.
    } finally {
      await canceller?.end().catch(() => undefined);
    }
  }
}

/** One checked-out connection; every statement on it is tracked for cancellation. */
export class Session {
  constructor(
    private readonly client: pg.PoolClient,
    readonly pid: number,
    private readonly owner: Sessions,
  ) {}

  async query<R extends pg.QueryResultRow = any>(sql: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    // Busy before the stop check: an abort between the two still sees this backend and cancels it.
    this.owner.markBusy(this.pid, 1);
    try {
      this.owner.throwIfStopped();
      return await this.client.query<R>(sql, values);
    } finally {
      this.owner.markBusy(this.pid, -1);
    }
  }
}
