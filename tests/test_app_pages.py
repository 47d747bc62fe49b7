"""Each page of the app through Streamlit's AppTest, one behaviour per test.

Every test seeds a fresh SQLite database (``PSA_DB_PATH`` in ``tmp_path``) through
``assessment.storage.Store`` with the known assessment below, opens it the way a
browser does (``?a=<id>&p=<participant>``) and checks what the page shows and what it
writes back. The expected figures are worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Sequence

import pyarrow as pa
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.testing.v1 import AppTest

from app_pages import context
from assessment.bank_loader import load_banks
from assessment.document import Action, Assessment, Participant
from scoring.priorities import BREADTH_BONUS, EFFORT_FACTOR
from scoring.questions import DISAGREEMENT_SPREAD, UNCERTAIN_SHARE
from tests.sheet_support import (add_participant, answer, has_sheet, label_of, open_expander,
                                 send, sheet, values)

ROOT = Path(__file__).resolve().parent.parent
BANK = "nationell-handlingsplan-2025"
NATIONAL = load_banks().get(BANK)

# Free text that would turn bold and run a script if it were ever rendered.
EVIL = "**bold** <script>alert(1)</script>"

# The known assessment: Exempelby kommun (kommun → 59 questions in scope: bank version 2 has
# 69 places in its areas, ten of them G1 questions shared with a focus area, 69 − 10 = 59),
# two participants.
ANNA, BO = "p1", "p2"
SEED_ANSWERS = {          # question: (Anna, Bo)   → the question's value
    "G1.1": (1, 3),                 # median 2, spread 2: a disagreement
    "G1.2": (2, 2),                 # 2
    "G1.3": ("unknown", None),      # Vet ej (Bo has not answered): a knowledge gap
    "G1.4": ("na", "na"),           # Ej aktuellt: left out of every figure
    "G1.5": (0, 4),                 # median 2, spread 4: the largest disagreement
    "G2.1": (4, 4),                 # 4
    "F1.1": (0, 1),                 # median 0,5
    "F1.2": (2, 2),                 # 2
}
# Shared questions (also_in): G1.1 is also F1's third question; G1.3, G1.4 and G1.5 are in F2.
# G1: values 2, 2, 2 → mean 2, score 50; 11 applicable (12 − G1.4), coverage 3/11, Vet ej 1/11
# G2: value 4 → score 100; coverage 1/4.
# F1: F1.1 0,5, F1.2 2 and G1.1 2 → mean 4,5/3 = 1,5, score 37,5; coverage 3/10
# F2: G1.3 a gap, G1.4 E/A, G1.5 2 → mean 2, score 50; 10 applicable, coverage 1/10, Vet ej 1/10
# G3, G4, F3–F5: nothing answered → no score, coverage 0, Vet ej 0.
# Every score rests on values for fewer than half of its area's questions: G1, G2, F1 and F2
# are shown as "för lite underlag", not drawn in the radar or the time perspective.
# Overall = 100 × mean of the distinct questions' levels ÷ 4, each question once:
#   (2 + 2 + 2 + 4 + 0,5 + 2) / 6 = 12,5/6 = 2,083 → 52,08 → "52"
# Knowledge gaps: 1 (G1.3).  Vet ej answers: 1 of the 13 answers that are not E/A
#   (Anna 8 − G1.4, Bo 7 − G1.4) = 7,7 % → "8 %"


# --- fixtures and builders ---------------------------------------------------------------

@pytest.fixture
def store(app_store):
    """The app's own database (``app_store`` in tests/conftest.py)."""
    return app_store


def assessment_data(*, name: str = "Exempelby kommun", unit: str = "Hemtjänst",
                    kind: str = "kommun", date: str = "2026-03-01",
                    people: Sequence[tuple[str, str, str]] = ((ANNA, "Anna", "MAS"), (BO, "Bo", "")),
                    answers: dict[str, tuple] | None = None, **extra) -> Assessment:
    """An assessment of the national bank; ``answers`` maps a question to one value per
    person in ``people`` order (``None``: that person has not answered)."""
    answers = SEED_ANSWERS if answers is None else answers
    ids = [p[0] for p in people]
    return Assessment.model_validate({
        "bank": {"id": BANK, "version": NATIONAL.version},
        "organisation": {"name": name, "kind": kind, "unit": unit},
        "date": date,
        "participants": [{"id": pid, "name": n, "role": r} for pid, n, r in people],
        "answers": [{"participant": pid, "question": q, "value": v}
                    for q, values in answers.items() for pid, v in zip(ids, values) if v is not None],
        **extra,
    })


@pytest.fixture
def aid(store) -> str:
    """The id of the known assessment, stored."""
    return store.create_assessment(assessment_data())


@pytest.fixture
def whole_aid(store) -> str:
    """The known assessment of the whole organisation (no unit): every activity ranked."""
    return store.create_assessment(assessment_data(unit=""))


def open_app(aid: str | None = None, page: str = "start", participant: str | None = None,
             lang: str | None = None) -> AppTest:
    """The app as a browser opens it: ``?a=…&p=…&lang=…``, then the given page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (("a", aid), ("p", participant), ("lang", lang)):
        if value:
            at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    if page != "start":
        goto(at, page)
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"views/{page}.py")
    return rerun(at)


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def query(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


# --- reading what the page shows ----------------------------------------------------------

MARKDOWN_ELEMENTS = {"markdown", "caption", "title", "header", "subheader",
                     "success", "info", "warning", "error"}


def elements(at: AppTest):
    """Every element on the page and in the sidebar, in order."""
    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)
    yield from walk(at.main)
    yield from walk(at.sidebar)


def markdown_bodies(at: AppTest) -> list[str]:
    """The source of every element Streamlit renders as Markdown."""
    return [e.value for e in elements(at) if e.type in MARKDOWN_ELEMENTS] + [t.value for t in at.toast]


def shown(markdown: str) -> str:
    """What a reader sees of Markdown text whose special characters are backslash-escaped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in elements(at) if e.type == kind]


def question_headers(at: AppTest) -> list[str]:
    """The ids of the questions shown, from their "**G1.1** text" lines."""
    return [m.group(1) for body in texts(at, "markdown") if (m := re.match(r"\*\*([A-Z]\d\.\d+)\*\*", body))]


