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
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assessment import bank_loader
from assessment.bank_loader import load_banks
from assessment.cli import main
from assessment.document import Assessment, check_against_bank
from assessment.excel.compare_export import compare_workbook, sheet_names
from benchmarks.generate import make_assessment as generated
from charts.compare import (
    below_target_rows,
    level_text,
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
    radar_dates,
    snapshot,
    split_comparable,
    spread,
    step,
    steps,
    timeline,
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
CBY = {"F1.1": [1, 1, 0], "F1.2": ["unknown", 2, 2]}                     # 1; 2


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
    # F1.2 answers: Alby 0, 0; Bby 1; Cby Vet inte, 2, 2 → 3 of 6; organisations Bby, Cby → 2 of 3.
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
    rows = {r["Fråga"]: r for r in national_rollup_rows(national(survey_rollup, SURVEY), SURVEY, "sv")}

    assert {k: rows["F1.1"][k] for k in ("Andel positiva svar", "Skillnad mot riket (pe)",
                                         "Organisationer med Ja",
                                         "Skillnad mot riket, organisationer (pe)",
                                         "Riket: andel Ja", "Riket: förändring (pe)",
                                         "Antal svar")} == {
        "Andel positiva svar": "50,0 %", "Skillnad mot riket (pe)": "−22,0",
        "Organisationer med Ja": "66,7 %", "Skillnad mot riket, organisationer (pe)": "−5,3",
        "Riket: andel Ja": "72 %", "Riket: förändring (pe)": "+6", "Antal svar": 6}
    single = {r["Fråga"]: r["Ert svar"]
              for r in national_single_rows(national(survey_rollup, SURVEY), SURVEY, "sv", 2)}
    assert (single["F1.1"], single["F1.2"], single["F2.1"]) == (
        "1 – Ja, till vissa delar", "2 – Ja, till stor del", "–")


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
    assert table[1] == {"Område": "B Område B", "2024-03-01": "31", "2025-03-01": "62",
                        "2026-03-01": "25", "Förändring, första till sista (poäng)": "−6"}


def test_radar_time_view__up_to_four_dates__styled_series(three_years):
    newest_first = list(reversed(by_date(three_years)))
    chart, table = radar_time_view(newest_first, BANK, date_names(three_years), "sv")
    spec = chart.to_dict()

    polygon = next(layer for layer in spec["layer"] if layer.get("name") == "polygons")
    rows = polygon["data"]["values"] if "values" in polygon.get("data", {}) else \
        spec["datasets"][polygon["data"]["name"]]
    assert sorted({(r["key"], r["series"]) for r in rows}) == [
        ("current", "2026-03-01"), ("extra1", "2024-03-01"), ("previous", "2025-03-01")]
    assert table[0] == {"Område": "A Område A", "2026-03-01": "2,5", "2025-03-01": "2,5",
                        "2024-03-01": "1,7"}


def test_step_tables__levels_verdicts_and_actions_in_words(three_years):
    ordered = by_date(three_years)
    first = step(ordered[0], ordered[1], BANK)
    labels = date_names(ordered)

    area_rows = step_area_rows(first, BANK, labels, "sv")
    assert area_rows[1] == {
        "Område": "B Område B", "Nivå 2024-03-01": "1,25", "Nivå 2025-03-01": "2,5",
        "Förändring (nivåer)": "+1,25", "Förändring (poäng)": "+31", "Bedömning": "↑ förbättrat",
        "Åtgärder mellan datumen": ""}
    rows = {r["Fråga"]: r for r in step_question_rows(first, BANK, labels, "sv")}
    assert (rows["A.2"]["Svar 2024-03-01"], rows["A.2"]["Svar 2025-03-01"],
            rows["A.2"]["Förändring (nivåer)"], rows["A.2"]["Bedömning"]) == (
        "2 – Delvis", "Vet ej", "–", "kan inte jämföras")
    assert rows["B.2"]["Svar 2025-03-01"] == "2,5" and rows["B.2"]["Bedömning"] == "↑ förbättrat"
    second = step(ordered[1], ordered[2], BANK)
    assert [r["Question"] for r in step_question_rows(second, BANK, labels, "en", only_changed=True)] == [
        "A.1", "A.2", "A.3", "B.1", "B.2"]
    assert step_area_rows(second, BANK, labels, "en")[0]["Verdict"] == "= unchanged"


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
    assert table[0] == {"Enhet": "Annanby kommun", "A": "25", "B": "50", "Totalt": "38"}


def test_spread_and_below_target_rows__names_units(three_units):
    latest = latest_per_unit(three_units)
    names = unit_names(latest)
    assert spread_rows(spread(latest, BANK), BANK, names, "sv")[0] == {
        "Område": "A Område A", "Lägst": "25", "Median": "62", "Högst": "100", "Enheter": 3,
        "Lägst hos": "Annanby kommun", "Högst hos": "Testby kommun – Hemsjukvård"}
    assert below_target_rows(furthest_below_target(latest, BANK), BANK, names, "sv")[0] == {
        "Område": "A Område A", "Enhet": "Annanby kommun", "Nivå": "1", "Mål": "3",
        "Gap (nivåer)": "2"}


def test_national_view__two_series_told_apart_by_shape(survey_rollup):
    chart, rows = national_view(national(survey_rollup, SURVEY), SURVEY, "De tre", "sv")
    spec = chart.to_dict()

    points = next(layer for layer in spec["layer"] if layer.get("name") == "points")
    assert points["encoding"]["shape"]["field"] == "series"
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "square"]
    data = spec["datasets"][points["data"]["name"]]
    assert [(d["series"], d["share"]) for d in data if d["question"] == "F1.1"] == [
        ("De tre", 50.0), ("Riket", 72)]
    assert rows[0]["Andel positiva svar"] == "50,0 %"


