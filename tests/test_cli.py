"""The command line, run in process through ``main([...])`` (and once as ``python -m``).

The banks are written inline into ``tmp_path``; the built-in ``questions/`` folder is
hidden so these tests do not depend on banks that colleagues are still writing.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assessment import bank_loader, cli, cli_support
from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent

MINI_BANK = """\
id: mini
version: "1"
title: {sv: "Minibank", en: "Mini bank"}
source: {seed: "test", chapter: "test"}
scale:
  levels:
    - {value: 0, label: {sv: "Saknas", en: "Absent"}}
    - {value: 1, label: {sv: "Påbörjat", en: "Started"}}
    - {value: 2, label: {sv: "Delvis", en: "Partly"}}
    - {value: 3, label: {sv: "Etablerat", en: "Established"}}
    - {value: 4, label: {sv: "Integrerat", en: "Integrated"}}
  unknown: {label: {sv: "Vet ej", en: "Don't know"}}
  na: {label: {sv: "Ej aktuellt", en: "Not applicable"}}
areas:
  - id: A
    kind: prerequisite
    name: {sv: "Grund", en: "Foundation"}
    aim: {sv: "Mål A", en: "Aim A"}
    questions:
      - {id: A.1, text: {sv: "Fråga A1", en: "Question A1"}, activity: {sv: "a1", en: "a1"}, audiences: [region]}
      - {id: A.2, text: {sv: "Fråga A2", en: "Question A2"}, activity: {sv: "a2", en: "a2"}, audiences: [region], links: [{area: B, source: "test"}]}
      - {id: A.3, text: {sv: "Fråga A3", en: "Question A3"}, activity: {sv: "a3", en: "a3"}, audiences: [region]}
  - id: B
    kind: focus
    time_perspective: past
    name: {sv: "Bakåtblick", en: "Looking back"}
    aim: {sv: "Mål B", en: "Aim B"}
    questions:
      - {id: B.1, text: {sv: "Fråga B1", en: "Question B1"}, activity: {sv: "b1", en: "b1"}, audiences: [region]}
      - {id: B.2, text: {sv: "Fråga B2", en: "Question B2"}, activity: {sv: "b2", en: "b2"}, audiences: [region]}
"""

OTHER_BANK = """\
id: other
version: "2"
title: {sv: "Annan", en: "Other"}
source: {seed: "test", chapter: "test"}
scale:
  levels:
    - {value: 0, label: {sv: "Nej", en: "No"}}
    - {value: 1, label: {sv: "Ja", en: "Yes"}}
  unknown: {label: {sv: "Vet ej", en: "Don't know"}}
areas:
  - id: K
    kind: focus
    name: {sv: "Kommun", en: "Municipality"}
    aim: {sv: "Mål", en: "Aim"}
    questions:
      - {id: K.1, text: {sv: "K1", en: "K1"}, activity: {sv: "k1", en: "k1"}, audiences: [kommun]}
