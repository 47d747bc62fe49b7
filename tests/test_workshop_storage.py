"""Live workshops in the store: codes, secrets, tokens and who may do what.

Each test runs against SQLite and PostgreSQL (tests/conftest_postgres.py). The access
rules are checked at the storage API, which the pages only call.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import create_engine, text

from assessment.document import Assessment
from assessment.storage import AccessDenied, InvalidInput, NotFound, Store, WorkshopClosed
from assessment.workshop import CODE_ALPHABET, normalise_code
from tests import legacy_databases

BANK = "nationell-handlingsplan-2025"


def new_assessment(store: Store, name: str = "Exempelby kommun") -> str:
    return store.create_assessment(Assessment.model_validate({
        "bank": {"id": BANK, "version": "1"},
        "organisation": {"name": name, "kind": "kommun", "unit": "Hemtjänst"},
        "date": "2026-03-01",
        "participants": [{"id": "p1", "name": "Anna", "role": "MAS"}],
        "answers": [{"participant": "p1", "question": "G1.1", "value": 2}],
    }))


@pytest.fixture
def aid(store) -> str:
    return new_assessment(store)


def dump(db_url: str) -> str:
    """Every value in the workshop tables, as one text."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = [*conn.execute(text("SELECT * FROM workshops")),
                    *conn.execute(text("SELECT * FROM workshop_participants"))]
    finally:
        engine.dispose()
    return repr([tuple(r) for r in rows])


# --- codes and secrets -------------------------------------------------------------------

def test_open_workshop__code_is_6_unambiguous_characters(store, aid):
    code, secret = store.open_workshop(aid)

    assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
    assert not set("0O1lI") & set(CODE_ALPHABET)
    assert len(secret) > 40 and code not in secret


def test_open_workshop__database_holds_only_digests(db_url, store, aid):
    code, secret = store.open_workshop(aid)
    token = store.join(code, "Bo", "Undersköterska")

    stored = dump(db_url)
    for plain in (code, secret, secret.split(".", 1)[1], token.split(".", 1)[1]):
        assert plain not in stored


def test_open_workshop__unknown_assessment__not_found(store):
    with pytest.raises(NotFound):
        store.open_workshop("nope")


def test_open_workshop__two_workshops__different_codes_and_secrets(store, aid):
    first, second = store.open_workshop(aid), store.open_workshop(aid)
    assert first.code != second.code and first.secret != second.secret


def test_workshop_by_code__typed_lower_case_with_space__found(store, aid):
    code, secret = store.open_workshop(aid, anonymous=True)

    found = store.workshop_by_code(f" {code[:3].lower()} {code[3:]} ")

    assert found is not None and found.anonymous and found.state == "open"
    assert found == store.workshop_for_secret(secret)


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFG", "0OOOOO", "1lIlIl", "AAAAAA", "x" * 500])
def test_workshop_by_code__wrong_or_malformed__none(store, aid, typed):
    store.open_workshop(aid)
    assert store.workshop_by_code(typed) is None


def test_normalise_code__accepts_spacing_and_case_only():
    assert normalise_code("abc-def") == "ABCDEF"
    assert normalise_code("ABC DE0") is None


# --- state and expiry --------------------------------------------------------------------

def test_close__code_expires_at_once_by_default(store, aid):
    code, secret = store.open_workshop(aid)
    wid = store.workshop_for_secret(secret).id

    store.set_workshop_state(wid, secret, "closed")
    assert store.workshop_by_code(code) is None

    store.set_workshop_state(wid, secret, "open")
    assert store.workshop_by_code(code).state == "open"


def test_close__with_expires_after__code_still_finds_it_until_then(store, aid):
    code, secret = store.open_workshop(aid, expires_after=dt.timedelta(minutes=10))
    wid = store.workshop_for_secret(secret).id

    closed = store.set_workshop_state(wid, secret, "consensus")

    assert store.workshop_by_code(code).state == "consensus"
    assert not closed.code_valid(closed.closed_at + dt.timedelta(minutes=10, seconds=1))
    with pytest.raises(WorkshopClosed):
        store.join(code, "Sen", "")


def test_set_state__unknown_state__value_error(store, aid):
    _, secret = store.open_workshop(aid)
    with pytest.raises(ValueError):
        store.set_workshop_state(store.workshop_for_secret(secret).id, secret, "deleted")


# --- access: facilitator secret ----------------------------------------------------------

