"""The comparison charts and their tables: per-area trend over time, a radar of up to four
dates, a unit × area heatmap and the national-survey dot plot.

Each ``*_view`` returns ``(chart, table)`` – the Altair chart and the same figures as a
``Table`` – and each ``*_rows`` a ``Table``, so the Jämför page shows both and tests check
the Vega-Lite spec and the rows without Streamlit. A table's rows are keyed by field names
("area", "level_before", a snapshot's key), with its headers in the reader's language beside
them. Meaning never rests on colour: the trend is one small chart per area with the score
written at each point, radar series differ by dash and point shape too, heatmap cells hold
their score as text, and the national plot tells its two series apart by shape.

``labels`` maps a snapshot's key to the name shown for it (a date, or a unit with its
date); the caller makes the names unique.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import altair as alt

from assessment.bank import Bank
from assessment.i18n import format_decimal, format_level, format_percent, format_score, translate
from charts.radar import Series, radar_chart, radar_table
from charts.style import LEVEL_SCHEME, SERIES_STYLE
from charts.table import Table
from charts.views import area_label
from scoring.compare import (
    IMPROVED,
    UNCHANGED,
    WORSENED,
    AreaSpread,
    BelowTarget,
    NationalItem,
    Snapshot,
    Step,
    Timeline,
    basis_note,
)

# The radar's series for the newest, second, third and fourth newest date.
RADAR_KEYS = ("current", "previous", "extra1", "extra2")
LIST_LIMIT = 3


def _inline(rows: list[dict]) -> dict:
    """Rows as inline data. A plain dict, not ``alt.Data(values=rows)``: Altair validates an
    ``alt.Data`` against the Vega-Lite schema when it is made, row by row (0.5 s for the
    2,700 cells of 300 units × 9 areas), and copies it into every layer; a dict is moved
    once into the spec's ``datasets``. The specs are validated in tests/test_compare.py."""
    return {"values": rows}


def _tr(lang: str):
    return lambda key, **kw: translate(lang, f"compare.{key}", **kw)


def _headers(lang: str, *fields: str) -> dict[str, str]:
    """Each field headed by its ``compare.col_<field>``."""
    tr = _tr(lang)
    return {f: tr(f"col_{f}") for f in fields}


def signed(value: float | None, lang: str, digits: int = 1) -> str:
    """+1,5 / −0,5 / 0 (Swedish decimal comma, a real minus sign); None → "–"."""
    return format_decimal(value, lang, digits, sign=True)


def mean_level(value: float | None, lang: str) -> str:
    """An area's mean level to two decimals without trailing zeros (1,25 · 2,5 · 1,67), so
    that before, after and the change agree."""
    return format_decimal(value, lang, 2, trim=True)


def direction_text(direction: str | None, lang: str) -> str:
    """"↑ förbättrat", "= oförändrat", "↓ försämrat" or "kan inte jämföras": a word, and an
    arrow for a quick scan, never a colour."""
    key = direction if direction in (IMPROVED, UNCHANGED, WORSENED) else "not_comparable"
    return translate(lang, f"compare.direction.{key}")


# --- over time ---------------------------------------------------------------------------------

def trend_view(line: Timeline, bank: Bank, labels: Mapping[str, str],
               lang: str) -> tuple[alt.FacetChart, Table]:
    """One small chart per area: the score (0–100) at each date, written at its point. The
    table: a row per area, a column per date (keyed by the snapshot's key)."""
    tr = _tr(lang)
    dates = [labels[s.key] for s in line.snapshots]
    rows = []
    for a in line.areas:
        name = area_label(bank, a.id, lang)
        for date, score in zip(dates, a.scores):
            rows.append({"area": a.id, "name": name, "date": date, "score": score,
                         "text": format_score(score, lang)})
    chart = trend_chart(rows, [a.id for a in line.areas], dates, tr("col_score"), tr("col_date"),
                        tr("col_area"))
    keys = [s.key for s in line.snapshots]
    table = [{"area": area_label(bank, a.id, lang),
              **{key: format_score(score, lang) for key, score in zip(keys, a.scores)},
              "change_first_last": signed(a.change, lang, 0) + basis_note(
                  a.same_basis or a.change is None, len(a.bases[0]), len(a.bases[-1]), lang)}
             for a in line.areas]
    return chart, Table(table, {**_headers(lang, "area"), **dict(zip(keys, dates)),
                                **_headers(lang, "change_first_last")})


