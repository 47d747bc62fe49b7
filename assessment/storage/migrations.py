"""The schema's versions and how to get from one to the next.

``schema_info`` holds one row: the version the database is at. On open, ``migrate``
applies every migration above that version, in order, in one transaction. A database
at a version newer than the last one here was made by a newer program: it is refused
and left exactly as it is.

Adding a change: append ``Migration(N, "…", _vN)`` where ``_vN`` alters the tables, and
change ``schema.py`` to match. Migration 1 builds the version-1 tables frozen below (a
copy of ``schema.py`` as it was before migration 2); migration 2 adds the workshop tables
from ``schema.py``; migration 3 adds ``imported_forms`` and ``join_attempts`` from
``schema.py``; migration 4 adds the action plan's goal and follow-up columns; migration 5
adds ``workshop_areas`` from ``schema.py``; migration 6 adds ``workspaces``,
``workspace_members`` and ``administrators`` from ``schema.py``, the default workspace, and
``assessments.workspace_id`` (every assessment there was goes into the default workspace);
migration 7 (self-contained SQL, nothing from ``schema.py``) adds ``workshops.link_hash`` and
``workshops.expected_participants``, ``join_attempts.kind`` and ``join_attempts.refused``,
and the table ``join_lifts``; ``workshops`` and ``join_attempts`` as migrations 2 and 3 made
them are frozen here for that. Before the next change to any of those tables, freeze them
here the same way (the tests open fresh databases and fail if the migrations and ``schema.py`` disagree).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    inspect,
    select,
    text,
)

from assessment.storage import schema
from assessment.storage.engine import WRITE
from assessment.storage.errors import StorageError
from assessment.storage.values import utc_now


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _v1_metadata() -> MetaData:
    """The version-1 tables, frozen: exactly ``schema.py`` before migration 2."""
    md = MetaData()

    def assessment_id(primary_key: bool = True) -> Column:
        return Column(
            "assessment_id", Text, ForeignKey("assessments.id", ondelete="CASCADE"),
            primary_key=primary_key, nullable=False,
        )

    Table(
        "assessments", md,
        Column("id", Text, primary_key=True),
        Column("bank_id", Text, nullable=False),
        Column("bank_version", Text, nullable=False),
        Column("org_name", Text, nullable=False),
        Column("org_kind", Text, nullable=False),
        Column("unit", Text, nullable=False),
        Column("audience", Text, nullable=True),
        Column("date", Date, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Index("ix_assessments_updated_at", "updated_at"),
    )
    Table(
        "participants", md,
        assessment_id(),
        Column("id", Text, primary_key=True),
        Column("name", Text, nullable=False),
        Column("role", Text, nullable=False),
        Column("position", Integer, nullable=False),
    )
    Table(
        "answers", md,
        Column("assessment_id", Text, primary_key=True),
        Column("participant_id", Text, primary_key=True),
        Column("question_id", Text, primary_key=True),
        Column("value", Text, nullable=False),
        Column("comment", Text, nullable=False),
        Column("seq", Integer, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        ForeignKeyConstraint(
            ["assessment_id", "participant_id"], ["participants.assessment_id", "participants.id"],
            ondelete="CASCADE",
        ),
    )
    Table(
        "consensus", md,
        assessment_id(),
        Column("question_id", Text, primary_key=True),
        Column("value", Text, nullable=False),
        Column("note", Text, nullable=False),
        Column("seq", Integer, nullable=False),
    )
    Table(
        "area_settings", md,
        assessment_id(),
        Column("area_id", Text, primary_key=True),
        Column("target", Float, nullable=True),
        Column("importance", Integer, nullable=True),
    )
    Table(
        "efforts", md,
        assessment_id(),
        Column("question_id", Text, primary_key=True),
        Column("effort", Text, nullable=False),
    )
    Table(
        "actions", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        assessment_id(primary_key=False),
        Column("position", Integer, nullable=False),
        Column("activity", Text, nullable=False),
        Column("title", Text, nullable=False),
        Column("owner", Text, nullable=False),
        Column("due", Date, nullable=True),
        Column("status", Text, nullable=False),
        Column("note", Text, nullable=False),
        Index("ix_actions_assessment", "assessment_id", "position"),
    )
    return md


def _v1_create_tables(conn: Connection) -> None:
    _v1_metadata().create_all(conn, checkfirst=False)


def _v2_workshops(md: MetaData) -> Table:
    """``workshops`` as migrations 2 to 6 left it, frozen (migration 7 added two columns)."""
    return Table(
        "workshops", md,
        Column("id", Text, primary_key=True),
        Column("assessment_id", Text, ForeignKey("assessments.id", ondelete="CASCADE"),
               nullable=False),
        Column("secret_hash", Text, nullable=False),
        Column("code_hash", Text, nullable=False, unique=True),
        Column("code_lookup", Text, nullable=False),
        Column("anonymous", Boolean, nullable=False),
        Column("state", Text, nullable=False),
        Column("expires_after_s", Integer, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("closed_at", DateTime(timezone=True), nullable=True),
        Index("ix_workshops_code_lookup", "code_lookup"),
        Index("ix_workshops_assessment", "assessment_id"),
    )


def _v3_join_attempts(md: MetaData) -> Table:
    """``join_attempts`` as migrations 3 to 6 left it, frozen (migration 7 added two columns)."""
    return Table(
        "join_attempts", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client", Text, nullable=False),
        Column("session", Text, nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("lifted", Boolean, nullable=False),
        Index("ix_join_attempts_client", "client", "at"),
        Index("ix_join_attempts_session", "session", "at"),
    )


def _v2_add_workshops(conn: Connection) -> None:
    _v2_workshops(_v1_metadata()).create(conn, checkfirst=False)
    schema.metadata.create_all(conn, tables=[schema.workshop_participants], checkfirst=False)


def _v4_plan_follow_up(conn: Connection) -> None:
    for column in ("goal TEXT NOT NULL DEFAULT ''", "follow_up TEXT NOT NULL DEFAULT ''",
                   "follow_up_date DATE"):
        conn.execute(text(f"ALTER TABLE actions ADD COLUMN {column}"))


def _v5_workshop_areas(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.workshop_areas], checkfirst=False)


def _v6_workspaces(conn: Connection) -> None:
    schema.metadata.create_all(
        conn, tables=[schema.workspaces, schema.workspace_members, schema.administrators],
        checkfirst=False,
    )
    conn.execute(text("INSERT INTO workspaces (id, name, created_at) VALUES (:id, :name, :now)"),
                 {"id": schema.DEFAULT_WORKSPACE, "name": DEFAULT_WORKSPACE_NAME,
                  "now": utc_now()})
    conn.execute(text("ALTER TABLE assessments ADD COLUMN workspace_id TEXT NOT NULL "
                      f"DEFAULT '{schema.DEFAULT_WORKSPACE}'"))


def _v3_forms_and_attempts(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.imported_forms], checkfirst=False)
    _v3_join_attempts(MetaData()).create(conn, checkfirst=False)


def _v7_join_links_and_lifts(conn: Connection) -> None:
    """Self-contained (it reads nothing from ``schema.py``), to become an Alembic revision:
    the join link's digest and the expected number of participants on ``workshops``; the
    kind of an attempt (a typed code or a join) and whether the limits refused it on
    ``join_attempts``; and ``join_lifts``, the client addresses a workshop's facilitator
    lifted the locks of."""
    for statement in (
        "ALTER TABLE workshops ADD COLUMN link_hash TEXT",
        "ALTER TABLE workshops ADD COLUMN expected_participants INTEGER",
        "ALTER TABLE join_attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'code'",
        "ALTER TABLE join_attempts ADD COLUMN refused BOOLEAN NOT NULL DEFAULT FALSE",
        "CREATE TABLE join_lifts ("
        " workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,"
        " client TEXT NOT NULL,"
        " PRIMARY KEY (workshop_id, client))",
    ):
        conn.execute(text(statement))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "create the tables", _v1_create_tables),
    Migration(2, "live workshops: join codes, facilitator secrets, participant tokens",
              _v2_add_workshops),
    Migration(3, "imported forms (found again when imported twice); wrong join codes counted "
              "in the database", _v3_forms_and_attempts),
    Migration(4, "the action plan's goal, follow-up method and follow-up date",
              _v4_plan_follow_up),
    Migration(5, "a workshop limited to the day's areas", _v5_workshop_areas),
    Migration(6, "workspaces with members and roles; every assessment in the default one",
              _v6_workspaces),
    Migration(7, "join links, expected participants, joins and refusals counted, lifts",
              _v7_join_links_and_lifts),
)
SCHEMA_VERSION = MIGRATIONS[-1].version

schema_info = Table(
    "schema_info", MetaData(),
    Column("version", Integer, nullable=False),
)

DEFAULT_WORKSPACE_NAME = "Standard"

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
