"""Bar charts with their value written on each bar: the time-perspective view and area scores."""

from __future__ import annotations

import altair as alt

from charts.style import drawn


def labelled_bars(rows: list[dict], category_title: str, value_title: str) -> alt.LayerChart:
    """``rows``: {"category", "label", "value" (0–100 or None), "text"} in display order."""
    order = [r["label"] for r in rows]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("label:N", sort=order, title=category_title, axis=alt.Axis(labelLimit=360)),
        x=alt.X("value:Q", scale=alt.Scale(domain=[0, 100]), title=value_title),
        tooltip=[alt.Tooltip("label:N", title=category_title), alt.Tooltip("text:N", title=value_title)],
    )
    bars = base.mark_bar(color="#0072B2")
    text = base.mark_text(align="left", dx=4).encode(
        x=alt.X("shown:Q"), text=alt.Text("text:N")).transform_calculate(
        shown="datum.value === null ? 0 : datum.value")
    layers = [*drawn(bars, any(r["value"] is not None for r in rows)), text]
    return alt.layer(*layers).properties(width=380, height=alt.Step(30))


def impact_effort_chart(rows: list[dict], effort_labels: list[str], effort_title: str,
                        impact_title: str, question_title: str, why_title: str) -> alt.LayerChart:
    """Priorities on impact (priority score) vs effort; each point labelled with its question id
    and the effort also shown as the point's shape. ``rows``: {"question", "score", "score_text"
    (as the reader writes numbers), "why", "effort"}."""
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("effort:N", sort=effort_labels, scale=alt.Scale(domain=effort_labels),
                title=effort_title),
        y=alt.Y("score:Q", title=impact_title),
        tooltip=[alt.Tooltip("question:N", title=question_title), alt.Tooltip("why:N", title=why_title),
                 alt.Tooltip("score_text:N", title=impact_title)],
    )
    spread = alt.XOffset("question:N")
    points = base.mark_point(filled=True, size=80, color="#0072B2").encode(
        xOffset=spread, shape=alt.Shape("effort:N", sort=effort_labels, legend=None))
    labels = base.mark_text(align="left", dx=6, fontSize=10).encode(xOffset=spread, text=alt.Text("question:N"))
    return alt.layer(points, labels).properties(width=420, height=320)
