#!/usr/bin/env bash
# Installs what the PostgreSQL tests need: Debian's postgresql server binaries (initdb,
# pg_ctl), when they are missing and apt-get is usable. tests/postgres.py starts a throwaway
# cluster of them on loopback. It never fails: without a server those tests skip, saying why.
# SHAREMOCK_PG_SETUP=0 turns it off.
set -u
[ "${SHAREMOCK_PG_SETUP:-1}" = 0 ] && exit 0

note() { echo "postgresql tests: $*" >&2; }
for initdb in /usr/lib/postgresql/*/bin/initdb; do
  [ -x "$initdb" ] && exit 0
done
command -v initdb >/dev/null 2>&1 && exit 0

as_root=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && as_root="sudo -n"
fi
if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" != 0 ] && [ -z "$as_root" ]; }; then
  note "no server binaries and no usable apt-get; the PostgreSQL tests will skip"
  exit 0
fi
log=$(mktemp) || exit 0
trap 'rm -f "$log"' EXIT
note "installing Debian's postgresql (apt-get)"
if ! { $as_root apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq postgresql; } >"$log" 2>&1; then
  tail -n 5 "$log" >&2
  note "could not install postgresql; the PostgreSQL tests will skip"
fi
exit 0
