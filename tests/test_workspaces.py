"""Workspaces and roles (issue 16): a signed-in member sees and changes only their own
workspaces' assessments, a reader only reads; without sign-in everything is as before.

The store tests run against SQLite and PostgreSQL (tests/conftest_postgres.py): the store
enforces the rules, the pages and the command line only call it. Then the pages through
AppTest (``at.user`` is the signed-in user, ``at.secrets["auth"]`` switches sign-in on),
the ``workspace`` commands against the database, and migration 6.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from assessment import cli
from assessment.document import Action, Organisation, Participant
from assessment.files import dump_assessment
from assessment.storage import (DEFAULT_WORKSPACE, AlreadyExists, InvalidInput, NotAMember, ReadOnlyRole, Store,
                                WorkshopLocked, WorkspaceDenied)
from tests import legacy_databases
from tests.test_app_pages import ROOT, assessment_data

ANNA, RITA, BERIT = "anna@a.se", "rita@a.se", "berit@b.se"  # facilitator A, reader A, facilitator B


def seed(store: Store) -> dict[str, str]:
    """Workspaces A and B with their members, an assessment in each and one made before
    workspaces (in the default workspace). Returns the ids by name."""
    ws_a, ws_b = store.create_workspace("Region A"), store.create_workspace("Kommun B")
    store.add_member(ws_a, ANNA, "facilitator")
    store.add_member(ws_a, RITA, "reader")
    store.add_member(ws_b, BERIT, "facilitator")
    return {
        "A": ws_a, "B": ws_b,
        "a": store.create_assessment(assessment_data(name="Region A"), workspace=ws_a),
        "b": store.create_assessment(assessment_data(name="Kommun B"), workspace=ws_b),
        "old": store.create_assessment(assessment_data(name="Före arbetsytor")),
    }


@pytest.fixture
def ids(store) -> dict[str, str]:
    return seed(store)


def as_member(store: Store, email: str, keys=()) -> Store:
    return store.for_caller(keys, member=email)


# --- listing and reading -----------------------------------------------------------------

def test_list__member_sees_only_their_workspaces_assessments(store, ids):
    assert [s.id for s in as_member(store, ANNA).list_assessments()] == [ids["a"]]
    assert [s.id for s in as_member(store, BERIT).list_assessments()] == [ids["b"]]
    assert [s.id for s in as_member(store, RITA).list_assessments()] == [ids["a"]]
    assert as_member(store, "nobody@a.se").list_assessments() == []
    assert as_member(store, "").list_assessments() == []  # signed in without an e-mail


def test_list__owner_and_app_without_sign_in_see_everything(store, ids):
    everything = {ids["a"], ids["b"], ids["old"]}
    assert {s.id for s in store.list_assessments()} == everything
    assert {s.id for s in store.for_caller([]).list_assessments()} == everything
    by_id = {s.id: s.workspace_id for s in store.list_assessments()}
    assert by_id == {ids["a"]: ids["A"], ids["b"]: ids["B"], ids["old"]: DEFAULT_WORKSPACE}


def test_member__e_mail_compared_without_case_or_spaces(store, ids):
    assert [s.id for s in as_member(store, "  Anna@A.SE ").list_assessments()] == [ids["a"]]


def test_read__other_workspace__not_a_member(store, ids):
    anna = as_member(store, ANNA)
    reads = [
        lambda: anna.load(ids["b"]),
        lambda: dump_assessment(anna.load(ids["b"])),  # the JSON download of Start
        lambda: anna.updated_at(ids["b"]),
        lambda: anna.action_items(ids["b"]),
        lambda: anna.participant_answers(ids["b"], "p1"),
        lambda: anna.workshop_participant_ids(ids["b"]),
        lambda: anna.scoring_inputs([ids["a"], ids["b"]]),  # Jämför
        lambda: anna.scoring_inputs([ids["old"]]),
    ]
    for read in reads:
        with pytest.raises(NotAMember, match="not a member of the workspace"):
            read()
    assert anna.load(ids["a"]).organisation.name == "Region A"
    assert list(anna.scoring_inputs([ids["a"]])) == [ids["a"]]


def test_read__message_is_one_line(store, ids):
    with pytest.raises(NotAMember) as raised:
        as_member(store, ANNA).load(ids["b"])
    assert str(raised.value) == ("you are not a member of the workspace of this assessment; "
                                 "ask an administrator to add you")


# --- changing ----------------------------------------------------------------------------

def writes(store: Store, aid: str):
    """Every kind of write a page (or a crafted message) can send, on assessment ``aid``."""
    return {
        "set_answer": lambda: store.set_answer(aid, "p1", "G1.1", 4),
        "clear_answer": lambda: store.clear_answer(aid, "p1", "G1.1"),
        "update_details": lambda: store.update_details(
            aid, Organisation(name="Ändrad", kind="kommun", unit=""), dt.date(2026, 1, 1), None),
        "add_participant": lambda: store.add_participant(aid, Participant(id="p9", name="X")),
        "new_participant": lambda: store.new_participant(aid, "Y"),
        "remove_participant": lambda: store.remove_participant(aid, "p2"),
        "set_consensus": lambda: store.set_consensus(aid, "G1.1", 2),
        "set_target": lambda: store.set_target(aid, "G1", 3.0),
        "set_effort": lambda: store.set_effort(aid, "G1.1", "låg"),
        "add_action": lambda: store.add_action(aid, Action(activity="G1.1", title="T")),
        "open_workshop": lambda: store.open_workshop(aid),
        "delete_assessment": lambda: store.delete_assessment(aid),
    }


def test_write__other_workspace__every_write_refused_and_nothing_changed(store, ids):
    before = dump_assessment(store.load(ids["b"]))
    for name, write in writes(as_member(store, ANNA), ids["b"]).items():
        with pytest.raises(NotAMember):
            write()
            pytest.fail(f"{name} was let through")
    assert dump_assessment(store.load(ids["b"])) == before
    assert not store.has_workshop(ids["b"])


def test_write__reader__every_write_refused_and_reading_allowed(store, ids):
    rita = as_member(store, RITA)
    before = dump_assessment(store.load(ids["a"]))
    for name, write in writes(rita, ids["a"]).items():
        with pytest.raises(ReadOnlyRole, match="you are a reader in the workspace"):
            write()
            pytest.fail(f"{name} was let through")
    assert dump_assessment(store.load(ids["a"])) == before
    assert dump_assessment(rita.load(ids["a"])) == before  # results and downloads
    assert list(rita.scoring_inputs([ids["a"]])) == [ids["a"]]


def test_write__facilitator__own_workspace_changed(store, ids):
    anna = as_member(store, ANNA)
    anna.set_answer(ids["a"], "p1", "G1.1", 4)
    anna.update_details(ids["a"], Organisation(name="Region A2", kind="region", unit=""),
                        dt.date(2026, 4, 1), None)
    loaded = store.load(ids["a"])
    assert (loaded.organisation.name, loaded.answers[0].value) == ("Region A2", 4)
    anna.delete_assessment(ids["a"])
    assert {s.id for s in store.list_assessments()} == {ids["b"], ids["old"]}


def test_create__in_a_workspace_where_the_caller_facilitates(store, ids):
    anna, rita = as_member(store, ANNA), as_member(store, RITA)
    new = anna.create_assessment(assessment_data(name="Ny"), workspace=ids["A"])
    assert [s.id for s in as_member(store, RITA).list_assessments()] == [new, ids["a"]]
    with pytest.raises(NotAMember, match="not a member of that workspace"):
        anna.create_assessment(assessment_data(), workspace=ids["B"])
    with pytest.raises(NotAMember):
        anna.create_assessment(assessment_data())  # the default workspace: not hers
    with pytest.raises(ReadOnlyRole):
        rita.create_assessment(assessment_data(), workspace=ids["A"])
    assert len(store.list_assessments()) == 4


def test_workshop_key__does_not_open_another_workspace(store, ids):
    _, secret = store.open_workshop(ids["b"])
    with pytest.raises(NotAMember):
        as_member(store, ANNA, [secret]).load(ids["b"])
    assert as_member(store, BERIT, [secret]).load(ids["b"]).organisation.name == "Kommun B"


# --- issue 26: a facilitator member runs the workspace's workshops without the key -----------

def test_workshop__facilitator_member__opens_it_without_the_key(store, ids):
    _, secret = store.open_workshop(ids["a"])
    anna = as_member(store, ANNA)  # facilitator in A, no key given

    assert anna.load(ids["a"]).organisation.name == "Region A"
    anna.set_answer(ids["a"], "p1", "G1.1", 4)
    assert ids["a"] in [s.id for s in anna.list_assessments()]
    assert list(anna.scoring_inputs([ids["a"]])) == [ids["a"]]
    assert anna.locked_workshops() == []


def test_workshop__reader_member__still_needs_the_key(store, ids):
    _, secret = store.open_workshop(ids["a"])
    rita = as_member(store, RITA)

    with pytest.raises(WorkshopLocked):
        rita.load(ids["a"])
    with pytest.raises(WorkshopLocked):
        rita.scoring_inputs([ids["a"]])
    assert rita.list_assessments() == []
    assert [w.assessment_id for w in rita.locked_workshops()] == [ids["a"]]
    assert as_member(store, RITA, [secret]).load(ids["a"]).organisation.name == "Region A"
    assert as_member(store, RITA, [secret]).locked_workshops() == []


def test_workshop__facilitator_of_another_workspace__neither_opens_nor_sees_it(store, ids):
    store.open_workshop(ids["a"])
    berit = as_member(store, BERIT)

    with pytest.raises(NotAMember):
        berit.load(ids["a"])
    assert berit.locked_workshops() == []


def test_workshop__without_sign_in__locked_ones_listed_by_date_only(store, ids):
    _, secret = store.open_workshop(ids["old"])
    store.open_workshop(ids["b"])
    caller = store.for_caller([secret])

    locked = caller.locked_workshops()
    assert [w.assessment_id for w in locked] == [ids["b"]]
    assert locked[0].opened_at.tzinfo is not None
    assert store.locked_workshops() == []  # the owner opens everything


# --- administrators ----------------------------------------------------------------------

def test_admin__member_who_is_not_one__cannot_manage(store, ids):
    anna = as_member(store, ANNA)
    for manage in (lambda: anna.create_workspace("Egen"),
                   lambda: anna.add_member(ids["A"], "ny@a.se", "facilitator"),
                   lambda: anna.add_member(ids["B"], ANNA, "facilitator"),
                   lambda: anna.add_administrator(ANNA),
                   lambda: anna.members(ids["A"]),
                   lambda: anna.list_workspaces(managed=True)):
        with pytest.raises(WorkspaceDenied, match="only an administrator"):
            manage()
    assert not anna.is_administrator()
    assert [s.id for s in anna.list_assessments()] == [ids["a"]]


def test_admin__manages_workspaces_but_sees_only_where_member(store, ids):
    store.add_administrator("Admin@Region.se")
    admin = as_member(store, "admin@region.se")
    assert admin.is_administrator()
    c = admin.create_workspace("  Enhet   C ")
    admin.add_member(c, ANNA, "reader")
    admin.add_member(ids["A"], RITA, "facilitator")  # a new role replaces the old one

    assert [(w.name, w.role) for w in as_member(store, ANNA).list_workspaces()] == [
        ("Enhet C", "reader"), ("Region A", "facilitator")]
    assert [(m.email, m.role) for m in admin.members(ids["A"])] == [
        (ANNA, "facilitator"), (RITA, "facilitator")]
    assert [w.name for w in admin.list_workspaces(managed=True)] == [
        "Enhet C", "Kommun B", "Region A", "Standard"]
    assert admin.list_assessments() == []  # managing is not seeing
    as_member(store, RITA).set_answer(ids["a"], "p1", "G1.1", 0)


def test_admin__bad_role_e_mail_or_name__invalid_input(store, ids):
    with pytest.raises(InvalidInput, match="the role must be facilitator or reader"):
        store.add_member(ids["A"], ANNA, "admin")
    with pytest.raises(InvalidInput, match="is not an e-mail address"):
        store.add_member(ids["A"], "anna", "reader")
    with pytest.raises(InvalidInput, match="a workspace name has 1 to 200 characters"):
        store.create_workspace("   ")
    with pytest.raises(AlreadyExists, match="already a workspace named 'Region A'"):
        store.create_workspace("Region A")


# --- a database of schema version 5 (before Alembic) ------------------------------------

def test_legacy_version_5_database__every_assessment_in_the_default_workspace(db_url):
    legacy_databases.load(db_url, 5)

    with Store(db_url) as store:
        assert {(s.id, s.workspace_id) for s in store.list_assessments()} == {
            ("a1", "default"), ("a2", "default")}
        assert [(w.id, w.name) for w in store.list_workspaces()] == [("default", "Standard")]
        store.add_member("default", ANNA, "reader")
        # a1 ran a workshop, so a caller without its facilitator key is not shown it
        assert {s.id for s in as_member(store, ANNA).list_assessments()} == {"a2"}
        assert as_member(store, BERIT).list_assessments() == []

    raw = create_engine(db_url)
    try:
        with raw.connect() as conn:
            assert conn.execute(text("SELECT DISTINCT workspace_id FROM assessments")).all() == [
                ("default",)]
    finally:
        raw.dispose()


# --- the command line --------------------------------------------------------------------

@pytest.fixture
def cli_db(db_url, monkeypatch) -> str:
    """The database the commands open (``PSA_DATABASE_URL``), SQLite and PostgreSQL."""
    monkeypatch.setenv("PSA_DATABASE_URL", db_url)
    return db_url


def command(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["workspace", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli__role_choices__the_stores_roles():
    """The parser's --role choices are written out (no database import to build it)."""
    from assessment import storage, workspace_cli

    assert workspace_cli.ROLES == storage.ROLES


