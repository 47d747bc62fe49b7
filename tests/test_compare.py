"""Comparing assessments (``scoring.compare``), its charts and tables (``charts.compare``),
the ``compare`` command and its workbook – every figure worked out by hand in the comments.

The test bank has two areas on a 0–4 scale with Ej aktuellt: A (A.1–A.3) and B (B.1, B.2).
Three assessments of "Testby kommun – Hemtjänst", a year apart:

    question   2024-03-01          2025-03-01              2026-03-01
    A.1        1, 3  → 2           3, 3      → 3           2         → 2
    A.2        2, 2  → 2           Vet ej ×2 → unknown     3         → 3
    A.3        1     → 1           2         → 2           Vet ej    → unknown
    B.1        0, 1  → 0,5         Ej akt ×2 → na          1         → 1
    B.2        2     → 2           2, 3      → 2,5         (nobody)  → None

    A: mean   (2+2+1)/3 = 5/3 → 41,67   (3+2)/2 = 2,5 → 62,5    (2+3)/2 = 2,5 → 62,5
    B: mean   (0,5+2)/2 = 1,25 → 31,25  2,5 → 62,5              1 → 25
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assessment import bank_loader
from assessment.bank_loader import load_banks
from assessment.cli import main
from assessment.document import Assessment, check_against_bank
from assessment.excel.compare_export import compare_workbook, sheet_names
from assessment.history import previous_of
from benchmarks.generate import make_assessment as generated
from charts.compare import (
    below_target_rows,
    national_rollup_rows,
    national_single_rows,
    national_view,
    radar_time_view,
    signed,
    spread_rows,
    step_area_rows,
    step_question_rows,
    trend_view,
    unit_heatmap_view,
)
from scoring.compare import (
    IMPROVED,
    INSTALLED_VERSION,
    NOT_INSTALLED,
    OTHER_BANK,
    OTHER_VERSION,
    UNCHANGED,
    WORSENED,
    actions_between,
    by_date,
    change,
    compare_to_dict,
    date_names,
    furthest_below_target,
    latest_per_unit,
    national,
    previous,
    radar_dates,
    snapshot,
    split_comparable,
    spread,
    step,
    steps,
    timeline,
    timelines,
    unit_names,
    units,
)
from scoring.rollup import rollup
from scoring.score import score_assessment
from tests.helpers import assessment_dict, bank_yaml, make_bank

BANK = make_bank({"A": 3, "B": 2}, top=4, bank_id="test-bank")
INSTALLED = load_banks()
NATIONAL = INSTALLED.get("nationell-handlingsplan-2025")
SURVEY = INSTALLED.get("kommunenkat-2023")


def assessment(bank, *, date: str, answers: dict, name: str = "Testby kommun",
               unit: str = "Hemtjänst", kind: str = "kommun", **extra) -> Assessment:
    """An assessment of ``bank``; ``answers`` maps a question to one value per participant
    (p1, p2, …; ``None``: that one did not answer)."""
    doc = assessment_dict(bank, answers=answers, kind=kind)
    doc["organisation"] = {"name": name, "kind": kind, "unit": unit}
    doc["date"] = date
    doc.update(extra)
    made = Assessment.model_validate(doc)
    assert check_against_bank(made, bank, "test") == []
    return made


Y2024 = dict(date="2024-03-01", answers={"A.1": [1, 3], "A.2": [2, 2], "A.3": [1, None],
                                         "B.1": [0, 1], "B.2": [2, None]})
Y2025 = dict(date="2025-03-01", answers={"A.1": [3, 3], "A.2": ["unknown", "unknown"],
                                         "A.3": [2, None], "B.1": ["na", "na"], "B.2": [2, 3]})
Y2026 = dict(date="2026-03-01", answers={"A.1": [2], "A.2": [3], "A.3": ["unknown"],
                                         "B.1": [1]})


@pytest.fixture
def three_years():
    """The three assessments' snapshots, given out of order (2026, 2024, 2025)."""
    return [snapshot(f"{y['date'][:4]}.json", assessment(BANK, **y), BANK)
            for y in (Y2026, Y2024, Y2025)]


# --- over time ------------------------------------------------------------------------------

def test_timeline__three_dates__scores_and_values_in_date_order(three_years):
    line = timeline(by_date(three_years), BANK)

    assert [s.date.year for s in line.snapshots] == [2024, 2025, 2026]
    a, b = line.areas
    assert a.scores == pytest.approx([100 * (5 / 3) / 4, 62.5, 62.5])   # 41,67
    assert b.scores == pytest.approx([31.25, 62.5, 25.0])
    assert a.levels == pytest.approx([5 / 3, 2.5, 2.5])
    assert a.change == pytest.approx(62.5 - 125 / 3)                      # +20,83
    assert b.change == pytest.approx(25 - 31.25)                          # −6,25
    values = {q.id: q.values for q in line.questions}
    assert values == {"A.1": [2, 3, 2], "A.2": [2, "unknown", 3], "A.3": [1, 2, "unknown"],
                      "B.1": [0.5, "na", 1], "B.2": [2, 2.5, None]}


def test_timeline__question_change__only_between_first_and_last_levels(three_years):
    changes = {q.id: q.change for q in timeline(by_date(three_years), BANK).questions}

    assert changes == {
        "A.1": 0,       # 2 → 2: Vet ej-free both ends, unchanged
        "A.2": 1,       # 2 → 3: the Vet ej in between does not matter
        "A.3": None,    # 1 → Vet ej: no change between a level and a knowledge gap
        "B.1": 0.5,     # 0,5 → 1: the Ej aktuellt in between does not matter
        "B.2": None,    # 2 → unanswered
    }


def test_step__first_year__levels_changes_and_verdicts(three_years):
    first, second = steps(by_date(three_years), BANK)[0], steps(by_date(three_years), BANK)[1]

    a, b = first.areas
    assert (a.level.before, a.level.after) == (pytest.approx(5 / 3), 2.5)
    assert a.level.delta == pytest.approx(2.5 - 5 / 3) and a.level.direction == IMPROVED
    assert a.score_change == pytest.approx(62.5 - 125 / 3)
    assert (b.level.before, b.level.after, b.level.delta, b.level.direction) == (
        1.25, 2.5, 1.25, IMPROVED)
    assert {q.id: (q.change.before, q.change.after, q.change.delta, q.change.direction)
            for q in first.questions} == {
        "A.1": (2, 3, 1, IMPROVED),
        "A.2": (2, "unknown", None, None),     # became a knowledge gap: not a fall to 0
        "A.3": (1, 2, 1, IMPROVED),
        "B.1": (0.5, "na", None, None),        # became not applicable
        "B.2": (2, 2.5, 0.5, IMPROVED),
    }
    assert first.counts() == {IMPROVED: 3, UNCHANGED: 0, WORSENED: 0, None: 2}

    a, b = second.areas
    assert (a.level.delta, a.level.direction) == (0, UNCHANGED)          # 2,5 → 2,5
    assert (b.level.delta, b.level.direction) == (-1.5, WORSENED)        # 2,5 → 1
    assert b.score_change == pytest.approx(25 - 62.5)
    assert {q.id: q.change.direction for q in second.questions} == {
        "A.1": WORSENED, "A.2": None, "A.3": None, "B.1": None, "B.2": None}
    assert second.counts() == {IMPROVED: 0, UNCHANGED: 0, WORSENED: 1, None: 4}


@pytest.mark.parametrize("before,after,expected", [
    (2, 3, (1, IMPROVED)), (3, 2, (-1, WORSENED)), (2, 2.0, (0, UNCHANGED)),
    (1.5, 1.5, (0, UNCHANGED)), ("unknown", 2, (None, None)), (2, "na", (None, None)),
    (None, 2, (None, None)), ("unknown", "unknown", (None, None)),
])
def test_change__levels_only__else_no_delta_and_no_verdict(before, after, expected):
    got = change(before, after)
    assert (got.delta, got.direction) == expected


