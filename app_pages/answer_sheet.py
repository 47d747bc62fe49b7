"""The answer sheet on the Självskattning, Delta and Samsyn pages: one Streamlit component
(components v2, no iframe) that draws an area's questions as native form controls, inside a
fragment.

Why one component and not a radio per question: Streamlit redraws every element of a page
on each run's state change, so twelve question blocks of widgets made every click cost
about three times a one-widget page in the browser (benchmarks/bench_browser.py). The sheet
is one element; a click reruns only this fragment and the browser updates the sheet in place.

What the browser sends is checked by ``assessment.answer_sheet.parse_event`` and saved
through the page's ``AnswerSource`` (``assessment.answer_sheet``): a participant of the open
assessment on Självskattning, a workshop participant's token on Delta, the team's agreed
levels on Samsyn (``draw``: one sheet per question, under its distribution, outside a
fragment, so that a change redraws the page's counts and order as well).
"""

from __future__ import annotations

from functools import partial
from importlib import resources

import streamlit as st

from app_pages import context
from app_pages.context import t
from app_pages.markdown import plain
from app_pages.state import session
from assessment import answer_sheet
from assessment.bank import Bank
from assessment.i18n import translate
from assessment.progress import Scope
from assessment.storage import StorageError

ASSETS = resources.files("app_pages").joinpath("assets")  # package data, in a wheel too
_SHEET = st.components.v2.component(
    "psa_answer_sheet",
    js=(ASSETS / "answer_sheet.js").read_text(encoding="utf-8"),
    css=(ASSETS / "answer_sheet.css").read_text(encoding="utf-8"),
)


def current_area(areas: Scope, area_key: str = "q_area") -> str:
    ids = [a.id for a, _ in areas]
    chosen = session().areas.get(area_key)
    return chosen if chosen in ids else ids[0]


@st.fragment
def sheet(source: answer_sheet.AnswerSource, bank: Bank, areas: Scope, *,
          area_key: str = "q_area") -> None:
    """The sheet for the answers of ``source``, read through it on every run (one small
    query); answering reruns only this fragment. The area shown is kept in the session's
    ``PageState.areas`` under ``area_key``."""
    draw(source, bank, areas, area_key=area_key)


def draw(source: answer_sheet.AnswerSource, bank: Bank, areas: Scope, *,
         area_key: str = "q_area", heading: str | None = None,
         texts: dict[str, str] | None = None,
         read: tuple[answer_sheet.Answers, bool] | None = None) -> None:
    """The sheet, drawn where it is called (an answer reruns what it is in). ``heading`` and
    ``texts`` as in ``answer_sheet.sheet_data``; ``read`` is what ``source.read()`` gave
    already on this run (Samsyn draws a sheet per question from one read)."""
    key = source.key
    memory = session().sheet(key)
    problem, memory.problem = memory.problem, None
    if problem:
        st.error(t("questionnaire.bad_event", reason=problem))
    answers, writable = read if read is not None else source.read()
    status, memory.status = memory.status, {}
    focus = memory.focus
    lang = context.ui().lang
    tr = partial(translate, lang)  # the sheet's forty-odd texts, without a state lookup each
    data = answer_sheet.sheet_data(
        bank, areas, current_area(areas, area_key), answers, lang, tr,
        status={q: tr(message) for q, message in status.items()},
        focus=focus[0] if focus else None, focus_seq=focus[1] if focus else 0,
        ack=memory.ack, read_only=not writable,
        heading=heading, texts=texts,
    )
    _SHEET(key=key, data=data,
           on_event_change=lambda: _on_event(source, bank, areas, area_key))


def _on_event(source: answer_sheet.AnswerSource, bank: Bank, areas: Scope,
              area_key: str) -> None:
    """The sheet's callback: check the event and save it before the fragment redraws."""
    key = source.key
    raw = getattr(st.session_state.get(key), "event", None)
    if raw is None:
        return
    # Whatever becomes of it, the event arrived: the sheet drawn next says so to the browser,
    # which sends it again until a sheet does (assets/answer_sheet.js).
    memory = session().sheet(key)
    memory.ack = answer_sheet.event_id(raw)
    try:
        event = answer_sheet.parse_event(raw, bank, areas)
    except answer_sheet.BadEvent as exc:
        memory.problem = plain(str(exc))
        return
    try:
        applied = answer_sheet.apply_event(source, event, areas)
    except StorageError as exc:  # e.g. deleted in another window, or the role became reader
        memory.problem = context.refusal(exc)  # the workspace rules in the UI's language
        return
    if applied.area:
        session().areas[area_key] = applied.area
    if applied.focus:
        memory.focus = (applied.focus, (memory.focus or (None, 0))[1] + 1)
    if applied.note:
        memory.status = {event.question: applied.note}
