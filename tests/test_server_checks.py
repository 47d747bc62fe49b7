"""The server checks everything it is sent (issue 17, part 6).

Whatever arrives from a browser (a crafted answer-sheet event, a widget value, a form field)
reaches ``Store``, which checks it against the assessment's bank (questions, areas, the
scale 0–4 of the national bank) and the format's limits before it writes, and refuses it
with ``InvalidInput`` (one line naming the field): nothing invalid is stored, so the app's
own JSON download always validates again. The pages show the refusal in one line
(``context.locked_message``), never a traceback.
"""

from __future__ import annotations

import pytest

from assessment.bank_loader import load_banks
from assessment.document import Action
from assessment.files import dump_assessment, parse_assessment
from assessment.storage import InvalidInput, NewParticipant, StorageError
from tests.test_app_pages import ANNA, assessment_data

TOP = 4  # the national bank's scale is 0–4


@pytest.fixture
def aid(store) -> str:
    return store.create_assessment(assessment_data())


# Each crafted write, with the words its refusal must contain.
WRITES = {
    "level above the scale": (lambda s, aid: s.set_answer(aid, ANNA, "G1.1", TOP + 5),
                              f"level 9 is outside the scale 0–{TOP}"),
    "level 10": (lambda s, aid: s.set_answer(aid, ANNA, "G1.1", 10), "level 10 is outside"),
    "level 11": (lambda s, aid: s.set_answer(aid, ANNA, "G1.1", 11), "11 is not an answer"),
    "not an option": (lambda s, aid: s.set_answer(aid, ANNA, "G1.1", "kanske"),
                      "'kanske' is not an answer"),
    "a float level": (lambda s, aid: s.set_answer(aid, ANNA, "G1.1", 2.0), "2.0 is not an answer"),
    "question not in the bank": (lambda s, aid: s.set_answer(aid, ANNA, "Z9.9", 2),
                                 "question 'Z9.9' is not in bank"),
    "comment too long": (lambda s, aid: s.set_answer(aid, ANNA, "G1.1", 2, "x" * 2001),
                         "comment: string should have at most 2000 characters"),
    "consensus above the scale": (lambda s, aid: s.set_consensus(aid, "G1.1", TOP + 1),
                                  "level 5 is outside"),
    "consensus question not in the bank": (lambda s, aid: s.set_consensus(aid, "G1.99", 2),
                                           "question 'G1.99' is not in bank"),
    "target above the top level": (lambda s, aid: s.set_target(aid, "G1", TOP + 0.5),
                                   "target 4.5 is above the top level 4"),
    "target of an area not in the bank": (lambda s, aid: s.set_target(aid, "G9", 2),
                                          "area 'G9' is not in bank"),
    "importance 4": (lambda s, aid: s.set_importance(aid, "G1", 4), "less than or equal to 3"),
    "effort of a question not in the bank": (lambda s, aid: s.set_effort(aid, "Z9.9", "låg"),
                                             "question 'Z9.9' is not in bank"),
    "action for an activity not in the bank": (
        lambda s, aid: s.add_action(aid, Action(activity="Z9.9", title="Gör något")),
        "activity 'Z9.9' is not in bank"),
    "a 5,000-character name": (lambda s, aid: s.new_participant(aid, "x" * 5000),
                               "name: string should have at most 200 characters"),
    "an imported person's level above the scale": (
        lambda s, aid: s.add_participants(aid, [NewParticipant("Cilla", "", [("G1.1", 7, "")])]),
        "level 7 is outside"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_store__crafted_write__refused_in_one_line_and_nothing_stored(store, aid, write):
    call, words = write
    before, version = store.load(aid), store.updated_at(aid)

    with pytest.raises(InvalidInput) as refused:
        call(store, aid)

    assert words in str(refused.value)
    assert "\n" not in str(refused.value) and "validation error" not in str(refused.value)
    assert store.load(aid) == before
    assert store.updated_at(aid) == version  # not even the version moved


def test_store__action_edited_to_an_activity_not_in_the_bank__refused(store, aid):
    item = store.add_action(aid, Action(activity="G1.1", title="Utbilda chefer"))

    with pytest.raises(InvalidInput, match="activity 'Z9.9' is not in bank"):
        store.update_action(aid, item, activity="Z9.9")

    assert [i.action.activity for i in store.action_items(aid)] == ["G1.1"]


def test_store__whole_assessment_with_a_level_above_the_scale__refused(store):
    crafted = assessment_data(answers={"G1.1": (TOP + 5, 2)})

    with pytest.raises(InvalidInput, match=r"answers\[0\]\.value: level 9 is outside the scale"):
        store.create_assessment(crafted)

    assert store.list_assessments() == []


def test_store__participant_token__level_above_the_scale_refused(store, aid):
    code, _ = store.open_workshop(aid)
    token = store.join(code, "Bo", "")

    with pytest.raises(InvalidInput, match="level 9 is outside the scale 0–4"):
        store.answer_as_participant(token, "G1.1", 9)
    with pytest.raises(InvalidInput, match="question 'Z9.9' is not in bank"):
        store.answer_as_participant(token, "Z9.9", 2)

    assert store.participant_view(token).answers == {}


def test_store__after_every_crafted_write__the_apps_own_download_validates(store, aid):
    for call, _ in WRITES.values():
        with pytest.raises(InvalidInput):
            call(store, aid)
    store.set_answer(aid, ANNA, "G1.1", TOP)  # the top of the scale is an answer
    store.set_target(aid, "G1", TOP)

    data = dump_assessment(store.load(aid)).encode("utf-8")
    loaded = parse_assessment("download.json", data, load_banks().banks)
    assert next(a.value for a in loaded.answers if (a.participant, a.question) == (ANNA, "G1.1")) == TOP


def test_store__bank_not_installed__checked_by_the_format_only(store):
    """An assessment whose bank is not installed has no scale to check against: the format's
    limits still hold (no level above 10), nothing more."""
    crafted = assessment_data().model_copy(update={"bank": {"id": "egen-bank", "version": "1"}})
    crafted = type(crafted).model_validate(crafted.model_dump())
    aid = store.create_assessment(crafted)

    store.set_answer(aid, ANNA, "EGEN.1", 7)
    with pytest.raises(InvalidInput, match="11 is not an answer"):
        store.set_answer(aid, ANNA, "EGEN.1", 11)

    assert InvalidInput.__mro__[1] is StorageError  # the pages' one refusal path
