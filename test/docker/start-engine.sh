#!/usr/bin/env bash
# Starts a local Docker engine for the docker provider's tests. Idempotent: does nothing when `docker info`
# already answers. Installs Debian's docker.io (dockerd, containerd, runc) and mmdebstrap (used by
# build-postgres-image.sh) when missing.
#
# The engine runs with --bridge=none --iptables=false: CI machines have no image registry and must send no
# traffic anywhere but loopback, so containers use host networking (the provider's `host` network mode).
set -euo pipefail

LOG=${BENCH_DOCKERD_LOG:-/var/log/bench-dockerd.log}
WAIT_SECONDS=${BENCH_DOCKERD_WAIT:-60}

engine_answers() { docker info >/dev/null 2>&1; }

if engine_answers; then
  echo "docker engine: already running ($(docker info --format '{{.ServerVersion}}' 2>/dev/null))"
  exit 0
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "docker engine: installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A stale pid file from a killed dockerd makes the next one refuse to start.
if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  as_root rm -f /var/run/docker.pid
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "docker engine: starting dockerd (log: $LOG)"
  as_root mkdir -p "$(dirname "$LOG")"
  # setsid + nohup: the engine outlives this script and the CI step that ran it.
  as_root setsid nohup dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    >>"$LOG" 2>&1 </dev/null &
fi

for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
  if engine_answers; then
    echo "docker engine: ready ($(docker info --format '{{.ServerVersion}} {{.Driver}} cgroup v{{.CgroupVersion}}' 2>/dev/null))"
    exit 0
  fi
  sleep 0.5
done
echo "docker engine: did not answer within ${WAIT_SECONDS}s; last lines of $LOG:" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