"""


def assessment_doc(answers, participants, consensus=(), bank="mini", version="1",
                   kind="region", **extra) -> dict:
    return {
        "format": "psa-assessment",
        "version": 1,
        "bank": {"id": bank, "version": version},
        "organisation": {"name": "Region Test", "kind": kind, "unit": "Akuten"},
        "date": "2025-03-01",
        "participants": [{"id": p} for p in participants],
        "answers": [{"participant": p, "question": q, "value": v} for p, q, v in answers],
        "consensus": [{"question": q, "value": v} for q, v in consensus],
        **extra,
    }


# File one: two participants.
#   A.1: 2, 3              → median 2.5
#   A.2: 1, "unknown"      → 1 (1 Vet ej beside 1 level: not outnumbered; uncertain basis)
#   A.3: "unknown" ×2      → "unknown" (a knowledge gap)
#   B.1: 4, 0              → median 2, spread 4 → disagreement
#   B.2: "na" ×2           → "na"
ONE = assessment_doc(
    [("p1", "A.1", 2), ("p2", "A.1", 3), ("p1", "A.2", 1), ("p2", "A.2", "unknown"),
     ("p1", "A.3", "unknown"), ("p2", "A.3", "unknown"), ("p1", "B.1", 4), ("p2", "B.1", 0),
     ("p1", "B.2", "na"), ("p2", "B.2", "na")],
    ["p1", "p2"], effort={"A.1": "låg"},
)

# File two: two participants and one consensus value.
#   A.1: 4, 4              → 4
#   A.2: 0, 2              → 1
#   A.3: 3 (q2 silent)     → 3
#   B.1: "unknown", 1      → 1 (1 Vet ej beside 1 level: uncertain basis, no gap)
#   B.2: "na", 2, consensus 4 → 4
TWO = assessment_doc(
    [("q1", "A.1", 4), ("q2", "A.1", 4), ("q1", "A.2", 0), ("q2", "A.2", 2),
     ("q1", "A.3", 3), ("q1", "B.1", "unknown"), ("q2", "B.1", 1),
     ("q1", "B.2", "na"), ("q2", "B.2", 2)],
    ["q1", "q2"], consensus=[("B.2", 4)],
)


@pytest.fixture(autouse=True)
def no_builtin_banks(tmp_path, monkeypatch):
    """Hide ``questions/`` and any PSA_BANK_DIR of the developer's shell."""
    monkeypatch.setattr(bank_loader, "BUILTIN_DIR", tmp_path / "no-builtin-banks")
    monkeypatch.delenv(bank_loader.BANK_DIR_ENV, raising=False)


@pytest.fixture
def bank_dir(tmp_path) -> Path:
    """A folder with the ``mini`` bank (scale 0–4, areas A and B) and the ``other`` bank."""
    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "mini.yaml").write_text(MINI_BANK, encoding="utf-8")
    (folder / "other.yml").write_text(OTHER_BANK, encoding="utf-8")
    return folder


def write_json(path: Path, doc: object) -> str:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def one(tmp_path) -> str:
    return write_json(tmp_path / "one.json", ONE)


@pytest.fixture
def two(tmp_path) -> str:
    return write_json(tmp_path / "two.json", TWO)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- help and usage ----------------------------------------------------------------------


@pytest.mark.parametrize("command", [
    [], ["banks"], ["bank"], ["bank", "show"], ["validate"], ["score"], ["template"],
])
def test_help__every_command__has_an_example(capsys, command):
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert "Example:" in out


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["score"], ["bank", "show"],
                                  ["template", "mini"], ["score", "x.json", "--lang", "de"]])
def test_usage_error__exits_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "usage:" in err


# --- banks -------------------------------------------------------------------------------


def test_banks__lists_each_bank_with_counts(capsys, bank_dir):
    code, out, err = run(capsys, "--bank-dir", str(bank_dir), "banks")
    assert code == 0, err
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert rows["mini"][:5] == ["mini", "1", "2", "5", "Minibank"]
    assert rows["other"][:5] == ["other", "2", "1", "1", "Annan"]
    assert err == ""


def test_banks__broken_bank__problems_on_stderr_and_exit_0(capsys, bank_dir):
    (bank_dir / "broken.yaml").write_text("id: broken\nversion: '1'\nareas: []\n", encoding="utf-8")
    code, out, err = run(capsys, "banks", "--bank-dir", str(bank_dir))
    assert code == 0
    assert "mini" in out and "broken" not in out
    assert all(line.startswith(str(bank_dir / "broken.yaml")) for line in err.splitlines())
    assert "title (line 1): is required but missing" in err


def test_banks__bank_dir_from_environment(capsys, bank_dir, monkeypatch):
    monkeypatch.setenv("PSA_BANK_DIR", str(bank_dir))
    code, out, _ = run(capsys, "banks", "--lang", "en")
    assert code == 0
    assert "Mini bank" in out


def test_banks__missing_bank_dir__reported_on_stderr(capsys, tmp_path):
    code, out, err = run(capsys, "banks", "--bank-dir", str(tmp_path / "nowhere"))
    assert code == 0
    assert "bank folder does not exist" in err


# --- bank show ---------------------------------------------------------------------------