def test_actions_between__done_or_due_in_the_period__next_to_their_area():
    plan_2024 = [
        {"activity": "A.1", "title": "Rutin för avvikelser", "due": "2024-09-01"},
        {"activity": "B.1", "title": "Utbildning", "status": "klar"},       # done before 2024
        {"activity": "A.2", "title": "Gammal sak", "due": "2023-12-01"},   # due before the period
        {"activity": "A.3", "title": "Klar sedan förut", "status": "klar"},  # only in the old plan
    ]
    plan_2025 = [
        {"activity": "A.1", "title": "rutin för  avvikelser", "status": "klar",
         "due": "2024-09-01"},                                               # same item, now done
        {"activity": "B.1", "title": "Utbildning", "status": "klar"},       # still the old one
        {"activity": "B.2", "title": "Ny mätning", "status": "pågår", "due": "2025-02-01"},
        {"activity": "A.3", "title": "Senare", "due": "2025-06-01"},        # due after the period
    ]
    before = snapshot("a", assessment(BANK, **Y2024, actions=plan_2024), BANK)
    after = snapshot("b", assessment(BANK, **Y2025, actions=plan_2025), BANK)

    done = actions_between(before, after, BANK)

    assert {area: [(x.title, x.status.value) for x in items] for area, items in done.items()} == {
        "A": [("rutin för  avvikelser", "klar")],
        "B": [("Ny mätning", "pågår")],
    }
    assert [x.title for x in step(before, after, BANK).areas[0].actions] == ["rutin för  avvikelser"]


def test_radar_dates__five_dates__the_four_latest_newest_first():
    snaps = [snapshot(str(y), assessment(BANK, date=f"{y}-01-01", answers={"A.1": [2]}), BANK)
             for y in range(2021, 2026)]
    assert [s.key for s in radar_dates(snaps)] == ["2025", "2024", "2023", "2022"]


def test_units__same_names_in_other_case_and_spaces__one_unit(three_years):
    other = snapshot("x", assessment(BANK, **Y2024, name=" testby KOMMUN ", unit="hemtjänst "), BANK)
    grouped = units([*three_years, other])
    assert [len(g) for g in grouped.values()] == [4]


# --- across units -----------------------------------------------------------------------------

@pytest.fixture
def three_units(three_years):
    """The latest of each unit:
    Hemtjänst 2026 (A 2,5 → 62,5; B 1 → 25); Hemsjukvård (A 4 → 100; B 0 → 0);
    Annanby (A 1 → 25; B 2 → 50), whose 2023 assessment is older and left out."""
    home_care = snapshot("hsv", assessment(BANK, unit="Hemsjukvård", date="2026-02-01",
                                           answers={"A.1": [4], "A.2": [4], "A.3": [4],
                                                    "B.1": [0], "B.2": [0]}), BANK)
    annanby = snapshot("annanby", assessment(BANK, name="Annanby kommun", unit="",
                                             date="2025-06-01",
                                             answers={"A.1": [1], "A.2": [1], "A.3": [1],
                                                      "B.1": [2], "B.2": [2]}), BANK)
    annanby_old = snapshot("annanby-2023", assessment(BANK, name="Annanby kommun", unit="",
                                                      date="2023-06-01", answers={"A.1": [0]}), BANK)
    return [*three_years, home_care, annanby, annanby_old]


def test_latest_per_unit__each_unit_once__its_latest(three_units):
    latest = latest_per_unit(three_units)
    assert [(s.key, s.unit_name) for s in latest] == [
        ("annanby", "Annanby kommun"), ("hsv", "Testby kommun – Hemsjukvård"),
        ("2026.json", "Testby kommun – Hemtjänst")]


def test_spread__min_median_max_per_area_and_who(three_units):
    a, b = spread(latest_per_unit(three_units), BANK)

    assert (a.min, a.median, a.max, a.units) == (25, 62.5, 100, 3)
    assert [s.key for s in a.lowest] == ["annanby"] and [s.key for s in a.highest] == ["hsv"]
    assert (b.min, b.median, b.max) == (0, 25, 50)
    assert [s.key for s in b.lowest] == ["hsv"] and [s.key for s in b.highest] == ["annanby"]


def test_furthest_below_target__largest_gap_first__units_at_target_left_out(three_units):
    below = furthest_below_target(latest_per_unit(three_units), BANK)

    # Target 3 (the default). A: Annanby 1 → gap 2, Hemtjänst 2,5 → 0,5, Hemsjukvård 4: above.
    # B: Hemsjukvård 0 → 3, Hemtjänst 1 → 2, Annanby 2 → 1.
    assert {area: [(b.snapshot.key, b.gap) for b in items] for area, items in below.items()} == {
        "A": [("annanby", 2), ("2026.json", 0.5)],
        "B": [("hsv", 3), ("2026.json", 2), ("annanby", 1)],
    }


def test_furthest_below_target__own_target_counts():
    at_target = snapshot("t", assessment(BANK, date="2026-01-01", targets={"A": 2},
                                         answers={"A.1": [2]}), BANK)
    assert furthest_below_target([at_target], BANK) == {}


# --- against the national survey ----------------------------------------------------------

ALBY = {"F1.1": [2, 0, None], "F1.2": [0, 0, None]}                      # F1.1 median 1; F1.2 0
BBY = {"F1.1": ["unknown", None, None], "F1.2": [1, None, None]}         # Vet inte; 1
# F1.2: one Vet inte of three answers is a knowledge gap (Vet ej × 3 ≥ all answers), so
# Cby's value is Vet inte, not the median 2.
CBY = {"F1.1": [1, 1, 0], "F1.2": ["unknown", 2, 2]}                     # 1; Vet inte


@pytest.fixture
def survey_rollup():
    return [snapshot(name, assessment(SURVEY, name=name, unit="", date="2025-05-01",
                                      answers=answers), SURVEY)
            for name, answers in (("Alby", ALBY), ("Bby", BBY), ("Cby", CBY))]


def test_national__rollup_of_three_municipalities__hand_computed_percentages(survey_rollup):
    items = {i.id: i for i in national(survey_rollup, SURVEY)}
    assert (SURVEY.question("F1.1").reference.share_positive,
            SURVEY.question("F1.2").reference.share_positive) == (72, 73)
    assert len(items) == 31

    f11, f12 = items["F1.1"], items["F1.2"]
    # F1.1 answers: Alby 2, 0; Bby Vet inte; Cby 1, 1, 0 → positive 1 + 0 + 2 = 3 of 6 = 50 %.
    assert (f11.positive_answers, f11.counted_answers) == (3, 6)
    assert f11.share_positive == 0.5 and f11.difference == pytest.approx(50 - 72)     # −22 pe
    # Organisations: Alby 1 (Ja), Bby Vet inte (counted, not Ja), Cby 1 (Ja) → 2 of 3.
    assert (f11.positive_organisations, f11.counted_organisations) == (2, 3)
    assert f11.organisations_difference == pytest.approx(200 / 3 - 72)              # −5,33 pe
    # F1.2 answers: Alby 0, 0; Bby 1; Cby Vet inte, 2, 2 → 3 of 6. Organisations: Alby 0,
    # Bby 1 (Ja), Cby 2 (Ja: its one Vet inte beside two levels does not outnumber them, so
    # the median 2 stands, on an uncertain basis) → 2 of 3.
    assert f12.share_positive == 0.5 and f12.difference == pytest.approx(50 - 73)     # −23 pe
    assert f12.organisations_difference == pytest.approx(200 / 3 - 73)              # −6,33 pe
    assert f12.values == [0, 1, 2]
    # Nobody answered F2.1: no share, no difference.
    assert (items["F2.1"].share_positive, items["F2.1"].difference,
            items["F2.1"].organisations_share) == (None, None, None)


