"""The radar chart: one spoke per area, rings labelled with the scale, one filled polygon per
series (nuläge, mål, föregående). Built from named layers and tested through ``to_dict()``.

Series differ by colour, by line dash and by point shape, so meaning never rests on colour.
An area without a value is left out of that series' polygon (never drawn as zero).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt

from assessment.i18n import format_decimal, format_level, translate
from charts.style import SERIES_STYLE
from charts.table import Table

SIZE = 420


@dataclass(frozen=True)
class Series:
    key: str          # "current", "target", "previous"
    label: str        # shown in the legend, e.g. "Nuläge"
    values: dict[str, float | None]  # area id → level (0..top) or None


def _xy(index: int, count: int, radius: float) -> tuple[float, float]:
    angle = 2 * math.pi * index / count
    return radius * math.sin(angle), radius * math.cos(angle)


def radar_chart(areas: list[tuple[str, str]], series: list[Series], ring_labels: list[str],
                title: str = "", lang: str = "sv") -> alt.LayerChart:
    """``areas``: (id, name) in order; ``ring_labels``: the scale's labels, level 0 first;
    ``lang``: the tooltips' words and numbers."""
    tr = lambda key: translate(lang, f"results.{key}")  # noqa: E731
    n = len(areas)
    top = len(ring_labels) - 1
    grid_rows, spoke_rows, label_rows, ring_label_rows, poly_rows = [], [], [], [], []
    for level in range(1, top + 1):
        for i in range(n + 1):
            x, y = _xy(i % n, n, level)
            grid_rows.append({"ring": level, "order": i, "x": x, "y": y})
        ring_label_rows.append({"x": 0.05, "y": level, "text": ring_labels[level]})
    for i, (area_id, name) in enumerate(areas):
        x, y = _xy(i, n, top)
        spoke_rows += [{"area": area_id, "x": 0, "y": 0}, {"area": area_id, "x": x, "y": y}]
        lx, ly = _xy(i, n, top * 1.16)
        label_rows.append({"area": area_id, "name": name, "x": lx, "y": ly})
    for s in series:
        present = [(i, a) for i, (a, _) in enumerate(areas) if s.values.get(a) is not None]
        for order, (i, area_id) in enumerate(present + present[:1]):
            value = s.values[area_id]
            x, y = _xy(i, n, value)
            poly_rows.append({"series": s.label, "key": s.key, "area": area_id, "value": value,
                              "text": format_decimal(value, lang, 1), "order": order,
                              "x": x, "y": y})
    domain = [-top * 1.35, top * 1.35]
    scale = alt.Scale(domain=domain, nice=False)
    x = alt.X("x:Q", scale=scale, axis=None)
    y = alt.Y("y:Q", scale=scale, axis=None)
    labels = [s.label for s in series]
    colors = [SERIES_STYLE[s.key]["color"] for s in series]
    dashes = [SERIES_STYLE[s.key]["dash"] for s in series]
    shapes = [SERIES_STYLE[s.key]["shape"] for s in series]

    grid = alt.Chart(alt.Data(values=grid_rows), name="grid").mark_line(
        color="#bbbbbb", strokeWidth=0.8).encode(x=x, y=y, detail=alt.Detail("ring:N"), order=alt.Order("order:Q"))
    spokes = alt.Chart(alt.Data(values=spoke_rows), name="spokes").mark_line(
        color="#bbbbbb", strokeWidth=0.8).encode(x=x, y=y, detail=alt.Detail("area:N"))
    ring_text = alt.Chart(alt.Data(values=ring_label_rows), name="ring_labels").mark_text(
        align="left", dx=3, fontSize=10, color="#555555").encode(x=x, y=y, text=alt.Text("text:N"))
    area_text = alt.Chart(alt.Data(values=label_rows), name="area_labels").mark_text(
        fontSize=12, fontWeight="bold").encode(x=x, y=y, text=alt.Text("area:N"),
                                               tooltip=[alt.Tooltip("name:N", title=tr("col_area"))])
    legend_scale = dict(domain=labels)
    legend = alt.Legend(orient="bottom", title=None, symbolOpacity=1, symbolStrokeWidth=2)
    color = alt.Color("series:N", scale=alt.Scale(range=colors, **legend_scale), legend=legend)
    fills = alt.Chart(alt.Data(values=poly_rows), name="fills").mark_line(
        filled=True, opacity=0.15, strokeWidth=0).encode(
        x=x, y=y, order=alt.Order("order:Q"), detail=alt.Detail("series:N"),
        color=color,
    )
    polygons = alt.Chart(alt.Data(values=poly_rows), name="polygons").mark_line(
        strokeWidth=2.2).encode(
        x=x, y=y, order=alt.Order("order:Q"),
        color=color,
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(range=dashes, **legend_scale),
                                  legend=None),
        detail=alt.Detail("series:N"),
    )
    points = alt.Chart(alt.Data(values=poly_rows), name="points").mark_point(
        filled=True, size=60).encode(
        x=x, y=y,
        color=color,
        shape=alt.Shape("series:N", scale=alt.Scale(range=shapes, **legend_scale), legend=legend),
        tooltip=[alt.Tooltip("series:N", title=tr("col_series")),
                 alt.Tooltip("area:N", title=tr("col_area")),
                 alt.Tooltip("text:N", title=tr("col_level"))],
    )
    chart = alt.layer(grid, spokes, ring_text, fills, polygons, points, area_text).properties(
        width=SIZE, height=SIZE)
    if title:
        chart = chart.properties(title=title)
    return chart.configure_view(strokeWidth=0)


def radar_table(areas: list[tuple[str, str]], series: list[Series], area_header: str,
                lang: str) -> Table:
    """A radar's figures as a table: a row per area (``areas``: id and the name shown), a
    column per series keyed by the series' key ("current", "target", …) and headed by its
    label, each cell the series' level ("–" where it has none)."""
    rows = [{"area": shown, **{s.key: format_level(s.values.get(area_id), lang) for s in series}}
            for area_id, shown in areas]
    return Table(rows, {"area": area_header, **{s.key: s.label for s in series}})
