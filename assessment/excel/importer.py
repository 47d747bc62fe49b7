"""Reading filled-in answer forms back, and adding them to an assessment.

``read_forms`` checks every file before it returns anything: the package (size, zip,
encryption, macros, zip bomb, DTDs — ``assessment.excel.safety``), then the workbook
(read-only, with openpyxl): the form's metadata, its bank, each question id and each
answer. It raises one ``InvalidFile`` with every problem of every file, each naming the
file, the sheet and the cell. ``apply_forms`` is pure: it returns a new assessment with
one new participant per form and leaves the given one as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
import dataclasses
from dataclasses import dataclass
from typing import Mapping, Sequence

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from assessment.bank import Bank
from assessment.document import MAX_NAME, MAX_TEXT, Assessment, no_control_characters
from assessment.excel.cells import text_from_cell
from assessment.excel.form import (
    ANSWER_COL, COMMENT_COL, FIRST_ROW, FORM_FORMAT, FORM_VERSION, ID_COL, META_SHEET,
    NAME_CELL, ROLE_CELL, answer_labels, answers_sheet_name,
)
from assessment.excel.safety import check_package
from assessment.i18n import LANGUAGES
from assessment.problems import InvalidFile, Problem, problems_from_validation

AnswerValue = int | str
MAX_FORM_ROWS = 2000
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc`´]")
_SPACES = re.compile(r"\s+")
_PARTICIPANT_ID = re.compile(r"^p(\d+)$")
_FORM_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class FormAnswer:
    question: str
    value: AnswerValue
    comment: str = ""


@dataclass(frozen=True)
class FormAnswers:
    """One filled-in form: whose it is, which bank it answers and the answers, in form order."""

    file: str
    bank_id: str
    bank_version: str
    audience: str | None
    lang: str
    name: str
    role: str
    answers: tuple[FormAnswer, ...]
    form_id: str = ""  # the id the blank form was made with ("" for forms made before ids)

    @property
    def key(self) -> str:
        """What identifies this filled form across imports: its form id with who filled it in
        and every answer (one blank form may be filled in by many people; the same filled form
        imported again gives the same key)."""
        content = [self.form_id, self.bank_id, self.bank_version, self.name, self.role,
                   [[a.question, a.value, a.comment] for a in self.answers]]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def read_forms(files: Sequence[tuple[str, bytes]], bank_set, *,
               bank_id: str | None = None) -> list[FormAnswers]:
    """Read every form; raises ``InvalidFile`` with the problems of all of them if any has one.

    ``files`` are (name, bytes) pairs; ``bank_set`` is a ``BankSet`` or a mapping of bank id
    to ``Bank``. With ``bank_id`` a form for another bank is a problem too (use the bank of
    the assessment the forms go into).
    """
    banks: Mapping[str, Bank] = getattr(bank_set, "banks", bank_set)
    problems: list[Problem] = []
    forms: list[FormAnswers] = []
    seen: dict[str, str] = {}
    for name, data in files:
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            problems.append(Problem(name, "", f"is the same file as {seen[digest]}; each form is "
                                    "one participant, so import it once"))
            continue
        seen[digest] = name
        found = check_package(name, data)
        if found:
            problems.extend(found)
            continue
        try:
            form = _read_form(name, data, banks, bank_id)
        except InvalidFile as exc:
            problems.extend(exc.problems)
        else:
            forms.append(form)
    if problems:
        raise InvalidFile(problems)
    return forms


def apply_forms(assessment: Assessment, forms: Sequence[FormAnswers]) -> Assessment:
    """A new assessment with each form added as a new participant ``p<n>`` (numbered after
    the existing ones) with its answers. Existing participants and answers are kept as
    they are. Raises ``InvalidFile`` if a form is for another bank or version."""
    problems = [
        Problem(form.file, "", _other_bank(form, assessment.bank.id, assessment.bank.version))
        for form in forms
        if (form.bank_id, form.bank_version) != (assessment.bank.id, assessment.bank.version)
    ]
    if problems:
        raise InvalidFile(problems)
    doc = assessment.model_dump(mode="python")
    used = {p["id"] for p in doc["participants"]}
    number = max((int(m.group(1)) for pid in used if (m := _PARTICIPANT_ID.match(pid))),
                 default=0)
    for form in forms:
        number += 1
        while f"p{number}" in used:
            number += 1
        pid = f"p{number}"
        used.add(pid)
        doc["participants"].append({"id": pid, "name": form.name, "role": form.role})
        doc["answers"].extend(
            {"participant": pid, "question": a.question, "value": a.value, "comment": a.comment}
            for a in form.answers
        )
    try:
        return Assessment.model_validate(doc)
    except ValidationError as exc:  # a form breaking a file rule read_forms did not check
        raise InvalidFile(problems_from_validation("(import)", exc)) from None


def added_participants(before: Assessment, after: Assessment) -> list:
    """The participants ``apply_forms`` added, in order."""
    known = {p.id for p in before.participants}
    return [p for p in after.participants if p.id not in known]


# --- one form ----------------------------------------------------------------------------


def _read_form(name: str, data: bytes, banks: Mapping[str, Bank],
               bank_id: str | None) -> FormAnswers:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "Data Validation extension is not supported"
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False,
                               keep_links=False, keep_vba=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged file to the user
        raise InvalidFile([Problem(name, "", f"cannot be read as a workbook ({_short(exc)}); "
                                   "save it again as .xlsx")]) from None
    try:
        return _read_workbook(name, wb, banks, bank_id)
    except InvalidFile:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed part found while reading rows
        raise InvalidFile([Problem(name, "", f"cannot be read as a workbook ({_short(exc)}); "
                                   "save it again as .xlsx")]) from None
    finally:
        wb.close()


def _read_workbook(name: str, wb, banks: Mapping[str, Bank], bank_id: str | None) -> FormAnswers:
    if META_SHEET not in wb.sheetnames:
        raise InvalidFile([Problem(name, "", "is not an answer form made by this program (it has "
                                   f"no sheet {META_SHEET}); make forms with `python -m assessment "
                                   "form` or the app's download")])
    meta, meta_rows = _metadata(wb[META_SHEET])

    def meta_problem(key: str, message: str) -> InvalidFile:
        row = meta_rows.get(key)
        place = f"sheet {META_SHEET}, cell B{row}" if row else f"sheet {META_SHEET}"
        return InvalidFile([Problem(name, place, message)])

    if meta.get("format") != FORM_FORMAT:
        raise meta_problem("format", f"format is {meta.get('format')!r}, not {FORM_FORMAT!r}: "
                                     "this is not an answer form")
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise meta_problem("version", f"form version {version!r} is not a number")
    if version > FORM_VERSION:
        raise meta_problem("version", f"form version {version} is newer than this program "
                                      f"understands (up to {FORM_VERSION}); update the program")
    form_bank_id = _meta_text(meta.get("bank"))
    bank = banks.get(form_bank_id)
    if bank is None:
        known = ", ".join(sorted(banks)) or "none"
        raise meta_problem("bank", f"is a form for bank {form_bank_id!r}, which is not installed "
                                   f"(installed: {known})")
    form_version = _meta_text(meta.get("bank_version"))
    if form_version != bank.version:
        raise meta_problem("bank_version", f"the form was made for version {form_version!r} of "
                                           f"bank {bank.id!r}, but version {bank.version!r} is "
                                           "installed; make new forms")
    if bank_id is not None and bank.id != bank_id:
        raise meta_problem("bank", f"is a form for bank {bank.id!r}, but the assessment uses "
                                   f"bank {bank_id!r}; make forms for that bank")
    lang = _meta_text(meta.get("lang")) or "sv"
    if lang not in LANGUAGES:
        raise meta_problem("lang", f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    audience = _meta_text(meta.get("audience")) or None

    sheet = answers_sheet_name(lang)
    if sheet not in wb.sheetnames:
        raise InvalidFile([Problem(name, "", f"has no sheet {sheet!r} with the answers "
                                   f"(sheets: {', '.join(wb.sheetnames)})")])
    form = _read_answers(name, wb[sheet], sheet, bank, lang, audience)
    form_id = _meta_text(meta.get("form_id"))
    if form_id and not _FORM_ID.fullmatch(form_id):
        raise meta_problem("form_id", f"form id {form_id[:40]!r} is not 32 hexadecimal digits")
    return dataclasses.replace(form, form_id=form_id)


def _metadata(ws) -> tuple[dict[str, object], dict[str, int]]:
    """The form's key/value rows (the first of a repeated key counts), and each key's row."""
    meta: dict[str, object] = {}
    rows: dict[str, int] = {}
    for number, row in enumerate(ws.iter_rows(min_row=1, max_row=50, max_col=2,
                                              values_only=True), start=1):
        if not row or row[0] is None:
            continue
        key = str(row[0]).strip()
        value = row[1] if len(row) > 1 else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if key not in meta:
            meta[key] = value
            rows[key] = number
    return meta, rows


def _meta_text(value) -> str:
    return text_from_cell(value).strip()


def _read_answers(name: str, ws, sheet: str, bank: Bank, lang: str,
                  audience: str | None) -> FormAnswers:
    problems: list[Problem] = []

    def add(cell: str, message: str) -> None:
        problems.append(Problem(name, f"sheet {sheet}, cell {cell}", message))

    lookup = _answer_lookup(bank)
    labels = answer_labels(bank, lang)
    scale_text = f"{labels[0]} … {labels[-1]}"
    questions = bank.question_index()
    person: dict[str, str] = {}
    answers: list[FormAnswer] = []
    seen: dict[str, int] = {}
    row_number = 0
    for row_number, row in enumerate(ws.iter_rows(min_row=1, max_col=COMMENT_COL,
                                                  values_only=True), start=1):
        if row_number > MAX_FORM_ROWS:
            add(f"A{row_number}", f"the sheet has more than {MAX_FORM_ROWS} rows; this is not a "
                                  "form made by this program")
            break
        if row_number in (int(NAME_CELL[1:]), int(ROLE_CELL[1:])):
            cell = NAME_CELL if row_number == int(NAME_CELL[1:]) else ROLE_CELL
            column = ord(cell[0]) - ord("A")
            value = " ".join(text_from_cell(row[column] if len(row) > column else None).split())
            if len(value) > MAX_NAME:
                add(cell, f"is {len(value)} characters long, more than {MAX_NAME}; shorten it")
            elif problem := _control_character(value):
                add(cell, problem)
            person[cell] = value
            continue
        if row_number < FIRST_ROW:
            continue
        cells = list(row) + [None] * (COMMENT_COL - len(row))
        raw_id, raw_answer, raw_comment = (cells[ID_COL - 1], cells[ANSWER_COL - 1],
                                           cells[COMMENT_COL - 1])
        qid = text_from_cell(raw_id).strip()
        comment = text_from_cell(raw_comment)
        has_answer = raw_answer is not None and text_from_cell(raw_answer).strip() != ""
        if not qid:
            if has_answer or comment.strip():
                add(f"B{row_number}", "answers a row without a question id; write answers only "
                                      "next to a question")
            continue
        if qid not in questions:
            add(f"B{row_number}", f"question id {qid!r} is not in bank {bank.id!r}; was the form "
                                  "edited? Make a new form")
            continue
        if qid in seen:
            add(f"B{row_number}", f"question {qid} is also in row {seen[qid]}; each question may "
                                  "appear once")
            continue
        seen[qid] = row_number
        if len(comment) > MAX_TEXT:
            add(f"E{row_number}", f"the comment is {len(comment)} characters long, more than "
                                  f"{MAX_TEXT}; shorten it")
            continue
        if problem := _control_character(comment):
            add(f"E{row_number}", f"the comment {problem}")
            continue
        if not has_answer:
            if comment.strip():
                add(f"E{row_number}", f"has a comment but {qid} has no answer in D{row_number}; "
                                      "choose an answer (or "
                                      f"{bank.scale.unknown.label.get(lang)}) or delete the comment")
            continue
        value = _answer_value(raw_answer, lookup)
        if value is None:
            add(f"D{row_number}", f"{_shown(raw_answer)} is not an answer on the scale "
                                  f"({scale_text}); choose one from the list")
            continue
        answers.append(FormAnswer(qid, value, comment))
    if not seen and not problems:
        add(f"{get_column_letter(ID_COL)}{FIRST_ROW}", "has no questions; this is not a filled-in answer form")
    elif not answers and not problems:
        add(f"{get_column_letter(ANSWER_COL)}{FIRST_ROW}", "has no answers; fill in the form before importing it")
    if problems:
        raise InvalidFile(problems)
    return FormAnswers(file=name, bank_id=bank.id, bank_version=bank.version, audience=audience,
                       lang=lang, name=person.get(NAME_CELL, ""), role=person.get(ROLE_CELL, ""),
                       answers=tuple(answers))


def _control_character(text: str) -> str:
    """The document's rule for texts (no NUL or other control character), as a message."""
    try:
        no_control_characters(text)
    except ValueError as exc:
        return str(exc)
    return ""


