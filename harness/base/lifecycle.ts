import { InterruptedError } from './errors.js';
import { log } from './log.js';

type Cleanup = () => Promise<void> | void;

/**
 * What one command invocation owns: an AbortSignal that fires on Ctrl-C / SIGTERM, and a stack of
 * cleanups run in reverse order when the command ends (always) or is interrupted. Clusters, containers,
 * spill files and connections register here, so "nothing the tool started is left behind" has one owner.
 */
export class Lifecycle {
  private readonly controller = new AbortController();
  private readonly cleanups: { label: string; fn: Cleanup; onlyOnInterrupt: boolean }[] = [];
  private signalsInstalled = false;
  private disposing = false;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get interrupted(): boolean {
    return this.controller.signal.aborted;
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