def test_national__share_positive__the_rollup_rule_of_docs_scoring(survey_rollup):
    raw = [assessment(SURVEY, name=n, unit="", date="2025-05-01", answers=a)
           for n, a in (("Alby", ALBY), ("Bby", BBY), ("Cby", CBY))]
    rolled = {q.id: q.share_positive for q in rollup([score_assessment(a, SURVEY) for a in raw]).questions}
    assert {i.id: i.share_positive for i in national(survey_rollup, SURVEY)} == rolled


def test_national__tables__percent_and_points_as_shown(survey_rollup):
    rollup = national_rollup_rows(national(survey_rollup, SURVEY), SURVEY, "sv")
    rows = {r["question"]: r for r in rollup.rows}

    assert {k: v for k, v in rows["F1.1"].items() if k not in ("question", "question_text")} == {
        "share_answers": "50,0 %", "diff_answers": "−22,0", "share_orgs": "66,7 %",
        "diff_orgs": "−5,3", "national_share": "72 %", "national_change": "+6", "answers": 6}
    assert list(rollup.labels.values()) == [
        "Fråga", "Frågetext", "Andel positiva svar", "Skillnad mot riket (pe)",
        "Organisationer med Ja", "Skillnad mot riket, organisationer (pe)",
        "Riket: andel Ja (planen har påverkat)", "Riket: förändring (pe)", "Antal svar"]
    single = {r["question"]: r["your_answer"]
              for r in national_single_rows(national(survey_rollup, SURVEY), SURVEY, "sv", 1).rows}
    assert (single["F1.1"], single["F1.2"], single["F2.1"]) == (
        "Vet inte", "1 – Ja, till vissa delar", "–")


# --- what can be compared -------------------------------------------------------------------

def test_split_comparable__majority_bank_wins__others_named_with_reason():
    installed = {"nat": "1", "survey": "1", "old": "2"}
    choice = split_comparable([
        ("a", "nat", "1"), ("b", "survey", "1"), ("c", "nat", "1"), ("d", "gone", "1"),
        ("e", "old", "1"),
    ], installed)

    assert (choice.bank_id, choice.version, choice.included) == ("nat", "1", ["a", "c"])
    assert [(e.key, e.reason) for e in choice.excluded] == [
        ("b", OTHER_BANK), ("d", NOT_INSTALLED), ("e", INSTALLED_VERSION)]
    assert "uses bank 'survey', the others 'nat'" in choice.excluded[0].message()


def test_split_comparable__tie__the_first_named_wins_and_versions_are_not_mixed():
    choice = split_comparable([("a", "x", "1"), ("b", "y", "1")], {"x": "1", "y": "1"})
    assert choice.included == ["a"] and [(e.key, e.reason) for e in choice.excluded] == [
        ("b", OTHER_BANK)]
    # Two versions of one bank (only possible when the installed one changed under saved ones).
    choice = split_comparable([("a", "x", "1"), ("b", "x", "2")], {"x": "1"})
    assert [(e.key, e.reason, e.expected_version) for e in choice.excluded] == [
        ("b", INSTALLED_VERSION, "1")]
    assert OTHER_VERSION == "other_version"


# --- the lean scoring path is the scoring contract -----------------------------------------

@pytest.mark.parametrize("bank_id,seed", [("nationell-handlingsplan-2025", 1),
                                          ("nationell-handlingsplan-2025", 2),
                                          ("kommunenkat-2023", 3)])
def test_snapshot__same_figures_as_score_assessment(bank_id, seed):
    bank = INSTALLED.get(bank_id)
    made = Assessment.model_validate(generated(bank, random.Random(seed), seed))
    full = score_assessment(made, bank)
    snap = snapshot("x", made, bank)

    assert [(a.id, a.score, a.mean_level, a.coverage, a.unknown_share, a.gap, a.target)
            for a in snap.areas] == [
        (a.id, a.score, a.mean_level, a.coverage, a.unknown_share, a.gap, a.target)
        for a in full.areas]
    assert [q for a in snap.areas for q in a.questions] == [q for a in full.areas for q in a.questions]
    assert snap.overall == full.overall


# --- charts and tables ----------------------------------------------------------------------

def test_trend_view__one_panel_per_area__score_written_at_each_point(three_years):
    ordered = by_date(three_years)
    chart, table = trend_view(timeline(ordered, BANK), BANK, date_names(ordered), "sv")
    spec = chart.to_dict()  # validated against the Vega-Lite schema

    assert spec["facet"]["field"] == "area" and spec["facet"]["sort"] == ["A", "B"]
    rows = next(iter(spec["datasets"].values()))
    assert [(r["area"], r["date"], r["text"]) for r in rows] == [
        ("A", "2024-03-01", "42"), ("A", "2025-03-01", "62"), ("A", "2026-03-01", "62"),
        ("B", "2024-03-01", "31"), ("B", "2025-03-01", "62"), ("B", "2026-03-01", "25")]
    assert [layer["mark"]["type"] for layer in spec["spec"]["layer"]] == ["line", "point", "text"]
    keys = [s.key for s in ordered]
    # B rests on B.1 and B.2 in 2024, on B.1 alone in 2026 (B.2 unanswered): the change says so
    assert table.rows[1] == {"area": "B Område B", keys[0]: "31", keys[1]: "62", keys[2]: "25",
                             "change_first_last": "−6 (inte samma frågor med nivå: 2 före, 1 efter)"}
    assert list(table.to_pandas().columns) == [
        "Område", "2024-03-01", "2025-03-01", "2026-03-01", "Förändring, första till sista (poäng)"]


def test_radar_time_view__up_to_four_dates__styled_series(three_years):
    newest_first = list(reversed(by_date(three_years)))
    chart, table = radar_time_view(newest_first, BANK, date_names(three_years), "sv")
    spec = chart.to_dict()

    polygon = next(layer for layer in spec["layer"] if layer.get("name") == "polygons")
    rows = polygon["data"]["values"] if "values" in polygon.get("data", {}) else \
        spec["datasets"][polygon["data"]["name"]]
    assert sorted({(r["key"], r["series"]) for r in rows}) == [
        ("current", "2026-03-01"), ("extra1", "2024-03-01"), ("previous", "2025-03-01")]
    assert table.rows[0] == {"area": "A Område A", "current": "2,5", "previous": "2,5",
                             "extra1": "1,7"}
    assert list(table.to_pandas().columns) == ["Område", "2026-03-01", "2025-03-01", "2024-03-01"]


