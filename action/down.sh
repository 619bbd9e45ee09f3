#!/usr/bin/env bash
# Stops and removes the databases the sweep started (always runs; nothing to do is fine).
source "$(dirname "$0")/lib.sh"
[ -n "${BENCH_CLI:-}" ] && bench_cli down -q || true
exit 0