def test_cli__first_administrator_workspace_and_members__in_the_database(cli_db, capsys):
    assert command(capsys, "admin", " IT@Region.se ") == (0, "it@region.se is an administrator\n", "")
    code, out, _ = command(capsys, "create", "Region A")
    assert code == 0 and out.startswith("created workspace Region A (")
    assert command(capsys, "add-member", "Region A", "Anna@A.se", "--role", "facilitator")[:2] == (
        0, "anna@a.se is facilitator in Region A\n")
    assert command(capsys, "add-member", "Region A", RITA, "--role", "reader")[0] == 0

    with Store(cli_db) as store:
        (ws_a,) = [w.id for w in store.list_workspaces() if w.name == "Region A"]
        assert [(m.email, m.role) for m in store.members(ws_a)] == [
            (ANNA, "facilitator"), (RITA, "reader")]
        assert store.for_caller(member="it@region.se").is_administrator()
        mine = store.create_assessment(assessment_data(name="Region A"), workspace=ws_a)
        store.create_assessment(assessment_data(name="Gammal"))
        assert [s.id for s in store.for_caller(member=RITA).list_assessments()] == [mine]

    code, out, err = command(capsys, "list")
    assert (code, err) == (0, "")
    assert out == (f"Region A ({ws_a}): 1 assessment\n  {ANNA} facilitator\n  {RITA} reader\n"
                   "Standard (default): 1 assessment\n"
                   "administrators: it@region.se\n")


