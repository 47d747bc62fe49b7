"""``Store.scoring_inputs``: many stored assessments read at once, as scoring needs them.

Each test runs against SQLite (a file in tmp_path) and against PostgreSQL (a throw-away
server from tests/conftest_postgres.py).

The bank: G1 (G1.1, G1.2) and F1 (F1.1–F1.3), levels 0–4. The assessments:

    question   Åby 2025 (p1, p2, p3)          Åby 2026 (p1, p2)   Kommun C (p1)
    G1.1       2, 2, 3        → 2             3, 4 → 3,5          –
    G1.2       Vet ej, 4      → consensus 3   4, 4 → 4            –
    F1.1       Ej akt. ×2     → na            2 → 2               –
    F1.2       1, Vet ej, 0   → 0,5 (1 Vet ej beside 2 levels: no gap)  –   –
    F1.3       –              → consensus Vet ej  –               –

    G1 mean    (2 + 3) / 2 = 2,5 → 62,5       3,75 → 93,75        none
    F1 mean    0,5 → 12,5                     2 → 50              none
"""

from __future__ import annotations

import datetime as dt

import pytest

from scoring.score import ScoringInput
from assessment.document import (
    Action,
    ActionStatus,
    Answer,
    Assessment,
    BankRef,
    Consensus,
    Effort,
    Organisation,
    Participant,
)
from assessment.storage import NotFound, bulk
from scoring.score import score_areas, score_assessment
from tests.helpers import make_bank

BANK = make_bank({"G1": 2, "F1": 3}, top=4)


# --- fixtures ----------------------------------------------------------------------------

def answers(rows: dict[str, tuple]) -> list[Answer]:
    """One answer per participant p1, p2, … and question; ``None``: no answer."""
    return [Answer(participant=f"p{n}", question=qid, value=value)
            for qid, column in rows.items()
            for n, value in enumerate(column, start=1) if value is not None]


def aby(date: dt.date, people: int, rows: dict[str, tuple], **extra) -> Assessment:
    return Assessment(
        bank=BankRef(id=BANK.id, version=BANK.version),
        organisation=Organisation(name="Region Östergötland", kind="region",
                                  unit="Vårdcentral Åby"),
        date=date,
        participants=[Participant(id=f"p{n}", name=f"Person {n}", role="Sjuksköterska")
                      for n in range(1, people + 1)],
        answers=answers(rows),
        **extra,
    )


FIRST = aby(
    dt.date(2025, 3, 14), 3,
    {"G1.1": (2, 2, 3), "G1.2": ("unknown", 4), "F1.1": ("na", "na"), "F1.2": (1, "unknown", 0)},
    consensus=[Consensus(question="G1.2", value=3, note="Enade efter diskussion"),
               Consensus(question="F1.3", value="unknown")],
    targets={"G1": 3.5},
    importance={"F1": 3},
    effort={"G1.1": Effort.high},
    actions=[
        Action(activity="G1.1", title="Månadsrapport", owner="Åsa", due=dt.date(2025, 9, 1),
               status=ActionStatus.ongoing, note="Start i maj"),
        Action(activity="F1.2", title="Utbilda personalen"),
    ],
)
SECOND = aby(dt.date(2026, 3, 14), 2, {"G1.1": (3, 4), "G1.2": (4, 4), "F1.1": (2, None)})
EMPTY = Assessment(
    bank=BankRef(id=BANK.id, version=BANK.version),
    organisation=Organisation(name="Kommun C", kind="kommun"),
    audience="kommun",
    date=dt.date(2025, 6, 1),
    participants=[Participant(id="p1")],
)

# Each assessment's answer values per question, by hand from the table above.
EXPECTED = {
    "first": {"G1.1": [2, 2, 3], "G1.2": [4, "unknown"], "F1.1": ["na", "na"],
              "F1.2": [0, 1, "unknown"]},
    "second": {"G1.1": [3, 4], "G1.2": [4, 4], "F1.1": [2]},
    "empty": {},
}


@pytest.fixture
def ids(store) -> dict[str, str]:
    return {"first": store.create_assessment(FIRST), "second": store.create_assessment(SECOND),
            "empty": store.create_assessment(EMPTY)}


def multisets(grouped: dict[str, list]) -> dict[str, list]:
    """Each question's values as a sorted multiset (levels, then words)."""
    return {qid: sorted(values, key=lambda v: (isinstance(v, str), str(v)))
            for qid, values in grouped.items()}


def without_answers(a: Assessment) -> Assessment:
    return a.model_copy(update={"answers": []})


# --- what comes back -----------------------------------------------------------------------

def test_scoring_inputs__three_assessments__values_grouped_per_assessment_and_question(store, ids):
    got = store.scoring_inputs([ids["first"], ids["second"], ids["empty"]])

    assert list(got) == [ids["first"], ids["second"], ids["empty"]]
    assert all(isinstance(x, ScoringInput) for x in got.values())
    for name, aid in ids.items():
        assert multisets(got[aid].answers) == multisets(EXPECTED[name]), name


