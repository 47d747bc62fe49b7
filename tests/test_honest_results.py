"""Issue 28, "honest results": every sentence the product writes follows from what the team
answered. The measured cases of tests/honest_cases.py, scored on the national bank, with the
figures worked out by hand; the same counts on every surface (Resultat's tables, the report,
the workbook); and the words checked for any answers.
"""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from assessment.bank_loader import load_banks
from assessment.excel import export_workbook
from assessment.report.build import Words, build_report, picture_sentences
from assessment.report.model import Bullets, Paragraph, Table
from charts.views import area_table, radar_view, time_view
from scoring.explain import explain
from scoring.score import score_assessment
from tests import honest_cases as cases
from tests.test_excel_export import facts, table
from tests.helpers import make_bank, question, score

NATIONAL = load_banks().get("nationell-handlingsplan-2025")


def texts(section) -> str:
    parts = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Bullets):
            parts.extend(block.items)
    return "\n".join(parts)


def report_table(section, name: str) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table) and b.name == name)


def workbook_facts(assessment) -> dict:
    return facts(load_workbook(io.BytesIO(export_workbook(assessment, NATIONAL)))["Sammanfattning"])


def scored(assessment):
    return assessment, score_assessment(assessment, NATIONAL)


@pytest.fixture(scope="module")
def kommun():
    return scored(cases.kommun_workshop(NATIONAL))


@pytest.fixture(scope="module")
def limited():
    return scored(cases.limited_workshop(NATIONAL))


# --- §1 Vet ej beside the rating ------------------------------------------------------------

def test_kommun_workshop__two_of_five_vet_ej__the_managers_levels_stand_flagged(kommun):
    _, result = kommun
    # G1.2: 0, 0, 0 from the managers and 2 Vet ej: 2 do not outnumber 3 -> the median 0
    # stands (under the third-rule it was a knowledge gap); 2 × 3 ≥ 5: uncertain basis.
    g12 = result.question("G1.2")
    assert (g12.value, g12.knowledge_gap, g12.uncertain, g12.levels) == (0, False, True, 3)
    # F1.9: 4 Vet ej of 5 outnumber the one level: a knowledge gap, its level 1 kept
    f19 = result.question("F1.9")
    assert (f19.value, f19.median, f19.knowledge_gap) == ("unknown", 1, True)
    # 16 questions were gaps before (12 in G1, G4.1, F1.9, F3.5, F5.5): now 1 gap and 15
    # uncertain, all 16 on the knowledge-gap list, the gap first, then bank order
    assert (result.summary.knowledge_gaps, result.summary.uncertain) == (1, 15)
    assert [k.question for k in result.knowledge_gaps] == [
        "F1.9", *cases.G1_MANAGERS, "G4.1", "F3.5", "F5.5"]
    assert [k.question for k in result.knowledge_gaps if not k.uncertain] == ["F1.9"]


def test_kommun_workshop__areas_and_overall_by_hand(kommun):
    _, result = kommun
    # G1: medians 1, 0, 1, 2, 0, 1, 2, 1, 0, 1, 2, 1 = 12 / 12 = 1 -> 25 (had no score)
    # G4: 0 (G4.1) and 2, 2, 2, 2 -> 8 / 5 = 1,6 -> 40 (was 50 without its core question)
    # G2: 2, 2, 2, 1 -> 7 / 4 -> 43,75: now the strongest
    scores = {a.id: a.score for a in result.areas}
    assert (scores["G1"], scores["G4"], scores["G2"]) == (25, 40, 43.75)
    # Overall: 58 questions with a level (59 less F1.9); levels G1 12, G2 7, G3 5, G4 8,
    # F1's own 8, F2's 7 (F2.2: median 1), F3's 4 (F3.3: 1), F4's 7, F5's 8 (F5.5: 2) = 66
    # -> 100 × 66 / 58 / 4 = 28,45 (before: 51 / 43 -> 29,65)
    assert result.overall == pytest.approx(100 * 66 / 58 / 4)
    assert result.summary.questions_scored == 58
    sentences = picture_sentences(Words("sv"), NATIONAL, result)
    assert sentences[0] == ("Den samlade nivån är 28 av 100. Totalen bygger på 58 av 59 frågor"
                            " (varje fråga räknas en gång). Utanför totalen: 1 kunskapslucka.")
    # G1, F1, F2 and F5 all score 25: each of them is the weakest
    assert sentences[1] == ("Starkast är G2 En god säkerhetskultur (44) och svagast G1, F1, F2"
                            " och F5 (25).")
    assert sentences[2] == ("Gruppen har 1 kunskapslucka och 15 frågor med osäkert underlag, och"
                            " 2 öppna oenigheter (nivåer två eller mer isär som inte är avgjorda"
                            " på Samsyn).")


