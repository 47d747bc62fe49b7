"""The workbooks as they print: the report workbook (``export_workbook``) and the compare
workbook (``compare_workbook``) of the national bank are converted to PDF with LibreOffice
(``soffice``, a private profile, each conversion bounded by a timeout) and the PDF's text is
read back with pypdf:

- every page has its footer "Sida N av M" (N and M right for the sheet it belongs to);
- no header word of the tables is broken across lines ("Områd" / "e");
- each date column of the compare workbook's "Över tid" sheet shows its date in full, and
  "Mellan enheter" shows each unit's whole name.

The pages are also rendered as PNG files (LibreOffice's Draw opens each one-page PDF and
exports it) into ``test-artifacts/excel-print/`` under the repository (git-ignored):
``report-NN.png`` and ``compare-NN.png``, beside ``report.pdf`` and ``compare.pdf``, to look
at by eye. Without LibreOffice the tests are skipped, except on CI (``CI=true``).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from assessment.bank_loader import load_banks
from assessment.document import Action, Assessment, Participant
from assessment.excel import export_workbook
from assessment.excel.compare_export import compare_workbook
from assessment.i18n import translate
from scoring.compare import snapshot
from tests.helpers import make_assessment
from tests.test_excel_export import soffice

pytestmark = pytest.mark.slow  # LibreOffice prints two workbooks to PDF (about 20 s)

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "excel-print"
NATIONAL = load_banks().get("nationell-handlingsplan-2025")
TIMEOUT = 240
FOOTER = re.compile(r"Sida (\d+) av (\d+)")


def convert(sources: list[Path], fmt: str, outdir: Path, profile: Path) -> None:
    """Convert with a private LibreOffice profile (parallel runs do not share one)."""
    run = subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", fmt, "--outdir", str(outdir), *map(str, sources)],
        capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert run.returncode == 0, run.stderr + run.stdout


def to_pdf(name: str, data: bytes, tmp_path: Path) -> tuple[Path, list[str]]:
    """The workbook as a PDF (kept in the artifacts) and the text of each of its pages."""
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(data)
    convert([source], "pdf", tmp_path, tmp_path / "lo")
    pdf = tmp_path / f"{name}.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, ARTIFACTS / pdf.name)
    return pdf, [page.extract_text() or "" for page in PdfReader(pdf).pages]


def render_pngs(name: str, pdf: Path) -> list[Path]:
    """One PNG per page (``pdftoppm``, from poppler-utils) in the artifacts directory; none
    without pdftoppm."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run([tool, "-png", "-r", "60", str(pdf), str(ARTIFACTS / name)], check=True,
                   capture_output=True, timeout=TIMEOUT)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def check_footers(pages: list[str]) -> None:
    """Every page has "Sida N av M"; within a sheet N runs 1 … M."""
    expected = 1
    for number, text in enumerate(pages, start=1):
        found = FOOTER.findall(text)
        assert found, f"page {number} has no page number:\n{text[:300]}"
        page, total = map(int, found[-1])
        assert page == expected and page <= total, f"page {number}: Sida {page} av {total}"
        expected = 1 if page == total else page + 1


def broken_words(pages: list[str], words: set[str]) -> list[str]:
    """The header words that appear split across two lines ("Områd" + "e") in the text."""
    broken = []
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines()]
        for first, second in zip(lines, lines[1:]):
            if not first or not second:
                continue
            joined = first.split(" ")[-1] + second.split(" ")[0]
            for word in words:
                if joined == word or (joined.endswith(word) and len(word) > 5
                                      and joined != first.split(" ")[-1]):
                    if word not in first.split(" ") and word not in second.split(" "):
                        broken.append(f"page {number}: {first!r} / {second!r} ({word})")
    return broken


def header_words(lang_keys: list[str]) -> set[str]:
    """The words of the given catalogue texts (column headers), longer than three letters."""
    words = set()
    for key in lang_keys:
        for word in re.findall(r"[\wåäöÅÄÖ]+", translate("sv", key)):
            if len(word) > 3 and not word.isdigit():
                words.add(word)
    return words


# --- the data: the national bank, nine participants, a plan, three years and three units ------

NAMES = ["Anna Berg", "Bertil Åström", "Cecilia Lindqvist", "David Öberg", "Eva Sandström",
         "Fredrik Holm", "Gunilla Nyström", "Hassan Karimi", "Ingrid Ekholm-Wallin"]
ROLES = ["MAS", "Enhetschef", "Sjuksköterska", "Undersköterska", "Verksamhetschef",
         "Fysioterapeut", "Arbetsterapeut", "Patientrepresentant", "Kvalitetsutvecklare"]


