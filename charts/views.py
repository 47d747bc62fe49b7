"""The result charts and their table alternatives, built from a scored assessment.

Each function returns ``(chart, rows)``: the Altair chart and the same figures as table rows,
so the page shows both and tests check the Vega-Lite spec without Streamlit.
"""

from __future__ import annotations

import altair as alt

from assessment.bank import Bank
from assessment.i18n import format_level, format_percent, format_score, translate
from charts.bars import impact_effort_chart, labelled_bars
from charts.heatmap import heatmap_chart, heatmap_rows
from charts.radar import Series, radar_chart
from scoring.areas import TIME_PERSPECTIVES
from scoring.explain import basis, explain
from scoring.priorities import Priority
from scoring.questions import QuestionScore, is_numeric
from scoring.score import AssessmentScore


def radar_view(result: AssessmentScore, bank: Bank, lang: str,
               previous: AssessmentScore | None = None,
               previous_label: str = "") -> tuple[alt.LayerChart, list[dict]]:
    tr = lambda key, **kw: translate(lang, key, **kw)  # noqa: E731
    areas = [(a.id, bank.area(a.id).name.get(lang)) for a in result.areas]
    series = [
        Series("current", tr("results.series_current"), {a.id: a.mean_level for a in result.areas}),
        Series("target", tr("results.series_target"), {a.id: a.target for a in result.areas}),
    ]
    prev_levels: dict[str, float | None] = {}
    if previous is not None:
        prev_levels = {a.id: a.mean_level for a in previous.areas}
        series.append(Series("previous", previous_label or tr("results.series_previous"), prev_levels))
    ring_labels = [level.label.get(lang) for level in bank.scale.levels]
    chart = radar_chart(areas, series, ring_labels)
    rows = []
    for a in result.areas:
        row = {
            tr("results.col_area"): f"{a.id} {bank.area(a.id).name.get(lang)}",
            tr("results.series_current"): format_level(a.mean_level, lang),
            tr("results.series_target"): format_level(a.target, lang),
        }
        if previous is not None:
            row[previous_label or tr("results.series_previous")] = format_level(prev_levels.get(a.id), lang)
        rows.append(row)
    return chart, rows


def area_table(result: AssessmentScore, bank: Bank, lang: str) -> list[dict]:
    tr = lambda key, **kw: translate(lang, key, **kw)  # noqa: E731
    return [
        {
            tr("results.col_area"): f"{a.id} {bank.area(a.id).name.get(lang)}",
            tr("results.col_score"): format_score(a.score, lang),
            tr("results.col_level"): format_level(a.mean_level, lang),
            tr("results.col_target"): format_level(a.target, lang),
            tr("results.col_gap"): format_level(a.gap, lang),
            tr("results.col_coverage"): format_percent(a.coverage, lang),
            tr("results.col_unknown"): format_percent(a.unknown_share, lang),
            tr("results.col_unknown_answers"): tr("results.of", count=a.unknown_answers,
                                                  total=a.counted_answers),
            tr("results.col_na"): str(a.na_answers),
        }
        for a in result.areas
    ]


def time_view(result: AssessmentScore, lang: str) -> tuple[alt.LayerChart, list[dict]]:
    tr = lambda key, **kw: translate(lang, key, **kw)  # noqa: E731
    rows = [
        {"category": tp, "label": tr(f"time.{tp}"), "value": result.time_perspective[tp],
         "text": format_score(result.time_perspective[tp], lang)}
        for tp in TIME_PERSPECTIVES
    ]
    chart = labelled_bars(rows, tr("results.time_axis"), tr("results.col_score"))
    table = [{tr("results.time_axis"): r["label"], tr("results.col_score"): r["text"]} for r in rows]
    return chart, table


def heatmap_view(result: AssessmentScore, bank: Bank, lang: str) -> tuple[alt.LayerChart, list[dict]]:
    tr = lambda key, **kw: translate(lang, key, **kw)  # noqa: E731
    cells = []
    for a in result.areas:
        cells.append((a.id, [(q.id, q.value, value_text(bank, q.value, lang),
                              value_basis(q, lang)) for q in a.questions]))
    rows = heatmap_rows(cells)
    chart = heatmap_chart(rows, bank.scale.top, tr("results.col_level"), tr("results.question_number"),
                          tr("results.col_basis"))
    table = [{tr("results.col_area"): r["area"], tr("results.col_question"): r["question"],
              tr("results.col_level"): r["text"], tr("results.col_basis"): r["basis"]}
             for r in rows]
    return chart, table


def distribution_view(bank: Bank, values: list, lang: str) -> tuple[alt.LayerChart, list[dict]]:
    """How one question's answers spread over the scale (every level, Vet ej and Ej aktuellt,
    also those nobody chose): a bar per answer, its length the share of the answers, labelled
    with the count – for the room on Samsyn."""
    total = len(values) or 1
    rows = [{"category": str(option), "label": bank.scale.label(option, lang),
             "value": 100 * values.count(option) / total, "text": str(values.count(option))}
            for option in bank.scale.options()]
    chart = labelled_bars(rows, translate(lang, "consensus.col_answer"),
                          translate(lang, "consensus.share_of_answers"))
    return chart, rows


def value_text(bank: Bank, value, lang: str) -> str:
    """A question's value as a short cell text: "2", "2,5", "Vet ej", "Ej akt." or "–"."""
    if value is None:
        return "–"
    if is_numeric(value):
        return format_level(value, lang)
    if value == "unknown":
        return bank.scale.unknown.label.get(lang)
    return translate(lang, "results.na_short")


def value_basis(q: QuestionScore, lang: str) -> str:
    """What a question's value rests on, in words: "median av 4 svar · 1 Vet ej",
    "samsyn", "4 av 5 svarade Vet ej", "3 Ej aktuellt"."""
    tr = lambda key, **kw: translate(lang, key, **kw)  # noqa: E731
    if q.consensus:
        return tr("why.basis_consensus")
    parts = []
    if q.knowledge_gap:
        parts.append(tr("why.unknown", count=q.unknown_answers, total=q.counted_answers))
        if q.median is not None:
            parts.append(tr("results.level_given" if q.levels == 1 else "results.levels_given",
                            levels=q.levels, median=format_level(q.median, lang)))
    elif q.levels:
        parts.append(basis(False, q.levels, lang))
        if q.unknown_answers:
            parts.append(tr("results.unknown_answers", count=q.unknown_answers))
    if q.na_answers:
        parts.append(tr("results.na_answers", count=q.na_answers))
    return " · ".join(parts)


def impact_view(priorities: list[Priority], bank: Bank, lang: str) -> tuple[alt.LayerChart, list[dict]]:
    tr = lambda key, **kw: translate(lang, key, **kw)  # noqa: E731
    efforts = ["låg", "medel", "hög"]
    labels = {e: tr(f"effort.{e}") for e in efforts}
    unset = tr("effort.unset")
    rows = [
        {"question": p.question, "score": p.score, "why": explain(p, bank, lang),
         "effort": labels[p.effort] if p.effort else unset}
        for p in priorities
    ]
    chart = impact_effort_chart(rows, [labels[e] for e in efforts] + [unset],
                                tr("prioritise.effort"), tr("prioritise.impact"))
    table = [{tr("results.col_question"): r["question"], tr("prioritise.effort"): r["effort"],
              tr("prioritise.impact"): f"{r['score']:.2f}"} for r in rows]
    return chart, table
