import type { TrialResult } from '../model/trial.js';

export type OkTrial = Extract<TrialResult, { state: 'ok' }>;

/** The trials that count: warm-ups are run and logged, never measured. */
export function measuredTrials(trials: readonly TrialResult[]): TrialResult[] {
  return trials.filter((t) => t.spec.warmup !== true);
}

/** Copy + constraint seconds of the valid trials, in run order: what every statistic is computed from. */
export function validSeconds(trials: readonly TrialResult[]): number[] {
  return trials.flatMap((t) => (t.state === 'ok' ? [t.metrics.seconds.total] : []));
}

/** The trials grouped by point, in first-seen order. */
export function groupByPoint(trials: readonly TrialResult[]): Map<string, TrialResult[]> {
  const m = new Map<string, TrialResult[]>();
  for (const t of trials) m.set(t.spec.point, [...(m.get(t.spec.point) ?? []), t]);
  return m;
}
