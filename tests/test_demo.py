"""The example assessment (issue 18): the file shipped in ``questions/demo/`` is a valid
assessment of the national bank with everything a page can show – five participants,
disagreements, knowledge gaps, Ej aktuellt, agreed levels and an action plan – and Start's
button "Öppna ett exempel" stores a fresh copy of it and opens it.

The demo's figures (worked out from the file, checked below): 5 participants × 59 questions
= 295 answers; disagreements (spread ≥ 2): G1.1, G1.7, G1.11, G1.12, G2.2, G3.3, F3.4,
F4.7 = 8, 6 of them open (G1.12 and F4.7 agreed on Samsyn); knowledge gaps (Vet ej × 3 ≥ levels + Vet ej, no agreed level): G1.2, F1.10 and
F4.6, each 4 Vet ej of 5; G1.5 has 3 of 5 but an agreed level; F2.5 is Ej aktuellt by
agreement; 5 plan items.
"""

from __future__ import annotations

from importlib import resources

import pytest

from assessment.bank_loader import load_banks
from assessment.demo import DEMO_FILE, DEMO_PACKAGE, demo_assessment, demo_bytes, is_demo
from assessment.files import parse_assessment
from scoring.score import score_assessment
from tests.test_app_pages import assessment_data, open_app, query, rerun
from tests.test_app_pages import store  # noqa: F401 (the fixture)

BANKS = load_banks().banks
BANK = "nationell-handlingsplan-2025"


def demo_score():
    demo = demo_assessment(BANKS)
    return demo, score_assessment(demo, BANKS[demo.bank.id])


def test_demo__file_validates_against_the_national_bank():
    demo = parse_assessment(DEMO_FILE, demo_bytes(), BANKS)
    assert (demo.bank.id, demo.bank.version) == (BANK, BANKS[BANK].version)
    assert demo == demo_assessment()
    assert demo.organisation.kind.value == "kommun"
    assert "exempel" in demo.organisation.name.lower()


def test_demo__five_participants_answer_every_question_in_scope():
    demo, result = demo_score()
    assert [p.role.split()[0] for p in demo.participants] == [
        "MAS", "Enhetschef", "Sjuksköterska", "Undersköterska", "Fysioterapeut"]
    in_scope = {q.id for _, q in BANKS[BANK].questions_for("kommun")}
    assert len(in_scope) == 59
    for p in demo.participants:
        assert {a.question for a in demo.answers if a.participant == p.id} == in_scope
    assert len(demo.answers) == 5 * 59
    assert result.progress == (59, 59)


def test_demo__disagreements_knowledge_gaps_vet_ej_and_ej_aktuellt():
    demo, result = demo_score()
    spread = {q.id for a in result.areas for q in a.questions if q.disagreement}
    assert spread == {"G1.1", "G1.7", "G1.11", "G1.12", "G2.2", "G3.3", "F3.4", "F4.7"}
    assert result.question("G1.12").spread == 3
    # Open disagreements: G1.12 and F4.7 have a level agreed on Samsyn.
    assert {q.id for q in result.disagreements} == spread - {"G1.12", "F4.7"}
    gaps = result.knowledge_gaps
    assert [g.question for g in gaps] == ["G1.2", "F1.10", "F4.6"]
    assert all(3 * g.unknown_answers >= g.answers for g in gaps)
    assert not result.question("G1.5").knowledge_gap  # 3 of 5 Vet ej, but a level agreed
    assert result.question("F2.5").value == "na"
    assert sum(a.value == "na" for a in demo.answers) == 5
    assert len(demo.consensus) == 5 and all(c.note for c in demo.consensus)
    assert sum(bool(a.comment) for a in demo.answers) >= 20
    assert demo.targets and demo.importance and demo.effort
    assert result.priorities  # something to prioritise


def test_demo__action_plan_items_are_complete_and_for_activities_of_the_bank():
    demo = demo_assessment(BANKS)
    questions = BANKS[BANK].question_index()
    assert 3 <= len(demo.actions) <= 5
    for item in demo.actions:
        assert item.activity in questions
        assert item.title and item.goal and item.owner and item.due and item.follow_up \
            and item.follow_up_date
    assert {item.status.value for item in demo.actions} == {"planerad", "pågår", "klar", "pausad"}


def test_demo__is_package_data_listed_in_pyproject():
    assert resources.files(DEMO_PACKAGE).joinpath(DEMO_FILE).is_file()
    import tomllib
    from pathlib import Path
    config = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    assert "demo/*.json" in config["tool"]["setuptools"]["package-data"][DEMO_PACKAGE]


def test_is_demo__only_the_example():
    assert is_demo(demo_assessment(BANKS))
    assert not is_demo(assessment_data())


def test_start__open_example__stores_a_fresh_copy_and_opens_it(store):
    at = open_app()
    assert "Öppna ett exempel" in [b.label for b in at.button]
    at.button(key="open_example").click()
    rerun(at)

    first = query(at, "a")
    assert first and [s.id for s in store.list_assessments()] == [first]
    assert at.title[0].value == "Resultat"
    assert "Exempelby kommun (exempel)" in at.sidebar.text[0].value
    saved = store.load(first)
    demo = demo_assessment(BANKS)
    assert len(saved.participants) == 5 and len(saved.answers) == len(demo.answers)
    assert len(saved.actions) == len(demo.actions) and saved.consensus == demo.consensus

    at.switch_page("views/start.py")
    rerun(at)
    assert "Det här är ett påhittat exempel" in " ".join(c.value for c in at.caption)
    at.button(key="open_example").click()
    rerun(at)
    second = query(at, "a")
    assert second != first
    assert {s.id for s in store.list_assessments()} == {first, second}


def test_start__open_example__in_english(store):
    at = open_app(lang="en")
    assert "Open an example" in [b.label for b in at.button]


@pytest.mark.parametrize("page", ["questionnaire", "consensus", "results", "prioritise", "workshop",
                                  "compare"])
def test_demo__every_page_shows_it_without_an_error(store, page):
    aid = store.create_assessment(demo_assessment(BANKS))
    at = open_app(aid, page)
    assert not at.error, [e.value for e in at.error]


def test_help__says_where_the_example_is():
    at = open_app(None, "help_page")
    assert "**Öppna ett exempel** på startsidan" in " ".join(m.value for m in at.markdown)