def test_bank_show__text__areas_and_questions(capsys, bank_dir):
    code, out, _ = run(capsys, "--bank-dir", str(bank_dir), "bank", "show", "mini")
    assert code == 0
    assert "A  Grund" in out and "B  Bakåtblick" in out
    assert [line.split()[0] for line in out.splitlines() if line.startswith("  ")] == [
        "A.1", "A.2", "A.3", "B.1", "B.2"]


def test_bank_show__english(capsys, bank_dir):
    code, out, _ = run(capsys, "bank", "show", "mini", "--lang", "en", "--bank-dir", str(bank_dir))
    assert code == 0
    assert "Looking back" in out and "Question A1" in out and "Fråga" not in out


def test_bank_show__json__is_the_bank(capsys, bank_dir):
    code, out, _ = run(capsys, "--bank-dir", str(bank_dir), "bank", "show", "mini", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["id"], data["version"]) == ("mini", "1")
    assert [(a["id"], [q["id"] for q in a["questions"]]) for a in data["areas"]] == [
        ("A", ["A.1", "A.2", "A.3"]), ("B", ["B.1", "B.2"])]


def test_bank_show__unknown_id__exit_2_one_line(capsys, bank_dir):
    code, out, err = run(capsys, "--bank-dir", str(bank_dir), "bank", "show", "nope")
    assert code == 2
    assert out == ""
    assert err.splitlines() == ["unknown bank 'nope' (installed: mini, other)"]


# --- validate ----------------------------------------------------------------------------


def test_validate__valid_files__ok_lines_exit_0(capsys, bank_dir, one, two):
    code, out, err = run(capsys, "--bank-dir", str(bank_dir), "validate",
                         one, two, str(bank_dir / "mini.yaml"))
    assert code == 0, out + err
    assert out.splitlines() == [f"OK {one}", f"OK {two}", f"OK {bank_dir / 'mini.yaml'}"]


def test_validate__one_file__every_problem_listed(capsys, bank_dir, tmp_path):
    bad = write_json(tmp_path / "bad.json", assessment_doc(
        [("p1", "A.1", 7),          # level above the scale 0–4
         ("ghost", "A.2", 1),       # participant not listed
         ("p1", "Z.9", 1),          # question not in the bank
         ("p1", "A.1", 2)],         # p1 answers A.1 twice
        ["p1", "p1"],               # participant id used twice
        targets={"Q": 2},           # area not in the bank
    ))
    code, out, err = run(capsys, "--bank-dir", str(bank_dir), "validate", bad)
    assert code == 2
    lines = out.splitlines()
    assert all(line.startswith(f"{bad}: ") for line in lines), lines
    places = [line.split(": ")[1] for line in lines]
    assert places == ["participants[1].id", "answers[0].value", "answers[1].participant",
                      "answers[2].question", "answers[3]", "targets.Q"]
    assert err.splitlines()[0] == "problems in 1 of 1 file"


def test_validate__every_file_checked__not_only_the_first(capsys, bank_dir, tmp_path, one):
    broken_bank = tmp_path / "broken.yaml"
    broken_bank.write_text(MINI_BANK.replace('version: "1"\n', "").replace("value: 4,", "value: 11,"),
                           encoding="utf-8")
    not_json = tmp_path / "notes.json"
    not_json.write_text("{oops", encoding="utf-8")
    odd = tmp_path / "table.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    code, out, _ = run(capsys, "--bank-dir", str(bank_dir), "validate",
                       str(broken_bank), one, str(not_json), str(odd))
    assert code == 2
    lines = out.splitlines()
    bank_lines = [line for line in lines if line.startswith(str(broken_bank))]
    assert len(bank_lines) == 2
    assert any("version (line 1): is required but missing" in line for line in bank_lines)
    assert any("scale.levels[4].value (line 10): input should be less than or equal to 10" in line
               for line in bank_lines)
    assert f"OK {one}" in lines
    assert any(line.startswith(f"{not_json}: line 1, column 2: is not valid JSON") for line in lines)
    assert any(line.startswith(f"{odd}: is neither a bank") for line in lines)


