"""The municipal survey bank (``kommunenkat-2023``) against seed 004, Socialstyrelsen's 2023
survey of municipalities in ../shared/seeds/.

Each of the 31 items asks the survey's own question – *has the national action plan
influenced* the extent to which the municipality ensures that care providers do this – with
the survey's answers, and carries exactly the national figures printed beside it. So a
municipality answers here what it answers in the annual survey, and Jämför compares like
with like.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from assessment.bank_loader import load_banks

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SURVEY = SEEDS / "004_58be9290cb661185.txt"
PAGE_START = "Har den nationella handlingsplanen påverkat i vilken utsträckning"


@pytest.fixture(scope="module")
def seed() -> str:
    if not SURVEY.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the seed is missing: {SURVEY}")
        pytest.skip(f"the seeds are not beside the project: {SEEDS}")
    return SURVEY.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bank():
    loaded = load_banks()
    assert not loaded.problems, loaded.problems
    return loaded.banks["kommunenkat-2023"]


def survey_items(text: str) -> list[tuple[str, int, int]]:
    """(item text, percent, change) of the five "Fokusområde" pages, in the seed's order."""
    items: list[tuple[str, int, int]] = []
    for page in text.split(PAGE_START)[1:]:
        for bullet in page.split("•")[1:]:
            found = re.search(r"(\d+)%\s*\+(\d+)%", bullet)
            if not found:
                continue
            words = " ".join(bullet[: found.start()].split()).rstrip("? ")
            items.append((words, int(found.group(1)), int(found.group(2))))
    return items


def survey_question(text: str) -> str:
    """The question the five pages put before their items, without its "...":
    "Har den nationella handlingsplanen påverkat … säkerställer att vårdgivarna"."""
    found = re.search(re.escape(PAGE_START) + r"\s+(.*?)\.\.\.", text)
    return " ".join(f"{PAGE_START} {found.group(1)}".split())


def test_survey_bank__31_items__national_figures_equal_seed_004(seed, bank):
    items = survey_items(seed)
    questions = [q for area in bank.areas for q in area.questions]

    assert len(items) == 31
    assert [len(a.questions) for a in bank.areas] == [5, 8, 6, 5, 7]
    assert [q.id for q in bank.area("F2").questions] == [f"F2.{n}" for n in range(1, 9)]
    for question, (words, percent, change) in zip(questions, items):
        assert question.activity.sv.rstrip("?") == words, question.id
        ref = question.reference
        assert (ref.share_positive, ref.change, ref.n, ref.year) == (percent, change, 211, 2023), question.id


def test_survey_bank__each_question_is_the_surveys_question_about_the_plans_influence(seed, bank):
    stem = survey_question(seed)
    questions = [q for area in bank.areas for q in area.questions]

    assert stem == ("Har den nationella handlingsplanen påverkat i vilken utsträckning "
                    "huvudmannen kommunen säkerställer att vårdgivarna")
    for question, (words, _, _) in zip(questions, survey_items(seed)):
        # "… att vårdgivarna" + "följer upp och utreder händelser, …" + "?"
        assert question.text.sv == f"{stem} {words[0].lower()}{words[1:]}?", question.id
        assert question.text.en.startswith(
            "Has the national action plan influenced the extent to which the municipality"), question.id
        assert question.text.en.endswith("?"), question.id


def test_survey_bank__the_surveys_answers__ja_levels_are_the_national_share(seed, bank):
    # The national share counts "Ja, till stor del" and "Ja, till vissa delar" (the seed's
    # footnote); the share positive counts levels 1 and up, so those two are levels 2 and 1.
    footnote = "* Kommuner som svarat ”Ja, till stor del” och ”Ja, till vissa delar”"
    assert seed.count(footnote) == 5
    scale = bank.scale
    assert [(lv.value, lv.label.sv) for lv in scale.levels] == [
        (0, "Nej"), (1, "Ja, till vissa delar"), (2, "Ja, till stor del")]
    assert scale.unknown.label.sv == "Vet inte" and scale.na is None
    # "Nej" and "Vet inte" are the survey's own words for its other answers.
    assert re.search(r"^Nej\n", seed, re.M) and re.search(r"^Vet inte \d+", seed, re.M)


def test_survey_bank__descriptors_and_guidance_speak_of_the_plans_influence(bank):
    assert bank.version == "2"      # version 1 asked the extent itself, not the plan's influence
    for level in bank.scale.levels:
        assert "handlingsplanen" in level.descriptor.sv.lower(), level.value
        assert "action plan" in level.descriptor.en.lower(), level.value
    assert "handlingsplanen har påverkat" in bank.scale.unknown.descriptor.sv
    for area in bank.areas:
        for question in area.questions:
            assert sorted(question.guidance) == [0, 2], question.id
            for level, text in question.guidance.items():
                assert "handlingsplan" in text.sv.lower(), (question.id, level)
                assert "action plan" in text.en.lower(), (question.id, level)
