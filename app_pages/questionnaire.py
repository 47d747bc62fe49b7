"""Självskattning: who is answering, then the answer sheet (``app_pages/answer_sheet.py``):
one area at a time, each question with the scale, "Vet ej", "Ej aktuellt" and an optional
comment. Every change is written to the database at once."""

from __future__ import annotations

from typing import Collection

import streamlit as st

from app_pages import answer_sheet, context, excel_io
from app_pages.context import t
from app_pages.markdown import plain
from assessment.answer_sheet import StoreAnswers
from assessment.bank import Bank
from assessment.document import MAX_NAME, Assessment, Participant
from assessment.progress import scope
from assessment.storage import StorageError

TEAM_ID = "team"


def expander_key(part: str, assessment_id: str) -> str:
    """The session-state key of an expander's open state ("people" or "excel")."""
    return f"q_{part}|{assessment_id}"


def render() -> None:
    found = context.require_assessment()
    if found is None:
        return
    assessment_id, assessment, bank = found
    st.title(t("questionnaire.title"))
    participant = _choose_participant(assessment_id, assessment, bank)
    if participant is None:
        return
    areas = scope(assessment, bank)
    answer_sheet.sheet(StoreAnswers(context.store(), assessment_id, participant.id), bank, areas)
    st.page_link(context.page("consensus"), label=t("questionnaire.to_consensus"),
                 icon="🤝")


def _lazy_expander(label: str, key: str, expanded: bool = False):
    """An expander whose content is drawn only while it is open (the page's other elements,
    and so every click on the sheet, do not pay for it); None while it is closed."""
    box = st.expander(label, expanded=expanded, key=key, on_change="rerun")
    return box if box.open else None


def _choose_participant(assessment_id: str, assessment: Assessment, bank: Bank) -> Participant | None:
    participants = assessment.participants
    state = context.ui()
    private = context.store().workshop_participant_ids(assessment_id) if participants else set()
    people = _lazy_expander(t("questionnaire.participants"), expander_key("people", assessment_id),
                            expanded=not participants)
    if people is not None:
        _participant_form(people, assessment_id, assessment, private)
    excel = _lazy_expander(t("questionnaire.excel_forms"), expander_key("excel", assessment_id))
    if excel is not None:
        with excel:
            excel_io.forms_section(assessment_id, assessment, bank)
    if private:  # "Bara du ser dina svar här": not shown one by one here either
        st.caption(t("questionnaire.workshop_private", count=len(private)))
    participants = [p for p in participants if p.id not in private]
    if not participants:
        st.info(t("questionnaire.no_participants"))
        return None
    ids = [p.id for p in participants]
    current = state.participant_id if state.participant_id in ids else ids[0]
    names = {p.id: _label(p) for p in participants}
    who_key = f"q_who_{assessment_id}"
    chosen = st.selectbox(t("questionnaire.who"), ids, format_func=names.get, key=who_key,
                          index=0 if who_key in st.session_state else ids.index(current))
    if chosen != state.participant_id:
        context.open_assessment(assessment_id, chosen)
    return next(p for p in participants if p.id == chosen)


def _participant_form(box, assessment_id: str, assessment: Assessment,
                      private: Collection[str] = ()) -> None:
    """Add a participant, or the team as one participant, then rename or remove one of those
    entered here (inside the open expander ``box``); ``private``: the workshop's participants,
    who answer on their own devices and are not listed here."""
    participants = assessment.participants
    with box:
        if not context.may_change(assessment_id):
            st.info(t("workspace.reader_form"))
            return
        st.caption(t("questionnaire.participants_help"))
        with st.form("add_participant", clear_on_submit=True):
            _name_fields(key="q_add")
            st.form_submit_button(t("questionnaire.add_participant"), on_click=_add,
                                  args=(assessment_id, assessment))
        context.refused_once("q_add")
        if not any(p.id == TEAM_ID for p in participants):
            st.button(t("questionnaire.as_team"), key="q_team", on_click=_add_team,
                      args=(assessment_id, assessment))
            context.refused_once("q_team")
        listed = [p for p in participants if p.id not in private]
        if listed:
            _edit_participant(assessment_id, assessment, listed)


def _name_fields(p: Participant | None = None, key: str | None = None) -> tuple[str, str]:
    """A participant's name and role, side by side (``p``'s as they are when renaming)."""
    cols = st.columns(2)
    name = cols[0].text_input(t("questionnaire.name"), max_chars=MAX_NAME,
                              value=p.name if p else "", key=key and f"{key}|name")
    role = cols[1].text_input(t("questionnaire.role"), max_chars=MAX_NAME,
                              value=p.role if p else "", key=key and f"{key}|role")
    return name, role


