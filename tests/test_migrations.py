"""The schema's history in Alembic (issue 27 §3): a new database is built by the revisions and
equals schema.py; a database of every schema version before Alembic is recognised, upgraded
and keeps its data; a newer one is refused and left as it is; later revisions run in order in
one transaction; batch mode keeps the rows of a table SQLite copies; two processes opening a
new database at once build it once; the history reads top to bottom.

Each test runs against SQLite and PostgreSQL unless it says otherwise.
"""

from __future__ import annotations

import ast
import datetime as dt
import multiprocessing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from assessment.document import ActionStatus, Answer, Consensus, Effort
from assessment.storage import StorageError, Store
from assessment.storage.engine import open_engine
from assessment.storage.migrations import (LEGACY_REVISIONS, MOVED_TO_ALEMBIC, head_revision,
                                           migrate, read_schema, scripts)
from assessment.storage.schema import metadata
from tests import legacy_databases
from tests.test_storage import rows, snapshot

VERSIONS_DIR = Path(__file__).resolve().parent.parent / "assessment/storage/revisions/versions"


def _other_default(_context, _column, _schema_column, found: str | None, _schema_default,
                   value: str | None) -> bool | None:
    """Whether the database's default (as reflected: ``('')`` or ``'default'`` on SQLite,
    ``''::text`` on PostgreSQL) is another value than schema.py's; None (no default on one
    side): Alembic decides."""
    if found is None or value is None:
        return None
    found = found.split("::")[0]
    while found.startswith("(") and found.endswith(")"):
        found = found[1:-1]
    if found.startswith("'") and found.endswith("'"):
        found = found[1:-1].replace("''", "'")
    return found != value