def test_step_tables__levels_verdicts_and_actions_in_words(three_years):
    ordered = by_date(three_years)
    first = step(ordered[0], ordered[1], BANK)
    labels = date_names(ordered)

    area_rows = step_area_rows(first, BANK, labels, "sv")
    # B's mean rests on B.1 and B.2 in 2024 but on B.2 alone in 2025 (B.1 Ej aktuellt): the
    # verdict says the bases differ
    assert area_rows.rows[1] == {
        "area": "B Område B", "level_before": "1,25", "level_after": "2,5",
        "change_levels": "+1,25", "change_score": "+31",
        "verdict": "↑ förbättrat (inte samma frågor med nivå: 2 före, 1 efter)", "actions": ""}
    # A rests on A.1–A.3 in 2024 and A.1, A.3 in 2025 (A.2 Vet ej): also different
    assert area_rows.rows[0]["verdict"].endswith("(inte samma frågor med nivå: 3 före, 2 efter)")
    assert (first.areas[1].basis_before, first.areas[1].basis_after,
            first.areas[1].same_basis) == (2, 1, False)
    assert list(area_rows.labels.values()) == [
        "Område", "Nivå 2024-03-01", "Nivå 2025-03-01", "Förändring (nivåer)",
        "Förändring (poäng)", "Bedömning", "Åtgärder mellan datumen"]
    question_rows = step_question_rows(first, BANK, labels, "sv")
    rows = {r["question"]: r for r in question_rows.rows}
    assert (rows["A.2"]["value_before"], rows["A.2"]["value_after"],
            rows["A.2"]["change_levels"], rows["A.2"]["verdict"]) == (
        "2 – Delvis", "Vet ej", "–", "kan inte jämföras")
    assert rows["B.2"]["value_after"] == "2,5" and rows["B.2"]["verdict"] == "↑ förbättrat"
    assert (question_rows.labels["value_before"], question_rows.labels["value_after"]) == (
        "Svar 2024-03-01", "Svar 2025-03-01")
    second = step(ordered[1], ordered[2], BANK)
    english = step_question_rows(second, BANK, labels, "en", only_changed=True)
    assert [r["question"] for r in english.rows] == ["A.1", "A.2", "A.3", "B.1", "B.2"]
    assert list(english.labels) == list(question_rows.labels)
    assert english.labels["value_after"] == "Answer 2026-03-01"
    english_areas = step_area_rows(second, BANK, labels, "en")
    # A: A.1 and A.3 in 2025 (A.2 Vet ej), A.1 and A.2 in 2026 (A.3 Vet ej): two each, but
    # not the same two
    assert english_areas.rows[0]["verdict"] == (
        "= unchanged (not the same questions with a level: 2 before, 2 after)")
    assert english_areas.labels["verdict"] == "Verdict"


def test_unit_heatmap_view__score_as_text_in_every_cell(three_units):
    latest = latest_per_unit(three_units)
    chart, table = unit_heatmap_view(latest, BANK, unit_names(latest), "sv")
    spec = chart.to_dict()

    rows = next(iter(spec["datasets"].values()))
    assert [(r["unit"], r["area"], r["text"]) for r in rows] == [
        ("Annanby kommun", "A", "25"), ("Annanby kommun", "B", "50"),
        ("Testby kommun – Hemsjukvård", "A", "100"), ("Testby kommun – Hemsjukvård", "B", "0"),
        ("Testby kommun – Hemtjänst", "A", "62"), ("Testby kommun – Hemtjänst", "B", "25")]
    text = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    assert text["encoding"]["text"]["field"] == "text"
    # Totalt: every question once, (1 + 1 + 1 + 2 + 2) / 5 = 1,4 of 4 → 35.
    assert table.rows[0] == {"unit": "Annanby kommun", "A": "25", "B": "50", "overall": "35"}
    assert list(table.to_pandas().columns) == ["Enhet", "A", "B", "Totalt"]
    english = unit_heatmap_view(latest, BANK, unit_names(latest), "en")[1]
    assert list(english.to_pandas().columns) == ["Unit", "A", "B", "Overall"]
    assert english.rows[0].keys() == table.rows[0].keys()


def test_spread_and_below_target_rows__names_units(three_units):
    latest = latest_per_unit(three_units)
    names = unit_names(latest)
    spreads = spread_rows(spread(latest, BANK), BANK, names, "sv")
    assert spreads.rows[0] == {
        "area": "A Område A", "min": "25", "median": "62", "max": "100", "units": 3,
        "lowest": "Annanby kommun", "highest": "Testby kommun – Hemsjukvård"}
    assert list(spreads.labels.values()) == ["Område", "Lägst", "Median", "Högst", "Enheter",
                                             "Lägst hos", "Högst hos"]
    below = below_target_rows(furthest_below_target(latest, BANK), BANK, names, "sv")
    assert below.rows[0] == {"area": "A Område A", "unit": "Annanby kommun", "level": "1",
                             "target": "3", "gap": "2"}
    assert list(below.labels.values()) == ["Område", "Enhet", "Nivå", "Mål", "Gap (nivåer)"]
    english = below_target_rows(furthest_below_target(latest, BANK), BANK, names, "en")
    assert (english.rows[0]["area"], list(english.labels.values())) == (
        "A Area A", ["Area", "Unit", "Level", "Target", "Gap (levels)"])


def test_national_view__two_series_told_apart_by_shape(survey_rollup):
    chart, rows = national_view(national(survey_rollup, SURVEY), SURVEY, "De tre", "sv")
    spec = chart.to_dict()

    points = next(layer for layer in spec["layer"] if layer.get("name") == "points")
    assert points["encoding"]["shape"]["field"] == "series"
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "square"]
    data = spec["datasets"][points["data"]["name"]]
    assert [(d["series"], d["share"]) for d in data if d["question"] == "F1.1"] == [
        ("De tre", 50.0), ("Riket: andel Ja, planen har påverkat", 72)]
    assert rows.rows[0]["share_answers"] == "50,0 %"
    assert rows.labels["share_answers"] == "Andel positiva svar"


@pytest.mark.parametrize("value,expected", [(1.26, "+1,3"), (-0.5, "−0,5"), (0, "0,0"),
                                            (-0.04, "0,0"), (None, "–")])
def test_signed__sign_decimal_comma_and_no_minus_zero(value, expected):
    assert signed(value, "sv") == expected


def test_value_label__level_name_half_levels_and_specials():
    assert [BANK.scale.value_label(v, "sv") for v in (2, 2.0, 2.5, "unknown", "na", None)] == [
        "2 – Delvis", "2 – Delvis", "2,5", "Vet ej", "Ej aktuellt", "–"]
    national = load_banks().banks["nationell-handlingsplan-2025"].scale  # names its numbers
    assert [national.value_label(v, "en") for v in (3, 1.5)] == ["3 – Established", "1.5"]


# --- the JSON of the command line -----------------------------------------------------------

def test_compare_to_dict__one_unit__shape_order_and_changes(three_years):
    doc = compare_to_dict(three_years, BANK)

    assert list(doc) == ["bank", "assessments", "over_time", "national"]
    assert doc["bank"] == {"id": "test-bank", "version": BANK.version}
    assert doc["assessments"] == [
        {"file": f"{y}.json", "date": f"{y}-03-01", "organisation": "Testby kommun",
         "unit": "Hemtjänst"} for y in (2024, 2025, 2026)]
    [unit] = doc["over_time"]
    assert {k: unit[k] for k in ("organisation", "unit", "name", "files", "dates", "trend")} == {
        "organisation": "Testby kommun", "unit": "Hemtjänst", "name": "Testby kommun – Hemtjänst",
        "files": ["2024.json", "2025.json", "2026.json"],
        "dates": ["2024-03-01", "2025-03-01", "2026-03-01"], "trend": True}
    assert unit["areas"] == [{"id": "A", "scores": [41.6667, 62.5, 62.5], "change": 20.8333},
                             {"id": "B", "scores": [31.25, 62.5, 25.0], "change": -6.25}]
    assert unit["questions"] == [
        {"id": "A.1", "values": [2, 3, 2], "change": 0},
        {"id": "A.2", "values": [2, "unknown", 3], "change": 1},
        {"id": "A.3", "values": [1, 2, "unknown"], "change": None},
        {"id": "B.1", "values": [0.5, "na", 1], "change": 0.5},
        {"id": "B.2", "values": [2, 2.5, None], "change": None},
    ]
    assert doc["national"] is None                      # the test bank has no reference values


# --- the command ------------------------------------------------------------------------------

@pytest.fixture(autouse=False)
def cli_banks(tmp_path, monkeypatch) -> Path:
    """The test bank in a folder of its own (besides the built-in banks)."""
    monkeypatch.delenv(bank_loader.BANK_DIR_ENV, raising=False)
    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "test-bank.yaml").write_text(bank_yaml({"A": 3, "B": 2}, top=4, bank_id="test-bank"),
                                           encoding="utf-8")
    return folder