def trend_chart(rows: list[dict], area_order: list[str], date_order: list[str],
                score_title: str, date_title: str, area_title: str) -> alt.FacetChart:
    """``rows``: {"area", "name", "date", "score" (0–100 or None), "text"}."""
    style = SERIES_STYLE["current"]
    base = alt.Chart().encode(
        x=alt.X("date:O", sort=date_order, title=date_title,
              axis=alt.Axis(labelAngle=-45, labelOverlap=False)),
        y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title=score_title),
        tooltip=[alt.Tooltip("name:N", title=area_title), alt.Tooltip("date:O", title=date_title),
                 alt.Tooltip("text:N", title=score_title)],
    ).transform_filter("datum.score !== null")
    # The line and the points are left out of the chart's accessibility tree (aria=False): an
    # area without a score leaves them empty, and Vega gives an empty mark an image role with
    # no name (axe-core: svg-img-alt). The text marks carry every value for a screen reader,
    # and the table under the chart has them all.
    line = base.mark_line(color=style["color"], strokeWidth=2, aria=False)
    points = base.mark_point(filled=True, size=50, color=style["color"], shape=style["shape"],
                             aria=False)
    text = base.mark_text(dy=-10, fontSize=10).encode(text=alt.Text("text:N"))
    return alt.layer(line, points, text, data=_inline(rows)).properties(
        width=150, height=120,
    ).facet(
        facet=alt.Facet("area:N", sort=area_order, title=None,
                        header=alt.Header(labelFontWeight="bold", labelFontSize=12)),
        columns=5,
    )


def radar_time_view(newest_first: Sequence[Snapshot], bank: Bank, labels: Mapping[str, str],
                    lang: str) -> tuple[alt.LayerChart, Table]:
    """Up to four dates of one unit on one radar (mean level per area), newest first. The
    table's date columns are keyed by the series' keys (``RADAR_KEYS``)."""
    tr = _tr(lang)
    shown = list(newest_first)[:len(RADAR_KEYS)]
    area_ids = [a.id for a in bank.areas if any(s.area(a.id) for s in shown)]
    series = [
        Series(key, labels[s.key],
               {a: (s.area(a).mean_level if s.area(a) else None) for a in area_ids})
        for key, s in zip(RADAR_KEYS, shown)
    ]
    rings = [level.label.get(lang) for level in bank.scale.levels]
    chart = radar_chart([(a, bank.area(a).name.get(lang)) for a in area_ids], series, rings,
                        lang=lang)
    table = radar_table([(a, area_label(bank, a, lang)) for a in area_ids], series,
                        tr("col_area"), lang)
    return chart, table


def step_area_rows(change: Step, bank: Bank, labels: Mapping[str, str], lang: str) -> Table:
    """Per area: the mean level before and after, the change in levels and in score, the
    verdict, and the action-plan items done in between that aim at the area."""
    tr = _tr(lang)
    before, after = labels[change.before.key], labels[change.after.key]
    rows = [
        {
            "area": area_label(bank, a.id, lang),
            "level_before": mean_level(a.level.before, lang),
            "level_after": mean_level(a.level.after, lang),
            "change_levels": signed(a.level.delta, lang, 2),
            "change_score": signed(a.score_change, lang, 0),
            "verdict": direction_text(a.level.direction, lang) + basis_note(
                a.same_basis or a.level.delta is None, a.basis_before, a.basis_after, lang),
            "actions": "; ".join(action_text(x, lang) for x in a.actions),
        }
        for a in change.areas
    ]
    return Table(rows, {**_headers(lang, "area"),
                        "level_before": tr("col_level_at", date=before),
                        "level_after": tr("col_level_at", date=after),
                        **_headers(lang, "change_levels", "change_score", "verdict", "actions")})


def action_text(action, lang: str) -> str:
    """"Månadsrapport om vårdskador (G1.1, klar, 2025-05-01)"."""
    parts = [action.activity, translate(lang, f"status.{action.status.value}")]
    if action.due:
        parts.append(action.due.isoformat())
    return f"{action.title} ({', '.join(parts)})"


def step_question_rows(change: Step, bank: Bank, labels: Mapping[str, str], lang: str,
                       only_changed: bool = False) -> Table:
    """Per question: the value before and after (with the level's name), the change in
    levels and the verdict. ``only_changed`` leaves out questions whose value is the same."""
    tr = _tr(lang)
    before, after = labels[change.before.key], labels[change.after.key]
    index = bank.question_index()
    rows = []
    for q in change.questions:
        if only_changed and q.change.before == q.change.after:
            continue
        rows.append({
            "question": q.id,
            "question_text": index[q.id][1].text.get(lang),
            "value_before": bank.scale.value_label(q.change.before, lang),
            "value_after": bank.scale.value_label(q.change.after, lang),
            "change_levels": signed(q.change.delta, lang, 1),
            "verdict": direction_text(q.change.direction, lang),
        })
    return Table(rows, {**_headers(lang, "question", "question_text"),
                        "value_before": tr("col_value_at", date=before),
                        "value_after": tr("col_value_at", date=after),
                        **_headers(lang, "change_levels", "verdict")})