def test_validate__folder_instead_of_file__says_it_is_a_folder(capsys, tmp_path):
    folder = tmp_path / "bank.yaml"
    folder.mkdir()
    code, out, _ = run(capsys, "validate", str(folder))
    assert code == 2
    assert out.splitlines() == [f"{folder}: is a folder, not a file"]


def test_validate__bank_not_installed__says_so(capsys, tmp_path):
    path = write_json(tmp_path / "x.json", ONE)
    code, out, _ = run(capsys, "validate", path)
    assert code == 2
    assert out.splitlines() == [f"{path}: bank.id: bank 'mini' is not installed (installed: none)"]


# --- score: the JSON shape, computed by hand ---------------------------------------------


def test_score__json__one_file__numbers_by_hand(capsys, bank_dir, one):
    code, out, err = run(capsys, "--bank-dir", str(bank_dir), "score", one, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["rollup"] is None  # one file: nothing to roll up
    [a] = data["assessments"]
    assert list(a) == ["file", "organisation", "unit", "date", "bank", "overall",
                       "overall_covers", "time_perspective", "areas", "priorities",
                       "for_leadership", "knowledge_gaps"]
    assert (a["file"], a["organisation"], a["unit"], a["date"]) == (
        one, "Region Test", "Akuten", "2025-03-01")
    assert a["bank"] == {"id": "mini", "version": "1"}

    area_a, area_b = a["areas"]
    # A: values 2.5, 1 (A.2: 1 Vet ej beside 1 level is no gap – the Vet ej do not
    #    outnumber the levels – but an uncertain median), "unknown" (A.3: 2 Vet ej, 0 levels);
    #    mean of levels (2.5 + 1) / 2 = 1.75, score 100 × 1.75 / 4 = 43.75; coverage 2 / 3;
    #    unknown share 1 / 3; gap = default target min(3, top 4) = 3 − 1.75 = 1.25
    #    answers: Vet ej 0 + 1 + 2 = 3 of 2 + 2 + 2 = 6
    assert area_a["id"] == "A"
    assert area_a["score"] == 43.75
    assert area_a["coverage"] == 0.6667
    assert area_a["unknown_share"] == 0.3333
    assert area_a["gap"] == 1.25
    assert area_a["enough_basis"] is True
    assert (area_a["unknown_answers"], area_a["unknown_answer_share"]) == (3, 0.5)
    assert (area_a["target"], area_a["importance"]) == (3, 2)
    # B: values 2 and "na"; na leaves the denominator: coverage 1 / 1, unknown 0 / 1
    #    score 100 × 2 / 4 = 50; gap 3 − 2 = 1; Ej aktuellt: 2 answers, 1 question
    assert (area_b["score"], area_b["coverage"], area_b["unknown_share"], area_b["gap"]) == (
        50.0, 1.0, 0.0, 1.0)
    assert (area_b["na_answers"], area_b["na_questions"]) == (2, 1)
    # Overall: mean of the question levels, each once: 100 × (2.5 + 1 + 2) / 3 / 4 = 45.8333,
    # resting on 3 of the 5 questions in scope: B.2 is Ej aktuellt, A.3 a knowledge gap;
    # A.2 is uncertain, B.1 an open disagreement
    assert a["overall"] == 45.8333
    assert a["overall_covers"] == {"areas": 2, "of_areas": 2, "questions": 3,
                                   "of_questions": 4, "in_scope": 5, "answered": 5,
                                   "na_questions": 1, "knowledge_gaps": 1, "uncertain": 1,
                                   "disagreements": 1, "areas_all_unknown": [],
                                   "areas_thin": []}
    # Only B has a time perspective (past).
    assert a["time_perspective"] == {"past": 50.0, "now": None, "future": None}

    questions = {q["id"]: q for area in a["areas"] for q in area["questions"]}
    assert {k: q["value"] for k, q in questions.items()} == {
        "A.1": 2.5, "A.2": 1, "A.3": "unknown", "B.1": 2, "B.2": "na"}
    assert [k for k, q in questions.items() if q["uncertain"]] == ["A.2"]
    # what each value rests on: the levels given
    assert {k: q["levels"] for k, q in questions.items()} == {
        "A.1": 2, "A.2": 1, "A.3": 0, "B.1": 2, "B.2": 0}
    # Share positive = levels ≥ 1 ÷ (levels + "Vet ej"), na left out.
    assert {k: q["share_positive"] for k, q in questions.items()} == {
        "A.1": 1.0,   # 2, 3        → 2 / 2
        "A.2": 0.5,   # 1, unknown  → 1 / 2
        "A.3": 0.0,   # unknown ×2  → 0 / 2
        "B.1": 0.5,   # 4, 0        → 1 / 2
        "B.2": None,  # na ×2       → nothing counted
    }
    assert questions["B.1"]["spread"] == 4 and questions["B.1"]["disagreement"] is True

    # Priorities: gap × importance × breadth (1.25 if more than one area) × effort factor
    #   A.2: (3 − 1) × 2 × 1.25 (linked to B)     = 5.0 – uncertain: 1 Vet ej beside the
    #        one level 1, which the Vet ej could move (1 ≥ 1): ask them
    #   B.1: (3 − 2) × 2 × 1                      = 2.0
    #   A.1: (3 − 2.5) × 2 × 1 × 1.25 ("låg")     = 1.25
    assert [(p["question"], p["activity"], p["score"], p["gap"], p["next_step"])
            for p in a["priorities"]] == [
        ("A.2", "a2", 5.0, 2, "find_out"), ("B.1", "b1", 2.0, 1, "agree"),
        ("A.1", "a1", 1.25, 0.5, "plan")]
    assert "; underlaget är osäkert eftersom 1 av 2 svarade Vet ej; " in a["priorities"][0]["why"]
    assert a["priorities"][1]["why"] == (
        "Nuläget är 2 av 4 enligt 2 svar och målet är 3; gruppen var oenig; viktighet och insats"
        " är ännu inte bedömda. Nästa steg: kom överens om nuläget på Samsyn.")
    assert a["priorities"][2]["why_en"] == (
        "The current level is 2.5 of 4 according to 2 answers and the target is 3; effort is"
        " low and importance is not yet assessed. Next step: put the activity in the action"
        " plan with an owner and a date.")
    # both kinds, those without a value first: A.3, then A.2 with its uncertain value 1
    assert a["knowledge_gaps"] == [
        {"question": "A.3", "activity": "a3", "area": "A", "unknown_answers": 2, "answers": 2,
         "levels": 0, "value": None},
        {"question": "A.2", "activity": "a2", "area": "A", "unknown_answers": 1, "answers": 2,
         "levels": 1, "value": 1}]


def test_score__json__two_files__rollup_by_hand(capsys, bank_dir, one, two):
    code, out, err = run(capsys, "--bank-dir", str(bank_dir), "score", one, two, "--json")
    assert code == 0, err
    data = json.loads(out)
    first, second = data["assessments"]
    assert (first["file"], second["file"]) == (one, two)
    # File two: A = 4, 1, 3 → mean 8/3 → score 66.6667, coverage 1, unknown 0, gap 1/3
    #           B = 1 (B.1: 1 Vet ej beside 1 level, uncertain), 4 (consensus beats the
    #               answers) → mean 2.5 → score 62.5, coverage 2 / 2, gap 3 − 2.5 = 0.5
    #           overall 100 × (4 + 1 + 3 + 1 + 4) / 5 / 4 = 65, on 5 of 5 questions
    area_a, area_b = second["areas"]
    assert (area_a["score"], area_a["coverage"], area_a["unknown_share"], area_a["gap"]) == (
        66.6667, 1.0, 0.0, 0.3333)
    assert (area_b["score"], area_b["coverage"], area_b["gap"]) == (62.5, 1.0, 0.5)
    assert second["overall"] == 65.0
    assert (second["overall_covers"]["questions"], second["overall_covers"]["of_questions"]) == (
        5, 5)
    assert [q["consensus"] for q in area_b["questions"]] == [False, True]

    rollup = data["rollup"]
    assert rollup["bank"] == "mini"
    # A: mean (43.75 + 66.6667) / 2 = 55.2083, min 43.75, max 66.6667
    # B: mean (50 + 62.5) / 2 = 56.25, min 50, max 62.5
    assert rollup["areas"] == [
        {"id": "A", "mean": 55.2083, "min": 43.75, "max": 66.6667, "assessments": 2},
        {"id": "B", "mean": 56.25, "min": 50.0, "max": 62.5, "assessments": 2},
    ]
    # Share positive over every answer of both files ("Vet ej" counted, na not, consensus not)
    assert rollup["questions"] == [
        {"id": "A.1", "share_positive": 1.0, "positive": 4, "answers": 4},     # 2 3 | 4 4
        {"id": "A.2", "share_positive": 0.5, "positive": 2, "answers": 4},     # 1 ? | 0 2
        {"id": "A.3", "share_positive": 0.3333, "positive": 1, "answers": 3},  # ? ? | 3
        {"id": "B.1", "share_positive": 0.5, "positive": 2, "answers": 4},     # 4 0 | ? 1
        {"id": "B.2", "share_positive": 1.0, "positive": 1, "answers": 1},     # na na | na 2
    ]


def test_score__json__piped__one_compact_document(capsys, bank_dir, one, two):
    code, out, _ = run(capsys, "--bank-dir", str(bank_dir), "score", one, two, "--json")
    assert code == 0
    assert out.endswith("}\n") and out.count("\n") == 1  # compact when not on a terminal
    doc = json.loads(out)
    assert [entry["file"] for entry in doc["assessments"]] == [one, two]
    assert doc["rollup"]["bank"] == "mini"


def test_score__files_of_different_banks__cannot_be_rolled_up(capsys, bank_dir, one, tmp_path):
    other = write_json(tmp_path / "other.json", assessment_doc(
        [("k", "K.1", 1)], ["k"], bank="other", version="2", kind="kommun"))
    code, out, err = run(capsys, "--bank-dir", str(bank_dir), "score", one, other, "--json")
    assert code == 2
    assert out == ""
    assert "cannot be rolled up together" in err and "mini, other" in err


# --- score: text -------------------------------------------------------------------------


def test_score__text__table_priorities_and_gaps(capsys, bank_dir, one):
    code, out, _ = run(capsys, "--bank-dir", str(bank_dir), "score", one)
    assert code == 0
    lines = out.splitlines()
    # overall 45.83 (see the JSON test) and what it rests on
    assert "Totalt: 46 av 100  (bakåt 50)" in lines  # a score on 0–100, not a percentage
    assert ("Totalen bygger på 3 av 5 frågor (varje fråga räknas en gång). Utanför totalen:"
            " 1 markerad Ej aktuellt, 1 kunskapslucka." in lines)
    # Area, score, coverage (percent, no decimals), Vet ej by questions and by answers,
    # Ej aktuellt answers, gap in levels: A 43.75 shown 44, B 50
    assert next(line for line in lines if line.startswith("A Grund")).split()[2:] == [
        "44", "67", "%", "1/3", "3/6", "0", "1,2"]
    assert next(line for line in lines if line.startswith("B Bakåtblick")).split()[2:] == [
        "50", "100", "%", "0/2", "0/2", "2", "1"]
    header = next(line for line in lines if line.startswith("Område"))
    assert [cell.strip() for cell in header.split("  ") if cell.strip()][:3] == [
        "Område", "Poäng (av 100)", "Täckning"]
    # the priority names its activity, then the reasons in words
    assert "  2. B.1          2  b1" in lines
    assert ("               Nuläget är 2 av 4 enligt 2 svar och målet är 3; gruppen var oenig;"
            " viktighet och insats är ännu inte bedömda. Nästa steg: kom överens om nuläget på"
            " Samsyn.") in lines
    assert "  A.2      a2 – osäkert underlag: 1 av 2 svarade Vet ej · värde 1" in lines
    assert "  A.3      a3 – 2 av 2 svarade Vet ej" in lines


def test_score__text__english_and_rollup(capsys, bank_dir, one, two):
    code, out, _ = run(capsys, "--bank-dir", str(bank_dir), "score", one, two, "--lang", "en")
    assert code == 0
    assert "Overall: 46 of 100  (past 50)" in out
    assert "Overall: 65 of 100  (past 62)" in out  # file two: 100 × 13 / 5 / 4; B 62.5
    assert "The overall rests on 3 of 5 questions" in out
    assert "A Foundation" in out
    assert "Rollup of 2 assessments (mini)" in out
    # A: mean 55.21 → 55, min 43.75 → 44, max 66.67 → 67 (of 100)
    rollup_a = [line for line in out.splitlines() if line.startswith("A Foundation")][-1]
    assert rollup_a.split()[2:] == ["55", "44", "67", "2"]
    assert "Mean (of 100)" in out


def test_score__progress__drawn_only_on_a_terminal(bank_dir, one):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    banks = cli_support.read_banks(str(bank_dir)).banks
    paths = [Path(one)] * 21
    tty, pipe = Terminal(), io.StringIO()
    assert cli.run_score(paths, banks, io.StringIO(), tty, as_json=True) == 0
    assert cli.run_score(paths, banks, io.StringIO(), pipe, as_json=True) == 0
    assert "\rscoring 1/21" in tty.getvalue() and "\rscoring 21/21" in tty.getvalue()
    assert pipe.getvalue() == ""


# --- score: bad input --------------------------------------------------------------------


@pytest.mark.parametrize("name,content,expected", [
    ("missing.json", None, "cannot be read"),
    ("notes.json", "this is not json", "line 1, column 1: is not valid JSON"),
    ("empty.json", "", "is empty"),
    ("list.json", "[1, 2]", "must be a JSON object"),
    ("survey.json", '{"format": "survey", "version": 1}', "format: is 'survey', not 'psa-assessment'"),
    ("future.json", '{"format": "psa-assessment", "version": 9}', "version: format version 9 is newer"),
])
def test_score__bad_file__exit_2_one_line_naming_it(capsys, bank_dir, tmp_path, name, content,
                                                     expected):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "--bank-dir", str(bank_dir), "score", str(path))
    assert code == 2
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith(f"{path}: ") and expected in line
    assert "Traceback" not in err


