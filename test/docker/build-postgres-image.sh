#!/usr/bin/env bash
# Builds the local image bench-postgres:15 (Debian bookworm + postgresql-15) without any image registry:
# mmdebstrap makes a root filesystem from Debian's package mirror and `docker import` turns it into an
# image. Does nothing when the image already exists (pass --force to rebuild).
#
# docker import (engine 20.10) takes no STOPSIGNAL: the provider sets StopSignal itself.
# An imported image has no entrypoint. The docker provider sees that (Config.Entrypoint empty) and runs
# its "self-init" command: initdb when PGDATA is empty, then exec postgres -c … (harness/providers/docker-launch.ts).
set -euo pipefail

IMAGE=${BENCH_PG_IMAGE:-bench-postgres:15}
PG_MAJOR=15
SUITE=bookworm

if [ "${1:-}" != "--force" ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "image $IMAGE: already present ($(docker image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}'))"
  exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || { echo "mmdebstrap is missing: run test/docker/start-engine.sh first" >&2; exit 1; }

previous=$(docker image inspect "$IMAGE" --format '{{.Id}}' 2>/dev/null || true)
start=$(date +%s.%N)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "image $IMAGE: building the root filesystem with mmdebstrap ($SUITE, postgresql-$PG_MAJOR)"
# The customize hooks remove the cluster the package's postinst creates (the provider runs its own initdb
# into PGDATA), trim apt's caches, and make PGDATA owned by postgres. /run/postgresql does not survive
# into the tarball (/run is left empty), so the provider's self-init command puts the socket in /tmp.
mmdebstrap --quiet --variant=apt --include="postgresql-$PG_MAJOR,ca-certificates" \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook="chroot \"\$1\" pg_dropcluster $PG_MAJOR main || true" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb' \
  --customize-hook='mkdir -p "$1"/var/lib/postgresql/data && chroot "$1" chown postgres:postgres /var/lib/postgresql/data && chmod 0700 "$1"/var/lib/postgresql/data' \
  "$SUITE" "$work/rootfs.tar"

echo "image $IMAGE: importing $(du -m "$work/rootfs.tar" | cut -f1) MB"
docker import \
  --change "ENV PATH=/usr/lib/postgresql/$PG_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV PGDATA=/var/lib/postgresql/data" \
  --change "ENV LANG=C.UTF-8" \
  --change "USER postgres" \
  --change "WORKDIR /var/lib/postgresql" \
  --change "EXPOSE 5432" \
  --change "LABEL dev.bench.image=postgres dev.bench.launch-mode=self-init org.opencontainers.image.version=$PG_MAJOR" \
  "$work/rootfs.tar" "$IMAGE" >/dev/null

# A rebuild (--force) leaves the previous image untagged: remove it so rebuilds do not pile up.
if [ -n "${previous:-}" ] && [ "$previous" != "$(docker image inspect "$IMAGE" --format '{{.Id}}')" ]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi

end=$(date +%s.%N)
echo "image $IMAGE: built in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s ($(docker image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}'))"
