#!/usr/bin/env bash
# Installs bench into $RUNNER_TEMP and tells the next steps where it is (BENCH_CLI in $GITHUB_ENV).
# INPUT_PACKAGE: empty = db-copy-bench at this action's own version from the npm registry; "source" =
# packed from the action's checkout (what bench's own CI measures); anything else = what npm install
# takes (a version range, a tarball path).
source "$(dirname "$0")/lib.sh"
set -e
action_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
name="$(node -p "require('$action_dir/package.json').name")"
version="$(node -p "require('$action_dir/package.json').version")"
home="${RUNNER_TEMP:-/tmp}/db-copy-bench"
mkdir -p "$home/install"
case "${INPUT_PACKAGE:-}" in
  "") spec="$name@$version" ;;
  source)
    (cd "$action_dir" && npm ci --no-audit --no-fund --loglevel=error && npm pack --silent --pack-destination "$home" >/dev/null)
    spec="$home/$name-$version.tgz"
    ;;
  *) spec="$INPUT_PACKAGE" ;;
esac
cd "$home/install"
[ -f package.json ] || npm init -y >/dev/null
echo "installing $spec"
npm install --no-audit --no-fund --loglevel=error "$spec"
cli="$home/install/node_modules/.bin/$name"
echo "BENCH_CLI=$cli" >>"${GITHUB_ENV:-/dev/null}"
echo "bench $("$cli" --version) installed: $cli"