def test_kommun_workshop__priorities_name_the_count_and_ask_only_where_it_could_matter(kommun):
    _, result = kommun
    by_id = {p.question: p for p in result.priorities + result.for_leadership}
    # G1.2 and G1.5, rated 0 by all three who know them, are priorities again: gap 3 × 2 ×
    # breadth 1,25 = 7,5. Every level is 0 and the 2 Vet ej are a minority, so their answer
    # could not move the median: the next step is the plan. The assessment is of a unit
    # (Äldreomsorgen) and the bank judges that the board decides G1.2 (budget) and G1.5
    # (procurement) and the administration G1.9: they top the list for the leadership, apart
    # from the unit's own actions.
    assert [(p.question, p.score) for p in result.for_leadership[:3]] == [
        ("G1.2", 7.5), ("G1.5", 7.5), ("G1.9", 7.5)]
    assert not {"G1.2", "G1.5", "G1.9"} & {p.question for p in result.priorities}
    words = explain(by_id["G1.2"], NATIONAL, "sv")
    assert "; underlaget är osäkert eftersom 2 av 5 svarade Vet ej; " in words
    assert words.endswith(". Nästa steg: lägg in aktiviteten i handlingsplanen med ansvarig och"
                          " datum.")
    # G1.9: 0, 1, 0 beside 2 Vet ej: two answers of 4 give median(0, 0, 1, 4, 4) = 1 -> ask
    assert by_id["G1.9"].next_step == "find_out"
    assert "Nästa steg: fråga dem som svarade Vet ej" in explain(by_id["G1.9"], NATIONAL, "sv")
    # F3.5: 1, 1, 1 and 2 Vet ej -> plan; F5.5: 2, 1, 2 and 2 Vet ej -> ask
    assert (by_id["F3.5"].next_step, by_id["F5.5"].next_step) == ("plan", "find_out")
    assert "F1.9" not in by_id  # the one knowledge gap is never ranked


def test_kommun_workshop__report_lists_both_kinds_of_knowledge_gap_with_their_counts(kommun):
    assessment, result = kommun
    report = build_report(assessment, NATIONAL, result=result)
    page_one = texts(report.section("summary"))
    assert "G1.1 " in page_one and "osäkert underlag: 2 av 5 svarade Vet ej · värde 1" in page_one
    rows = report_table(report.section("priorities"), "knowledge gaps").rows
    assert len(rows) == 16
    assert [r[2] for r in rows if r[0] == "F1.9"] == ["4 av 5 svarade Vet ej"]
    # in the per-area question table the value is shown with its flag
    g1 = report_table(report.section("areas"), "questions G1").rows
    assert [r[3] for r in g1 if r[0] == "G1.2"] == [
        "median av 3 svar · osäkert underlag: 2 av 5 svarade Vet ej"]


# --- §2 an area's number rests on its own questions --------------------------------------------

def test_limited_workshop__areas_answered_only_through_shared_questions__too_little_basis(limited):
    assessment, result = limited
    # F4 = G1.11 = 3 on 1 of 8 questions (12,5 %) and F5 = G1.9, G1.10 = 3 on 2 of 9: a
    # score of 75 each, on too little basis; so are F1 (1/10), F2 (4/11) and F3 (2/6)
    f4 = result.area("F4")
    assert (f4.score, f4.valued, f4.applicable, f4.enough_basis) == (75, 1, 8, False)
    assert result.summary.thin == ("F1", "F2", "F3", "F4", "F5")
    # strongest and weakest only among G1 (1,5 -> 37,5), G2 and G3 (1 -> 25)
    sentences = picture_sentences(Words("sv"), NATIONAL, result)
    assert sentences[1] == ("Starkast är G1 Engagerad ledning och tydlig styrning (38) och"
                            " svagast G2 och G3 (25).")
    assert sentences[0].endswith(
        "För lite underlag för en områdespoäng (värden för färre än hälften av frågorna): F1 (1"
        " av 10 frågor), F2 (4 av 11 frågor), F3 (2 av 6 frågor), F4 (1 av 8 frågor), F5 (2"
        " av 9 frågor).")
    # every time perspective rests on F areas only: no score, the areas named
    assert result.time_perspective == {"past": None, "now": None, "future": None}
    _, time_table = time_view(result, "sv")
    assert [r["score"] for r in time_table.rows] == [
        "för lite underlag (F1)", "för lite underlag (F2, F3)", "för lite underlag (F4, F5)"]
    # the radar draws G1–G3 only; its table says why F4 is missing
    chart, radar_table = radar_view(result, NATIONAL, "sv")
    drawn = {r["area"] for r in chart.to_dict()["layer"][4]["data"]["values"]
             if r["key"] == "current"}
    assert drawn == {"G1", "G2", "G3"}
    assert radar_table.rows[7]["current"] == "för lite underlag (1 av 8 frågor)"   # F4
    # the scope says what was answered, not what the bank holds
    psb = texts(build_report(assessment, NATIONAL, result=result).section("psb"))
    assert ("Gruppen besvarade 20 av 59 frågor; 3 av 9 områden har tillräckligt underlag för"
            " en poäng") in psb
    assert "omfattar" not in psb


