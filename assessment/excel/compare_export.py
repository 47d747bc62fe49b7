"""The comparison of several assessments as one Excel workbook (``compare --xlsx``).

One sheet per view, with the conventions of ``export.py`` (every cell through
``cells.put``/``write_table``: user text never becomes a formula; numbers as numbers with
number formats; frozen headers, autofilters, A4 print set-up):

- Självskattningar: the assessments by date (number, date, organisation, unit, file, overall);
- Över tid: one block per unit (``scoring.compare.timelines``; the unit named in its
  heading): per area the score of each of the unit's assessments and the change from the
  unit's first to its last, then per question the value of each and the change between
  levels. A unit with one assessment gets its scores and the words "ingen trend" – no
  change. Assessments of different units are never in one series;
- Mellan enheter: the latest assessment of each unit, its score per area; the spread of
  each area (min / median / max) and the units furthest below target;
- Mot riket: for banks with national reference values, per question the share positive of
  all answers and of the organisations beside the national share (labelled for what it
  is: the share of municipalities answering that the plan has influenced this), the
  differences in percentage points, and each organisation's own answer.

Every figure comes from ``scoring.compare``; the workbook holds values, not formulas.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Mapping, Sequence

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.worksheet.pagebreak import Break

from assessment.bank import Bank
from assessment.excel.cells import (ITALIC, SUBTITLE, TITLE, Col, PageFrame, TableRange,
                                    line_height, new_workbook, page_setup, put_text, wrapped_note,
                                    write_table)
from assessment.i18n import translate
from scoring.compare import (
    IMPROVED,
    UNCHANGED,
    WORSENED,
    Snapshot,
    UnitTimeline,
    basis_note,
    by_date,
    steps,
    change,
    date_names,
    furthest_below_target,
    has_reference,
    latest_per_unit,
    national,
    national_label,
    spread,
    timelines,
    unit_names,
)
from scoring.questions import NA, UNKNOWN, Value, is_numeric

SHEET_KEYS = ("assessments", "over_time", "units", "national")


def sheet_names(lang: str = "sv") -> list[str]:
    return [translate(lang, f"compare.excel.sheets.{key}") for key in SHEET_KEYS]


def compare_workbook(snapshots: Sequence[Snapshot], bank: Bank, lang: str = "sv", *,
                     sources: Mapping[str, str] | None = None,
                     exported_at: dt.datetime | None = None) -> bytes:
    """The workbook (``.xlsx`` bytes) comparing ``snapshots`` (all of ``bank``). ``sources``
    names where each snapshot came from (by key; default: the key, e.g. the file name)."""
    exported_at = (exported_at or dt.datetime.now()).replace(microsecond=0, tzinfo=None)
    ctx = _Context(by_date(snapshots), bank, lang)
    ctx.sources = dict(sources or {})
    wb, sheets = new_workbook(sheet_names(lang))
    _assessments(sheets[0], ctx)
    _over_time(sheets[1], ctx)
    _units(sheets[2], ctx)
    _national(sheets[3], ctx)
    wb.active = 0
    wb.properties.title = ctx.t("title")
    wb.properties.creator = translate(lang, "excel.app_name")
    wb.properties.created = wb.properties.modified = exported_at
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class _Context:
    def __init__(self, snapshots: list[Snapshot], bank: Bank, lang: str):
        self.snapshots = snapshots
        self.bank = bank
        self.lang = lang
        self.index = bank.question_index()
        self.unknown = bank.scale.value_label("unknown", lang)
        self.na = bank.scale.value_label("na", lang)
        self.sources: dict[str, str] = {}
        self.frame = PageFrame(f"{self.t('title')} – {bank.title.get(lang)}",
                               translate(lang, "excel.page"))

    def t(self, key: str, **values) -> str:
        return translate(self.lang, f"compare.excel.{key}", **values)

    def col(self, key: str, kind: str = "text", width: float | None = None, **values) -> Col:
        return Col(self.t(f"col.{key}", **values), kind, width, key)

    def area_name(self, area_id: str) -> str:
        return self.bank.area(area_id).name.get(self.lang)

    def question_text(self, question_id: str) -> str:
        return self.index[question_id][1].text.get(self.lang)

    def value(self, value: Value):
        """A question's value as a cell: the level as a number, or Vet ej / Ej aktuellt."""
        if value == UNKNOWN:
            return self.unknown
        if value == NA:
            return self.na
        return float(value) if is_numeric(value) else None

    def verdict(self, direction: str | None) -> str:
        key = direction if direction in (IMPROVED, UNCHANGED, WORSENED) else "not_comparable"
        return translate(self.lang, f"compare.direction.{key}")