def test_cli__is_the_owner__no_administrator_needed_and_moves_assessments(cli_db, capsys):
    with Store(cli_db) as store:
        old = store.create_assessment(assessment_data(name="Före arbetsytor"))
    # No administrator exists yet and the command line signs in as nobody: it is the owner.
    assert command(capsys, "create", "Kommun B")[0] == 0
    assert command(capsys, "add-member", "Kommun B", BERIT, "--role", "reader")[0] == 0
    assert command(capsys, "move", old, "Kommun B") == (0, f"moved {old} to Kommun B\n", "")
    with Store(cli_db) as store:
        (summary,) = store.for_caller(member=BERIT).list_assessments()
        assert summary.id == old and summary.workspace_id != DEFAULT_WORKSPACE


@pytest.mark.parametrize("argv, message", [
    (["add-member", "Nowhere", ANNA, "--role", "reader"], "error: there is no workspace 'Nowhere'"),
    (["add-member", "Standard", "anna", "--role", "reader"], "error: 'anna' is not an e-mail address"),
    (["admin", "not-an-address"], "error: 'not-an-address' is not an e-mail address"),
    (["remove-member", "Standard", ANNA], "error: anna@a.se is not a member of Standard"),
    (["move", "nope", "Standard"], "error: there is no assessment with id 'nope'"),
    (["create", "Standard"], "error: there is already a workspace named 'Standard'"),
])
def test_cli__bad_input__exit_2_with_one_line(cli_db, capsys, argv, message):
    assert command(capsys, *argv) == (2, "", message + "\n")