def test_follow_up__different_questions_answered__compares_the_common_ones(limited):
    assessment, result = limited
    # Last year: the 21 G1–G3 and G4.1–G4.5 questions less G3.4 … answered 2 each; this year
    # (the limited workshop) 20 questions. Common: G1.1–G1.12, G2.1–G2.4, G3.1–G3.3 = 19.
    previous_answers = {q: (2, 2, 2, 2, 2) for q in [*cases.G1_MANAGERS, "G2.1", "G2.2", "G2.3",
                                                     "G2.4", "G3.1", "G3.2", "G3.3", "G4.1",
                                                     "G4.2"]}
    previous = cases._assessment(NATIONAL, "kommun", previous_answers).model_copy(
        update={"date": assessment.date.replace(year=2025)})
    report = build_report(assessment, NATIONAL, previous=(previous, NATIONAL), result=result)
    psb = texts(report.section("psb"))
    # over the 19 common questions: before 2 -> 50; after G1 18 + G2 4 + G3.1–G3.3 3 = 25
    # / 19 -> 100 × 25 / 19 / 4 = 32,9 -> 33; the totals 50 (21) and 32,5 (20) rest on
    # different questions
    assert ("har nivån på de 19 frågor som har ett värde båda gångerna gått från 50 till 33 av"
            " 100") in psb
    assert "De samlade nivåerna (50 och 32) bygger på olika frågor (21 och 20)" in psb


# --- §3 Ej aktuellt is seen ----------------------------------------------------------------

def test_care_provider__ej_aktuellt_counted_on_page_one_resultat_and_workbook():
    assessment = cases.care_provider(NATIONAL)
    result = score_assessment(assessment, NATIONAL)
    zeros = score_assessment(cases.care_provider(NATIONAL, with_zeros=True), NATIONAL)
    # 58 vårdgivare questions: 46 at 2 -> 50; with the 12 answered 0 instead: 92 / 58 / 4
    assert (result.overall, zeros.overall) == (50, pytest.approx(100 * 92 / 58 / 4))
    covers = ("Totalen bygger på 46 av 58 frågor (varje fråga räknas en gång). Utanför totalen:"
              " 12 markerade Ej aktuellt.")
    sentences = picture_sentences(Words("sv"), NATIONAL, result)
    assert sentences[0] == "Den samlade nivån är 50 av 100. " + covers
    # every area scores 50: no area is named both strongest and weakest
    assert sentences[1] == "Alla 9 områden med tillräckligt underlag har samma poäng (50)."
    assert "0 frågor" not in " ".join(sentences)
    # with the 12 answered 0, six areas share the top score: all six are named, not the first
    assert picture_sentences(Words("sv"), NATIONAL, zeros)[1] == (
        "Starkast är G1, G2, G3, G4, F1 och F4 (50) och svagast F5 Öka riskmedvetenhet och"
        " beredskap (22).")
    facts = workbook_facts(assessment)
    assert facts["Totalen bygger på"] == covers
    assert facts["Frågor markerade Ej aktuellt"] == 12
    psb = texts(build_report(assessment, NATIONAL, result=result).section("psb"))
    assert "Gruppen besvarade 58 av 58 frågor (12 markerade Ej aktuellt)" in psb


# --- §4 one count of each thing -------------------------------------------------------------

