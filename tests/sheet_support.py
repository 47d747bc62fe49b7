"""Driving the Självskattning page in AppTest: its answer sheet and its folded sections (and
Samsyn's sheets, one per question: name the question to pick its sheet).

The sheet is one components-v2 element (``app_pages/answer_sheet.py``). AppTest has no
interaction for such elements, so ``send`` does what the browser does: it puts one event
on the element's trigger widget and runs the app with the other widgets' values as they are.
The sheet's content is read from the JSON the app gave the element.
"""

from __future__ import annotations

import json

from streamlit.components.v2.bidi_component.constants import EVENT_DELIM
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX
from streamlit.testing.v1 import AppTest

from app_pages.questionnaire import expander_key
from assessment.bank_loader import load_banks

OPTIONS = load_banks().get("nationell-handlingsplan-2025").scale.options()  # 0–4, unknown, na


def sheet_proto(at: AppTest, question: str | None = None):
    """The page's answer sheet; with ``question``, of several, the one that shows it."""
    found = [e.proto for e in at.get("bidi_component")
             if e.proto.component_name == "psa_answer_sheet"]
    if question is not None and len(found) > 1:
        found = [p for p in found
                 if question in {q["id"] for q in json.loads(p.json)["questions"]}]
    assert len(found) == 1, f"expected one answer sheet, found {len(found)}"
    return found[0]


def sheet(at: AppTest, question: str | None = None) -> dict:
    """The data the app gave the sheet (the one showing ``question``) on the last run."""
    return json.loads(sheet_proto(at, question).json)


def has_sheet(at: AppTest) -> bool:
    return any(e.proto.component_name == "psa_answer_sheet" for e in at.get("bidi_component"))


def send(at: AppTest, **event) -> AppTest:
    """Send one event from the sheet (as its JavaScript does) and run the app."""
    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    proto = sheet_proto(at, event.get("question"))
    trigger.id = f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{proto.id}{EVENT_DELIM}events"
    trigger.json_trigger_value = json.dumps([{"event": "event", "value": event}])
    at._run(states)
    assert not at.exception, at.exception
    return at


def answer(at: AppTest, question: str, value) -> AppTest:
    """Answer ``question`` with ``value`` (a level, "unknown" or "na") as a click would: the
    browser sends the option's position among the national scale's answers."""
    return send(at, kind="answer", question=question, option=OPTIONS.index(value))


def values(at: AppTest) -> dict[str, int | str | None]:
    """question id → the answer the sheet shows as chosen (None if unanswered)."""
    return {q["id"]: None if q["option"] is None else OPTIONS[q["option"]]
            for q in sheet(at)["questions"]}


def label_of(at: AppTest, question: str) -> str | None:
    """The label of the option the sheet shows as chosen for ``question``."""
    data = sheet(at, question)
    option = next(q["option"] for q in data["questions"] if q["id"] == question)
    return None if option is None else data["options"][option]["label"]


def open_expander(at: AppTest, part: str) -> AppTest:
    """Unfold one of the page's folded sections ("people" or "excel"), as a click on its label
    does: its content is drawn only while it is open."""
    aid = at.query_params["a"]
    at.session_state[expander_key(part, aid[0] if isinstance(aid, list) else aid)] = True
    at.run()
    assert not at.exception, at.exception
    return at


def add_participant(at: AppTest, name: str, role: str) -> AppTest:
    """Add a participant with the form under "Deltagare", unfolding it first if it is folded."""
    labels = ("Namn", "Roll (t.ex. MAS, enhetschef)")
    if not any(w.label in labels for w in at.text_input):
        open_expander(at, "people")
    name_input, role_input = (w for w in at.text_input if w.label in labels)
    name_input.input(name)
    role_input.input(role)
    next(b for b in at.button if (b.key or "").startswith("FormSubmitter:add_participant")).click()
    at.run()
    assert not at.exception, at.exception
    return at
