#!/usr/bin/env bash
# The job's verdict, after the summary and the artifact are written: fails on a failed sweep always, on a
# regression when INPUT_FAIL_ON_ALERT is true (the default), and on points that cannot be judged or a
# check that could not run when INPUT_FAIL_ON_UNJUDGED is true (the default).
source "$(dirname "$0")/lib.sh"
if [ "${SWEEP_EXIT_CODE:-0}" != 0 ]; then
  echo "::error::the sweep failed (bench exited $SWEEP_EXIT_CODE): a trial failed or did not validate, or no trial of bench's ran"
  exit 1
fi
case "${OUTCOME:-}" in
  pass) echo "bench: no regression" ;;
  "no baseline") echo "::notice::bench: no baseline yet, nothing compared" ;;
  regressed)
    if is_true "${INPUT_FAIL_ON_ALERT:-true}"; then
      echo "::error::bench: throughput regressed, a current trial failed, or a baseline point is missing (see the job summary)"
      exit 1
    fi
    echo "::warning::bench: throughput regressed (fail-on-alert is off)"
    ;;
  "cannot judge" | error | "")
    if is_true "${INPUT_FAIL_ON_UNJUDGED:-true}"; then
      echo "::error::bench check could not judge (outcome: ${OUTCOME:-none}): run baseline and current sweeps with --repeat 3 or more, or see the log"
      exit 1
    fi
    echo "::warning::bench check could not judge (outcome: ${OUTCOME:-none})"
    ;;
esac
exit 0