def write(tmp_path: Path, name: str, made: Assessment) -> str:
    path = tmp_path / name
    path.write_text(made.model_dump_json(), encoding="utf-8")
    return str(path)


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_json__files_in_any_order__sorted_by_date(tmp_path, cli_banks, capsys):
    files = [write(tmp_path, f"{y['date'][:4]}.json", assessment(BANK, **y))
             for y in (Y2026, Y2024, Y2025)]
    code, out, err = run(["compare", *files, "--json", "--bank-dir", str(cli_banks)], capsys)

    assert code == 0, err
    doc = json.loads(out)
    assert list(doc) == ["bank", "assessments", "over_time", "national"]
    assert [a["file"] for a in doc["assessments"]] == [files[1], files[2], files[0]]
    assert [set(a) for a in doc["assessments"]] == [{"file", "date", "organisation", "unit"}] * 3
    [unit] = doc["over_time"]
    assert unit["files"] == [files[1], files[2], files[0]]
    assert unit["areas"][1] == {"id": "B", "scores": [31.25, 62.5, 25.0], "change": -6.25}
    assert unit["questions"][2] == {"id": "A.3", "values": [1, 2, "unknown"], "change": None}


def test_cli_text__areas_table_and_changed_questions(tmp_path, cli_banks, capsys):
    files = [write(tmp_path, f"{y['date'][:4]}.json", assessment(BANK, **y)) for y in (Y2024, Y2026)]
    code, out, err = run(["compare", *files, "--bank-dir", str(cli_banks)], capsys)

    assert code == 0, err
    assert out.splitlines()[:5] == [
        "Över tid, per enhet: 1 enheter", "",
        "Testby kommun – Hemtjänst: 2 självskattningar",
        f"[1] 2024-03-01  ({files[0]})", f"[2] 2026-03-01  ({files[1]})"]
    assert out.splitlines()[6:] == [
        "Område      [1]  [2]  Förändring",
        "A Område A   42   62         +21",
        "B Område B   31   25          −6",  # a real minus sign, as on the page
        "Poäng 0–100 per område; förändring = enhetens sista − första.",
        # A on A.1–A.3, then A.1–A.2 (A.3 Vet ej); B on B.1–B.2, then B.1 (B.2 unanswered)
        "Förändringen jämför inte samma frågor med nivå: A (3 före, 2 efter); B (2 före, 1 efter).",
        "",
        ("Frågor, första till sista: 2 förbättrade, 1 oförändrade, 0 försämrade, "
         "2 kan inte jämföras"),
        "Fråga  [1]     [2]  Förändring",
        "A.2      2       3          +1",
        "A.3      1  Vet ej           –",
        "B.1    0,5       1        +0,5",
        "B.2      2       –           –",
    ]


def test_cli_text__english__the_scale_s_words_for_vet_ej_and_ej_aktuellt(tmp_path, cli_banks, capsys):
    # 2024 → 2025: A.2 2 → Vet ej (×2), B.1 0,5 → Ej aktuellt (×2): written as the tables and
    # the workbook write them (the scale's label, the short N/A), in the language asked for.
    files = [write(tmp_path, f"{y['date'][:4]}.json", assessment(BANK, **y)) for y in (Y2024, Y2025)]
    code, out, err = run(["compare", *files, "--bank-dir", str(cli_banks), "--lang", "en"], capsys)

    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Over time, per unit: 1 units"
    assert lines[6] == "Area      [1]  [2]  Change"
    assert ("Questions, first to last: 3 improved, 0 unchanged, 0 worsened, "
            "2 cannot be compared") in lines
    assert lines[-5:] == [
        "A.1         2           3      +1",
        "A.2         2  Don't know       –",
        "A.3         1           2      +1",
        "B.1       0.5         N/A       –",
        "B.2         2         2.5    +0.5",
    ]


def test_cli_bad_input__one_line_per_problem_naming_the_file__exit_2(tmp_path, cli_banks, capsys):
    good = write(tmp_path, "good.json", assessment(BANK, **Y2024))
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "psa-assessment", ', encoding="utf-8")
    missing = str(tmp_path / "missing.json")
    code, out, err = run(["compare", good, str(broken), missing, "--json",
                          "--bank-dir", str(cli_banks)], capsys)

    assert code == 2 and out == ""
    lines = err.splitlines()
    assert [line.split(":")[0] for line in lines] == [str(broken), missing]
    assert "Traceback" not in err


def test_cli_bad_input__other_bank__named_and_refused(tmp_path, cli_banks, capsys):
    ours = [write(tmp_path, f"{n}.json", assessment(BANK, **y)) for n, y in (("a", Y2024), ("b", Y2025))]
    theirs = write(tmp_path, "survey.json", assessment(SURVEY, date="2025-01-01",
                                                       answers={"F1.1": [1]}))
    code, out, err = run(["compare", *ours, theirs, "--bank-dir", str(cli_banks)], capsys)

    assert code == 2 and out == ""
    assert err.splitlines() == [
        (f"{theirs}: bank: uses bank 'kommunenkat-2023', the others 'test-bank'; assessments "
         "of different banks have different questions and cannot be compared")]


def test_cli_usage__json_and_xlsx_together__exit_2(tmp_path, cli_banks, capsys):
    good = write(tmp_path, "good.json", assessment(BANK, **Y2024))
    code, _, err = run(["compare", good, "--json", "--xlsx", str(tmp_path / "x.xlsx")], capsys)
    assert code == 2 and "not allowed with argument" in err


def test_cli_xlsx__writes_four_sheets__refuses_to_overwrite(tmp_path, cli_banks, capsys):
    files = [write(tmp_path, f"{y['date'][:4]}.json", assessment(BANK, **y))
             for y in (Y2024, Y2025, Y2026)]
    target = tmp_path / "jamforelse.xlsx"
    code, out, err = run(["compare", *files, "--xlsx", str(target), "--bank-dir", str(cli_banks)],
                         capsys)
    assert code == 0, err
    assert out.strip() == f"skrev {target} (3 självskattningar, test-bank)"
    assert load_workbook(target).sheetnames == sheet_names("sv")

    code, _, err = run(["compare", *files, "--xlsx", str(target), "--bank-dir", str(cli_banks)],
                       capsys)
    assert code == 2 and err.strip() == f"{target}: already exists; use --force to overwrite it"