def test_cli__bad_role__usage_error(cli_db, capsys):
    code, _, err = command(capsys, "add-member", "Standard", ANNA, "--role", "admin")
    assert code == 2 and "invalid choice: 'admin'" in err


def test_cli__help__has_an_example(capsys):
    code, out, _ = command(capsys, "--help")
    assert code == 0 and "Example:" in out and "workspace admin" in out


# --- the pages (AppTest, SQLite) ---------------------------------------------------------

AUTH = {"redirect_uri": "http://127.0.0.1/oauth2callback", "cookie_secret": "x",
        "client_id": "c", "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1/.well-known/openid-configuration"}


@pytest.fixture
def app_ids(app_store) -> dict[str, str]:
    return seed(app_store)


def signed_in(email: str | None, aid: str | None = None, page: str | None = None,
              participant: str | None = None) -> AppTest:
    """A browser session with sign-in configured, signed in as ``email`` (None: sign-in not
    configured at all), on ``?a=aid&p=participant`` and then ``views/<page>.py``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if email is not None:
        at.secrets["auth"] = dict(AUTH)
        at.user = {"is_logged_in": True, "email": email, "name": email}
    if aid:
        at.query_params["a"] = aid
    if participant:
        at.query_params["p"] = participant
    at.run()
    if page:
        at.switch_page(f"views/{page}.py")
        at.run()
    assert not at.exception, at.exception
    return at


def saved_choices(at: AppTest) -> list[str]:
    found = [s for s in at.selectbox if s.key == "open_choice"]
    return list(found[0].options) if found else []


def texts(at: AppTest, kind: str) -> str:
    """The texts of every element of a kind, without Markdown's escapes and word joiners."""
    return "\n".join(e.value for e in getattr(at, kind)).replace("\\", "").replace("\u2060", "")


