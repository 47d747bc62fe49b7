"""Bad question banks: each is written inline, loaded through ``assessment.bank_loader``,
and must give a Problem that names the file, the place in it and what is wrong."""

from __future__ import annotations

import re
import textwrap

import pytest

from assessment import bank_loader
from assessment.bank_loader import load_bank_file, load_banks
from assessment.problems import InvalidFile, Problem
from tests.helpers import bank_yaml, write

# A valid bank's head (0–2 scale); the tests add the ``areas:`` part.
HEAD = """\
id: test-bank
version: "1"
title: {sv: Testbank, en: Test bank}
source: {seed: "001", chapter: Test}
scale:
  levels:
    - {value: 0, label: {sv: Inte alls, en: Not at all}}
    - {value: 1, label: {sv: Delvis, en: Partly}}
    - {value: 2, label: {sv: Helt, en: Fully}}
  unknown: {label: {sv: Vet ej, en: "Don't know"}}
"""


def bank_file(folder, areas_yaml: str, name: str = "bank.yaml"):
    """A bank file made of ``HEAD`` and the given ``areas:`` part."""
    return write(folder, name, HEAD + textwrap.dedent(areas_yaml).lstrip("\n"))


def problems_of(path) -> list[Problem]:
    with pytest.raises(InvalidFile) as raised:
        load_bank_file(path)
    return raised.value.problems