def test_scoring_inputs__values__in_a_fixed_order(store, ids):
    got = store.scoring_inputs([ids["first"]])[ids["first"]].answers

    assert list(got) == ["F1.1", "F1.2", "G1.1", "G1.2"]
    assert got == {"F1.1": ["na", "na"], "F1.2": [0, 1, "unknown"], "G1.1": [2, 2, 3],
                   "G1.2": [4, "unknown"]}


def test_scoring_inputs__headers__everything_but_the_answers(store, ids):
    got = store.scoring_inputs(ids.values())

    first = got[ids["first"]].header
    assert first.answers == []
    assert (first.organisation.name, first.organisation.unit, first.date) == (
        "Region Östergötland", "Vårdcentral Åby", dt.date(2025, 3, 14))
    assert [(c.question, c.value, c.note) for c in first.consensus] == [
        ("G1.2", 3, "Enade efter diskussion"), ("F1.3", "unknown", "")]
    assert (first.targets, first.importance, first.effort) == (
        {"G1": 3.5}, {"F1": 3}, {"G1.1": Effort.high})
    assert [(a.title, a.status, a.due) for a in first.actions] == [
        ("Månadsrapport", ActionStatus.ongoing, dt.date(2025, 9, 1)),
        ("Utbilda personalen", ActionStatus.planned, None)]
    assert [p.id for p in first.participants] == ["p1", "p2", "p3"]
    assert got[ids["empty"]].header.audience.value == "kommun"
    assert got[ids["second"]].header.consensus == [] and got[ids["second"]].header.targets == {}
    for name, original in (("first", FIRST), ("second", SECOND), ("empty", EMPTY)):
        assert got[ids[name]].header == without_answers(original), name
        assert got[ids[name]].header == without_answers(store.load(ids[name])), name


def test_scoring_inputs__in_chunks__the_same(store, ids, monkeypatch):
    everything = store.scoring_inputs(ids.values())
    monkeypatch.setattr(bulk, "CHUNK", 2)  # first and second in one IN list, empty alone

    chunked = store.scoring_inputs(ids.values())

    assert chunked == everything
    assert multisets(chunked[ids["second"]].answers) == multisets(EXPECTED["second"])


def test_scoring_inputs__after_edits__reads_the_new_state(store, ids):
    store.set_answer(ids["second"], "p2", "F1.1", "unknown")
    store.clear_answer(ids["second"], "p1", "G1.2")
    store.set_consensus(ids["second"], "G1.1", 1)

    got = store.scoring_inputs([ids["second"]])[ids["second"]]

    assert multisets(got.answers) == {"G1.1": [3, 4], "G1.2": [4], "F1.1": [2, "unknown"]}
    assert [(c.question, c.value) for c in got.header.consensus] == [("G1.1", 1)]


def test_scoring_inputs__nothing_or_a_repeated_id(store, ids):
    assert store.scoring_inputs([]) == {}
    twice = store.scoring_inputs([ids["second"], ids["first"], ids["second"]])
    assert list(twice) == [ids["second"], ids["first"]]


def test_scoring_inputs__unknown_id__raises_not_found(store, ids):
    with pytest.raises(NotFound, match="no assessment with id 'nope'"):
        store.scoring_inputs([ids["first"], "nope"])


# --- scoring from it ------------------------------------------------------------------------

def area_figures(areas) -> dict[str, tuple]:
    return {a.id: (a.score, a.mean_level, a.coverage, a.unknown_share, a.target, a.importance)
            for a in areas}


def test_score_areas__from_scoring_inputs__same_as_scoring_the_loaded_assessment(store, ids):
    got = store.scoring_inputs(ids.values())

    for name, aid in ids.items():
        read = got[aid]
        bulk_areas = score_areas(read.header, BANK, read.answers)
        loaded = score_assessment(store.load(aid), BANK).areas
        assert bulk_areas == loaded, name
        assert [q.value for a in bulk_areas for q in a.questions] == [
            q.value for a in loaded for q in a.questions], name


def test_score_areas__from_scoring_inputs__the_figures_worked_out_by_hand(store, ids):
    got = store.scoring_inputs(ids.values())

    def scored(name):
        read = got[ids[name]]
        return area_figures(score_areas(read.header, BANK, read.answers))

    assert scored("first") == {
        "G1": (62.5, 2.5, 1.0, 0.0, 3.5, 2),
        # F1.1 na; F1.2 the median of 1 and 0 = 0.5 (its 1 Vet ej does not outnumber the 2
        # levels: no gap); F1.3 consensus Vet ej: a gap. Mean 0.5 → 100 × 0.5 / 4 = 12.5;
        # coverage 1 of 2 (half: enough basis); unknown share 1 of 2.
        "F1": (12.5, 0.5, 0.5, 0.5, 3.0, 3),
    }
    assert scored("second") == {
        "G1": (93.75, 3.75, 1.0, 0.0, 3.0, 2),
        "F1": (50.0, 2.0, 1 / 3, 0.0, 3.0, 2),
    }
    assert scored("empty") == {
        "G1": (None, None, 0.0, 0.0, 3.0, 2),
        "F1": (None, None, 0.0, 0.0, 3.0, 2),
    }