def test_disagreements__counted_once_and_open_only__equal_in_app_workbook_and_report():
    base = cases.kommun_workshop(NATIONAL)
    # G1.4 (shared with F2) now 0, 2, 2 from the managers: spread 2, in G1 and F2; F3.3's
    # spread of 3 is agreed on Samsyn (level 1). Open: F2.2 and G1.4 -> 2 questions, while
    # the area rows hold G1: 1, F2: 2 (F2.2, G1.4), F3: 0 -> 3.
    doc = base.model_dump(mode="json")
    for a in doc["answers"]:
        if a["question"] == "G1.4" and a["participant"] in ("mas", "vc", "ec"):
            a["value"] = {"mas": 0, "vc": 2, "ec": 2}[a["participant"]]
    doc["consensus"] = [{"question": "F3.3", "value": 1}]
    assessment = type(base).model_validate(doc)
    result = score_assessment(assessment, NATIONAL)
    assert result.summary.disagreements == len(result.disagreements) == 2
    assert {q.id for q in result.disagreements} == {"F2.2", "G1.4"}

    # Resultat's area table: the rows, and the total row (each question once)
    rows = area_table(result, NATIONAL, "sv").rows
    per_area = {r["area"].split()[0]: r["disagreements"] for r in rows[:-1]}
    assert (per_area["G1"], per_area["F2"], per_area["F3"]) == ("1", "2", "0")
    assert rows[-1]["disagreements"] == "2"
    # the workbook
    assert workbook_facts(assessment)["Öppna oenigheter (frågor)"] == 2
    # the report: page 1 and its area table's total row
    report = build_report(assessment, NATIONAL, result=result)
    assert ", och 2 öppna oenigheter (nivåer två eller mer isär" in texts(report.section("summary"))
    total = report_table(report.section("areas"), "areas").rows[-1]
    assert (total[0], total[7]) == ("Totalt (varje fråga en gång)", "2")
    # F3.3's agreed spread is shown as agreed, not as a disagreement
    f3 = report_table(report.section("areas"), "questions F3").rows
    assert [r[4] for r in f3 if r[0] == "F3.3"] == ["3 – enade på Samsyn"]


# --- the words, for any answers -------------------------------------------------------------

BANK = make_bank({"G1": [question("G1.1", also_in={"F1": "F1.3"}), "G1.2"], "F1": 2, "F4": 2},
                 top=4)
QUESTIONS = [q.id for _, q in BANK.questions_for(None)]
AREA_ID = re.compile(r"\b[GF]\d\b")
ZERO_COUNT = re.compile(r"(?<![\d,.])0 (av \d+ |of \d+ )?(fråg|question|kunskapsluck|knowledge|"
                        r"öppn|open|områd|area|markerad|marked|obesvarad|unanswered)")
answer = st.one_of(st.none(), st.integers(0, 4), st.sampled_from(["unknown", "na"]))


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries({q: answer for q in QUESTIONS}), min_size=1,
                     max_size=5),
       agreed=st.dictionaries(st.sampled_from(QUESTIONS), st.integers(0, 4), max_size=2))
def test_page_one__any_answers__no_zero_count_no_area_both_strongest_and_weakest(rows, agreed):
    result = score(BANK, answers={q: [r[q] for r in rows] for q in QUESTIONS}, consensus=agreed)

    for lang in ("sv", "en"):
        text = " ".join(picture_sentences(Words(lang), BANK, result))
        assert not ZERO_COUNT.search(text), text
        if "Starkast är" in text:
            best, worst = (set(AREA_ID.findall(part)) for part in
                           text.split("Starkast är ")[1].split(" och svagast "))
            solid = [a for a in result.areas if a.enough_basis]
            top, bottom = max(a.score for a in solid), min(a.score for a in solid)
            # every area at the top and every one at the bottom, and none both
            assert best == {a.id for a in solid if a.score == top}
            assert worst == {a.id for a in solid if a.score == bottom} and not best & worst
    summary = result.summary
    # the parts of the scope add up
    assert (summary.questions_scored + summary.knowledge_gaps + summary.na_questions
            + summary.unanswered) == summary.in_scope == len(QUESTIONS)
    assert summary.knowledge_gaps + summary.uncertain == len(result.knowledge_gaps)
    assert summary.disagreements == len(result.disagreements)


def test_report_method__ej_aktuellt_questions_listed_with_the_reasons_given():
    doc = cases.care_provider(NATIONAL).model_dump(mode="json")
    for a in doc["answers"]:
        if a["question"] == "F2.2" and a["participant"] == "mas":
            a["comment"] = "Vi har ingen egen läkemedelshantering"
    assessment = type(cases.care_provider(NATIONAL)).model_validate(doc)
    method = texts(build_report(assessment, NATIONAL).section("method"))
    # the 12 questions set aside, each once, with the one reason given and "none" elsewhere
    assert "Markerade Ej aktuellt (12 frågor), med deltagarnas motivering:" in method
    items = [line for line in method.splitlines() if line[:3] in ("F2.", "F3.", "F5.")]
    assert [line.split()[0] for line in items] == list(cases.NA_QUESTIONS)
    assert items[0].endswith(": Vi har ingen egen läkemedelshantering")
    assert items[1].endswith(": ingen motivering angiven")


