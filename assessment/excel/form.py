"""The offline answer form: one workbook per participant, filled in Excel or LibreOffice.

Layout (form format version 1; ``assessment.excel.importer`` reads exactly this):

- sheet *Svar* (*Answers*): the title, the instructions, the participant's name in
  ``C3`` and role in ``C4``, the answer options, and from row 8 the questions grouped by
  area under a header in row 7: A area, B question id, C question text, D answer (a
  drop-down of the scale's labels, "Vet ej" and "Ej aktuellt"), E comment. A question
  shared by G1 and a focus area is shown in both, at its place in each list, but has its id
  and answer cells only in its own area (G1): the focus area's row says where it is answered. Only the
  name, role, answer and comment cells are unlocked; the sheet is protected without a
  password (the protection keeps the layout from being changed by mistake; it is not a
  security measure, and the import checks everything anyway).
- sheet *Skala* (*Scale*): every answer with what it means; the drop-down's list.
- sheet ``psa_form``, very hidden and protected: what the form is for, as key/value
  rows — ``format`` ``psa-form``, ``version`` 1, ``bank``, ``bank_version``,
  ``audience`` (empty for every question), ``lang``, ``form_id`` (32 hex digits, new for
  every form made; the import recognises a filled form imported before by it and its
  content; forms made before it had one are recognised by their content).
The workbook structure is locked (no password), so the sheets cannot be renamed,
deleted or unhidden from Excel's menus.
"""

from __future__ import annotations

import io
import uuid

from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from assessment.bank import Audience, Bank
from assessment.excel.cells import (
    BAND_FILL, BOLD, INPUT_BORDER, INPUT_FILL, ITALIC, TITLE, WRAP, estimated_height,
    PageFrame, page_setup, put_text, use_body_font, write_header, write_table, Col,
)
from assessment.i18n import translate

FORM_FORMAT = "psa-form"
FORM_VERSION = 1
META_SHEET = "psa_form"

NAME_CELL = "C3"
ROLE_CELL = "C4"
HEADER_ROW = 7
FIRST_ROW = HEADER_ROW + 1
AREA_COL, ID_COL, QUESTION_COL, ANSWER_COL, COMMENT_COL = 1, 2, 3, 4, 5
WIDTHS = {"A": 8, "B": 8, "C": 70, "D": 26, "E": 45}

UNLOCKED = Protection(locked=False)

_SHEETS = {"answers": "excel.sheets.answers", "scale": "excel.sheets.scale"}


def answers_sheet_name(lang: str) -> str:
    return translate(lang, _SHEETS["answers"])


def scale_sheet_name(lang: str) -> str:
    return translate(lang, _SHEETS["scale"])


def answer_labels(bank: Bank, lang: str) -> list[str]:
    """The drop-down's entries, in order: the levels, "Vet ej" and (if any) "Ej aktuellt"."""
    return [bank.scale.label(option, lang) for option in bank.scale.options()]


