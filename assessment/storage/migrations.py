"""The schema's history, kept by Alembic, and bringing a database up to its newest revision.

The revisions are the files in ``revisions/versions/``, ``0001_…`` to the newest, each after
the one before; each writes out the tables and columns it makes and never imports
``schema.py`` (the tables as the newest revision leaves them; the tests hold the two to each
other on SQLite and PostgreSQL). Alembic records the revision a database is at in
``alembic_version``. There is no ``alembic.ini``: the configuration is made here.

On open, ``migrate`` runs every revision the database lacks, in order, in one transaction
(all or none), holding the write lock (SQLite) or an advisory lock (PostgreSQL) so that two
processes opening a new database at once build it once. A database at a revision this
program does not know was made by a newer program: it is refused and left exactly as it is.

Databases made before Alembic record their version, 1 to 6, in ``schema_info``. Such a
database is stamped at the revision of that version (``LEGACY_REVISIONS``: ``0001`` to
``0006`` do what versions 1 to 6 did) and upgraded from there. ``schema_info`` is kept, but
only as a guard: from then on, and in every new database, it holds ``MOVED_TO_ALEMBIC`` (7),
a version no program before Alembic understands, so such a program refuses the database
with its usual message instead of using tables it does not know. This program reads it only
where ``alembic_version`` is missing.
"""

from __future__ import annotations

import functools
import os
import threading
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Sequence

from sqlalchemy import Column, Connection, Engine, Integer, MetaData, Table, inspect, select, text

from assessment.storage.engine import WRITE
from assessment.storage.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# Alembic (0.3 s to import) is imported where it is used: by the first open of a store, not by
# every program that imports the storage package.

SCRIPT_LOCATION = "assessment.storage:revisions"

# The revision that does what each schema version before Alembic did.
LEGACY_REVISIONS = {1: "0001", 2: "0002", 3: "0003", 4: "0004", 5: "0005", 6: "0006"}
MOVED_TO_ALEMBIC = 7  # schema_info's version from the move to Alembic on

schema_info = Table(
    "schema_info", MetaData(),
    Column("version", Integer, nullable=False),
)

# Serialises migrations of one PostgreSQL database across processes.
_PG_LOCK_KEY = 0x5053_4101

# Alembic's ``op`` and ``context`` are module-wide: one migration at a time in a process.
_running = threading.Lock()


class Found(NamedTuple):
    """What a database says of its schema: its Alembic revision and its ``schema_info``
    version, each ``None`` where it has none."""

    revision: str | None
    legacy_version: int | None


def migrate(engine: Engine, where: str, more_versions: Sequence[Path] = ()) -> str:
    """Bring the database up to the newest revision; returns that revision.

    ``more_versions``: folders of revisions after the shipped ones (for tests). Raises
    ``StorageError`` and changes nothing if the database is newer than the revisions know,
    or (SQLite) if the file holds another program's tables.
    """
    from alembic import command

    script = scripts(tuple(str(p) for p in more_versions))
    head = script.get_current_head()
    with engine.connect() as conn, conn.begin():
        found = read_schema(conn)
    _refuse_unknown(found, script, head, where)
    if found.revision == head:
        return head

    with _running, engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # A batch revision copies a table into a new one and drops the old: with foreign
            # keys on, that drop would delete the rows that reference it. They are off for the
            # migration (only outside a transaction can they be turned off) and checked after.
            _sqlite_foreign_keys(conn, False)
        try:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                if not sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                 {"key": _PG_LOCK_KEY})
                found = read_schema(conn)  # again: another process may have migrated meanwhile
                _refuse_unknown(found, script, head, where)
                if found.revision == head:
                    return head
                config = alembic_config(conn, more_versions)
                if found.revision is None:
                    if found.legacy_version is None:
                        _refuse_foreign_sqlite(conn, where)
                        schema_info.create(conn)
                        conn.execute(schema_info.insert().values(version=MOVED_TO_ALEMBIC))
                    else:
                        command.stamp(config, LEGACY_REVISIONS[found.legacy_version])
                        conn.execute(schema_info.update().values(version=MOVED_TO_ALEMBIC))
                command.upgrade(config, "head")
                if sqlite:
                    _check_foreign_keys(conn, where)
        finally:
            if sqlite:
                _sqlite_foreign_keys(conn, True)
    return head


def alembic_config(conn: Connection | None, more_versions: Sequence[Path] = ()) -> Config:
    """Alembic's configuration, made in code: the revisions shipped in the package (and those
    in ``more_versions``), run on ``conn`` in the transaction it is in."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("path_separator", "os")
    if more_versions:
        folders = [str(_shipped_versions()), *(str(p) for p in more_versions)]
        config.set_main_option("version_locations", os.pathsep.join(folders))
    config.attributes["connection"] = conn
    return config


@functools.cache
def scripts(more_versions: tuple[str, ...] = ()) -> ScriptDirectory:
    """The revisions (read once per process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(None, [Path(p) for p in more_versions]))


def head_revision() -> str:
    """The newest revision this program knows."""
    return scripts().get_current_head()


def read_schema(conn: Connection) -> Found:
    """The database's Alembic revision and ``schema_info`` version."""
    from alembic.runtime.migration import MigrationContext

    heads = MigrationContext.configure(conn).get_current_heads()
    if len(heads) > 1:
        raise StorageError(f"the database records several revisions ({', '.join(heads)}); "
                           "it is damaged")
    if not inspect(conn).has_table(schema_info.name):
        legacy = None
    else:
        legacy = conn.execute(select(schema_info.c.version)).scalar()
        if legacy is None:
            raise StorageError("the schema_info table is empty; the database is damaged")
    return Found(heads[0] if heads else None, legacy)


def _refuse_unknown(found: Found, script: ScriptDirectory, head: str, where: str) -> None:
    from alembic.util import CommandError

    if found.revision is not None:
        try:
            known = script.get_revision(found.revision) is not None
        except CommandError:
            known = False
        if not known:
            raise _newer(where, found.revision, head)
    elif found.legacy_version is not None and found.legacy_version not in LEGACY_REVISIONS:
        if found.legacy_version == MOVED_TO_ALEMBIC:
            raise StorageError(f"the database at {where} has lost its alembic_version table "
                               "(schema_info says it was moved to Alembic); it is damaged")
        newest = max(LEGACY_REVISIONS)
        if found.legacy_version > newest:
            raise _newer(where, found.legacy_version, newest)
        raise StorageError(f"the database at {where} has schema version "
                           f"{found.legacy_version}, which no program made; it is damaged")


def _newer(where: str, version: object, newest: object) -> StorageError:
    return StorageError(
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


def _sqlite_foreign_keys(conn: Connection, on: bool) -> None:
    # On the driver's connection, which runs it at once (no transaction is begun for it).
    conn.connection.driver_connection.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def _check_foreign_keys(conn: Connection, where: str) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise StorageError(f"migrating the database at {where} would leave rows that refer to "
                           f"none (first in table {broken[0][0]}); nothing was changed")


def _shipped_versions() -> Path:
    return Path(str(resources.files("assessment.storage.revisions") / "versions"))
