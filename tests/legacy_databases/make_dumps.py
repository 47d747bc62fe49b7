"""Writes the frozen databases of schema versions 1 to 6 that tests/test_migrations.py upgrades.

Each ``v<k>.sqlite.sql`` and ``v<k>.postgresql.sql`` is a database as the program before
Alembic (commit edeb53f) left it at schema version ``k`` (``schema_info``), with a little
data of every table that version has, dumped with ``sqlite3``'s ``iterdump`` and with
``pg_dump --inserts`` (the schema's name taken out, so a dump loads into any schema).

The migration code it calls is the one of that commit, which is gone since: it was run once,
from a checkout of that commit, as

    python tests/legacy_databases/make_dumps.py postgresql+psycopg://postgres@127.0.0.1:PORT/DB

with a PostgreSQL server of one's own at that URL. It is kept to show how the files were made.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url

from assessment.storage.engine import open_engine
from assessment.storage.migrations import MIGRATIONS, migrate  # the code before Alembic

HERE = Path(__file__).parent
SCHEMA = "psa_legacy"
AT = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.timezone.utc)


def fill(conn, version: int) -> None:
    """The data of a database at ``version``: two assessments, one with something in every
    table that version has."""
    t = MetaData()
    t.reflect(conn)
    rows = {
        "assessments": [
            dict(id="a1", bank_id="nationell-handlingsplan-2025", bank_version="2",
                 org_name="Region Östergötland", org_kind="region", unit="Vårdcentral Åby",
                 audience="vardgivare", date=dt.date(2025, 3, 14), created_at=AT, updated_at=AT),
            dict(id="a2", bank_id="nationell-handlingsplan-2025", bank_version="2",
                 org_name="Kommun B", org_kind="kommun", unit="", audience=None,
                 date=dt.date(2025, 4, 1), created_at=AT, updated_at=AT),
        ],
        "participants": [
            dict(assessment_id="a1", id="p1", name="Åsa Öberg", role="Chefläkare", position=0),
            dict(assessment_id="a1", id="p2", name="Erik", role="Sjuksköterska", position=1),
            dict(assessment_id="a2", id="p1", name="", role="", position=0),
        ],
        "answers": [
            dict(assessment_id="a1", participant_id="p1", question_id="G1.1", value="3",
                 comment="Vi mäter årligen", seq=0, updated_at=AT),
            dict(assessment_id="a1", participant_id="p1", question_id="G1.2", value="na",
                 comment="Ej relevant", seq=1, updated_at=AT),
            dict(assessment_id="a1", participant_id="p2", question_id="G1.1", value="unknown",
                 comment="", seq=2, updated_at=AT),
            dict(assessment_id="a2", participant_id="p1", question_id="G1.1", value="10",
                 comment="", seq=0, updated_at=AT),
        ],
        "consensus": [dict(assessment_id="a1", question_id="G1.1", value="3",
                           note="Enade efter diskussion", seq=0)],
        "area_settings": [dict(assessment_id="a1", area_id="G1", target=3.5, importance=2)],
        "efforts": [dict(assessment_id="a1", question_id="G1.1", effort="hög")],
        "actions": [dict(assessment_id="a1", position=0, activity="G1.1", title="Utbilda chefer",
                         owner="Anna", due=dt.date(2026, 5, 1), status="pågår",
                         note="Start i maj")],
    }
    if version >= 2:
        rows["workshops"] = [dict(
            id="w1", assessment_id="a1", secret_hash="5" * 64, code_hash="c" * 64,
            code_lookup="c" * 8, anonymous=False, state="closed", expires_after_s=3600,
            created_at=AT, closed_at=AT)]
        rows["workshop_participants"] = [dict(
            id="t1", workshop_id="w1", assessment_id="a1", participant_id="p2",
            token_hash="7" * 64, created_at=AT)]
    if version >= 3:
        rows["imported_forms"] = [dict(assessment_id="a1", form_key="f" * 64,
                                       participant_id="p1", created_at=AT)]
        rows["join_attempts"] = [dict(client="1" * 64, session="2" * 64, at=AT, lifted=False)]
    if version >= 4:
        rows["actions"][0].update(goal="Alla chefer utbildade", follow_up="Andel utbildade",
                                  follow_up_date=dt.date(2026, 12, 1))
    if version >= 5:
        rows["workshop_areas"] = [dict(workshop_id="w1", area_id="G1", position=0)]
    if version >= 6:
        rows["assessments"][0]["workspace_id"] = "default"  # executemany: same keys in each
        rows["assessments"][1]["workspace_id"] = "b"
        rows["workspaces"] = [dict(id="b", name="Region B", created_at=AT)]
        rows["workspace_members"] = [
            dict(workspace_id="b", email="anna@a.se", role="facilitator"),
            dict(workspace_id="default", email="rita@a.se", role="reader"),
        ]
        rows["administrators"] = [dict(email="admin@a.se", created_at=AT)]
    for name in ("workspaces", "assessments", "participants", "answers", "consensus",
                 "area_settings", "efforts", "actions", "workshops", "workshop_areas",
                 "workshop_participants", "imported_forms", "join_attempts",
                 "workspace_members", "administrators"):
        if name in rows:
            conn.execute(t.tables[name].insert(), rows[name])


def sqlite_dump(version: int, folder: Path) -> str:
    path = folder / f"v{version}.sqlite3"
    engine, where = open_engine(f"sqlite:///{path}")
    assert migrate(engine, where, MIGRATIONS[:version]) == version
    with engine.begin() as conn:
        fill(conn, version)
    engine.dispose()
    with sqlite3.connect(path) as raw:
        return "\n".join(raw.iterdump()) + "\n"


def postgresql_dump(version: int, url: str) -> str:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    admin.dispose()
    engine, where = open_engine(f"{url}?options=-csearch_path%3D{SCHEMA}")
    assert migrate(engine, where, MIGRATIONS[:version]) == version
    with engine.begin() as conn:
        fill(conn, version)
    engine.dispose()
    u = make_url(url)
    dumped = subprocess.run(
        ["pg_dump", "--inserts", "--no-owner", "--no-privileges", "--schema", SCHEMA,
         "-h", u.host, "-p", str(u.port), "-U", u.username, u.database],
        check=True, capture_output=True, text=True).stdout
    return portable(dumped)


def portable(dumped: str) -> str:
    """``pg_dump``'s output without its settings, comments and the schema's name."""
    kept = []
    for line in dumped.splitlines():
        if (not line or line.startswith(("--", "SET ", "\\", "SELECT pg_catalog.set_config"))
                or re.match(rf"CREATE SCHEMA {SCHEMA};", line)):
            continue
        kept.append(line.replace(f"{SCHEMA}.", ""))
    return "\n".join(kept) + "\n"


def main(url: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for version in range(1, len(MIGRATIONS) + 1):
            (HERE / f"v{version}.sqlite.sql").write_text(sqlite_dump(version, Path(folder)))
            (HERE / f"v{version}.postgresql.sql").write_text(postgresql_dump(version, url))


if __name__ == "__main__":
    main(sys.argv[1])
