"""Bad files never hang or exhaust the machine: every command that reads a user's file is
run as a real process (``python -m assessment``) with a timeout, and must exit 2 with one
line naming the file, the place and what is wrong — never a traceback, never "error: …".

The files: a named pipe (FIFO) and a symlink to ``/dev/zero`` given as a file, JSON nested
100,000 deep, a 5,000-digit integer, a NUL character in a comment or a name, and banks in
``PSA_BANK_DIR`` with a YAML "billion laughs" (aliases), deep nesting or a huge integer."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assessment.excel.cells import put_text

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60  # seconds; each case takes about one second
BANK = "nationell-handlingsplan-2025"

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")


def psa(*args: str, cwd: Path, bank_dir: Path | None = None) -> tuple[int, str, float]:
    """Run the command line; its exit code, stdout + stderr and how long it took."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PSA_BANK_DIR", None)
    if bank_dir is not None:
        env["PSA_BANK_DIR"] = str(bank_dir)
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "assessment", *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"psa {' '.join(args)} still running after {TIMEOUT} s")
    return done.returncode, done.stdout + done.stderr, time.monotonic() - started


def assert_no_crash(output: str) -> None:
    """No traceback and not the last line of defence's "error: …" (an unexpected error)."""
    assert "Traceback" not in output, output
    assert not any(line.startswith("error:") for line in output.splitlines()), output


def assert_refused(code: int, output: str, path: Path, *words: str) -> None:
    assert code == 2, output
    assert_no_crash(output)
    lines = [line for line in output.splitlines() if line.startswith(f"{path}:")]
    assert lines, output
    for word in words:
        assert word in lines[0], output


# --- the files -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("template")
    code, output, _ = psa("template", BANK, "--out", "t.json", cwd=folder)
    assert code == 0, output
    return json.loads((folder / "t.json").read_text(encoding="utf-8"))


def with_answer(template: dict, **answer) -> dict:
    return {**template, "participants": [{"id": "p1", "name": "Anna", "role": ""}],
            "answers": [{"participant": "p1", "question": "G1.1", "value": 2, **answer}]}


def fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def dev_zero(folder: Path, name: str) -> Path:
    path = folder / name
    path.symlink_to("/dev/zero")
    return path


