"""The report (Word and PDF) of an assessment of the national bank with five participants.

The DOCX is read back with python-docx, the PDF's text with pypdf; every figure is checked
against ``score --json`` (``assessment.cli.score_run_to_dict``), never against numbers typed
here. Page 1 of the DOCX is what stands before its first page break.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from assessment.bank_loader import load_banks
from assessment.cli import score_files, score_run_to_dict
from assessment.document import Assessment
from assessment.files import save_assessment_file
from assessment.i18n import format_level, format_score, translate
from assessment.report import build_report, render_docx, render_pdf

ROOT = Path(__file__).resolve().parent.parent
BANKS = load_banks().banks
BANK = BANKS["nationell-handlingsplan-2025"]
PLAN_TITLE = ("Agera för säker vård – Nationell handlingsplan för ökad patientsäkerhet 2025–2030 "
              "(Socialstyrelsen)")
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
EVIL = "Anna <b>fet</b> & **co**"   # a name that is markup if ever read as such
PEOPLE = [("p1", EVIL, "MAS"), ("p2", "Bo", ""), ("p3", "Cecilia", "Enhetschef"),
          ("p4", "Dan", "Sjuksköterska"), ("p5", "Eva", "Patientrepresentant")]
# Answers by position: every seventh question mostly Vet ej (a knowledge gap, 4 of 5), every
# fifth far apart (a disagreement), the rest spread around a level that moves with the index.
PATTERNS = [(1, 1, 2, 1, 0), (2, 3, 2, 2, 3), (0, 2, 4, 1, 2), (3, 3, 4, 3, "na"), (1, 2, 1, 1, 2),
            (0, 4, 2, 1, 3), ("unknown", "unknown", 2, "unknown", "unknown")]


def assessment_dict(people=PEOPLE, **extra) -> dict:
    questions = [q.id for _, q in BANK.questions_for("kommun")]
    answers = []
    for i, q in enumerate(questions):
        values = PATTERNS[i % len(PATTERNS)]
        answers += [{"participant": pid, "question": q, "value": v}
                    for (pid, _, _), v in zip(people, values)]
    data = {
        "format": "psa-assessment", "version": 2,
        "bank": {"id": BANK.id, "version": BANK.version},
        "organisation": {"name": "Exempelby kommun", "kind": "kommun", "unit": "Hemtjänst"},
        "date": "2026-03-01",
        "participants": [{"id": pid, "name": n, "role": r} for pid, n, r in people],
        "answers": answers,
        "consensus": [{"question": "G1.5", "value": 2,
                       "note": "Vi enades om <script>alert(1)</script> nivå 2"}],
        "actions": [
            {"activity": "G1.2", "title": "Budget för patientsäkerhet", "owner": "Bo",
             "due": "2026-06-30", "status": "pågår", "note": "Följs upp i maj",
             "goal": "Kostnaden för vårdskador är känd", "follow_up": "Rapport till nämnden",
             "follow_up_date": "2026-09-30"},
            {"activity": "F1.2", "title": "Utredningsmetod", "status": "planerad"},
            {"activity": "F4.1", "title": "Lärande möten", "owner": "Eva", "status": "klar"},
            # A local action: none of the plan's activities (null in the file).
            {"activity": None, "title": "Nytt larmsystem i hemtjänsten", "owner": "Eva"},
        ],
    }
    data.update(extra)
    return data


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The assessment file, its score JSON and the report in both formats."""
    folder = tmp_path_factory.mktemp("report")
    path = folder / "a.json"
    assessment = Assessment.model_validate(assessment_dict())
    save_assessment_file(assessment, path)
    scores = score_run_to_dict(score_files([path], BANKS))["assessments"][0]
    report = build_report(assessment, BANK, "sv")
    return {"path": path, "assessment": assessment, "scores": scores,
            "docx": Document(io.BytesIO(render_docx(report))),
            "pdf": PdfReader(io.BytesIO(render_pdf(report)))}


# --- reading the DOCX back -------------------------------------------------------------------

