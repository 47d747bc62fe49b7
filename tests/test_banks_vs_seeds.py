"""The national bank against the Swedish source document it is built from (seed 001 in
../shared/seeds/): each activity the plan lists under "Hur når huvudmän och vårdgivare dit?"
is exactly one question, in the seed's order and in the plan's words – a shared question at
its place in each of its areas – and every link, competence target and title traces to it.
The municipal survey bank against seed 004: tests/test_survey_bank.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from assessment.bank_loader import load_banks

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
PLAN = SEEDS / "001_02c76dd9095a8e1e.txt"
FOCUS_AREA = re.compile(r"\s*\(fokusområde \d\)$")


@pytest.fixture(scope="module")
def seeds() -> Path:
    if not PLAN.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the seeds are missing: {SEEDS}")
        pytest.skip(f"the seeds are not beside the project: {SEEDS}")
    return SEEDS


@pytest.fixture(scope="module")
def banks():
    loaded = load_banks()
    assert not loaded.problems, loaded.problems
    return loaded.banks


def plan_activities(text: str) -> list[list[str]]:
    """The numbered lists after each "Hur når huvudmän och vårdgivare dit?" heading."""
    lists = []
    for block in text.split("Hur når huvudmän och vårdgivare dit?")[1:]:
        items = []
        for line in block.splitlines():
            if line.startswith(("Aktiviteterna ovan", "**Nytt")):
                break
            # "1. text", "- 1 text"; F3's list is misnumbered 1, 1, 2, … in the seed
            found = re.match(r"^\s*(?:-\s*)?\d+\.?\s+(.*\S)\s*$", line)
            if found:
                items.append(found.group(1))
        if items:
            lists.append(items)
    return lists


# The seeds' typos that would reach the UI, fixed in the bank (and only these).
SEED_TYPOS = {"följd effekter": "följdeffekter", "arbetsätt": "arbetssätt"}


def fixed(text: str) -> str:
    for typo, fix in SEED_TYPOS.items():
        text = text.replace(typo, fix)
    return text


def normalised(activity: str) -> str:
    return fixed(FOCUS_AREA.sub("", activity.rstrip(".")).strip())


def activities_by_place(bank, area_id: str) -> list[tuple[str, str]]:
    """(question id, the activity's wording in this area) in the area's order – a shared
    question at its place in each of its areas, with that area's wording."""
    scope = dict((a.id, qs) for a, qs in bank.scope(None))
    return [(q.id, bank.activity_in(q, area_id).sv) for q in scope[area_id]]


def test_national_bank__one_question_per_seed_activity__in_order_and_in_the_plans_words(seeds, banks):
    lists = plan_activities(PLAN.read_text(encoding="utf-8"))
    bank = banks["nationell-handlingsplan-2025"]

    assert [len(items) for items in lists] == [12, 10, 11, 6, 8, 9]
    for area_id, items in zip(["G1", "F1", "F2", "F3", "F4", "F5"], lists):
        placed = activities_by_place(bank, area_id)
        assert len(placed) == len(items), area_id
        for n, ((qid, actual), seed_text) in enumerate(zip(placed, items), 1):
            # Its own question has the area's id and the seed's number; a shared one is a G1
            # question standing in for the id it replaces.
            question = bank.question(qid)
            own = qid == f"{area_id}.{n}"
            replaced = [s.replaces for s in question.also_in if s.area == area_id]
            assert own or replaced == [f"{area_id}.{n}"], (area_id, n, qid)
            expected = normalised(seed_text)
            # F3.1 adds the seed's four examples after its first line ("exempelvis genom att …")
            actual = actual.rstrip(".")
            assert actual == expected or actual.startswith(expected.removesuffix(" exempelvis genom att")), (
                qid, area_id, actual, expected)


# Seed 001's G1 activities that the focus areas repeat (the G1 item and the focus-area item
# are the same activity, word for word or nearly): one question each, kept under the G1 id.
SHARED = {"G1.1": "F1.3", "G1.3": "F2.1", "G1.4": "F2.3", "G1.5": "F2.7", "G1.6": "F2.4",
          "G1.7": "F3.1", "G1.8": "F3.2", "G1.9": "F5.1", "G1.10": "F5.2", "G1.11": "F4.4"}


def test_national_bank__shared_questions__exactly_the_repeated_g1_activities(banks):
    bank = banks["nationell-handlingsplan-2025"]

    assert bank.replaced_ids() == {former: kept for kept, former in SHARED.items()}
    assert bank.version == "2" and bank.upgrades_from == ["1"]
    # One activity, one question: no replaced id is a question of its own any more.
    assert not set(SHARED.values()) & set(bank.question_index())
    assert len(bank.question_index()) == 69 - len(SHARED)


def test_national_bank__g1_links__name_the_focus_area_the_seed_gives__with_their_source(seeds, banks):
    lists = plan_activities(PLAN.read_text(encoding="utf-8"))
    bank = banks["nationell-handlingsplan-2025"]

    for question, seed_text in zip(bank.area("G1").questions, lists[0]):
        named = re.search(r"\(fokusområde (\d)\)$", seed_text.rstrip("."))
        serves = [s.area for s in question.also_in] + [link.area for link in question.links]
        if named:
            assert serves == [f"F{named.group(1)}"], question.id
        else:
            # Untagged: only G1.6, which F2.4 repeats in other words, is shared.
            assert serves == (["F2"] if question.id == "G1.6" else []), question.id
        for link in question.links:
            assert f"(fokusområde {named.group(1)})" in link.source, question.id
        # A shared pairing names its source exactly where the seed tags the activity: the
        # tagged ones give breadth in the priorities, G1.6's editorial pairing does not.
        for shared in question.also_in:
            if named:
                number = question.id.split(".")[1]
                assert shared.source and f"aktivitet {number}: ”(fokusområde {named.group(1)})”" \
                    in shared.source, question.id
            else:
                assert shared.source is None, question.id
    sourced = {q.id for q in bank.area("G1").questions
               if any(s.source for s in q.also_in) or q.links}
    assert bank.sourced_pairings() == frozenset(sourced)
    assert sourced == {f"G1.{n}" for n in (1, 2, 3, 4, 5, 7, 8, 9, 10, 11)}


def test_national_bank__links__only_where_the_plan_names_them(banks):
    bank = banks["nationell-handlingsplan-2025"]

    linked = {q.id: [link.area for link in q.links]
              for _, q in bank.question_index().values() if q.links}
    # Every tagged G1 activity but G1.2 is shared; G1.2 ("(fokusområde 1)") keeps its link.
    assert linked == {"G1.2": ["F1"]}


def seed_competence_targets(text: str) -> list[tuple[int, str]]:
    """The 15 national competence targets: the table row "1 Patientsäkerhet: … 2 …"."""
    block = text.split("Nationella kompetensmål för patientsäkerhet")[-1]
    cells = [c.strip() for line in block.splitlines() if "\t" in line for c in line.split("\t")]
    found = [re.match(r"^(\d+) (.+)$", c) for c in cells]
    return [(int(m.group(1)), m.group(2)) for m in found if m]


def test_national_bank__competence_targets__the_15_of_seed_001__linked_from_g3(seeds, banks):
    bank = banks["nationell-handlingsplan-2025"]
    targets = seed_competence_targets(PLAN.read_text(encoding="utf-8"))

    assert [n for n, _ in targets] == list(range(1, 16))
    assert [(t.number, t.name.sv) for t in bank.competence_targets] == [
        (n, fixed(name)) for n, name in targets]
    for q in bank.area("G3").questions:
        assert q.competence_targets, q.id
    # The links are editorial (the seed ties no target to an activity), but none is left out.
    linked = {n for q in bank.area("G3").questions for n in q.competence_targets}
    assert linked == set(range(1, 16))
    assert all(not q.competence_targets for _, q in bank.question_index().values()
               if not q.id.startswith("G3."))


def test_national_bank__characteristics__each_has_an_activity_title(banks):
    bank = banks["nationell-handlingsplan-2025"]

    for area_id in ("G2", "G3", "G4"):
        for q in bank.area(area_id).questions:
            assert q.action is not None and q.title("sv") != q.activity.sv, q.id
    # The plan's own activities (G1, F1–F5) are named by the plan's words.
    assert all(q.action is None for a in bank.areas if a.id not in ("G2", "G3", "G4")
               for q in a.questions)


def test_national_bank__guidance__levels_0_2_and_4_for_every_question(banks):
    bank = banks["nationell-handlingsplan-2025"]

    for _, q in bank.question_index().values():
        assert {0, 2, 4} <= set(q.guidance), q.id
    culture = ["G2.2", "G2.3", "G2.4", "G3.1", "G4.1", "G4.5", "F1.5", "G1.7"]
    assert all(sorted(bank.question(qid).guidance) == [0, 1, 2, 3, 4] for qid in culture)


def test_national_bank__prerequisites__at_least_four_characteristics_each(banks):
    bank = banks["nationell-handlingsplan-2025"]

    assert {a.id: len(a.questions) for a in bank.areas if a.kind == "prerequisite"} == {
        "G1": 12, "G2": 4, "G3": 4, "G4": 5}
    assert [a.id for a in bank.areas] == ["G1", "G2", "G3", "G4", "F1", "F2", "F3", "F4", "F5"]
    assert {a.id: a.time_perspective.value for a in bank.areas if a.time_perspective} == {
        "F1": "past", "F2": "now", "F3": "now", "F4": "future", "F5": "future"}


def test_national_bank__decision_level_and_theme__every_question_marked_and_labelled_editorial(banks):
    bank = banks["nationell-handlingsplan-2025"]
    questions = [q for _, q in bank.question_index().values()]

    assert all(q.decided_by is not None and q.theme is not None for q in questions)
    assert bank.editorial is not None and "redaktionens bedömning" in bank.editorial.sv
    # budget and procurement are for the board, not a unit
    assert {q.id: q.decided_by.value for q in questions if q.id in ("G1.2", "G1.5", "F2.11")} == {
        "G1.2": "huvudman", "G1.5": "huvudman", "F2.11": "huvudman"}
    # patient and family participation runs through G1.6, G4, F3.5, F4.5 and F5.7
    participation = {q.id for q in questions if q.theme == "delaktighet"}
    assert {"G1.6", "G4.1", "G4.5", "F3.5", "F4.5", "F5.7"} <= participation
    # the municipal survey bank leaves both out
    survey = banks["kommunenkat-2023"]
    assert all(q.decided_by is None and q.theme is None
               for _, q in survey.question_index().values())


def test_docs_scoring__theme_and_decision_level_tables__the_banks_own(banks):
    bank = banks["nationell-handlingsplan-2025"]
    doc = (Path(__file__).resolve().parents[1] / "docs" / "scoring.md").read_text(encoding="utf-8")
    questions = [q for _, q in bank.question_index().values()]

    for theme in bank.themes:
        ids = ", ".join(q.id for q in questions if q.theme == theme.id)
        assert f"| `{theme.id}` | {theme.name.sv} | {ids} |" in doc, theme.id
    for level in ("huvudman", "forvaltning", "verksamhet"):
        ids = ", ".join(q.id for q in questions if q.decided_by.value == level)
        assert f"(`{level}`) | {ids} |" in doc, level