def test_facilitator_actions__wrong_secret__access_denied(store, aid):
    code, secret = store.open_workshop(aid)
    _, other_secret = store.open_workshop(new_assessment(store, "Annan kommun"))
    wid = store.workshop_for_secret(secret).id
    token = store.join(code, "Bo", "")
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")

    for bad in (other_secret, token, forged, code, "", wid, f"{wid}.x"):
        with pytest.raises(AccessDenied) as denied:
            store.set_workshop_state(wid, bad, "closed")
        assert bad not in str(denied.value) or bad in ("", wid)
        with pytest.raises(AccessDenied):
            store.workshop_progress(wid, bad)
    assert store.workshop_for_secret(secret).state == "open"


def test_workshop_for_secret__participant_token_or_code__access_denied(store, aid):
    code, _ = store.open_workshop(aid)
    token = store.join(code, "Bo", "")
    for bad in (token, code):
        with pytest.raises(AccessDenied):
            store.workshop_for_secret(bad)


# --- joining and answering ---------------------------------------------------------------

def test_join__named__participant_added_after_the_others(store, aid):
    code, _ = store.open_workshop(aid)

    token = store.join(code, "Bo", "Undersköterska")

    people = store.load(aid).participants
    assert [(p.name, p.role) for p in people] == [("Anna", "MAS"), ("Bo", "Undersköterska")]
    assert store.participant_view(token).name == "Bo"


def test_join__anonymous__neither_name_nor_role_stored(store, aid):
    code, _ = store.open_workshop(aid, anonymous=True)

    token = store.join(code, "Bo Bengtsson", "Sjuksköterska")

    joined = store.load(aid).participants[-1]
    assert joined.name == "" and joined.role == ""  # in a small group a role names a person
    assert "Bo" not in repr(store.participant_view(token))
    assert "Sjuksköterska" not in repr(store.participant_view(token))


def test_join__wrong_code__access_denied_without_the_code_in_the_message(store, aid):
    store.open_workshop(aid)
    with pytest.raises(AccessDenied) as denied:
        store.join("ZZZZZZ", "Bo", "")
    assert "ZZZZZZ" not in str(denied.value)


def test_join__closed_workshop__workshop_closed(store, aid):
    code, secret = store.open_workshop(aid, expires_after=dt.timedelta(hours=1))
    store.set_workshop_state(store.workshop_for_secret(secret).id, secret, "closed")
    with pytest.raises(WorkshopClosed):
        store.join(code, "Bo", "")


def test_answer_as_participant__stored_as_that_participants_answer(store, aid):
    code, _ = store.open_workshop(aid)
    token = store.join(code, "Bo", "")

    store.answer_as_participant(token, "G1.1", 4, "Vi har en plan")
    store.answer_as_participant(token, "G1.2", "unknown")

    view = store.participant_view(token)
    assert view.answers == {"G1.1": (4, "Vi har en plan"), "G1.2": ("unknown", "")}
    loaded = store.load(aid)
    assert {(a.participant, a.question, a.value) for a in loaded.answers} == {
        ("p1", "G1.1", 2), (view.participant_id, "G1.1", 4), (view.participant_id, "G1.2", "unknown")}


def test_participant_view__shows_only_own_answers(store, aid):
    code, _ = store.open_workshop(aid)
    bo, cia = store.join(code, "Bo", ""), store.join(code, "Cia", "")
    store.answer_as_participant(bo, "G1.1", 1)
    store.answer_as_participant(cia, "G1.1", 3)

    assert store.participant_view(bo).answers == {"G1.1": (1, "")}
    assert store.participant_view(cia).answers == {"G1.1": (3, "")}
    assert "Anna" not in repr(store.participant_view(bo))


def test_clear_answer_as_participant__removes_only_own_answer(store, aid):
    code, _ = store.open_workshop(aid)
    bo, cia = store.join(code, "Bo", ""), store.join(code, "Cia", "")
    store.answer_as_participant(bo, "G1.1", 1)
    store.answer_as_participant(cia, "G1.1", 3)

    store.clear_answer_as_participant(bo, "G1.1")

    assert store.participant_view(bo).answers == {}
    assert store.participant_view(cia).answers == {"G1.1": (3, "")}
    assert ("p1", "G1.1") in {(a.participant, a.question) for a in store.load(aid).answers}


def test_answer_as_participant__closed_then_reopened(store, aid):
    code, secret = store.open_workshop(aid)
    wid = store.workshop_for_secret(secret).id
    token = store.join(code, "Bo", "")

    store.set_workshop_state(wid, secret, "closed")
    with pytest.raises(WorkshopClosed):
        store.answer_as_participant(token, "G1.1", 2)
    with pytest.raises(WorkshopClosed):
        store.clear_answer_as_participant(token, "G1.1")
    assert store.participant_view(token).state == "closed"

    store.set_workshop_state(wid, secret, "open")
    store.answer_as_participant(token, "G1.1", 2)
    assert store.participant_view(token).answers == {"G1.1": (2, "")}