def test_limited_workshop__workbook__too_little_basis_without_score_level_or_radar_point(limited):
    assessment, _ = limited
    ws = load_workbook(io.BytesIO(export_workbook(assessment, NATIONAL)))["Sammanfattning"]
    headers, rows = table(ws, "Område")
    by_id = {r[0]: dict(zip(headers, r)) for r in rows}
    f4, g1 = by_id["F4"], by_id["G1"]
    # F4: no score, level or gap (the radar reads the level column), its basis said instead
    assert (f4["Poäng (0–100)"], f4["Nivå (medel)"], f4["Gap (nivåer)"], f4["Underlag"]) == (
        None, None, None, "för lite underlag (1 av 8 frågor)")
    assert (g1["Poäng (0–100)"], g1["Nivå (medel)"], g1["Underlag"]) == (37.5, 1.5, None)
    # the time perspectives: no score, the areas left out named
    _, times = table(ws, "Tidsperspektiv")
    assert [(r[1], r[2]) for r in times] == [
        ("utan F1: för lite underlag", None), ("utan F2, F3: för lite underlag", None),
        ("utan F4, F5: för lite underlag", None)]


def test_kommun_workshop__a_unit__leadership_decisions_apart_in_cli_workbook_and_report(kommun):
    """The kommun workshop is of a unit (Äldreomsorgen): G1.2, G1.5 and G1.9 (7,5 each) are
    for the leadership to decide, on every surface, with the same reasons."""
    assessment, result = kommun
    first = result.for_leadership[0]
    why = explain(first, NATIONAL, "sv")
    # workbook: the unit's own list, then the leadership's, ranked from 1
    _, rows = table(load_workbook(io.BytesIO(export_workbook(assessment, NATIONAL)))
                    ["Prioriteringar"], "Rang")
    apart = [r for r in rows if r[11] == "För ledningen att besluta"]
    assert [(r[0], r[2], r[4]) for r in apart[:3]] == [(1, "G1.2", 7.5), (2, "G1.5", 7.5),
                                                       (3, "G1.9", 7.5)]
    assert apart[0][9] == why
    assert {r[11] for r in rows} == {"Enhetens egna åtgärder", "För ledningen att besluta"}
    assert len(apart) == len(result.for_leadership)
    # report: its own table, and page one says how many and which first
    report = build_report(assessment, NATIONAL, "sv")
    tables = [b for sec in report.sections for b in sec.blocks
              if isinstance(b, Table) and b.name == "for leadership"]
    assert [row[1] for row in tables[0].rows[:3]] == ["G1.2", "G1.5", "G1.9"]
    assert tables[0].rows[0][4] == why
    everything = " ".join(texts(sec) for sec in report.sections)
    assert ("För ledningen att besluta (en högre nivå beslutar om dem enligt frågebankens"
            " redaktionella bedömning): ") in everything
    page_one = texts(report.sections[0])
    assert (f"beslutar om enligt frågebankens redaktionella bedömning: "
            f"{len(result.for_leadership)}.") in page_one


def test_kommun_workshop__a_unit__psa_score_lists_the_leadership_apart(kommun, tmp_path):
    from assessment.cli import TOP_PRIORITIES, render_score, score_files  # noqa: PLC0415
    from assessment.files import dump_assessment  # noqa: PLC0415

    assessment, result = kommun
    path = tmp_path / "unit.json"
    path.write_text(dump_assessment(assessment), encoding="utf-8")
    lines = render_score(score_files([path], {NATIONAL.id: NATIONAL}), "sv").splitlines()

    heading = next(i for i, line in enumerate(lines) if line.startswith("För ledningen att besluta"))
    assert lines[heading] == ("För ledningen att besluta (enligt frågebankens redaktionella"
                              f" bedömning) ({TOP_PRIORITIES} av {len(result.for_leadership)})")
    assert lines[heading + 1].startswith("  1. G1.2")
    assert lines[heading + 2] == " " * 15 + explain(result.for_leadership[0], NATIONAL, "sv")


def test_report__theme_cap_said_only_where_the_bank_gives_themes(kommun):
    assessment, _ = kommun
    cap = "Högst två av de fem första platserna går till ett och samma tema"
    national = build_report(assessment, NATIONAL, "sv")
    assert cap in " ".join(texts(sec) for sec in national.sections)

    survey = load_banks().get("kommunenkat-2023")
    plain = assessment.model_copy(update={
        "bank": assessment.bank.model_copy(update={"id": survey.id, "version": survey.version}),
        "answers": []})
    report = build_report(plain, survey, "sv")
    assert cap not in " ".join(texts(sec) for sec in report.sections)
