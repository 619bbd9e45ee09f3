#!/usr/bin/env bash
# Runs the sweep on the runner, or takes INPUT_RESULTS (a results.json made elsewhere) as it is.
# INPUT_SCALE seeds the StackOverflow dataset first (empty or 0: the sweep's own --source-url tables);
# INPUT_SWEEP_ARGS are bench sweep's options; results go to INPUT_OUT. Never fails the step: the exit
# codes go to the outputs, and verdict.sh decides once the summary and the artifact are written.
source "$(dirname "$0")/lib.sh"
out="${INPUT_OUT:-bench-results/action}"
if [ -n "${INPUT_RESULTS:-}" ]; then
  [ -f "$INPUT_RESULTS" ] || { echo "::error::results file $INPUT_RESULTS does not exist"; output sweep-exit-code 2; exit 0; }
  output results "$INPUT_RESULTS"
  output sweep-exit-code 0
  exit 0
fi
code=0
if [ -n "${INPUT_SCALE:-}" ] && [ "${INPUT_SCALE}" != 0 ]; then
  bench_cli seed --scale "$INPUT_SCALE" || code=$?
fi
if [ "$code" -eq 0 ]; then
  split_args args "${INPUT_SWEEP_ARGS:---quick}"
  bench_cli sweep "${args[@]}" --out "$out" --fresh --export-markdown "$out/points.md" || code=$?
fi
[ "$code" -eq 0 ] || echo "::error::bench exited $code: a trial failed or did not validate, or no trial ran (see the log above)"
output results "$out/results.json"
output points "$out/points.md"
output sweep-exit-code "$code"
exit 0
