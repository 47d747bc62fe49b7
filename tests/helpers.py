"""Small builders for tests: a bank from a few area and question ids, an assessment from
answer columns, and a YAML file written from inline text.

    bank = make_bank({"F1": 2, "G1": ["G1.1", question("G1.2", links=["F1"])]}, top=4)
    assessment = make_assessment(bank, answers={"F1.1": [1, 2, 4]})   # p1=1, p2=2, p3=4
    result = score(bank, answers={"F1.1": [1, 2, 4]})
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml

from assessment.bank import Bank
from assessment.document import FORMAT_VERSION, Assessment, check_against_bank
from scoring.score import AssessmentScore, score_assessment

ALL_AUDIENCES = ("region", "kommun", "vardgivare")

# The plan's time perspectives: F1 looks back, F2 and F3 at now, F4 and F5 ahead.
PLAN_TIME_PERSPECTIVE = {"F1": "past", "F2": "now", "F3": "now", "F4": "future", "F5": "future"}

LEVEL_WORDS = ["Inte alls", "I liten grad", "Delvis", "I stor grad", "Helt",
               "Nivå 5", "Nivå 6", "Nivå 7", "Nivå 8", "Nivå 9", "Nivå 10"]


def text(sv: str, en: str | None = None) -> dict:
    return {"sv": sv, "en": en if en is not None else sv}


def question(qid: str, *, links: list[str] = (), also_in: dict[str, str] | None = None,
             audiences: list[str] = ALL_AUDIENCES, editorial: bool = False) -> dict:
    """One question of a bank, as the YAML mapping gives it. ``links``: area ids (each with
    a test source); ``also_in``: {area id: the id it replaces there}, a shared question
    whose pairing has a test source (none with ``editorial``: no breadth)."""
    q = {
        "id": qid,
        "text": text(f"I vilken utsträckning gör vi {qid}?", f"To what extent do we do {qid}?"),
        "activity": text(f"Gör {qid}", f"Do {qid}"),
        "links": [{"area": a, "source": f"test: {qid} serves {a}"} for a in links],
        "audiences": list(audiences),
    }
    if also_in:
        q["also_in"] = [{"area": a, "replaces": r, "activity": text(f"Gör {r}", f"Do {r}")}
                        | ({} if editorial else {"source": f"test: {qid} is {r}"})
                        for a, r in also_in.items()]
    return q


def bank_dict(areas: dict[str, int | list], *, top: int = 4, na: bool = True,
              bank_id: str = "test-bank", version: str = "1",
              time_perspectives: dict[str, str | None] | None = None) -> dict:
    """A bank as plain data. ``areas`` maps an area id to a number of questions
    (``{"F1": 2}`` gives F1.1 and F1.2) or to a list of question ids / ``question(...)``s.
    Areas F1–F5 get the plan's time perspective unless ``time_perspectives`` says otherwise."""
    perspectives = {**PLAN_TIME_PERSPECTIVE, **(time_perspectives or {})}
    area_list = []
    for area_id, spec in areas.items():
        items = [f"{area_id}.{n}" for n in range(1, spec + 1)] if isinstance(spec, int) else spec
        area = {
            "id": area_id,
            "kind": "focus" if area_id.startswith("F") else "prerequisite",
            "name": text(f"Område {area_id}", f"Area {area_id}"),
            "aim": text(f"Mål för {area_id}", f"Aim of {area_id}"),
            "questions": [question(q) if isinstance(q, str) else q for q in items],
        }
        if perspectives.get(area_id):
            area["time_perspective"] = perspectives[area_id]
        area_list.append(area)
    scale = {
        "levels": [{"value": v, "label": text(LEVEL_WORDS[v])} for v in range(top + 1)],
        "unknown": {"label": text("Vet ej", "Don't know")},
    }
    if na:
        scale["na"] = {"label": text("Ej aktuellt", "Not applicable")}
    return {
        "id": bank_id,
        "version": version,
        "title": text("Testbank", "Test bank"),
        "source": {"seed": "001", "chapter": "Test"},
        "scale": scale,
        "areas": area_list,
    }


def make_bank(areas: dict[str, int | list], **kwargs) -> Bank:
    """A validated ``Bank``; see ``bank_dict`` for the arguments."""
    return Bank.model_validate(bank_dict(areas, **kwargs))


def bank_yaml(areas: dict[str, int | list], **kwargs) -> str:
    """The YAML text of a valid bank; see ``bank_dict`` for the arguments."""
    return yaml.safe_dump(bank_dict(areas, **kwargs), allow_unicode=True, sort_keys=False)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """Write a file into ``folder``: text is dedented and saved as UTF-8, bytes as they are."""
    path = folder / name
    if isinstance(content, str):
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def assessment_dict(bank: Bank, *, answers: dict[str, list] | None = None,
                    consensus: dict[str, int | str] | None = None,
                    participants: int | None = None, kind: str = "kommun",
                    audience: str | None = None, targets: dict | None = None,
                    importance: dict | None = None, effort: dict | None = None) -> dict:
    """An assessment file's data. ``answers`` maps a question id to one value per
    participant, in order (p1, p2, …); ``None`` means that participant did not answer."""
    answers = answers or {}
    count = participants if participants is not None else max(map(len, answers.values()), default=0)
    doc = {
        "format": "psa-assessment",
        "version": FORMAT_VERSION,
        "bank": {"id": bank.id, "version": bank.version},
        "organisation": {"name": "Testby kommun", "kind": kind},
        "date": "2026-11-22",
        "participants": [{"id": f"p{n}"} for n in range(1, count + 1)],
        "answers": [
            {"participant": f"p{n}", "question": qid, "value": value}
            for qid, column in answers.items()
            for n, value in enumerate(column, start=1)
            if value is not None
        ],
        "consensus": [{"question": qid, "value": v} for qid, v in (consensus or {}).items()],
        "targets": targets or {},
        "importance": importance or {},
        "effort": effort or {},
    }
    if audience is not None:
        doc["audience"] = audience
    return doc


def make_assessment(bank: Bank, **kwargs) -> Assessment:
    """A validated ``Assessment`` that fits ``bank``; see ``assessment_dict`` for the arguments."""
    assessment = Assessment.model_validate(assessment_dict(bank, **kwargs))
    problems = check_against_bank(assessment, bank, "test")
    assert not problems, problems  # the test's own data must be valid
    return assessment


def score(bank: Bank, **kwargs) -> AssessmentScore:
    """Score an assessment built by ``make_assessment``."""
    return score_assessment(make_assessment(bank, **kwargs), bank)
