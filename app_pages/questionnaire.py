"""Självskattning: who is answering, then the answer sheet (``app_pages/answer_sheet.py``):
one area at a time, each question with the scale, "Vet ej", "Ej aktuellt" and an optional
comment. Every change is written to the database at once."""

from __future__ import annotations

import streamlit as st

from app_pages import answer_sheet, context, excel_io
from app_pages.context import t
from app_pages.markdown import plain
from assessment.bank import Bank
from assessment.document import Assessment, Participant
from assessment.progress import scope

TEAM_ID = "team"


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
    _scale_help(bank)
    answer_sheet.sheet(assessment_id, bank, participant.id, areas)
    st.page_link(st.session_state["pages"]["consensus"], label=t("questionnaire.to_consensus"),
                 icon="🤝")


def _choose_participant(assessment_id: str, assessment: Assessment, bank: Bank) -> Participant | None:
    participants = assessment.participants
    state = context.ui()
    with st.expander(t("questionnaire.participants"), expanded=not participants):
        st.caption(t("questionnaire.participants_help"))
        with st.form("add_participant", clear_on_submit=True):
            cols = st.columns(2)
            name = cols[0].text_input(t("questionnaire.name"), max_chars=200)
            role = cols[1].text_input(t("questionnaire.role"), max_chars=200)
            add = st.form_submit_button(t("questionnaire.add_participant"))
        if add:
            if not name.strip():
                st.error(t("questionnaire.name_required"))
            else:
                new_id = _next_id(assessment)
                context.store().add_participant(assessment_id, Participant(id=new_id, name=name, role=role))
                context.open_assessment(assessment_id, new_id)
                st.session_state[f"q_who_{assessment_id}"] = new_id  # select the new participant
                context.invalidate()
                st.rerun()
        if not any(p.id == TEAM_ID for p in participants):
            if st.button(t("questionnaire.as_team"), key="q_team"):
                context.store().add_participant(
                    assessment_id, Participant(id=TEAM_ID, name=t("questionnaire.team_name")))
                context.open_assessment(assessment_id, TEAM_ID)
                st.session_state[f"q_who_{assessment_id}"] = TEAM_ID  # select the team
                context.invalidate()
                st.rerun()
    with st.expander(t("questionnaire.excel_forms")):
        excel_io.forms_section(assessment_id, assessment, bank)
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


def _label(p: Participant) -> str:
    text = p.name or p.id
    return f"{text} ({p.role})" if p.role else text


def _next_id(assessment: Assessment) -> str:
    used = {p.id for p in assessment.participants}
    n = len(used) + 1
    while f"p{n}" in used:
        n += 1
    return f"p{n}"


def _scale_help(bank: Bank) -> None:
    """The scale's levels and what each means, in one block (one element, not one per level)."""
    lang = context.ui().lang
    scale = bank.scale
    answers = [(level.label, level.descriptor) for level in scale.levels] + [
        (special.label, special.descriptor) for special in (scale.unknown, scale.na) if special]
    with st.expander(t("questionnaire.scale_help")):
        st.markdown("\n".join(
            f"- **{plain(label.get(lang))}** – {plain(descriptor.get(lang) if descriptor else '')}"
            for label, descriptor in answers))