def test_score__invalid_values__first_problem_and_count(capsys, bank_dir, tmp_path):
    path = write_json(tmp_path / "bad.json", assessment_doc(
        [("p1", "A.1", 9), ("p1", "A.2", 8)], ["p1"]))
    code, _, err = run(capsys, "--bank-dir", str(bank_dir), "score", path)
    assert code == 2
    assert err.splitlines() == [
        f"{path}: answers[0].value: level 9 is outside the scale 0–4 of bank 'mini' "
        "(and 1 more problem)"]


def test_score__several_bad_files__one_line_each(capsys, bank_dir, tmp_path, one):
    missing = tmp_path / "missing.json"
    code, out, err = run(capsys, "--bank-dir", str(bank_dir), "score",
                         str(missing), one, str(missing))
    assert code == 2 and out == ""
    assert err.splitlines() == [f"{missing}: cannot be read: No such file or directory"] * 2


# --- template ----------------------------------------------------------------------------


def test_template__round_trip__validates_and_scores_nothing(capsys, bank_dir, tmp_path):
    out_file = str(tmp_path / "new.json")
    code, out, err = run(capsys, "--bank-dir", str(bank_dir), "template", "mini", "--out", out_file,
                         "--organisation", "Region Halland", "--unit", "IVA",
                         "--date", "2025-09-01")
    assert code == 0, err
    doc = json.loads(Path(out_file).read_text(encoding="utf-8"))
    assert doc["organisation"] == {"name": "Region Halland", "kind": "region", "unit": "IVA"}
    assert (doc["date"], doc["participants"], doc["answers"]) == ("2025-09-01", [], [])

    assert run(capsys, "--bank-dir", str(bank_dir), "validate", out_file)[:2] == (0, f"OK {out_file}\n")
    code, out, _ = run(capsys, "--bank-dir", str(bank_dir), "score", out_file, "--json")
    assert code == 0
    [scored] = json.loads(out)["assessments"]
    assert scored["overall"] is None
    assert [a["coverage"] for a in scored["areas"]] == [0.0, 0.0]


