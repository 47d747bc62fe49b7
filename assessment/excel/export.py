"""The whole assessment as one Excel workbook, for the patientsäkerhetsberättelse and the
local handlingsplan. ``export_workbook`` returns the bytes; the app's download and the
CLI's ``export`` both call it, so they give the same workbook.

Sheets (Swedish names, English with ``lang="en"``): Sammanfattning (with a native radar
chart of nuläge and mål per area), Svar, Frågor, Kunskapsluckor, Prioriteringar,
Handlingsplan and Metadata. Every number comes from ``scoring.score_assessment``; the
workbook holds values, not formulas.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from importlib import metadata

from openpyxl.chart import RadarChart, Reference, Series
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from assessment.action_plan import (LOCAL, PLAN_FIELDS, grouped_by_perspective, plan_values,
                                    section_heading)
from assessment.bank import Bank
from assessment.document import FORMAT, FORMAT_VERSION, Assessment
from assessment.excel.cells import (
    BOLD, ITALIC, LEFT_WRAP, NUMBER_FORMATS, SUBTITLE, TITLE, WRAP, Col, PageFrame, TableRange,
    estimated_height, new_workbook, page_setup, put, put_text, wrapped_note, write_table,
)
from assessment.i18n import translate
from scoring.areas import thin_by_perspective
from scoring.explain import coverage_text, explain, thin_basis
from scoring.questions import is_numeric
from scoring.score import AssessmentScore, score_assessment

PACKAGE = "patientsakerhet-sjalvskattning"
SHEET_KEYS = ("summary", "answers", "questions", "gaps", "priorities", "plan", "metadata")


def app_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "dev"


def sheet_names(lang: str = "sv") -> list[str]:
    """The workbook's sheet names, in order."""
    return [translate(lang, f"excel.sheets.{key}") for key in SHEET_KEYS]


def export_workbook(assessment: Assessment, bank: Bank, lang: str = "sv", *,
                    exported_at: dt.datetime | None = None,
                    result: AssessmentScore | None = None) -> bytes:
    """The workbook (``.xlsx`` bytes) of a scored assessment.

    ``exported_at`` is the time written into Metadata and the file properties (default:
    now); ``result`` may be passed when the caller has already scored the assessment.
    """
    exported_at = (exported_at or dt.datetime.now()).replace(microsecond=0, tzinfo=None)
    result = result or score_assessment(assessment, bank)
    ctx = _Context(assessment, bank, result, lang)
    wb, sheets = new_workbook(sheet_names(lang))
    _summary(sheets[0], ctx)
    _answers(sheets[1], ctx)
    _questions(sheets[2], ctx)
    _knowledge_gaps(sheets[3], ctx)
    _priorities(sheets[4], ctx)
    _action_plan(sheets[5], ctx)
    _metadata(sheets[6], ctx, exported_at)
    wb.active = 0
    wb.properties.title = f"{ctx.t('summary.title')} – {assessment.organisation.name}"
    wb.properties.creator = ctx.t("app_name")
    wb.properties.created = wb.properties.modified = exported_at
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class _Context:
    def __init__(self, assessment: Assessment, bank: Bank, result: AssessmentScore, lang: str):
        self.assessment = assessment
        self.bank = bank
        self.result = result
        self.lang = lang
        scale = bank.scale
        self.unknown = scale.value_label("unknown", lang)
        self.na = scale.value_label("na", lang)
        self.index = bank.question_index()
        self.frame = PageFrame(f"{assessment.organisation.label}, {assessment.date.isoformat()}",
                               translate(lang, "excel.page"))

    def t(self, key: str, **values) -> str:
        return translate(self.lang, f"excel.{key}", **values)

    def col(self, key: str, kind: str = "text", width: float | None = None) -> Col:
        return Col(self.t(f"col.{key}", unknown=self.unknown, na=self.na), kind, width, key)

    def yes_no(self, flag: bool) -> str:
        return self.t("yes") if flag else self.t("no")

    def area_name(self, area_id: str) -> str:
        return self.bank.area(area_id).name.get(self.lang)

    def question_text(self, question_id: str) -> str:
        return self.index[question_id][1].text.get(self.lang)

    def activity_text(self, question_id: str) -> str:
        text = self.index[question_id][1].title(self.lang).strip()
        return text[:1].upper() + text[1:]


