"""Opening a database: the SQLAlchemy engine for a URL, with SQLite tuned for several writers.

SQLite connections get WAL mode, ``synchronous=NORMAL``, a busy timeout and foreign keys
on every connect. Transactions on SQLite are begun by us: ``BEGIN IMMEDIATE`` for writes
(a writer waits for the lock up front instead of failing half-way), plain ``BEGIN`` for
reads, which in WAL mode never block writers.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from assessment.storage.config import BUSY_TIMEOUT_MS, ENV_DB_PATH
from assessment.storage.errors import StorageError, first_line

# Execution option that marks a connection's next transaction as a write.
WRITE = "psa_write"


def open_engine(url: str | URL) -> tuple[Engine, str]:
    """The engine for ``url`` and a description of where the data is, for messages.

    Nothing is read yet; connection problems surface on first use. Raises ``StorageError``
    for a URL that is not usable (bad form, unsupported database, a folder as SQLite file).
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(
            f"{str(url)!r} is not a database URL; use e.g. postgresql+psycopg://user@host:5432/db"
        ) from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend != "postgresql":
        raise StorageError(
            f"{parsed.render_as_string(hide_password=True)} is not supported: "
            "use an SQLite file or PostgreSQL (postgresql+psycopg://…)"
        )
    where = parsed.render_as_string(hide_password=True)
    try:
        engine = create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise StorageError(f"cannot use {where}: {first_line(exc)} (install psycopg)") from None
    return engine, where


def _sqlite_engine(url: URL) -> tuple[Engine, str]:
    database = url.database or ""
    if database in ("", ":memory:"):
        # One shared connection: for tests and tools in a single thread only.
        engine = create_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        where = "an in-memory SQLite database"
    else:
        path = Path(database).expanduser().absolute()
        if path.is_dir():
            raise StorageError(
                f"{path} is a folder, not an SQLite database; set {ENV_DB_PATH} to a file path"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot create the folder {path.parent} for the database: {exc.strerror}"
            ) from None
        engine = create_engine(
            url.set(database=str(path)), connect_args={"check_same_thread": False}
        )
        where = str(path)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine, where


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    # Let us emit BEGIN ourselves (the driver's own transaction handling is switched off).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _set_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _set_wal(cursor) -> None:
    """WAL mode. Switching a new database to it takes an exclusive lock, and SQLite answers
    "database is locked" at once (its busy handler is not asked) while another process is
    switching it or creating the tables: two replicas opening a new file together. Retried
    until the busy timeout, as any other lock would wait."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _on_sqlite_begin(connection) -> None:
    write = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_error(where: str, backend: str, error: BaseException) -> StorageError:
    """A one-line ``StorageError`` for a database that could not be opened."""
    reason = first_line(error)
    if backend == "sqlite" and ("not a database" in reason or "malformed" in reason):
        return StorageError(
            f"{where} is not an SQLite database ({reason}); "
            f"set {ENV_DB_PATH} to a new file or to a database made by this program"
        )
    return StorageError(f"cannot open the database at {where}: {reason}")
