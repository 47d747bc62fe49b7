"""The draft action plan: the editor's change sets, rows back to actions, grouping by area."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment.action_plan import (action_rows, activity_text, apply_editor_changes, default_title,
                                    grouped_by_area, new_action, rows_from_editor)
from assessment.bank_loader import load_banks
from assessment.document import Action, Assessment

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
    ({"activity": "F1.5", "title": "  "}, "rad 1: åtgärden saknar rubrik"),
    ({"activity": "F1.5", "title": "T", "due": "31/3"}, "rad 1: \"31/3\" är inget datum"),
    ({"activity": "F1.5", "title": "T", "follow_up_date": "snart"}, "rad 1: \"snart\" är inget datum"),
])
def test_rows_from_editor__bad_row__names_the_row_and_nothing_is_returned_for_it(bank, row, expected):
    actions, problems = rows_from_editor([row], set(bank.question_index()))

    assert actions == []
    assert len(problems) == 1 and expected in problems[0], problems


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