def test_answer_as_participant__bad_value__rejected_and_nothing_stored(store, aid):
    code, _ = store.open_workshop(aid)
    token = store.join(code, "Bo", "")
    with pytest.raises(InvalidInput):
        store.answer_as_participant(token, "G1.1", 11)
    assert store.participant_view(token).answers == {}


@pytest.mark.parametrize("bad", ["", "x", "0" * 16 + ".abc", "not-a-token" * 30])
def test_participant_calls__malformed_token__access_denied(store, aid, bad):
    store.open_workshop(aid)
    for call in (lambda: store.participant_view(bad),
                 lambda: store.answer_as_participant(bad, "G1.1", 1),
                 lambda: store.clear_answer_as_participant(bad, "G1.1")):
        with pytest.raises(AccessDenied):
            call()


def test_participant_token__of_another_participant_forged__access_denied(store, aid):
    code, _ = store.open_workshop(aid)
    bo, cia = store.join(code, "Bo", ""), store.join(code, "Cia", "")
    # Bo knows Cia's public lookup part (it is not secret) and tries it with his own secret.
    forged = cia.split(".")[0] + "." + bo.split(".", 1)[1]

    with pytest.raises(AccessDenied):
        store.answer_as_participant(forged, "G1.1", 0)
    with pytest.raises(AccessDenied):
        store.participant_view(forged)
    assert store.participant_view(cia).answers == {}


def test_participant_token__cannot_act_in_another_workshop(store, aid):
    code_a, _ = store.open_workshop(aid)
    other = new_assessment(store, "Annan kommun")
    code_b, secret_b = store.open_workshop(other)
    bo = store.join(code_a, "Bo", "")
    cia = store.join(code_b, "Cia", "")
    store.answer_as_participant(bo, "G1.3", 2)

    # Bo's token writes only into Bo's own assessment, never into the other one.
    assert [a.participant for a in store.load(other).answers] == ["p1"]
    wid_b = store.workshop_for_secret(secret_b).id
    assert [p.name for p in store.workshop_progress(wid_b, secret_b)] == ["Cia"]
    with pytest.raises(AccessDenied):
        store.set_workshop_state(wid_b, bo, "closed")
    assert store.participant_view(cia).answers == {}


# --- the facilitator's progress ----------------------------------------------------------

def test_workshop_progress__lists_joined_participants_with_their_answered_questions(store, aid):
    code, secret = store.open_workshop(aid)
    wid = store.workshop_for_secret(secret).id
    bo = store.join(code, "Bo", "SSK")
    store.join(code, "Cia", "")
    store.answer_as_participant(bo, "G1.1", 1)
    store.answer_as_participant(bo, "F1.1", "na")

    progress = store.workshop_progress(wid, secret)

    assert [(p.name, p.role, p.answered) for p in progress] == [
        ("Bo", "SSK", frozenset({"G1.1", "F1.1"})), ("Cia", "", frozenset())]


def test_delete_assessment__removes_its_workshops_and_tokens(store, aid):
    code, secret = store.open_workshop(aid)
    token = store.join(code, "Bo", "")

    store.delete_assessment(aid)

    assert store.workshop_by_code(code) is None
    for call in (lambda: store.workshop_for_secret(secret), lambda: store.participant_view(token)):
        with pytest.raises(AccessDenied):
            call()


def test_remove_participant__their_token_stops_working(store, aid):
    code, _ = store.open_workshop(aid)
    token = store.join(code, "Bo", "")
    store.remove_participant(aid, store.participant_view(token).participant_id)
    with pytest.raises(AccessDenied):
        store.participant_view(token)


# --- nothing secret is logged ------------------------------------------------------------