@pytest.mark.parametrize("value,expected", [(1.26, "+1,3"), (-0.5, "−0,5"), (0, "0,0"),
                                            (-0.04, "0,0"), (None, "–")])
def test_signed__sign_decimal_comma_and_no_minus_zero(value, expected):
    assert signed(value, "sv") == expected


def test_level_text__level_name_half_levels_and_specials():
    assert [level_text(BANK, v, "sv") for v in (2, 2.0, 2.5, "unknown", "na", None)] == [
        "2 – Delvis", "2 – Delvis", "2,5", "Vet ej", "Ej aktuellt", "–"]


# --- the JSON of the command line -----------------------------------------------------------

def test_compare_to_dict__shape_order_and_changes(three_years):
    doc = compare_to_dict(three_years, BANK)

    assert doc["assessments"] == [
        {"file": f"{y}.json", "date": f"{y}-03-01", "organisation": "Testby kommun",
         "unit": "Hemtjänst"} for y in (2024, 2025, 2026)]
    assert doc["areas"] == [{"id": "A", "scores": [41.6667, 62.5, 62.5], "change": 20.8333},
                            {"id": "B", "scores": [31.25, 62.5, 25.0], "change": -6.25}]
    assert doc["questions"] == [
        {"id": "A.1", "values": [2, 3, 2], "change": 0},
        {"id": "A.2", "values": [2, "unknown", 3], "change": 1},
        {"id": "A.3", "values": [1, 2, "unknown"], "change": None},
        {"id": "B.1", "values": [0.5, "na", 1], "change": 0.5},
        {"id": "B.2", "values": [2, 2.5, None], "change": None},
    ]


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
    assert list(doc) == ["assessments", "areas", "questions"]
    assert [a["file"] for a in doc["assessments"]] == [files[1], files[2], files[0]]
    assert [set(a) for a in doc["assessments"]] == [{"file", "date", "organisation", "unit"}] * 3
    assert doc["areas"][1] == {"id": "B", "scores": [31.25, 62.5, 25.0], "change": -6.25}
    assert doc["questions"][2] == {"id": "A.3", "values": [1, 2, "unknown"], "change": None}


def test_cli_text__areas_table_and_changed_questions(tmp_path, cli_banks, capsys):
    files = [write(tmp_path, f"{y['date'][:4]}.json", assessment(BANK, **y)) for y in (Y2024, Y2026)]
    code, out, err = run(["compare", *files, "--bank-dir", str(cli_banks)], capsys)

    assert code == 0, err
    assert out.splitlines()[3:] == [
        "Område      [1]  [2]  Förändring",
        "A Område A   42   62         +21",
        "B Område B   31   25          -6",
        "Poäng 0–100 per område; förändring = sista − första.",
        "",
        ("Frågor, första till sista: 2 förbättrade, 1 oförändrade, 0 försämrade, "
         "2 kan inte jämföras"),
        "Fråga  [1]     [2]  Förändring",
        "A.2      2       3          +1",
        "A.3      1  Vet ej           –",
        "B.1    0,5       1        +0,5",
        "B.2      2       –           –",
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
    out = capsys.readouterr().out
    assert '"assessments": [{"file", "date", "organisation", "unit"}]' in out
    assert "Example:" in out


# --- the workbook -----------------------------------------------------------------------------

def test_workbook__over_time_and_units_sheets_hold_the_numbers(three_units):
    wb = load_workbook(io.BytesIO(compare_workbook(three_units, BANK, "sv",
                                                   exported_at=dt.datetime(2026, 4, 1))))
    assert wb.sheetnames == ["Självskattningar", "Över tid", "Mellan enheter", "Mot riket"]

    listed = [[c.value for c in row] for row in wb["Självskattningar"].iter_rows(min_row=2)]
    assert [(r[0], r[2], r[3]) for r in listed][:2] == [(1, "Annanby kommun", None),
                                                        (2, "Testby kommun", "Hemtjänst")]
    over = wb["Över tid"]
    header = [c.value for c in over[4]]
    assert header[:2] == ["Område", "Områdets namn"]
    assert header[-2:] == ["Förändring (poäng)", "Bedömning"]
    b_row = [c.value for c in over[6]]
    # B by date: Annanby 2023 (A.1 only, B none), Hemtjänst 2024 31,25, Hemtjänst 2025 62,5,
    # Annanby 2025 50, Hemsjukvård 2026 0, Hemtjänst 2026 25; first has no B score → no change.
    assert b_row[2:8] == [None, 31.25, 62.5, 50, 0, 25] and b_row[8] is None

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
    assert (first["Riket: andel Ja"], first["Riket: förändring (pe)"]) == (0.72, 6)
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
