"""The draft action plan: the editor's change sets, rows back to actions, grouping by area."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from assessment.action_plan import (LOCAL, action_rows, activity_text, apply_editor_changes,
                                    default_title, grouped_by_area, grouped_by_perspective,
                                    new_action, plan_values, rows_from_editor)
from assessment.bank_loader import load_banks
from assessment.document import Action, Assessment
from assessment.files import dump_assessment, parse_assessment
from assessment.problems import InvalidFile
from assessment.storage.schema import actions
from tests.test_app_pages import assessment_data

BANK_ID = "nationell-handlingsplan-2025"


@pytest.fixture(scope="module")
def bank():
    return load_banks().get(BANK_ID)


def assessment_with(actions: list[Action]) -> Assessment:
    return Assessment.model_validate({
        "bank": {"id": BANK_ID, "version": "1"},
        "organisation": {"name": "Exempelby kommun", "kind": "kommun"},
        "date": "2026-11-22", "actions": [a.model_dump() for a in actions],
    })


def test_apply_editor_changes__edit_delete_add__gives_the_new_rows():
    rows = [{"activity": "G1.1", "title": "A"}, {"activity": "F1.5", "title": "B"},
            {"activity": "F2.1", "title": "C"}]
    changes = {"edited_rows": {"0": {"title": "A2"}}, "deleted_rows": [1],
               "added_rows": [{"activity": "F5.1", "title": "D"}]}

    result = apply_editor_changes(rows, changes)

    assert result == [{"activity": "G1.1", "title": "A2"}, {"activity": "F2.1", "title": "C"},
                      {"activity": "F5.1", "title": "D"}]
    assert rows[0]["title"] == "A"  # the rows drawn are not changed in place


def test_rows_from_editor__valid_rows__actions_with_dates_and_status(bank):
    rows = [{"activity": "F1.5", "title": "Inför uppföljning av rutin", "owner": "Anna",
             "due": "2027-03-31", "status": "pågår", "note": "=SUM(A1)"},
            {"activity": "", "title": ""}]  # an empty new row is skipped, not an error

    actions, problems = rows_from_editor(rows, set(bank.question_index()))

    assert problems == []
    assert [(a.activity, a.title, a.owner, a.due, a.status.value, a.note) for a in actions] == [
        ("F1.5", "Inför uppföljning av rutin", "Anna", dt.date(2027, 3, 31), "pågår", "=SUM(A1)")]


def test_rows_from_editor__handlingsplan_fields__goal_follow_up_and_its_date(bank):
    rows = [{"activity": "F1.5", "title": "Inför rutin", "goal": "Alla vet var rutinen finns",
             "follow_up": "Enkät till personalen", "follow_up_date": dt.datetime(2027, 9, 30, 0, 0),
             "activity_text": "(the bank's; not stored)"}]

    (action,), problems = rows_from_editor(rows, set(bank.question_index()))

    assert problems == []
    assert (action.goal, action.follow_up, action.follow_up_date) == (
        "Alla vet var rutinen finns", "Enkät till personalen", dt.date(2027, 9, 30))
    assert action_rows([action], bank)[0]["activity_text"] == activity_text(bank, "F1.5")


@pytest.mark.parametrize("row,expected", [
    ({"activity": "X9.9", "title": "T"}, "rad 1: aktiviteten \"X9.9\" finns inte"),
    ({"activity": "F1.5", "title": "  "}, "rad 1: skriv vad som ska göras i kolumnen Åtgärd"),
    # Something typed but no action: said, not skipped (it was, silently, with no activity).
    ({"activity": None, "title": None, "owner": "Eva", "status": "planerad"},
     "rad 1: skriv vad som ska göras i kolumnen Åtgärd"),
    ({"activity": "", "title": "", "due": "2027-01-31"}, "rad 1: skriv vad som ska göras"),
    ({"activity": "F1.5", "title": "T", "due": "31/3"}, "rad 1: \"31/3\" är inget datum"),
    ({"activity": "F1.5", "title": "T", "follow_up_date": "snart"}, "rad 1: \"snart\" är inget datum"),
])
def test_rows_from_editor__bad_row__names_the_row_and_nothing_is_returned_for_it(bank, row, expected):
    actions, problems = rows_from_editor([row], set(bank.question_index()))

    assert actions == []
    assert len(problems) == 1 and expected in problems[0], problems


def test_rows_from_editor__no_activity__a_local_action_planned(bank):
    rows = [{"activity": None, "title": "  Nytt larmsystem ", "owner": "Eva", "status": None},
            {"activity": None, "title": None, "status": "planerad"}]  # nothing typed: skipped

    actions, problems = rows_from_editor(rows, set(bank.question_index()))

    assert problems == []
    assert [(a.activity, a.title, a.owner, a.status.value) for a in actions] == [
        (None, "Nytt larmsystem", "Eva", "planerad")]
    assert plan_values(bank, actions[0])["activity"] == ""
    assert plan_values(bank, actions[0])["activity_text"] == "Lokal åtgärd"
    assert plan_values(bank, actions[0], "en")["activity_text"] == "Local action"


def test_grouped__local_actions_last_in_a_section_of_their_own(bank):
    actions = [Action(title="lokal utan datum"), Action(activity="F1.5", title="F1"),
               Action(title="lokal tidig", due=dt.date(2027, 1, 1), activity="")]

    groups = grouped_by_area(assessment_with(actions), bank)
    sections = grouped_by_perspective(assessment_with(actions), bank)

    assert [(area, [a.title for a in items]) for area, items in groups] == [
        ("F1", ["F1"]), (LOCAL, ["lokal tidig", "lokal utan datum"])]
    assert [section for section, _ in sections][-1] == LOCAL
    assert sections[-1][1] == [groups[-1]]


def test_grouped_by_area__bank_order_then_due_date_undated_last(bank):
    actions = [
        Action(activity="F1.5", title="utan datum"),
        Action(activity="G1.1", title="ledning", due=dt.date(2027, 6, 1)),
        Action(activity="F1.1", title="senare", due=dt.date(2027, 5, 1)),
        Action(activity="F1.4", title="tidigt", due=dt.date(2027, 1, 1)),
    ]

    groups = grouped_by_area(assessment_with(actions), bank)

    assert [(area, [a.title for a in items]) for area, items in groups] == [
        ("G1", ["ledning"]), ("F1", ["tidigt", "senare", "utan datum"])]


def test_new_action__title_is_the_plans_activity_capitalised(bank):
    action = new_action(bank, "G1.1")

    assert action.title.startswith("Efterfråga resultat över förekomst")
    assert action.status.value == "planerad"
    assert default_title(bank, "G1.1", "en")[0].isupper()
    row = action_rows([action], bank)[0]
    assert (row["activity"], row["status"]) == ("G1.1", "planerad")
    assert row["activity_text"].startswith("Efterfråga resultat över förekomst")


def test_local_action__stored_as_empty_activity_and_read_back_as_none(store):
    # The column is NOT NULL: a local action is stored with activity "" and every reader
    # (load, action_items, the JSON file) gives None / null.

    aid = store.create_assessment(assessment_data())
    item = store.add_action(aid, Action(title="Nytt larmsystem"))
    store.add_action(aid, Action(activity="G1.1", title="Månadsrapport"))
    store.update_action(aid, item, owner="Eva")

    with store._engine.connect() as conn:
        assert conn.execute(select(actions.c.activity, actions.c.title)
                            .order_by(actions.c.position)).all() == [
            ("", "Nytt larmsystem"), ("G1.1", "Månadsrapport")]
    loaded = store.load(aid)
    assert [(a.activity, a.title, a.owner, a.status.value) for a in loaded.actions] == [
        (None, "Nytt larmsystem", "Eva", "planerad"), ("G1.1", "Månadsrapport", "", "planerad")]
    assert store.action_items(aid)[0].action == loaded.actions[0]
    text = dump_assessment(loaded)
    assert '"activity": null' in text
    banks = {loaded.bank.id: load_banks().get(loaded.bank.id)}
    assert parse_assessment("a.json", text.encode(), banks).actions == loaded.actions
    # "" in a file is a local action too; an id not in the bank is still refused.
    assert parse_assessment("b.json", text.replace('"activity": null', '"activity": ""').encode(),
                            banks).actions == loaded.actions
    with pytest.raises(InvalidFile, match="activity .X9.9. is not in bank"):
        parse_assessment("c.json", text.replace('"activity": null', '"activity": "X9.9"').encode(),
                         banks)
