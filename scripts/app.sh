#!/usr/bin/env bash
# Sets up and starts the app on SQLite (data/psa.sqlite3): the README's app command.
# The virtual environment in .venv and the project's install (pip install -e .) are made only
# when they are missing, or when pyproject.toml (the dependencies) changed since the last
# install: .venv/.app-installed is the stamp. Once set up, a start takes seconds, not the
# 20–40 s of a pip install; delete the stamp to force a reinstall.
# Arguments go to `streamlit run`, e.g. `bash scripts/app.sh --server.port 8600`.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=.venv/.app-installed
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ ! -x .venv/bin/streamlit ]; then
  echo "Installing the app into .venv (only when pyproject.toml changed) ..."
  .venv/bin/python -m pip install -q -e .
  touch "$stamp"
fi
exec .venv/bin/streamlit run app.py "$@"
