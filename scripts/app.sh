#!/usr/bin/env bash
# Sets up and starts the app on SQLite (data/psa.sqlite3): the README's app command.
# The virtual environment in .venv, the pinned dependencies (requirements.lock: the app and
# its PostgreSQL driver, every file checked against its hash) and the project (editable,
# without dependencies) are installed only when they are missing, or when the lock or
# pyproject.toml changed since the last install: .venv/.app-installed is the stamp. Once set
# up, a start takes seconds, not the 20–40 s of a pip install; delete the stamp to force a
# reinstall.
# Arguments go to `streamlit run`, e.g. `bash scripts/app.sh --server.port 8600`.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=.venv/.app-installed
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f "$stamp" ] || [ requirements.lock -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ] \
    || [ ! -x .venv/bin/streamlit ]; then
  echo "Installing the app into .venv (only when requirements.lock or pyproject.toml changed) ..."
  .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  touch "$stamp"
fi
exec .venv/bin/streamlit run app.py "$@"
