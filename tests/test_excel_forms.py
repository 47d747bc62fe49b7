"""The offline answer form: its layout read back with openpyxl, filling it in the way a
participant does (a drop-down label in column D, a comment in E), and importing one or
many filled forms into an assessment — also as a property: answers → forms → import →
the same answers."""

from __future__ import annotations

import sys
import argparse
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.cell_range import CellRange

from assessment.bank import Bank
from assessment.bank_loader import BankSet
from assessment.cli_support import Run, run_command
from assessment.document import Assessment, Participant
from assessment.excel import FormAnswer, answer_form, apply_forms, read_forms
from assessment.excel.cells import put_text
from assessment.excel.cli_commands import add_subcommands
from assessment.excel.form import META_SHEET
from assessment.excel.safety import xml_parsing_protected
from assessment.files import load_assessment_file, save_assessment_file
from assessment.problems import InvalidFile
from tests.helpers import bank_dict, make_assessment, make_bank, question
from tests.test_excel_export import convert, soffice

FIRST = 8  # the first row under the header (row 7)


@pytest.fixture
def bank():
    """G1 (3 questions, one only for regions) and F1 (2); scale 0–4 + Vet ej + Ej aktuellt."""
    return make_bank({"G1": ["G1.1", "G1.2", question("G1.3", audiences=["region"])], "F1": 2})


@pytest.fixture
def banks(bank):
    return {bank.id: bank}


def fill_form(form: bytes, answers: dict[str, object], name: str = "", role: str = "",
              comments: dict[str, str] | None = None) -> bytes:
    """The form as a participant hands it back: the name in C3, the role in C4, for each
    question id the answer (a label, as the drop-down writes it, or a number) in column D
    and a comment in column E. Text is stored as text, as Excel stores typed text."""
    wb = load_workbook(io.BytesIO(form))
    ws = wb.worksheets[0]
    put_text(ws["C3"], name) if name else None
    put_text(ws["C4"], role) if role else None
    rows = {ws.cell(row=r, column=2).value: r for r in range(FIRST, ws.max_row + 1)}
    for qid, value in answers.items():
        cell = ws.cell(row=rows[qid], column=4)
        if isinstance(value, str):
            put_text(cell, value)
        else:
            cell.value = value
    for qid, text in (comments or {}).items():
        put_text(ws.cell(row=rows[qid], column=5), text)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def empty_assessment(bank, **kwargs) -> Assessment:
    return make_assessment(bank, answers={}, participants=0, **kwargs)


# --- the form ----------------------------------------------------------------------------


