/** What a running trial reports to the progress display. */
import type { Phase } from './trial.js';

export interface TrialProgress {
  readonly phase: Phase;
  readonly rows: number;
  readonly bytes: number;
  readonly tasksDone: number;
  readonly tasksTotal: number;
  readonly elapsedSeconds: number;
}