def table(at: AppTest, column: str):
    """The (first) dataframe that has this column."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no dataframe with a column {column!r}")


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]


def layer_rows(spec: dict, layer: dict) -> list[dict]:
    data = layer.get("data") or spec.get("data") or {}
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def named_layer(spec: dict, name: str) -> list[dict]:
    for layer in spec.get("layer", []):
        if layer.get("name") == name:
            return layer_rows(spec, layer)
    raise AssertionError(f"no layer {name!r}")


def chart_with_layer(at: AppTest, name: str) -> dict:
    for spec in chart_specs(at):
        if any(layer.get("name") == name for layer in spec.get("layer", [])):
            return spec
    raise AssertionError(f"no chart with a layer {name!r}")


def shared_rows(at: AppTest, field: str) -> list[dict]:
    """The rows of the chart whose layers share one data set holding ``field`` (e.g.
    "position" for the heatmap). Streamlit sends such data beside the spec, as Arrow."""
    for element in at.get("vega_lite_chart"):
        if element.proto.HasField("data"):
            rows = pa.ipc.open_stream(element.proto.data.data).read_all().to_pylist()
            if rows and field in rows[0]:
                return rows
    raise AssertionError(f"no chart with rows holding {field!r}")


def text_encoding(at: AppTest, field: str) -> str:
    """The field the text layer of that chart writes in each mark."""
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        if field in element.proto.spec and element.proto.HasField("data"):
            for layer in spec["layer"]:
                if layer["mark"]["type"] == "text":
                    return layer["encoding"]["text"]["field"]
    raise AssertionError("no text layer")


# --- Start ---------------------------------------------------------------------------------

def test_start__saved_assessments__listed_with_hand_computed_progress(store, aid):
    # An earlier one of the same unit: 2 questions answered by one person of 59 in scope.
    store.create_assessment(assessment_data(date="2025-03-01", people=[(ANNA, "Anna", "")],
                                            answers={"G1.1": (1,), "G3.1": (3,)}))
    # A care provider: 58 questions in scope (G1.5, for huvudmän only, is the shared question
    # that replaced F2.7: 59 − 1 = 58).
    store.create_assessment(assessment_data(name="Vårdcentralen Ek", unit="", kind="vardgivare",
                                            answers={"G1.1": (2, None), "F2.2": (None, 1)}))
    # A kommun answering the care providers' questions: 58 in scope too.
    store.create_assessment(assessment_data(name="Hemtjänsten Syd", unit="", audience="vardgivare",
                                            answers={"G1.1": (2, 2)}))
    at = open_app()

    listed = table(at, "Besvarat")
    rows = {(r["Organisation"], str(r["Datum"])): r for r in listed.to_dict("records")}
    assert set(rows) == {("Exempelby kommun", "2026-03-01"), ("Exempelby kommun", "2025-03-01"),
                         ("Vårdcentralen Ek", "2026-03-01"), ("Hemtjänsten Syd", "2026-03-01")}
    assert rows["Hemtjänsten Syd", "2026-03-01"]["Besvarat"] == pytest.approx(1 / 58)
    # 8 questions have an answer (G1.1–G1.5, G2.1, F1.1, F1.2) of 59 (shared ones once).
    assert rows["Exempelby kommun", "2026-03-01"]["Besvarat"] == pytest.approx(8 / 59)
    assert rows["Exempelby kommun", "2025-03-01"]["Besvarat"] == pytest.approx(2 / 59)
    assert rows["Vårdcentralen Ek", "2026-03-01"]["Besvarat"] == pytest.approx(2 / 58)
    assert rows["Exempelby kommun", "2026-03-01"]["Deltagare"] == 2
    assert rows["Exempelby kommun", "2025-03-01"]["Deltagare"] == 1


def test_start__open_saved__opens_it_in_the_questionnaire(store, aid):
    other = store.create_assessment(assessment_data(name="Annanstad kommun", unit=""))
    at = open_app()
    at.selectbox(key="open_choice").select(other)
    at.button(key="open_saved").click()
    rerun(at)

    assert query(at, "a") == other
    assert at.title[0].value == "Självskattning"
    assert "Annanstad kommun" in at.sidebar.text[0].value


def test_start__create_with_empty_name__shows_error_and_creates_nothing(store):
    at = open_app()
    at.text_input(key="new_org").input("   ")
    at.text_input(key="new_unit").input("Hemtjänst")
    next(b for b in at.button if (b.key or "").startswith("FormSubmitter:new_assessment")).click()
    rerun(at)

    assert [e.value for e in at.error] == ["Skriv organisationens namn."]
    assert store.list_assessments() == []
    assert query(at, "a") is None
    assert at.title[0].value == "Självskattning – Agera för säker vård"


def test_start__create__stores_the_details_and_opens_it(store):
    at = open_app()
    at.text_input(key="new_org").input("Exempelby kommun")
    at.selectbox(key="new_kind").select("kommun")
    at.text_input(key="new_unit").input("Hemtjänst")
    at.date_input(key="new_date").set_value(dt.date(2026, 4, 1))
    at.selectbox(key="new_bank").select(BANK)
    at.selectbox(key="new_audience").select("vardgivare")
    next(b for b in at.button if (b.key or "").startswith("FormSubmitter:new_assessment")).click()
    rerun(at)

    [summary] = store.list_assessments()
    created = store.load(summary.id)
    assert (created.organisation.name, created.organisation.kind.value, created.organisation.unit,
            created.date, created.bank.id, created.audience.value) == (
        "Exempelby kommun", "kommun", "Hemtjänst", dt.date(2026, 4, 1), BANK, "vardgivare")
    assert query(at, "a") == summary.id
    assert at.title[0].value == "Självskattning"



def test_start__new_assessment__the_national_plan_is_preselected(store):
    at = open_app()
    assert at.selectbox(key="new_bank").value == BANK == "nationell-handlingsplan-2025"


def test_start__bank_without_questions_for_the_audience__error_and_nothing_created(store):
    # Kommunenkät 2023 asks municipalities only: a region gets none of its 31 questions.
    at = open_app()
    at.text_input(key="new_org").input("Region Exempel")
    at.selectbox(key="new_kind").select("region")
    at.selectbox(key="new_bank").select("kommunenkat-2023")
    next(b for b in at.button if (b.key or "").startswith("FormSubmitter:new_assessment")).click()
    rerun(at)

    [error] = [e.value for e in at.error]
    assert error.startswith("Frågebanken ") and "har inga frågor för Region." in error
    assert store.list_assessments() == [] and query(at, "a") is None


@pytest.mark.parametrize("page", ["questionnaire", "consensus", "results", "prioritise", "workshop"])
def test_pages__assessment_without_questions_in_scope__say_so(store, page):
    # An uploaded file can still hold such an assessment (the format allows it).
    kommunenkat = load_banks().get("kommunenkat-2023")
    doc = assessment_data(people=[(ANNA, "Anna", "")], answers={}).to_json_dict()
    doc.update(bank={"id": kommunenkat.id, "version": kommunenkat.version}, audience=None)
    doc["organisation"]["kind"] = "region"
    aid = store.create_assessment(Assessment.model_validate(doc))
    at = open_app(aid, page, participant=ANNA)

    assert [w.value for w in at.warning] == [
        "Frågebanken har inga frågor för Region, så det finns inget att skatta här. Skapa en ny "
        "självskattning med en annan frågebank eller målgrupp."]
    assert not has_sheet(at) and not at.get("vega_lite_chart") and not at.dataframe


BROKEN_FILES = [
    pytest.param(b'{"format": "psa-assessment", ', "line 1, column 30", id="not-json"),
    pytest.param(b'{"format": "something-else", "version": 1}', ": format:", id="not-an-assessment"),
    pytest.param(json.dumps({**assessment_data().to_json_dict(),
                             "bank": {"id": "okand-bank", "version": "1"}}).encode(),
                 ": bank.id:", id="unknown-bank"),
    pytest.param(json.dumps({**assessment_data().to_json_dict(),
                             "answers": [{"participant": ANNA, "question": "G1.1", "value": 7}]}).encode(),
                 ": answers[0].value:", id="level-outside-scale"),
]


@pytest.mark.parametrize("content,place", BROKEN_FILES)
def test_start__upload_bad_file__error_names_the_place_and_open_assessment_untouched(
        store, aid, content, place):
    before = store.load(aid)
    at = open_app(aid)
    at.file_uploader(key="upload_json").upload("trasig.json", content, "application/json")
    rerun(at)

    assert [shown(e.value) for e in at.error] == [
        "Filen trasig.json kunde inte läsas in. Inget har ändrats."]
    [problems] = [c.value for c in at.code]
    assert problems.startswith("trasig.json") and place in problems, problems
    assert not any(b.key == "upload_open" for b in at.button)  # nothing to save
    assert query(at, "a") == aid
    assert [s.id for s in store.list_assessments()] == [aid]
    assert store.load(aid) == before


def test_start__upload_valid_file__saved_as_a_new_assessment_only_when_asked(store, aid):
    upload = assessment_data(name="Uppladdad kommun", unit="")
    at = open_app(aid)
    at.file_uploader(key="upload_json").upload("skattning.json", upload.model_dump_json().encode(),
                                               "application/json")
    rerun(at)
    assert [shown(s.value) for s in at.success] == [
        "Filen gäller Uppladdad kommun, 2026-03-01, med 15 svar."]
    assert len(store.list_assessments()) == 1 and query(at, "a") == aid

    at.button(key="upload_open").click()
    rerun(at)
    new_id = query(at, "a")
    assert new_id != aid and len(store.list_assessments()) == 2
    saved = store.load(new_id)
    by_person = lambda a: (a.participant, a.question)  # noqa: E731 (stored per participant)
    assert saved.model_copy(update={"answers": sorted(saved.answers, key=by_person)}) == \
        upload.model_copy(update={"answers": sorted(upload.answers, key=by_person)})
    assert at.title[0].value == "Resultat"


# --- Självskattning ------------------------------------------------------------------------

@pytest.fixture
def english_between_runs(monkeypatch):
    """AppTest formats the last run's widget values *between* runs, outside the session, where
    ``context.ui()`` cannot see the session's language (a browser sends the label it shows, so
    this is AppTest only). Outside a run, the language is English in the tests that use this."""
    in_run = context.ui

    def ui():
        return in_run() if get_script_run_ctx(suppress_warning=True) else context.UiState(lang="en")

    monkeypatch.setattr(context, "ui", ui)


def test_questionnaire__first_area__shows_aim_and_hand_computed_progress(aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    g1 = NATIONAL.area("G1")
    data = sheet(at)

    assert data["area"]["title"] == f"G1 · {g1.name.sv}"
    assert data["area"]["aim"] == g1.aim.sv
    # Anna answered 8 of the 59 questions (each once), 5 of the 12 in G1.
    assert data["overall"]["text"] == "Totalt besvarat: 8 av 59"
    assert (data["area"]["done"], data["area"]["total"]) == (5, 12)
    assert [q["id"] for q in data["questions"]] == [q.id for q in g1.questions]
    assert data["questions"][0]["text"] == g1.questions[0].text.sv


def test_questionnaire__other_participant__own_progress_and_answers(aid):
    at = open_app(aid, "questionnaire", participant=BO)
    data = sheet(at)

    # Bo answered 7 (not G1.3), 4 of them in G1.
    assert data["overall"]["text"] == "Totalt besvarat: 7 av 59"
    assert (data["area"]["done"], data["area"]["total"]) == (4, 12)
    assert values(at)["G1.1"] == 3 and values(at)["G1.3"] is None


def test_questionnaire__focus_area__shows_its_time_perspective(aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    send(at, kind="area", area="F1")
    data = sheet(at)

    assert data["area"]["title"] == f"F1 · {NATIONAL.area('F1').name.sv}"
    assert data["area"]["time"] == "Tidsperspektiv: bakåt – det som redan har hänt."
    # F1.1, F1.2 and the shared G1.1 (F1's third question) of F1's 10.
    assert (data["area"]["done"], data["area"]["total"]) == (3, 10)


def test_questionnaire__options__scale_labels_then_vet_ej_and_ej_aktuellt(aid):
    at = open_app(aid, "questionnaire", participant=ANNA)

    assert [o["label"] for o in sheet(at)["options"]] == [
        "0 – Saknas", "1 – Påbörjat", "2 – Delvis etablerat", "3 – Etablerat",
        "4 – Integrerat och lärande", "Vet ej", "Ej aktuellt"]
    assert sheet(at)["options"][0]["hint"] == NATIONAL.scale.levels[0].descriptor.sv
    assert label_of(at, "G1.1") == "1 – Påbörjat"
    assert label_of(at, "G1.3") == "Vet ej"
    assert label_of(at, "G1.4") == "Ej aktuellt"


def test_questionnaire__answer__written_at_once_and_progress_moves(store, aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    answer(at, "G1.6", "unknown")

    answers = {(a.participant, a.question): a.value for a in store.load(aid).answers}
    assert answers[ANNA, "G1.6"] == "unknown"
    data = sheet(at)
    assert data["overall"]["text"] == "Totalt besvarat: 9 av 59"
    assert (data["area"]["done"], data["area"]["total"]) == (6, 12)
    assert next(q["status"] for q in data["questions"] if q["id"] == "G1.6") == "💾 Sparat"
    assert values(at)["G1.6"] == "unknown"


def test_questionnaire__new_level__keeps_the_comment(store, aid):
    store.set_answer(aid, ANNA, "G1.2", 2, "Enligt rutinen")
    at = open_app(aid, "questionnaire", participant=ANNA)
    answer(at, "G1.2", 4)

    saved = {a.question: (a.value, a.comment) for a in store.load(aid).answers if a.participant == ANNA}
    assert saved["G1.2"] == (4, "Enligt rutinen")


def test_questionnaire__comment__saved_with_the_answer(store, aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    send(at, kind="comment", question="G1.1", text="Rutin finns men följs inte upp")

    saved = {a.question: (a.value, a.comment) for a in store.load(aid).answers if a.participant == ANNA}
    assert saved["G1.1"] == (1, "Rutin finns men följs inte upp")
    assert next(q["comment"] for q in sheet(at)["questions"] if q["id"] == "G1.1") == \
        "Rutin finns men följs inte upp"


def test_questionnaire__comment_without_answer__not_saved_and_says_why(store, aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    before = store.load(aid)
    send(at, kind="comment", question="G1.7", text="Vet inte än")

    assert store.load(aid).answers == before.answers
    status = next(q["status"] for q in sheet(at)["questions"] if q["id"] == "G1.7")
    assert status == "Välj ett svar först – kommentaren sparas tillsammans med svaret."


def test_questionnaire__clear__removes_the_answer_and_its_comment(store, aid):
    store.set_answer(aid, ANNA, "G1.2", 2, "Enligt rutinen")
    at = open_app(aid, "questionnaire", participant=ANNA)
    send(at, kind="clear", question="G1.2")

    assert (ANNA, "G1.2") not in {(a.participant, a.question) for a in store.load(aid).answers}
    g12 = next(q for q in sheet(at)["questions"] if q["id"] == "G1.2")
    assert (g12["option"], g12["comment"], g12["status"]) == (None, "", "Svaret är borttaget")
    assert sheet(at)["overall"]["text"] == "Totalt besvarat: 7 av 59"


@pytest.mark.parametrize("event, problem", [
    ({"kind": "answer", "question": "G1.1", "option": 7}, "option 7 is not one of the scale's 7"),
    ({"kind": "answer", "question": "X9.9", "option": 1}, "question 'X9.9' is not in"),
    ({"kind": "comment", "question": "G1.1", "text": "x" * 2001}, "at most 2000 characters"),
    ({"kind": "area", "area": "F9"}, "area 'F9' is not in this assessment"),
    ({"kind": "delete-everything"}, "unknown event kind"),
])
def test_questionnaire__bad_event__message_and_nothing_changed(store, aid, event, problem):
    at = open_app(aid, "questionnaire", participant=ANNA)
    before = store.load(aid)
    send(at, **event)

    assert store.load(aid) == before
    assert len(at.error) == 1 and problem in shown(at.error[0].value), [e.value for e in at.error]
    assert sheet(at)["area"]["id"] == "G1"


def test_questionnaire__jump__goes_to_the_first_unanswered_question(store, aid):
    # Cecilia has answered all of G1 (12 of 59; 59 − 12 = 47 left, the ten shared G1 questions
    # in the focus areas counted as answered), so her first unanswered question is G2.1.
    store.add_participant(aid, Participant(id="p3", name="Cecilia"))
    for q in NATIONAL.area("G1").questions:
        store.set_answer(aid, "p3", q.id, 3)
    at = open_app(aid, "questionnaire", participant="p3")
    data = sheet(at)
    assert data["area"]["id"] == "G1"
    assert (data["missing"], data["first_missing"]) == (47, {"area": "G2", "question": "G2.1"})
    assert data["texts"]["jump"].format(count=47) == "Till första obesvarade (47 kvar)"

    send(at, kind="jump")
    data = sheet(at)
    assert data["area"]["title"] == f"G2 · {NATIONAL.area('G2').name.sv}"
    assert data["focus"] == {"question": "G2.1", "seq": 1}

    # Answering there keeps the area.
    answer(at, "G2.1", 2)
    assert sheet(at)["area"]["id"] == "G2"
    assert (sheet(at)["area"]["done"], sheet(at)["area"]["total"]) == (1, 4)


def test_questionnaire__next_and_previous_area(aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    assert (sheet(at)["previous"], sheet(at)["next"]) == (None, "G2")
    send(at, kind="area", area=sheet(at)["next"])
    assert sheet(at)["area"]["id"] == "G2"
    assert (sheet(at)["previous"], sheet(at)["next"]) == ("G1", "G3")

    send(at, kind="area", area=sheet(at)["previous"])
    assert sheet(at)["area"]["id"] == "G1"


def test_questionnaire__jump_from_a_later_area__goes_back_to_the_gap(aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    send(at, kind="area", area="F5")
    assert sheet(at)["next"] is None
    send(at, kind="jump")

    # Anna's first unanswered question is G1.6.
    assert sheet(at)["area"]["id"] == "G1"
    assert sheet(at)["focus"]["question"] == "G1.6"


def test_questionnaire__area_tabs__hand_computed_counts(aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    tabs = {a["id"]: (a["done"], a["total"]) for a in sheet(at)["areas"]}

    # Anna: G1.1–G1.5, G2.1, F1.1 and F1.2 (SEED_ANSWERS). A shared question counts in each of
    # its areas: F1 holds F1.1, F1.2 and G1.1 (3 of 10); F2 holds G1.3, G1.4 and G1.5 (3 of 11).
    assert tabs["G1"] == (5, 12) and tabs["G2"] == (1, 4) and tabs["F1"] == (3, 10)
    assert tabs["F2"] == (3, 11)
    assert tabs["G3"] == (0, 4) and tabs["F5"] == (0, 9)
    # Per area: 5 + 1 + 3 + 3 = 12 of 12 + 4 + 4 + 5 + 10 + 11 + 6 + 8 + 9 = 69 places;
    # overall each question once: 8 of 59.
    assert sum(done for done, _ in tabs.values()) == 12
    assert sum(total for _, total in tabs.values()) == 69
    assert sheet(at)["overall"]["text"] == "Totalt besvarat: 8 av 59"


def test_questionnaire__shared_question__answered_once_in_g1_shows_in_f1_and_counts_once(store):
    # Cecilia alone, nothing answered yet. G1.1 is also F1's third question (also_in).
    aid = store.create_assessment(assessment_data(people=[("p3", "Cecilia", "")], answers={}))
    at = open_app(aid, "questionnaire", participant="p3")
    assert sheet(at)["area"]["id"] == "G1"
    answer(at, "G1.1", 2)

    # Stored once, under its one id.
    assert [(a.participant, a.question, a.value) for a in store.load(aid).answers] == [
        ("p3", "G1.1", 2)]
    data = sheet(at)
    # 1 of 59 overall (not 2 of 69); 1 of 12 in G1 and 1 of 10 in F1, where it is listed too.
    assert (data["overall"]["done"], data["overall"]["total"]) == (1, 59)
    assert data["overall"]["text"] == "Totalt besvarat: 1 av 59"
    tabs = {a["id"]: (a["done"], a["total"]) for a in data["areas"]}
    assert tabs["G1"] == (1, 12) and tabs["F1"] == (1, 10)
    assert sum(done for done, _ in tabs.values()) == 2

    send(at, kind="area", area="F1")
    f1 = sheet(at)
    assert f1["area"]["id"] == "F1" and (f1["area"]["done"], f1["area"]["total"]) == (1, 10)
    assert [q["id"] for q in f1["questions"]][:3] == ["F1.1", "F1.2", "G1.1"]
    g11 = next(q for q in f1["questions"] if q["id"] == "G1.1")
    assert g11["option"] == 2 and values(at)["G1.1"] == 2          # the same option, "2 – …"
    assert label_of(at, "G1.1") == "2 – Delvis etablerat"
    assert g11["shared"].startswith("Samma aktivitet finns också i G1")
    # Still one answer, and the overall still counts it once.
    assert f1["overall"]["text"] == "Totalt besvarat: 1 av 59"
    assert len(store.load(aid).answers) == 1


def test_questionnaire__add_participant__stored_and_chosen(store, aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    add_participant(at, "Cecilia", "Enhetschef")

    assert [(p.id, p.name, p.role) for p in store.load(aid).participants][-1] == (
        "p3", "Cecilia", "Enhetschef")
    who = at.selectbox(key=f"q_who_{aid}")
    assert who.value == "p3" and who.proto.set_value  # the browser shows Cecilia too
    assert query(at, "p") == "p3"
    assert sheet(at)["overall"]["text"] == "Totalt besvarat: 0 av 59"

    # The next answer is Cecilia's, not Anna's.
    answer(at, "G1.1", 4)
    assert {(a.participant, a.value) for a in store.load(aid).answers if a.question == "G1.1"} == {
        (ANNA, 1), (BO, 3), ("p3", 4)}


def test_open_assessment__change_in_another_window__shown_on_the_next_run(store, aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    rerun(at)
    assert at.selectbox(key=f"q_who_{aid}").options == ["Anna (MAS)", "Bo"]

    store.add_participant(aid, Participant(id="p3", name="Cecilia"))  # e.g. another window
    rerun(at)
    assert "Cecilia" in at.selectbox(key=f"q_who_{aid}").options


def test_questionnaire__folded_sections__drawn_only_when_opened(aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    # Participants exist, so both sections are folded and draw nothing.
    assert [e.label for e in at.expander] == ["Deltagare", "Svara offline i Excel"]
    assert not at.text_input and not at.get("file_uploader") and not at.get("download_button")
    assert has_sheet(at)

    open_expander(at, "excel")
    assert [u.proto.label for u in at.get("file_uploader")] == [
        "Ifyllda svarsformulär (.xlsx, en fil per deltagare)"]
    assert [b.proto.label for b in at.get("download_button")] == ["Ladda ner tomt svarsformulär (Excel)"]
    assert has_sheet(at)


def test_questionnaire__participants__folds_after_the_first_and_stays_open_for_more(store):
    aid = store.create_assessment(assessment_data(people=[], answers={}))
    at = open_app(aid, "questionnaire")
    assert at.text_input  # nobody yet: the form is open

    add_participant(at, "Anna", "MAS")
    assert not at.text_input and has_sheet(at)  # folded: the sheet comes first
    add_participant(at, "Bo", "")  # unfolds it
    add_participant(at, "Cecilia", "")  # still open: several can be added in a row
    assert [p.name for p in store.load(aid).participants] == ["Anna", "Bo", "Cecilia"]
    assert at.text_input


def test_questionnaire__own_answers__shown_by_the_whole_page_with_another_windows(store, aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    answer(at, "G1.6", 3)           # a first answer
    answer(at, "G1.1", "unknown")   # a changed one
    send(at, kind="clear", question="G1.5")
    send(at, kind="comment", question="G1.6", text="Enligt rutinen")
    rerun(at)                       # e.g. another participant is chosen: the whole page runs

    saved = store.participant_answers(aid, ANNA)
    assert values(at) == {q: saved[q][0] if q in saved else None for q in values(at)}
    assert (values(at)["G1.6"], values(at)["G1.1"], values(at)["G1.5"]) == (3, "unknown", None)
    assert next(q["comment"] for q in sheet(at)["questions"] if q["id"] == "G1.6") == \
        "Enligt rutinen"
    assert sheet(at)["overall"]["text"] == "Totalt besvarat: 8 av 59"

    store.set_answer(aid, ANNA, "G1.7", 4)  # another window writes, then this one answers
    answer(at, "G1.8", 2)
    rerun(at)
    assert (values(at)["G1.7"], values(at)["G1.8"]) == (4, 2)
    assert {(a.participant, a.question, a.value) for a in store.load(aid).answers
            if a.question in ("G1.7", "G1.8")} == {(ANNA, "G1.7", 4), (ANNA, "G1.8", 2)}


# What a click on the sheet reruns in the browser: only the sheet's fragment, to which the
# page hands no answers. (AppTest runs the whole script, so this page holds just the open
# assessment, read once per run as the app's frame does, and the fragment.)
FRAGMENT_RUN = """\
from app_pages import answer_sheet, context
from assessment.answer_sheet import StoreAnswers
from assessment.progress import scope

