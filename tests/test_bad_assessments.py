"""Bad assessment files: each goes through ``parse_assessment`` and must give a Problem
naming the place in the file and what is wrong."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest

from assessment import files
from assessment.document import FORMAT_VERSION, Effort
from assessment.files import dump_assessment, parse_assessment
from assessment.problems import InvalidFile, Problem
from tests.helpers import make_bank

BANK = make_bank({"F1": 5, "G1": 2}, top=4, na=True, bank_id="test-bank")
BANK_WITHOUT_NA = make_bank({"F1": 5}, top=4, na=False, bank_id="utan-na")
BANKS = {BANK.id: BANK, BANK_WITHOUT_NA.id: BANK_WITHOUT_NA}

# The example from the product's spec, with our test bank.
GOOD = {
    "format": "psa-assessment", "version": 1,
    "bank": {"id": "test-bank", "version": "1"},
    "organisation": {"name": "Exempelby kommun", "kind": "kommun", "unit": "Hemsjukvården"},
    "date": "2026-11-22",
    "participants": [{"id": "p1", "name": "Anna", "role": "MAS"}],
    "answers": [
        {"participant": "p1", "question": "F1.3", "value": 2, "comment": "Rutin finns men följs inte upp"},
        {"participant": "p1", "question": "F1.4", "value": "unknown"},
        {"participant": "p1", "question": "F1.5", "value": "na"},
    ],
    "consensus": [{"question": "F1.3", "value": 2, "note": "Enades efter diskussion"}],
    "targets": {"F1": 3},
    "importance": {"F1": 2},
    "effort": {"F1.3": "låg"},
    "actions": [{"activity": "F1.3", "title": "Inför uppföljning av rutin", "owner": "Anna",
                 "due": "2027-03-31", "status": "planerad", "note": ""}],
}


def encoded(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def problems_of(data: bytes, name: str = "bedomning.json") -> list[Problem]:
    with pytest.raises(InvalidFile) as raised:
        parse_assessment(name, data, BANKS)
    return raised.value.problems


def only_problem(data: bytes) -> Problem:
    problems = problems_of(data)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


# Mutations of the good example: a change at a path like "answers[1].question".

def _walk(doc, path: str):
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
    for part in parts[:-1]:
        doc = doc[part]
    return doc, parts[-1]


def changed(path: str, value):
    def mutate(doc):
        parent, last = _walk(doc, path)
        if isinstance(last, int) and last == len(parent):
            parent.append(value)
        else:
            parent[last] = value
    return mutate


def removed(path: str):
    def mutate(doc):
        parent, last = _walk(doc, path)
        del parent[last]
    return mutate


def mutated(*mutations) -> dict:
    doc = copy.deepcopy(GOOD)
    for mutation in mutations:
        mutation(doc)
    return doc


# --- the good example --------------------------------------------------------------------


def test_parse_assessment__spec_example__loads():
    assessment = parse_assessment("exempel.json", encoded(GOOD), BANKS)

    assert assessment.organisation.unit == "Hemsjukvården"
    assert [(a.question, a.value) for a in assessment.answers] == [
        ("F1.3", 2), ("F1.4", "unknown"), ("F1.5", "na")]
    assert assessment.consensus[0].note == "Enades efter diskussion"
    assert assessment.effort == {"F1.3": Effort.low}
    assert assessment.actions[0].due == dt.date(2027, 3, 31)
    assert assessment.effective_audience.value == "kommun"


def test_parse_assessment__spec_example_saved_and_read_again__same_assessment():
    assessment = parse_assessment("exempel.json", encoded(GOOD), BANKS)

    again = parse_assessment("kopia.json", dump_assessment(assessment).encode("utf-8"), BANKS)

    assert again == assessment


# --- the bytes of the file -------------------------------------------------------------------


def test_parse_assessment__not_json__place_has_line_and_column():
    data = b'{"format": "psa-assessment",\n "version": 1,,\n "date": "2026-11-22"}'

    problem = only_problem(data)

    # The second comma on line 2 (' "version": 1,,') is column 15.
    assert (problem.file, problem.place) == ("bedomning.json", "line 2, column 15")
    assert "not valid JSON" in problem.message


def test_parse_assessment__not_utf8__names_the_line():
    data = encoded(GOOD).replace("Hemsjukvården".encode(), "Hemsjukvården".encode("latin-1"))
    line = next(n for n, text in enumerate(data.split(b"\n"), start=1) if b"Hemsjukv" in text)

    problem = only_problem(data)

    assert problem.place == f"line {line}"
    assert "UTF-8" in problem.message


@pytest.mark.parametrize("data", [b"", b" \n\t "], ids=["no bytes", "only whitespace"])
def test_parse_assessment__empty__is_empty(data):
    problem = only_problem(data)

    assert (problem.place, problem.message) == ("", "is empty")


@pytest.mark.parametrize("doc,found", [([GOOD], "list"), ("psa-assessment", "str"), (None, "NoneType")])
def test_parse_assessment__json_not_an_object__asks_for_object(doc, found):
    problem = only_problem(encoded(doc))

    assert problem.place == ""
    assert "JSON object" in problem.message
    assert found in problem.message


def test_parse_assessment__over_size_limit__names_the_limit(monkeypatch):
    monkeypatch.setattr(files, "MAX_ASSESSMENT_BYTES", 100)

    problem = only_problem(encoded(GOOD))

    assert problem.place == ""
    assert "limit of 100 bytes" in problem.message


def test_parse_assessment__newer_format_version__asks_to_update():
    problem = only_problem(encoded(mutated(changed("version", FORMAT_VERSION + 1))))

    assert problem.place == "version"
    assert "newer" in problem.message
    assert "update" in problem.message


# --- one wrong thing in an otherwise good file -----------------------------------------------


@pytest.mark.parametrize("mutation,expected_place,expected_word", [
    pytest.param(changed("format", "psa-result"), "format", "not an assessment", id="wrong format"),
    pytest.param(removed("format"), "format", "not an assessment", id="no format"),
    pytest.param(changed("version", 0), "version", "not a format version", id="version 0"),
    pytest.param(changed("version", "1"), "version", "not a format version", id="version as string"),
    pytest.param(changed("version", True), "version", "not a format version", id="version true"),
    pytest.param(changed("bank.id", "okand-bank"), "bank.id", "not installed", id="unknown bank"),
    pytest.param(changed("bank.version", "2"), "bank.version", "version '2'", id="other bank version"),
    pytest.param(changed("answers[1].question", "F9.1"), "answers[1].question", "not in bank",
                 id="answer to unknown question"),
    pytest.param(changed("answers[0].value", 5), "answers[0].value", "outside the scale 0–4",
                 id="level above the scale"),
    pytest.param(changed("bank.id", "utan-na"), "answers[2].value", "Ej aktuellt",
                 id="na on a bank without na"),
    pytest.param(changed("answers[0].participant", "p9"), "answers[0].participant",
                 "not in participants", id="unknown participant"),
    pytest.param(changed("answers[3]", {"participant": "p1", "question": "F1.3", "value": 1}),
                 "answers[3]", "twice", id="duplicate answer"),
    pytest.param(changed("participants[1]", {"id": "p1", "name": "Bertil"}), "participants[1].id",
                 "used twice", id="duplicate participant id"),
    pytest.param(changed("consensus[0].question", "F9.1"), "consensus[0].question", "not in bank",
                 id="consensus for unknown question"),
    pytest.param(changed("consensus[1]", {"question": "F1.3", "value": 3}), "consensus[1].question",
                 "two consensus values", id="two consensus values"),
    pytest.param(changed("targets", {"F9": 3}), "targets.F9", "not in bank", id="target for unknown area"),
    pytest.param(changed("targets", {"F1": 5}), "targets.F1", "above the top level",
                 id="target above the scale"),
    pytest.param(changed("importance", {"F9": 2}), "importance.F9", "not in bank",
                 id="importance for unknown area"),
    pytest.param(changed("importance", {"F1": 4}), "importance.F1", "less than or equal to 3",
                 id="importance 4"),
    pytest.param(changed("importance", {"F1": "2"}), "importance.F1", "integer", id="importance as string"),
    pytest.param(changed("effort", {"F1.3": "enorm"}), "effort.F1.3", "'låg'", id="effort enorm"),
    pytest.param(changed("effort", {"F9.1": "låg"}), "effort.F9.1", "not in bank",
                 id="effort for unknown question"),
    pytest.param(changed("actions[0].activity", "F9.1"), "actions[0].activity", "not in bank",
                 id="action for unknown activity"),
    pytest.param(changed("actions[0].status", "färdig"), "actions[0].status", "'planerad'",
                 id="unknown action status"),
    pytest.param(changed("actions[0].due", "31/03/2027"), "actions[0].due", "date", id="bad due date"),
    pytest.param(changed("date", "2026-13-45"), "date", "date", id="bad date"),
    pytest.param(removed("date"), "date", "required", id="no date"),
    pytest.param(changed("organisation.kind", "landsting"), "organisation.kind", "'kommun'",
                 id="unknown organisation kind"),
    pytest.param(changed("organisation.name", "   "), "organisation.name", "at least 1 character",
                 id="blank organisation name"),
    pytest.param(changed("colour", "red"), "colour", "not a known field", id="unknown extra field"),
    pytest.param(changed("participants[0].email", "anna@example.se"), "participants[0].email",
                 "not a known field", id="unknown participant field"),
])
def test_parse_assessment__one_mistake__named_at_its_place(mutation, expected_place, expected_word):
    problem = only_problem(encoded(mutated(mutation)))

    assert problem.file == "bedomning.json"
    assert problem.place == expected_place, problem
    assert expected_word.lower() in problem.message.lower(), problem


@pytest.mark.parametrize("value", ["vet ej", 2.5, "3", True])
def test_parse_assessment__answer_value_not_an_answer__one_problem_at_value(value):
    problem = only_problem(encoded(mutated(changed("answers[0].value", value))))

    assert problem.place == "answers[0].value"


# --- several mistakes ------------------------------------------------------------------------


def test_parse_assessment__several_mistakes_against_the_bank__all_listed():
    doc = mutated(
        changed("answers[0].value", 7),
        changed("answers[1].question", "F9.1"),
        changed("targets", {"F9": 3}),
        changed("actions[0].activity", "G9.1"),
    )

    problems = problems_of(encoded(doc))

    assert [p.place for p in problems] == [
        "answers[0].value", "answers[1].question", "targets.F9", "actions[0].activity"]


def test_parse_assessment__several_mistakes_in_shape__all_listed():
    doc = mutated(
        changed("date", "igår"),
        changed("importance", {"F1": 4}),
        changed("effort", {"F1.3": "enorm"}),
        changed("participants[0].email", "anna@example.se"),
    )

    problems = problems_of(encoded(doc))

    assert sorted(p.place for p in problems) == [
        "date", "effort.F1.3", "importance.F1", "participants[0].email"]


def test_invalid_file__several_problems__first_line_counts_the_rest():
    doc = mutated(changed("answers[0].value", 7), changed("targets", {"F9": 3}))

    with pytest.raises(InvalidFile) as raised:
        parse_assessment("bedomning.json", encoded(doc), BANKS)

    assert raised.value.first_line.startswith("bedomning.json: answers[0].value: level 7")
    assert raised.value.first_line.endswith("(and 1 more problem)")


# --- files that would exhaust a reader (an upload takes this path too) -------------------------


def test_parse_assessment__nested_100000_deep__line_column_and_limit():
    problem = only_problem(b"[" * 100_000 + b"]" * 100_000)

    assert problem.place == "line 1, column 65"
    assert f"nested more than {files.MAX_JSON_DEPTH} levels" in problem.message


def test_parse_assessment__nested_past_the_limit_but_parseable__same_problem():
    deep = {"x": json.loads("[" * 100 + "]" * 100)}
    problem = only_problem(encoded({**GOOD, "organisation": deep}))

    assert problem.place.startswith("line ")
    assert "nested more than" in problem.message


@pytest.mark.parametrize("digits", [31, 5000])
def test_parse_assessment__integer_with_too_many_digits__its_place_and_the_limit(digits):
    text = json.dumps(mutated(changed("answers[0].value", 777))).replace("777", "7" * digits)

    problem = only_problem(text.encode())

    assert re.fullmatch(r"line 1, column \d+", problem.place)
    assert text[int(problem.place.split()[-1]) - 1:].startswith("7" * digits)
    assert f"number of {digits} digits (at most 30)" in problem.message


@pytest.mark.parametrize("path", [
    "answers[0].comment", "consensus[0].note", "participants[0].name", "participants[0].role",
    "organisation.name", "organisation.unit", "actions[0].title", "actions[0].owner",
    "actions[0].note",
])
@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"], ids=["NUL", "ESC", "DEL"])
def test_parse_assessment__control_character_in_a_text__named_at_its_place(path, character):
    problem = only_problem(encoded(mutated(changed(path, f"Anna{character}s text"))))

    assert problem.place == path
    assert f"control character U+{ord(character):04X} (character 5)" in problem.message


@pytest.mark.parametrize("text", ["rad ett\nrad två", "kolumn\tett", "rad\r\nny"])
def test_parse_assessment__tab_and_line_breaks_in_a_comment__kept(text):
    assessment = parse_assessment("a.json", encoded(mutated(changed("answers[0].comment", text))),
                                  BANKS)

    assert assessment.answers[0].comment == text


def test_parse_assessment__version_1_file__reads_as_version_2_with_no_follow_up_yet():
    """Format version 2 added an action-plan item's goal and follow-up; a version-1 file (as
    every earlier program wrote) reads unchanged, its items with none yet."""
    raw = json.loads(encoded(mutated(changed("version", 1))))
    raw["actions"] = [{"activity": raw["answers"][0]["question"], "title": "Utbilda",
                       "owner": "Anna", "due": "2027-01-31", "status": "pågår", "note": ""}]

    read = parse_assessment("old.json", json.dumps(raw).encode(), BANKS)

    assert read.version == FORMAT_VERSION == 2
    (item,) = read.actions
    assert (item.title, item.owner, item.status.value) == ("Utbilda", "Anna", "pågår")
    assert (item.goal, item.follow_up, item.follow_up_date) == ("", "", None)