def test_page_start__member__lists_only_their_workspace(app_ids):
    at = signed_in(ANNA)
    assert saved_choices(at) == ["Region A – Hemtjänst · 2026-03-01"]
    assert "Arbetsyta: Region A (ledare)" in texts(at, "caption")
    assert not [s for s in at.selectbox if s.key == "workspace_choice"]  # one workspace: no picker


def test_page_start__without_sign_in__every_assessment_as_before(app_ids):
    at = signed_in(None)
    assert sorted(saved_choices(at)) == ["Före arbetsytor – Hemtjänst · 2026-03-01",
                                         "Kommun B – Hemtjänst · 2026-03-01",
                                         "Region A – Hemtjänst · 2026-03-01"]


def test_page_start__member_of_two__picker_chooses_the_list_and_where_new_ones_go(app_store, app_ids):
    app_store.add_member(app_ids["B"], ANNA, "reader")
    at = signed_in(ANNA)
    picker = next(s for s in at.selectbox if s.key == "workspace_choice")
    assert list(picker.options) == ["Kommun B (läsare)", "Region A (ledare)"]
    assert saved_choices(at) == ["Kommun B – Hemtjänst · 2026-03-01"]  # the first, by name
    assert "bara en ledare kan skapa" in texts(at, "info")  # a reader in B
    assert not [b for b in at.button if b.key == "open_example"]
    assert [p.label for p in at.get("popover")] == [], "a reader in B deletes nothing there"

    at = picker.set_value(app_ids["A"]).run()
    assert saved_choices(at) == ["Region A – Hemtjänst · 2026-03-01"]
    at.text_input(key="new_org").input("Ny enhet")
    at = next(b for b in at.button if (b.key or "").startswith("FormSubmitter:new_assessment")
              ).click().run()
    assert not at.exception, at.exception
    new = {s.org_name: s.workspace_id for s in app_store.list_assessments()}
    assert new["Ny enhet"] == app_ids["A"]


