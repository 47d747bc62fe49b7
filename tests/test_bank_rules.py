"""The bank format's rules for shared questions, links, guidance and competence targets
(docs/scoring.md, issue 13): each bad bank is built with ``tests.helpers``, refused by
``Bank`` with a ``pydantic.ValidationError`` and by the loader with a problem that names
its place in the file."""

from __future__ import annotations

import re

import pytest
import yaml
from pydantic import ValidationError

from assessment.bank import Bank
from assessment.bank_loader import parse_bank_text
from assessment.problems import InvalidFile, Problem
from tests.helpers import bank_dict, make_bank, question, text

G1_1 = "areas[0].questions[0]"  # the place of the first question of the first area (G1)


def problems_of(data: dict) -> list[Problem]:
    """The loader's problems for a bank given as data (written as YAML text, as a file is)."""
    with pytest.raises(ValidationError):
        Bank.model_validate(data)
    with pytest.raises(InvalidFile) as raised:
        parse_bank_text("bank.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return raised.value.problems


def only_problem(data: dict) -> tuple[str, str]:
    """The one problem, as (place without its YAML line, message)."""
    problems = problems_of(data)
    assert len(problems) == 1, "\n".join(map(str, problems))
    [problem] = problems
    assert problem.file == "bank.yaml"
    return re.sub(r" \(line \d+\)$", "", problem.place), problem.message


def shared_bank(*g1_questions: dict, f1: list | int = 2) -> dict:
    """G1 with the given questions, then F1 (F1.1, F1.2 by default)."""
    return bank_dict({"G1": list(g1_questions), "F1": f1})


def guided(guidance: dict[int, str]) -> dict:
    q = question("G1.1")
    q["guidance"] = {level: text(words) for level, words in guidance.items()}
    return shared_bank(q)


# --- valid banks: the rules let the intended shapes through ---------------------------------


def test_bank__shared_question_links_guidance_and_targets__valid():
    q = question("G1.1", links=["F2"], also_in={"F1": "F1.3"})
    q["guidance"] = {0: text("Inget"), 2: text("Delvis"), 4: text("Helt")}
    q["competence_targets"] = [1, 3]
    q["action"] = text("Gör det")
    data = bank_dict({"G1": [q], "F1": 2, "F2": 1})
    data["competence_targets"] = [{"number": n, "name": text(f"Mål {n}")} for n in (1, 2, 3)]

    bank = Bank.model_validate(data)

    assert bank.areas_of("G1.1") == ["G1", "F1"]
    assert bank.replaced_ids() == {"F1.3": "G1.1"}
    assert bank.links_by_question()["G1.1"] == ["F1", "F2"]  # shared areas, then links
    assert sorted(bank.question("G1.1").guidance) == [0, 2, 4]


# --- also_in: a shared question ---------------------------------------------------------------


@pytest.mark.parametrize("data,place,words", [
    pytest.param(shared_bank(question("G1.1", also_in={"F9": "F9.1"})),
                 f"{G1_1}.also_in[0].area", "names area 'F9', which is not in this bank",
                 id="unknown area"),
    pytest.param(shared_bank(question("G1.1", also_in={"G1": "G1.9"})),
                 f"{G1_1}.also_in[0].area", "always belongs to its own area 'G1'",
                 id="its own area"),
    pytest.param(shared_bank(question("G1.1", also_in={"F1": "F1.2"})),
                 f"{G1_1}.also_in[0].replaces", "'F1.2' is a question of this bank",
                 id="replaces a current question"),
    pytest.param(shared_bank(question("G1.1", also_in={"F1": "F2.3"})),
                 f"{G1_1}.also_in[0].replaces", "'F2.3' must start with the area id 'F1'",
                 id="replaces an id of another area"),
    pytest.param(shared_bank(question("G1.1", also_in={"F1": "F1.3"}),
                             question("G1.2", also_in={"F1": "F1.3"})),
                 "also_in", "'F1.3' is replaced by more than one question",
                 id="two questions replace one id"),
    pytest.param(shared_bank(question("G1.1", links=["F1"], also_in={"F1": "F1.3"})),
                 G1_1, "links and also_in name the same area more than once",
                 id="linked to its shared area"),
])
def test_bank__bad_also_in__refused_naming_the_place(data, place, words):
    found_place, message = only_problem(data)
    assert found_place == place
    assert words in message


def test_bank__shared_question_missing_its_wording_in_the_other_area__refused():
    q = question("G1.1", also_in={"F1": "F1.3"})
    del q["also_in"][0]["activity"]  # the seed's wording in F1 must be kept

    place, message = only_problem(shared_bank(q))

    assert place == f"{G1_1}.also_in[0].activity"


# --- links -----------------------------------------------------------------------------------------


def test_bank__link_without_source__refused():
    q = question("G1.1", links=["F1"])
    del q["links"][0]["source"]  # every link names where the plan says so

    place, _ = only_problem(shared_bank(q))

    assert place == f"{G1_1}.links[0].source"


@pytest.mark.parametrize("area,words", [
    pytest.param("F9", "names area 'F9', which is not in this bank", id="unknown area"),
    pytest.param("G1", "always belongs to its own area 'G1'", id="its own area"),
])
def test_bank__link_to_a_bad_area__refused(area, words):
    place, message = only_problem(shared_bank(question("G1.1", links=[area])))

    assert (place, words in message) == (f"{G1_1}.links[0].area", True)


# --- guidance --------------------------------------------------------------------------------------


@pytest.mark.parametrize("guidance,words", [
    # the scale runs 0–4 (bank_dict's default top)
    pytest.param({0: "a", 4: "b", 5: "c"}, "names level 5, but the scale runs 0–4",
                 id="level above the top"),
    pytest.param({2: "a", 4: "b"}, "needs an example for level 0", id="without level 0"),
    pytest.param({0: "a", 2: "b"}, "needs an example for level 4", id="without the top"),
])
def test_bank__bad_guidance__refused_naming_the_question(guidance, words):
    place, message = only_problem(guided(guidance))

    assert place == f"{G1_1}.guidance"
    assert words in message


def test_bank__guidance_on_a_0_to_2_scale__top_is_2():
    q = question("G1.1")
    q["guidance"] = {0: text("Nej"), 2: text("Ja, till stor del")}

    bank = make_bank({"G1": [q]}, top=2)  # 0 and the top 2: enough

    assert sorted(bank.question("G1.1").guidance) == [0, 2]


# --- competence targets --------------------------------------------------------------------------


def test_bank__competence_target_not_listed__refused_naming_the_number():
    q = question("G1.1")
    q["competence_targets"] = [1, 7]
    data = shared_bank(q)
    data["competence_targets"] = [{"number": n, "name": text(f"Mål {n}")} for n in (1, 2)]

    place, message = only_problem(data)

    assert place == f"{G1_1}.competence_targets"
    assert "names target 7" in message


def test_bank__competence_targets_without_a_list__every_number_refused():
    q = question("G1.1")
    q["competence_targets"] = [1]

    place, message = only_problem(shared_bank(q))  # the bank lists no targets at all

    assert (place, "names target 1" in message) == (f"{G1_1}.competence_targets", True)


def test_bank__decision_level_and_theme__all_or_none_named_themes_and_editorial():
    data = bank_dict({"F1": 2}, top=4)
    data["areas"][0]["questions"][0]["decided_by"] = "huvudman"
    data["areas"][0]["questions"][0]["theme"] = "nope"
    with pytest.raises(ValidationError) as raised:
        Bank.model_validate(data)
    messages = str(raised.value)
    assert "areas[0].questions[1].decided_by: 1 of 2 questions give decided_by" in messages
    assert "names theme 'nope'" in messages
    assert "editorial" in messages
