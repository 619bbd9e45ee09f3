# Shared by the action's scripts (action.yml runs each as one step). Everything the action decides is in
# these scripts, so they run and are tested without GitHub (test/action/action.test.ts): GitHub's files
# ($GITHUB_OUTPUT, $GITHUB_ENV, $GITHUB_STEP_SUMMARY) are plain files, and inputs arrive as INPUT_* variables.
set -uo pipefail

# The bench command: $BENCH_CLI, set by install.sh through $GITHUB_ENV (several words allowed: "node bin/bench.js").
bench_cli() {
  local -a cli
  read -ra cli <<<"${BENCH_CLI:?BENCH_CLI is not set: run action/install.sh first}"
  "${cli[@]}" "$@"
}

# key=value for the next steps (a value on one line).
output() {
  printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:-/dev/null}"
}

# true for "true", "yes", "1" (any case): GitHub passes every input as a string.
is_true() {
  case "${1,,}" in true | yes | 1) return 0 ;; *) return 1 ;; esac
}

# bench's --threshold (percent of throughput lost) from the action's inputs. alert-threshold follows
# github-action-benchmark: "150%" alerts when the current run takes more than 1.5 times the baseline's
# time, which is throughput down by 1 - 1/1.5 = 33.3%. threshold is bench's own percentage. alert-threshold
# wins when both are given.
bench_threshold() {
  local alert="${INPUT_ALERT_THRESHOLD:-}" plain="${INPUT_THRESHOLD:-10}"
  if [ -n "$alert" ]; then
    node -e '
      const ratio = Number(process.argv[1].trim().replace(/%$/, "")) / 100;
      if (!(ratio > 1)) { console.error(`alert-threshold is ${process.argv[1]}: give a percentage above 100%, e.g. 150%`); process.exit(2); }
      console.log(((1 - 1 / ratio) * 100).toFixed(2));
    ' "$alert"
  else
    printf '%s\n' "${plain%\%}"
  fi
}

# Words of a string the way a shell would split them (quotes respected, nothing executed).
split_args() {
  local -n into=$1
  into=()
  [ -z "${2// /}" ] && return 0
  mapfile -t into < <(printf '%s' "$2" | xargs -n1 printf '%s\n')
}
