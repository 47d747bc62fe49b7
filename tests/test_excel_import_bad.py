"""Importing bad files: each gives a message naming the file (and, inside a form, the sheet
and cell), and an import with any bad file leaves the assessment JSON byte for byte as it
was — the good files given with it are not applied either."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assessment.bank import Bank
from assessment.excel import InvalidFile, answer_form, export_workbook, read_forms
from assessment.excel.cells import put_text
from assessment.excel.form import META_SHEET
from assessment.excel.safety import (
    MAX_FILE_BYTES, MAX_PARTS, MAX_UNCOMPRESSED_BYTES, OLE_SIGNATURE,
)
from assessment.files import save_assessment_file
from tests.helpers import bank_dict, make_assessment, make_bank
from tests.test_excel_forms import fill_form, run_cli

BANK = make_bank({"G1": 2, "F1": 2})  # rows: 8 G1, 9 G1.1, 10 G1.2, 11 F1, 12 F1.1, 13 F1.2
OTHER_BANK = make_bank({"K1": 2}, top=2, bank_id="other-bank")
NEWER_BANK = make_bank({"G1": 2, "F1": 2}, version="2")
BANKS = {BANK.id: BANK, OTHER_BANK.id: OTHER_BANK}


def good_form(**answers) -> bytes:
    return fill_form(answer_form(BANK), answers or {"G1.1": "Delvis"}, name="Anna")


def rezip(data: bytes, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes] | None = None) -> bytes:
    """The workbook's zip with some parts replaced or added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def edit_form(data: bytes, sheet: str, **cells) -> bytes:
    """The form with some cells of one sheet changed (as someone who removed the
    protection could)."""
    wb = load_workbook(io.BytesIO(data))
    for coordinate, value in cells.items():
        if isinstance(value, str):
            put_text(wb[sheet][coordinate], value)
        else:
            wb[sheet][coordinate].value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


# --- builders of bad files ------------------------------------------------------------------


def zip_encrypted() -> bytes:
    """A workbook whose zip entries carry the "encrypted" flag."""
    data = bytearray(good_form())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + flag_offset] |= 0x1
            start += 4
    return bytes(data)


def corrupt_part() -> bytes:
    """A workbook whose sheet data was damaged on the way (its CRC no longer matches)."""
    data = bytearray(good_form())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 20, start + 60):
        data[offset] ^= 0xFF
    return bytes(data)