context.begin_run()
context.open_assessment({aid!r}, {pid!r})
aid, assessment, bank = context.current()
answer_sheet.sheet(StoreAnswers(context.store(), aid, {pid!r}), bank, scope(assessment, bank))
"""


def test_sheet_rerun__shows_its_own_write_and_another_windows(store, aid, tmp_path):
    script = tmp_path / "fragment_run.py"
    script.write_text(FRAGMENT_RUN.format(aid=aid, pid=ANNA), encoding="utf-8")
    at = AppTest.from_file(str(script), default_timeout=60)
    at.run()

    answer(at, "G1.6", 3)
    assert values(at)["G1.6"] == 3 and values(at)["G1.1"] == 1
    saved = store.participant_answers(aid, ANNA)  # the sheet shows what the database holds
    assert values(at) == {q: saved[q][0] if q in saved else None for q in values(at)}

    store.set_answer(aid, ANNA, "G1.7", 4)  # another window, then this one answers again
    answer(at, "G1.8", 2)
    assert values(at)["G1.7"] == 4 and values(at)["G1.8"] == 2

    store.set_answer(aid, ANNA, "G2.2", 1)  # another window; this one only turns to G2
    send(at, kind="area", area="G2")
    assert sheet(at)["area"]["id"] == "G2" and values(at)["G2.2"] == 1


def test_open_assessment__workshop_opened_elsewhere__locked_on_the_next_run(store, aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    answer(at, "G1.6", 3)
    assert has_sheet(at)

    store.open_workshop(aid)  # the facilitator opens a live workshop in another window
    rerun(at)
    assert not has_sheet(at)
    assert at.warning[0].value.startswith("Den här självskattningen körs som workshop.")


def test_questionnaire__add_participant__one_run_draws_the_new_sheet(store, aid, script_runs):
    at = open_expander(open_app(aid, "questionnaire", participant=ANNA), "people")
    script_runs.clear()
    add_participant(at, "Cecilia", "Enhetschef")

    assert len(script_runs) == 1
    assert at.selectbox(key=f"q_who_{aid}").value == "p3"
    assert sheet(at)["overall"]["text"] == "Totalt besvarat: 0 av 59"


def test_start__delete_the_open_assessment__one_run_closes_it_and_lists_the_rest(
        store, aid, script_runs):
    other = store.create_assessment(assessment_data(people=[], answers={}))
    at = open_app(aid)
    at.selectbox(key="open_choice").set_value(aid)
    at = rerun(at)
    script_runs.clear()

    at.button(key="delete_saved").click()
    rerun(at)

    assert len(script_runs) == 1
    assert [s.id for s in store.list_assessments()] == [other]
    assert len(at.selectbox(key="open_choice").options) == 1  # the other one, listed at once
    assert query(at, "a") is None


def test_start__delete_of_one_deleted_meanwhile__said_in_words_not_a_traceback(store, aid):
    other = store.create_assessment(assessment_data(people=[], answers={}))
    at = open_app(aid)
    at.selectbox(key="open_choice").set_value(aid)
    at = rerun(at)
    store.delete_assessment(aid)  # in another window, after the page was drawn

    at.button(key="delete_saved").click()
    at = rerun(at)

    assert not at.exception
    # the open one cannot be opened any more, and the delete says why it did nothing
    assert [e.value.split(":")[0] for e in at.error] == [
        "Självskattningen kunde inte öppnas", "Ändringen sparades inte"]
    assert f"there is no assessment with id {aid!r}" in at.error[1].value
    assert [s.id for s in store.list_assessments()] == [other]


def test_questionnaire__excel_forms__imported_once_and_the_result_said_once(
        store, aid, script_runs):
    from assessment.excel import answer_form
    from tests.test_excel_forms import fill_form

    form = fill_form(answer_form(NATIONAL, "kommun"), {"G1.1": 2, "G1.2": 4}, name="Cia",
                     role="SSK")
    at = open_expander(open_app(aid, "questionnaire", participant=ANNA), "excel")
    at.file_uploader(key=f"form_upload|{aid}").upload(
        "cia.xlsx", form, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    rerun(at)
    assert "1 formulär med sammanlagt 2 svar är klara att läsas in." in texts(at, "success")
    script_runs.clear()

    at.button(key="form_apply").click()
    rerun(at)

    assert len(script_runs) == 1
    assert [(p.name, p.role) for p in store.load(aid).participants][-1] == ("Cia", "SSK")
    added = "1 nya deltagare med sina svar har lagts till."
    assert sum(added in s for s in texts(at, "success")) == 1
    assert "De här formulären är redan inlästa." in texts(at, "info")
    assert not at.error and not any(added in s for s in texts(rerun(at), "success"))  # once


def test_questionnaire__excel_forms__import_refused__said_once_nobody_added(
        store, aid, monkeypatch):
    from assessment.excel import answer_form
    from assessment.storage import Store, StorageError
    from tests.test_excel_forms import fill_form

    def refuse(*args, **kwargs):
        raise StorageError("stängd")
    monkeypatch.setattr(Store, "add_participants", refuse)
    at = open_expander(open_app(aid, "questionnaire", participant=ANNA), "excel")
    at.file_uploader(key=f"form_upload|{aid}").upload(
        "cia.xlsx", fill_form(answer_form(NATIONAL, "kommun"), {"G1.1": 2}, name="Cia"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    rerun(at)
    at.button(key="form_apply").click()
    rerun(at)

    (refused,) = [e.value for e in at.error]
    assert "stängd" in refused and len(store.load(aid).participants) == 2
    assert any(b.key == "form_apply" for b in at.button)  # may be tried again
    assert not rerun(at).error  # once


def test_questionnaire__add_participant_without_name__error_and_nothing_stored(store, aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    add_participant(at, "  ", "MAS")

    assert "Skriv deltagarens namn." in [e.value for e in at.error]
    assert len(store.load(aid).participants) == 2


def test_questionnaire__no_participants__answer_as_a_team(store):
    aid = store.create_assessment(assessment_data(people=[], answers={}))
    at = open_app(aid, "questionnaire")
    assert "Lägg till en deltagare" in at.info[0].value
    assert not has_sheet(at)

    at.button(key="q_team").click()
    rerun(at)
    assert [(p.id, p.name) for p in store.load(aid).participants] == [("team", "Gruppen")]
    assert values(at)["G1.1"] is None
    answer(at, "G1.1", 2)
    assert [(a.participant, a.value) for a in store.load(aid).answers] == [("team", 2)]


def test_questionnaire__english__texts_from_the_english_catalogue_and_bank(aid, english_between_runs):
    at = open_app(aid, "questionnaire", participant=ANNA, lang="en")
    g1 = NATIONAL.area("G1")
    data = sheet(at)

    assert at.title[0].value == "Self-assessment"
    assert data["area"]["title"] == f"G1 · {g1.name.en}"
    assert data["area"]["aim"] == g1.aim.en
    assert data["overall"]["text"] == "Answered in total: 8 of 59"
    assert data["texts"]["area_progress"].format(done=5, total=12) == "This area: 5 of 12 answered"
    assert [o["label"] for o in data["options"]][-2:] == ["Don't know", "Not applicable"]
    assert data["questions"][0]["text"] == g1.questions[0].text.en
    assert query(at, "lang") == "en"


def test_language_switch__to_english__page_and_url_follow(aid):
    at = open_app(aid, "questionnaire", participant=ANNA)
    at.button_group(key="lang_switch").set_value("en")
    rerun(at)

    assert at.title[0].value == "Self-assessment"
    assert query(at, "lang") == "en"


def test_language_switch__one_run__the_page_is_drawn_once_in_english(aid, script_runs):
    at = open_app(aid, "questionnaire", participant=ANNA)
    script_runs.clear()
    at.button_group(key="lang_switch").set_value("en")
    rerun(at)

    assert len(script_runs) == 1
    assert at.title[0].value == "Self-assessment"
    assert at.button_group(key="lang_switch").value == "en"


# --- Samsyn --------------------------------------------------------------------------------

def test_consensus__flagged__largest_disagreement_first_then_vet_ej(aid):
    at = open_app(aid, "consensus")

    assert question_headers(at) == ["G1.5", "G1.1", "G1.3"]
    # G1.3: 1 of its 1 answer is Vet ej (1 Vet ej outnumbers 0 levels): a knowledge gap.
    assert [w.value for w in at.warning] == [
        "Oenighet: 4 nivåer isär", "Oenighet: 2 nivåer isär",
        "Kunskapslucka: 1 av 1 svarade Vet ej. Frågan rangordnas inte förrän ni kommit överens "
        "om en nivå här."]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Oenighet (spridning ≥ 2)": "2", "Frågor med Vet ej": "1", "Enade frågor": "0"}


def test_consensus__vet_ej_beside_as_many_levels__uncertain_basis_flagged(store):
    # G2.1: 3 and Vet ej: 1 Vet ej beside 1 level is no gap; the median 3 stands, flagged
    aid = store.create_assessment(assessment_data(answers={"G2.1": (3, "unknown")}))
    at = open_app(aid, "consensus")

    assert [w.value for w in at.warning] == [
        "Osäkert underlag: 1 av 2 svarade Vet ej. Medianen av nivåerna gäller tills ni enats om"
        " en nivå här."]
    assert any("osäkert underlag: 1 av 2 svarade Vet ej" in c for c in texts(at, "caption"))


def test_consensus__agreed__after_what_is_still_open_and_not_counted_as_open(store, aid):
    store.set_consensus(aid, "G1.5", 2, "Enades")  # the largest disagreement, now agreed
    at = open_app(aid, "consensus")

    assert question_headers(at) == ["G1.1", "G1.3", "G1.5"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Oenighet (spridning ≥ 2)"] == "1" and metrics["Enade frågor"] == "1"


def test_consensus__all__flagged_first_then_the_rest_in_bank_order(aid):
    at = open_app(aid, "consensus")
    at.button_group(key="c_show").set_value("all")
    rerun(at)

    assert question_headers(at) == ["G1.5", "G1.1", "G1.3", "G1.2", "G1.4", "G2.1", "F1.1", "F1.2"]


def test_consensus__distribution__who_answered_what(aid):
    at = open_app(aid, "consensus")

    g15 = table(at, "Vem").to_dict("records")  # the first question shown is G1.5
    assert g15 == [
        {"Svar": "0 – Saknas", "Antal": 1, "Vem": "Anna", "Kommentarer": ""},
        {"Svar": "4 – Integrerat och lärande", "Antal": 1, "Vem": "Bo", "Kommentarer": ""},
    ]
    # The room's chart: a bar for every answer on the scale, its share of G1.5's 2 answers.
    bars = {r["label"]: (r["value"], r["text"]) for r in shared_rows(at, "label")}  # G1.5's
    assert bars["0 – Saknas"] == (50.0, "1") and bars["4 – Integrerat och lärande"] == (50.0, "1")
    assert bars["2 – Delvis etablerat"] == (0.0, "0")
    # G1.5: levels 0 and 4 → median 2, resting on 2 levels; G1.1 (1 and 3) the same.
    assert texts(at, "caption")[1:] == ["Medianen av nivåerna: 2 – Delvis etablerat (median av 2 svar)"] * 2


def test_consensus__comments_beside_the_levels__names_only_where_given(store, aid):
    """The reasons beside the levels, so the discussion starts from them; a participant
    without a name (an anonymous workshop's) is neither named nor given a fixed id."""
    store.add_participant(aid, Participant(id="anonym-1"))
    store.set_answer(aid, "anonym-1", "G1.5", 0, comment="Vi har inga rutiner för det")
    store.set_answer(aid, ANNA, "G1.5", 0, comment="Inget avtal kräver det")
    at = open_app(aid, "consensus")

    g15 = table(at, "Vem").to_dict("records")
    assert g15[0] == {"Svar": "0 – Saknas", "Antal": 2, "Vem": "Anna",
                      "Kommentarer": "Anna: Inget avtal kräver det · Vi har inga rutiner för det"}
    assert "anonym-1" not in str(g15)


def test_consensus__agreed__marked_done(store, aid):
    store.set_consensus(aid, "G1.5", 2, "Enades")
    at = open_app(aid, "consensus")
    at.segmented_control(key="c_show").set_value("all")
    at.run()

    assert "Klar: gruppen har enats om 2 – Delvis etablerat." in [s.value for s in at.success]


def test_consensus__save_then_clear__written_to_the_database(store, aid):
    """The agreed level and its note are the answer and comment of the question's sheet."""
    at = open_app(aid, "consensus")
    data = sheet(at, "G1.5")
    assert data["mode"] == "questions" and [q["id"] for q in data["questions"]] == ["G1.5"]
    assert data["questions"][0]["text"] == "Enad nivå"
    assert data["texts"]["comment"] == "Anteckning från diskussionen"
    answer(at, "G1.5", 1)
    send(at, kind="comment", question="G1.5", text="Rutinen finns men används inte")

    assert [(c.question, c.value, c.note) for c in store.load(aid).consensus] == [
        ("G1.5", 1, "Rutinen finns men används inte")]
    assert {m.label: m.value for m in at.metric}["Enade frågor"] == "1"
    assert label_of(at, "G1.5") == "1 – Påbörjat"
    assert "Klar: gruppen har enats om 1 – Påbörjat." in [s.value for s in at.success]
    assert sheet(at, "G1.5")["texts"]["clear"] == "Ingen enad nivå (median används)"

    send(at, kind="clear", question="G1.5")
    assert store.load(aid).consensus == []
    assert {m.label: m.value for m in at.metric}["Enade frågor"] == "0"
    assert label_of(at, "G1.5") is None


def test_consensus__note_without_a_level__not_saved(store, aid):
    at = open_app(aid, "consensus")
    send(at, kind="comment", question="G1.5", text="Vi är inte överens än")

    assert store.load(aid).consensus == []
    assert sheet(at, "G1.5")["questions"][0]["status"] == (
        "Välj ett svar först – kommentaren sparas tillsammans med svaret.")


def test_consensus__nothing_to_discuss__says_so(store):
    aid = store.create_assessment(assessment_data(answers={"G1.1": (2, 3)}))
    at = open_app(aid, "consensus")

    assert [s.value for s in at.success] == [
        "Inga frågor behöver diskuteras: ingen oenighet och inga Vet ej."]


# --- Resultat ------------------------------------------------------------------------------

def test_results__metrics__hand_computed(aid):
    at = open_app(aid, "results")

    # Overall 52 (12,5/6 levels × 25), 1 knowledge gap (G1.3), 1 Vet ej of 13 answers (8 %),
    # 2 open disagreements (G1.1, G1.5): see the comment under SEED_ANSWERS.
    assert {m.label: m.value for m in at.metric} == {
        "Totalpoäng (0–100)": "52", "Kunskapsluckor": "1", "Andel Vet ej-svar": "8 %",
        "Öppna oenigheter": "2", "Deltagare": "2"}
    # 6 of the 59 questions in scope have a level; the rest: G1.4 Ej aktuellt, G1.3 a gap,
    # and 59 − 8 answered = 51 unanswered (6 + 1 + 1 + 51 = 59). The Vet ej count beside its
    # share: 1 of 13. No area is all Vet ej, so no warning; all four scores rest on too little.
    caption = next(c for c in texts(at, "caption") if c.startswith("Totalen"))
    assert caption == (
        "Totalen bygger på 6 av 59 frågor (varje fråga räknas en gång). Utanför totalen:"
        " 1 markerad Ej aktuellt, 1 kunskapslucka, 51 obesvarade. För lite underlag för en"
        " områdespoäng (värden för färre än hälften av frågorna): G1 (3 av 11 frågor), G2 (1 av"
        " 4 frågor), F1 (3 av 10 frågor), F2 (1 av 10 frågor). Vet ej: 1 av 13 svar (Ej aktuellt"
        " oräknat, varje fråga en gång); 1 kunskapslucka.")
    assert [w.value for w in at.warning] == []


def test_results__area_table__score_coverage_and_vet_ej_per_area(aid):
    at = open_app(aid, "results")

    rows = {r["Område"].split()[0]: r for r in table(at, "Gap (nivåer)").to_dict("records")}
    columns = ("Poäng", "Nivå", "Mål", "Gap (nivåer)", "Täckning", "Vet ej", "Vet ej (svar)",
               "Ej aktuellt (svar)", "Öppna oenigheter")
    # G1: mean 2 (score 50) on 3 of 11 questions: too little basis, so the score cell says so
    # and the level and gap are not shown; 3/11 and 1/11; answers not E/A: Anna 4 (G1.1–G1.3,
    # G1.5), Bo 3 → 1 Vet ej of 7; G1.4's two Ej aktuellt; open disagreements G1.1 and G1.5.
    assert [rows["G1"][c] for c in columns] == [
        "för lite underlag (3 av 11 frågor)", "–", "3", "–", "27 %", "9 %", "1 av 7", "2", "2"]
    # F1 with the shared G1.1: mean 1,5 on 3 of 10; 6 answers (F1.1, F1.2, G1.1 × 2), none
    # Vet ej; G1.1's disagreement counts here too.
    assert [rows["F1"][c] for c in columns] == [
        "för lite underlag (3 av 10 frågor)", "–", "3", "–", "30 %", "0 %", "0 av 6", "0", "1"]
    # F2 holds the shared G1.3 (gap), G1.4 (E/A) and G1.5 (2): mean 2 on 1 of 10,
    # Vet ej 1/10; answers not E/A: G1.3 (Anna), G1.5 × 2 → 1 of 3; G1.4's two Ej aktuellt.
    assert [rows["F2"][c] for c in columns] == [
        "för lite underlag (1 av 10 frågor)", "–", "3", "–", "10 %", "10 %", "1 av 3", "2", "1"]
    # The total row counts each question once: the rows' 2 + 1 + 1 disagreements are the
    # page's 2 (G1.1 and G1.5 are shared), and its Vet ej answers are the metric's 1 of 13.
    total = rows["Totalt"]
    assert [total[c] for c in ("Poäng", "Vet ej (svar)", "Ej aktuellt (svar)",
                               "Öppna oenigheter")] == ["52", "1 av 13", "2", "2"]
    assert [rows["G3"][c] for c in ("Poäng", "Nivå", "Täckning", "Vet ej (svar)")] == [
        "–", "–", "0 %", "0 av 0"]


@pytest.mark.parametrize("lang,headers", [
    ("sv", [["Område", "Nuläge", "Mål"],
            ["Område", "Poäng", "Nivå", "Mål", "Gap (nivåer)", "Täckning", "Vet ej",
             "Vet ej (svar)", "Ej aktuellt (svar)", "Öppna oenigheter"],
            ["Tidsperspektiv", "Poäng"], ["Område", "Fråga", "Nivå", "Underlag"]]),
    ("en", [["Area", "Current", "Target"],
            ["Area", "Score", "Level", "Target", "Gap (levels)", "Coverage", "Don't know",
             "Don't know (answers)", "Not applicable (answers)", "Open disagreements"],
            ["Time perspective", "Score"], ["Area", "Question", "Level", "Based on"]]),
])
def test_results__tables__headers_in_the_readers_language_not_field_names(aid, request, lang,
                                                                          headers):
    if lang == "en":
        request.getfixturevalue("english_between_runs")
    at = open_app(aid, "results", lang=lang)

    # The radar's table, the area table, the time perspectives' and the heatmap's.
    assert [list(df.value.columns) for df in at.dataframe] == headers


RADAR_ANSWERS = {**SEED_ANSWERS, "G2.2": (4, 4), "F1.4": (1, 1), "F1.5": (2, 2)}
# G2: 4, 4 on 2 of 4 questions: enough basis (half), level 4. F1: 0,5, 2, 2 (G1.1), 1, 2 on 5
# of 10: level 7,5 / 5 = 1,5. G1 (3 of 11) and F2 (1 of 10) still rest on too little.


def test_results__radar__holds_current_target_and_previous_values(store):
    aid = store.create_assessment(assessment_data(answers=RADAR_ANSWERS))
    # An earlier assessment of the same unit: G1 = 1 on 1 of 12 (too little), G3 = 3 on 2
    # of 4 (enough), F1 = 1 on 1 of 10 via the shared G1.1 (too little).
    store.create_assessment(assessment_data(date="2025-03-01", people=[(ANNA, "Anna", "")],
                                            answers={"G1.1": (1,), "G3.1": (3,),
                                                     "G3.2": (3,)}))
    store.set_target(aid, "G2", 4)
    at = open_app(aid, "results")

    spec = chart_with_layer(at, "polygons")
    points = named_layer(spec, "polygons")
    by_series = {}
    for row in points:
        by_series.setdefault(row["key"], []).append((row["area"], row["value"]))
    # Areas without a value (G3, G4, F3–F5) and on too little basis (G1, F2) are left out of
    # "nuläge", and the polygon closes.
    assert by_series["current"] == [("G2", 4), ("F1", 1.5), ("G2", 4)]
    areas = [a.id for a in NATIONAL.areas]
    assert by_series["target"] == [(a, 4 if a == "G2" else 3) for a in areas] + [("G1", 3)]
    # The earlier G1 and F1 (one shared answer) rest on too little: only G3 is drawn.
    assert by_series["previous"] == [("G3", 3), ("G3", 3)]
    # G2 is the second of nine spokes: 40° clockwise from straight up, at level 4.
    g2 = next(r for r in points if r["key"] == "current" and r["area"] == "G2")
    assert (g2["x"], g2["y"]) == (pytest.approx(2.5711504), pytest.approx(3.0641778))
    labels = {r["series"] for r in points}
    assert labels == {"Nuläge", "Mål", "Föregående (2025-03-01)"}
    radar = table(at, "Föregående (2025-03-01)")
    assert radar["Föregående (2025-03-01)"].tolist()[:3] == ["–", "–", "3"]   # G1, G2, G3
    assert radar["Nuläge"].tolist()[:2] == ["för lite underlag (3 av 11 frågor)", "4"]
    assert "Ritas inte i nuläget (för lite underlag, se tabellen): G1, F2." in texts(at, "caption")


def test_results__radar__no_previous_assessment__two_series(store):
    aid = store.create_assessment(assessment_data(answers=RADAR_ANSWERS))
    # Same organisation, other unit: not the same unit, so no "föregående".
    store.create_assessment(assessment_data(date="2025-03-01", unit="Hemsjukvården"))
    at = open_app(aid, "results")

    points = named_layer(chart_with_layer(at, "polygons"), "polygons")
    assert {r["series"] for r in points} == {"Nuläge", "Mål"}


def test_results__heatmap__cells_show_text_for_vet_ej_and_ej_aktuellt(aid):
    at = open_app(aid, "results")

    rows = shared_rows(at, "position")
    assert text_encoding(at, "position") == "text"
    cells = {r["question"]: r["text"] for r in rows}
    # A shared question has a cell in each of its areas: 69 cells for 59 questions.
    assert len(rows) == 69 and len(cells) == 59
    assert {(r["area"], r["text"]) for r in rows if r["question"] == "G1.1"} == {("G1", "2"), ("F1", "2")}
    assert [cells[q] for q in ("G1.1", "G1.3", "G1.4", "G1.6", "F1.1", "G2.1")] == [
        "2", "Vet ej", "E/A", "–", "0,5", "4"]
    levels = {r["question"]: r["level"] for r in rows}
    assert levels["G1.3"] is None and levels["G1.4"] is None and levels["F1.1"] == 0.5


def test_results__time_perspective__bars_with_their_values(aid):
    at = open_app(aid, "results")

    bars = {r["category"]: (r["value"], r["text"]) for r in shared_rows(at, "category")}
    # past = F1 37,5 on 3 of 10 questions, now = F2 50 on its shared G1.5 alone: too little
    # basis, so no bar and the areas named; ahead: F4, F5 no score.
    assert bars == {"past": (None, "för lite underlag (F1)"),
                    "now": (None, "för lite underlag (F2)"), "future": (None, "–")}


def test_results__lists__disagreements_and_knowledge_gaps(aid):
    at = open_app(aid, "results")

    items = [re.match(r"- \*\*(\S+)\*\* .*\((.*)\)$", shown(b)).groups()
             for b in texts(at, "markdown") if b.startswith("- **")]
    assert items == [("G1.5", "spridning 4"), ("G1.1", "spridning 2"),
                     ("G1.3", "1 av 1 svarade Vet ej")]


def test_results__knowledge_gaps__without_a_value_first_then_the_uncertain_ones(store):
    # G1.1: 2 Vet ej beside 1 level -> a gap; G2.1: 1 Vet ej beside 1 level -> median 3,
    # uncertain (1 × 3 ≥ 2); both on the list, the uncertain one under its own caption
    aid = store.create_assessment(assessment_data(
        people=((ANNA, "Anna", ""), (BO, "Bo", ""), ("cc", "Cia", "")),
        answers={"G2.1": (3, "unknown", None), "G1.1": ("unknown", "unknown", 1)}))
    at = open_app(aid, "results")

    items = [shown(b) for b in texts(at, "markdown") if b.startswith("- **")]
    assert [i.split("**")[1] for i in items] == ["G1.1", "G2.1"]
    assert items[0].endswith("(2 av 3 svarade Vet ej)")
    assert items[1].endswith("(osäkert underlag: 1 av 2 svarade Vet ej · värde 3)")
    assert ("Osäkert underlag – värdet står men minst en tredjedel svarade Vet ej:"
            in texts(at, "caption"))
    assert {m.label: m.value for m in at.metric}["Kunskapsluckor"] == "1"


def test_results__downloads__png_and_svg_for_every_chart(aid):
    at = open_app(aid, "results")

    keys = {b.key for b in at.get("download_button")}
    assert {f"{kind}_{chart}" for kind in ("png", "svg") for chart in ("radar", "time", "heatmap")} <= keys


# --- Prioritera ----------------------------------------------------------------------------

def ranked(at: AppTest) -> list[tuple[str, float, str]]:
    df = table(at, "why")
    return list(zip(df["question"], df["score"], df["why"]))


F1_NAME = "F1 Öka kunskap om inträffade vårdskador"
G1_NAME = "G1 Engagerad ledning och tydlig styrning"
F2_NAME = "F2 Tillförlitliga och säkra system och processer"
DEFAULTS = "viktighet och insats är ännu inte bedömda"
TO_PLAN = "Nästa steg: lägg in aktiviteten i handlingsplanen med ansvarig och datum."
TO_SAMSYN = "Nästa steg: kom överens om nuläget på Samsyn."


def test_prioritise__ranked__hand_computed_scores_and_why(whole_aid):
    aid = whole_aid
    at = open_app(aid, "prioritise")

    # target 3, importance 2, effort not set (1); score = gap × importance × breadth × effort,
    # breadth 1,25 once for a shared question (G1.1 → F1, G1.5 → F2) or a seed link (only
    # G1.2 → F1), 1 otherwise. G1.3 is a knowledge gap: never ranked. Ties (2,5, gap 1) in
    # the bank's order.
    assert ranked(at) == [
        ("F1.1", 5.0, f"Nuläget är 0,5 av 4 enligt 2 svar och målet är 3; {DEFAULTS}. {TO_PLAN}"),
        # 2,5 × 2 × 1 × 1 = 5
        ("G1.1", 2.5, f"Nuläget är 2 av 4 enligt 2 svar och målet är 3; gruppen var oenig;"
                      f" {DEFAULTS}; aktiviteten bedöms i {G1_NAME} och gäller också {F1_NAME}."
                      f" {TO_SAMSYN}"),                                  # 1 × 2 × 1,25 = 2,5
        ("G1.2", 2.5, f"Nuläget är 2 av 4 enligt 2 svar och målet är 3; {DEFAULTS}; aktiviteten"
                      f" bedöms i {G1_NAME} och gäller också {F1_NAME}. {TO_PLAN}"),
        # 1 × 2 × 1,25 = 2,5
        ("G1.5", 2.5, f"Nuläget är 2 av 4 enligt 2 svar och målet är 3; gruppen var oenig;"
                      f" {DEFAULTS}; aktiviteten bedöms i {G1_NAME} och gäller också {F2_NAME}."
                      f" {TO_SAMSYN}"),                                  # 1 × 2 × 1,25 = 2,5
        ("F1.2", 2.0, f"Nuläget är 2 av 4 enligt 2 svar och målet är 3; {DEFAULTS}. {TO_PLAN}"),
        # 1 × 2 × 1 × 1 = 2
    ]
    df = table(at, "why")
    # Each row is named by its activity (the question's title in the bank).
    assert list(df["activity"]) == [NATIONAL.question(q).title("sv") for q in df["question"]]
    assert df["activity"][0].startswith("ha rutiner i ledningssystemet för att identifiera")
    # Nothing has been set: every row rests on the defaults, and the page says so.
    assert [i.value for i in at.info] == [
        "5 av 5 aktiviteter vilar ännu på standardvärden för viktighet eller insats. Ordningen "
        "blir er egen när ni ställer in viktigheten per område (ovan) och insatsen per aktivitet "
        "(i tabellen)."]


def test_prioritise__effort_and_importance_changed__ranking_follows(store, whole_aid):
    aid = whole_aid
    store.set_importance(aid, "G1", 1)
    store.set_effort(aid, "F1.2", "låg")
    store.set_effort(aid, "G1.2", "hög")
    at = open_app(aid, "prioritise")

    got = ranked(at)
    # A shared question is judged in the area where gap × importance is largest: G1.1 in F1
    # (1 × 2 > G1's 1 × 1), G1.5 in F2 (1 × 2). Ties at 2,5 (gap 1) in the bank's order:
    # F1.1, G1.1, G1.5, F1.2, G1.2. F1.2 is the third of the theme "Uppföljning, analys och
    # lärande" (F1.1, G1.1) among the first five, so it moves after G1.2; with only five
    # candidates it fills the fifth place (not below it).
    assert [q for q, _, _ in got] == ["F1.1", "G1.1", "G1.5", "G1.2", "F1.2"]
    assert [s for _, s, _ in got] == pytest.approx([
        2.5 * 2 * 1 * 1,      # 5: unchanged
        1 * 2 * 1.25 * 1,     # 2,5: judged in F1 (importance 2), shared
        1 * 2 * 1.25 * 1,     # 2,5: judged in F2 (importance 2), shared
        1 * 1 * 1.25 * 0.75,  # 0,9375: importance 1, linked to F1, hög insats
        1 * 2 * 1 * 1.25,     # 2,5: låg insats lifts it from 2 to 2,5; after the theme cap
    ], abs=0.005)
    got[3], got[4] = got[4], got[3]
    assert got[3][2] == ("Nuläget är 2 av 4 enligt 2 svar och målet är 3; insatsen är liten och"
                         f" viktigheten är ännu inte bedömd. {TO_PLAN}")
    assert got[4][2] == ("Nuläget är 2 av 4 enligt 2 svar och målet är 3; viktigheten är låg och"
                         f" insatsen stor; aktiviteten bedöms i {G1_NAME} och gäller också"
                         f" {F1_NAME}. {TO_PLAN}")
    settings = table(at, "importance")
    assert dict(zip(settings["area"], settings["importance"]))["G1"] == 1


def test_prioritise__knowledge_gap__find_out_adds_an_action(store, aid):
    at = open_app(aid, "prioritise")
    at.button(key="gap|G1.3").click()
    rerun(at)

    assert [(a.activity, a.title, a.status.value) for a in store.load(aid).actions] == [
        ("G1.3", "Ta reda på nuläget för G1.3", "planerad")]
    assert "I planen" in texts(at, "caption")


def test_prioritise__knowledge_gap__find_out_is_one_run_with_one_toast(store, aid, script_runs):
    at = open_app(aid, "prioritise")
    script_runs.clear()
    at.button(key="gap|G1.3").click()
    rerun(at)

    assert len(script_runs) == 1
    assert "I planen" in texts(at, "caption") and [x.value for x in at.toast] == ["Sparat"]


def test_prioritise__knowledge_gap__find_out_refused__said_once_nothing_added(
        store, aid, monkeypatch):
    from assessment.storage import Store, StorageError

    def refuse(*args, **kwargs):
        raise StorageError("stängd")
    monkeypatch.setattr(Store, "add_action", refuse)
    at = open_app(aid, "prioritise")
    at.button(key="gap|G1.3").click()
    rerun(at)

    assert [e.value for e in at.error] == ["Ändringen sparades inte: stängd"]
    assert store.load(aid).actions == [] and not at.toast
    assert not rerun(at).error  # once


def test_prioritise__action_plan__grouped_by_time_perspective_and_area_then_due_date(store, aid):
    for action in [
        Action(activity="F1.1", title="Inför journalgranskning", owner="Anna", due=dt.date(2026, 6, 1),
               goal="Alla vårdskador kända inom en månad", follow_up="Antal granskade journaler",
               follow_up_date=dt.date(2026, 12, 1)),
        Action(activity="F4.1", title="Riskanalys före förändring"),
        Action(activity="G1.2", title="Rapportera kostnader till ledningen"),
        Action(activity="G1.1", title="Månadsrapport om vårdskador", due=dt.date(2026, 5, 1),
               status="pågår"),
    ]:
        store.add_action(aid, action)
    at = open_app(aid, "prioritise")

    expander = next(e for e in at.expander
                    if e.label == "Handlingsplanen per område och tidsperspektiv")
    lines = [shown(m.value) for m in expander.markdown]
    # The prerequisites first (no time perspective), then bakåt (F1) … framåt (F4); in an area
    # by due date, undated last.
    assert lines == [
        "### Grundläggande förutsättningar (G1–G4, utan tidsperspektiv)",
        f"**G1 {NATIONAL.area('G1').name.sv}**",
        "- Månadsrapport om vårdskador (G1.1) · 2026-05-01 · pågår",
        "- Rapportera kostnader till ledningen (G1.2) · planerad",
        "### Bakåt – var vården säker? (F1)",
        f"**F1 {NATIONAL.area('F1').name.sv}**",
        "- Inför journalgranskning (F1.1) · mål: Alla vårdskador kända inom en månad · Anna · "
        "2026-06-01 · planerad · uppföljning: Antal granskade journaler · följs upp 2026-12-01",
        "### Framåt – kommer vården att vara säker? (F4, F5)",
        f"**F4 {NATIONAL.area('F4').name.sv}**",
        "- Riskanalys före förändring (F4.1) · planerad",
    ]
    plan = table(at, "owner")
    assert list(plan["activity"]) == ["F1.1", "F4.1", "G1.2", "G1.1"]  # the stored order
    assert list(plan.columns) == ["activity", "activity_text", "goal", "title", "owner", "due",
                                  "status", "follow_up", "follow_up_date", "note"]
    assert plan["activity_text"][0] == NATIONAL.question("F1.1").activity.sv[:1].upper() + \
        NATIONAL.question("F1.1").activity.sv[1:]
    assert plan["follow_up"][0] == "Antal granskade journaler"


def test_prioritise__why__readable_in_full_below_the_table(aid):
    at = open_app(aid, "prioritise")

    full = next(e for e in at.expander if e.label.startswith("Varför i den ordningen"))
    lines = shown(full.markdown[0].value).split("\n")
    assert [(line.split(" ", 2)[:2]) for line in lines] == [
        [f"{rank}.", f"**{question}**"] for rank, (question, _, _) in enumerate(ranked(at), 1)]
    for line, (question, _, why) in zip(lines, ranked(at)):
        assert line.endswith(f" – {why}")  # the whole explanation, as the table holds it
        assert NATIONAL.question(question).title("sv") in line


def test_prioritise__in_plan_column__marks_planned_activities(store, whole_aid):
    aid = whole_aid
    store.add_action(aid, Action(activity="G1.2", title="Rapportera"))
    at = open_app(aid, "prioritise")

    df = table(at, "why")
    assert dict(zip(df["question"], df["in_plan"])) == {
        "F1.1": False, "G1.1": False, "G1.2": True, "G1.5": False, "F1.2": False}


def test_prioritise__a_units_assessment__the_leaderships_decisions_apart(aid):
    """The known assessment is of a unit (Hemtjänst). The bank judges that the administration
    decides F1.1 (routines in the management system) and G1.1, and the board G1.2 and G1.5:
    they leave the unit's ranking, which keeps F1.2 (2), and stand apart, ranked by the same
    scores (F1.1 5, then 2,5 each in bank order)."""
    at = open_app(aid, "prioritise")

    assert [q for q, _, _ in ranked(at)] == ["F1.2"]
    assert "För ledningen att besluta" in [h.value for h in at.header]
    apart = [df.value for df in at.dataframe if "why" in df.value.columns][1]
    assert list(zip(apart["question"], apart["score"])) == [("F1.1", 5.0), ("G1.1", 2.5),
                                                            ("G1.2", 2.5), ("G1.5", 2.5)]
    assert apart["why"][2] == (
        f"Nuläget är 2 av 4 enligt 2 svar och målet är 3; {DEFAULTS}; aktiviteten bedöms i"
        f" {G1_NAME} och gäller också {F1_NAME}; enligt frågebankens bedömning beslutar nämnden"
        f" eller huvudmannen om den, inte enheten. {TO_PLAN}")
    assert "redaktionella bedömning" in " ".join(texts(at, "caption"))


# --- Hjälp ---------------------------------------------------------------------------------

def test_help__sections_for_before_during_after_and_scoring(aid):
    at = open_app(aid, "help_page")

    # Issue 13: Hjälp names the scale's MaPSaF levels and the national competence targets.
    assert [s.value for s in at.header] == [
        "Före workshopen", "Under workshopen", "Efter workshopen",
        "Nivåerna: från patologisk till generativ", "De nationella kompetensmålen",
        "Så räknas poängen", "Om uppgifterna"]
    levels = at.markdown[3].value
    assert "MaPSaF" in levels
    assert [word for word in ("patologisk", "reaktiv", "byråkratisk", "proaktiv", "generativ")
            if f"– {word}:**" not in levels] == []


def test_help__after_the_workshop__says_what_the_report_is_for_and_where(aid):
    at = open_app(aid, "help_page")

    after = next(m.value for m in at.markdown if "**Prioritera:**" in m.value)
    assert "**Rapporten:** på Resultat och Prioritera" in after
    assert "Word" in after and "PDF" in after and "tjänsteskrivelse" in after
    assert "patientsäkerhetsberättelsens rubriker" in after


def test_help__scoring_rules__state_the_numbers_the_code_uses():
    at = open_app(None, "help_page")

    scoring = at.markdown[5].value  # after the levels (3) and the competence targets (4)
    assert ("**Områdets poäng:** 100 × medelvärdet av frågornas nivåer ÷ skalans högsta nivå"
            in scoring)
    assert "**Totalpoäng:** 100 × medelvärdet av alla frågors nivåer (varje fråga en gång)" in scoring
    assert "Kunskapsluckor och Ej aktuellt ingår inte" in scoring
    assert "när Vet ej-svaren är fler än nivåerna som getts" in scoring
    assert "när minst en tredjedel av svaren är Vet ej visas den med **osäkert underlag**" in scoring
    assert UNCERTAIN_SHARE == 3  # "en tredjedel"
    assert "Annars medianen av deltagarnas nivåer" in scoring
    assert "områdets mål (förvalt 3) minus medelnivån" in scoring
    spread_words = {2: "två"}[DISAGREEMENT_SPREAD]
    assert f"skiljer sig med minst {spread_words} steg" in scoring
    bonus = f"{BREADTH_BONUS:g}".replace(".", ",")
    assert (f"bredd ({bonus} om handlingsplanen själv knyter aktiviteten till mer än ett område,"
            " annars 1)") in scoring
    low, high = (f"{EFFORT_FACTOR[e]:g}".replace(".", ",") for e in ("låg", "hög"))
    assert f"insatsfaktor (låg {low}, medel eller ej angiven 1, hög {high})" in scoring
    assert "Kunskapsluckor rangordnas aldrig" in scoring


# --- pages without an open assessment ------------------------------------------------------

NO_ASSESSMENT = "Ingen självskattning är öppen. Skapa eller öppna en på startsidan."


@pytest.mark.parametrize("page", ["questionnaire", "consensus", "results", "prioritise"])
def test_page__no_assessment_open__points_to_the_start_page(store, page):
    at = open_app(None, page)

    assert [i.value for i in at.info] == [NO_ASSESSMENT]
    assert [p.proto.label for p in at.get("page_link")] == ["Till startsidan"]


def test_page__unknown_assessment_in_url__says_so_and_closes_it(store):
    at = open_app("finns-inte")
    assert [shown(e.value).split(":")[0] for e in at.error] == ["Självskattningen kunde inte öppnas"]
    assert query(at, "a") is None

    goto(at, "results")
    assert [i.value for i in at.info] == [NO_ASSESSMENT]


# --- free text is shown as written, never as Markdown or HTML ------------------------------

def test_free_text__names_comments_notes_and_plan__shown_literally_on_every_page(store):
    aid = store.create_assessment(assessment_data(
        name=EVIL, unit=EVIL, people=[(ANNA, EVIL, "MAS"), (BO, "Bo", "")],
        consensus=[{"question": "G1.1", "value": 2, "note": EVIL}],
        actions=[{"activity": "G1.1", "title": EVIL, "owner": EVIL}],
    ))
    store.set_answer(aid, ANNA, "G1.2", 2, EVIL)
    seen: list[str] = []

    at = open_app(aid, participant=ANNA)
    assert EVIL in at.sidebar.text[0].value                      # plain text elements
    assert at.main.text[0].value.startswith(f"{EVIL} – {EVIL} ·")
    seen += markdown_bodies(at)
    delete_warning = at.warning[0].value
    assert shown(delete_warning).startswith(f"Radera {EVIL} – {EVIL} ·"), delete_warning

    goto(at, "questionnaire")
    assert f"{EVIL} (MAS)" in at.selectbox(key=f"q_who_{aid}").options
    # The sheet gets the comment as data; its script sets it as text (textContent), never HTML.
    assert next(q["comment"] for q in sheet(at)["questions"] if q["id"] == "G1.2") == EVIL
    seen += markdown_bodies(at)

    goto(at, "consensus")
    at.button_group(key="c_show").set_value("all")
    rerun(at)
    assert EVIL in table(at, "Vem")["Vem"].tolist()
    assert sheet(at, "G1.1")["questions"][0]["comment"] == EVIL
    seen += markdown_bodies(at)

    goto(at, "results")
    assert f"{EVIL} – {EVIL} · 2026-03-01" in [shown(c) for c in texts(at, "caption")]
    seen += markdown_bodies(at)

    goto(at, "prioritise")
    assert f"- {EVIL} (G1.1) · {EVIL} · planerad" in [shown(m) for m in texts(at, "markdown")]
    seen += markdown_bodies(at)

    raw = [body for body in seen if EVIL in body or "<script>" in body or "**bold**" in body]
    assert raw == [], "free text reached Markdown unescaped"


def test_free_text__uploaded_file_name_and_organisation__not_markdown(store, aid):
    at = open_app(aid)
    bad_name = "**fel**.json"
    at.file_uploader(key="upload_json").upload(bad_name, b"[]", "application/json")
    rerun(at)
    assert [shown(e.value) for e in at.error] == [
        f"Filen {bad_name} kunde inte läsas in. Inget har ändrats."]

    at.file_uploader(key="upload_json").upload(
        "ok.json", assessment_data(name=EVIL).model_dump_json().encode(), "application/json")
    rerun(at)
    assert shown(at.success[0].value).startswith(f"Filen gäller {EVIL}, ")
    assert not [b for b in markdown_bodies(at) if EVIL in b or "**fel**" in b]


# --- small helpers used above ---------------------------------------------------------------

def pick_label(box, label: str) -> None:
    """Choose a select box option by its label, as the browser sends it. AppTest's own
    ``select(None)`` sends "nothing chosen" instead of the option whose value is None."""
    state = WidgetState(id=box.id, string_value=label)
    box.__class__ = type("PickedSelectbox", (type(box),), {"_widget_state": property(lambda _: state)})




def test_prioritise__empty_action_plan__editor_has_its_columns_to_start_by_hand(store):
    aid = store.create_assessment(assessment_data())
    at = open_app(aid, "prioritise")

    plan = table(at, "owner")
    assert list(plan.columns) == ["activity", "activity_text", "goal", "title", "owner", "due",
                                  "status", "follow_up", "follow_up_date", "note"]
    assert len(plan) == 0
    editor = next(e for e in at.dataframe if "owner" in e.value.columns)
    assert editor.proto.editing_mode == editor.proto.EditingMode.DYNAMIC  # rows can be added


def edit_table(at: AppTest, column: str, changes: dict) -> AppTest:
    """Send an edit of the data editor that has ``column``, as the browser sends it (the
    editor's JSON: edited_rows, added_rows, deleted_rows), and run the app. AppTest cannot
    edit a data_editor cell itself."""
    editor = next(e for e in at.data_editor if column in e.value.columns)
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=editor.proto.id, string_value=json.dumps(changes)))
    at._run(states)
    assert not at.exception, at.exception
    return at