def test_template__kind_defaults_to_the_banks_audience(capsys, bank_dir, tmp_path):
    out_file = tmp_path / "k.json"
    code, _, _ = run(capsys, "--bank-dir", str(bank_dir), "template", "other", "--out", str(out_file))
    assert code == 0
    assert json.loads(out_file.read_text(encoding="utf-8"))["organisation"]["kind"] == "kommun"


def test_template__existing_file__refused_unless_force(capsys, bank_dir, tmp_path):
    out_file = tmp_path / "keep.json"
    out_file.write_text("precious", encoding="utf-8")
    code, _, err = run(capsys, "--bank-dir", str(bank_dir), "template", "mini", "--out", str(out_file))
    assert code == 2
    assert err.splitlines() == [f"{out_file}: already exists; use --force to overwrite it"]
    assert out_file.read_text(encoding="utf-8") == "precious"

    code, _, _ = run(capsys, "--bank-dir", str(bank_dir), "template", "mini", "--out", str(out_file),
                     "--force")
    assert code == 0
    assert json.loads(out_file.read_text(encoding="utf-8"))["bank"] == {"id": "mini", "version": "1"}


@pytest.mark.parametrize("extra,expected", [
    (["--kind", "kommun"], "bank 'mini' has no questions for 'kommun'; choose one of: region"),
    (["--organisation", "   "], "organisation.name: string should have at least 1 character"),
])
def test_template__bad_request__exit_2(capsys, bank_dir, tmp_path, extra, expected):
    out_file = tmp_path / "t.json"
    code, _, err = run(capsys, "--bank-dir", str(bank_dir), "template", "mini", "--out", str(out_file),
                       *extra)
    assert code == 2
    assert expected in err
    assert not out_file.exists()