def test_page_open__other_workspace__one_line_message_and_nothing_shown(app_ids):
    at = signed_in(ANNA, app_ids["b"])  # ?a= of another workspace's assessment
    (error,) = at.error
    assert error.value.replace("\\", "") == (
        "Självskattningen kunde inte öppnas: självskattningen hör till en arbetsyta som du inte "
        "är medlem i. Be en administratör att lägga till dig.")
    assert "a" not in at.query_params
    for page in ("results", "questionnaire", "prioritise", "consensus"):
        at.switch_page(f"views/{page}.py")
        at.run()
        assert not at.exception and not at.metric, page
        assert "Kommun B" not in texts(at, "markdown") + texts(at, "text"), page


def test_page_reader__sees_results_without_create_delete_or_example(app_ids):
    at = signed_in(RITA, app_ids["a"], "results")
    assert at.metric, "a reader sees the results"
    assert "Du har läsbehörighet i den här arbetsytan" in texts(at, "info")

    at = signed_in(RITA, app_ids["a"])
    assert saved_choices(at) == ["Region A – Hemtjänst · 2026-03-01"]
    assert "bara en ledare kan skapa eller ladda upp" in texts(at, "info")
    assert not [b for b in at.button if (b.key or "").startswith("FormSubmitter:new_assessment")
                or b.key in ("open_example", "delete_saved", "upload_open")]
    assert "Ta bort" not in [p.label for p in at.get("popover")]
    assert [d for d in at.get("download_button")], "the open assessment can be downloaded"


def test_page_reader__workshop__no_opening_form_but_a_note(app_store, app_ids):
    at = signed_in(RITA, app_ids["a"], "workshop")
    assert not [b for b in at.button if (b.key or "").startswith("FormSubmitter:open_workshop")]
    assert READER_NOTE in texts(at, "info")

    at = signed_in(ANNA, app_ids["a"], "workshop")  # the facilitator can
    assert READER_NOTE not in texts(at, "info")
    next(b for b in at.button if (b.key or "").startswith("FormSubmitter:open_workshop")
         ).click().run()
    assert app_store.has_workshop(app_ids["a"])


def test_page_workshop_assessment__facilitator_member_sees_it_without_the_key(app_store, app_ids):
    app_store.open_workshop(app_ids["a"])

    anna = signed_in(ANNA, app_ids["a"], "results")
    assert anna.metric and "Ledarens nyckel" not in [w.label for w in anna.text_input]
    assert "Region A – Hemtjänst · 2026-03-01" in saved_choices(signed_in(ANNA))

    workshop = signed_in(ANNA, app_ids["a"], "workshop")  # its code needs the key: told so
    assert "har redan en workshop" in texts(workshop, "info")

    rita = signed_in(RITA, app_ids["a"], "results")  # a reader still needs the key
    assert not rita.metric and "Ledarens nyckel" in [w.label for w in rita.text_input]
    assert saved_choices(signed_in(RITA)) == []


READER_NOTE = "Du har läsbehörighet här: bara en ledare kan lägga till eller ändra."


def editable_tables(at: AppTest) -> list[str]:
    """The editing modes of the page's data editors that take input (FIXED, DYNAMIC)."""
    from streamlit.proto.Dataframe_pb2 import Dataframe as Arrow
    return [Arrow.EditingMode.Name(d.proto.editing_mode) for d in at.dataframe
            if d.proto.editing_mode != Arrow.EditingMode.READ_ONLY and not d.proto.disabled]


