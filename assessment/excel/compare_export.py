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


from assessment.bank import Bank
from assessment.excel.cells import (ITALIC, SUBTITLE, TITLE, WRAP, Col, new_workbook, page_setup,
                                    put_text, write_table)
from assessment.i18n import translate
from scoring.compare import (
    IMPROVED,
    UNCHANGED,
    WORSENED,
    Snapshot,
    UnitTimeline,
    by_date,
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
        self.unknown = bank.scale.unknown.label.get(lang)
        self.na = bank.scale.na.label.get(lang) if bank.scale.na else translate(lang, "results.na_short")
        self.sources: dict[str, str] = {}

    def t(self, key: str, **values) -> str:
        return translate(self.lang, f"compare.excel.{key}", **values)

    def col(self, key: str, kind: str = "text", width: float | None = None, **values) -> Col:
        return Col(self.t(f"col.{key}", **values), kind, width)

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


def _note(ws, row: int, text: str) -> None:
    put_text(ws.cell(row=row, column=1), text)
    ws.cell(row=row, column=1).font = ITALIC


def _assessments(ws, ctx: _Context) -> None:
    columns = [ctx.col("number", "int"), ctx.col("date", "date"), ctx.col("organisation"),
               ctx.col("unit"), ctx.col("source"), ctx.col("overall", "score")]
    rows = [[n, s.date, s.organisation, s.unit, ctx.sources.get(s.key, s.key), s.overall]
            for n, s in enumerate(ctx.snapshots, 1)]
    write_table(ws, columns, rows)
    page_setup(ws, title_rows="1:1")


def _over_time(ws, ctx: _Context) -> None:
    _heading(ws, 1, ctx.t("over_time_title"), TITLE)
    _note(ws, 2, ctx.t("over_time_note"))
    ws.cell(row=2, column=1).alignment = WRAP
    row = 4
    for n, unit in enumerate(timelines(ctx.snapshots, ctx.bank)):
        row = _unit_block(ws, ctx, unit, row, size_columns=n == 0) + 2
    page_setup(ws)


def _unit_block(ws, ctx: _Context, unit: UnitTimeline, top: int, size_columns: bool) -> int:
    """One unit's block from row ``top`` (its name, then its areas and questions); returns
    its last row."""
    line = unit.line
    labels = date_names(line.snapshots)
    if not unit.has_trend:
        only = line.snapshots[0]
        _heading(ws, top, ctx.t("over_time_single", name=unit.name, date=only.date.isoformat()))
        columns = [ctx.col("area"), ctx.col("area_name", "wrap", 34), Col(labels[only.key], "score")]
        rows = [[a.id, ctx.area_name(a.id), a.scores[0]] for a in line.areas]
        return write_table(ws, columns, rows, top=top + 1, freeze=False, autofilter=False,
                           size_columns=size_columns).last_row
    _heading(ws, top, ctx.t("over_time_unit", name=unit.name, count=len(line.snapshots)))
    dates = [labels[s.key] for s in line.snapshots]
    area_columns = ([ctx.col("area"), ctx.col("area_name", "wrap", 34)]
                    + [Col(label, "score") for label in dates]
                    + [ctx.col("change_score", "signed"), ctx.col("verdict")])
    area_rows = [
        [a.id, ctx.area_name(a.id), *a.scores, a.change,
         ctx.verdict(change(a.scores[0], a.scores[-1]).direction)]
        for a in line.areas
    ]
    areas = write_table(ws, area_columns, area_rows, top=top + 1, freeze=False, autofilter=False,
                        size_columns=size_columns)
    row = areas.last_row + 2
    _heading(ws, row, ctx.t("questions_title"))
    question_columns = ([ctx.col("question_id"), ctx.col("question", "wrap", 50)]
                        + [Col(label, "level") for label in dates]
                        + [ctx.col("change_levels", "level"), ctx.col("verdict")])
    question_rows = [
        [q.id, ctx.question_text(q.id), *(ctx.value(v) for v in q.values), q.change,
         ctx.verdict(change(q.values[0], q.values[-1]).direction)]
        for q in line.questions
    ]
    return write_table(ws, question_columns, question_rows, top=row + 1, freeze=False,
                       autofilter=False, size_columns=False).last_row


def _units(ws, ctx: _Context) -> None:
    latest = latest_per_unit(ctx.snapshots)
    names = unit_names(latest)
    area_ids = [a.id for a in ctx.bank.areas if any(s.area(a.id) for s in latest)]
    _heading(ws, 1, ctx.t("units_title"), TITLE)
    _note(ws, 2, ctx.t("units_note", count=len(latest)))
    columns = ([ctx.col("unit"), ctx.col("date", "date")]
               + [Col(a, "score") for a in area_ids] + [ctx.col("overall", "score")])
    rows = [[names[s.key], s.date, *((s.area(a).score if s.area(a) else None) for a in area_ids),
             s.overall] for s in latest]
    table = write_table(ws, columns, rows, top=4, freeze=False, autofilter=False)

    row = table.last_row + 2
    _heading(ws, row, ctx.t("spread_title"))
    spread_columns = [ctx.col("area"), ctx.col("area_name", "wrap", 34), ctx.col("min", "score"),
                      ctx.col("median", "score"), ctx.col("max", "score"),
                      ctx.col("units", "int"), ctx.col("lowest", "wrap", 40),
                      ctx.col("highest", "wrap", 40)]
    spread_rows = [[s.id, ctx.area_name(s.id), s.min, s.median, s.max, s.units,
                    ", ".join(names[x.key] for x in s.lowest),
                    ", ".join(names[x.key] for x in s.highest)]
                   for s in spread(latest, ctx.bank)]
    spreads = write_table(ws, spread_columns, spread_rows, top=row + 1, freeze=False,
                          autofilter=False, size_columns=False)

    row = spreads.last_row + 2
    _heading(ws, row, ctx.t("below_title"))
    below_columns = [ctx.col("area"), ctx.col("area_name", "wrap", 34), ctx.col("unit"),
                     ctx.col("level", "level"), ctx.col("target", "level"),
                     ctx.col("gap", "level")]
    below_rows = [[area_id, ctx.area_name(area_id), names[b.snapshot.key], b.level, b.target,
                   b.gap]
                  for area_id, items in furthest_below_target(latest, ctx.bank).items()
                  for b in items]
    write_table(ws, below_columns, below_rows, top=row + 1, freeze=False, autofilter=False,
                size_columns=False)
    page_setup(ws)


def _national(ws, ctx: _Context) -> None:
    _heading(ws, 1, ctx.t("national_title"), TITLE)
    if not has_reference(ctx.bank):
        _note(ws, 2, ctx.t("national_none", bank=ctx.bank.title.get(ctx.lang)))
        return
    latest = latest_per_unit(ctx.snapshots)
    names = unit_names(latest)
    note = ctx.t("national_note", count=len(latest), label=national_label(ctx.bank, ctx.lang))
    _note(ws, 2, note)
    ws.cell(row=2, column=1).alignment = WRAP
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
    page_setup(ws)


def _answer(ctx: _Context, value: Value) -> str:
    """An organisation's answer as its level's name ("Ja, till stor del"), Vet ej or –."""
    if is_numeric(value):
        if float(value).is_integer():
            return ctx.bank.scale.label(int(value), ctx.lang)
        return f"{value:g}".replace(".", "," if ctx.lang == "sv" else ".")
    if value is None:
        return "–"
    return ctx.value(value)
