"""assessment/answer_edits.py: one answer changed in a loaded assessment gives exactly what
the database gives after the same write (on SQLite and PostgreSQL), so the app may keep its
copy instead of reading the assessment again after every click."""

from __future__ import annotations

import random

from assessment.answer_edits import with_answer, without_answer
from assessment.document import Participant
from tests.test_app_pages import assessment_data

QUESTIONS = ["G1.1", "G1.2", "G1.6", "G2.1", "F1.1", "F5.9"]
VALUES = [0, 1, 2, 3, 4, "unknown", "na"]


def test_with_answer__new_answers__after_their_participants_earlier_answers(store):
    # Anna (p1) and Bo (p2) have answers; Cecilia (p3) has none yet.
    aid = store.create_assessment(assessment_data())
    store.add_participant(aid, Participant(id="p3", name="Cecilia"))
    copy = store.load(aid)

    for pid, question, value in (("p3", "G1.1", 2), ("p1", "G1.9", 4), ("p2", "F5.9", "na")):
        store.set_answer(aid, pid, question, value, comment=None)
        copy = with_answer(copy, pid, question, value, None)
    loaded = store.load(aid)

    assert copy == loaded
    # Hand check of the order: p1's answers end with G1.9, p2's with F5.9, then p3's G1.1.
    order = [(a.participant, a.question) for a in loaded.answers]
    assert order.index(("p1", "G1.9")) == max(i for i, (p, _) in enumerate(order) if p == "p1")
    assert order.index(("p2", "F5.9")) == max(i for i, (p, _) in enumerate(order) if p == "p2")
    assert order[-1] == ("p3", "G1.1")


def test_with_answer__existing__keeps_its_place_and_comment_unless_given(store):
    aid = store.create_assessment(assessment_data())
    store.set_answer(aid, "p1", "G1.2", 2, "Enligt rutinen")
    copy = store.load(aid)
    place = [(a.participant, a.question) for a in copy.answers].index(("p1", "G1.2"))

    kept = with_answer(copy, "p1", "G1.2", 4, None)
    replaced = with_answer(copy, "p1", "G1.2", 4, "Ny")

    assert (kept.answers[place].value, kept.answers[place].comment) == (4, "Enligt rutinen")
    assert (replaced.answers[place].value, replaced.answers[place].comment) == (4, "Ny")
    assert len(kept.answers) == len(copy.answers)
    assert copy.answers[place].value == 2  # the original copy is not changed


def test_without_answer__removes_only_that_answer():
    copy = assessment_data()
    edited = without_answer(copy, "p1", "G1.1")

    assert ("p1", "G1.1") not in {(a.participant, a.question) for a in edited.answers}
    assert len(edited.answers) == len(copy.answers) - 1
    assert without_answer(copy, "p1", "G3.4") == copy  # nothing to remove


def test_edits__random_writes__copy_equals_the_database_after_each(store):
    aid = store.create_assessment(assessment_data())
    store.add_participant(aid, Participant(id="p3", name="Cecilia"))
    copy = store.load(aid)
    rng = random.Random(20261123)

    for _ in range(60):
        pid, question = rng.choice(["p1", "p2", "p3"]), rng.choice(QUESTIONS)
        roll = rng.random()
        if roll < 0.2:
            store.clear_answer(aid, pid, question)
            copy = without_answer(copy, pid, question)
        else:
            value = rng.choice(VALUES)
            comment = None if roll < 0.6 else rng.choice(["", "Enligt rutinen", "<b>ej html</b>"])
            store.set_answer(aid, pid, question, value, comment)
            copy = with_answer(copy, pid, question, value, comment)
        assert copy == store.load(aid)
