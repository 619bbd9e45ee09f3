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

/**
 * The sweep's live line: trial i of N, the point, the phase, rows/s of the trial under way, and an ETA
 * from the mean duration of the trials finished so far.
 */
export function sweepProgress(total: number): {
  trial(index: number, spec: TrialSpec): (p: TrialProgress) => void;
  finished(result: TrialResult): void;
} {
  const durations: number[] = [];
  let current = 0;
  let trialStart = performance.now();
  const eta = () => {
    if (durations.length === 0) return 'ETA …';
    const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
    const left = Math.max(0, (total - current) * mean - (performance.now() - trialStart) / 1000);
    return `ETA ${left >= 90 ? `${Math.round(left / 60)} min` : `${Math.round(left)} s`}`;
  };
  return {
    trial(index, spec) {
      current = index;
      trialStart = performance.now();
      let last = 0;
      return (p) => {
        const now = performance.now();
        if (now - last < 250) return;
        last = now;
        const rate = p.elapsedSeconds > 0 && p.rows > 0 ? ` · ${Math.round(p.rows / p.elapsedSeconds).toLocaleString('en-US')} rows/s` : '';
        const bar = progressBar(index / total, 20);
        log.status(`${bar} trial ${index + 1}/${total} · ${spec.id} · ${p.phase}${rate} · ${eta()}`);
      };
    },
    finished(result) {
      durations.push((performance.now() - trialStart) / 1000);
      current += 1;
      const s = result.spec;
      const line =
        result.state === 'ok'
          ? `${Math.round(result.metrics.rowsPerSecond).toLocaleString('en-US')} rows/s, ${result.metrics.seconds.total.toFixed(2)} s, valid`
          : result.state === 'failed'
            ? `FAILED in ${result.phase}: ${result.error}`
            : `skipped: ${result.reason}`;
      log.info(`[${current}/${total}] ${s.id}${s.warmup ? ' (warm-up, not counted)' : ''}: ${line}`);
    },
  };
}

function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