def test_workshop_calls__no_code_secret_or_token_in_the_logs(store, aid, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # every statement and its parameters
    try:
        code, secret = store.open_workshop(aid)
        wid = store.workshop_for_secret(secret).id
        store.workshop_by_code(code)
        token = store.join(code, "Bo", "")
        store.answer_as_participant(token, "G1.1", 1)
        store.participant_view(token)
        store.workshop_progress(wid, secret)
        store.set_workshop_state(wid, secret, "closed")
        with pytest.raises(AccessDenied):
            store.join("ZZZZZZ", "X", "")
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

    logged = caplog.text
    assert "INSERT INTO workshops" in logged  # the statements were logged, with parameters
    for plain in (code, secret.split(".", 1)[1], token.split(".", 1)[1], "ZZZZZZ"):
        assert plain not in logged


# --- databases of schema version 1 and 3 (before Alembic) ----------------------------

def test_legacy_version_1_database__upgraded__workshops_run_on_it(db_url):
    legacy_databases.load(db_url, 1)

    with Store(db_url) as store:
        assert store.load("a1").organisation.name == "Region Östergötland"
        code, secret = store.open_workshop("a1")
        store.join(code, "Bo", "")
        assert [p.name for p in store.workshop_progress(store.workshop_for_secret(secret).id,
                                                        secret)] == ["Bo"]


def test_legacy_version_3_database__action_plan_kept_with_no_follow_up_yet(db_url):
    legacy_databases.load(db_url, 3)

    with Store(db_url) as store:
        (item,) = store.load("a1").actions
        assert (item.title, item.owner, item.due, item.status.value, item.note) == (
            "Utbilda chefer", "Anna", dt.date(2026, 5, 1), "pågår", "Start i maj")
        assert (item.goal, item.follow_up, item.follow_up_date) == ("", "", None)
        (row,) = store.action_items("a1")
        store.update_action("a1", row.id, goal="Alla chefer utbildade", follow_up="Andel utbildade",
                            follow_up_date=dt.date(2026, 12, 1))
        (item,) = store.load("a1").actions
        assert (item.goal, item.follow_up, item.follow_up_date) == (
            "Alla chefer utbildade", "Andel utbildade", dt.date(2026, 12, 1))


# --- a lost key ---------------------------------------------------------------------------

def test_new_facilitator_key__old_key_code_and_link_stop__participants_keep_theirs(store, aid):
    from assessment.workshop import link_from_secret

    code, secret = store.open_workshop(aid)
    token = store.join(code, "Anna")
    store.answer_as_participant(token, "G1.1", 2)
    wid = store.workshop_for_secret(secret).id

    new_code, new_secret = store.new_facilitator_key(aid)

    with pytest.raises(AccessDenied):
        store.workshop_for_secret(secret)
    assert store.workshop_by_code(code) is None and new_code != code
    assert store.workshop_by_link(link_from_secret(secret)) is None
    assert store.workshop_for_secret(new_secret).id == wid
    assert store.workshop_by_code(new_code).id == wid
    assert store.workshop_by_link(link_from_secret(new_secret)).id == wid
    assert store.participant_view(token).answers == {"G1.1": (2, "")}
    assert [p.name for p in store.workshop_progress(wid, new_secret)] == ["Anna"]
    # the app's callers hold the new key like any other
    assert store.for_caller([new_secret]).load(aid).answers[0].value == 2


def test_new_facilitator_key__only_the_owner__and_only_for_a_workshop(store, aid):
    store.open_workshop(aid)
    with pytest.raises(AccessDenied):
        store.for_caller([]).new_facilitator_key(aid)
    with pytest.raises(NotFound):
        store.new_facilitator_key(new_assessment(store, "Annan kommun"))


def test_cli_new_key__prints_the_new_link_and_code__the_old_key_stops(db_url, store, aid,
                                                                       monkeypatch, capsys):
    from assessment import cli

    code, secret = store.open_workshop(aid)
    monkeypatch.setenv("PSA_DATABASE_URL", db_url)
    monkeypatch.setenv("PSA_PUBLIC_URL", "https://psa.example.se/")

    assert cli.main(["workshop", "new-key", aid]) == 0

    link_line, code_line = capsys.readouterr().out.splitlines()
    new_secret = link_line.split("/workshop?f=")[1]
    assert link_line == ("new facilitator link (keep it to yourself): "
                         f"https://psa.example.se/workshop?f={new_secret}")
    assert store.workshop_for_secret(new_secret).assessment_id == aid
    with pytest.raises(AccessDenied):
        store.workshop_for_secret(secret)
    new_code = code_line.removeprefix("new join code: ").replace(" ", "")
    assert store.workshop_by_code(new_code).assessment_id == aid and new_code != code


def test_cli_new_key__assessment_without_workshop__exit_2_with_one_line(db_url, store, aid,
                                                                       monkeypatch, capsys):
    from assessment import cli

    monkeypatch.setenv("PSA_DATABASE_URL", db_url)
    assert cli.main(["workshop", "new-key", aid]) == 2
    assert capsys.readouterr().err == f"error: assessment {aid} has never been run as a workshop\n"