def body_blocks(doc):
    """The body's paragraphs and tables in order: (kind, text, element); a page break ends
    a page."""
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            breaks = [b for b in child.iter(qn("w:br")) if b.get(qn("w:type")) == "page"]
            yield ("break" if breaks else "p"), text, child
        elif child.tag == qn("w:tbl"):
            yield "table", "\n".join(t.text or "" for t in child.iter(qn("w:t"))), child


def page_one(doc) -> list[str]:
    texts = []
    for kind, text, _ in body_blocks(doc):
        if kind == "break":
            break
        texts.append(text)
    return texts


def all_text(doc) -> str:
    parts = [text for _, text, _ in body_blocks(doc)]
    for section in doc.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def tables(doc):
    """Every table (nested ones too) as rows of cell texts."""
    found = []

    def walk(items):
        for table in items:
            found.append([[c.text for c in row.cells] for row in table.rows])
            for row in table.rows:
                for cell in row.cells:
                    walk(cell.tables)
    walk(doc.tables)
    return found


def table_with_header(doc, *header: str):
    return next(t for t in tables(doc) if tuple(t[0][:len(header)]) == header)


def sv(key: str, **values) -> str:
    return translate("sv", key, **values)


# --- page 1 ---------------------------------------------------------------------------------------

def test_docx_page_one__organisation_overall_top_five_in_order_and_gaps(files):
    scores, page = files["scores"], "\n".join(page_one(files["docx"]))
    assert "Exempelby kommun" in page and "Hemtjänst" in page and "2026-03-01" in page
    covers = scores["overall_covers"]
    assert f" {format_score(scores['overall'])} av 100" in page
    # what was answered, of what is in scope (not what the bank holds)
    assert f"{covers['questions']} av {covers['in_scope']} frågor" in page
    # The five top priorities, in the order of score --json, each with its reasons in words.
    top = scores["priorities"][:5]
    assert len(top) == 5
    positions = [page.index(f"({p['question']}) – {p['why']}") for p in top]
    assert positions == sorted(positions)
    for p in top:
        assert p["activity"][:1].upper() + p["activity"][1:] in page
    sixth = scores["priorities"][5]
    # (two priorities may give the same reasons in words: the sixth is told by its id)
    assert f"({sixth['question']}) – " not in page
    # The knowledge gaps with their counts.
    assert scores["knowledge_gaps"]
    for k in scores["knowledge_gaps"][:5]:
        assert f"{k['question']} " in page
        assert f"{k['unknown_answers']} av {k['answers']} svarade Vet ej" in page


def test_docx_page_one__strongest_weakest_gaps_disagreements_from_the_numbers(files):
    scores, page = files["scores"], "\n".join(page_one(files["docx"]))
    scored = [a for a in scores["areas"] if a["enough_basis"]]

    def named(score):  # every area at that score: one by its name, several by their ids
        tied = [a for a in scored if a["score"] == score]
        if len(tied) == 1:
            return f"{tied[0]['id']} {tied[0]['name']}"
        return ", ".join(a["id"] for a in tied[:-1]) + f" och {tied[-1]['id']}"
    top, bottom = max(a["score"] for a in scored), min(a["score"] for a in scored)
    assert top != bottom
    assert f"Starkast är {named(top)} ({format_score(top)})" in page
    assert f"svagast {named(bottom)} ({format_score(bottom)})" in page
    # one count of each: the JSON's lists and every question's flags give the page's numbers
    gaps = sum(1 for k in scores["knowledge_gaps"] if k["value"] is None)
    questions = {q["id"]: q for a in scores["areas"] for q in a["questions"]}
    uncertain = sum(1 for q in questions.values() if q["uncertain"])
    disagreements = sum(1 for q in questions.values() if q["disagreement"] and not q["consensus"])
    covers = scores["overall_covers"]
    assert (covers["knowledge_gaps"], covers["uncertain"], covers["disagreements"]) == (
        gaps, uncertain, disagreements)
    assert disagreements >= 2 and gaps >= 2
    assert f"Gruppen har {gaps} kunskapsluckor" in page
    if uncertain:
        assert f"{uncertain} frågor med osäkert underlag" in page
    assert f", och {disagreements} öppna oenigheter (nivåer två eller mer isär" in page