def deep_json(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return path


def huge_integer(folder: Path, name: str, template: dict) -> Path:
    path = folder / name
    text = json.dumps(with_answer(template, value=123456789))
    path.write_text(text.replace("123456789", "9" * 5000), encoding="utf-8")
    return path


def nul_in_comment(folder: Path, name: str, template: dict) -> Path:
    path = folder / name
    path.write_text(json.dumps(with_answer(template, comment="rutin\u0000finns")),
                    encoding="utf-8")
    return path


ASSESSMENT_CASES = {
    # case: (make the file, words its line must hold)
    "fifo": (lambda folder, name, _: fifo(folder, name), ["named pipe (FIFO)", "regular file"]),
    "symlink to /dev/zero": (lambda folder, name, _: dev_zero(folder, name),
                             ["is a device", "regular file"]),
    "nested 100,000 deep": (lambda folder, name, _: deep_json(folder, name),
                            ["line 1, column 65", "nested more than 64 levels"]),
    "5,000-digit integer": (huge_integer, ["line 1, column", "number of 5000 digits"]),
    "NUL in a comment": (nul_in_comment, ["answers[0].comment", "control character U+0000"]),
}

# Each command that reads an assessment file, with the file at {file}.
COMMANDS = {
    "validate": ["validate", "{file}"],
    "score": ["score", "{file}"],
    "export": ["export", "{file}", "--xlsx", "out.xlsx"],
    "import-xlsx --into": ["import-xlsx", "form.xlsx", "--into", "{file}"],
    "compare": ["compare", "{file}", "good.json"],
}


@pytest.fixture
def workdir(tmp_path, template) -> Path:
    (tmp_path / "good.json").write_text(json.dumps(template), encoding="utf-8")
    code, output, _ = psa("form", BANK, "--audience", "region", "--out", "form.xlsx",
                          cwd=tmp_path)
    assert code == 0, output
    (tmp_path / "form.xlsx").write_bytes(filled_form(tmp_path / "form.xlsx"))
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", ASSESSMENT_CASES)
def test_bad_assessment_file__every_command__exit_2_with_file_place_and_reason(
        workdir, template, case, command):
    make, words = ASSESSMENT_CASES[case]
    make(workdir, "bad.json", template)
    args = [arg.replace("{file}", "bad.json") for arg in COMMANDS[command]]

    code, output, _ = psa(*args, cwd=workdir)

    assert_refused(code, output, Path("bad.json"), *words)
    assert not (workdir / "out.xlsx").exists()  # nothing written


# --- banks in PSA_BANK_DIR -------------------------------------------------------------------


def billion_laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


BANK_CASES = {
    # case: (write the bank, words its line must hold)
    "billion laughs": (lambda path: path.write_text(billion_laughs(), encoding="utf-8"),
                       ["line 2", "alias *a0", "anchors and aliases"]),
    "nested 100,000 deep": (lambda path: path.write_text("a: " + "[" * 100_000 + "]" * 100_000,
                                                         encoding="utf-8"),
                            ["line 1, column 1003", "exceeded maximum nesting depth"]),
    "nested 25 deep": (lambda path: path.write_text("a: " + "[" * 25 + "]" * 25,
                                                    encoding="utf-8"),
                       ["line 1", "nested more than 20 levels"]),
    "5,000-digit integer": (lambda path: path.write_text("id: x\nversion: " + "9" * 5000 + "\n",
                                                         encoding="utf-8"),
                            ["line 2", "number of 5000 digits"]),
    "fifo": (lambda path: os.mkfifo(path), ["named pipe (FIFO)"]),
    "symlink to /dev/zero": (lambda path: path.symlink_to("/dev/zero"), ["is a device"]),
}


@pytest.fixture
def bank_dir(tmp_path) -> Path:
    folder = tmp_path / "banks"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("case", BANK_CASES)
def test_bad_bank_in_bank_dir__banks__reported_and_the_others_listed(tmp_path, bank_dir, case):
    make, words = BANK_CASES[case]
    path = bank_dir / "bad.yaml"
    make(path)

    code, output, _ = psa("banks", cwd=tmp_path, bank_dir=bank_dir)

    # A broken bank never stops the others: ``banks`` lists them and reports the bad one.
    assert code == 0, output
    assert_no_crash(output)
    assert any(line.startswith(BANK) for line in output.splitlines()), output
    line = next(line for line in output.splitlines() if line.startswith(f"{path}:"))
    assert all(word in line for word in words), output


@pytest.mark.parametrize("case", BANK_CASES)
def test_bad_bank__validate_it__exit_2_with_file_place_and_reason(tmp_path, bank_dir, case):
    make, words = BANK_CASES[case]
    path = bank_dir / "bad.yaml"
    make(path)

    code, output, _ = psa("validate", str(path), cwd=tmp_path, bank_dir=bank_dir)

    assert_refused(code, output, path, *words)


@pytest.mark.parametrize("case", BANK_CASES)
def test_bad_bank_in_bank_dir__validate_a_good_file__still_valid(tmp_path, bank_dir, template,
                                                                 case):
    BANK_CASES[case][0](bank_dir / "bad.yaml")
    (tmp_path / "good.json").write_text(json.dumps(template), encoding="utf-8")

    code, output, _ = psa("validate", "good.json", cwd=tmp_path, bank_dir=bank_dir)

    assert code == 0, output
    assert "OK good.json" in output


# --- filled-in Excel forms -------------------------------------------------------------------


def filled_form(path: Path, name: str = "Anna", comment: str = "Vi har en rutin") -> bytes:
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    put_text(ws["C3"], name)
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == "G1.1")
    ws.cell(row=row, column=4).value = 2
    put_text(ws.cell(row=row, column=5), comment)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_text_replaced(data: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with ``old`` replaced in its XML (as a crafted file could hold it: Excel's
    escape ``_x0000_`` reads back as a NUL character)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename).replace(old, new))
    return out.getvalue()


FORM_CASES = {
    # case: (make the form from a good filled one, words its line must hold)
    "fifo": (lambda path, good: os.mkfifo(path), ["named pipe (FIFO)"]),
    "symlink to /dev/zero": (lambda path, good: path.symlink_to("/dev/zero"), ["is a device"]),
    "NUL in the name": (lambda path, good: path.write_bytes(
        with_text_replaced(good, b"Anna", b"An_x0000_na")),
        ["sheet Svar, cell C3", "control character U+0000"]),
    "NUL in a comment": (lambda path, good: path.write_bytes(
        with_text_replaced(good, b"Vi har en rutin", b"Vi har_x0000_ en rutin")),
        ["sheet Svar, cell E", "comment contains the control character U+0000"]),
}


@pytest.mark.parametrize("case", FORM_CASES)
def test_bad_form__import_xlsx__exit_2_and_the_assessment_unchanged(workdir, case):
    make, words = FORM_CASES[case]
    path = workdir / "bad.xlsx"
    make(path, (workdir / "form.xlsx").read_bytes())
    before = (workdir / "good.json").read_bytes()

    code, output, _ = psa("import-xlsx", "bad.xlsx", "--into", "good.json", cwd=workdir)

    assert_refused(code, output, Path("bad.xlsx"), *words)
    assert (workdir / "good.json").read_bytes() == before


def test_good_form__import_xlsx__adds_the_participant(workdir):
    """The control: the same form, not made bad, imports."""
    code, output, _ = psa("import-xlsx", "form.xlsx", "--into", "good.json", cwd=workdir)

    assert code == 0, output
    doc = json.loads((workdir / "good.json").read_text(encoding="utf-8"))
    assert [(p["name"], len(doc["answers"])) for p in doc["participants"]] == [("Anna", 1)]
    assert doc["answers"][0]["comment"] == "Vi har en rutin"
