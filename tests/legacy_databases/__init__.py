"""Databases as the program before Alembic left them, at each schema version 1 to 6, with a
little data in every table that version has (``make_dumps.py`` says how they were made).

    load(db_url, 3)   # the empty database at db_url becomes the version-3 one

What they hold: assessments ``a1`` (two participants, answers, consensus, a target, an effort,
an action; from version 2 a closed workshop ``w1`` with one participant token, from 3 an
imported form and a join attempt, from 4 the action's goal and follow-up, from 5 the
workshop's area ``G1``) and ``a2`` (one answer; at version 6 in workspace ``b``, *Region B*,
which has a member, as the default workspace has, and there is an administrator).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

HERE = Path(__file__).parent
VERSIONS = range(1, 7)


def load(db_url: str, version: int) -> None:
    """Fill the new, empty database at ``db_url`` with the dump of ``version``."""
    backend = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    dump = (HERE / f"v{version}.{backend}.sql").read_text(encoding="utf-8")
    if backend == "sqlite":
        path = Path(db_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(path) as conn:
            conn.executescript(dump)
            conn.execute("PRAGMA journal_mode = WAL")  # as every connection of the program set
        conn.close()
        return
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.connection.driver_connection.execute(dump)  # several statements, no parameters
    finally:
        engine.dispose()
