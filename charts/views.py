"""The result charts and their table alternatives, built from a scored assessment.

Each function returns ``(chart, table)``: the Altair chart and the same figures as a
``Table`` (rows keyed by field names, the headers in the reader's language beside them), so
the page shows both and tests check the Vega-Lite spec and the rows without Streamlit.
"""

from __future__ import annotations

import altair as alt

from assessment.bank import Bank
from assessment.i18n import format_decimal, format_level, format_percent, format_score, translate
from charts.bars import impact_effort_chart, labelled_bars
from charts.heatmap import heatmap_chart, heatmap_rows
from charts.radar import Series, radar_chart, radar_table
from charts.table import Table
from scoring.areas import TIME_PERSPECTIVES, thin_by_perspective
from scoring.explain import area_score_text, basis, explain, thin_basis
from scoring.priorities import Priority
from scoring.questions import QuestionScore
from scoring.score import AssessmentScore


def area_label(bank: Bank, area_id: str, lang: str) -> str:
    """"G1 Ledning och styrning": an area as a table names it."""
    return f"{area_id} {bank.area(area_id).name.get(lang)}"


def radar_view(result: AssessmentScore, bank: Bank, lang: str,
               previous: AssessmentScore | None = None,
               previous_label: str = "") -> tuple[alt.LayerChart, Table]:
    """Nuläge, mål (and föregående) per area. An area on too little basis is left out of a
    series' polygon (never drawn as a full point from one shared answer); the table says
    "för lite underlag (1 av 8 frågor)" in its cell, and ``radar_note`` names it."""
    tr = lambda key, **kw: translate(lang, key, **kw)  # noqa: E731
    areas = [(a.id, bank.area(a.id).name.get(lang)) for a in result.areas]
    series = [
        Series("current", tr("results.series_current"), solid_levels(result)),
        Series("target", tr("results.series_target"), {a.id: a.target for a in result.areas}),
    ]
    if previous is not None:
        series.append(Series("previous", previous_label or tr("results.series_previous"),
                             solid_levels(previous)))
    ring_labels = [level.label.get(lang) for level in bank.scale.levels]
    chart = radar_chart(areas, series, ring_labels, lang=lang)
    table = radar_table([(a.id, area_label(bank, a.id, lang)) for a in result.areas], series,
                        tr("results.col_area"), lang)
    for row, area in zip(table.rows, result.areas):
        if area.thin:
            row["current"] = thin_basis(area, lang)
    return chart, table


def solid_levels(result: AssessmentScore) -> dict[str, float | None]:
    """Each area's mean level where it rests on enough basis (else None: not drawn)."""
    return {a.id: a.solid_level for a in result.areas}


def radar_note(result: AssessmentScore, lang: str) -> str:
    """"Ritas inte i nuläget: …" – the areas left out of the radar for too little basis."""
    thin = [a.id for a in result.areas if a.thin]
    return translate(lang, "results.radar_thin", areas=", ".join(thin)) if thin else ""


def time_texts(result: AssessmentScore, lang: str) -> dict[str, str]:
    """Each time perspective's score as shown, with the areas left out for too little basis
    named: "60", "60 (utan F3: för lite underlag)", "för lite underlag (F4, F5)"; "" where
    the perspective has neither a score nor a thin area."""
    thin = thin_by_perspective(result.areas)
    texts = {}
    for tp in TIME_PERSPECTIVES:
        score, left_out = result.time_perspective[tp], ", ".join(thin[tp])
        if score is None:
            texts[tp] = translate(lang, "results.time_thin", areas=left_out) if left_out else ""
        elif left_out:
            texts[tp] = translate(lang, "results.time_without", score=format_score(score, lang),
                                  areas=left_out)
        else:
            texts[tp] = format_score(score, lang)
    return texts


def area_table(result: AssessmentScore, bank: Bank, lang: str) -> Table:
    """A row per area, then the total row (each question once: ``result.summary``)."""
    tr = lambda key, **kw: translate(lang, key, **kw)  # noqa: E731
    rows = [
        {
            "area": area_label(bank, a.id, lang),
            "score": area_score_text(a, lang),
            "level": format_level(a.solid_level, lang),
            "target": format_level(a.target, lang),
            "gap": format_level(a.solid_gap, lang),
            "coverage": format_percent(a.coverage, lang),
            "unknown": format_percent(a.unknown_share, lang),
            "unknown_answers": tr("results.of", count=a.unknown_answers, total=a.counted_answers),
            "na": str(a.na_answers),
            "disagreements": str(a.open_disagreements),
        }
        for a in result.areas
    ]
    s = result.summary
    rows.append({
        "area": tr("report.total_row"), "score": format_score(s.score, lang), "level": "",
        "target": "", "gap": "",
        "coverage": format_percent(s.questions_scored / s.questions if s.questions else None, lang),
        "unknown": format_percent(s.knowledge_gaps / s.questions if s.questions else None, lang),
        "unknown_answers": tr("results.of", count=s.unknown_answers, total=s.counted_answers),
        "na": str(s.na_answers), "disagreements": str(s.disagreements)})
    fields = ("area", "score", "level", "target", "gap", "coverage", "unknown",
              "unknown_answers", "na", "disagreements")
    return Table(rows, {f: tr(f"results.col_{f}") for f in fields})