def _heading(ws, row: int, text: str, font=SUBTITLE) -> None:
    put_text(ws.cell(row=row, column=1), text)
    ws.cell(row=row, column=1).font = font
    ws.row_dimensions[row].height = 20 if font is TITLE else 17


def _note(ws, row: int, text: str) -> None:
    put_text(ws.cell(row=row, column=1), text)
    ws.cell(row=row, column=1).font = ITALIC


def _assessments(ws, ctx: _Context) -> None:
    columns = [ctx.col("number", "int"), ctx.col("date", "date"), ctx.col("organisation"),
               ctx.col("unit"), ctx.col("source"), ctx.col("overall", "score"),
               ctx.col("participants", "int")]
    rows = [[n, s.date, s.organisation, s.unit, ctx.sources.get(s.key, s.key), s.overall,
             s.participants]
            for n, s in enumerate(ctx.snapshots, 1)]
    write_table(ws, columns, rows)
    page_setup(ws, ctx.frame, title_rows="1:1")


def _over_time(ws, ctx: _Context) -> None:
    """One block per unit, each after the first on a new page; with one unit its questions'
    header is repeated on every page."""
    _heading(ws, 1, ctx.t("over_time_title"), TITLE)
    row = 4
    units = timelines(ctx.snapshots, ctx.bank)
    title_rows = None
    for n, unit in enumerate(units):
        if n:
            ws.row_breaks.append(Break(id=row - 1))
        row, questions_header = _unit_block(ws, ctx, unit, row, size_columns=True if n == 0 else "grow")
        row += 2
        if len(units) == 1:
            title_rows = questions_header
    wrapped_note(ws, 2, ctx.t("over_time_note"), ws.max_column)
    page_setup(ws, ctx.frame, title_rows=f"{title_rows}:{title_rows}" if title_rows else None)


CHART_ROWS = 16  # rows of 15 pt under a chart 7.5 cm high
QUESTION_WIDTH = 50  # column B of Över tid: the areas' names and the questions


def _unit_block(ws, ctx: _Context, unit: UnitTimeline, top: int,
                size_columns: bool | str) -> tuple[int, int | None]:
    """One unit's block from row ``top`` (its name, then its areas with a chart, the
    action-plan items done between its dates and its questions); returns its last row and
    the row of its questions' header."""
    line = unit.line
    labels = date_names(line.snapshots)
    if not unit.has_trend:
        only = line.snapshots[0]
        _heading(ws, top, ctx.t("over_time_single", name=unit.name, date=only.date.isoformat()))
        columns = [ctx.col("area"), ctx.col("area_name", "wrap", 34),
                   Col(labels[only.key], "score", key=_date_key(only))]
        rows = [[a.id, ctx.area_name(a.id), a.scores[0]] for a in line.areas]
        return write_table(ws, columns, rows, top=top + 1, freeze=False, autofilter=False,
                           size_columns=size_columns).last_row, None
    _heading(ws, top, ctx.t("over_time_unit", name=unit.name, count=len(line.snapshots)))
    dates = [Col(labels[s.key], "score", key=_date_key(s)) for s in line.snapshots]
    area_columns = ([ctx.col("area"), ctx.col("area_name", "wrap", QUESTION_WIDTH)] + dates
                    + [ctx.col("change_score", "signed"), ctx.col("verdict")])
    area_rows = [
        [a.id, ctx.area_name(a.id), *a.scores, a.change,
         ctx.verdict(change(a.scores[0], a.scores[-1]).direction) + basis_note(
             a.same_basis or a.change is None, len(a.bases[0]), len(a.bases[-1]), ctx.lang)]
        for a in line.areas
    ]
    areas = write_table(ws, area_columns, area_rows, top=top + 1, freeze=False, autofilter=False,
                        size_columns=size_columns)
    row = areas.last_row + 2
    ws.add_chart(_line_chart(ws, ctx, areas, [c.key for c in dates]), f"A{row}")
    for offset in range(CHART_ROWS):
        ws.row_dimensions[row + offset].height = 15
    row += CHART_ROWS + 1
    row = _done_actions(ws, ctx, line.snapshots, labels, row) + 2

    _heading(ws, row, ctx.t("questions_title"))
    question_columns = ([ctx.col("question_id"), ctx.col("question", "wrap", QUESTION_WIDTH)]
                        + [Col(c.header, "level", key=c.key) for c in dates]
                        + [ctx.col("change_levels", "level"), ctx.col("verdict")])
    question_rows = [
        [q.id, ctx.question_text(q.id), *(ctx.value(v) for v in q.values), q.change,
         ctx.verdict(change(q.values[0], q.values[-1]).direction)]
        for q in line.questions
    ]
    return write_table(ws, question_columns, question_rows, top=row + 1, freeze=False,
                       autofilter=False, size_columns="grow").last_row, row + 1