def only_problem(path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def without_line(place: str) -> str:
    """``areas[0].id (line 12)`` → ``areas[0].id``."""
    return re.sub(r" \(line \d+\)$", "", place)


def assert_problem(problem: Problem, path, place: str, word: str) -> None:
    assert problem.file == str(path), problem
    assert without_line(problem.place) == place, problem
    assert word.lower() in problem.message.lower(), problem


# --- the file itself -------------------------------------------------------------------


def test_bank_file__yaml_syntax_error__place_has_line_and_column(tmp_path):
    path = write(tmp_path, "bank.yaml", """\
        id: test-bank
        version: "1"
        title: sv: Testbank
        """)

    problem = only_problem(path)

    # The second colon on line 3 ("title: sv:") is column 10.
    assert_problem(problem, path, "line 3, column 10", "YAML syntax")


def test_bank_file__not_utf8__names_the_line(tmp_path):
    path = write(tmp_path, "bank.yaml",
                 b'id: test-bank\nversion: "1"\ntitle: {sv: Sj\xe4lvskattning, en: Self-assessment}\n')

    problem = only_problem(path)

    assert_problem(problem, path, "line 3", "UTF-8")


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n"], ids=["no bytes", "only whitespace"])
def test_bank_file__empty__is_empty(tmp_path, content):
    path = write(tmp_path, "bank.yaml", content)

    assert_problem(only_problem(path), path, "", "empty")


@pytest.mark.parametrize("content", [
    "- id: test-bank\n- version: 1\n",
    "# only a comment\n",
    "just a sentence\n",
], ids=["list", "only comment", "plain string"])
def test_bank_file__not_a_mapping__asks_for_mapping(tmp_path, content):
    path = write(tmp_path, "bank.yaml", content)

    assert_problem(only_problem(path), path, "", "mapping")


def test_bank_file__over_size_limit__names_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(bank_loader, "MAX_BANK_BYTES", 100)
    path = write(tmp_path, "bank.yaml", bank_yaml({"F1": 1}))

    assert_problem(only_problem(path), path, "", "limit")


def test_bank_file__utf8_with_byte_order_mark__loads(tmp_path):
    path = write(tmp_path, "bank.yaml", b"\xef\xbb\xbf" + bank_yaml({"F1": 1}).encode("utf-8"))

    assert load_bank_file(path).id == "test-bank"


# --- the shape of the bank ---------------------------------------------------------------


@pytest.mark.parametrize("levels", [[0, 1, 3], [1, 2, 3]], ids=["gap", "not from 0"])
def test_bank_scale__levels_not_numbered_from_0_without_gaps__scale_problem(tmp_path, levels):
    path = write(tmp_path, "bank.yaml", f"""\
        id: test-bank
        version: "1"
        title: {{sv: Testbank, en: Test bank}}
        source: {{seed: "001", chapter: Test}}
        scale:
          levels:
            - {{value: {levels[0]}, label: {{sv: Inte alls, en: Not at all}}}}
            - {{value: {levels[1]}, label: {{sv: Delvis, en: Partly}}}}
            - {{value: {levels[2]}, label: {{sv: Helt, en: Fully}}}}
          unknown: {{label: {{sv: Vet ej, en: "Don't know"}}}}
        areas:
          - id: F1
            kind: focus
            name: {{sv: Område, en: Area}}
            aim: {{sv: Mål, en: Aim}}
            questions:
              - id: F1.1
                text: {{sv: Fråga, en: Question}}
                activity: {{sv: Aktivitet, en: Activity}}
                audiences: [kommun]
        """)

    problem = only_problem(path)

    assert_problem(problem, path, "scale", "without gaps")
    assert str(levels) in problem.message


def test_bank_scale__single_level__needs_two(tmp_path):
    path = write(tmp_path, "bank.yaml", """\
        id: test-bank
        version: "1"
        title: {sv: Testbank, en: Test bank}
        source: {seed: "001", chapter: Test}
        scale:
          levels:
            - {value: 0, label: {sv: Inte alls, en: Not at all}}
          unknown: {label: {sv: Vet ej, en: "Don't know"}}
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
        """)

    assert_problem(only_problem(path), path, "scale.levels", "at least 2")


def test_bank_scale__unquoted_no_read_as_boolean__label_en_problem(tmp_path):
    # YAML 1.1 reads a bare No as false: a classic trap for the label "No".
    path = write(tmp_path, "bank.yaml", """\
        id: test-bank
        version: "1"
        title: {sv: Testbank, en: Test bank}
        source: {seed: "001", chapter: Test}
        scale:
          levels:
            - {value: 0, label: {sv: Nej, en: No}}
            - {value: 1, label: {sv: Ja, en: "Yes"}}
          unknown: {label: {sv: Vet ej, en: "Don't know"}}
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
        """)

    assert_problem(only_problem(path), path, "scale.levels[0].label.en", "string")


def test_bank_question__missing_english_text__names_text_en(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Följer vi upp händelser}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
        """)

    assert_problem(only_problem(path), path, "areas[0].questions[0].text.en", "required")


@pytest.mark.parametrize("swedish", ['""', '"   "'], ids=["empty", "only spaces"])
def test_bank_area__empty_swedish_name__names_name_sv(tmp_path, swedish):
    path = bank_file(tmp_path, f"""\
        areas:
          - id: F1
            kind: focus
            name: {{sv: {swedish}, en: Area}}
            aim: {{sv: Mål, en: Aim}}
            questions:
              - id: F1.1
                text: {{sv: Fråga, en: Question}}
                activity: {{sv: Aktivitet, en: Activity}}
                audiences: [kommun]
        """)

    assert_problem(only_problem(path), path, "areas[0].name.sv", "at least 1 character")


def test_bank_question__unknown_extra_field__not_a_known_field(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
                colour: red
        """)

    assert_problem(only_problem(path), path, "areas[0].questions[0].colour", "not a known field")


def test_bank_question__wrong_audience_name__names_the_audience(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun, landsting]
        """)

    assert_problem(only_problem(path), path, "areas[0].questions[0].audiences[1]", "vardgivare")


def test_bank_question__id_of_wrong_form__wrong_form(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1-1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
        """)

    assert_problem(only_problem(path), path, "areas[0].questions[0].id", "wrong form")


def test_bank_area__unknown_time_perspective__names_it(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            time_perspective: yesterday
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
        """)

    assert_problem(only_problem(path), path, "areas[0].time_perspective", "'past'")


# --- references inside the bank ----------------------------------------------------------


def test_bank_question__duplicate_id__used_twice(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga ett, en: Question one}
                activity: {sv: Aktivitet ett, en: Activity one}
                audiences: [kommun]
              - id: F1.1
                text: {sv: Fråga två, en: Question two}
                activity: {sv: Aktivitet två, en: Activity two}
                audiences: [kommun]
        """)

    assert_problem(only_problem(path), path, "areas[0].questions[1].id", "used twice")