def schema_differences(db_url: str) -> list:
    """What Alembic's autogenerate finds between the database and schema.py (types and
    server defaults too); ``schema_info`` is not schema.py's."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "compare_server_default": _other_default,
                "include_name": lambda name, kind, _parent: (kind, name) != ("table",
                                                                              "schema_info"),
            })
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def found(db_url: str):
    engine, _ = open_engine(db_url)
    try:
        with engine.connect() as conn:
            return read_schema(conn)
    finally:
        engine.dispose()


def later_revisions(folder: Path, *bodies: str) -> Path:
    """A folder of revisions 9001, 9002, … after the head, whose ``upgrade`` runs each body
    (one line of code)."""
    folder.mkdir()
    down = head_revision()
    for number, body in enumerate(bodies, start=9001):
        (folder / f"{number}_test.py").write_text(
            "import sqlalchemy as sa\nfrom alembic import op\n\n"
            f"revision = '{number}'\ndown_revision = {down!r}\nbranch_labels = None\n"
            f"depends_on = None\n\n\ndef upgrade():\n    {body}\n", encoding="utf-8")
        down = str(number)
    return folder


def run_migrate(db_url: str, more_versions=()) -> str:
    engine, where = open_engine(db_url)
    try:
        return migrate(engine, where, more_versions)
    finally:
        engine.dispose()


def open_refused(db_url: str, change: str) -> str:
    """The message of the ``StorageError`` that opening the database raises after ``change``
    (SQL); the database is as it was before the open."""
    engine, _ = open_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(change))
    engine.dispose()
    before = snapshot(db_url)
    with pytest.raises(StorageError) as raised:
        Store(db_url)
    assert snapshot(db_url) == before
    return str(raised.value)


def tables(db_url: str) -> set[str]:
    engine = create_engine(db_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


# --- a new database ----------------------------------------------------------------------

def test_new_database__every_revision__equals_schema_py_and_guards_schema_info(db_url, store):
    assert schema_differences(db_url) == []
    # schema_info at 7: programs before Alembic understood up to 6 and refuse anything higher
    assert rows(db_url, "schema_info") == [{"version": 7}]
    assert found(db_url) == (head_revision(), MOVED_TO_ALEMBIC)
    assert rows(db_url, "alembic_version") == [{"version_num": head_revision()}]
    assert [(w["id"], w["name"]) for w in rows(db_url, "workspaces")] == [("default", "Standard")]
    assert tables(db_url) == {*metadata.tables, "schema_info", "alembic_version"}


# --- databases made before Alembic --------------------------------------------------------

@pytest.mark.parametrize("version", legacy_databases.VERSIONS)
def test_legacy_database__every_version__stamped_upgraded_and_data_kept(db_url, version):
    legacy_databases.load(db_url, version)
    assert found(db_url) == (None, version)

    with Store(db_url) as store:
        a1 = store.load("a1")
        a2 = store.load("a2")
        summaries = {s.id: s.workspace_id for s in store.list_assessments()}
        workspaces = {(w.id, w.name) for w in store.list_workspaces()}

    assert [(p.id, p.name, p.role) for p in a1.participants] == [
        ("p1", "Åsa Öberg", "Chefläkare"), ("p2", "Erik", "Sjuksköterska")]
    assert a1.answers == [
        Answer(participant="p1", question="G1.1", value=3, comment="Vi mäter årligen"),
        Answer(participant="p1", question="G1.2", value="na", comment="Ej relevant"),
        Answer(participant="p2", question="G1.1", value="unknown"),
    ]
    assert a1.consensus == [Consensus(question="G1.1", value=3, note="Enade efter diskussion")]
    assert (a1.targets, a1.importance, a1.effort) == ({"G1": 3.5}, {"G1": 2},
                                                      {"G1.1": Effort.high})
    (action,) = a1.actions
    assert (action.title, action.owner, action.due, action.status, action.note) == (
        "Utbilda chefer", "Anna", dt.date(2026, 5, 1), ActionStatus.ongoing, "Start i maj")
    assert (action.goal, action.follow_up, action.follow_up_date) == (
        ("Alla chefer utbildade", "Andel utbildade", dt.date(2026, 12, 1)) if version >= 4
        else ("", "", None))
    assert (a1.organisation.name, a2.organisation.name, a2.answers[0].value) == (
        "Region Östergötland", "Kommun B", 10)
    # every assessment there was is in the default workspace, unless version 6 moved it
    assert summaries == {"a1": "default", "a2": "b" if version == 6 else "default"}
    assert workspaces == ({("default", "Standard"), ("b", "Region B")} if version == 6
                          else {("default", "Standard")})
    counts = {t: len(rows(db_url, t)) for t in (
        "workshops", "workshop_participants", "imported_forms", "join_attempts",
        "workshop_areas", "workspace_members", "administrators")}
    assert counts == {
        "workshops": int(version >= 2), "workshop_participants": int(version >= 2),
        "imported_forms": int(version >= 3), "join_attempts": int(version >= 3),
        "workshop_areas": int(version >= 5), "workspace_members": 2 * (version == 6),
        "administrators": int(version == 6)}
    assert found(db_url) == (head_revision(), MOVED_TO_ALEMBIC)
    assert schema_differences(db_url) == []


def test_legacy_database__stamped_at_the_revision_of_its_version(db_url):
    """Stamped at 3, then upgraded: had it been stamped lower, 0003 would create its tables
    again and fail; higher, 0004's columns would be missing."""
    legacy_databases.load(db_url, 3)
    run_migrate(db_url)

    engine = create_engine(db_url)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("actions")}
    finally:
        engine.dispose()
    assert {"goal", "follow_up", "follow_up_date"} <= columns
    assert [r["version_num"] for r in rows(db_url, "alembic_version")] == [head_revision()]


def test_legacy_database__upgrade_fails__nothing_changed(db_url, tmp_path):
    """Stamp, upgrade and schema_info's guard are one transaction with the revisions."""
    legacy_databases.load(db_url, 5)
    before = snapshot(db_url)
    later = later_revisions(tmp_path / "later", "raise RuntimeError('broken revision')")

    with pytest.raises(RuntimeError, match="broken revision"):
        run_migrate(db_url, [later])

    assert found(db_url) == (None, 5)
    assert snapshot(db_url) == before
    assert "workspaces" not in tables(db_url)