def billion_laughs() -> bytes:
    sheet = part(good_form(), "xl/worksheets/sheet1.xml")
    dtd = (b'<!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
           b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    sheet = sheet.replace(b"<worksheet", dtd + b"<worksheet", 1).replace(b"Anna", b"&c;", 1)
    return rezip(good_form(), replace={"xl/worksheets/sheet1.xml": sheet})


def utf16_part() -> bytes:
    sheet = part(good_form(), "xl/worksheets/sheet1.xml").decode("utf-8")
    sheet = sheet.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return rezip(good_form(), replace={"xl/worksheets/sheet1.xml": sheet.encode("utf-16")})


def macro_content_type() -> bytes:
    types = part(good_form(), "[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
    return rezip(good_form(), replace={"[Content_Types].xml": types})


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


BAD_FILES = {
    # name: (builder, the message starts with …, place)
    "csv": (lambda: "namn;svar\nAnna;3\n".encode(),
            "is not an .xlsx workbook (it starts with the text 'namn;svar Anna;3'", ""),
    "empty": (lambda: b"", "is empty", ""),
    "over size": (lambda: b"PK\x03\x04" + bytes(MAX_FILE_BYTES),
                  "is 5.0 MB, more than the limit of 5.0 MB", ""),
    "password": (lambda: OLE_SIGNATURE + bytes(2048),
                 "is password-protected (encrypted) or an old .xls workbook", ""),
    "zip encrypted": (zip_encrypted, "is encrypted", ""),
    "truncated": (lambda: good_form()[:3000], "is damaged: not a readable zip archive", ""),
    "damaged part": (corrupt_part, "is damaged", "xl/worksheets/sheet1.xml"),
    "xlsm": (lambda: rezip(good_form(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
             "contains macros (an .xlsm workbook)", "xl/vbaProject.bin"),
    "macro content type": (macro_content_type, "declares macro-enabled content",
                           "[Content_Types].xml"),
    "zip bomb (total)": (lambda: zip_of({"[Content_Types].xml": b"<Types/>",
                                         "xl/workbook.xml": b"<workbook/>",
                                         "xl/worksheets/sheet1.xml":
                                             bytes(MAX_UNCOMPRESSED_BYTES + 1)}),
                         "would unpack to 50.0 MB from 0.0 MB on disk", ""),
    "zip bomb (ratio)": (lambda: zip_of({"[Content_Types].xml": b"<Types/>",
                                         "xl/workbook.xml": b"<workbook/>",
                                         "xl/sharedStrings.xml": b" " * (4 * 1024 * 1024)}),
                         "is compressed", "xl/sharedStrings.xml"),
    "too many parts": (lambda: zip_of({f"x/{n}.xml": b"<a/>" for n in range(MAX_PARTS + 1)}),
                       f"has {MAX_PARTS + 1} parts", ""),
    "entity attack": (billion_laughs, "declares a DTD or XML entities",
                      "xl/worksheets/sheet1.xml"),
    "utf-16 part": (utf16_part, "is not UTF-8 XML", "xl/worksheets/sheet1.xml"),
    "zip, not a workbook": (lambda: zip_of({"hello.txt": b"hi"}),
                            "is a zip archive but not an Excel workbook", ""),
    "not a form": (lambda: export_workbook(make_assessment(BANK, answers={"G1.1": [1]}), BANK),
                   "is not an answer form made by this program", ""),
    "unknown bank": (lambda: fill_form(answer_form(make_bank({"G1": 1}, bank_id="okand")),
                                       {"G1.1": "Delvis"}),
                     "is a form for bank 'okand', which is not installed (installed: "
                     "other-bank, test-bank)", f"sheet {META_SHEET}, cell B3"),
    "other bank": (lambda: fill_form(answer_form(OTHER_BANK), {"K1.1": "Delvis"}),
                   "is a form for bank 'other-bank', but the assessment uses bank 'test-bank'",
                   f"sheet {META_SHEET}, cell B3"),
    "old bank version": (lambda: fill_form(answer_form(NEWER_BANK), {"G1.1": "Delvis"}),
                         "the form was made for version '2' of bank 'test-bank', but version "
                         "'1' is installed", f"sheet {META_SHEET}, cell B4"),
    "newer form version": (lambda: edit_form(good_form(), META_SHEET, B2=2),
                           "form version 2 is newer than this program understands",
                           f"sheet {META_SHEET}, cell B2"),
    "unknown question id": (lambda: edit_form(good_form(), "Svar", B10="G1.99"),
                            "question id 'G1.99' is not in bank 'test-bank'",
                            "sheet Svar, cell B10"),
    "question twice": (lambda: edit_form(good_form(), "Svar", B10="G1.1"),
                       "question G1.1 is also in row 9", "sheet Svar, cell B10"),
    "not on the scale": (lambda: good_form(**{"G1.1": "Kanske"}),
                         "'Kanske' is not an answer on the scale (Inte alls … Ej aktuellt); "
                         "choose one from the list", "sheet Svar, cell D9"),
    "level above the scale": (lambda: good_form(**{"F1.2": 7}),
                              "'7' is not an answer on the scale", "sheet Svar, cell D13"),
    "not a whole level": (lambda: good_form(**{"F1.1": 2.5}),
                          "'2.5' is not an answer on the scale", "sheet Svar, cell D12"),
    "formula as answer": (lambda: edit_form(good_form(), "Svar", D9=None, D10="=1+1"),
                          "'=1+1' is not an answer on the scale", "sheet Svar, cell D10"),
    "comment without answer": (lambda: fill_form(answer_form(BANK), {"G1.1": "Helt"},
                                                 comments={"F1.1": "vet inte"}),
                               "has a comment but F1.1 has no answer in D12",
                               "sheet Svar, cell E12"),
    "answer on an area row": (lambda: edit_form(good_form(), "Svar", D11="Helt"),
                              "answers a row without a question id", "sheet Svar, cell B11"),
    "no answers": (lambda: fill_form(answer_form(BANK), {}, name="Anna"),
                   "has no answers; fill in the form before importing it",
                   "sheet Svar, cell D8"),
    "name too long": (lambda: fill_form(answer_form(BANK), {"G1.1": "Helt"}, name="A" * 201),
                      "is 201 characters long, more than 200", "sheet Svar, cell C3"),
    "comment too long": (lambda: fill_form(answer_form(BANK), {"G1.1": "Helt"},
                                           comments={"G1.1": "x" * 2001}),
                         "the comment is 2001 characters long, more than 2000",
                         "sheet Svar, cell E9"),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_read_forms__bad_file_names_file_place_and_problem(case):
    build, message, place = BAD_FILES[case]
    with pytest.raises(InvalidFile) as exc:
        read_forms([("form.xlsx", build())], BANKS, bank_id=BANK.id)
    [problem] = exc.value.problems
    assert problem.file == "form.xlsx"
    assert problem.place == place
    assert problem.message.startswith(message), problem.message
    assert "\n" not in str(problem)


def test_read_forms__the_issue_example_message():
    doc = bank_dict({"G1": 2})
    doc["scale"]["levels"][0]["label"] = {"sv": "0 – Saknas", "en": "0 – Absent"}
    bank = Bank.model_validate(doc)
    bad = fill_form(answer_form(bank), {"G1.1": "Helt", "G1.2": "Kanske"})
    with pytest.raises(InvalidFile) as exc:
        read_forms([("form.xlsx", bad)], {bank.id: bank})
    assert str(exc.value) == ("form.xlsx: sheet Svar, cell D10: 'Kanske' is not an answer on "
                              "the scale (0 – Saknas … Ej aktuellt); choose one from the list")


def test_read_forms__every_problem_of_every_file_at_once():
    files = [("a.xlsx", good_form(**{"G1.1": "Kanske", "F1.1": "Ofta"})),
             ("b.xlsx", good_form()),
             ("c.xlsx", b"")]
    with pytest.raises(InvalidFile) as exc:
        read_forms(files, BANKS)
    assert [(p.file, p.place) for p in exc.value.problems] == [
        ("a.xlsx", "sheet Svar, cell D9"), ("a.xlsx", "sheet Svar, cell D12"), ("c.xlsx", "")]


def test_read_forms__the_same_file_twice():
    data = good_form()
    with pytest.raises(InvalidFile) as exc:
        read_forms([("a.xlsx", data), ("kopia.xlsx", data)], BANKS)
    assert str(exc.value) == ("kopia.xlsx: is the same file as a.xlsx; each form is one "
                              "participant, so import it once")


def test_entity_attack__openpyxl_alone_refuses_it_too():
    """The DTD check runs first; this shows the second layer — openpyxl parsing through
    defusedxml — holds on its own."""
    from defusedxml import DefusedXmlException

    with pytest.raises(Exception) as exc:
        wb = load_workbook(io.BytesIO(billion_laughs()), read_only=True)
        list(wb.worksheets[0].iter_rows(values_only=True))
    chain = [exc.value]
    while chain[-1].__cause__ or chain[-1].__context__:
        chain.append(chain[-1].__cause__ or chain[-1].__context__)
    assert any(isinstance(e, DefusedXmlException) for e in chain), chain


# --- the CLI: nothing is written unless every file is fine ---------------------------------


@pytest.fixture
def assessment_file(tmp_path) -> Path:
    path = tmp_path / "assessment.json"
    save_assessment_file(make_assessment(BANK, answers={"G1.1": [1, 2]}), path)
    return path


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_cli_import__a_bad_file_leaves_the_assessment_untouched(case, tmp_path, assessment_file,
                                                                capsys):
    build, message, place = BAD_FILES[case]
    good = tmp_path / "good.xlsx"
    good.write_bytes(good_form())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(build())
    before = assessment_file.read_bytes()
    code = run_cli(["import-xlsx", str(good), str(bad), "--into", str(assessment_file)], BANKS)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert assessment_file.read_bytes() == before
    where = f"{bad}: {place}: " if place else f"{bad}: "
    assert err[0].startswith(where + message), err
    assert err[-1] == f"{assessment_file}: not changed: fix the files above and import them all again"
    assert not list(tmp_path.glob("*.tmp"))


def test_cli_import__missing_file_and_bad_assessment(tmp_path, assessment_file, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(good_form())
    before = assessment_file.read_bytes()
    assert run_cli(["import-xlsx", str(tmp_path / "nope.xlsx"), str(good), "--into",
                    str(assessment_file)], BANKS) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{tmp_path / 'nope.xlsx'}: cannot be read: No such file or directory")
    assert assessment_file.read_bytes() == before
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "psa-assessment", "version": 1}', encoding="utf-8")
    assert run_cli(["import-xlsx", str(good), "--into", str(broken)], BANKS) == 2
    assert capsys.readouterr().err.startswith(f"{broken}: bank: is required but missing")
    assert broken.read_text(encoding="utf-8") == '{"format": "psa-assessment", "version": 1}'


def test_cli_import__a_file_over_the_limit_is_not_read(tmp_path, assessment_file, capsys,
                                                       monkeypatch):
    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: the size is checked before reading
    opened = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or
                        real_open(self, *a, **k))
    assert run_cli(["import-xlsx", str(big), "--into", str(assessment_file)], BANKS) == 2
    assert big not in opened
    assert "more than the limit of 5.0 MB for a form" in capsys.readouterr().err