def test_form__sheets_and_a_very_hidden_metadata_sheet(bank):
    wb = load_workbook(io.BytesIO(answer_form(bank)))
    assert wb.sheetnames == ["Svar", "Skala", META_SHEET]
    meta = wb[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    assert meta.protection.sheet
    rows = {r[0]: r[1] for r in meta.iter_rows(values_only=True)}
    form_id = rows.pop("form_id")
    assert rows == {
        "format": "psa-form", "version": 1, "bank": "test-bank", "bank_version": "1",
        "audience": None, "lang": "sv"}
    assert wb.security.lockStructure
    # Each form made has an id of its own (32 hex digits): the import recognises it again.
    again = load_workbook(io.BytesIO(answer_form(bank)))[META_SHEET]
    assert len(form_id) == 32 and int(form_id, 16) >= 0
    assert form_id != {r[0]: r[1] for r in again.iter_rows(values_only=True)}["form_id"]


def test_read_forms__form_id_not_32_hex_digits__named(bank, banks):
    wb = load_workbook(io.BytesIO(fill_form(answer_form(bank), {"G1.1": 2}, name="Eva")))
    meta = wb[META_SHEET]
    row = next(r for r in meta.iter_rows() if r[0].value == "form_id")
    put_text(row[1], "=HYPERLINK(1)")
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(InvalidFile, match="form id '=HYPERLINK"):
        read_forms([("eva.xlsx", out.getvalue())], banks)


def test_form__english(bank):
    wb = load_workbook(io.BytesIO(answer_form(bank, lang="en")))
    assert wb.sheetnames == ["Answers", "Scale", META_SHEET]
    assert [c.value for c in wb["Answers"][7]] == ["Area", "Id", "Question", "Answer",
                                                   "Comment (optional)"]
    assert wb["Answers"]["C8"].value == "Area G1"


def test_form__questions_grouped_by_area(bank):
    ws = load_workbook(io.BytesIO(answer_form(bank)))["Svar"]
    assert [c.value for c in ws[7]] == ["Område", "Id", "Fråga", "Svar", "Kommentar (valfritt)"]
    rows = [(r[0], r[1], r[2]) for r in ws.iter_rows(min_row=FIRST, max_col=3, values_only=True)]
    assert rows == [
        ("G1", None, "Område G1"),
        ("G1", "G1.1", "I vilken utsträckning gör vi G1.1?"),
        ("G1", "G1.2", "I vilken utsträckning gör vi G1.2?"),
        ("G1", "G1.3", "I vilken utsträckning gör vi G1.3?"),
        ("F1", None, "Område F1"),
        ("F1", "F1.1", "I vilken utsträckning gör vi F1.1?"),
        ("F1", "F1.2", "I vilken utsträckning gör vi F1.2?"),
    ]
    assert ws.freeze_panes == "A8"
    assert ws.print_title_rows == "$7:$7"


def test_form__shared_question__shown_in_its_focus_area_too_answered_once():
    # G1.1 is also F1's first activity (it replaces F1.1 there): F1 lists it first, without an
    # id or an answer cell, and says where it is answered; the filled form gives one answer.
    bank = make_bank({"G1": [question("G1.1", also_in={"F1": "F1.1"}), "G1.2"],
                      "F1": ["F1.2"]})
    ws = load_workbook(io.BytesIO(answer_form(bank)))["Svar"]
    rows = [(r[0], r[1]) for r in ws.iter_rows(min_row=FIRST, max_col=2, values_only=True)]
    assert rows == [("G1", None), ("G1", "G1.1"), ("G1", "G1.2"),
                    ("F1", None), ("F1", None), ("F1", "F1.2")]
    shared = ws.cell(row=FIRST + 4, column=3).value
    assert shared == ("I vilken utsträckning gör vi G1.1?\n"
                      "Samma fråga som G1.1 – besvaras en gång, under G1 (rad 9).")
    assert ws.cell(row=FIRST + 4, column=4).protection.locked
    [dv] = ws.data_validations.dataValidation
    covered = {cell for rng in dv.sqref.ranges for cell in _cells(rng)}
    assert covered == {"D9", "D10", "D13"}

    [form] = read_forms([("f.xlsx", fill_form(answer_form(bank), {"G1.1": 3, "F1.2": 1}))],
                        {bank.id: bank})
    assert [(a.question, a.value) for a in form.answers] == [("G1.1", 3), ("F1.2", 1)]


def test_form__audience_leaves_out_the_other_questions(bank):
    wb = load_workbook(io.BytesIO(answer_form(bank, audience="kommun")))
    ids = [r[0] for r in wb["Svar"].iter_rows(min_row=FIRST, min_col=2, max_col=2,
                                               values_only=True) if r[0]]
    assert ids == ["G1.1", "G1.2", "F1.1", "F1.2"]
    assert wb[META_SHEET]["B5"].value == "kommun"
    assert "Frågorna gäller: Kommun" in wb["Svar"]["A2"].value


def test_form__drop_down_of_the_scale_labels_on_every_answer_cell(bank):
    wb = load_workbook(io.BytesIO(answer_form(bank)))
    ws = wb["Svar"]
    [dv] = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.showErrorMessage and dv.allow_blank
    assert dv.formula1 == "'Skala'!$A$2:$A$8"
    listed = [wb["Skala"].cell(row=r, column=1).value for r in range(2, 9)]
    assert listed == ["Inte alls", "I liten grad", "Delvis", "I stor grad", "Helt", "Vet ej",
                      "Ej aktuellt"]
    covered = {cell for rng in dv.sqref.ranges for cell in _cells(rng)}
    question_rows = [r for r in range(FIRST, ws.max_row + 1) if ws.cell(row=r, column=2).value]
    assert covered == {f"D{r}" for r in question_rows}


def test_form__labels_with_commas_are_listed_from_cells_not_inline():
    doc = bank_dict({"F1": 1}, top=2, na=False)
    for level, label in zip(doc["scale"]["levels"], ["Nej", "Ja, till vissa delar",
                                                      "Ja, till stor del"]):
        level["label"] = {"sv": label, "en": label}
    bank = Bank.model_validate(doc)
    wb = load_workbook(io.BytesIO(answer_form(bank)))
    [dv] = wb["Svar"].data_validations.dataValidation
    assert dv.formula1 == "'Skala'!$A$2:$A$5"
    assert wb["Skala"]["A3"].value == "Ja, till vissa delar"


def test_form__only_name_role_answer_and_comment_cells_are_unlocked(bank):
    ws = load_workbook(io.BytesIO(answer_form(bank)))["Svar"]
    assert ws.protection.sheet
    assert ws.protection.password is None  # documented: protection against mistakes only
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
    question_rows = [r for r in range(FIRST, ws.max_row + 1) if ws.cell(row=r, column=2).value]
    assert unlocked == {"C3", "C4"} | {f"{col}{r}" for r in question_rows for col in "DE"}


def test_form__unknown_audience_for_the_bank_is_an_error():
    bank = make_bank({"F1": [question("F1.1", audiences=["kommun"])]})
    with pytest.raises(ValueError, match="no questions for 'region'"):
        answer_form(bank, audience="region")


# --- import ------------------------------------------------------------------------------


def test_import__one_form_becomes_a_new_participant(bank, banks):
    filled = fill_form(answer_form(bank), {"G1.1": "I stor grad", "G1.2": "Vet ej",
                                           "F1.1": "Ej aktuellt"},
                       name="  Anna   Berg ", role="MAS", comments={"G1.1": "=rutin finns"})
    [form] = read_forms([("anna.xlsx", filled)], banks)
    assert (form.name, form.role, form.bank_id) == ("Anna Berg", "MAS", "test-bank")
    assert form.answers == (FormAnswer("G1.1", 3, "=rutin finns"), FormAnswer("G1.2", "unknown"),
                            FormAnswer("F1.1", "na"))
    merged = apply_forms(empty_assessment(bank), [form])
    assert [(p.id, p.name, p.role) for p in merged.participants] == [("p1", "Anna Berg", "MAS")]
    assert [(a.participant, a.question, a.value, a.comment) for a in merged.answers] == [
        ("p1", "G1.1", 3, "=rutin finns"), ("p1", "G1.2", "unknown", ""), ("p1", "F1.1", "na", "")]


def test_import__many_forms_are_numbered_after_the_existing_participants(bank, banks):
    existing = make_assessment(bank, answers={"G1.1": [1, 2]})
    existing = existing.model_copy(update={"participants": existing.participants + [
        Participant(id="p7", name="Sju"), Participant(id="gruppen", name="Gruppen")]})
    files = [(f"{n}.xlsx", fill_form(answer_form(bank), {"G1.1": n}, name=f"Person {n}"))
             for n in (0, 4)]
    merged = apply_forms(existing, read_forms(files, banks))
    assert [p.id for p in merged.participants] == ["p1", "p2", "p7", "gruppen", "p8", "p9"]
    assert merged.participants[:4] == existing.participants
    assert merged.answers[:2] == existing.answers
    assert [(a.participant, a.value) for a in merged.answers[2:]] == [("p8", 0), ("p9", 4)]
    assert existing.participants[-1].id == "gruppen"  # the input is not changed


def test_import__accepts_numbers_english_labels_and_other_dashes(banks):
    doc = bank_dict({"F1": 4}, top=4)
    doc["scale"]["levels"][3]["label"] = {"sv": "3 – Etablerat", "en": "3 – Established"}
    bank = Bank.model_validate(doc)
    filled = fill_form(answer_form(bank), {"F1.1": 2, "F1.2": "3 - etablerat",
                                           "F1.3": "3 – Established", "F1.4": "Don’t know"})
    [form] = read_forms([("f.xlsx", filled)], {bank.id: bank})
    assert [a.value for a in form.answers] == [2, 3, 3, "unknown"]


def test_import__reads_a_bank_set_too(bank):
    filled = fill_form(answer_form(bank), {"G1.1": "Helt"})
    [form] = read_forms([("f.xlsx", filled)], BankSet(banks={bank.id: bank}))
    assert form.answers == (FormAnswer("G1.1", 4),)


def test_import__english_form(bank, banks):
    filled = fill_form(answer_form(bank, lang="en"), {"G1.2": "Don't know"}, name="Bo")
    [form] = read_forms([("f.xlsx", filled)], banks)
    assert (form.lang, form.name, form.answers) == ("en", "Bo", (FormAnswer("G1.2", "unknown"),))


def test_xml_parsing__openpyxl_uses_defusedxml():
    assert xml_parsing_protected()


# --- round trip (property) ---------------------------------------------------------------

ROUND_TRIP_BANK = make_bank({"G1": 3, "F1": 2, "F3": 2}, top=4)
ROUND_TRIP_BANK_NO_NA = make_bank({"F1": 3}, top=2, na=False, bank_id="enkat")
ROUND_TRIP_FORMS = {(b.id, lang): answer_form(b, lang=lang)
                    for b in (ROUND_TRIP_BANK, ROUND_TRIP_BANK_NO_NA) for lang in ("sv", "en")}

# Text a person can type into a cell: any printable characters, line breaks and tabs.
# (Other control characters cannot be stored in a workbook; carriage returns become line
# breaks — both are tested in test_excel_export.)
typed_text = st.text(
    st.one_of(st.characters(blacklist_categories=("Cc", "Cs")), st.sampled_from("\n\t=+-@_x")),
    max_size=40,
)
names = st.text(st.characters(whitelist_categories=("L", "Zs", "Pd")), max_size=30)


@st.composite
def participants_answers(draw):
    bank = draw(st.sampled_from([ROUND_TRIP_BANK, ROUND_TRIP_BANK_NO_NA]))
    lang = draw(st.sampled_from(["sv", "en"]))
    ids = list(bank.question_index())
    people = []
    for n in range(draw(st.integers(1, 3))):
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
        answers = {qid: (draw(st.sampled_from(bank.scale.options())), draw(typed_text))
                   for qid in chosen}
        # Numbered, so that two people's forms are never the same bytes (which the import
        # refuses as one file given twice).
        people.append((f"{draw(names)} {n}", draw(names), answers))
    return bank, lang, people


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(participants_answers())
def test_round_trip__answers_to_forms_to_import_give_the_same_answers(case):
    bank, lang, people = case
    form = ROUND_TRIP_FORMS[(bank.id, lang)]
    files = []
    for n, (name, role, answers) in enumerate(people):
        labels = {qid: bank.scale.label(value, lang) for qid, (value, _) in answers.items()}
        comments = {qid: comment for qid, (_, comment) in answers.items()}
        files.append((f"form{n}.xlsx", fill_form(form, labels, name=name, role=role,
                                                 comments=comments)))
    merged = apply_forms(empty_assessment(bank), read_forms(files, {bank.id: bank}))
    assert [(p.name, p.role) for p in merged.participants] == [
        (" ".join(name.split()), " ".join(role.split())) for name, role, _ in people]
    for participant, (_, _, answers) in zip(merged.participants, people):
        got = {a.question: (a.value, a.comment) for a in merged.answers
               if a.participant == participant.id}
        assert got == answers


# --- CLI ---------------------------------------------------------------------------------


def run_cli(argv: list[str], banks) -> int:
    parser = argparse.ArgumentParser(prog="psa")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return run_command(args, Run(sys.stdout, sys.stderr, loaded=BankSet(banks=banks)))


def test_cli_form__writes_a_form(tmp_path, banks, capsys):
    out = tmp_path / "form.xlsx"
    assert run_cli(["form", "test-bank", "--audience", "kommun", "--out", str(out)], banks) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out} (test-bank, 4 questions)"
    assert load_workbook(out).sheetnames == ["Svar", "Skala", META_SHEET]