# --- across units ------------------------------------------------------------------------------

def unit_heatmap_view(snapshots: Sequence[Snapshot], bank: Bank, labels: Mapping[str, str],
                      lang: str) -> tuple[alt.LayerChart, Table]:
    """Units (rows, in the order given) × areas (columns): each cell the area's score as
    colour and as text ("–" where there is none). The table's area columns are keyed and
    headed by the area's id."""
    tr = _tr(lang)
    area_ids = [a.id for a in bank.areas if any(s.area(a.id) for s in snapshots)]
    rows, table = [], []
    for s in snapshots:
        line = {"unit": labels[s.key]}
        for a in area_ids:
            scored = s.area(a)
            score = scored.score if scored else None
            rows.append({"unit": labels[s.key], "area": a, "name": bank.area(a).name.get(lang),
                         "score": score, "text": format_score(score, lang)})
            line[a] = format_score(score, lang)
        line["overall"] = format_score(s.overall, lang)
        table.append(line)
    chart = unit_heatmap_chart(rows, area_ids, [labels[s.key] for s in snapshots],
                               tr("col_score"), tr("col_unit"), tr("col_area"))
    return chart, Table(table, {**_headers(lang, "unit"), **{a: a for a in area_ids},
                                **_headers(lang, "overall")})


def unit_heatmap_chart(rows: list[dict], area_order: list[str], unit_order: list[str],
                       score_title: str, unit_title: str, area_title: str) -> alt.LayerChart:
    """``rows``: {"unit", "area", "name", "score" (0–100 or None), "text"}."""
    base = alt.Chart().encode(
        x=alt.X("area:N", sort=area_order, title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("unit:N", sort=unit_order, title=None, axis=alt.Axis(labelLimit=260)),
        tooltip=[alt.Tooltip("unit:N", title=unit_title), alt.Tooltip("name:N", title=area_title),
                 alt.Tooltip("text:N", title=score_title)],
    )
    missing = base.transform_filter("datum.score === null").mark_rect(fill="#f2f2f2", stroke="white")
    cells = base.transform_filter("datum.score !== null").mark_rect(stroke="white").encode(
        color=alt.Color("score:Q", title=score_title,
                        scale=alt.Scale(scheme=LEVEL_SCHEME, domain=[0, 100]),
                        legend=alt.Legend(orient="bottom")),
    )
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("text:N"),
        color=alt.condition("datum.score !== null && datum.score > 50",
                            alt.value("white"), alt.value("black")),
    )
    return alt.layer(missing, cells, text, data=_inline(rows)).properties(
        width=alt.Step(44), height=alt.Step(20))


def spread_rows(spreads: Sequence[AreaSpread], bank: Bank, labels: Mapping[str, str],
                lang: str) -> Table:
    rows = [
        {
            "area": area_label(bank, s.id, lang),
            "min": format_score(s.min, lang),
            "median": format_score(s.median, lang),
            "max": format_score(s.max, lang),
            "units": s.units,
            "lowest": _names([labels[x.key] for x in s.lowest], lang),
            "highest": _names([labels[x.key] for x in s.highest], lang),
        }
        for s in spreads
    ]
    return Table(rows, _headers(lang, "area", "min", "median", "max", "units", "lowest",
                                "highest"))


def below_target_rows(below: Mapping[str, list[BelowTarget]], bank: Bank,
                      labels: Mapping[str, str], lang: str) -> Table:
    rows = [
        {
            "area": area_label(bank, area_id, lang),
            "unit": labels[b.snapshot.key],
            "level": format_level(b.level, lang),
            "target": format_level(b.target, lang),
            "gap": format_level(b.gap, lang),
        }
        for area_id, items in below.items()
        for b in items
    ]
    return Table(rows, _headers(lang, "area", "unit", "level", "target", "gap"))


def _names(names: list[str], lang: str) -> str:
    if len(names) <= LIST_LIMIT:
        return ", ".join(names)
    more = translate(lang, "compare.and_more", count=len(names) - LIST_LIMIT)
    return ", ".join(names[:LIST_LIMIT]) + " " + more


