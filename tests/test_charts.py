"""The chart builders in ``charts/``, checked through ``chart.to_dict()`` (the Vega-Lite spec
the browser draws), and the PNG/SVG export. No Streamlit involved.

Radar geometry: area ``i`` of ``n`` sits on a spoke ``360° × i / n`` clockwise from straight
up, so a level ``v`` is drawn at ``x = v·sin(angle)``, ``y = v·cos(angle)``.
"""

from __future__ import annotations

import pytest

from charts.bars import labelled_bars
from charts.export import chart_png, chart_svg
from charts.heatmap import heatmap_chart, heatmap_rows
from charts.radar import Series, radar_chart
from charts.style import SERIES_STYLE
from charts.table import Table
from charts.views import (area_table, distribution_view, heatmap_view, impact_view, radar_view,
                          time_view)
from scoring.score import score_assessment
from assessment.bank_loader import load_banks
from tests.helpers import make_assessment, make_bank

RINGS = ["0 – Saknas", "1 – Påbörjat", "2 – Delvis", "3 – Etablerat", "4 – Integrerat"]
FOUR = [("A", "Ledning"), ("B", "Kultur"), ("C", "Kunskap"), ("D", "Patienten")]


def layer(spec: dict, name: str) -> dict:
    for item in spec["layer"]:
        if item.get("name") == name:
            return item
    raise AssertionError(f"no layer {name!r} in {[i.get('name') for i in spec['layer']]}")