@pytest.mark.parametrize("argv,message", [
    (["form", "nope", "--out", "x.xlsx"], "unknown bank 'nope' (installed: test-bank)"),
    (["form", "test-bank", "--out", "x.csv"], "x.csv: the file name must end in .xlsx"),
])
def test_cli_form__bad_input_is_one_line_and_exit_2(tmp_path, banks, capsys, argv, message,
                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli(argv, banks) == 2
    assert capsys.readouterr().err.strip() == message


def test_cli_form__audience_without_questions(tmp_path, capsys):
    bank = make_bank({"F1": [question("F1.1", audiences=["kommun"])]})
    assert run_cli(["form", bank.id, "--audience", "region", "--out",
                    str(tmp_path / "f.xlsx")], {bank.id: bank}) == 2
    assert "has no questions for 'region'; choose one of: kommun" in capsys.readouterr().err


def test_cli_import__adds_every_form_and_saves(tmp_path, bank, banks, capsys):
    target = tmp_path / "a.json"
    save_assessment_file(make_assessment(bank, answers={"G1.1": [2]}), target)
    paths = []
    for name, answer in [("Anna", "Helt"), ("Bo", "Vet ej")]:
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(fill_form(answer_form(bank), {"F1.1": answer}, name=name, role="MAS"))
        paths.append(str(path))
    assert run_cli(["import-xlsx", *paths, "--into", str(target)], banks) == 0
    assert capsys.readouterr().out.strip() == (
        f"added 2 participants with 2 answers to {target}: p2 Anna, MAS, p3 Bo, MAS")
    saved = load_assessment_file(target, banks)
    assert [(a.participant, a.question, a.value) for a in saved.answers] == [
        ("p1", "G1.1", 2), ("p2", "F1.1", 4), ("p3", "F1.1", "unknown")]


def test_cli_import__dry_run_changes_nothing(tmp_path, bank, banks, capsys):
    target = tmp_path / "a.json"
    save_assessment_file(empty_assessment(bank), target)
    before = target.read_bytes()
    form = tmp_path / "f.xlsx"
    form.write_bytes(fill_form(answer_form(bank), {"F1.1": "Helt"}))
    assert run_cli(["import-xlsx", str(form), "--into", str(target), "--dry-run"], banks) == 0
    assert capsys.readouterr().out.startswith("would add 1 participant to")
    assert target.read_bytes() == before


# --- a form saved by LibreOffice --------------------------------------------------------


@pytest.mark.slow  # LibreOffice
def test_libreoffice__a_form_saved_by_libreoffice_imports(tmp_path, bank, banks):
    soffice()
    filled = tmp_path / "in" / "form.xlsx"
    filled.parent.mkdir()
    filled.write_bytes(fill_form(answer_form(bank), {"G1.1": "Delvis", "F1.2": "Ej aktuellt"},
                                 name="Anna", comments={"G1.1": "-inte klart"}))
    run = convert(filled, "xlsx:Calc MS Excel 2007 XML", tmp_path / "out", tmp_path / "profile")
    resaved = tmp_path / "out" / "form.xlsx"
    assert run.returncode == 0 and resaved.exists(), run.stderr + run.stdout
    [form] = read_forms([("form.xlsx", resaved.read_bytes())], banks)
    assert form.name == "Anna"
    assert form.answers == (FormAnswer("G1.1", 2, "-inte klart"), FormAnswer("F1.2", "na"))


@pytest.mark.slow  # LibreOffice
def test_libreoffice__the_form_converts_to_pdf(tmp_path, bank):
    soffice()
    source = tmp_path / "form.xlsx"
    source.write_bytes(answer_form(bank))
    run = convert(source, "pdf", tmp_path / "out", tmp_path / "profile")
    pdf = tmp_path / "out" / "form.pdf"
    assert run.returncode == 0 and pdf.exists(), run.stderr + run.stdout
    assert pdf.read_bytes().startswith(b"%PDF")


def _cells(rng: CellRange):
    return (f"{chr(64 + c)}{r}" for r in range(rng.min_row, rng.max_row + 1)
            for c in range(rng.min_col, rng.max_col + 1))


def test_invalid_file__has_every_problem(bank, banks):
    bad = fill_form(answer_form(bank), {"G1.1": "Kanske", "G1.2": "Ofta"})
    with pytest.raises(InvalidFile) as exc:
        read_forms([("f.xlsx", bad)], banks)
    assert [p.place for p in exc.value.problems] == ["sheet Svar, cell D9", "sheet Svar, cell D10"]


def test_cli_wiring__with_the_main_clis_shared_options(tmp_path, banks):
    """As ``assessment.cli`` wires the commands: its ``--bank-dir`` and ``--lang`` options
    come from parent parsers, and the command is called with the installed banks."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--bank-dir", default=argparse.SUPPRESS)
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=("sv", "en"), default="sv")
    parser = argparse.ArgumentParser(prog="python -m assessment", parents=[common])
    add_subcommands(parser.add_subparsers(dest="command", required=True), parents=[common, lang])
    out = tmp_path / "form.xlsx"
    args = parser.parse_args(["form", "test-bank", "--lang", "en", "--bank-dir", "x",
                              "--out", str(out)])
    assert args.lang == "en"
    assert run_command(args, Run(sys.stdout, sys.stderr, loaded=BankSet(banks=banks))) == 0
    assert load_workbook(out).sheetnames[0] == "Answers"


def test_import__text_that_looks_like_an_excel_escape_survives(bank, banks):
    filled = fill_form(answer_form(bank), {"G1.1": "Helt"}, name="_x0041_",
                       comments={"G1.1": "kod _x000D_ och _x005F_"})
    [form] = read_forms([("f.xlsx", filled)], banks)
    assert form.name == "_x0041_"
    assert form.answers[0].comment == "kod _x000D_ och _x005F_"