# --- newer databases ---------------------------------------------------------------------

def test_open__unknown_revision__refused_and_database_unchanged(db_url):
    Store(db_url).close()
    where = open_engine(db_url)[1]

    message = open_refused(db_url, "UPDATE alembic_version SET version_num = '0999'")

    assert message == (
        f"the database at {where} has schema version 0999, "
        f"this program understands up to {head_revision()}; update the program"
    )


def test_open__schema_info_beyond_version_6_without_alembic__refused_and_unchanged(db_url):
    legacy_databases.load(db_url, 6)
    where = open_engine(db_url)[1]

    message = open_refused(db_url, "UPDATE schema_info SET version = 9")

    assert message == (
        f"the database at {where} has schema version 9, "
        "this program understands up to 6; update the program"
    )
    assert found(db_url) == (None, 9)


def test_open__alembic_version_lost__refused_as_damaged_and_unchanged(db_url):
    """schema_info at 7 says the database was moved to Alembic: without alembic_version its
    revision is unknown, and it is not taken for a new or an old database."""
    Store(db_url).close()
    where = open_engine(db_url)[1]

    message = open_refused(db_url, "DROP TABLE alembic_version")

    assert message == (f"the database at {where} has lost its alembic_version table "
                       "(schema_info says it was moved to Alembic); it is damaged")


# --- later revisions ---------------------------------------------------------------------

def test_migrate__later_revisions__applied_in_order_once(db_url, store, tmp_path):
    later = later_revisions(
        tmp_path / "later",
        "op.create_table('notes', sa.Column('id', sa.Integer, primary_key=True, "
        "autoincrement=False))",
        "op.execute('INSERT INTO notes (id) VALUES (7)')")

    newest = run_migrate(db_url, [later])
    again = run_migrate(db_url, [later])

    assert (newest, again) == ("9002", "9002")
    assert rows(db_url, "notes") == [{"id": 7}]
    assert rows(db_url, "alembic_version") == [{"version_num": "9002"}]


def test_migrate__failing_revision__rolls_everything_back(db_url, store, tmp_path):
    later = later_revisions(
        tmp_path / "later",
        "op.create_table('notes', sa.Column('id', sa.Integer, primary_key=True))",
        "raise RuntimeError('broken revision')")

    with pytest.raises(RuntimeError, match="broken revision"):
        run_migrate(db_url, [later])

    assert found(db_url) == (head_revision(), MOVED_TO_ALEMBIC)
    assert "notes" not in tables(db_url)


def test_migrate__batch_revision_copying_a_referenced_table__rows_and_cascades_kept(
        db_url, tmp_path):
    """A batch revision that SQLite can only do by copying ``assessments`` into a new table
    (a column made nullable) keeps every row of the tables that reference it, and deleting an
    assessment still deletes its participants and answers."""
    legacy_databases.load(db_url, 6)
    Store(db_url).close()
    later = later_revisions(
        tmp_path / "later",
        "with op.batch_alter_table('assessments') as batch: "
        "batch.alter_column('unit', existing_type=sa.Text, nullable=True)")
    counted = ("participants", "answers", "consensus", "actions", "workshops")
    before = {t: len(rows(db_url, t)) for t in counted}

    assert run_migrate(db_url, [later]) == "9001"

    after = {t: len(rows(db_url, t)) for t in counted}
    engine, _ = open_engine(db_url)
    try:
        unit = next(c for c in inspect(engine).get_columns("assessments") if c["name"] == "unit")
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM assessments WHERE id = 'a1'"))
    finally:
        engine.dispose()
    assert unit["nullable"] is True
    assert after == before
    assert [r["assessment_id"] for r in rows(db_url, "answers")] == ["a2"]
    assert rows(db_url, "workshops") == []