def _edit_participant(assessment_id: str, assessment: Assessment,
                      listed: list[Participant]) -> None:
    """Rename one of ``listed``, or remove them with their answers after a confirmation that
    says how many answers go with them; the fields show once one is chosen."""
    st.divider()
    by_id = {p.id: p for p in listed}
    pid = st.selectbox(t("questionnaire.edit_who"), list(by_id), index=None,
                       placeholder=t("questionnaire.edit_pick"),
                       format_func=lambda i: _label(by_id[i]), key=f"q_edit_who|{assessment_id}")
    p = by_id.get(pid)
    if p is None:  # nobody chosen yet (or the one chosen was removed)
        return
    key = f"q_edit|{assessment_id}|{p.id}"  # one participant's fields never show another's
    with st.form("edit_participant"):
        _name_fields(p, key)
        st.form_submit_button(t("questionnaire.rename"), on_click=_rename,
                              args=(assessment_id, p.id, key))
    context.refused_once(f"{key}|rename")
    count = sum(1 for a in assessment.answers if a.participant == p.id)
    with st.form("remove_participant"):
        st.checkbox(
            t("questionnaire.remove_confirm", name=plain(_label(p)), count=count) if count
            else t("questionnaire.remove_confirm_none", name=plain(_label(p))),
            key=f"{key}|remove")
        remove = st.form_submit_button(t("questionnaire.remove"), on_click=_remove,
                                       args=(assessment_id, listed, p.id, key))
    if remove and not st.session_state.get(f"{key}|remove"):
        st.warning(t("questionnaire.remove_unconfirmed"))
    context.refused_once(f"{key}|remove")


# The participant forms' callbacks, with the forms' values by their keys: each writes before
# the run its button starts, which draws the result (or the refusal, once, where it was given).

def _add(assessment_id: str, assessment: Assessment) -> None:
    name, role = st.session_state["q_add|name"], st.session_state["q_add|role"]
    if not name.strip():
        context.refuse("q_add", t("questionnaire.name_required"))
        return
    try:
        new_id = context.store().new_participant(assessment_id, name, role)
    except StorageError as exc:
        context.refuse("q_add", context.refused_text(exc))
    else:
        _added(assessment_id, assessment, new_id)


def _add_team(assessment_id: str, assessment: Assessment) -> None:
    context.write("q_team", lambda: context.store().add_participant(
        assessment_id, Participant(id=TEAM_ID, name=t("questionnaire.team_name"))),
        lambda: _added(assessment_id, assessment, TEAM_ID))


def _rename(assessment_id: str, participant_id: str, key: str) -> None:
    name, role = st.session_state[f"{key}|name"], st.session_state[f"{key}|role"]
    if not name.strip():
        context.refuse(f"{key}|rename", t("questionnaire.name_required"))
        return
    context.write(f"{key}|rename", lambda: context.store().update_participant(
        assessment_id, Participant(id=participant_id, name=name, role=role)))


def _remove(assessment_id: str, listed: list[Participant], participant_id: str,
            key: str) -> None:
    if st.session_state.get(f"{key}|remove"):  # else the page asks for the tick
        context.write(f"{key}|remove",
                      lambda: context.store().remove_participant(assessment_id, participant_id),
                      lambda: _removed(assessment_id, listed, participant_id))


def _removed(assessment_id: str, listed: list[Participant], participant_id: str) -> None:
    """After a participant was removed: if the answer sheet showed theirs, it shows the next
    one left (or nobody's)."""
    who_key = f"q_who_{assessment_id}"
    if participant_id not in (context.ui().participant_id, st.session_state.get(who_key)):
        return
    st.session_state.pop(who_key, None)
    left = [p.id for p in listed if p.id != participant_id]
    context.open_assessment(assessment_id, left[0] if left else None)


def _added(assessment_id: str, assessment: Assessment, participant_id: str) -> None:
    """After a participant was stored: enter that participant's answers next. The list folds
    after the first one (it opened because there was nobody yet), so the sheet comes first."""
    context.open_assessment(assessment_id, participant_id)
    st.session_state[f"q_who_{assessment_id}"] = participant_id
    if not assessment.participants:
        del st.session_state[expander_key("people", assessment_id)]
    context.invalidate()


def _label(p: Participant) -> str:
    text = p.name or p.id
    return f"{text} ({p.role})" if p.role else text