def _normal(text: str) -> str:
    text = _APOSTROPHES.sub("'", _DASHES.sub("-", text))
    return _SPACES.sub(" ", text).strip().casefold()


def _answer_lookup(bank: Bank) -> dict[str, AnswerValue]:
    """Every way an answer may be written: each label in either language, a level's number."""
    lookup: dict[str, AnswerValue] = {}
    for option in bank.scale.options():
        for lang in LANGUAGES:
            lookup.setdefault(_normal(bank.scale.label(option, lang)), option)
        if isinstance(option, int):
            lookup.setdefault(str(option), option)
    return lookup


def _answer_value(raw, lookup: dict[str, AnswerValue]) -> AnswerValue | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        if float(raw).is_integer():
            return lookup.get(str(int(raw)))
        return None
    if not isinstance(raw, str):
        return None
    return lookup.get(_normal(text_from_cell(raw)))


def _shown(value) -> str:
    text = " ".join(text_from_cell(value).split())
    text = text if len(text) <= 60 else text[:59] + "…"
    return repr(text)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"


def _other_bank(form: FormAnswers, bank_id: str, version: str) -> str:
    return (f"is a form for bank {form.bank_id!r} version {form.bank_version!r}, but the "
            f"assessment uses bank {bank_id!r} version {version!r}")