def answer_form(bank: Bank, audience: Audience | str | None = None, lang: str = "sv") -> bytes:
    """An empty answer form (``.xlsx`` bytes) for the bank's questions for ``audience``
    (every question for ``None``)."""
    audience = Audience(audience) if audience is not None else None
    if not bank.questions_for(audience):
        raise ValueError(f"bank {bank.id!r} has no questions for {audience.value!r}")
    wb = Workbook()
    use_body_font(wb)
    frame = PageFrame(translate(lang, "excel.form.title", bank=bank.title.get(lang)),
                      translate(lang, "excel.page"))
    ws = wb.active
    ws.title = answers_sheet_name(lang)
    scale_ws = wb.create_sheet(scale_sheet_name(lang))
    _scale_sheet(scale_ws, bank, lang, frame)
    _answers_sheet(ws, bank, audience, lang, frame)
    meta = wb.create_sheet(META_SHEET)
    _meta_sheet(meta, bank, audience, lang)
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.title = translate(lang, "excel.form.title", bank=bank.title.get(lang))
    wb.properties.creator = translate(lang, "excel.app_name")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _answers_sheet(ws, bank: Bank, audience: Audience | None, lang: str,
                   frame: PageFrame) -> None:
    t = lambda key, **kw: translate(lang, f"excel.form.{key}", **kw)  # noqa: E731
    scale = bank.scale
    unknown = scale.unknown.label.get(lang)
    na = scale.na.label.get(lang) if scale.na else None

    put_text(ws["A1"], t("title", bank=bank.title.get(lang)))
    ws["A1"].font = TITLE
    ws.merge_cells(start_row=1, start_column=AREA_COL, end_row=1, end_column=COMMENT_COL)
    ws.row_dimensions[1].height = estimated_height([(ws["A1"].value, 120)]) or 20

    na_sentence = t("na_sentence", na=na) if na else ""
    instructions = t("instructions", unknown=unknown, na_sentence=na_sentence)
    if audience is not None:
        instructions += " " + t("audience", audience=translate(lang, f"kind.{audience.value}"))
    put_text(ws["A2"], instructions)
    ws["A2"].alignment = WRAP
    ws.merge_cells(start_row=2, start_column=AREA_COL, end_row=2, end_column=COMMENT_COL)
    ws.row_dimensions[2].height = estimated_height([(instructions, 150)])

    for cell, label in ((NAME_CELL, t("name")), (ROLE_CELL, t("role"))):
        row = int(cell[1:])
        put_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = BOLD
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        ws[cell].protection = UNLOCKED
        ws[cell].fill = INPUT_FILL
        ws[cell].border = INPUT_BORDER

    options = t("options", options=" · ".join(answer_labels(bank, lang)),
                sheet=scale_sheet_name(lang))
    put_text(ws["A5"], options)
    ws["A5"].font = ITALIC
    ws["A5"].alignment = WRAP
    ws.merge_cells(start_row=5, start_column=AREA_COL, end_row=5, end_column=COMMENT_COL)
    ws.row_dimensions[5].height = estimated_height([(options, 150)])

    write_header(ws, HEADER_ROW, [t("col_area"), t("col_id"), t("col_question"),
                                  t("col_answer"), t("col_comment")])
    row = HEADER_ROW
    answer_rows: list[int] = []
    home_rows: dict[str, int] = {}
    for area, area_questions in bank.scope(audience):
        row += 1
        put_text(ws.cell(row=row, column=AREA_COL), area.id)
        put_text(ws.cell(row=row, column=QUESTION_COL), area.name.get(lang))
        for column in range(1, 6):
            ws.cell(row=row, column=column).fill = BAND_FILL
            ws.cell(row=row, column=column).font = BOLD
        for question in area_questions:
            row += 1
            home = question.id.split(".")[0]
            text = question.text.get(lang)
            put_text(ws.cell(row=row, column=AREA_COL), area.id)
            if home == area.id:
                put_text(ws.cell(row=row, column=ID_COL), question.id)
                home_rows[question.id] = row
                answer_rows.append(row)
                for column in (ANSWER_COL, COMMENT_COL):
                    cell = ws.cell(row=row, column=column)
                    cell.protection = UNLOCKED
                    cell.fill = INPUT_FILL
                    cell.border = INPUT_BORDER
                    cell.alignment = WRAP
            else:
                # A shared question (one activity, one question): shown at its place in this
                # focus area too, without an id or an answer cell, so it is answered once.
                text = f"{text}\n{t('shared', id=question.id, area=home, row=home_rows.get(question.id, ''))}"
                ws.cell(row=row, column=QUESTION_COL).font = ITALIC
            put_text(ws.cell(row=row, column=QUESTION_COL), text)
            for column in (AREA_COL, ID_COL):
                ws.cell(row=row, column=column).alignment = Alignment(vertical="top")
            ws.cell(row=row, column=QUESTION_COL).alignment = WRAP
            height = estimated_height([(text, WIDTHS["C"])])
            ws.row_dimensions[row].height = max(height or 0, 30)

    labels = answer_labels(bank, lang)
    dv = DataValidation(
        type="list",
        formula1=f"'{scale_sheet_name(lang)}'!$A$2:$A${1 + len(labels)}",
        allow_blank=True,
        showDropDown=False,  # (sic) False shows the in-cell arrow
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=t("error_title")[:32],
        error=t("error")[:255],
        showInputMessage=True,
        promptTitle=t("prompt_title")[:32],
        prompt=t("prompt", unknown=unknown)[:255],
    )
    for answer_range in _runs(answer_rows, "D"):
        dv.add(answer_range)
    ws.add_data_validation(dv)

    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1)
    page_setup(ws, frame, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    _protect(ws)
    ws.protection.formatColumns = False  # people may widen columns and rows …
    ws.protection.formatRows = False
    ws.protection.formatCells = True  # … but not unlock cells


def _runs(rows: list[int], column: str) -> list[str]:
    """Ranges of consecutive rows in one column: [8, 9, 10, 12] -> ["D8:D10", "D12:D12"]."""
    runs: list[list[int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return [f"{column}{first}:{column}{last}" for first, last in runs]


def _scale_sheet(ws, bank: Bank, lang: str, frame: PageFrame) -> None:
    scale = bank.scale
    rows = [(level.label.get(lang), level.descriptor.get(lang) if level.descriptor else "")
            for level in scale.levels]
    specials = [scale.unknown] + ([scale.na] if scale.na else [])
    rows += [(s.label.get(lang), s.descriptor.get(lang) if s.descriptor else "") for s in specials]
    write_table(ws, [Col(translate(lang, "excel.metadata.scale_answer")),
                     Col(translate(lang, "excel.metadata.scale_descriptor"), "wrap", 80)],
                rows, freeze=False, autofilter=False)
    page_setup(ws, frame, landscape=False)
    _protect(ws)


def _meta_sheet(ws, bank: Bank, audience: Audience | None, lang: str) -> None:
    # Each form made gets its own id: a filled form imported again is recognised by it
    # (with its content, since one blank form may be copied to many people).
    rows = [("format", FORM_FORMAT), ("version", FORM_VERSION), ("bank", bank.id),
            ("bank_version", bank.version), ("audience", audience.value if audience else ""),
            ("lang", lang), ("form_id", uuid.uuid4().hex)]
    for index, (key, value) in enumerate(rows, start=1):
        put_text(ws.cell(row=index, column=1), key)
        if isinstance(value, str):
            put_text(ws.cell(row=index, column=2), value)
        else:
            ws.cell(row=index, column=2).value = value
    ws.sheet_state = "veryHidden"
    _protect(ws)


def _protect(ws) -> None:
    ws.protection.sheet = True
    ws.protection.enable()