def national_assessment(seed: int, date: str, name: str = "Norrås kommun",
                        unit: str = "Vård och omsorg, hemtjänst", done: int = 0) -> Assessment:
    rng = random.Random(seed)
    options = NATIONAL.scale.options()
    weights = [1, 2, 3, 2, 1, 1, 0.3][:len(options)]
    answers = {qid: [rng.choices(options, weights)[0] for _ in NAMES]
               for qid in NATIONAL.question_index()}
    made = make_assessment(NATIONAL, answers=answers)
    participants = [Participant(id=f"p{n}", name=who, role=role)
                    for n, (who, role) in enumerate(zip(NAMES, ROLES), start=1)]
    activities = list(NATIONAL.question_index())[::7]
    actions = [Action(activity=qid, title=f"Åtgärd för {qid}: rutin, utbildning och uppföljning",
                      owner=ROLES[n % len(ROLES)], due=dt.date(int(date[:4]), 12, 31),
                      status="klar" if n < done else ("pågår" if n % 2 else "planerad"),
                      note="Följs upp på ledningsgruppens möte varje kvartal")
               for n, qid in enumerate(activities)]
    organisation = made.organisation.model_copy(update={"name": name, "unit": unit})
    return made.model_copy(update={"participants": participants, "actions": actions,
                                   "date": dt.date.fromisoformat(date),
                                   "organisation": organisation})


REPORT_HEADERS = [f"excel.col.{key}" for key in (
    "area", "area_name", "score", "level", "target", "gap", "coverage", "importance",
    "time_perspective", "counted_answers", "participant_id", "participant", "question_id",
    "answer", "comment", "question_level", "consensus", "disagreement", "knowledge_gap",
    "activity", "rank", "priority_score", "effort", "owner", "status", "plan_note")]
COMPARE_HEADERS = [f"compare.excel.col.{key}" for key in (
    "number", "date", "organisation", "unit", "overall", "area", "area_name", "change_score",
    "verdict", "question_id", "question", "change_levels", "min", "median", "max", "units",
    "lowest", "highest", "level", "target", "gap")]


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> tuple[list[str], list[Path]]:
    """The report workbook's pages (text) and their PNGs."""
    soffice()
    tmp_path = tmp_path_factory.mktemp("report")
    data = export_workbook(national_assessment(1, "2026-03-01", done=2), NATIONAL,
                           exported_at=dt.datetime(2026, 3, 2, 9, 30))
    pdf, pages = to_pdf("report", data, tmp_path)
    return pages, render_pngs("report", pdf)


COMPARED = [(1, "2024-03-01", "Norrås kommun", "Vård och omsorg, hemtjänst", 0),
            (2, "2025-03-01", "Norrås kommun", "Vård och omsorg, hemtjänst", 2),
            (3, "2026-03-01", "Norrås kommun", "Vård och omsorg, hemtjänst", 4),
            (4, "2026-02-01", "Norrås kommun", "Kommunal hälso- och sjukvård, särskilt boende", 1),
            (5, "2025-11-15", "Södra Skogsbygdens kommun", "Hemsjukvård", 0)]


@pytest.fixture(scope="module")
def compare_pdf(tmp_path_factory) -> tuple[list[str], list[Path]]:
    """The compare workbook's pages (text) and their PNGs."""
    soffice()
    tmp_path = tmp_path_factory.mktemp("compare")
    snaps = [snapshot(f"{date}-{seed}.json", national_assessment(seed, date, name, unit, done),
                      NATIONAL) for seed, date, name, unit, done in COMPARED]
    data = compare_workbook(snaps, NATIONAL, "sv", exported_at=dt.datetime(2026, 3, 2, 9, 30))
    pdf, pages = to_pdf("compare", data, tmp_path)
    return pages, render_pngs("compare", pdf)


def sheet_pages(pages: list[str], sheet: str) -> list[str]:
    """The pages of one sheet: those whose header names it."""
    found = [text for text in pages if text.splitlines() and sheet in text.splitlines()[0]]
    assert found, f"no page is headed {sheet!r}"
    return found


def test_report__every_page_has_its_page_number(report_pdf):
    check_footers(report_pdf[0])


def test_report__no_header_word_is_split(report_pdf):
    assert broken_words(report_pdf[0], header_words(REPORT_HEADERS)) == []


def test_compare__every_page_has_its_page_number(compare_pdf):
    check_footers(compare_pdf[0])


def test_compare__no_header_word_is_split(compare_pdf):
    assert broken_words(compare_pdf[0], header_words(COMPARE_HEADERS)) == []


def test_compare__over_time__each_date_column_shows_its_whole_date(compare_pdf):
    text = "\n".join(sheet_pages(compare_pdf[0], translate("sv", "compare.excel.sheets.over_time")))
    for _, date, *_ in COMPARED[:3]:
        assert date in text, f"{date} is not printed in full on Över tid"


def test_compare__between_units__whole_unit_names(compare_pdf):
    pages = sheet_pages(compare_pdf[0], translate("sv", "compare.excel.sheets.units"))
    text = re.sub(r"\s+", " ", "\n".join(pages))
    for _, _, name, unit, _ in COMPARED[2:]:
        assert f"{name} – {unit}" in text


def test_pages__rendered_as_png(report_pdf, compare_pdf):
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is not installed (poppler-utils)")
        pytest.skip("pdftoppm (poppler-utils) is not installed: no PNG renders")
    for pages, pngs in (report_pdf, compare_pdf):
        assert len(pngs) == len(pages)
        assert all(png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for png in pngs)
