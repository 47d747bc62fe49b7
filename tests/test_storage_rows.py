"""Issue 17, parts 1 and 7 in the store: writes change rows, never the whole assessment, and
an assessment run as a live workshop is locked for every read and write without its key
(SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from assessment.bank_loader import load_banks
from assessment.document import Action
from assessment.excel import answer_form, read_forms
from assessment.storage import (
    NewParticipant,
    NotFound,
    StorageError,
    WorkshopLocked,
)
from assessment.storage.schema import workshop_participants
from tests.test_app_pages import assessment_data
from tests.test_excel_forms import fill_form

BANK = "nationell-handlingsplan-2025"


def count_tokens(store) -> int:
    with store._engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(workshop_participants)).scalar_one()


def live_workshop(store):
    """The known assessment (Anna and Bo answered) with a workshop in which Cia and Dan
    joined and answered one question each."""
    aid = store.create_assessment(assessment_data())
    code, secret = store.open_workshop(aid)
    tokens = [store.join(code, "Cia"), store.join(code, "Dan")]
    store.answer_as_participant(tokens[0], "G1.1", 2)
    store.answer_as_participant(tokens[1], "G1.1", 4)
    return aid, secret, tokens


# --- 1. importing forms adds rows ------------------------------------------------------

def test_add_participants__live_workshop__everyone_and_every_token_kept(store):
    aid, _secret, tokens = live_workshop(store)
    before = store.load(aid)
    answers_before, tokens_before = len(before.answers), count_tokens(store)

    added = store.add_participants(aid, [
        NewParticipant("Eva", "SSK", [("G1.1", 3, "per form"), ("G1.2", "unknown", "")], "k1"),
        NewParticipant("Fia", "", [("G1.1", 1, "")], "k2"),
    ])

    after = store.load(aid)
    # 4 people before (Anna, Bo, Cia d1, Dan d2); the forms give p3 and p4 (after Anna p1, Bo p2)
    assert [(a.participant_id, a.created) for a in added] == [("p3", True), ("p4", True)]
    assert [p.name for p in after.participants] == ["Anna", "Bo", "Cia", "Dan", "Eva", "Fia"]
    assert len(after.answers) == answers_before + 3
    assert after.answers[:answers_before] == before.answers
    assert count_tokens(store) == tokens_before == 2
    for token, value in zip(tokens, (2, 4)):  # every phone keeps working
        assert store.participant_view(token).answers == {"G1.1": (value, "")}
        store.answer_as_participant(token, "G1.2", 1)


def test_add_participants__same_form_key_in_a_later_import__not_added_again(store):
    aid = store.create_assessment(assessment_data())
    first = store.add_participants(aid, [NewParticipant("Eva", "", [("G1.1", 3, "")], "same")])
    people = len(store.load(aid).participants)

    again = store.add_participants(aid, [NewParticipant("Eva", "", [("G1.1", 3, "")], "same"),
                                         NewParticipant("Fia", "", [], "other")])

    assert [(a.participant_id, a.created) for a in again] == [
        (first[0].participant_id, False), ("p4", True)]
    assert len(store.load(aid).participants) == people + 1
    # Removing the participant a form made lets that form be imported again.
    store.remove_participant(aid, first[0].participant_id)
    assert store.add_participants(aid, [NewParticipant("Eva", "", [], "same")])[0].created


def test_add_participants__bad_answer__nothing_written(store):
    aid = store.create_assessment(assessment_data())
    before = store.load(aid)
    with pytest.raises(StorageError, match="answered twice"):
        store.add_participants(aid, [NewParticipant("Eva"),
                                     NewParticipant("Fia", "", [("G1.1", 1, ""), ("G1.1", 2, "")])])
    assert store.load(aid) == before


def test_excel_forms__the_same_filled_form_imported_twice__found_by_its_key(store):
    bank = load_banks().get(BANK)
    aid = store.create_assessment(assessment_data())
    blank = answer_form(bank, "kommun")
    eva = fill_form(blank, {"G1.1": 3}, name="Eva")
    fia = fill_form(blank, {"G1.1": 3}, name="Fia")  # the same blank form, someone else

    def import_(*files):
        forms = read_forms(list(files), {bank.id: bank}, bank_id=bank.id)
        return store.add_participants(aid, [
            NewParticipant(f.name, f.role, [(a.question, a.value, a.comment) for a in f.answers],
                           f.key) for f in forms])

    assert [a.created for a in import_(("eva.xlsx", eva), ("fia.xlsx", fia))] == [True, True]
    answers = len(store.load(aid).answers)
    assert [(a.participant_id, a.created) for a in import_(("eva igen.xlsx", eva))] == [
        ("p3", False)]
    assert len(store.load(aid).answers) == answers  # Eva's weight is not doubled
    # Another download of the blank form has another id.
    later = fill_form(answer_form(bank, "kommun"), {"G1.1": 3}, name="Eva")
    ids = [read_forms([(n, f)], {bank.id: bank})[0].form_id for n, f in (("a", eva), ("b", later))]
    assert len(ids[0]) == 32 and ids[0] != ids[1]


def test_participant_ids__one_allocator__concurrent_adds_get_distinct_ids(db_url, store):
    aid = store.create_assessment(assessment_data())  # p1 (Anna) and p2 (Bo)
    code, _ = store.open_workshop(aid)
    got: list[str] = []

    def add(n):
        got.append(store.new_participant(aid, f"Person {n}"))

    threads = [threading.Thread(target=add, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.join(code, "Cia")

    assert sorted(got, key=lambda p: int(p[1:])) == [f"p{n}" for n in range(3, 13)]
    assert [p.id for p in store.load(aid).participants][-1] == "d1"


# --- 1. the action plan, item by item --------------------------------------------------

def test_action_items__two_editors__each_keeps_the_others_edits(store):
    aid = store.create_assessment(assessment_data(actions=[
        {"activity": "G1.1", "title": "Rapportera"}, {"activity": "G1.2", "title": "Mät"}]))
    tab_a = store.action_items(aid)  # both tabs drew the plan from the same state
    tab_b = store.action_items(aid)

    store.update_action(aid, tab_a[0].id, owner="Anna")
    store.update_action(aid, tab_b[1].id, title="Mät varje år")
    store.update_action(aid, tab_b[0].id, status="pågår")  # same item, another field
    new = store.add_action(aid, Action(activity="F1.1", title="Ny"))
    store.remove_action(aid, tab_a[1].id)

    plan = [(i.action.activity, i.action.title, i.action.owner, i.action.status.value)
            for i in store.action_items(aid)]
    assert plan == [("G1.1", "Rapportera", "Anna", "pågår"), ("F1.1", "Ny", "", "planerad")]
    assert store.load(aid).actions[1].title == "Ny" and isinstance(new, int)
    with pytest.raises(NotFound, match="someone removed it"):
        store.update_action(aid, tab_b[1].id, owner="Bo")
    assert store.remove_action(aid, tab_b[1].id) is False


def test_add_action__unless_planned__once_per_activity(store):
    aid = store.create_assessment(assessment_data())
    assert store.add_action(aid, Action(activity="G1.1", title="A"), unless_planned=True)
    assert store.add_action(aid, Action(activity="G1.1", title="B"), unless_planned=True) is None
    store.add_action(aid, Action(activity="G1.2", title="C"))
    assert store.remove_activity_actions(aid, "G1.1") == 1
    assert [a.title for a in store.load(aid).actions] == ["C"]


# --- 7. locked for every read and write without the key --------------------------------

LOCKED_CALLS = {
    "load": lambda s, aid: s.load(aid),
    "updated_at": lambda s, aid: s.updated_at(aid),
    "participant_answers": lambda s, aid: s.participant_answers(aid, "p1"),
    "scoring_inputs": lambda s, aid: s.scoring_inputs([aid]),
    "action_items": lambda s, aid: s.action_items(aid),
    "set_answer": lambda s, aid: s.set_answer(aid, "p1", "G1.1", 0),
    "clear_answer": lambda s, aid: s.clear_answer(aid, "p1", "G1.1"),
    "set_consensus": lambda s, aid: s.set_consensus(aid, "G1.1", 0),
    "set_target": lambda s, aid: s.set_target(aid, "G1", 1),
    "add_participants": lambda s, aid: s.add_participants(aid, [NewParticipant("X")]),
    "add_action": lambda s, aid: s.add_action(aid, Action(activity="G1.1", title="X")),
    "update_details": lambda s, aid: s.update_details(
        aid, assessment_data().organisation, dt.date(2026, 1, 1), None),
    "open_workshop": lambda s, aid: s.open_workshop(aid),
    "delete_assessment": lambda s, aid: s.delete_assessment(aid),
}


@pytest.mark.parametrize("call", list(LOCKED_CALLS))
def test_caller_without_the_key__every_read_and_write_refused(store, call):
    aid, secret, _tokens = live_workshop(store)
    before = store.load(aid)
    other_code, other_secret = store.open_workshop(store.create_assessment(assessment_data()))

    for caller in (store.for_caller(), store.for_caller([other_secret, "junk.key"])):
        with pytest.raises(WorkshopLocked, match="only its facilitator"):
            LOCKED_CALLS[call](caller, aid)
    assert store.load(aid) == before
    LOCKED_CALLS[call](store.for_caller([secret]), aid)  # the facilitator may


def test_caller__assessment_without_a_workshop__open_as_before(store):
    aid = store.create_assessment(assessment_data())
    caller = store.for_caller()
    caller.set_answer(aid, "p1", "G1.1", 4)
    assert caller.participant_answers(aid, "p1")["G1.1"] == (4, "")


def test_caller__page_drawn_before_the_workshop_opened__writes_refused_after(store):
    aid = store.create_assessment(assessment_data())
    page = store.for_caller()  # the Självskattning/Samsyn session, drawn before
    page.set_answer(aid, "p1", "G1.1", 1)
    answers = len(store.load(aid).answers)
    store.open_workshop(aid)

    for write in (lambda: page.set_answer(aid, "p1", "G1.2", 3),
                  lambda: page.set_consensus(aid, "G1.1", 2)):
        with pytest.raises(WorkshopLocked):
            write()
    assert len(store.load(aid).answers) == answers and store.load(aid).consensus == []


def test_list_assessments__caller__workshop_assessments_only_with_their_key(store):
    locked, secret, _ = live_workshop(store)
    free = store.create_assessment(assessment_data())
    assert [s.id for s in store.for_caller().list_assessments()] == [free]
    assert {s.id for s in store.for_caller([secret]).list_assessments()} == {locked, free}
    assert {s.id for s in store.list_assessments()} == {locked, free}