def test_page_prioritise__reader__plan_and_tables_read_only_with_a_note(app_ids):
    at = signed_in(RITA, app_ids["a"], "prioritise")
    assert at.dataframe, "a reader sees the tables"
    assert editable_tables(at) == []
    assert READER_NOTE in texts(at, "info")
    assert not [b for b in at.button if (b.key or "").startswith("gap|")]

    at = signed_in(ANNA, app_ids["a"], "prioritise")
    assert "DYNAMIC" in editable_tables(at), "the facilitator adds rows to the plan"
    assert READER_NOTE not in texts(at, "info")


def test_page_questionnaire__reader__no_add_participant_form_nor_excel_import(app_ids):
    for who, offered in ((RITA, False), (ANNA, True)):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.secrets["auth"] = dict(AUTH)
        at.user = {"is_logged_in": True, "email": who, "name": who}
        at.query_params["a"] = app_ids["a"]
        at.session_state[f"q_people|{app_ids['a']}"] = True  # both expanders open
        at.session_state[f"q_excel|{app_ids['a']}"] = True
        at.run()
        at.switch_page("views/questionnaire.py")
        at.run()
        assert not at.exception, at.exception
        submit = [b for b in at.button if (b.key or "").startswith("FormSubmitter:add_participant")]
        assert bool(submit) is offered, who
        assert bool([b for b in at.button if b.key == "q_team"]) is offered, who
        assert bool(at.get("file_uploader")) is offered, who
        assert (READER_NOTE in texts(at, "info")) is not offered, who


def test_page_reader__answer_sheets_read_only_and_a_sent_answer_not_saved(app_store, app_ids):
    from tests.sheet_support import answer, sheet

    before = dump_assessment(app_store.load(app_ids["a"]))
    at = signed_in(RITA, app_ids["a"], "questionnaire", participant="p1")
    assert sheet(at)["read_only"] is True
    answer(at, "G1.2", 4)  # a crafted event: the store refuses it
    assert dump_assessment(app_store.load(app_ids["a"])) == before

    at = signed_in(ANNA, app_ids["a"], "questionnaire", participant="p1")
    assert sheet(at)["read_only"] is False
    answer(at, "G1.2", 4)
    (g12,) = [x.value for x in app_store.load(app_ids["a"]).answers
              if (x.participant, x.question) == ("p1", "G1.2")]
    assert g12 == 4  # 2 before (tests/test_app_pages.py SEED_ANSWERS)


def test_page_member_of_none__told_to_ask_an_administrator(app_ids):
    at = signed_in("ny@a.se")
    assert "Du (ny@a.se) är inte medlem i någon arbetsyta ännu" in texts(at, "warning")
    assert not saved_choices(at)


def test_page_admin__only_for_administrators__adds_workspace_and_member(app_store, app_ids):
    for who in (ANNA, None):  # a member who is no administrator; no sign-in
        at = signed_in(who)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("views/admin.py")  # not in the navigation at all

    app_store.add_administrator("admin@region.se")
    at = signed_in("admin@region.se", page="admin")
    assert at.title[0].value == "Administration"
    name_box = next(w for w in at.text_input if w.label == "Ny arbetsyta (organisation eller enhet)")
    name_box.input("Enhet C")
    at = next(b for b in at.button if b.label == "Skapa arbetsytan").click().run()
    assert not at.exception, at.exception
    (c,) = [w for w in app_store.list_workspaces() if w.name == "Enhet C"]

    email_boxes = [w for w in at.text_input if w.label == "E-postadress"]
    assert len(email_boxes) == 4  # one form per workspace: Enhet C, Kommun B, Region A, Standard
    email_boxes[0].input("Cissi@C.se")
    at = [b for b in at.button if b.label == "Lägg till medlemmen"][0].click().run()
    assert not at.exception, at.exception
    assert [(m.email, m.role) for m in app_store.members(c.id)] == [("cissi@c.se", "facilitator")]
    assert [s.id for s in app_store.for_caller(member="cissi@c.se").list_assessments()] == []