# --- Sammanfattning ----------------------------------------------------------------------


SUMMARY_WIDTHS = (28, 42, 11, 11, 11, 11, 11, 11, 11, 22)
CHART_ANCHOR = "D3"
CHART_CM = (21, 12)  # width, height
TOP_PRIORITIES = 5


def _summary(ws, ctx: _Context) -> None:
    """Facts on the left, the radar chart to their right; below them the area and
    time-perspective tables, the five highest priorities and the participants: the page
    width of a landscape page."""
    from assessment.report.build import status_counts  # noqa: PLC0415 (charts: only when used)

    a, bank, result, lang = ctx.assessment, ctx.bank, ctx.result, ctx.lang
    for number, width in enumerate(SUMMARY_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
    put_text(ws["A1"], ctx.t("summary.title"))
    ws["A1"].font = TITLE
    ws.row_dimensions[1].height = 20
    put_text(ws["A2"], a.organisation.label)
    ws["A2"].font = SUBTITLE
    ws.row_dimensions[2].height = 17

    done, total = result.progress
    plan = (ctx.t("summary.plan_value", count=len(a.actions), statuses=status_counts(a, lang))
            if a.actions else ctx.t("summary.plan_none"))
    facts = [
        ("organisation", a.organisation.name, None),
        ("unit", a.organisation.unit or "–", None),
        ("kind", translate(lang, f"kind.{a.organisation.kind.value}"), None),
        ("audience", translate(lang, f"kind.{a.effective_audience.value}"), None),
        ("date", a.date, "date"),
        ("bank", bank.title.get(lang), None),
        ("bank_version", ctx.t("summary.bank_version_value", id=bank.id, version=bank.version),
         None),
        ("participants", len(a.participants), "int"),
        ("answered", ctx.t("summary.answered_value", done=done, total=total), None),
        ("overall", result.overall, "score"),
        ("overall_covers", coverage_text(result.summary, lang, result.areas), None),
        ("na_questions", result.summary.na_questions, "int"),
        ("knowledge_gaps", result.summary.knowledge_gaps, "int"),
        ("uncertain", result.summary.uncertain, "int"),
        ("disagreements", result.summary.disagreements, "int"),
        ("plan", plan, None),
    ]
    row = 3
    used = 0.0  # points below row 3, to keep the tables below the chart
    for key, value, kind in facts:
        row += 1
        label = ctx.t(f"summary.{key}")
        put_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = BOLD
        ws.cell(row=row, column=1).alignment = LEFT_WRAP
        target = ws.cell(row=row, column=2)
        put(target, value if value is not None else "–", NUMBER_FORMATS.get(kind or ""))
        target.alignment = LEFT_WRAP
        texts = [(label, SUMMARY_WIDTHS[0])]
        if isinstance(value, str):
            texts.append((value, SUMMARY_WIDTHS[1]))
        height = estimated_height(texts, header=True) or ROW_POINTS
        ws.row_dimensions[row].height = height
        used += height
        if key == "overall":
            target.font = BOLD

    if result.areas:
        for _ in range(max(0, int((CHART_CM[1] * CM_POINTS - used) / ROW_POINTS) + 1)):
            row += 1
            ws.row_dimensions[row].height = ROW_POINTS
    row += 2
    row = _subtitle(ws, row, ctx.t("summary.areas_title"))
    area_columns = [ctx.col("area"), ctx.col("area_name", "wrap", 42), ctx.col("score", "score"),
                    ctx.col("level", "level"), ctx.col("target", "level"),
                    ctx.col("gap", "level"), ctx.col("coverage", "percent"),
                    ctx.col("unknown_share", "percent"), ctx.col("importance", "int"),
                    ctx.col("time_perspective"), ctx.col("unknown_answers", "int"),
                    ctx.col("counted_answers", "int"), ctx.col("na_answers", "int"),
                    ctx.col("disagreements", "int"), ctx.col("basis", "wrap", 22)]
    # An area on too little basis shows no score, level or gap (nor a point in the radar,
    # drawn from the level column): its basis says why.
    area_rows = [
        [s.id, ctx.area_name(s.id), None if s.thin else s.score, s.solid_level,
         s.target, s.solid_gap, s.coverage,
         s.unknown_share, s.importance, _time_word(s.time_perspective, lang), s.unknown_answers,
         s.counted_answers, s.na_answers, s.open_disagreements,
         thin_basis(s, lang) if s.thin else ""]
        for s in result.areas
    ]
    areas = write_table(ws, area_columns, area_rows, top=row, freeze=False, autofilter=False,
                        size_columns=False)
    if any(not s.time_perspective for s in result.areas):
        row = wrapped_note(ws, areas.last_row + 2, ctx.t("summary.time_note"), areas.columns)
    else:
        row = areas.last_row

    row = _subtitle(ws, row + 2, ctx.t("summary.time_title"))
    per_time: dict[str, list[str]] = {}
    for s in result.areas:
        if s.time_perspective and not s.thin:
            per_time.setdefault(s.time_perspective, []).append(s.id)
    thin = thin_by_perspective(result.areas)
    time_rows = [
        [translate(lang, f"time.{tp}"),
         "; ".join(filter(None, (", ".join(per_time.get(tp, [])), thin[tp] and translate(
             lang, "results.without_thin", areas=", ".join(thin[tp]))))), score]
        for tp, score in result.time_perspective.items()
        if per_time.get(tp) or thin[tp]
    ]
    times = write_table(ws, [ctx.col("time_perspective", "wrap", SUMMARY_WIDTHS[0]),
                             ctx.col("time_areas"), ctx.col("score", "score")],
                        time_rows, top=row, freeze=False, autofilter=False, size_columns=False)

    # The lists on a page of their own, below the figures.
    ws.row_breaks.append(Break(id=times.last_row + 1))
    row = _subtitle(ws, times.last_row + 2, ctx.t(
        "summary.priorities_title", sheet=translate(lang, "excel.sheets.priorities")))
    top = result.priorities[:TOP_PRIORITIES]
    if top:
        planned = {action.activity for action in a.actions}
        row = write_table(ws, [ctx.col("rank", "int"), ctx.col("activity", "wrap"),
                               ctx.col("area"), ctx.col("priority_score", "decimal"),
                               ctx.col("gap", "level"), ctx.col("in_plan")],
                          [[rank, f"{p.question} {ctx.activity_text(p.question)}", p.area, p.score,
                            p.gap, ctx.yes_no(p.question in planned)]
                           for rank, p in enumerate(top, start=1)],
                          top=row, freeze=False, autofilter=False, size_columns=False).last_row
    else:
        put_text(ws.cell(row=row, column=1), ctx.t("summary.priorities_none"))
        ws.cell(row=row, column=1).font = ITALIC

    if a.participants:
        row = _subtitle(ws, row + 2, ctx.t("summary.participants_title"))
        row = write_table(ws, [ctx.col("participant"), ctx.col("role", "wrap")],
                          [[p.name or p.id, p.role] for p in a.participants], top=row,
                          freeze=False, autofilter=False, size_columns=False).last_row

    note = ctx.t("summary.note", unknown=ctx.unknown, na=ctx.na,
                 sheet=translate(lang, "excel.sheets.metadata"))
    wrapped_note(ws, row + 2, note, areas.columns)

    if result.areas:
        ws.add_chart(_radar(ws, ctx, areas), CHART_ANCHOR)
    page_setup(ws, ctx.frame, landscape=True)


ROW_POINTS = 15.0   # a row without a height of its own (Excel's default), in points
CM_POINTS = 72 / 2.54


def _subtitle(ws, row: int, text: str) -> int:
    """A table's heading at ``row``; returns the row below it."""
    put_text(ws.cell(row=row, column=1), text)
    ws.cell(row=row, column=1).font = SUBTITLE
    ws.row_dimensions[row].height = 17
    return row + 1


def _radar(ws, ctx: _Context, areas: TableRange) -> RadarChart:
    """Nuläge (the mean level) and mål (the target) per area, on the scale's levels (named
    in the title: numbers on the value axis would print over the first area's spoke), from
    the columns ``level``, ``target`` and ``area`` of the areas table."""
    chart = RadarChart()
    chart.type = "marker"
    chart.style = 2
    chart.title = ctx.t("summary.chart_title", top=ctx.bank.scale.top)
    chart.width, chart.height = CHART_CM
    first, last = areas.first_row, areas.last_row
    for column, key in (("level", "series_current"), ("target", "series_target")):
        values = Reference(ws, min_col=areas.column_of(column), min_row=first, max_row=last)
        chart.series.append(Series(values, title=ctx.t(f"summary.{key}")))
    chart.set_categories(Reference(ws, min_col=areas.column_of("area"), min_row=first,
                                   max_row=last))
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = ctx.bank.scale.top
    chart.y_axis.majorUnit = 1
    chart.y_axis.delete = True
    chart.x_axis.delete = False
    chart.legend.position = "b"
    return chart


# --- Svar, Frågor, Kunskapsluckor, Prioriteringar, Handlingsplan ----------------------------


def _answers(ws, ctx: _Context) -> None:
    a, lang = ctx.assessment, ctx.lang
    order = {qid: i for i, qid in enumerate(ctx.index)}
    by_participant: dict[str, list] = {}
    for answer in a.answers:
        by_participant.setdefault(answer.participant, []).append(answer)
    label = ctx.bank.scale.label
    rows = []
    for p in a.participants:
        answers = sorted(by_participant.get(p.id, []), key=lambda x: order.get(x.question, 0))
        name = p.name or p.id
        for answer in answers:
            area, question = ctx.index[answer.question]
            value = answer.value
            rows.append([p.id, name, p.role, area.id, answer.question, question.text.get(lang),
                         label(value, lang), value if type(value) is int else None,
                         answer.comment])
    columns = [ctx.col("participant_id"), ctx.col("participant"), ctx.col("role"),
               ctx.col("area"), ctx.col("question_id"), ctx.col("question", "wrap", 60),
               ctx.col("answer"), ctx.col("value", "int"), ctx.col("comment", "wrap", 45)]
    write_table(ws, columns, rows)
    page_setup(ws, ctx.frame, title_rows="1:1")


def _questions(ws, ctx: _Context) -> None:
    bank = ctx.bank
    with_reference = any(q.reference for _, q in ctx.index.values())
    columns = [ctx.col("area"), ctx.col("question_id"), ctx.col("question", "wrap", 55),
               ctx.col("question_value"), ctx.col("question_level", "level"),
               ctx.col("consensus"), ctx.col("spread", "int"), ctx.col("disagreement"),
               ctx.col("share_positive", "percent"), ctx.col("answers", "int"),
               ctx.col("levels", "int"), ctx.col("unknown_answers", "int"),
               ctx.col("knowledge_gap"), ctx.col("uncertain")]
    if bank.has_na:
        columns.append(ctx.col("na_answers", "int"))
    columns.append(ctx.col("consensus_note", "wrap", 40))
    if with_reference:
        columns += [ctx.col("national_share", "percent"), ctx.col("national_change", "signed"),
                    ctx.col("national_n", "int"), ctx.col("national_year", "int"),
                    ctx.col("national_diff", "signed")]
    notes = {c.question: c.note for c in ctx.assessment.consensus}
    rows = []
    for area in ctx.result.areas:
        for q in area.questions:
            values = {
                "area": area.id, "question_id": q.id, "question": ctx.question_text(q.id),
                "question_value": ctx.bank.scale.value_label(q.value, ctx.lang),
                "question_level": float(q.value) if is_numeric(q.value) else None,
                "consensus": ctx.yes_no(True) if q.consensus else "", "spread": q.spread,
                "disagreement": ctx.yes_no(q.open_disagreement), "share_positive": q.share_positive,
                "answers": q.answers, "levels": q.levels, "unknown_answers": q.unknown_answers,
                "knowledge_gap": ctx.yes_no(q.knowledge_gap), "uncertain": ctx.yes_no(q.uncertain),
                "na_answers": q.na_answers,
                "consensus_note": notes.get(q.id, ""),
            }
            ref = ctx.index[q.id][1].reference
            if ref is not None:
                values.update({
                    "national_share": ref.share_positive / 100, "national_change": ref.change,
                    "national_n": ref.n, "national_year": ref.year,
                    "national_diff": (None if q.share_positive is None
                                      else round(100 * q.share_positive - ref.share_positive)),
                })
            rows.append([values.get(c.key) for c in columns])
    write_table(ws, columns, rows)
    page_setup(ws, ctx.frame, title_rows="1:1")


def _knowledge_gaps(ws, ctx: _Context) -> None:
    columns = [ctx.col("area"), ctx.col("question_id"), ctx.col("question", "wrap", 55),
               ctx.col("activity", "wrap", 55), ctx.col("unknown_answers", "int"),
               ctx.col("counted_answers", "int"), ctx.col("levels", "int"),
               ctx.col("uncertain"), ctx.col("question_level", "level")]
    # Both kinds: no value (Vet ej outnumber the levels), and a value on an uncertain basis.
    rows = [[k.area, k.question, ctx.question_text(k.question), ctx.activity_text(k.question),
             k.unknown_answers, k.answers, k.levels, ctx.yes_no(k.uncertain), k.value]
            for k in ctx.result.knowledge_gaps]
    write_table(ws, columns, rows)
    page_setup(ws, ctx.frame, title_rows="1:1")


def _priorities(ws, ctx: _Context) -> None:
    lang = ctx.lang
    planned = {action.activity for action in ctx.assessment.actions}
    columns = [ctx.col("rank", "int"), ctx.col("area"), ctx.col("activity_id"),
               ctx.col("activity", "wrap", 55), ctx.col("priority_score", "decimal"),
               ctx.col("gap", "level"), ctx.col("links"), ctx.col("effort"),
               ctx.col("disagreement"), ctx.col("why", "wrap", 50), ctx.col("in_plan"),
               ctx.col("list", "wrap", 24)]
    # A unit's assessment: its own actions, then (ranked apart, from 1) what a higher level
    # decides; a whole organisation's: one list.
    unit = bool(ctx.result.for_leadership) or bool(ctx.assessment.organisation.unit.strip())
    lists = [(ctx.result.priorities, ctx.t("list_unit") if unit else ctx.t("list_all")),
             (ctx.result.for_leadership, ctx.t("list_leadership"))]
    rows = [
        [rank, p.area, p.question, ctx.activity_text(p.question), p.score, p.gap,
         ", ".join(p.areas), translate(lang, f"effort.{p.effort}") if p.effort else "",
         ctx.yes_no(p.disagreement), explain(p, ctx.bank, lang), ctx.yes_no(p.question in planned),
         name]
        for ranked, name in lists for rank, p in enumerate(ranked, start=1)
    ]
    write_table(ws, columns, rows)
    page_setup(ws, ctx.frame, title_rows="1:1")


def _action_plan(ws, ctx: _Context) -> None:
    """The plan as a local handlingsplan: by time perspective and area, each item's fields."""
    lang = ctx.lang
    columns = [ctx.col("time_perspective", "wrap", 18), ctx.col("area"),
               ctx.col("area_name", "wrap", 24), ctx.col("activity_id"),
               ctx.col("activity", "wrap", 45), ctx.col("goal", "wrap", 30),
               ctx.col("title", "wrap", 40), ctx.col("owner"), ctx.col("due", "date"),
               ctx.col("status"), ctx.col("follow_up", "wrap", 30), ctx.col("follow_up_date", "date"),
               ctx.col("plan_note", "wrap", 35)]
    rows = []
    for section, groups in grouped_by_perspective(ctx.assessment, ctx.bank):
        for area_id, actions in groups:
            # A local action has no area and no time perspective: its section names it.
            where = (["", "", section_heading(LOCAL, lang)] if section == LOCAL else
                     [_time_word(section and section.value, lang), area_id, ctx.area_name(area_id)])
            for action in actions:
                values = plan_values(ctx.bank, action, lang)
                rows.append([*where, *(values[name] for name in PLAN_FIELDS)])
    write_table(ws, columns, rows)
    page_setup(ws, ctx.frame, title_rows="1:1")


# --- Metadata ----------------------------------------------------------------------------


def _metadata(ws, ctx: _Context, exported_at: dt.datetime) -> None:
    from assessment.report.build import source_titles  # noqa: PLC0415 (charts: only when used)

    bank, lang = ctx.bank, ctx.lang
    put_text(ws["A1"], ctx.t("metadata.title"))
    ws["A1"].font = TITLE
    items = [
        ("bank_title", bank.title.get(lang)),
        ("bank_id", bank.id),
        ("bank_version", bank.version),
        ("source", "\n".join(source_titles(bank, lang))),
        ("app_version", app_version()),
        ("exported", exported_at),
        ("file_format", f"{FORMAT}, version {FORMAT_VERSION}"),
    ]
    table = write_table(ws, [ctx.col("item"), ctx.col("item_value", "wrap", 60)],
                        [[ctx.t(f"metadata.{key}"), value] for key, value in items],
                        top=3, freeze=False, autofilter=False, size_columns=False)
    exported_cell = ws.cell(row=table.first_row + [key for key, _ in items].index("exported"),
                            column=table.column_of("item_value"))
    exported_cell.number_format = NUMBER_FORMATS["datetime"]
    exported_cell.alignment = LEFT_WRAP

    row = table.last_row + 2
    put_text(ws.cell(row=row, column=1), ctx.t("metadata.scale_title"))
    ws.cell(row=row, column=1).font = SUBTITLE
    not_counted = ctx.t("metadata.not_counted")
    scale_rows = [[level.label.get(lang), level.value,
                   level.descriptor.get(lang) if level.descriptor else ""]
                  for level in bank.scale.levels]
    for special in [bank.scale.unknown] + ([bank.scale.na] if bank.scale.na else []):
        descriptor = special.descriptor.get(lang) if special.descriptor else ""
        scale_rows.append([special.label.get(lang), f"– ({not_counted})", descriptor])
    scale = write_table(ws, [Col(ctx.t("metadata.scale_answer")),
                             Col(ctx.t("metadata.scale_value"), "wrap", 60, key="value"),
                             Col(ctx.t("metadata.scale_descriptor"), "wrap", 70)],
                        scale_rows, top=row + 1, freeze=False, autofilter=False,
                        size_columns=False)
    for number in range(scale.first_row, scale.last_row + 1):
        ws.cell(row=number, column=scale.column_of("value")).alignment = LEFT_WRAP

    row = scale.last_row + 2
    put_text(ws.cell(row=row, column=1), ctx.t("metadata.scoring_title"))
    ws.cell(row=row, column=1).font = SUBTITLE
    for rule in scoring_rules(lang):
        row += 1
        put_text(ws.cell(row=row, column=1), rule)
        ws.cell(row=row, column=1).alignment = WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.row_dimensions[row].height = estimated_height([(rule, 150)])
    for number, width in enumerate((30, 60, 70), start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
    page_setup(ws, ctx.frame, landscape=False)


_MARKUP = re.compile(r"\*\*|\*")


def scoring_rules(lang: str) -> list[str]:
    """The scoring rules in words: the help page's list, without its Markdown."""
    text = translate(lang, "help.scoring")
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("- "):
            line = line[2:]
        rules.append(_MARKUP.sub("", line).strip())
    return rules


def _time_word(tp: str | None, lang: str) -> str:
    """An area's time perspective; the prerequisites G1–G4 have none (see summary.time_note)."""
    return translate(lang, f"excel.time.{tp or 'none'}")