def test_template__bad_date__usage_error(capsys, bank_dir, tmp_path):
    code, _, err = run(capsys, "template", "mini", "--out", str(tmp_path / "t.json"),
                       "--date", "31/3/2025")
    assert code == 2
    assert "is not a date like 2025-03-31" in err


def test_template__unknown_bank__exit_2(capsys, bank_dir, tmp_path):
    code, _, err = run(capsys, "--bank-dir", str(bank_dir), "template", "nope",
                       "--out", str(tmp_path / "t.json"))
    assert code == 2
    assert err.startswith("unknown bank 'nope'")


# --- unexpected errors -------------------------------------------------------------------


def test_unexpected_exception__one_line_exit_1(capsys, bank_dir, one, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("scoring broke\non two lines")

    monkeypatch.setattr(cli, "score_assessment", boom)
    code, out, err = run(capsys, "--bank-dir", str(bank_dir), "score", one)
    assert code == 1
    assert err == "error: scoring broke on two lines\n"


def test_keyboard_interrupt__exit_130(capsys, bank_dir, one, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "score_assessment", interrupted)
    code, _, _ = run(capsys, "--bank-dir", str(bank_dir), "score", one)
    assert code == 130


# --- the module entry point --------------------------------------------------------------


def python_m(*argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(bank_loader.BANK_DIR_ENV, None)
    return subprocess.run([sys.executable, "-m", "assessment", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_python_m_assessment__scores_and_rolls_up(bank_dir, one, two):
    result = python_m("--bank-dir", str(bank_dir), "score", one, two, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # overall of each file and B's roll-up mean, as in test_score__json__two_files__rollup_by_hand
    assert [a["overall"] for a in data["assessments"]] == [45.8333, 65.0]
    assert data["rollup"]["areas"][1]["mean"] == 56.25


def test_python_m_assessment__bad_file__exit_2_no_traceback(bank_dir, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(textwrap.dedent("""\
        {"format": "psa-assessment",
         "version": 1,
    """), encoding="utf-8")
    result = python_m("--bank-dir", str(bank_dir), "score", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{bad}: line 3") and "is not valid JSON" in line
