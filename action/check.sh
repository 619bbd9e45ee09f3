#!/usr/bin/env bash
# Compares the current results with the baseline through `bench check`, and writes the job summary:
# always with INPUT_SUMMARY_ALWAYS=true (the default), otherwise only when the check did not pass.
# BASELINE and CURRENT come from the earlier steps' outputs. Outputs: outcome (pass, regressed,
# cannot judge, no baseline, error), check-exit-code, verdicts (bench check --json).
source "$(dirname "$0")/lib.sh"
tmp="${RUNNER_TEMP:-/tmp}/bench-check"
mkdir -p "$tmp"
summary="$tmp/summary.md"
verdicts="$tmp/verdicts.json"
rm -f "$summary" "$verdicts"
code=0
if [ ! -f "${CURRENT:-}" ]; then
  outcome=error
  code=2
  echo "### bench: no current results (the sweep wrote none; see the log)" >"$summary"
elif [ -z "${BASELINE:-}" ]; then
  outcome="no baseline"
  { echo "### bench: no baseline to compare with"; echo; echo "These results will serve as one once this workflow has run on the base branch."; echo
    [ -f "${POINTS:-}" ] && cat "$POINTS"; } >"$summary"
else
  if ! threshold="$(bench_threshold)"; then
    outcome=error
    code=2
  else
    # bench check appends to $GITHUB_STEP_SUMMARY itself; here the summary follows summary-always instead.
    GITHUB_STEP_SUMMARY='' bench_cli check --baseline "$BASELINE" --current "$CURRENT" --threshold "$threshold" --json "$verdicts" >"$summary" || code=$?
    if [ -f "$verdicts" ]; then
      outcome="$(node -p "require('$verdicts').outcome")"
    else
      outcome=error
    fi
  fi
fi
echo "bench check: $outcome (exit $code)"
if [ -n "${BASELINE:-}" ] && [ -f "${POINTS:-}" ]; then
  { echo; echo '<details><summary>Every point of this run</summary>'; echo; cat "$POINTS"; echo; echo '</details>'; } >>"$summary"
fi
if is_true "${INPUT_SUMMARY_ALWAYS:-true}" || [ "$outcome" != pass ]; then
  [ -f "$summary" ] && cat "$summary" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
fi
output outcome "$outcome"
output check-exit-code "$code"
output verdicts "$verdicts"
exit 0
