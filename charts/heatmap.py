"""Question-by-area heatmap: one row per area, one cell per question, the level as colour AND
as text in the cell ("Vet ej"/"Ej aktuellt" written out), so colour is never the only cue."""

from __future__ import annotations

import altair as alt

from charts.style import LEVEL_SCHEME, drawn


def heatmap_rows(areas: list[tuple[str, list[tuple[str, object, str, str]]]]) -> list[dict]:
    """``areas``: (area id, [(question id, value, text shown in the cell, what the value
    rests on)]), each area's questions in their order in the area's list (a shared
    question stands at its place in each of its areas)."""
    rows = []
    for area_id, questions in areas:
        for position, (qid, value, text, basis) in enumerate(questions, 1):
            number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            rows.append({"area": area_id, "question": qid, "position": str(position),
                         "level": number, "text": text, "basis": basis})
    return rows


def heatmap_chart(rows: list[dict], top: int, level_title: str, number_title: str,
                  basis_title: str = "", question_title: str = "") -> alt.LayerChart:
    order = list(dict.fromkeys(r["area"] for r in rows))
    positions = sorted({int(r["position"]) for r in rows})
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("position:O", title=number_title, sort=[str(p) for p in positions]),
        y=alt.Y("area:N", title=None, sort=order),
        tooltip=[alt.Tooltip("question:N", title=question_title), alt.Tooltip("text:N", title=level_title),
                 alt.Tooltip("basis:N", title=basis_title)],
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("level:Q", title=level_title,
                        scale=alt.Scale(scheme=LEVEL_SCHEME, domain=[0, top]),
                        legend=alt.Legend(orient="bottom")),
    )
    missing = base.transform_filter("datum.level === null").mark_rect(
        fill="#f2f2f2", stroke="white")
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("text:N"),
        color=alt.condition(f"datum.level !== null && datum.level > {top / 2}",
                            alt.value("white"), alt.value("black")),
    )
    layers = [*drawn(missing, any(r["level"] is None for r in rows)), cells, text]
    return alt.layer(*layers).properties(width=alt.Step(34), height=alt.Step(28))
