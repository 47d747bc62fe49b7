"""Where the database is: ``PSA_DATABASE_URL`` (PostgreSQL) or an SQLite file at ``PSA_DB_PATH``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from sqlalchemy.engine import URL

ENV_DATABASE_URL = "PSA_DATABASE_URL"
ENV_DB_PATH = "PSA_DB_PATH"
DEFAULT_DB_PATH = Path("data") / "psa.sqlite3"

# How long an SQLite writer waits for another one before giving up.
BUSY_TIMEOUT_MS = 15_000


def store_url_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The database URL the environment asks for.

    ``PSA_DATABASE_URL`` wins when set (e.g. ``postgresql+psycopg://user@host:5432/db``);
    otherwise an SQLite file at ``PSA_DB_PATH``, by default ``data/psa.sqlite3`` in the
    current folder, made absolute so a later change of folder does not move the database.
    """
    env = os.environ if environ is None else environ
    url = env.get(ENV_DATABASE_URL, "").strip()
    if url:
        return url
    path = Path(env.get(ENV_DB_PATH, "").strip() or DEFAULT_DB_PATH).expanduser()
    return sqlite_url(path)


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """The SQLAlchemy URL of an SQLite file (relative paths are taken from the current folder)."""
    return URL.create("sqlite", database=str(Path(path).absolute())).render_as_string()