def test_cli_help__documents_the_json_shape(capsys):
    with pytest.raises(SystemExit):
        from assessment.cli import build_parser  # noqa: PLC0415
        build_parser().parse_args(["compare", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert '"assessments": [{"file", "date", "organisation", "unit"}]' in out
    assert ('"over_time": [{"organisation", "unit", "name", "files", "dates", "trend", '
            '"areas": [{"id", "scores", "change"}]') in out
    assert "Over time is per unit" in out and "Example:" in out


# --- the workbook -----------------------------------------------------------------------------

def block(ws, heading: str, count: int) -> list[list]:
    """The ``count`` rows below the row whose first cell is ``heading`` (the header first),
    each up to its last filled cell."""
    at = next(row[0].row for row in ws.iter_rows() if row[0].value == heading)
    rows = []
    for row in ws.iter_rows(min_row=at + 1, max_row=at + count):
        values = [c.value for c in row]
        while values and values[-1] is None:
            values.pop()
        rows.append(values)
    return rows


def test_workbook__over_time_and_units_sheets_hold_the_numbers(three_units):
    wb = load_workbook(io.BytesIO(compare_workbook(three_units, BANK, "sv",
                                                   exported_at=dt.datetime(2026, 4, 1))))
    assert wb.sheetnames == ["Självskattningar", "Över tid", "Mellan enheter", "Mot riket"]

    listed = [[c.value for c in row] for row in wb["Självskattningar"].iter_rows(min_row=2)]
    assert [(r[0], r[2], r[3]) for r in listed][:2] == [(1, "Annanby kommun", None),
                                                        (2, "Testby kommun", "Hemtjänst")]
    # Deltagare: one per value column of each assessment's answers (2024 and 2025: two).
    assert [(str(r[1])[:10], r[6]) for r in listed] == [
        ("2023-06-01", 1), ("2024-03-01", 2), ("2025-03-01", 2), ("2025-06-01", 1),
        ("2026-02-01", 1), ("2026-03-01", 1)]
    assert wb["Självskattningar"].cell(1, 7).value == "Deltagare"
    over = wb["Över tid"]
    # One block per unit, the unit named; never one series across units (which would put
    # Annanby 2023, Hemtjänst 2024, … Hemtjänst 2026 in one row).
    header, a_row, b_row = block(over, "Testby kommun – Hemtjänst: 3 självskattningar", 3)
    assert header == ["Område", "Områdets namn", "2024-03-01", "2025-03-01", "2026-03-01",
                      "Förändring (poäng)", "Bedömning"]
    assert a_row[2:6] == pytest.approx([125 / 3, 62.5, 62.5, 62.5 - 125 / 3])
    # B on B.1 and B.2 (2024), on B.1 alone (2026): the verdict says the bases differ
    assert b_row[2:] == [31.25, 62.5, 25, -6.25,
                         "↓ försämrat (inte samma frågor med nivå: 2 före, 1 efter)"]
    # Annanby 2023: A.1 0 → A 0, B unanswered; 2025: A 1 → 25, B 2 → 50.
    header, a_row, b_row = block(over, "Annanby kommun: 2 självskattningar", 3)
    assert header[2:4] == ["2023-06-01", "2025-06-01"]
    # A on A.1 alone in 2023, on A.1–A.3 in 2025
    assert a_row[2:] == [0, 25, 25, "↑ förbättrat (inte samma frågor med nivå: 1 före, 3 efter)"]
    assert b_row[2:] == [None, 50, None, "kan inte jämföras"]
    header, a_row, b_row = block(
        over, "Testby kommun – Hemsjukvård: en självskattning (2026-02-01) – ingen trend. "
              "Utvecklingen visas när enheten har minst två självskattningar.", 3)
    assert (header, a_row, b_row) == (["Område", "Områdets namn", "2026-02-01"],
                                      ["A", "Område A", 100], ["B", "Område B", 0])

    units_sheet = wb["Mellan enheter"]
    rows = [[c.value for c in row] for row in units_sheet.iter_rows(min_row=5, max_row=7)]
    assert [(r[0], r[2], r[3]) for r in rows] == [("Annanby kommun", 25, 50),
                                                  ("Testby kommun – Hemsjukvård", 100, 0),
                                                  ("Testby kommun – Hemtjänst", 62.5, 25)]
    assert "inga jämförelsevärden" in wb["Mot riket"]["A2"].value


def test_workbook__national_sheet__shares_and_points(survey_rollup):
    wb = load_workbook(io.BytesIO(compare_workbook(survey_rollup, SURVEY, "sv")))
    ws = wb["Mot riket"]
    header = [c.value for c in ws[4]]
    first = dict(zip(header, [c.value for c in ws[5]]))

    assert first["Fråga (id)"] == "F1.1"
    assert (first["Andel positiva svar"], first["Skillnad mot riket (pe)"]) == (0.5, -22)
    assert first["Skillnad mot riket, organisationer (pe)"] == pytest.approx(-5.3333, abs=1e-3)
    assert (first["Riket: andel Ja (planen har påverkat)"], first["Riket: förändring (pe)"]) == (
        0.72, 6)
    assert (first["Alby"], first["Bby"], first["Cby"]) == ("Ja, till vissa delar", "Vet inte",
                                                          "Ja, till vissa delar")


def test_workbook__user_text_never_a_formula():
    evil = snapshot("=HYPERLINK(\"x\")", assessment(BANK, name="=1+1", unit="@SUM(A1)",
                                                     date="2026-01-01", answers={"A.1": [2]}), BANK)
    wb = load_workbook(io.BytesIO(compare_workbook([evil], BANK, "sv")))
    row = [c for c in wb["Självskattningar"][2]]
    assert [(c.value, c.data_type) for c in row[2:5]] == [
        ("=1+1", "s"), ("@SUM(A1)", "s"), ('=HYPERLINK("x")', "s")]


def test_workbook__sources__name_where_each_came_from(three_years):
    wb = load_workbook(io.BytesIO(compare_workbook(three_years, BANK, "en",
                                                   sources={"2025.json": "uploaded.json"})))
    listed = [[c.value for c in row] for row in wb["Assessments"].iter_rows(min_row=2)]
    assert [r[4] for r in listed] == ["2024.json", "uploaded.json", "2026.json"]


# --- follow-up never mixes units --------------------------------------------------------------
#
# Two units of Testby kommun, two dates each, one participant answering every question:
#
#     unit               date         A.1–A.3  B.1–B.2   A (0–100)  B (0–100)
#     Hemsjukvården      2025-03-01   3        2         75         50
#     Korttidsboendet    2025-09-01   1        0         25          0
#     Hemsjukvården      2026-03-01   2        3         50         75
#     Korttidsboendet    2026-09-01   2        1         50         25
#
# Per unit: Hemsjukvården A 75 → 50 = −25, B 50 → 75 = +25; Korttidsboendet A 25 → 50 =
# +25, B 0 → 25 = +25. One series of all four by date would give A 75 → 50 = −25 and
# B 50 → 25 = −25 (“worsened”), which is no unit's change. Annanby kommun has one
# assessment (A 4 → 100, B.1 2 → B 50): no trend.

def unit_assessment(unit: str, date: str, a: int, b: int | None, name: str = "Testby kommun"):
    answers = {q: [a] for q in ("A.1", "A.2", "A.3")}
    if b is not None:
        answers.update({"B.1": [b], "B.2": [b]})
    return assessment(BANK, name=name, unit=unit, date=date, answers=answers)


TWO_UNITS = [("hsv-2025", "Hemsjukvården", "2025-03-01", 3, 2),
             ("kort-2025", "Korttidsboendet", "2025-09-01", 1, 0),
             ("hsv-2026", "Hemsjukvården", "2026-03-01", 2, 3),
             ("kort-2026", "Korttidsboendet", "2026-09-01", 2, 1)]


@pytest.fixture
def two_units():
    snaps = [snapshot(key, unit_assessment(unit, date, a, b), BANK)
             for key, unit, date, a, b in TWO_UNITS]
    annanby = snapshot("annanby", assessment(BANK, name="Annanby kommun", unit="",
                                             date="2026-01-01",
                                             answers={"A.1": [4], "A.2": [4], "A.3": [4],
                                                      "B.1": [2]}), BANK)
    return [*snaps, annanby]


def test_timelines__two_units__each_its_own_change__none_across_units(two_units):
    per_unit = {u.name: u for u in timelines(two_units, BANK)}

    assert list(per_unit) == ["Testby kommun – Hemsjukvården", "Testby kommun – Korttidsboendet",
                              "Annanby kommun"]
    hsv, kort, annanby = per_unit.values()
    assert [s.key for s in hsv.line.snapshots] == ["hsv-2025", "hsv-2026"]
    assert [(a.scores, a.change) for a in hsv.line.areas] == [([75, 50], -25), ([50, 75], 25)]
    assert [(a.scores, a.change) for a in kort.line.areas] == [([25, 50], 25), ([0, 25], 25)]
    assert {q.id: q.change for q in hsv.line.questions} == {
        "A.1": -1, "A.2": -1, "A.3": -1, "B.1": 1, "B.2": 1}
    # One assessment: no trend, no change (not 0).
    assert not annanby.has_trend and hsv.has_trend
    assert [(a.scores, a.change) for a in annanby.line.areas] == [([100], None), ([50], None)]
    assert {q.change for q in annanby.line.questions} == {None}


def test_compare_to_dict__two_units__one_series_each__single_unit_has_no_trend(two_units):
    doc = compare_to_dict(two_units, BANK)

    assert [a["file"] for a in doc["assessments"]] == [
        "hsv-2025", "kort-2025", "annanby", "hsv-2026", "kort-2026"]
    hsv, kort, annanby = doc["over_time"]
    assert (hsv["name"], hsv["files"], hsv["dates"], hsv["trend"]) == (
        "Testby kommun – Hemsjukvården", ["hsv-2025", "hsv-2026"], ["2025-03-01", "2026-03-01"],
        True)
    assert hsv["areas"] == [{"id": "A", "scores": [75.0, 50.0], "change": -25.0},
                            {"id": "B", "scores": [50.0, 75.0], "change": 25.0}]
    assert (kort["organisation"], kort["unit"], kort["files"]) == (
        "Testby kommun", "Korttidsboendet", ["kort-2025", "kort-2026"])
    assert kort["areas"] == [{"id": "A", "scores": [25.0, 50.0], "change": 25.0},
                             {"id": "B", "scores": [0.0, 25.0], "change": 25.0}]
    assert kort["questions"][0] == {"id": "A.1", "values": [1, 2], "change": 1}
    assert (annanby["files"], annanby["trend"]) == (["annanby"], False)
    assert annanby["areas"] == [{"id": "A", "scores": [100.0], "change": None},
                                {"id": "B", "scores": [50.0], "change": None}]
    assert annanby["questions"][3] == {"id": "B.1", "values": [2], "change": None}
    # No series holds two units' files.
    assert all(len({f.split("-")[0] for f in u["files"]}) == 1 for u in doc["over_time"])


def write_two_units(tmp_path) -> list[str]:
    files = [write(tmp_path, f"{key}.json", unit_assessment(unit, date, a, b))
             for key, unit, date, a, b in TWO_UNITS]
    files.append(write(tmp_path, "annanby.json", assessment(
        BANK, name="Annanby kommun", unit="", date="2026-01-01",
        answers={"A.1": [4], "A.2": [4], "A.3": [4], "B.1": [2]})))
    return files


def test_cli_json__two_units__each_units_own_change(tmp_path, cli_banks, capsys):
    files = write_two_units(tmp_path)
    code, out, err = run(["compare", *reversed(files), "--json", "--bank-dir", str(cli_banks)],
                         capsys)

    assert code == 0, err
    changes = {u["name"]: [a["change"] for a in u["areas"]] for u in json.loads(out)["over_time"]}
    assert changes == {"Testby kommun – Hemsjukvården": [-25.0, 25.0],
                       "Testby kommun – Korttidsboendet": [25.0, 25.0],
                       "Annanby kommun": [None, None]}


def test_cli_text__two_units__a_block_each__single_unit_says_no_trend(tmp_path, cli_banks, capsys):
    files = write_two_units(tmp_path)
    hsv_2025, kort_2025, hsv_2026, kort_2026, annanby = files
    code, out, err = run(["compare", *files, "--bank-dir", str(cli_banks)], capsys)

    assert code == 0, err
    assert out.splitlines() == [
        "Över tid, per enhet: 3 enheter",
        "",
        "Testby kommun – Hemsjukvården: 2 självskattningar",
        f"[1] 2025-03-01  ({hsv_2025})",
        f"[2] 2026-03-01  ({hsv_2026})",
        "",
        "Område      [1]  [2]  Förändring",
        "A Område A   75   50         −25",
        "B Område B   50   75         +25",
        "Poäng 0–100 per område; förändring = enhetens sista − första.",
        "",
        "Frågor, första till sista: 2 förbättrade, 0 oförändrade, 3 försämrade, 0 kan inte jämföras",
        "Fråga  [1]  [2]  Förändring",
        "A.1      3    2          -1",
        "A.2      3    2          -1",
        "A.3      3    2          -1",
        "B.1      2    3          +1",
        "B.2      2    3          +1",
        "",
        "Testby kommun – Korttidsboendet: 2 självskattningar",
        f"[1] 2025-09-01  ({kort_2025})",
        f"[2] 2026-09-01  ({kort_2026})",
        "",
        "Område      [1]  [2]  Förändring",
        "A Område A   25   50         +25",
        "B Område B    0   25         +25",
        "Poäng 0–100 per område; förändring = enhetens sista − första.",
        "",
        "Frågor, första till sista: 5 förbättrade, 0 oförändrade, 0 försämrade, 0 kan inte jämföras",
        "Fråga  [1]  [2]  Förändring",
        "A.1      1    2          +1",
        "A.2      1    2          +1",
        "A.3      1    2          +1",
        "B.1      0    1          +1",
        "B.2      0    1          +1",
        "",
        ("Annanby kommun: en självskattning – ingen trend. Utvecklingen visas när enheten har "
         "minst två självskattningar."),
        f"[1] 2026-01-01  ({annanby})",
        "",
        "Område      [1]",
        "A Område A  100",
        "B Område B   50",
    ]


def test_workbook__two_units__a_block_per_unit_with_its_own_change(two_units):
    wb = load_workbook(io.BytesIO(compare_workbook(two_units, BANK, "sv")))
    over = wb["Över tid"]

    header, a_row, b_row = block(over, "Testby kommun – Hemsjukvården: 2 självskattningar", 3)
    assert header[2:] == ["2025-03-01", "2026-03-01", "Förändring (poäng)", "Bedömning"]
    assert (a_row[2:], b_row[2:]) == ([75, 50, -25, "↓ försämrat"], [50, 75, 25, "↑ förbättrat"])
    header, a_row, b_row = block(over, "Testby kommun – Korttidsboendet: 2 självskattningar", 3)
    assert header[2:4] == ["2025-09-01", "2026-09-01"]
    assert (a_row[2:], b_row[2:]) == ([25, 50, 25, "↑ förbättrat"], [0, 25, 25, "↑ förbättrat"])
    questions = block(over, "Per fråga", 6)      # the first unit's questions
    assert [r[0] for r in questions] == ["Fråga (id)", "A.1", "A.2", "A.3", "B.1", "B.2"]
    assert [r[2:] for r in questions[1:]] == [[3, 2, -1, "↓ försämrat"]] * 3 + [
        [2, 3, 1, "↑ förbättrat"]] * 2
    _, a_row, b_row = block(
        over, "Annanby kommun: en självskattning (2026-01-01) – ingen trend. Utvecklingen visas "
              "när enheten har minst två självskattningar.", 3)
    assert (a_row, b_row) == (["A", "Område A", 100], ["B", "Område B", 50])
    # No header anywhere holds dates of two units.
    headers = [[c.value for c in row] for row in over.iter_rows() if row[0].value == "Område"]
    assert [h[2:4] for h in headers] == [["2025-03-01", "2026-03-01"],
                                         ["2025-09-01", "2026-09-01"], ["2026-01-01", None]]


# --- the previous assessment: one rule with the follow-up series ----------------------------

@dataclass(frozen=True)
class Saved:
    """The fields of ``assessment.storage.AssessmentSummary`` that the rule reads."""

    id: str
    org_name: str
    unit: str
    date: dt.date
    bank_id: str = "x"
    bank_version: str = "1"


SAVED = [
    Saved("a", "Testby kommun", "Hemtjänst", dt.date(2024, 3, 1)),
    Saved("b", " testby KOMMUN ", "hemtjänst ", dt.date(2025, 3, 1)),     # the same unit
    Saved("c", "Testby kommun", "Hemsjukvård", dt.date(2025, 6, 1)),      # another unit
    Saved("d", "Testby kommun", "Hemtjänst", dt.date(2025, 9, 1), bank_version="2"),
    Saved("e", "Testby kommun", "Hemtjänst", dt.date(2026, 3, 1)),
    Saved("f", "Testby kommun", "Hemtjänst", dt.date(2026, 2, 1), bank_id="y"),
    Saved("g", "Testby kommun", "Hemtjänst", dt.date(2026, 3, 1)),        # e's date: after e (id)
]


def test_previous_of__same_unit_bank_and_version__the_one_right_before():
    previous = {s.id: getattr(previous_of(SAVED, s.id), "id", None) for s in SAVED}

    # e: not c (another unit, 2025-06-01), d (version 2, 2025-09-01) or f (bank y, 2026-02-01).
    assert previous == {"a": None, "b": "a", "c": None, "d": None, "e": "b", "f": None, "g": "e"}
    assert previous_of(SAVED, "missing") is None


def test_previous__the_jamfor_series_and_the_resultat_page_agree(three_years):
    snaps = [*three_years, snapshot("x", assessment(BANK, **Y2025, unit="Hemsjukvård"), BANK)]
    series = units(snaps)[("testby kommun", "hemtjänst")]

    assert [s.key for s in series] == ["2024.json", "2025.json", "2026.json"]
    assert [getattr(previous(snaps, s.key), "key", None) for s in series] == [
        None, "2024.json", "2025.json"]
    as_saved = [Saved(s.key, s.organisation, s.unit, s.date, s.bank_id, s.bank_version)
                for s in snaps]
    assert [getattr(previous_of(as_saved, s.key), "id", None) for s in series] == [
        None, "2024.json", "2025.json"]
    assert previous(snaps, "x") is None


# --- a file of an earlier version of the survey bank -----------------------------------------

def test_cli__survey_file_of_version_1__says_it_cannot_be_scored_or_compared(tmp_path, capsys,
                                                                               monkeypatch):
    monkeypatch.delenv(bank_loader.BANK_DIR_ENV, raising=False)
    assert SURVEY.version == "2"
    new = write(tmp_path, "2025.json", assessment(SURVEY, name="Alby", unit="", date="2025-05-01",
                                                  answers={"F1.1": [1]}))
    doc = json.loads(Path(new).read_text(encoding="utf-8"))
    doc["bank"]["version"] = "1"
    old = tmp_path / "2024.json"
    old.write_text(json.dumps(doc), encoding="utf-8")

    code, out, err = run(["compare", str(old), new], capsys)

    assert code == 2 and out == ""
    assert err.splitlines() == [
        (f"{old}: bank.version: was made with version '1' of bank 'kommunenkat-2023', but "
         "version '2' is installed; its answers were given to that version's questions, which "
         "may ask something else, so it cannot be scored or compared – answer the installed "
         "version in a new assessment")]


def test_split_comparable__saved_survey_of_version_1__left_out_with_the_reason():
    choice = split_comparable([("old", SURVEY.id, "1"), ("new", SURVEY.id, SURVEY.version)],
                              {SURVEY.id: SURVEY.version})
    assert choice.included == ["new"]
    [left_out] = choice.excluded
    assert (left_out.key, left_out.reason, left_out.version, left_out.expected_version) == (
        "old", INSTALLED_VERSION, "1", "2")


# --- the national figure is labelled for what it is ------------------------------------------

LABEL_SV = ("Andel kommuner i riket som svarade att den nationella handlingsplanen har påverkat "
            "detta (Ja, till stor del eller Ja, till vissa delar), 2023, n = 211")


def write_survey_rollup(tmp_path) -> list[str]:
    return [write(tmp_path, f"{name}.json", assessment(SURVEY, name=name, unit="",
                                                       date="2025-05-01", answers=answers))
            for name, answers in (("Alby", ALBY), ("Bby", BBY), ("Cby", CBY))]


def test_cli_json__survey__national_block_labelled_with_the_seed_figures(tmp_path, capsys,
                                                                        monkeypatch):
    monkeypatch.delenv(bank_loader.BANK_DIR_ENV, raising=False)
    files = write_survey_rollup(tmp_path)
    code, out, err = run(["compare", *files, "--json"], capsys)

    assert code == 0, err
    block_ = json.loads(out)["national"]
    assert block_["label"] == LABEL_SV
    assert block_["files"] == files
    f11 = block_["questions"][0]
    # F1.1 (see test_national__rollup…): 3 of 6 answers = 50 %, −22 pe; organisations 2 of 3.
    assert f11 == {"id": "F1.1", "reference": {"share_positive": 72, "change": 6, "n": 211,
                                               "year": 2023},
                   "share_positive": 0.5, "difference": -22.0, "organisations_share": 0.6667,
                   "organisations_difference": -5.3333, "answers": 6}
    assert [q["reference"]["share_positive"] for q in block_["questions"][:5]] == [72, 73, 44, 66, 63]


def test_cli_text__survey__national_figure_named_and_the_difference(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(bank_loader.BANK_DIR_ENV, raising=False)
    files = write_survey_rollup(tmp_path)
    code, out, err = run(["compare", *files], capsys)

    assert code == 0, err
    lines = out.splitlines()
    at = lines.index("Mot riket (den senaste självskattningen av var och en av 3 enheter)")
    assert lines[at + 1:at + 6] == [
        f"Riket: {LABEL_SV}",
        "",
        "Fråga  Andel Ja, era svar  Riket  Skillnad (pe)",
        "F1.1                 50 %   72 %            −22",
        "F1.2                 50 %   73 %            −23",
    ]
    code, out, _ = run(["compare", *files, "--lang", "en"], capsys)
    assert ("Country: Share of municipalities in the country that answered that the national "
            "action plan has influenced this (Yes, to a large extent or Yes, to some extent), "
            "2023, n = 211") in out.splitlines()


def test_workbook__survey__national_note_names_the_figure(survey_rollup):
    wb = load_workbook(io.BytesIO(compare_workbook(survey_rollup, SURVEY, "sv")))
    assert wb["Mot riket"]["A2"].value.startswith(f"Riket: {LABEL_SV}. Den senaste")


def test_unit_label__organisation_and_unit__or_the_organisation_alone():
    from assessment.document import Organisation, unit_label

    assert unit_label("Testby kommun", " Hemtjänst ") == "Testby kommun – Hemtjänst"
    assert unit_label("Testby kommun", "  ") == "Testby kommun"
    assert Organisation(name="Testby kommun", kind="kommun").label == "Testby kommun"
    assert Organisation(name="Testby kommun", kind="kommun", unit="SÄBO").label == "Testby kommun – SÄBO"


def test_compare_charts__every_tooltip_titled_in_english_too(three_years, three_units, survey_rollup):
    from tests.test_charts import tooltips

    ordered = by_date(three_years)
    latest = latest_per_unit(three_units)
    specs = [trend_view(timeline(ordered, BANK), BANK, date_names(ordered), "en")[0],
             radar_time_view(list(reversed(ordered)), BANK, date_names(ordered), "en")[0],
             unit_heatmap_view(latest, BANK, unit_names(latest), "en")[0],
             national_view(national(survey_rollup, SURVEY), SURVEY, "The three", "en")[0]]
    found = [t for chart in specs for t in tooltips(chart.to_dict())]

    assert found and all(t.get("title") for t in found), [t for t in found if not t.get("title")]
    assert not [t for t in found if "format" in t]
    assert {"Area", "Date", "Unit", "Question", "Series"} <= {t["title"] for t in found}