def time_view(result: AssessmentScore, lang: str) -> tuple[alt.LayerChart, Table]:
    tr = lambda key, **kw: translate(lang, key, **kw)  # noqa: E731
    texts = time_texts(result, lang)
    rows = [
        {"category": tp, "label": tr(f"time.{tp}"), "value": result.time_perspective[tp],
         "text": texts[tp] or format_score(None, lang)}
        for tp in TIME_PERSPECTIVES
    ]
    chart = labelled_bars(rows, tr("results.time_axis"), tr("results.col_score"))
    table = Table([{"perspective": r["label"], "score": r["text"]} for r in rows],
                  {"perspective": tr("results.time_axis"), "score": tr("results.col_score")})
    return chart, table


def heatmap_view(result: AssessmentScore, bank: Bank, lang: str) -> tuple[alt.LayerChart, Table]:
    tr = lambda key, **kw: translate(lang, key, **kw)  # noqa: E731
    cells = []
    for a in result.areas:
        cells.append((a.id, [(q.id, q.value, bank.scale.value_text(q.value, lang),
                              value_basis(q, lang)) for q in a.questions]))
    rows = heatmap_rows(cells)
    chart = heatmap_chart(rows, bank.scale.top, tr("results.col_level"), tr("results.question_number"),
                          tr("results.col_basis"), tr("results.col_question"))
    table = Table([{"area": r["area"], "question": r["question"], "level": r["text"],
                    "basis": r["basis"]} for r in rows],
                  {f: tr(f"results.col_{f}") for f in ("area", "question", "level", "basis")})
    return chart, table


def distribution_view(bank: Bank, values: list, lang: str) -> tuple[alt.LayerChart, list[dict]]:
    """How one question's answers spread over the scale (every level, Vet ej and Ej aktuellt,
    also those nobody chose): a bar per answer, its length the share of the answers, labelled
    with the count – for the room on Samsyn. Returns the chart and its data rows (no table:
    the page shows the answers beside it)."""
    total = len(values) or 1
    rows = [{"category": str(option), "label": bank.scale.label(option, lang),
             "value": 100 * values.count(option) / total, "text": str(values.count(option))}
            for option in bank.scale.options()]
    chart = labelled_bars(rows, translate(lang, "consensus.col_answer"),
                          translate(lang, "consensus.share_of_answers"))
    return chart, rows


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
        if q.uncertain:
            parts.append(tr("why.uncertain", count=q.unknown_answers, total=q.counted_answers))
        elif q.unknown_answers:
            parts.append(tr("results.unknown_answers", count=q.unknown_answers))
    if q.na_answers:
        parts.append(tr("results.na_answers", count=q.na_answers))
    return " · ".join(parts)


def impact_view(priorities: list[Priority], bank: Bank, lang: str) -> tuple[alt.LayerChart, Table]:
    tr = lambda key, **kw: translate(lang, key, **kw)  # noqa: E731
    efforts = ["låg", "medel", "hög"]
    labels = {e: tr(f"effort.{e}") for e in efforts}
    unset = tr("effort.unset")
    rows = [
        {"question": p.question, "score": p.score, "score_text": format_decimal(p.score, lang, 2),
         "why": explain(p, bank, lang), "effort": labels[p.effort] if p.effort else unset}
        for p in priorities
    ]
    chart = impact_effort_chart(rows, [labels[e] for e in efforts] + [unset],
                                tr("prioritise.effort"), tr("prioritise.impact"),
                                tr("results.col_question"), tr("prioritise.col_why"))
    table = Table([{"question": r["question"], "effort": r["effort"], "impact": r["score_text"]}
                   for r in rows],
                  {"question": tr("results.col_question"), "effort": tr("prioritise.effort"),
                   "impact": tr("prioritise.impact")})
    return chart, table
