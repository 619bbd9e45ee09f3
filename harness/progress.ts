import { log } from './log.js';
import type { TrialProgress } from './runner.js';

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