# --- against the national survey ---------------------------------------------------------------

def national_single_rows(items: Sequence[NationalItem], bank: Bank, lang: str,
                         position: int = 0) -> Table:
    """One organisation (``items[…].values[position]``): its answer beside the national
    share answering Ja and that share's change."""
    index = bank.question_index()
    rows = [
        {
            "question": item.id,
            "question_text": index[item.id][1].text.get(lang),
            "your_answer": bank.scale.value_label(item.values[position], lang),
            "national_share": format_percent(item.reference.share_positive / 100, lang),
            "national_change": signed(item.reference.change, lang, 0),
        }
        for item in items
    ]
    return Table(rows, _headers(lang, "question", "question_text", "your_answer",
                                "national_share", "national_change"))


def national_rollup_rows(items: Sequence[NationalItem], bank: Bank, lang: str) -> Table:
    """Several organisations: their share positive (of all answers, and of organisations)
    beside the national share, each with the difference in percentage points."""
    index = bank.question_index()
    rows = [
        {
            "question": item.id,
            "question_text": index[item.id][1].text.get(lang),
            "share_answers": format_percent(item.share_positive, lang, 1),
            "diff_answers": signed(item.difference, lang, 1),
            "share_orgs": format_percent(item.organisations_share, lang, 1),
            "diff_orgs": signed(item.organisations_difference, lang, 1),
            "national_share": format_percent(item.reference.share_positive / 100, lang),
            "national_change": signed(item.reference.change, lang, 0),
            "answers": item.counted_answers,
        }
        for item in items
    ]
    return Table(rows, _headers(lang, "question", "question_text", "share_answers",
                                "diff_answers", "share_orgs", "diff_orgs", "national_share",
                                "national_change", "answers"))


def national_view(items: Sequence[NationalItem], bank: Bank, ours: str,
                  lang: str) -> tuple[alt.LayerChart, Table]:
    """Per item the share positive of the answers (``ours``) and the national share, as two
    points on one line (circle and square), joined by a rule."""
    tr = _tr(lang)
    national_label = tr("series_national")
    points, rules = [], []
    for item in items:
        ours_share = None if item.share_positive is None else 100 * item.share_positive
        national_share = item.reference.share_positive
        for key, label, value in (("ours", ours, ours_share),
                                  ("national", national_label, national_share)):
            if value is not None:
                points.append({"question": item.id, "series": label, "key": key, "share": value,
                               "text": format_percent(value / 100, lang)})
        if ours_share is not None:
            rules.append({"question": item.id, "low": min(ours_share, national_share),
                          "high": max(ours_share, national_share)})
    chart = national_chart(points, rules, [i.id for i in items], [ours, national_label],
                           tr("col_share"), tr("col_question"),
                           translate(lang, "results.col_series"))
    rows = national_rollup_rows(items, bank, lang) if len(items[0].values) > 1 else \
        national_single_rows(items, bank, lang)
    return chart, rows


def national_chart(points: list[dict], rules: list[dict], question_order: list[str],
                   series_order: list[str], share_title: str, question_title: str,
                   series_title: str) -> alt.LayerChart:
    x_scale = alt.Scale(domain=[0, 100])
    y = alt.Y("question:N", sort=question_order, title=None, axis=alt.Axis(labelOverlap=False))
    rule = alt.Chart(_inline(rules), name="rules").mark_rule(color="#999999").encode(
        x=alt.X("low:Q", scale=x_scale, title=share_title), x2=alt.X2("high:Q"), y=y)
    styles = [SERIES_STYLE["current"], SERIES_STYLE["target"]]
    legend = alt.Legend(orient="bottom", title=None, labelLimit=500)
    dots = alt.Chart(_inline(points), name="points").mark_point(
        filled=True, size=80, opacity=1).encode(
        x=alt.X("share:Q", scale=x_scale, title=share_title),
        y=y,
        color=alt.Color("series:N", scale=alt.Scale(domain=series_order,
                                                     range=[s["color"] for s in styles]),
                        legend=legend),
        shape=alt.Shape("series:N", scale=alt.Scale(domain=series_order,
                                                     range=[s["shape"] for s in styles]),
                        legend=legend),
        tooltip=[alt.Tooltip("question:N", title=question_title),
                 alt.Tooltip("series:N", title=series_title),
                 alt.Tooltip("text:N", title=share_title)],
    )
    return alt.layer(rule, dots).properties(width=420, height=alt.Step(22))