def _date_key(snapshot: Snapshot) -> str:
    """The key of a snapshot's column in a table over time."""
    return f"date:{snapshot.key}"


def _series(chart, ws, table: TableRange, title_key: str, value_keys: Sequence[str]) -> None:
    """One series per row of ``table``: its values in the columns ``value_keys`` (side by
    side), named by its column ``title_key``; the headers of those columns are the
    categories."""
    first, last = table.column_of(value_keys[0]), table.column_of(value_keys[-1])
    title_column = table.column_of(title_key)
    for row in range(table.first_row, table.last_row + 1):
        values = Reference(ws, min_col=first, max_col=last, min_row=row)
        chart.series.append(Series(values, title=str(ws.cell(row=row, column=title_column).value)))
    chart.set_categories(Reference(ws, min_col=first, max_col=last, min_row=table.header_row))


def _line_chart(ws, ctx: _Context, areas: TableRange, date_keys: Sequence[str]) -> LineChart:
    """Each area's score (0–100) at each date: one line per area."""
    chart = LineChart()
    chart.title = ctx.t("chart_title")
    chart.width, chart.height = 24, 7.5
    _series(chart, ws, areas, "area", date_keys)
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 25
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.legend.position = "r"
    return chart


def _done_actions(ws, ctx: _Context, series: list[Snapshot], labels: Mapping[str, str],
                  top: int) -> int:
    """The action-plan items done (or due) between each two of the unit's dates, by the
    area they aim at (``scoring.compare.steps``, as the app's follow-up shows); returns the
    last row written."""
    lang = ctx.lang
    _heading(ws, top, translate(lang, "compare.actions_title"))
    _note(ws, top + 1, translate(lang, "compare.actions_help"))
    # The columns line up with the areas table above (ids, long text, then short ones).
    rows = [
        [x.activity, x.title, translate(lang, f"status.{x.status.value}"), x.due,
         ctx.t("period_value", before=labels[s.before.key], after=labels[s.after.key])]
        for s in steps(series, ctx.bank) for a in s.areas for x in a.actions
    ]
    if not rows:
        _note(ws, top + 2, translate(lang, "compare.no_actions"))
        return top + 2
    columns = [ctx.col("activity_id"), ctx.col("action", "wrap"), ctx.col("status"),
               ctx.col("due", "date"), ctx.col("period", "wrap")]
    return write_table(ws, columns, rows, top=top + 2, freeze=False, autofilter=False,
                       size_columns=False).last_row