def test_bank_area__duplicate_id__used_twice(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område ett, en: Area one}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
          - id: F1
            kind: focus
            name: {sv: Område två, en: Area two}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.2
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
        """)

    assert_problem(only_problem(path), path, "areas[1].id", "used twice")


def test_bank_question__link_to_unknown_area__not_in_this_bank(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
              - id: F1.2
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                links: [{area: G9, source: "Planen s. 1"}]
                audiences: [kommun]
        """)

    problem = only_problem(path)

    assert_problem(problem, path, "areas[0].questions[1].links[0].area", "not in this bank")
    assert "'G9'" in problem.message


def test_bank_question__link_to_own_area__own_area(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                links: [{area: F1, source: "Planen s. 1"}]
                audiences: [kommun]
        """)

    assert_problem(only_problem(path), path, "areas[0].questions[0].links[0].area", "own area")


def test_bank_question__id_not_starting_with_area_id__must_start(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: G1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
        """)

    assert_problem(only_problem(path), path, "areas[0].questions[0].id", "must start")


# --- several problems, several files --------------------------------------------------------


def test_bank_file__several_shape_problems__all_reported(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [landsting]
              - id: F1.2
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
                colour: red
        """)

    problems = problems_of(path)

    assert {without_line(p.place) for p in problems} == {
        "areas[0].aim.en",
        "areas[0].questions[0].audiences[0]",
        "areas[0].questions[1].colour",
    }
    assert all(p.file == str(path) for p in problems)


def test_bank_file__several_reference_problems__all_reported(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                links: [{area: F1, source: "Planen s. 1"}, {area: G9, source: "Planen s. 1"}]
                audiences: [kommun]
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
        """)

    problems = problems_of(path)

    assert [(without_line(p.place), p.message.split(" ")[0]) for p in problems] == [
        ("areas[0].questions[0].links[0].area", "a"),      # … always belongs to its own area
        ("areas[0].questions[0].links[1].area", "names"),  # names area 'G9', which is not …
        ("areas[0].questions[1].id", "question"),     # question id 'F1.1' is used twice
    ]


def test_bank_problem__pydantic_error__place_has_yaml_line(tmp_path):
    path = write(tmp_path, "bank.yaml", """\
        id: test-bank
        version: "1"
        title: {sv: Testbank, en: Test bank}
        source: {seed: "001", chapter: Test}
        scale:
          levels:
            - {value: 0, label: {sv: Inte alls, en: Not at all}}
            - {value: 1, label: {sv: Helt, en: Fully}}
          unknown: {label: {sv: Vet ej, en: "Don't know"}}
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga ett, en: Question one}
                activity: {sv: Aktivitet ett, en: Activity one}
                audiences: [kommun]
              - id: F1.2
                text: {sv: Fråga två, en: Question two}
                activity: {sv: Aktivitet två, en: Activity two}
                audiences:
                  - kommun
                  - landsting
        """)

    problem = only_problem(path)

    # "- landsting" is the 25th line of the file.
    assert problem.place == "areas[0].questions[1].audiences[1] (line 25)"


def test_bank_problem__reference_error__place_has_yaml_line(tmp_path):
    path = write(tmp_path, "bank.yaml", """\
        id: test-bank
        version: "1"
        title: {sv: Testbank, en: Test bank}
        source: {seed: "001", chapter: Test}
        scale:
          levels:
            - {value: 0, label: {sv: Inte alls, en: Not at all}}
            - {value: 1, label: {sv: Helt, en: Fully}}
          unknown: {label: {sv: Vet ej, en: "Don't know"}}
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
                links:
                  - G9
        """)

    problem = only_problem(path)

    # "- G9" is the 21st line of the file.
    assert problem.place == "areas[0].questions[0].links[0] (line 21)"