def test_docx_page_one__participants_by_name_and_role_and_plan_status(files):
    page = "\n".join(page_one(files["docx"]))
    for _, name, role in PEOPLE:
        assert (f"{name} ({role})" if role else name) in page
    assert EVIL in page  # the name as typed: text, not markup
    counts = Counter(a.status.value for a in files["assessment"].actions)
    for status in ("planerad", "pågår", "klar", "pausad"):
        assert f"{sv('status.' + status)} {counts.get(status, 0)}" in page
    assert f"{len(files['assessment'].actions)} åtgärder" in page


def test_docx_page_one__the_radar_chart_as_an_image(files):
    doc = files["docx"]
    first_page = []
    for kind, _, element in body_blocks(doc):
        if kind == "break":
            break
        first_page.append(element)
    blips = [b for e in first_page for b in e.iter(qn("a:blip"))]
    assert len(blips) == 1
    image = doc.part.related_parts[blips[0].get(qn("r:embed"))]
    assert image.content_type == "image/png" and image.blob[:8] == b"\x89PNG\r\n\x1a\n"


def test_docx_participants__anonymous_workshop__the_count_not_names(tmp_path):
    people = [(f"anonym-{i}", "", "") for i in range(1, 6)]
    assessment = Assessment.model_validate(assessment_dict(people))
    page = "\n".join(page_one(Document(io.BytesIO(render_docx(build_report(assessment, BANK))))))
    assert "5 deltagare" in page and "anonym" in page


# --- the rest of the report -----------------------------------------------------------------------

def test_docx_area_table__scores_targets_gaps_equal_score_json(files):
    table = table_with_header(files["docx"], "Område", "Poäng", "Nivå", "Mål", "Gap")
    rows, total = table[1:-1], table[-1]
    areas = files["scores"]["areas"]
    assert [r[0] for r in rows] == [f"{a['id']} {a['name']}" for a in areas]
    def shown(a):
        if a["enough_basis"] or a["score"] is None:
            return format_score(a["score"])
        valued = sum(isinstance(q["value"], (int, float)) for q in a["questions"])
        applicable = sum(q["value"] != "na" for q in a["questions"])
        return f"för lite underlag ({valued} av {applicable} frågor)"
    assert [r[1] for r in rows] == [shown(a) for a in areas]
    assert [r[3] for r in rows] == [format_level(a["target"]) for a in areas]
    assert [r[4] for r in rows] == [format_level(a["gap"]) for a in areas]
    assert [r[6] for r in rows] == [str(sum(q["knowledge_gap"] for q in a["questions"]))
                                    for a in areas]
    # open disagreements only (agreed ones are not counted); the total row counts each
    # question once and equals page 1
    assert [r[7] for r in rows] == [
        str(sum(q["disagreement"] and not q["consensus"] for q in a["questions"])) for a in areas]
    covers = files["scores"]["overall_covers"]
    assert total[0] == "Totalt (varje fråga en gång)"
    assert (total[6], total[7]) == (str(covers["knowledge_gaps"]), str(covers["disagreements"]))
    assert total[5] == f"{covers['questions']} av {covers['in_scope']} frågor"


def test_docx_per_area__question_values_with_how_many_answered(files):
    area = next(a for a in files["scores"]["areas"] if a["id"] == "F1")
    table = next(t for t in tables(files["docx"])
                 if t[0][0] == "Fråga" and [r[0] for r in t[1:]] == [q["id"] for q in area["questions"]])
    for row, q in zip(table[1:], area["questions"]):
        if q["knowledge_gap"]:
            assert row[2] == "Vet ej"
            assert f"{q['unknown_answers']} av {q['levels'] + q['unknown_answers']} svarade Vet ej" in row[3]
        elif q["consensus"]:
            assert row[3] == "samsyn"
        else:
            assert row[2] == format_level(q["value"])
            assert f"{q['levels']} svar" in row[3]
        if q["disagreement"] and not q["consensus"]:
            assert str(q["spread"]) in row[4] and "oenighet" in row[4]
        elif q["disagreement"]:
            assert row[4] == f"{q['spread']} – enade på Samsyn"
        if q["uncertain"]:
            assert (f"osäkert underlag: {q['unknown_answers']} av "
                    f"{q['levels'] + q['unknown_answers']} svarade Vet ej") in row[3]


