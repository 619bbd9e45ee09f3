import { InterruptedError, UnexpectedError } from './errors.js';
import { log } from './log.js';

type Cleanup = () => Promise<void> | void;

/** How long a command stopped by an unexpected fault gets to unwind before it is made to exit. */
const FAULT_GRACE_MS = 15_000;

/**
 * What one command invocation owns: an AbortSignal that fires on Ctrl-C, SIGTERM, SIGHUP or the end of
 * the parent bin/bench.js, or on a fault nothing caught (fail()), and a stack of
 * cleanups run in reverse order when the command ends (always) or is interrupted. Clusters, containers,
 * spill files and connections register here, so "nothing the tool started is left behind" has one owner.
 */
export class Lifecycle {
  private readonly controller = new AbortController();
  private readonly cleanups: { label: string; fn: Cleanup; onlyOnInterrupt: boolean }[] = [];
  private signalsInstalled = false;
  private faultsInstalled = false;
  private disposing = false;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Ctrl-C, SIGTERM or SIGHUP: the command was stopped from outside. */
  get interrupted(): boolean {
    return this.controller.signal.aborted && !(this.controller.signal.reason instanceof UnexpectedError);
  }

  /** Set when an unhandled rejection or uncaught exception stopped the command (see fail()). */
  get failure(): UnexpectedError | undefined {
    const reason: unknown = this.controller.signal.reason;
    return reason instanceof UnexpectedError ? reason : undefined;
  }

  /** Runs when the command ends, however it ends. Returns a function that unregisters it. */
  defer(label: string, fn: Cleanup): () => void {
    return this.push(label, fn, false);
  }

  /** Runs only if the command fails or is interrupted: e.g. stop the clusters this command started, so a bad input or Ctrl-C leaves nothing running. Stopping keeps the data directory. */
  deferOnFailure(label: string, fn: Cleanup): () => void {
    return this.push(label, fn, true);
  }

  private push(label: string, fn: Cleanup, onlyOnInterrupt: boolean): () => void {
    const entry = { label, fn, onlyOnInterrupt };
    this.cleanups.push(entry);
    return () => {
      const i = this.cleanups.indexOf(entry);
      if (i >= 0) this.cleanups.splice(i, 1);
    };
  }

  abort(signalName = 'SIGINT'): void {
    if (!this.controller.signal.aborted) this.controller.abort(new InterruptedError(signalName));
  }

  /**
   * Stops the command because something failed where nothing could catch it: the signal aborts with an
   * UnexpectedError, so the command unwinds through its own code (the trial under way is recorded as
   * failed, cleanups run) to the one exit path in main.ts. Should the command not unwind (a promise
   * nothing settles), the cleanups run and the process exits 1 after FAULT_GRACE_MS anyway.
   */
  fail(err: unknown): void {
    if (this.controller.signal.aborted) {
      log.debug(`after the command stopped: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.controller.abort(new UnexpectedError(err));
    setTimeout(() => {
      log.error(`${this.failure?.message ?? 'unexpected failure'}; the command did not stop by itself within ${FAULT_GRACE_MS / 1000} s`);
      void this.dispose(true).finally(() => process.exit(1));
    }, FAULT_GRACE_MS).unref();
  }

  /** Unhandled rejections and uncaught exceptions, from anywhere in the process, go to fail(). */
  installFaultHandlers(): void {
    if (this.faultsInstalled) return;
    this.faultsInstalled = true;
    process.on('unhandledRejection', (reason) => this.fail(reason));
    process.on('uncaughtException', (err) => this.fail(err));
  }

  installSignalHandlers(): void {
    if (this.signalsInstalled) return;
    this.signalsInstalled = true;
    let count = 0;
    const onSignal = (name: NodeJS.Signals): void => {
      count += 1;
      if (count === 1) {
        log.warn(`${name} received: stopping and cleaning up (press Ctrl-C again to force)`);
        this.abort(name);
      } else {
        // A second Ctrl-C means the user will not wait: exit now, cleanup best-effort already under way.
        process.exit(130);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // A closed terminal: the same cleanup as Ctrl-C (issue 16: SIGHUP used to kill bench with nothing cleaned up).
    process.on('SIGHUP', onSignal);
    // bin/bench.js re-runs bench with a capped heap and keeps an IPC channel to it, which closes when
    // the visible bench ends however it ends, kill -9 included: stop as on SIGTERM rather than copy on
    // as an orphan holding the target (issue 16). unref(): the channel alone must not keep bench alive.
    if (process.channel) {
      process.channel.unref();
      process.once('disconnect', () => {
        log.warn('the bench process that started this one has ended');
        onSignal('SIGTERM');
      });
    }
  }

  /** Runs cleanups newest first. `failed` includes interruption; interrupt-only cleanups run then too. */
  async dispose(failed: boolean): Promise<void> {
    if (this.disposing) return;
    this.disposing = true;
    const runInterruptOnly = failed || this.interrupted;
    while (this.cleanups.length > 0) {
      const { label, fn, onlyOnInterrupt } = this.cleanups.pop()!;
      if (onlyOnInterrupt && !runInterruptOnly) continue;
      try {
        await fn();
      } catch (err) {
        log.warn(`cleanup "${label}" failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