def test_load_banks__broken_bank_next_to_good_one__good_one_loads(tmp_path):
    write(tmp_path, "good.yaml", bank_yaml({"F1": 1}, bank_id="good-bank"))
    broken = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: Mål, en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                links: [{area: F1, source: "Planen s. 1"}]
                audiences: [kommun]
        """, name="broken.yaml")

    result = load_banks([tmp_path])

    assert list(result.banks) == ["good-bank"]
    assert [p.file for p in result.problems] == [str(broken)]
    assert without_line(result.problems[0].place) == "areas[0].questions[0].links[0].area"


def test_load_banks__same_bank_id_in_two_files__second_file_named(tmp_path):
    first = write(tmp_path, "a.yaml", bank_yaml({"F1": 1}))
    second = write(tmp_path, "b.yml", bank_yaml({"F1": 2}))

    result = load_banks([tmp_path])

    assert result.files == {"test-bank": first}
    assert len(result.banks["test-bank"].areas[0].questions) == 1
    [problem] = result.problems
    assert_problem(problem, second, "id", "already used")
    assert str(first) in problem.message


def test_load_banks__missing_folder__folder_named(tmp_path):
    missing = tmp_path / "no-such-folder"

    result = load_banks([missing])

    assert result.banks == {}
    assert [(p.file, p.place) for p in result.problems] == [(str(missing), "")]
    assert "does not exist" in result.problems[0].message


def test_bank_file__duplicate_key__names_the_key_and_line(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(textwrap.dedent("""\
        id: dup-bank
        version: "1"
        version: "2"
        """), encoding="utf-8")

    problem = only_problem(path)

    assert problem.file == str(path)
    assert problem.place == "version (line 3)"
    assert "twice" in problem.message


def test_load_banks__folder_named_like_a_bank__reported_others_load(tmp_path):
    (tmp_path / "odd.yaml").mkdir()
    good = write(tmp_path, "good.yaml", bank_yaml({"F1": 1}))

    result = load_banks([tmp_path])

    assert list(result.banks) == ["test-bank"]
    assert [(p.file, p.message) for p in result.problems] == [
        (str(tmp_path / "odd.yaml"), "is a folder, not a file")]
    assert good.exists()


# --- built-in banks and YAML that would exhaust the loader ---------------------------------


def test_load_banks__built_in_banks__come_from_the_questions_package():
    result = load_banks(bank_loader.bank_dirs(""))

    assert sorted(result.banks) == ["kommunenkat-2023", "nationell-handlingsplan-2025"]
    assert result.problems == []


@pytest.mark.parametrize("package,words", [
    ("no_such_banks_package", "are not installed"),
    ("tests", "holds no *.yaml bank"),  # a package without banks: as if the YAML was not shipped
])
def test_load_banks__built_in_banks_missing__an_error_saying_reinstall(monkeypatch, package,
                                                                       words):
    monkeypatch.setattr(bank_loader, "BUILTIN_PACKAGE", package)

    with pytest.raises(bank_loader.MissingBuiltinBanks) as raised:
        load_banks(bank_loader.bank_dirs(""))

    assert words in str(raised.value)
    assert "reinstall the program" in str(raised.value)


@pytest.mark.parametrize("yaml_text,place,words", [
    ("id: &name test-bank\nversion: *name\n", "line 2", "alias *name"),
    ("title: &t {sv: A, en: B}\nsource: *t\n", "line 2", "alias *t"),
    ("a: " + "[" * 21 + "]" * 21 + "\n", "line 1", "nested more than 20 levels"),
    ("id: x\nversion: " + "1" * 31 + "\n", "line 2", "number of 31 digits"),
    ("id: x\nversion: -" + "1_0" * 20 + "\n", "line 2", "number of 61 digits"),
], ids=["alias of a scalar", "alias of a mapping", "21 levels", "31 digits", "signed with _"])
def test_bank_file__aliases_deep_nesting_or_huge_integers__refused_with_line(tmp_path, yaml_text,
                                                                            place, words):
    path = write(tmp_path, "bank.yaml", yaml_text)

    assert_problem(only_problem(path), path, place, words)


def test_bank_file__long_number_in_quotes__is_text_not_refused(tmp_path):
    path = bank_file(tmp_path, """\
        areas:
          - id: F1
            kind: focus
            name: {sv: Område, en: Area}
            aim: {sv: "11111111111111111111111111111111111111", en: Aim}
            questions:
              - id: F1.1
                text: {sv: Fråga, en: Question}
                activity: {sv: Aktivitet, en: Activity}
                audiences: [kommun]
        """)

    assert load_bank_file(path).areas[0].aim.sv == "1" * 38
