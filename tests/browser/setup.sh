#!/usr/bin/env bash
# Installs what the browser tests need: Debian's chromium (when it is missing and apt-get is
# usable) and the npm packages of package-lock.json (when node_modules is missing or stale).
# It never fails: whatever cannot be had, the tests skip and say what is missing.
# SHAREMOCK_BROWSER_SETUP=0 turns it off.
set -u
cd "$(dirname "$0")" || exit 0
[ "${SHAREMOCK_BROWSER_SETUP:-1}" = 0 ] && exit 0

note() { echo "browser tests: $*" >&2; }
log=$(mktemp) || exit 0
trap 'rm -f "$log"' EXIT

chromium="${SHAREMOCK_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  as_root=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && as_root="sudo -n"
  fi
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$as_root" ]; }; then
    note "installing Debian's chromium (apt-get)"
    if ! { $as_root apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium; } >"$log" 2>&1; then
      tail -n 5 "$log" >&2
      note "could not install chromium; the browser tests will skip"
    fi
  else
    note "no $chromium and no usable apt-get; the browser tests will skip"
  fi
fi

# The digest of the lock file that node_modules was installed from.
stamp=node_modules/.sharemock-installed
digest=$(sha256sum package-lock.json 2>/dev/null | cut -d' ' -f1)
if [ -n "$digest" ] && [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
  if command -v npm >/dev/null 2>&1; then
    note "npm ci (tests/browser)"
    if npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
      echo "$digest" >"$stamp"
    else
      tail -n 5 "$log" >&2
      note "npm ci failed; the browser tests will skip"
    fi
  else
    note "no npm; the browser tests will skip"
  fi
fi
exit 0