def test_docx_samsyn_note_and_full_priority_list(files):
    text = all_text(files["docx"])
    assert "G1.5 (samsyn: 2): Vi enades om <script>alert(1)</script> nivå 2" in text
    table = table_with_header(files["docx"], "#", "Fråga", "Aktivitet", "Prioritet")
    priorities = files["scores"]["priorities"]
    assert [r[1] for r in table[1:]] == [p["question"] for p in priorities]
    assert [r[3] for r in table[1:]] == [f"{p['score']:.2f}".replace(".", ",") for p in priorities]


def test_docx_action_plan__a_local_handlingsplan_by_time_perspective_and_area(files):
    rows = [r for t in tables(files["docx"]) if t[0][:3] == ["Aktivitet", "Mål", "Åtgärd"]
            for r in t[1:]]
    assert len(rows) == len(files["assessment"].actions)
    by_title = {r[2]: r for r in rows}
    for action in files["assessment"].actions:
        activity, goal, title, owner, due, status, follow_up, note = by_title[action.title]
        if action.activity is None:
            assert activity == "Lokal åtgärd"
        else:
            assert activity.startswith(f"{action.activity} ")
            assert BANK.question(action.activity).activity.sv[5:] in activity
        assert (goal, owner, note) == (action.goal, action.owner, action.note)
        assert due == (action.due.isoformat() if action.due else "")
        assert status == sv("status." + action.status.value)
        when = action.follow_up_date.isoformat() if action.follow_up_date else ""
        assert follow_up == " · ".join(p for p in (action.follow_up, when) if p)
    assert by_title["Budget för patientsäkerhet"][6] == "Rapport till nämnden · 2026-09-30"
    assert by_title["Nytt larmsystem i hemtjänsten"][5] == "planerad"  # the default status
    # The plan's headings: the prerequisites first, then the focus areas' time perspectives,
    # then the local actions.
    doc = files["docx"]
    start = next(i for i, p in enumerate(doc.paragraphs) if p.text == sv("report.plan_title"))
    headings = [p.text for p in doc.paragraphs[start:] if p.style.name == "Heading 2"]
    assert headings[:4] == [sv("prioritise.plan_prerequisites"), sv("time.past"), sv("time.future"),
                            "Lokala åtgärder (utan aktivitet i den nationella planen)"]


def test_docx_method_note__names_the_plan_by_title_and_never_a_seed_file(files):
    text = all_text(files["docx"])
    assert PLAN_TITLE in text
    assert "Vet ej" in text and "Ej aktuellt" in text
    assert not SEED_FILE.search(text)
    assert BANK.source.seed not in text


def test_docx_patient_safety_report_headings_filled_from_the_numbers(files):
    headings = [text for kind, text, el in body_blocks(files["docx"]) if kind == "p"
                and el.find(qn("w:pPr")) is not None
                and (el.find(qn("w:pPr")).find(qn("w:pStyle")) is not None)
                and el.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) == "Heading2"]
    for key in ("psb_organised_title", "psb_results_title", "psb_analysis_title",
                "psb_actions_title", "psb_follow_title"):
        assert sv(f"report.{key}") in headings
    text = all_text(files["docx"])
    scored = [a for a in files["scores"]["areas"] if a["score"] is not None]
    assert "; ".join(f"{a['id']} {a['name']} {format_score(a['score'])}" for a in scored) in text


