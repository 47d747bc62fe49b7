"""The Excel export: every workbook is read back with openpyxl and checked against numbers
worked out by hand (a small bank) and against the scoring output (a generated one).

Where LibreOffice is installed the workbook is also converted to PDF and to CSV; without
it those tests are skipped, except on CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import sys
import argparse
import csv
import datetime as dt
import io
import os
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import RadarChart
from openpyxl.utils import range_boundaries

from assessment.bank import Bank
from assessment.bank_loader import BankSet, load_banks
from assessment.cli_support import Run, run_command
from assessment.document import FORMAT_VERSION, Action, Assessment, Participant
from assessment.excel import export_workbook, sheet_names
from assessment.excel.cells import Col, write_table
from assessment.excel.cli_commands import add_subcommands
from assessment.excel.export import scoring_rules
from assessment.files import save_assessment_file
from assessment.i18n import translate
from scoring.explain import explain
from scoring.score import score_assessment
from tests.helpers import bank_dict, make_assessment, make_bank, question

EXPORTED_AT = dt.datetime(2026, 3, 1, 9, 30)
CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
SHEETS_SV = ["Sammanfattning", "Svar", "Frågor", "Kunskapsluckor", "Prioriteringar",
             "Handlingsplan", "Metadata"]
SHEETS_EN = ["Summary", "Answers", "Questions", "Knowledge gaps", "Priorities", "Action plan",
             "Metadata"]
FORMULA_LIKE = ["=1+1", "+46 70 123 45 67", "-1+2", "@SUM(A1)", "\t=1+1", "\r=1+1",
                "#N/A", '=HYPERLINK("http://example.com","klicka")', "=cmd|' /C calc'!A0"]


# --- fixtures: a small assessment whose numbers are worked out by hand ---------------------


@pytest.fixture
def small_bank():
    """G1 (G1.1, G1.2 linked to F1) and F1 (F1.1–F1.3, looking back); scale 0–4 + Vet ej +
    Ej aktuellt; targets 3 by default, importance 2."""
    return make_bank({"G1": ["G1.1", question("G1.2", links=["F1"])], "F1": 3}, top=4)


@pytest.fixture
def small_assessment(small_bank) -> Assessment:
    """Three participants.

    G1.1: 1, 3, 4 → median 3, spread 3 (disagreement), share positive 3/3
    G1.2: 2, 2, Vet ej → 1 Vet ej beside 2 levels: no gap (the Vet ej do not outnumber the
          levels), the median 2 on an uncertain basis (1 of 3 is a third); share positive 2/3
    F1.1: Vet ej × 3 → Vet ej (a knowledge gap, 3 of 3, no level)
    F1.2: Ej aktuellt × 3 → Ej aktuellt
    F1.3: 0, 1, 2 with consensus 1 → 1 (samsyn; the spread of 2 is no longer open)

    G1: levels [3, 2] → mean 2,5 → score 62,5, coverage 2/2, unknown 0/2, gap 0,5;
        answers: Vet ej 1 of 6 (3 + 3), Ej aktuellt 0
    F1: levels [1] → mean 1 → score 25, coverage 1/2 (F1.2 is not applicable: half, enough
        basis), unknown 1/2, gap 2; answers: Vet ej 3 of 6 (F1.1's 3 + F1.3's 3), Ej aktuellt 3
    overall: the distinct questions with a level, G1.1 = 3, G1.2 = 2 and F1.3 = 1 →
        100 × 2 / 4 = 50 (not the mean of the area scores, 43,75); it rests on 3 of the 5
        questions in scope (F1.2 is Ej aktuellt, F1.1 a knowledge gap); looking back (F1) 25
    knowledge gaps: F1.1 (3 of 3, 0 levels); listed as well for its uncertain basis: G1.2
        (1 Vet ej of 3, 2 levels, value 2)
    open disagreements: G1.1 (F1.3's spread of 2 is settled on Samsyn)
    priorities: F1.3, gap 2 × importance 2 = 4; G1.2, gap 1 × 2 × breadth 1,25 (linked to
        F1) = 2,5 (G1.1 is at its target)
    """
    assessment = make_assessment(
        small_bank,
        answers={"G1.1": [1, 3, 4], "G1.2": [2, 2, "unknown"], "F1.1": ["unknown"] * 3,
                 "F1.2": ["na"] * 3, "F1.3": [0, 1, 2]},
        consensus={"F1.3": 1},
    )
    participants = [Participant(id="p1", name="Anna Berg", role="MAS"),
                    Participant(id="p2", name="=cmd|' /C calc'!A0", role="-sjuksköterska"),
                    Participant(id="p3", name="", role="")]
    answers = [a.model_copy(update={"comment": "=1+1"}) if (a.participant, a.question) ==
               ("p1", "G1.1") else a for a in assessment.answers]
    actions = [Action(activity="F1.3", title="Utbilda i utredningsmetoder", owner="MAS",
                      due=dt.date(2026, 3, 31), status="pågår", note="@team"),
               Action(activity="G1.2", title="=SUM(A1:A9)", owner="+46 70 123 45 67")]
    return assessment.model_copy(update={"participants": participants, "answers": answers,
                                         "actions": actions})


@pytest.fixture
def small_workbook(small_assessment, small_bank):
    data = export_workbook(small_assessment, small_bank, exported_at=EXPORTED_AT)
    return load_workbook(io.BytesIO(data))


def table(ws, header_first: str, column: int = 1) -> tuple[list[str], list[list]]:
    """The header and rows of the table whose first header cell is ``header_first``."""
    for row in ws.iter_rows():
        if row[column - 1].value == header_first:
            top = row[0].row
            break
    else:
        raise AssertionError(f"no table headed {header_first!r} in {ws.title}")
    headers = [c.value for c in ws[top] if c.value is not None]
    rows = []
    for r in range(top + 1, ws.max_row + 1):
        values = [ws.cell(row=r, column=c).value for c in range(1, len(headers) + 1)]
        if all(v is None for v in values):
            break
        rows.append(values)
    return headers, rows


def facts(ws) -> dict[str, object]:
    """The label → value pairs at the top of Sammanfattning (from row 4 to the first empty
    row)."""
    out = {}
    for row in ws.iter_rows(min_row=4, max_col=2):
        if not row[0].value:
            break
        out[row[0].value] = row[1].value
    return out


# --- sheets and headers ----------------------------------------------------------------


def test_export__has_the_seven_sheets_in_order(small_workbook):
    assert small_workbook.sheetnames == SHEETS_SV == sheet_names("sv")


def test_export__english_has_english_sheets_and_headers(small_assessment, small_bank):
    wb = load_workbook(io.BytesIO(export_workbook(small_assessment, small_bank, lang="en")))
    assert wb.sheetnames == SHEETS_EN
    assert [c.value for c in wb["Answers"][1]] == [
        "Participant id", "Participant", "Role", "Area", "Question (id)", "Question", "Answer",
        "Value", "Comment"]
    assert wb["Answers"]["F2"].value == "To what extent do we do G1.1?"


@pytest.mark.parametrize("sheet,headers", [
    ("Svar", ["Deltagar-id", "Deltagare", "Roll", "Område", "Fråga (id)", "Fråga", "Svar",
              "Värde", "Kommentar"]),
    ("Frågor", ["Område", "Fråga (id)", "Fråga", "Svar (enat eller median)", "Nivå",
                "Enad i gruppen", "Spridning (nivåer)", "Oenighet", "Andel positiva",
                "Antal svar", "Antal nivåer (underlag)", "Antal Vet ej", "Kunskapslucka",
                "Osäkert underlag", "Antal Ej aktuellt", "Anteckning från samsynen"]),
    ("Kunskapsluckor", ["Område", "Fråga (id)", "Fråga", "Aktivitet", "Antal Vet ej",
                        "Antal svar utom Ej aktuellt", "Antal nivåer (underlag)",
                        "Osäkert underlag", "Nivå"]),
    ("Prioriteringar", ["Rang", "Område", "Aktivitet (id)", "Aktivitet", "Prioritetspoäng",
                        "Gap (nivåer)", "Kopplade områden", "Insats", "Oenighet", "Varför",
                        "I handlingsplanen", "Lista"]),
    ("Handlingsplan", ["Tidsperspektiv", "Område", "Områdets namn", "Aktivitet (id)", "Aktivitet",
                       "Mål", "Åtgärd", "Ansvarig", "Klart senast", "Status",
                       "Uppföljning (indikator eller metod)", "Följs upp", "Anteckning"]),
])
def test_list_sheet__headers_frozen_and_filtered(small_workbook, sheet, headers):
    ws = small_workbook[sheet]
    assert [c.value for c in ws[1]] == headers
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert all(ws.column_dimensions[c.column_letter].width for c in ws[1])


# --- Sammanfattning ----------------------------------------------------------------------


def test_summary__facts(small_workbook):
    got = facts(small_workbook["Sammanfattning"])
    assert got["Organisation"] == "Testby kommun"
    assert got["Datum för skattningen"] == dt.datetime(2026, 11, 22)
    assert got["Frågebankens id och version"] == "test-bank, version 1"
    assert got["Antal deltagare"] == 3
    assert got["Besvarade frågor"] == "5 av 5"
    # The mean over the distinct questions with a level (G1.1 = 3, G1.2 = 2, F1.3 = 1), not
    # the mean of the area scores (62,5 and 25 give 43,75).
    assert got["Totalpoäng (0–100)"] == pytest.approx(50)
    assert got["Totalen bygger på"] == ("Totalen bygger på 3 av 5 frågor (varje fråga räknas "
                                        "en gång). Utanför totalen: 1 markerad Ej aktuellt, "
                                        "1 kunskapslucka.")
    # one count of each, as on Resultat and in the report (result.summary)
    assert got["Frågor markerade Ej aktuellt"] == 1           # F1.2
    assert got["Kunskapsluckor (frågor utan värde)"] == 1     # F1.1
    assert got["Frågor med osäkert underlag"] == 1            # G1.2
    assert got["Öppna oenigheter (frågor)"] == 1              # G1.1


def test_summary__names_an_area_without_a_score_because_every_answer_is_vet_ej(small_bank):
    # G1.1 = 2, G1.2 = 3 → overall 100 × 2,5 / 4 = 62,5 on 2 of 5 questions; F1 has only Vet ej.
    assessment = make_assessment(small_bank, answers={
        "G1.1": [2, 2], "G1.2": [3, 3], "F1.1": ["unknown"] * 2, "F1.2": ["unknown"] * 2,
        "F1.3": ["unknown"] * 2})
    got = facts(load_workbook(io.BytesIO(export_workbook(assessment, small_bank)))["Sammanfattning"])
    assert got["Totalpoäng (0–100)"] == pytest.approx(62.5)
    assert got["Totalen bygger på"] == (
        "Totalen bygger på 2 av 5 frågor (varje fråga räknas en gång). Utanför totalen: "
        "3 kunskapsluckor. Utan poäng eftersom alla svar är Vet ej: F1.")
    assert got["Kunskapsluckor (frågor utan värde)"] == 3


def test_summary__area_table_matches_the_hand_computed_numbers(small_workbook):
    headers, rows = table(small_workbook["Sammanfattning"], "Område")
    assert headers == ["Område", "Områdets namn", "Poäng (0–100)", "Nivå (medel)", "Mål (nivå)",
                       "Gap (nivåer)", "Täckning", "Andel Vet ej", "Viktighet (1–3)",
                       "Tidsperspektiv", "Antal Vet ej", "Antal svar utom Ej aktuellt",
                       "Antal Ej aktuellt", "Öppna oenigheter", "Underlag"]
    by_id = {r[0]: dict(zip(headers, r)) for r in rows}
    assert list(by_id) == ["G1", "F1"]
    g1, f1 = by_id["G1"], by_id["F1"]
    # G1: G1.1 (3) and G1.2 (2, on an uncertain basis) have levels (see the fixture).
    assert (g1["Poäng (0–100)"], g1["Nivå (medel)"], g1["Mål (nivå)"], g1["Gap (nivåer)"],
            g1["Täckning"], g1["Andel Vet ej"]) == (62.5, 2.5, 3, 0.5, 1, 0)
    # open disagreements: G1.1 in G1; F1.3's is agreed, not counted
    assert (g1["Öppna oenigheter"], f1["Öppna oenigheter"]) == (1, 0)
    assert (g1["Antal Vet ej"], g1["Antal svar utom Ej aktuellt"], g1["Antal Ej aktuellt"]) == (
        1, 6, 0)
    assert (f1["Poäng (0–100)"], f1["Nivå (medel)"], f1["Gap (nivåer)"], f1["Täckning"],
            f1["Andel Vet ej"], f1["Tidsperspektiv"]) == (25, 1, 2, 0.5, 0.5, "Bakåt")
    assert (f1["Antal Vet ej"], f1["Antal svar utom Ej aktuellt"], f1["Antal Ej aktuellt"]) == (
        3, 6, 3)


def test_summary__time_perspective(small_workbook):
    headers, rows = table(small_workbook["Sammanfattning"], "Tidsperspektiv")
    assert rows == [["Bakåt – var vården säker? (F1)", "F1", 25]]


def test_summary__number_formats(small_workbook):
    ws = small_workbook["Sammanfattning"]
    _, rows = table(ws, "Område")
    top = next(r[0].row for r in ws.iter_rows() if r[0].value == "G1")
    assert ws.cell(row=top, column=3).number_format == "0"
    assert ws.cell(row=top, column=4).number_format == "0.0"
    assert ws.cell(row=top, column=7).number_format == "0%"
    date_row = next(r[0].row for r in ws.iter_rows() if r[0].value == "Datum för skattningen")
    assert ws.cell(row=date_row, column=2).number_format == "yyyy-mm-dd"


def test_summary__radar_chart_of_current_level_and_target(small_workbook):
    ws = small_workbook["Sammanfattning"]
    charts = ws._charts
    assert len(charts) == 1
    chart = charts[0]
    assert isinstance(chart, RadarChart)
    assert [s.tx.v for s in chart.series] == ["Nuläge", "Mål"]
    first = next(r[0].row for r in ws.iter_rows() if r[0].value == "G1")
    assert chart.series[0].val.numRef.f == f"'Sammanfattning'!$D${first}:$D${first + 1}"
    assert chart.series[1].val.numRef.f == f"'Sammanfattning'!$E${first}:$E${first + 1}"
    assert chart.series[0].cat.numRef.f == f"'Sammanfattning'!$A${first}:$A${first + 1}"
    assert chart.y_axis.scaling.max == 4


def test_summary__radar_chart_reads_the_level_target_and_area_columns(small_workbook):
    """The chart finds its columns by key: each range starts below the header it plots."""
    ws = small_workbook["Sammanfattning"]
    chart = ws._charts[0]

    def header_above(formula: str) -> str:
        column, row, _, _ = range_boundaries(formula.split("!")[1])
        return ws.cell(row=row - 1, column=column).value

    assert [header_above(s.val.numRef.f) for s in chart.series] == ["Nivå (medel)", "Mål (nivå)"]
    assert header_above(chart.series[0].cat.numRef.f) == "Område"


def test_write_table__columns_found_by_key__an_unknown_or_repeated_key_refused():
    ws = Workbook().active
    table = write_table(ws, [Col("Område", key="area"), Col("Mål", "level", key="target")],
                        [["G1", 3]], top=4)
    assert (table.column_of("area"), table.column_of("target")) == (1, 2)
    with pytest.raises(KeyError, match="'level'"):
        table.column_of("level")
    with pytest.raises(ValueError, match="same key"):
        write_table(ws, [Col("Mål", key="target"), Col("Mål (nivå)", key="target")], [])


def test_summary__chart_is_a_native_excel_radar_chart(small_assessment, small_bank):
    data = export_workbook(small_assessment, small_bank)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        root = ElementTree.fromstring(archive.read(charts[0]))
    radar = root.findall(f".//{{{CHART_NS}}}radarChart")
    assert len(radar) == 1
    assert len(radar[0].findall(f"{{{CHART_NS}}}ser")) == 2


def test_summary__values_equal_the_scoring_output_for_a_generated_assessment():
    bank = make_bank({"G1": 4, "G2": 3, "F1": 5, "F2": 2, "F4": 3}, top=4)
    rng = random.Random(7)
    options = bank.scale.options()
    answers = {qid: [rng.choice(options) for _ in range(12)] for qid in bank.question_index()}
    assessment = make_assessment(bank, answers=answers, targets={"F1": 3.5}, importance={"G2": 3})
    result = score_assessment(assessment, bank)
    wb = load_workbook(io.BytesIO(export_workbook(assessment, bank)))
    headers, rows = table(wb["Sammanfattning"], "Område")
    for area, row in zip(result.areas, rows):
        assert row[0] == area.id
        assert row[2:9] == [pytest.approx(v) if v is not None else None for v in (
            area.score, area.mean_level, area.target, area.gap, area.coverage,
            area.unknown_share, area.importance)]
    overall = facts(wb["Sammanfattning"])["Totalpoäng (0–100)"]
    assert overall == (pytest.approx(result.overall) if result.overall is not None else "–")
    _, question_rows = table(wb["Frågor"], "Område")
    scored = [q for a in result.areas for q in a.questions]
    assert [r[1] for r in question_rows] == [q.id for q in scored]
    for q, row in zip(scored, question_rows):
        numeric = isinstance(q.value, (int, float))
        assert row[4] == (pytest.approx(q.value) if numeric else None)
        assert row[6] == q.spread and row[9] == q.answers
        assert row[8] == (pytest.approx(q.share_positive) if q.share_positive is not None else None)
    _, priority_rows = table(wb["Prioriteringar"], "Rang")
    assert [(r[2], r[4]) for r in priority_rows] == [(p.question, p.score)
                                                     for p in result.priorities]


# --- the other sheets ----------------------------------------------------------------


def test_answers__one_row_per_participant_and_question(small_workbook, small_assessment):
    headers, rows = table(small_workbook["Svar"], "Deltagar-id")
    assert len(rows) == len(small_assessment.answers) == 15
    first = dict(zip(headers, rows[0]))
    assert first == {"Deltagar-id": "p1", "Deltagare": "Anna Berg", "Roll": "MAS",
                     "Område": "G1", "Fråga (id)": "G1.1",
                     "Fråga": "I vilken utsträckning gör vi G1.1?", "Svar": "I liten grad",
                     "Värde": 1, "Kommentar": "=1+1"}
    unknown = next(dict(zip(headers, r)) for r in rows if r[0] == "p3" and r[4] == "G1.2")
    assert (unknown["Svar"], unknown["Värde"]) == ("Vet ej", None)
    nameless = next(dict(zip(headers, r)) for r in rows if r[0] == "p3")
    assert nameless["Deltagare"] == "p3"


def test_questions__value_spread_disagreement_and_note(small_workbook):
    headers, rows = table(small_workbook["Frågor"], "Område")
    by_id = {r[1]: dict(zip(headers, r)) for r in rows}
    g11 = by_id["G1.1"]
    assert (g11["Svar (enat eller median)"], g11["Nivå"], g11["Spridning (nivåer)"],
            g11["Oenighet"], g11["Andel positiva"]) == ("3 – I stor grad", 3, 3, "Ja", 1)
    assert by_id["G1.2"]["Andel positiva"] == pytest.approx(2 / 3)
    # G1.2: 1 of 3 answered Vet ej beside two levels – the median 2 on an uncertain basis.
    g12 = by_id["G1.2"]
    assert (g12["Svar (enat eller median)"], g12["Nivå"], g12["Kunskapslucka"],
            g12["Osäkert underlag"], g12["Antal nivåer (underlag)"], g12["Antal Vet ej"]) == (
        "2 – Delvis", 2, "Nej", "Ja", 2, 1)
    assert (g11["Kunskapslucka"], g11["Antal nivåer (underlag)"]) == ("Nej", 3)
    # F1.3's spread of 2 is agreed on Samsyn: no longer an open disagreement
    assert (by_id["F1.3"]["Spridning (nivåer)"], by_id["F1.3"]["Oenighet"]) == (2, "Nej")
    assert by_id["F1.1"]["Svar (enat eller median)"] == "Vet ej"
    assert by_id["F1.1"]["Nivå"] is None
    assert by_id["F1.2"]["Svar (enat eller median)"] == "Ej aktuellt"
    assert by_id["F1.3"]["Enad i gruppen"] == "Ja"
    assert by_id["F1.3"]["Nivå"] == 1


def test_questions__national_reference_columns_for_a_bank_with_references():
    doc = bank_dict({"F1": 2}, top=2, na=False)
    doc["areas"][0]["questions"][0]["reference"] = {
        "share_positive": 72, "change": 6, "n": 211, "year": 2023, "source": "004"}
    bank = Bank.model_validate(doc)
    assessment = make_assessment(bank, answers={"F1.1": [0, 1, 2, "unknown"], "F1.2": [2]})
    wb = load_workbook(io.BytesIO(export_workbook(assessment, bank)))
    headers, rows = table(wb["Frågor"], "Område")
    assert headers[-5:] == ["Riket: andel Ja (planen har påverkat)", "Riket: förändring (procentenheter)",
                            "Riket: antal svarande", "Riket: år",
                            "Skillnad mot riket (procentenheter)"]
    assert "Antal Ej aktuellt" not in headers
    first = dict(zip(headers, rows[0]))
    assert first["Andel positiva"] == 0.5  # 2 positive of 4 answers, Vet ej included
    assert (first["Riket: andel Ja (planen har påverkat)"], first["Riket: förändring (procentenheter)"],
            first["Riket: antal svarande"], first["Skillnad mot riket (procentenheter)"]) == (
        0.72, 6, 211, -22)
    assert rows[1][-5:] == [None] * 5
    change = wb["Frågor"].cell(row=2, column=headers.index(
        "Riket: förändring (procentenheter)") + 1)
    assert change.number_format == "+0;-0;0"


def test_knowledge_gaps__the_vet_ej_questions(small_workbook):
    headers, rows = table(small_workbook["Kunskapsluckor"], "Område")
    # F1.1: 3 of 3, no level: no value (first); G1.2: 1 Vet ej of 3 answers (a third)
    # beside 2 levels: its value 2, uncertain.
    assert rows == [["F1", "F1.1", "I vilken utsträckning gör vi F1.1?", "Gör F1.1", 3, 3, 0,
                     "Nej", None],
                    ["G1", "G1.2", "I vilken utsträckning gör vi G1.2?", "Gör G1.2", 1, 3, 2,
                     "Ja", 2]]


def test_knowledge_gaps__four_of_five_vet_ej_is_a_gap_not_a_priority(small_bank):
    # F1.1: Vet ej × 4 and one 0 → 4 Vet ej outnumber 1 level: a knowledge gap with 1 level
    # given (not the value 0). F1.2: 1 × 5 → gap 2 × importance 2 = 4, ranked.
    assessment = make_assessment(small_bank, answers={"F1.1": ["unknown"] * 4 + [0],
                                                      "F1.2": [1] * 5})
    wb = load_workbook(io.BytesIO(export_workbook(assessment, small_bank)))
    _, gaps = table(wb["Kunskapsluckor"], "Område")
    assert gaps == [["F1", "F1.1", "I vilken utsträckning gör vi F1.1?", "Gör F1.1", 4, 5, 1,
                     "Nej", None]]
    _, priorities = table(wb["Prioriteringar"], "Rang")
    assert [(r[2], r[4]) for r in priorities] == [("F1.2", 4)]
    headers, questions = table(wb["Frågor"], "Område")
    f11 = next(dict(zip(headers, r)) for r in questions if r[1] == "F1.1")
    assert (f11["Svar (enat eller median)"], f11["Nivå"], f11["Kunskapslucka"]) == (
        "Vet ej", None, "Ja")


def test_priorities__ranked_with_score_and_explanation(small_workbook, small_assessment,
                                                       small_bank):
    result = score_assessment(small_assessment, small_bank)
    headers, rows = table(small_workbook["Prioriteringar"], "Rang")
    # F1.3 (gap 3 − 1 = 2 × importance 2 = 4), then G1.2 (gap 3 − 2 = 1 × 2 × breadth 1,25 =
    # 2,5, its median on an uncertain basis); G1.1 is at its target.
    assert [(r[0], r[2], r[4], r[5]) for r in rows] == [(1, "F1.3", 4, 2), (2, "G1.2", 2.5, 1)]
    assert [r[9] for r in rows] == [explain(p, small_bank, "sv") for p in result.priorities]
    # F1.3 rests on the team's agreed level; its spread of 2 is settled, nobody said Vet ej.
    assert rows[0][9] == (
        "Nuläget är 1 av 4 enligt gruppens samsyn och målet är 3; viktighet och insats är ännu"
        " inte bedömda. Nästa steg: lägg in aktiviteten i handlingsplanen med ansvarig och"
        " datum.")
    assert (rows[0][6], rows[0][8]) == ("F1", "Nej")
    # G1.2 names its uncertain basis; every level given is 2 and the one Vet ej is a minority,
    # so their answer could not move the median: the next step is the plan, not "ask them"
    assert rows[1][9] == (
        "Nuläget är 2 av 4 enligt 2 svar och målet är 3; underlaget är osäkert eftersom 1 av 3"
        " svarade Vet ej; viktighet och insats är ännu inte bedömda; aktiviteten bedöms i G1"
        " Område G1 och gäller också F1 Område F1. Nästa steg: lägg in aktiviteten i"
        " handlingsplanen med ansvarig och datum.")
    assert [r[10] for r in rows] == ["Ja", "Ja"]


def test_priorities__a_linked_activity_gets_the_breadth_bonus_once(small_bank):
    # G1.2 (linked to F1): 2, 2, 2 → gap 1 × importance 2 × breadth 1,25 = 2,5.
    # G1.1: 1 → gap 2 × 2 = 4 (no link).
    assessment = make_assessment(small_bank, answers={"G1.1": [1, 1, 1], "G1.2": [2, 2, 2]})
    wb = load_workbook(io.BytesIO(export_workbook(assessment, small_bank)))
    _, rows = table(wb["Prioriteringar"], "Rang")
    assert [(r[2], r[4], r[6]) for r in rows] == [("G1.1", 4, "G1"), ("G1.2", 2.5, "G1, F1")]
    assert "gäller också F1 Område F1" in rows[1][9]


def test_priorities__a_shared_question_appears_once():
    bank = load_banks().get("nationell-handlingsplan-2025")
    assert [s.area for s in bank.question("G1.1").also_in] == ["F1"]
    # G1.1 (also in F1): 1, 1 → 1, below target 3 in both areas: gap 2 × 2 = 4 in each, so it
    # stays in G1 (the first), × breadth 1,25 = 5. F1.2: 3, 3 → 3, at its target: not ranked.
    assessment = make_assessment(bank, answers={"G1.1": [1, 1], "F1.2": [3, 3]})
    wb = load_workbook(io.BytesIO(export_workbook(assessment, bank)))
    _, rows = table(wb["Prioriteringar"], "Rang")
    assert [(r[1], r[2], r[4], r[6]) for r in rows] == [("G1", "G1.1", 5, "G1, F1")]
    # It shows in both areas' questions...
    _, questions = table(wb["Frågor"], "Område")
    assert [r[0] for r in questions if r[1] == "G1.1"] == ["G1", "F1"]
    # ...and counts once in the overall: (1 + 3) / 2 = 2 → 50, where counting it in both
    # areas would give (1 + 1 + 3) / 3 → 41,7 and the mean of the area scores (25 + 50) / 2
    # = 37,5.
    got = facts(wb["Sammanfattning"])
    assert got["Totalpoäng (0–100)"] == pytest.approx(50)
    # 2 of the 59 kommun questions in scope have a level (G1.1 counted once)
    assert got["Totalen bygger på"].startswith("Totalen bygger på 2 av 59 frågor (varje fråga")


def under(ws, header: str, row: int = 2):
    """The cell in ``row`` under the header ``header`` of row 1 (columns looked up by name)."""
    (column,) = [c.column for c in ws[1] if c.value == header]
    return ws.cell(row=row, column=column)


def test_action_plan__by_time_perspective_and_area_with_dates_and_status(small_workbook, small_bank):
    ws = small_workbook["Handlingsplan"]
    headers, rows = table(ws, "Tidsperspektiv")
    f1_time = small_bank.area("F1").time_perspective
    assert rows == [
        ["Inget (förutsättning)", "G1", "Område G1", "G1.2", "Gör G1.2", None, "=SUM(A1:A9)",
         "+46 70 123 45 67", None, "planerad", None, None, None],
        [translate("sv", f"excel.time.{f1_time.value if f1_time else 'none'}"), "F1", "Område F1", "F1.3", "Gör F1.3",
         None, "Utbilda i utredningsmetoder", "MAS", dt.datetime(2026, 3, 31), "pågår", None, None,
         "@team"],
    ]
    assert under(ws, "Klart senast", 3).number_format == "yyyy-mm-dd"
    assert under(ws, "Åtgärd").data_type == "s"


def test_action_plan__local_action__last_without_area_and_counted(small_assessment, small_bank):
    local = Action(title="Nytt larmsystem", owner="Eva")  # no activity of the plan
    data = export_workbook(small_assessment.model_copy(update={
        "actions": [local, *small_assessment.actions]}), small_bank, exported_at=EXPORTED_AT)
    _, rows = table(load_workbook(io.BytesIO(data))["Handlingsplan"], "Tidsperspektiv")

    assert len(rows) == 3  # G1.2, F1.3, then the local action though it was added first
    assert rows[2] == [None, None, "Lokala åtgärder (utan aktivitet i den nationella planen)",
                       None, "Lokal åtgärd", None, "Nytt larmsystem", "Eva", None, "planerad",
                       None, None, None]


def test_metadata__bank_versions_and_the_scoring_rules_in_words(small_workbook):
    ws = small_workbook["Metadata"]
    values = {row[0].value: row[1].value for row in ws.iter_rows(max_col=2) if row[0].value}
    assert values["Frågebankens id"] == "test-bank"
    assert values["Frågebankens version"] == "1"
    assert values["Programversion"]
    assert values["Exporterad"] == EXPORTED_AT
    assert values["Filformat för självskattningen"] == f"psa-assessment, version {FORMAT_VERSION}"
    texts = [row[0].value for row in ws.iter_rows(max_col=1)]
    rules = scoring_rules("sv")
    assert len(rules) >= 8 and all(rule in texts for rule in rules)
    assert any(t and t.startswith("Områdets poäng: 100 × medelvärdet") for t in texts)
    assert "Vet ej" in texts and "Ej aktuellt" in texts


def test_scoring_rules__come_from_the_help_text_without_markdown():
    help_text = translate("en", "help.scoring")
    rules = scoring_rules("en")
    assert len(rules) == help_text.count("\n- ") + 1
    assert not any("*" in rule for rule in rules)


# --- formula injection -------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_user_text__is_written_as_literal_text(small_assessment, small_bank, text):
    changed = small_assessment.model_copy(update={
        "participants": [small_assessment.participants[0].model_copy(update={"name": text})]
        + small_assessment.participants[1:],
        "actions": [small_assessment.actions[0].model_copy(update={"note": text})],
    })
    data = export_workbook(changed, small_bank)
    wb = load_workbook(io.BytesIO(data))
    expected = text.replace("\r", "\n")
    name_cell = wb["Svar"]["B2"]
    note_cell = under(wb["Handlingsplan"], "Anteckning")
    for cell in (name_cell, note_cell):
        assert cell.value == expected
        assert cell.data_type == "s"
    if text[0] in "=+-@\t\r":
        assert note_cell.quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name), name


def test_user_text__control_characters_dropped_and_escapes_kept(small_assessment, small_bank):
    action = small_assessment.actions[0].model_copy(update={"note": "a\x00b\x07c _x0041_ d"})
    data = export_workbook(small_assessment.model_copy(update={"actions": [action]}), small_bank)
    cell = under(load_workbook(io.BytesIO(data))["Handlingsplan"], "Anteckning")
    # Stored the way Excel stores a literal "_x0041_", which Excel shows as "_x0041_".
    assert cell.value == "abc _x005F_x0041_ d"


# --- the CLI gives the same workbook -------------------------------------------------------


def run_cli(argv: list[str], banks) -> int:
    parser = argparse.ArgumentParser(prog="psa")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return run_command(args, Run(sys.stdout, sys.stderr, loaded=BankSet(banks=banks)))


def sheet_values(data: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def test_cli_export__gives_the_same_workbook_as_the_library(tmp_path, small_assessment,
                                                             small_bank, capsys):
    source = tmp_path / "a.json"
    save_assessment_file(small_assessment, source)
    out = tmp_path / "a.xlsx"
    assert run_cli(["export", str(source), "--xlsx", str(out), "--lang", "en"],
                   {small_bank.id: small_bank}) == 0
    assert "wrote" in capsys.readouterr().out
    from_cli = sheet_values(out.read_bytes())
    from_library = sheet_values(export_workbook(small_assessment, small_bank, lang="en"))
    exported = "Exported"
    strip = lambda rows: [r for r in rows if r[0] != exported]  # noqa: E731 - the time differs
    assert {k: strip(v) for k, v in from_cli.items()} == {k: strip(v) for k, v in
                                                          from_library.items()}


def test_cli_export__refuses_to_overwrite_without_force(tmp_path, small_assessment, small_bank,
                                                         capsys):
    source = tmp_path / "a.json"
    save_assessment_file(small_assessment, source)
    out = tmp_path / "a.xlsx"
    out.write_bytes(b"mine")
    banks = {small_bank.id: small_bank}
    assert run_cli(["export", str(source), "--xlsx", str(out)], banks) == 2
    assert capsys.readouterr().err.strip() == f"{out}: already exists; use --force to overwrite it"
    assert out.read_bytes() == b"mine"
    assert run_cli(["export", str(source), "--xlsx", str(out), "--force"], banks) == 0
    assert out.read_bytes().startswith(b"PK")


def test_cli_export__bad_assessment_is_one_line_and_exit_2(tmp_path, small_bank, capsys):
    source = tmp_path / "bad.json"
    source.write_text("{not json", encoding="utf-8")
    assert run_cli(["export", str(source), "--xlsx", str(tmp_path / "x.xlsx")],
                   {small_bank.id: small_bank}) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{source}: line 1, column 2: is not valid JSON")
    assert not (tmp_path / "x.xlsx").exists()


# --- LibreOffice ---------------------------------------------------------------------


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc")
        pytest.skip("LibreOffice (soffice) is not installed")
    return path


def convert(source: Path, fmt: str, outdir: Path, profile: Path) -> subprocess.CompletedProcess:
    """Convert with a private LibreOffice profile, so parallel runs do not share one."""
    return subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", fmt, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=240,
    )


@pytest.mark.slow  # LibreOffice
def test_libreoffice__converts_the_export_to_pdf(tmp_path, small_assessment, small_bank):
    soffice()
    source = tmp_path / "export.xlsx"
    source.write_bytes(export_workbook(small_assessment, small_bank))
    run = convert(source, "pdf", tmp_path / "out", tmp_path / "profile")
    pdf = tmp_path / "out" / "export.pdf"
    assert run.returncode == 0 and pdf.exists(), run.stderr + run.stdout
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


# All sheets, comma-separated, UTF-8, showing values (not formulas): a text that became a
# formula would show its result (2 for "=1+1"), not its text.
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.mark.slow  # LibreOffice
def test_libreoffice__formula_like_text_stays_literal(tmp_path, small_assessment, small_bank):
    soffice()
    answers = list(small_assessment.answers)
    answers[:len(FORMULA_LIKE)] = [a.model_copy(update={"comment": text})
                                   for a, text in zip(answers, FORMULA_LIKE)]
    source = tmp_path / "export.xlsx"
    source.write_bytes(export_workbook(small_assessment.model_copy(update={"answers": answers}),
                                       small_bank))
    run = convert(source, CSV_ALL_SHEETS, tmp_path / "out", tmp_path / "profile")
    answers_csv = tmp_path / "out" / "export-Svar.csv"
    assert run.returncode == 0 and answers_csv.exists(), run.stderr + run.stdout
    with answers_csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    comments = {row[8] for row in rows[1:]}
    assert {text.replace("\r", "\n") for text in FORMULA_LIKE} <= comments
    names = {row[1] for row in rows[1:]}
    assert "=cmd|' /C calc'!A0" in names
    plan = (tmp_path / "out" / "export-Handlingsplan.csv").read_text(encoding="utf-8")
    assert "=SUM(A1:A9)" in plan and "+46 70 123 45 67" in plan
    assert not re.search(r"^.*Err:|#NAME\?", plan + answers_csv.read_text(encoding="utf-8"), re.M)
