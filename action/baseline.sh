#!/usr/bin/env bash
# Finds the baseline: INPUT_BASELINE (a file in the workspace), or the results.json inside the artifact
# INPUT_BASELINE_ARTIFACT that the latest successful run of INPUT_BASELINE_WORKFLOW (default: this
# workflow) uploaded on INPUT_BASELINE_BRANCH (default: the pull request's base branch, else the
# repository's default branch), fetched with the GitHub CLI (GH_TOKEN). No baseline is not an error: the
# first run on a branch has none, and check.sh says so.
source "$(dirname "$0")/lib.sh"
if [ -n "${INPUT_BASELINE:-}" ]; then
  if [ -f "$INPUT_BASELINE" ]; then output baseline "$INPUT_BASELINE"; else echo "::warning::baseline file $INPUT_BASELINE does not exist: nothing to compare with"; output baseline ""; fi
  exit 0
fi
artifact="${INPUT_BASELINE_ARTIFACT:-}"
if [ -z "$artifact" ]; then
  output baseline ""
  exit 0
fi
repo="${GITHUB_REPOSITORY:?}"
branch="${INPUT_BASELINE_BRANCH:-${GITHUB_BASE_REF:-}}"
[ -n "$branch" ] || branch="$(gh api "repos/$repo" --jq .default_branch)"
# GITHUB_WORKFLOW_REF: owner/repo/.github/workflows/file.yml@refs/…: the file name is what gh run list takes.
workflow="${INPUT_BASELINE_WORKFLOW:-$(basename "${GITHUB_WORKFLOW_REF%%@*}")}"
run_id="$(gh run list --repo "$repo" --workflow "$workflow" --branch "$branch" --status success --limit 1 --json databaseId --jq '.[0].databaseId // empty' 2>/dev/null || true)"
if [ -z "$run_id" ]; then
  echo "::notice::no successful run of $workflow on $branch yet: no baseline to compare with (this run's results become one once it runs there)"
  output baseline ""
  exit 0
fi
dir="${RUNNER_TEMP:-/tmp}/bench-baseline"
rm -rf "$dir" && mkdir -p "$dir"
if ! gh run download "$run_id" --repo "$repo" --name "$artifact" --dir "$dir"; then
  echo "::warning::run $run_id of $workflow on $branch has no artifact $artifact: no baseline to compare with"
  output baseline ""
  exit 0
fi
file="$(find "$dir" -name results.json -type f | head -1)"
if [ -z "$file" ]; then
  echo "::warning::artifact $artifact of run $run_id holds no results.json"
  output baseline ""
  exit 0
fi
echo "baseline: $file (artifact $artifact of run $run_id, $workflow on $branch)"
output baseline "$file"