def test_migrate__sqlite_revision_leaving_rows_that_refer_to_none__refused_and_rolled_back(
        tmp_path):
    """Foreign keys are off while SQLite migrates (for batch copies), so they are checked
    before the commit: a revision that leaves a participant of no assessment changes
    nothing."""
    db_url = f"sqlite:///{tmp_path / 'psa.sqlite3'}"
    Store(db_url).close()
    later = later_revisions(
        tmp_path / "later",
        "op.execute(\"INSERT INTO participants (assessment_id, id, name, role, position) "
        "VALUES ('none', 'p1', '', '', 0)\")")

    with pytest.raises(StorageError) as raised:
        run_migrate(db_url, [later])

    assert str(raised.value) == (
        f"migrating the database at {tmp_path / 'psa.sqlite3'} would leave rows that refer to "
        "none (first in table participants); nothing was changed")
    assert rows(db_url, "participants") == []
    assert found(db_url) == (head_revision(), MOVED_TO_ALEMBIC)


# --- two processes at once ---------------------------------------------------------------

def _open_after(barrier, url: str) -> str:
    barrier.wait(timeout=60)
    with Store(url) as store:
        return store.location


def test_open__two_processes_open_a_new_database_at_once__built_once(db_url):
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Manager().Barrier(2)
    with spawn.Pool(2) as pool:
        results = [pool.apply_async(_open_after, (barrier, db_url)) for _ in range(2)]
        locations = [r.get(timeout=120) for r in results]

    assert locations[0] == locations[1]
    assert rows(db_url, "alembic_version") == [{"version_num": head_revision()}]
    assert rows(db_url, "schema_info") == [{"version": MOVED_TO_ALEMBIC}]
    assert [w["id"] for w in rows(db_url, "workspaces")] == ["default"]


# --- the history -------------------------------------------------------------------------

def test_history__reads_top_to_bottom_from_0001_to_the_head():
    """The files, in name order, are the revisions from the first to the one head, each after
    the one before, its file named by its revision; the first six are versions 1 to 6."""
    script = scripts()
    order = [r.revision for r in reversed(list(script.walk_revisions()))]
    files = sorted(p.name for p in VERSIONS_DIR.glob("[0-9]*.py"))

    assert script.get_heads() == [order[-1]]
    assert [f.split("_", 1)[0] for f in files] == order
    assert [script.get_revision(r).down_revision for r in order] == [None, *order[:-1]]
    assert order[:6] == [LEGACY_REVISIONS[v] for v in range(1, 7)]


def test_history__no_revision_imports_the_schema_or_the_program():
    """A revision says what it does in full: it imports only SQLAlchemy, Alembic and the
    standard library, never schema.py, whose tables change with every later revision."""
    for path in sorted(VERSIONS_DIR.glob("[0-9]*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module}
        assert imported <= {"sqlalchemy", "alembic", "datetime"}, (path.name, imported)


def test_autogenerate__database_at_the_head__drafts_a_revision_with_nothing_to_do(
        db_url, store, tmp_path):
    """Autogenerate (env.py with schema.py's tables, the shipped template) drafts the next
    revision from what the database lacks: nothing, for one the revisions built — not even
    dropping schema_info, which is no table of schema.py."""
    from alembic import command

    from assessment.storage.migrations import alembic_config

    engine, _ = open_engine(db_url)
    try:
        with engine.begin() as conn:
            command.revision(alembic_config(conn, [tmp_path]), message="nothing new",
                             autogenerate=True, rev_id="9001", version_path=str(tmp_path))
    finally:
        engine.dispose()

    (draft,) = tmp_path.glob("9001_*.py")
    tree = ast.parse(draft.read_text(encoding="utf-8"))
    assigned = {node.targets[0].id: node.value.value for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)}
    (upgrade,) = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert (draft.name, assigned["revision"], assigned["down_revision"]) == (
        "9001_nothing_new.py", "9001", head_revision())
    assert [type(node) for node in upgrade.body] == [ast.Pass]