def test_docx_footer__export_date_and_page_fields(files):
    footer = files["docx"].sections[0].footer.paragraphs[0]._p
    codes = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert codes == ["PAGE", "NUMPAGES"]
    assert "exporterad" in footer.xpath("string(.)")


def test_report__previous_assessment__on_the_radar_and_in_the_follow_up(tmp_path):
    before = Assessment.model_validate(assessment_dict(date="2025-03-01", consensus=[], actions=[],
                                                       answers=[]))
    now = Assessment.model_validate(assessment_dict())
    paths = []
    for name, a in (("before.json", before), ("now.json", now)):
        paths.append(tmp_path / name)
        save_assessment_file(a, paths[-1])
    run = score_run_to_dict(score_files([paths[1]], BANKS))["assessments"][0]
    report = build_report(now, BANK, "sv", previous=(before, BANK))
    text = all_text(Document(io.BytesIO(render_docx(report))))
    assert "föregående självskattning (2025-03-01)" in text
    # The previous one has no answers: no overall to compare, and the text does not pretend.
    assert "har den samlade nivån gått från" not in text
    half = assessment_dict(date="2025-03-01", consensus=[], actions=[])
    half["answers"] = [a for a in half["answers"] if a["participant"] in ("p1", "p2")]
    before = Assessment.model_validate(half)
    save_assessment_file(before, paths[0])
    prev = score_run_to_dict(score_files([paths[0]], BANKS))["assessments"][0]
    text = all_text(Document(io.BytesIO(render_docx(build_report(now, BANK, "sv", (before, BANK))))))
    assert (f"gått från {format_score(prev['overall'])} till {format_score(run['overall'])} av 100"
            in text)


def test_report__english__headings_and_explanations_in_english(files):
    report = build_report(files["assessment"], BANK, "en")
    text = all_text(Document(io.BytesIO(render_docx(report))))
    assert "Summary" in text and "Results per area" in text and "Method" in text
    for p in files["scores"]["priorities"][:5]:
        assert p["why_en"] in text
    assert "Sammanfattning" not in text


# --- the PDF ----------------------------------------------------------------------------------------

def test_pdf_page_one__the_summary_with_a_page_number(files):
    reader, scores = files["pdf"], files["scores"]
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    first = pages[0]
    assert "Exempelby kommun" in first
    assert f"{format_score(scores['overall'])} av 100" in first
    for p in scores["priorities"][:5]:
        assert f"({p['question']})" in first
    for k in scores["knowledge_gaps"][:5]:
        assert f"{k['question']} " in first
    # The whole summary is on page 1: its last part is there, the next section is not.
    assert sv("report.plan_status_title") in first
    assert sv("report.areas_title") not in first
    assert f"Sida 1 av {len(pages)}" in first
    for n, text in enumerate(pages, 1):
        assert f"Sida {n} av {len(pages)}" in text
    assert EVIL in first


def test_pdf__same_sections_as_the_docx_and_no_seed_file(files):
    text = " ".join(" ".join(p.extract_text().split()) for p in files["pdf"].pages)
    for key in ("summary_title", "areas_title", "priorities_title", "plan_title", "method_title",
                "psb_title"):
        assert sv(f"report.{key}") in text
    assert " ".join(PLAN_TITLE.split()) in text
    assert not SEED_FILE.search(text)
    assert "<script>alert(1)</script>" in text


# --- the command line --------------------------------------------------------------------------------

