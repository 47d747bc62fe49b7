"""One activity, one question: a question shared by two areas (``also_in``) is answered once,
stands in both areas, and counts once wherever questions are counted across areas."""

from __future__ import annotations

from assessment.cli import render_bank
from scoring.rollup import rollup
from tests.helpers import make_bank, question, score

# G1.1 also stands in F1, at place 2 (it replaces F1.2 of an earlier version).
BANK = make_bank({"G1": [question("G1.1", also_in={"F1": "F1.2"}), "G1.2"],
                  "F1": ["F1.1", "F1.3"]})


def test_scope__shared_question__at_its_place_in_each_area():
    assert [(a.id, [q.id for q in qs]) for a, qs in BANK.scope(None)] == [
        ("G1", ["G1.1", "G1.2"]), ("F1", ["F1.1", "G1.1", "F1.3"])]
    assert BANK.areas_of("G1.1") == ["G1", "F1"]
    assert BANK.activity_in(BANK.question("G1.1"), "F1").sv == "Gör F1.2"


def test_rollup__shared_question__its_answers_counted_once_per_file():
    # Two files; G1.1 answered [1, 2, "unknown"] and [0]: positive (level ≥ 1) 2 of 3 and 0 of 1
    # → 2 of 4 answers, not 4 of 8 as counting it in both G1 and F1 would give.
    first = score(BANK, answers={"G1.1": [1, 2, "unknown"]})
    second = score(BANK, answers={"G1.1": [0]})

    g11 = next(q for q in rollup([first, second]).questions if q.id == "G1.1")

    assert (g11.positive, g11.answers, g11.share_positive) == (2, 4, 0.5)


def test_progress__shared_question__counted_once():
    result = score(BANK, answers={"G1.1": [2], "F1.1": [3]})

    # G1.1 and F1.1 have a value, of the four questions G1.1, G1.2, F1.1, F1.3.
    assert result.progress == (2, 4)
    assert [a.answered for a in result.areas] == [1, 2]


def test_bank_show__shared_question__listed_in_both_areas_and_marked():
    text = render_bank(BANK, "sv")

    g1, f1 = text.split("\nF1  ")
    assert "G1.1" in f1 and "[också i G1]" in f1
    assert "[också i F1]" in g1
