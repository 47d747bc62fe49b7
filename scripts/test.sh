#!/usr/bin/env bash
# Sets up everything the test suite needs and runs it: the README's test command and CI's.
# - Debian packages for the real-browser and PostgreSQL tests (chromium, postgresql,
#   libreoffice-calc, poppler-utils for PNG renders of the printed workbooks, and nginx, the
#   reverse proxy of tests/test_replicas.py), installed when missing and this runs as root;
# - axe-core's axe.min.js from the npm registry in .cache/axe-core/ (the accessibility test);
# - a virtual environment in .venv with the pinned test dependencies (requirements-test.lock,
#   every file checked against its hash) and the project (editable, without dependencies),
#   installed when .venv lacks them or the lock or pyproject.toml changed since;
# - ruff's lint (the rules in pyproject.toml) on the whole tree, which stops here when it fails;
# - then the whole test suite with pytest, including tests/test_install.py (marker install,
#   about 1.5 minutes): the wheel built, installed in a fresh venv from the package index,
#   and `psa banks`, `psa score` and the app's health check run from that install.
#   `bash scripts/test.sh -m "not install"` leaves it out; the fast loop of README.md leaves
#   out the browser, slow and install tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)   # PNG renders of printed workbooks
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)   # tests/test_replicas.py
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Not installing ${need[*]} (needs root and apt-get); the tests that need them will be skipped."
  fi
fi

# axe-core (the accessibility rules tests/test_accessibility.py runs in every page) from the
# npm registry: its axe.min.js kept in .cache/axe-core/ (gitignored), fetched once per version.
AXE_VERSION=4.14.1
AXE_DIR=.cache/axe-core
if [ ! -f "$AXE_DIR/$AXE_VERSION/axe.min.js" ]; then
  if command -v npm >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    if (cd "$tmp" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null 2>&1) \
        && tar -xzf "$tmp"/axe-core-*.tgz -C "$tmp" package/axe.min.js; then
      mkdir -p "$AXE_DIR/$AXE_VERSION"
      mv "$tmp/package/axe.min.js" "$AXE_DIR/$AXE_VERSION/axe.min.js"
    else
      echo "Could not fetch axe-core@$AXE_VERSION from the npm registry; tests/test_accessibility.py will be skipped."
    fi
    rm -rf "$tmp"
  else
    echo "npm not found: axe-core not fetched; tests/test_accessibility.py will be skipped."
  fi
fi
export PSA_AXE_JS="$PWD/$AXE_DIR/$AXE_VERSION/axe.min.js"

stamp=.venv/.test-installed
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f "$stamp" ] || [ requirements-test.lock -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing the pinned test dependencies into .venv (requirements-test.lock) ..."
  .venv/bin/python -m pip install -q --require-hashes -r requirements-test.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  touch "$stamp"
fi
.venv/bin/ruff check --quiet .
exec .venv/bin/python -m pytest "$@"