def python_m(*argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "assessment", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_cli_report__writes_both_files(files, tmp_path):
    docx, pdf = tmp_path / "rapport.docx", tmp_path / "rapport.pdf"
    done = python_m("report", str(files["path"]), "--docx", str(docx), "--pdf", str(pdf))
    assert done.returncode == 0, done.stderr
    assert str(docx) in done.stdout and str(pdf) in done.stdout
    page = "\n".join(page_one(Document(str(docx))))
    assert f" {format_score(files['scores']['overall'])} av 100" in page
    assert len(PdfReader(str(pdf)).pages) > 1
    again = python_m("report", str(files["path"]), "--pdf", str(pdf))
    assert again.returncode == 2 and "--force" in again.stderr


def test_cli_report__bad_file__exit_2_names_file_and_place_no_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    data = assessment_dict()
    data["answers"][3]["value"] = 7
    bad.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "r.pdf"
    done = python_m("report", str(bad), "--pdf", str(out), "--docx", str(tmp_path / "r.docx"))
    assert done.returncode == 2
    assert f"{bad}: answers[3].value" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
    assert not (tmp_path / "r.docx").exists()


def test_cli_report__no_output_named__exit_2(files):
    done = python_m("report", str(files["path"]))
    assert done.returncode == 2 and "--docx" in done.stderr and "Traceback" not in done.stderr


def test_cli_report__help_has_an_example():
    done = python_m("report", "--help")
    assert done.returncode == 0 and "Example:" in done.stdout and "--pdf" in done.stdout


# --- the pages ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["results", "prioritise"])
def test_pages__offer_both_downloads__built_only_when_clicked(app_store, page, monkeypatch):
    from assessment import report as report_pkg
    from tests.test_app_pages import assessment_data, open_app

    built = []
    real = report_pkg.build_report
    monkeypatch.setattr(report_pkg, "build_report", lambda *a, **k: built.append(a) or real(*a, **k))
    aid = app_store.create_assessment(assessment_data())
    at = open_app(aid, page)
    labels = {b.key: b.proto.label for b in at.get("download_button")}
    assert labels[f"report_{page}_docx"] == sv("report.download_docx")
    assert labels[f"report_{page}_pdf"] == sv("report.download_pdf")
    assert built == []  # deferred: drawing the page builds no report


def test_pages__report_file__the_pages_assessment_with_its_previous(app_store):
    """What a click downloads: the report of the assessment the page shows, with the unit's
    previous assessment on the radar (the Resultat page's rule)."""
    from app_pages.report_io import report_file
    from tests.test_app_pages import assessment_data

    app_store.create_assessment(assessment_data(date="2025-03-01"))
    aid = app_store.create_assessment(assessment_data())
    banks = load_banks()
    current = app_store.load(aid)
    bank = banks.get(current.bank.id)

    pdf = report_file(app_store, banks, aid, current, bank, "sv", render_pdf)
    page1 = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert current.organisation.name in page1 and "Sida 1 av" in page1
    docx = Document(io.BytesIO(report_file(app_store, banks, aid, current, bank, "sv", render_docx)))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "2025-03-01" in text  # the previous assessment named as the radar's föregående


def test_report_method__competence_targets__every_target_with_its_questions_and_values():
    # G3.3 answered 2 by one participant (its median 2); G3.2 not answered. G3.3 concerns
    # targets 1, 3, 7, 8, 9, 10 and 13; G3.2 concerns 4, 11, 12, 14 and 15 (the bank's links).
    doc = Assessment.model_validate({
        "format": "psa-assessment", "version": 2,
        "bank": {"id": BANK.id, "version": BANK.version},
        "organisation": {"name": "Exempelby kommun", "kind": "kommun"},
        "date": "2026-03-01",
        "participants": [{"id": "p1", "name": "Anna"}],
        "answers": [{"participant": "p1", "question": "G3.3", "value": 2}],
    })
    (method,) = [s for s in build_report(doc, BANK, "sv").sections if s.key == "method"]
    (table,) = [b for b in method.blocks if getattr(b, "name", "") == "competence_targets"]

    assert [row[0] for row in table.rows] == [str(n) for n in range(1, 16)]
    by_number = {int(row[0]): row for row in table.rows}
    assert by_number[7][1:] == ("Organisationskultur och patientsäkerhet",
                                "G3.3 2 – Delvis etablerat")
    assert by_number[14][2] == "G3.2 –"
    assert by_number[5][2] == "G3.1 –; G3.4 –"
    heading = method.blocks[method.blocks.index(table) - 2]
    assert heading.text == "Nationella kompetensmål"
    assert "redaktionella bedömning" in method.blocks[method.blocks.index(table) - 1].text
