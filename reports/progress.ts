import { log } from '../harness/base/log.js';
import type { TrialResult, TrialSpec } from '../harness/model/trial.js';
import type { TrialProgress } from '../harness/model/run.js';

/** A status line for a running trial (terminal only): phase, tasks, rows or MB moved and the rate. */
export function progressPrinter(label: string): (p: TrialProgress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 250 && p.tasksDone < p.tasksTotal) return;
    last = now;
    const rate = p.elapsedSeconds > 0 ? p.rows / p.elapsedSeconds : 0;
    const moved = p.rows > 0 ? `${p.rows.toLocaleString('en-US')} rows (${Math.round(rate).toLocaleString('en-US')} rows/s)` : `${(p.bytes / 1e6).toFixed(0)} MB`;
    log.status(`${label} · ${p.phase} · tasks ${p.tasksDone}/${p.tasksTotal} · ${moved} · ${p.elapsedSeconds.toFixed(1)} s`);
  };
}

/** What the sweep's live line shows; the line itself is `sweepStatusLine` (pure, so it can be tested). */
export interface SweepStatus {
  /** Seconds left, when there is a basis for it (a finished trial, and a known number of trials). */
  readonly etaSeconds?: number;
  /** Trials finished, and the number planned (an adaptive search's is only an upper bound). */
  readonly done: number;
  readonly total: number;
  readonly adaptive: boolean;
  readonly id: string;
  readonly phase: string;
  /** rows/s of the trial under way, when it reports rows (bench's strategies do; peer tools do not). */
  readonly rowsPerSecond?: number;
  readonly elapsedSeconds: number;
}

function duration(seconds: number): string {
  return seconds >= 90 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`;
}

/**
 * The ETA first, so a narrow terminal cuts the details, never the ETA (issue 15); then the bar of trials
 * done, the trial, its phase and its rate or elapsed time. An adaptive search stops when its gains fall
 * inside the noise, so it has no bar and no ETA: only how many trials it may take at most.
 */
export function sweepStatusLine(s: SweepStatus): string {
  const eta = s.adaptive ? 'ETA ?' : s.etaSeconds === undefined ? 'ETA …' : `ETA ${duration(s.etaSeconds)}`;
  const count = s.adaptive ? `trial ${s.done + 1}, adaptive (at most ${s.total})` : `${progressBar(s.done / s.total, 20)} ${s.done + 1}/${s.total}`;
  const rate = s.rowsPerSecond !== undefined ? `${Math.round(s.rowsPerSecond).toLocaleString('en-US')} rows/s` : `${Math.round(s.elapsedSeconds)} s`;
  return `${eta} · ${count} · ${s.id} · ${s.phase} · ${rate}`;
}

/**
 * The sweep's live line for every trial, bench's strategies and peer tools alike: redrawn on each change
 * of phase and at least once a second, so a peer tool that reports no rows still shows its bar, phase and
 * time. The ETA is the mean duration of the trials finished so far times the trials left.
 */
export function sweepProgress(total: number, options: { adaptive?: boolean } = {}): {
  trial(index: number, spec: TrialSpec): (p: TrialProgress) => void;
  finished(result: TrialResult): void;
  /** The trial under way ended without a result (Ctrl-C, a fault): stop redrawing its line. */
  stop(): void;
} {
  const adaptive = options.adaptive === true;
  const durations: number[] = [];
  let current = 0;
  let trialStart = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const etaSeconds = () => {
    if (durations.length === 0) return undefined;
    const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
    return Math.max(0, (total - current) * mean - (performance.now() - trialStart) / 1000);
  };
  return {
    trial(index, spec) {
      current = index;
      trialStart = performance.now();
      let last = 0;
      let lastPhase = '';
      let latest: TrialProgress | undefined;
      const draw = () => {
        if (!latest) return;
        const p = latest;
        log.status(
          sweepStatusLine({
            ...(etaSeconds() !== undefined ? { etaSeconds: etaSeconds()! } : {}),
            done: index,
            total,
            adaptive,
            id: spec.id,
            phase: p.phase,
            ...(p.elapsedSeconds > 0 && p.rows > 0 ? { rowsPerSecond: p.rows / p.elapsedSeconds } : {}),
            elapsedSeconds: (performance.now() - trialStart) / 1000,
          }),
        );
      };
      if (timer) clearInterval(timer);
      timer = setInterval(draw, 1000);
      timer.unref();
      return (p) => {
        latest = p;
        const now = performance.now();
        // A change of phase is always drawn: throttling it away left a peer's line at "prepare".
        if (now - last < 250 && p.phase === lastPhase) return;
        last = now;
        lastPhase = p.phase;
        draw();
      };
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      log.clearStatus();
    },
    finished(result) {
      if (timer) clearInterval(timer);
      timer = undefined;
      durations.push((performance.now() - trialStart) / 1000);
      current += 1;
      const s = result.spec;
      const line =
        result.state === 'ok'
          ? `${Math.round(result.metrics.rowsPerSecond).toLocaleString('en-US')} rows/s, ${result.metrics.seconds.total.toFixed(2)} s, valid`
          : result.state === 'failed'
            ? `FAILED in ${result.phase}: ${result.error}`
            : `skipped: ${result.reason}`;
      log.info(`[${current}/${adaptive ? `≤${total}` : total}] ${s.id}${s.warmup ? ' (warm-up, not counted)' : ''}: ${line}`);
    },
  };
}

function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