def test_prioritise__plan_row_with_only_an_action__kept_as_a_local_action(store):
    aid = store.create_assessment(assessment_data())
    at = open_app(aid, "prioritise")

    # The "+" row as the browser sends it at once, nothing typed: not saved, and not "Sparat".
    edit_table(at, "owner", {"edited_rows": {}, "deleted_rows": [], "added_rows": [{}]})
    assert (store.load(aid).actions, [x.value for x in at.toast], at.error) == ([], [], [])
    # Then with only Åtgärd typed (no activity, no status chosen).
    edit_table(at, "owner", {"edited_rows": {}, "deleted_rows": [],
                             "added_rows": [{"title": "Nytt larmsystem i hemtjänsten"}]})
    assert [x.value for x in at.toast] == ["Sparat"]
    rerun(at)  # as after a reload: what is shown comes from the database

    assert [(a.activity, a.title, a.status.value) for a in store.load(aid).actions] == [
        (None, "Nytt larmsystem i hemtjänsten", "planerad")]
    plan = table(at, "owner")
    assert (list(plan["activity"]), list(plan["activity_text"]), list(plan["title"])) == (
        [""], ["Lokal åtgärd"], ["Nytt larmsystem i hemtjänsten"])
    expander = next(e for e in at.expander
                    if e.label == "Handlingsplanen per område och tidsperspektiv")
    assert [shown(m.value) for m in expander.markdown] == [
        "### Lokala åtgärder (utan aktivitet i den nationella planen)",
        "- Nytt larmsystem i hemtjänsten · planerad"]
    assert not at.error


