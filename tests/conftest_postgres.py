"""A throw-away PostgreSQL server for the tests (pytest plugin: ``tests.conftest_postgres``).

``postgres_server`` starts one server per test session from Debian's binaries
(``/usr/lib/postgresql/<version>/bin``): a new cluster in a temporary folder, listening
on 127.0.0.1 on a free port, with one database, stopped and deleted at the end.
``postgres_url`` gives each test an empty place of its own in that database: a new
schema, made the connection's ``search_path`` through the URL (much faster than a new
database per test; to the code under test it looks like an empty database).

Without the binaries the tests that need them are skipped, or fail when ``CI=true``.
As root, the binaries run as the ``postgres`` user (initdb refuses root).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

BIN_GLOB = "/usr/lib/postgresql/*/bin"
SUPERUSER = "postgres"


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    database: str

    def url(self, schema: str | None = None) -> str:
        """The SQLAlchemy URL of the test database; with ``schema``, of that schema only."""
        url = f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{self.database}"
        return f"{url}?options=-csearch_path%3D{schema}" if schema else url

    def connect(self, database: str | None = None):
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=self.user,
                               dbname=database or self.database, autocommit=True)


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin folder that has ``initdb`` and ``pg_ctl``."""
    def version(path: str) -> tuple[int, ...]:
        name = Path(path).parent.name
        return tuple(int(part) for part in name.split(".") if part.isdigit())

    found = [
        Path(d) for d in sorted(glob.glob(BIN_GLOB), key=version, reverse=True)
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists()
    ]
    return found[0] if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({result.returncode}): {result.stderr or result.stdout}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        reason = f"no PostgreSQL server binaries ({BIN_GLOB}/initdb and pg_ctl)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI=true needs them: install the postgresql package")
        pytest.skip(reason)

    root = Path(tempfile.mkdtemp(prefix="psa-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        owner = pwd.getpwnam(SUPERUSER)
        os.chown(root, owner.pw_uid, owner.pw_gid)
        as_owner = ["runuser", "-u", SUPERUSER, "--"]
    data, log = root / "data", root / "server.log"
    started = False
    try:
        _run(as_owner + [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER,
                         "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], "initdb")
        for _attempt in range(3):  # the free port may be taken by the time the server binds
            port = _free_port()
            options = (f"-h 127.0.0.1 -p {port} -k {root} -F "
                       "-c synchronous_commit=off -c full_page_writes=off")
            result = subprocess.run(
                as_owner + [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log),
                            "-w", "-t", "60", "-o", options, "start"],
                capture_output=True, text=True, timeout=120,
            )
            if result.returncode == 0:
                started = True
                break
        if not started:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else result.stderr
            raise RuntimeError(f"pg_ctl start failed: {tail}")
        server = PostgresServer("127.0.0.1", port, SUPERUSER, "psa_test")
        with server.connect("postgres") as admin:
            admin.execute(f'CREATE DATABASE "{server.database}"')
        yield server
    finally:
        if started:
            subprocess.run(
                as_owner + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                capture_output=True, timeout=120,
            )
        shutil.rmtree(root, ignore_errors=True)


_schema_numbers = itertools.count(1)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of an empty PostgreSQL database (a new schema), dropped after the test."""
    schema = f"test_{next(_schema_numbers)}"
    with postgres_server.connect() as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield postgres_server.url(schema)
    finally:
        with postgres_server.connect() as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