def _units(ws, ctx: _Context) -> None:
    latest = latest_per_unit(ctx.snapshots)
    names = unit_names(latest)
    area_ids = [a.id for a in ctx.bank.areas if any(s.area(a.id) for s in latest)]
    _heading(ws, 1, ctx.t("units_title"), TITLE)
    _note(ws, 2, ctx.t("units_note", count=len(latest)))
    ws.row_dimensions[2].height = line_height(1)
    columns = ([ctx.col("unit"), ctx.col("date", "date")]
               + [Col(a, "score", key=f"area:{a}") for a in area_ids] + [ctx.col("overall", "score")])
    rows = [[names[s.key], s.date, *((s.area(a).score if s.area(a) else None) for a in area_ids),
             s.overall] for s in latest]
    table = write_table(ws, columns, rows, top=4, freeze=False, autofilter=False)
    chart_rows = table.last_row + 2
    ws.add_chart(_bar_chart(ws, ctx, table, [f"area:{a}" for a in area_ids]), f"A{chart_rows}")
    for offset in range(CHART_ROWS + 2):
        ws.row_dimensions[chart_rows + offset].height = 15

    row = chart_rows + CHART_ROWS + 3
    _heading(ws, row, ctx.t("spread_title"))
    # The areas' names in column A, as wide as the units' names above.
    spread_columns = [ctx.col("area"), ctx.col("min", "score"),
                      ctx.col("median", "score"), ctx.col("max", "score"),
                      ctx.col("units", "int"), ctx.col("lowest", "wrap", 26),
                      ctx.col("highest", "wrap", 26)]
    spread_rows = [[f"{s.id} {ctx.area_name(s.id)}", s.min, s.median, s.max, s.units,
                    ", ".join(names[x.key] for x in s.lowest),
                    ", ".join(names[x.key] for x in s.highest)]
                   for s in spread(latest, ctx.bank)]
    spreads = write_table(ws, spread_columns, spread_rows, top=row + 1, freeze=False,
                          autofilter=False, size_columns="grow")

    row = spreads.last_row + 2
    _heading(ws, row, ctx.t("below_title"))
    below_columns = [ctx.col("unit"), ctx.col("area"), ctx.col("level", "level"),
                     ctx.col("target", "level"), ctx.col("gap", "level")]
    below_rows = [[names[b.snapshot.key], area_id, b.level, b.target, b.gap]
                  for area_id, items in furthest_below_target(latest, ctx.bank).items()
                  for b in items]
    write_table(ws, below_columns, below_rows, top=row + 1, freeze=False, autofilter=False,
                size_columns="grow")
    page_setup(ws, ctx.frame)


def _bar_chart(ws, ctx: _Context, table: TableRange, area_keys: Sequence[str]) -> BarChart:
    """Each unit's score (0–100) per area: one bar per unit in each area."""
    chart = BarChart()
    chart.type = "col"
    chart.title = ctx.t("units_chart_title")
    chart.width, chart.height = 24, 8
    _series(chart, ws, table, "unit", area_keys)
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.legend.position = "b"
    return chart


def _national(ws, ctx: _Context) -> None:
    _heading(ws, 1, ctx.t("national_title"), TITLE)
    if not has_reference(ctx.bank):
        _note(ws, 2, ctx.t("national_none", bank=ctx.bank.title.get(ctx.lang)))
        page_setup(ws, ctx.frame)
        return
    latest = latest_per_unit(ctx.snapshots)
    names = unit_names(latest)
    note = ctx.t("national_note", count=len(latest), label=national_label(ctx.bank, ctx.lang))
    items = national(latest, ctx.bank)
    columns = ([ctx.col("question_id"), ctx.col("question", "wrap", 50),
                ctx.col("share_answers", "percent"), ctx.col("diff_answers", "level"),
                ctx.col("share_orgs", "percent"), ctx.col("diff_orgs", "level"),
                ctx.col("national_share", "percent"), ctx.col("national_change", "signed"),
                ctx.col("answers", "int")]
               + [Col(names[s.key]) for s in latest])
    rows = [
        [item.id, ctx.question_text(item.id), item.share_positive, item.difference,
         item.organisations_share, item.organisations_difference,
         item.reference.share_positive / 100, item.reference.change, item.counted_answers,
         *(_answer(ctx, v) for v in item.values)]
        for item in items
    ]
    write_table(ws, columns, rows, top=4, freeze=False)
    wrapped_note(ws, 2, note, len(columns))
    page_setup(ws, ctx.frame, title_rows="4:4")


def _answer(ctx: _Context, value: Value) -> str:
    """An organisation's answer as its level's name ("Ja, till stor del"), Vet ej or –."""
    if is_numeric(value):
        if float(value).is_integer():
            return ctx.bank.scale.label(int(value), ctx.lang)
        return f"{value:g}".replace(".", "," if ctx.lang == "sv" else ".")
    if value is None:
        return "–"
    return ctx.value(value)