def rows(spec: dict, item: dict) -> list[dict]:
    data = item.get("data") or spec["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def points(spec: dict, series_key: str) -> list[tuple[str, float, float, float]]:
    """(area, value, x, y) of one series' polygon, in drawing order."""
    return [(r["area"], r["value"], r["x"], r["y"])
            for r in sorted((r for r in rows(spec, layer(spec, "polygons")) if r["key"] == series_key),
                            key=lambda r: r["order"])]


def mark_of(item: dict) -> str:
    return item["mark"]["type"] if isinstance(item["mark"], dict) else item["mark"]


# --- radar ---------------------------------------------------------------------------------

def test_radar__four_areas__points_on_the_spokes_at_their_level():
    chart = radar_chart(FOUR, [Series("current", "Nuläge", {"A": 2, "B": 4, "C": 3, "D": 1})], RINGS)
    got = points(chart.to_dict(), "current")

    # A straight up, B to the right, C down, D to the left; the polygon closes on A.
    expected = [("A", 2, 0, 2), ("B", 4, 4, 0), ("C", 3, 0, -3), ("D", 1, -1, 0), ("A", 2, 0, 2)]
    assert [(a, v) for a, v, _, _ in got] == [(a, v) for a, v, _, _ in expected]
    for (_, _, x, y), (_, _, ex, ey) in zip(got, expected):
        assert (x, y) == (pytest.approx(ex, abs=1e-9), pytest.approx(ey, abs=1e-9))


def test_radar__six_areas__point_at_sixty_degrees():
    areas = [(f"F{i}", f"Område {i}") for i in range(1, 7)]
    chart = radar_chart(areas, [Series("current", "Nuläge", {a: 3 for a, _ in areas})], RINGS)

    f2 = next(p for p in points(chart.to_dict(), "current") if p[0] == "F2")
    # 60° clockwise from up: x = 3·sin 60° = 2,598…, y = 3·cos 60° = 1,5
    assert (f2[2], f2[3]) == (pytest.approx(2.5980762), pytest.approx(1.5))


def test_radar__area_without_value__left_out_of_that_series_only():
    chart = radar_chart(FOUR, [
        Series("current", "Nuläge", {"A": 2, "B": None, "C": 3, "D": 1}),
        Series("target", "Mål", {"A": 3, "B": 3, "C": 3, "D": 3}),
    ], RINGS)
    spec = chart.to_dict()

    assert [a for a, *_ in points(spec, "current")] == ["A", "C", "D", "A"]   # never drawn as 0
    assert [a for a, *_ in points(spec, "target")] == ["A", "B", "C", "D", "A"]


def test_radar__series__legend_labels_with_colour_dash_and_shape_each():
    series = [Series("current", "Nuläge", {"A": 1}), Series("target", "Mål", {"A": 3}),
              Series("previous", "Föregående (2025-03-01)", {"A": 2})]
    spec = radar_chart(FOUR, series, RINGS).to_dict()
    labels = ["Nuläge", "Mål", "Föregående (2025-03-01)"]
    keys = ["current", "target", "previous"]

    colour = layer(spec, "polygons")["encoding"]["color"]
    assert colour["scale"] == {"domain": labels, "range": [SERIES_STYLE[k]["color"] for k in keys]}
    dash = layer(spec, "polygons")["encoding"]["strokeDash"]["scale"]
    assert dash == {"domain": labels, "range": [SERIES_STYLE[k]["dash"] for k in keys]}
    shape = layer(spec, "points")["encoding"]["shape"]
    assert shape["scale"] == {"domain": labels, "range": [SERIES_STYLE[k]["shape"] for k in keys]}
    assert "legend" in shape and shape["legend"] is not None       # the legend shows the shapes too
    # Three distinct colours, dashes and shapes: meaning never rests on colour alone.
    assert len({str(SERIES_STYLE[k]["dash"]) for k in keys}) == 3
    assert len({SERIES_STYLE[k]["shape"] for k in keys}) == 3
    assert {r["series"] for r in rows(spec, layer(spec, "polygons"))} == set(labels)


def test_radar__fills__semi_transparent_polygons():
    spec = radar_chart(FOUR, [Series("current", "Nuläge", {"A": 1, "B": 2})], RINGS).to_dict()

    fills = layer(spec, "fills")
    assert fills["mark"]["filled"] is True and 0 < fills["mark"]["opacity"] < 1


def test_radar__rings__labelled_with_the_scale_from_level_one():
    spec = radar_chart(FOUR, [Series("current", "Nuläge", {"A": 1})], RINGS).to_dict()

    labels = rows(spec, layer(spec, "ring_labels"))
    assert [(r["text"], r["y"]) for r in labels] == [(RINGS[v], v) for v in range(1, 5)]
    assert layer(spec, "ring_labels")["encoding"]["text"]["field"] == "text"
    ring4 = [(r["x"], r["y"]) for r in rows(spec, layer(spec, "grid")) if r["ring"] == 4]
    assert ring4[0] == ring4[-1] == (pytest.approx(0), pytest.approx(4))   # a closed ring
    assert len(ring4) == len(FOUR) + 1


def test_radar__spokes_and_area_labels__one_per_area():
    spec = radar_chart(FOUR, [Series("current", "Nuläge", {"A": 1})], RINGS).to_dict()

    ends = [(r["area"], round(r["x"], 9), round(r["y"], 9))
            for r in rows(spec, layer(spec, "spokes")) if (r["x"], r["y"]) != (0, 0)]
    assert ends == [("A", 0, 4), ("B", 4, 0), ("C", 0, -4), ("D", -4, 0)]
    names = {r["area"]: r["name"] for r in rows(spec, layer(spec, "area_labels"))}
    assert names == dict(FOUR)


# --- radar from a scored assessment --------------------------------------------------------

@pytest.fixture
def bank():
    return make_bank({"G1": 2, "G2": 2, "F1": 2, "F4": 1})


def test_radar_view__current_target_and_previous_series(bank):
    now = score_assessment(make_assessment(
        bank, answers={"G1.1": [1, 3], "G1.2": [2, 2], "F1.1": ["unknown", "unknown"]},
        targets={"G2": 4}), bank)
    before = score_assessment(make_assessment(bank, answers={"G1.1": [1], "F1.1": [2]}), bank)
    chart, table = radar_view(now, bank, "sv", before, "Föregående (2025-03-01)")
    spec = chart.to_dict()

    # G1: medians 2 and 2 → 2. G2 has no answers, F1 only "Vet ej", F4 nothing: left out.
    assert [(a, v) for a, v, *_ in points(spec, "current")] == [("G1", 2), ("G1", 2)]
    assert [(a, v) for a, v, *_ in points(spec, "target")] == [
        ("G1", 3), ("G2", 4), ("F1", 3), ("F4", 3), ("G1", 3)]
    assert [(a, v) for a, v, *_ in points(spec, "previous")] == [("G1", 1), ("F1", 2), ("G1", 1)]
    assert table.rows == [
        {"area": "G1 Område G1", "current": "2", "target": "3", "previous": "1"},
        {"area": "G2 Område G2", "current": "–", "target": "4", "previous": "–"},
        {"area": "F1 Område F1", "current": "–", "target": "3", "previous": "2"},
        {"area": "F4 Område F4", "current": "–", "target": "3", "previous": "–"},
    ]
    assert list(table.to_pandas().columns) == ["Område", "Nuläge", "Mål",
                                               "Föregående (2025-03-01)"]


def test_radar_view__english__series_and_area_names_in_english(bank):
    result = score_assessment(make_assessment(bank, answers={"G1.1": [2]}), bank)
    chart, table = radar_view(result, bank, "en")
    spec = chart.to_dict()

    assert layer(spec, "polygons")["encoding"]["color"]["scale"]["domain"] == ["Current", "Target"]
    assert table.rows[0] == {"area": "G1 Area G1", "current": "2", "target": "3"}
    assert list(table.to_pandas().columns) == ["Area", "Current", "Target"]
    assert rows(spec, layer(spec, "area_labels"))[0]["name"] == "Area G1"


def test_area_table__score_level_gap_coverage_and_vet_ej(bank):
    result = score_assessment(make_assessment(
        bank, answers={"G1.1": [1, 2], "G1.2": ["unknown", "unknown"], "G2.1": ["na", "na"]}), bank)

    table = area_table(result, bank, "sv")
    g1, g2 = table.rows[:2]
    # G1: G1.1 median 1,5 → score 100 × 1,5 / 4 = 37,5 (shown without decimals), gap 3 − 1,5;
    # G1.2 is Vet ej: coverage 1 of 2, Vet ej 1 of 2 questions. Vet ej by answers: the two of
    # G1.2 out of the four answers that are not Ej aktuellt (G1.1's two and G1.2's two).
    assert g1 == {"area": "G1 Område G1", "score": "38", "level": "1,5", "target": "3",
                  "gap": "1,5", "coverage": "50 %", "unknown": "50 %",
                  "unknown_answers": "2 av 4", "na": "0", "disagreements": "0"}
    assert list(table.labels.values()) == [
        "Område", "Poäng", "Nivå", "Mål", "Gap (nivåer)", "Täckning", "Vet ej", "Vet ej (svar)",
        "Ej aktuellt (svar)", "Öppna oenigheter"]
    # G2: G2.1 is Ej aktuellt, so only G2.2 counts: no value, coverage 0 of 1. Its two
    # Ej aktuellt answers are counted on their own, and leave no answer to count Vet ej in.
    assert (g2["score"], g2["coverage"], g2["unknown"], g2["unknown_answers"],
            g2["na"]) == ("–", "0 %", "0 %", "0 av 0", "2")


# --- heatmap -------------------------------------------------------------------------------

def test_heatmap_rows__numbers_keep_a_level_everything_else_is_text_only():
    got = heatmap_rows([("G1", [("G1.1", 2, "2", "median av 3 svar"),
                                ("G1.2", "unknown", "Vet ej", "2 av 2 svarade Vet ej"),
                                ("G1.3", "na", "E/A", "2 Ej aktuellt"), ("G1.4", None, "–", ""),
                                ("G1.5", 2.5, "2,5", "median av 2 svar")])])

    assert [(r["question"], r["position"], r["level"], r["text"], r["basis"]) for r in got] == [
        ("G1.1", "1", 2, "2", "median av 3 svar"),
        ("G1.2", "2", None, "Vet ej", "2 av 2 svarade Vet ej"),
        ("G1.3", "3", None, "E/A", "2 Ej aktuellt"), ("G1.4", "4", None, "–", ""),
        ("G1.5", "5", 2.5, "2,5", "median av 2 svar")]


def test_heatmap_rows__position_is_the_place_in_the_list_not_the_ids_number():
    # F1's list in the national bank: F1.1, F1.2, then the shared G1.1 (which replaced F1.3).
    got = heatmap_rows([("F1", [("F1.1", 1, "1", "1 svar"), ("F1.2", 2, "2", "1 svar"),
                                ("G1.1", 3, "3", "1 svar"), ("F1.4", 0, "0", "1 svar")])])

    assert [(r["question"], r["position"]) for r in got] == [
        ("F1.1", "1"), ("F1.2", "2"), ("G1.1", "3"), ("F1.4", "4")]


def test_heatmap_chart__every_cell_carries_its_text_and_missing_cells_are_grey():
    data = heatmap_rows([("G1", [("G1.1", 4, "4", "1 svar"),
                                 ("G1.2", "unknown", "Vet ej", "1 av 1 svarade Vet ej")]),
                         ("F1", [("F1.1", 1, "1", "samsyn")])])
    spec = heatmap_chart(data, 4, "Nivå", "Frågans nummer", "Underlag").to_dict()
    missing, cells, text = spec["layer"]

    assert mark_of(text) == "text" and text["encoding"]["text"]["field"] == "text"
    assert [r["text"] for r in rows(spec, text)] == ["4", "Vet ej", "1"]
    # What each value rests on is in the tooltip, beside the value.
    assert [r["basis"] for r in rows(spec, text)] == ["1 svar", "1 av 1 svarade Vet ej", "samsyn"]
    tooltip = spec["layer"][0]["encoding"]["tooltip"]
    assert {"field": "basis", "type": "nominal", "title": "Underlag"} in tooltip
    assert missing["transform"] == [{"filter": "datum.level === null"}]
    assert missing["mark"]["fill"] == "#f2f2f2"
    assert cells["encoding"]["color"]["scale"]["domain"] == [0, 4]
    # Dark cells (above half the scale) get white text so the label stays readable.
    assert text["encoding"]["color"]["condition"]["test"] == "datum.level !== null && datum.level > 2.0"
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["G1", "F1"]


def test_heatmap_chart__every_cell_has_a_level__no_empty_grey_layer():
    # An empty mark layer is an unnamed graphic to a screen reader (axe: svg-img-alt).
    data = heatmap_rows([("G1", [("G1.1", 4, "4", "1 svar"), ("G1.2", 2, "2", "2 svar")])])
    spec = heatmap_chart(data, 4, "Nivå", "Frågans nummer", "Underlag").to_dict()
    assert [mark_of(layer) for layer in spec["layer"]] == ["rect", "text"]
    assert "transform" not in spec["layer"][0]


def test_heatmap_view__cell_texts_from_the_scale_and_catalogue(bank):
    result = score_assessment(make_assessment(
        bank, answers={"G1.1": [1, 2], "G1.2": ["unknown", None], "G2.1": ["na", "na"]}), bank)
    chart, table = heatmap_view(result, bank, "sv")

    cells = {r["question"]: r["text"] for r in rows(chart.to_dict(), chart.to_dict()["layer"][2])}
    assert cells == {"G1.1": "1,5", "G1.2": "Vet ej", "G2.1": "E/A", "G2.2": "–", "F1.1": "–",
                     "F1.2": "–", "F4.1": "–"}
    # G1.1: levels 1 and 2 → median 1,5 of 2 answers. G1.2: the one answer is Vet ej, 1 of 1
    # is a knowledge gap (no level was given, so no median beside it). G2.1: Ej aktuellt × 2.
    # G2.2: nobody answered, so the value rests on nothing.
    assert table.rows[:4] == [
        {"area": "G1", "question": "G1.1", "level": "1,5", "basis": "median av 2 svar"},
        {"area": "G1", "question": "G1.2", "level": "Vet ej", "basis": "1 av 1 svarade Vet ej"},
        {"area": "G2", "question": "G2.1", "level": "E/A", "basis": "2 Ej aktuellt"},
        {"area": "G2", "question": "G2.2", "level": "–", "basis": ""}]
    assert table.labels == {"area": "Område", "question": "Fråga", "level": "Nivå",
                            "basis": "Underlag"}


@pytest.fixture(scope="module")
def national_bank():
    return load_banks().get("nationell-handlingsplan-2025")


def test_heatmap_view__shared_question_at_its_place_in_each_area_with_its_basis(national_bank):
    bank = national_bank
    # G1.1 (also in F1, where it replaced F1.3): levels 1, 2, 2, 3 and one Vet ej. 1 of 5 is
    # less than a third, so not a knowledge gap: median of 1, 2, 2, 3 = 2, on 4 answers.
    # F1.2: levels 0 and 1 → median 0,5.
    result = score_assessment(make_assessment(
        bank, answers={"G1.1": [1, 2, 2, 3, "unknown"], "F1.2": [0, 1]}), bank)
    chart, table = heatmap_view(result, bank, "sv")
    data = rows(chart.to_dict(), chart.to_dict()["layer"][2])

    f1 = [(r["question"], r["position"]) for r in data if r["area"] == "F1"]
    assert f1[:4] == [("F1.1", "1"), ("F1.2", "2"), ("G1.1", "3"), ("F1.4", "4")]
    g1 = [(r["question"], r["position"]) for r in data if r["area"] == "G1"]
    assert g1[:2] == [("G1.1", "1"), ("G1.2", "2")]
    shared = [(r["area"], r["level"], r["text"], r["basis"]) for r in data if r["question"] == "G1.1"]
    assert shared == [("G1", 2, "2", "median av 4 svar · 1 Vet ej"),
                      ("F1", 2, "2", "median av 4 svar · 1 Vet ej")]
    f12 = next(r for r in table.rows if r["question"] == "F1.2")
    assert (f12["level"], f12["basis"]) == ("0,5", "median av 2 svar")


def test_heatmap_view__a_knowledge_gap_shows_its_counts_and_the_levels_given(bank):
    # F1.2: Vet ej ×2, 1 → 2 Vet ej outnumber 1 level: a gap; the level 1 is kept.
    # F1.1: Vet ej, 1, 2 → 1 Vet ej beside 2 levels: median 1,5, flagged (1 of 3 is a third).
    result = score_assessment(make_assessment(bank, answers={
        "F1.2": ["unknown", 1, "unknown"], "F1.1": ["unknown", 1, 2]}), bank)
    _, table = heatmap_view(result, bank, "sv")
    f12 = next(r for r in table.rows if r["question"] == "F1.2")
    assert (f12["level"], f12["basis"]) == (
        "Vet ej", "2 av 3 svarade Vet ej · 1 nivå given (1)")
    f11 = next(r for r in table.rows if r["question"] == "F1.1")
    assert (f11["level"], f11["basis"]) == (
        "1,5", "median av 2 svar · osäkert underlag: 1 av 3 svarade Vet ej")


@pytest.mark.parametrize("lang,plural,singular", [("sv", "1 nivåer", "1 nivå given (0)"),
                                                  ("en", "1 levels", "1 level given (0)")])
def test_heatmap_view__one_level_given_beside_a_gap_is_singular(bank, lang, plural, singular):
    # F1.1: Vet ej × 4 and one 0 → 4 of 5: a gap, with one level given (median 0).
    result = score_assessment(make_assessment(
        bank, answers={"F1.1": ["unknown"] * 4 + [0]}), bank)
    _, table = heatmap_view(result, bank, lang)
    text = next(r["basis"] for r in table.rows if r["question"] == "F1.1")
    assert text.startswith(("4 av 5 svarade Vet ej · ", "4 of 5 answered Don't know · "))
    assert text.endswith(singular) and plural not in text


@pytest.mark.parametrize("value,lang,expected", [
    (2, "sv", "2"), (2.5, "sv", "2,5"), (2.5, "en", "2.5"), ("unknown", "sv", "Vet ej"),
    ("unknown", "en", "Don't know"), ("na", "sv", "E/A"), (None, "sv", "–"),
])
def test_value_text__short_cell_text(bank, value, lang, expected):
    assert bank.scale.value_text(value, lang) == expected


# --- time perspective bars -----------------------------------------------------------------

def test_labelled_bars__value_on_each_bar_and_empty_bar_written_out():
    data = [{"category": "past", "label": "Bakåt", "value": 31.25, "text": "31"},
            {"category": "now", "label": "Nu", "value": None, "text": "–"}]
    spec = labelled_bars(data, "Tidsperspektiv", "Poäng").to_dict()
    bars, text = spec["layer"]

    assert [(r["label"], r["value"], r["text"]) for r in rows(spec, bars)] == [
        ("Bakåt", 31.25, "31"), ("Nu", None, "–")]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert bars["encoding"]["y"]["sort"] == ["Bakåt", "Nu"]
    assert text["encoding"]["text"]["field"] == "text"
    assert text["transform"] == [{"calculate": "datum.value === null ? 0 : datum.value", "as": "shown"}]


def test_labelled_bars__no_value_at_all__texts_only_no_empty_bar_layer():
    # Every perspective on too little basis: no bars, the texts still say so; an empty mark
    # layer would be an unnamed graphic to a screen reader (axe: svg-img-alt).
    data = [{"category": "past", "label": "Bakåt", "value": None, "text": "för lite underlag"},
            {"category": "now", "label": "Nu", "value": None, "text": "för lite underlag"}]
    spec = labelled_bars(data, "Tidsperspektiv", "Poäng").to_dict()
    (text,) = spec["layer"]
    assert mark_of(text) == "text"
    assert [r["text"] for r in rows(spec, text)] == ["för lite underlag"] * 2


def test_time_view__past_now_future_from_the_focus_areas(bank):
    # F1 (past): F1.1 = 2, F1.2 = 4 → mean 3 → 75. F4 (future): F4.1 = 1 → 25. Nothing "now".
    result = score_assessment(make_assessment(
        bank, answers={"F1.1": [2], "F1.2": [4], "F4.1": [1]}), bank)
    chart, table = time_view(result, "sv")
    spec = chart.to_dict()

    assert [(r["category"], r["value"], r["text"]) for r in rows(spec, spec["layer"][0])] == [
        ("past", 75.0, "75"), ("now", None, "–"), ("future", 25.0, "25")]
    assert table.rows == [
        {"perspective": "Bakåt – var vården säker? (F1)", "score": "75"},
        {"perspective": "Nu – är vården säker? (F2, F3)", "score": "–"},
        {"perspective": "Framåt – kommer vården att vara säker? (F4, F5)", "score": "25"},
    ]
    assert table.labels == {"perspective": "Tidsperspektiv", "score": "Poäng"}


# --- impact / effort -----------------------------------------------------------------------

def test_distribution_view__every_answer_of_the_scale_with_its_share_and_count(bank):
    chart, table = distribution_view(bank, [0, 4, 4, "unknown"], "sv")
    spec = chart.to_dict()  # validated against the Vega-Lite schema

    shown = [(r["label"], r["value"], r["text"]) for r in rows(spec, spec["layer"][0])]
    # 4 answers: level 0 once (25 %), level 4 twice (50 %), Vet ej once (25 %); every other
    # answer of the scale at 0, so the spread shows.
    assert [(label, value, text) for label, value, text in shown if value] == [
        (bank.scale.label(0, "sv"), 25.0, "1"), (bank.scale.label(4, "sv"), 50.0, "2"),
        (bank.scale.label("unknown", "sv"), 25.0, "1")]
    assert [label for label, _, _ in shown] == [bank.scale.label(o, "sv") for o in bank.scale.options()]
    assert table == rows(spec, spec["layer"][0])


def test_impact_view__each_priority_with_its_effort_label(bank):
    result = score_assessment(make_assessment(
        bank, answers={"G1.1": [1], "G1.2": [2]}, effort={"G1.1": "hög"}), bank)
    chart, table = impact_view(result.priorities, bank, "sv")
    spec = chart.to_dict()

    # G1.1: gap 2 × 2 × 0,75 = 3; G1.2: gap 1 × 2 = 2.
    assert [(r["question"], r["effort"], r["score"]) for r in rows(spec, spec["layer"][0])] == [
        ("G1.1", "Hög", 3.0), ("G1.2", "Ej angiven", 2.0)]
    # Each point says why in words: G1.1 is at 1 (one answer), target 3, default importance.
    assert rows(spec, spec["layer"][0])[0]["why"] == (
        "Nuläget är 1 av 4 enligt 1 svar och målet är 3; insatsen är stor och viktigheten är"
        " ännu inte bedömd. Nästa steg: lägg in aktiviteten i handlingsplanen med ansvarig och"
        " datum.")
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == ["Låg", "Medel", "Hög", "Ej angiven"]
    assert table.rows[0] == {"question": "G1.1", "effort": "Hög", "impact": "3,00"}  # decimal comma
    assert table.labels == {"question": "Fråga", "effort": "Insats",
                            "impact": "Effekt (prioritetspoäng)"}


# --- tables: field names to read, headers to show ------------------------------------------

def result_tables(bank, lang: str) -> dict[str, Table]:
    result = score_assessment(make_assessment(
        bank, answers={"G1.1": [1, 2], "F1.1": [3]}, effort={"G1.1": "hög"}), bank)
    return {"radar": radar_view(result, bank, lang, result, "Förra")[1],
            "areas": area_table(result, bank, lang), "time": time_view(result, lang)[1],
            "heatmap": heatmap_view(result, bank, lang)[1],
            "impact": impact_view(result.priorities, bank, lang)[1]}


def test_result_tables__same_field_names_in_swedish_and_english__headers_translated(bank):
    swedish, english = result_tables(bank, "sv"), result_tables(bank, "en")

    for name in swedish:
        assert list(swedish[name].labels) == list(english[name].labels), name
        assert [list(r) for r in swedish[name].rows] == [list(r) for r in english[name].rows], name
    assert list(swedish["areas"].labels) == ["area", "score", "level", "target", "gap",
                                             "coverage", "unknown", "unknown_answers", "na",
                                             "disagreements"]
    assert list(swedish["areas"].to_pandas().columns)[:3] == ["Område", "Poäng", "Nivå"]
    assert list(english["areas"].to_pandas().columns)[:3] == ["Area", "Score", "Level"]
    assert list(english["heatmap"].to_pandas().columns) == ["Area", "Question", "Level",
                                                           "Based on"]
    assert list(english["time"].to_pandas().columns) == ["Time perspective", "Score"]


def test_table__to_pandas__headers_in_the_order_of_the_labels_cells_unchanged():
    table = Table([{"units": 3, "area": "G1 Ledning"}], {"area": "Område", "units": "Enheter"})
    frame = table.to_pandas()

    assert list(frame.columns) == ["Område", "Enheter"]
    assert frame.to_dict("records") == [{"Område": "G1 Ledning", "Enheter": 3}]
    assert len(table) == 1 and not Table([], {"area": "Område"})


@pytest.mark.parametrize("rows,labels,message", [
    ([{"area": "G1", "levle": "2"}], {"area": "Område", "level": "Nivå"}, "table row 1"),
    ([{"area": "G1", "level": "2"}], {"area": "Nivå", "level": "Nivå"}, "one header"),
])
def test_table__a_row_without_its_columns_or_two_equal_headers__refused(rows, labels, message):
    with pytest.raises(ValueError, match=message):
        Table(rows, labels)


# --- export --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def charts():
    bank = make_bank({"G1": 2, "F1": 2})
    result = score_assessment(make_assessment(bank, answers={"G1.1": [1, 3], "F1.1": ["unknown"]}), bank)
    return {"radar": radar_view(result, bank, "sv")[0], "time": time_view(result, "sv")[0],
            "heatmap": heatmap_view(result, bank, "sv")[0]}


@pytest.mark.parametrize("name", ["radar", "time", "heatmap"])
def test_export__png__has_the_png_signature(charts, name):
    png = chart_png(charts[name])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 1000


@pytest.mark.parametrize("name", ["radar", "time", "heatmap"])
def test_export__svg__is_an_svg_document_with_the_labels(charts, name):
    svg = chart_svg(charts[name])
    assert "<svg" in svg[:500]
    assert svg.rstrip().endswith("</svg>")
    if name == "heatmap":
        assert "Vet ej" in svg            # the cell text is in the picture, not only the colour
    if name == "radar":
        assert "Nuläge" in svg and "Mål" in svg


def tooltips(spec) -> list[dict]:
    """Every tooltip field anywhere in a chart's spec."""
    if isinstance(spec, dict):
        found = list(spec["tooltip"]) if isinstance(spec.get("tooltip"), list) else []
        return found + [t for value in spec.values() for t in tooltips(value)]
    if isinstance(spec, list):
        return [t for value in spec for t in tooltips(value)]
    return []


@pytest.mark.parametrize("lang,question,area", [("sv", "Fråga", "Område"), ("en", "Question", "Area")])
def test_every_tooltip__titled_in_the_reader_s_language__numbers_as_written(bank, lang, question, area):
    # A tooltip field without a title shows its field name ("why", "series") to the reader,
    # and a d3 number format writes 2.5 in Swedish: every field has a title, none a format.
    result = score_assessment(make_assessment(
        bank, answers={"G1.1": [1, 2], "G1.2": ["unknown"]}, effort={"G1.1": "hög"}), bank)
    specs = [view(result, bank, lang)[0].to_dict() for view in (radar_view, heatmap_view)]
    specs.append(impact_view(result.priorities, bank, lang)[0].to_dict())
    found = [t for spec in specs for t in tooltips(spec)]

    assert found and all(t.get("title") for t in found), [t for t in found if not t.get("title")]
    assert not [t for t in found if "format" in t]
    titles = {t["title"] for t in found}
    assert {question, area} <= titles
    polygon = rows(specs[0], layer(specs[0], "polygons"))
    g1 = next(r for r in polygon if r["area"] == "G1" and r["key"] == "current")
    assert g1["text"] == ("1,5" if lang == "sv" else "1.5")  # (1 + 2) / 2