def test_page_admin__each_change_is_one_run_and_a_refusal_is_said_once(
        app_store, app_ids, script_runs):
    app_store.add_administrator("admin@region.se")
    at = signed_in("admin@region.se", page="admin")
    next(w for w in at.text_input if w.label == "Ny arbetsyta (organisation eller enhet)"
         ).input("Enhet C")
    script_runs.clear()
    at = next(b for b in at.button if b.label == "Skapa arbetsytan").click().run()
    assert len(script_runs) == 1 and "Enhet C" in [e.label for e in at.expander]

    [w for w in at.text_input if w.label == "E-postadress"][0].input("inte en adress")
    at = [b for b in at.button if b.label == "Lägg till medlemmen"][0].click().run()
    (refused,) = [e.value for e in at.error]
    assert refused.startswith("Ändringen sparades inte: ")
    assert not at.run().error  # once

    (c,) = [w for w in app_store.list_workspaces() if w.name == "Enhet C"]
    app_store.add_member(c.id, "cissi@c.se", "facilitator")
    at = at.run()
    script_runs.clear()
    at = at.button(key=f"admin_remove|{c.id}").click().run()
    assert not at.exception, at.exception
    assert len(script_runs) == 1 and app_store.members(c.id) == []


def test_page_admin__moves_an_assessment__then_listed_in_the_target_workspace_only(app_store, app_ids):
    app_store.add_administrator("admin@region.se")
    app_store.add_member(app_ids["A"], "admin@region.se", "reader")  # sees only where a member
    at = signed_in("admin@region.se", page="admin")
    which = next(s for s in at.selectbox if s.key == "admin_move_which")
    assert list(which.options) == ["Region A – Hemtjänst · 2026-03-01 (Region A)"]
    which.set_value(app_ids["a"])
    next(s for s in at.selectbox if s.key == "admin_move_to").set_value(app_ids["B"])
    at = next(b for b in at.button if (b.key or "").startswith("FormSubmitter:admin_move")
              ).click().run()
    assert not at.exception, at.exception
    assert "Region A – Hemtjänst · 2026-03-01 ligger nu i arbetsytan Kommun B." in texts(at, "success")

    assert saved_choices(signed_in(BERIT)) == ["Kommun B – Hemtjänst · 2026-03-01",
                                               "Region A – Hemtjänst · 2026-03-01"]
    assert saved_choices(signed_in(ANNA)) == []
    assert {s.id: s.workspace_id for s in app_store.list_assessments()}[app_ids["a"]] == app_ids["B"]


def test_page_admin__move_of_one_deleted_meanwhile__nothing_moved_and_none_left(app_store, app_ids):
    app_store.add_administrator("admin@region.se")
    app_store.add_member(app_ids["A"], "admin@region.se", "reader")
    at = signed_in("admin@region.se", page="admin")
    app_store.delete_assessment(app_ids["a"])  # in another window
    at = next(b for b in at.button if (b.key or "").startswith("FormSubmitter:admin_move")
              ).click().run()
    assert not at.exception, at.exception
    assert not texts(at, "success")
    assert "Det finns inga självskattningar i arbetsytor där du är medlem." in texts(at, "info")


def compare_choices(at: AppTest) -> list[str]:
    from app_pages.compare import PICK_KEY
    return sorted(at.multiselect(key=PICK_KEY).options)


def test_page_compare__lists_the_workspace_picked_on_start(app_store, app_ids):
    app_store.add_member(app_ids["B"], ANNA, "reader")
    at = signed_in(ANNA)
    next(s for s in at.selectbox if s.key == "workspace_choice").set_value(app_ids["A"]).run()
    at.switch_page("views/compare.py")
    at.run()
    assert not at.exception, at.exception
    assert compare_choices(at) == ["Region A – Hemtjänst · 2026-03-01 · nationell-handlingsplan-2025"]


def test_page_compare__start_default_or_no_sign_in__as_start_lists_them(app_store, app_ids):
    app_store.add_member(app_ids["B"], ANNA, "reader")
    at = signed_in(ANNA, page="compare")  # Start showed its first workspace, Kommun B
    assert compare_choices(at) == ["Kommun B – Hemtjänst · 2026-03-01 · nationell-handlingsplan-2025"]
    assert len(compare_choices(signed_in(None, page="compare"))) == 3
