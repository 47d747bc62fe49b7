"""The schema's versions and how to get from one to the next.

``schema_info`` holds one row: the version the database is at. On open, ``migrate``
applies every migration above that version, in order, in one transaction. A database
at a version newer than the last one here was made by a newer program: it is refused
and left exactly as it is.

Adding a change: append ``Migration(2, "…", _v2)`` where ``_v2`` alters the tables, and
change ``schema.py`` to match. Migration 1 builds the tables from ``schema.py``; before
the first change to ``schema.py``, freeze it by copying the version-1 tables into it
(the tests open fresh databases and fail if migration 1 and a later one disagree).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from sqlalchemy import Column, Connection, Engine, Integer, MetaData, Table, inspect, select, text

from assessment.storage import schema
from assessment.storage.engine import WRITE
from assessment.storage.errors import StorageError


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _v1_create_tables(conn: Connection) -> None:
    schema.metadata.create_all(conn, checkfirst=False)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "create the tables", _v1_create_tables),
)
SCHEMA_VERSION = MIGRATIONS[-1].version

schema_info = Table(
    "schema_info", MetaData(),
    Column("version", Integer, nullable=False),
)

# Serialises migrations of one PostgreSQL database across processes.
_PG_LOCK_KEY = 0x5053_4101


def migrate(engine: Engine, where: str, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database up to the newest version; returns that version.

    Raises ``StorageError`` and changes nothing if the database is newer than ``migrations``
    know, or (SQLite) if the file holds another program's tables.
    """
    newest = migrations[-1].version if migrations else 0
    with engine.connect() as conn, conn.begin():
        version = read_version(conn)
    _refuse_newer(version, newest, where)
    if version == newest:
        return version

    with engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            version = read_version(conn)  # again: another process may have migrated meanwhile
            _refuse_newer(version, newest, where)
            if version is None:
                _refuse_foreign_sqlite(conn, where)
                schema_info.create(conn)
                conn.execute(schema_info.insert().values(version=0))
                version = 0
            for migration in migrations:
                if migration.version > version:
                    migration.apply(conn)
            conn.execute(schema_info.update().values(version=newest))
    return newest


def read_version(conn: Connection) -> int | None:
    """The database's schema version, or ``None`` for a database without ``schema_info``."""
    if not inspect(conn).has_table(schema_info.name):
        return None
    version = conn.execute(select(schema_info.c.version)).scalar()
    if version is None:
        raise StorageError("the schema_info table is empty; the database is damaged")
    return version


def _refuse_newer(version: int | None, newest: int, where: str) -> None:
    if version is not None and version > newest:
        raise StorageError(
            f"the database at {where} has schema version {version}, "
            f"this program understands up to {newest}; update the program"
        )


def _refuse_foreign_sqlite(conn: Connection, where: str) -> None:
    if conn.dialect.name != "sqlite":
        return
    tables = inspect(conn).get_table_names()
    if tables:
        raise StorageError(
            f"{where} is an SQLite database of another program (tables {', '.join(tables[:5])} "
            "but no schema_info); set PSA_DB_PATH to another file"
        )