def test_prioritise__plan_row_without_an_action__said_beside_the_grid_and_nothing_saved(store):
    aid = store.create_assessment(assessment_data())
    store.add_action(aid, Action(activity="G1.1", title="Månadsrapport om vårdskador"))
    at = open_app(aid, "prioritise")

    # A second row with an owner and a date typed but no action: refused in words, at once.
    edit_table(at, "owner", {"edited_rows": {}, "deleted_rows": [],
                             "added_rows": [{"owner": "Eva", "due": "2027-01-31"}]})

    message = ("Handlingsplanen, rad 2: skriv vad som ska göras i kolumnen Åtgärd (eller välj en "
               "aktivitet, så fylls den i). Inget sparades än; det du skrev står kvar i tabellen "
               "tills du laddar om sidan.")
    assert [shown(e.value) for e in at.error] == [message]
    assert [a.title for a in store.load(aid).actions] == ["Månadsrapport om vårdskador"]
    # Beside the grid: the element right after the plan's editor.
    page = list(elements(at))
    editor = next(i for i, e in enumerate(page)
                  if e.type == "dataframe" and "owner" in e.value.columns)
    assert page[editor + 1].type == "error" and shown(page[editor + 1].value) == message

    # Said for as long as the editor holds the row (another run, the same edit: no save).
    pending = {"edited_rows": {}, "deleted_rows": [], "added_rows": [{"owner": "Eva",
                                                                       "due": "2027-01-31"}]}
    edit_table(at, "owner", pending)
    assert [shown(e.value) for e in at.error] == [message]
    # The action typed in: the row is saved, as a local action, and the message goes.
    pending["added_rows"][0]["title"] = "Nytt larmsystem"
    edit_table(at, "owner", pending)
    assert [(a.activity, a.title, a.owner, a.due) for a in store.load(aid).actions] == [
        ("G1.1", "Månadsrapport om vårdskador", "", None),
        (None, "Nytt larmsystem", "Eva", dt.date(2027, 1, 31))]
    assert not at.error


def test_prioritise__plan_row_removed_in_another_window__edit_refused_in_words(store):
    aid = store.create_assessment(assessment_data())
    item = store.add_action(aid, Action(title="Nytt larmsystem"))  # a local action
    at = open_app(aid, "prioritise")
    store.remove_action(aid, item)  # meanwhile, in another window

    edit_table(at, "owner", {"edited_rows": {"0": {"owner": "Eva"}}, "deleted_rows": [],
                             "added_rows": []})

    assert [shown(e.value) for e in at.error] == [
        f"Ändringen sparades inte: action item {item} is not in the plan of assessment {aid} "
        "(someone removed it)"]
    assert store.load(aid).actions == []
