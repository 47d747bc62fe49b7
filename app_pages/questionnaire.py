"""Självskattning: one area at a time, each question with the scale, "Vet ej", "Ej aktuellt"
and an optional comment. Every change is written to the database at once."""

from __future__ import annotations

import streamlit as st

from app_pages import context, excel_io
from app_pages.context import t
from app_pages.markdown import plain
from assessment.bank import Bank
from assessment.document import MAX_TEXT, Assessment, Participant
from assessment.progress import area_progress, overall_progress, participant_answers, scope, unanswered

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
    lang = context.ui().lang
    areas = scope(assessment, bank)
    progress = area_progress(assessment, bank, participant.id)
    total = overall_progress(progress)
    st.progress(total.share, text=t("questionnaire.overall_progress", done=total.answered,
                                     total=total.total))
    area_ids = [area.id for area, _ in areas]
    by_id = {p.area: p for p in progress}
    current_area = st.session_state.get("q_area")
    if current_area not in area_ids:
        current_area = area_ids[0]
    missing = unanswered(assessment, bank, participant.id)
    cols = st.columns([3, 1])
    chosen = cols[0].selectbox(
        t("questionnaire.area"), area_ids, key="q_area_select",
        index=0 if "q_area_select" in st.session_state else area_ids.index(current_area),
        format_func=lambda a: f"{a} {bank.area(a).name.get(lang)}",
    )
    if chosen != current_area:
        current_area = chosen
    st.session_state["q_area"] = current_area
    st.caption(" · ".join(f"{p.area} {p.answered}/{p.total}{' ✓' if p.answered == p.total else ''}"
                          for p in progress))
    if missing:
        cols[1].button(t("questionnaire.jump", count=len(missing)), key="q_jump", width="stretch",
                       on_click=_go_to_area, args=(missing[0][0],))
    else:
        cols[1].success(t("questionnaire.all_done"))

    area = bank.area(current_area)
    questions = next(qs for a, qs in areas if a.id == current_area)
    p = by_id[current_area]
    st.subheader(f"{area.id} · {plain(area.name.get(lang))}")
    st.caption(plain(area.aim.get(lang)))
    if area.time_perspective:
        st.caption(t(f"time.{area.time_perspective.value}_long"))
    st.progress(p.share, text=t("questionnaire.area_progress", done=p.answered, total=p.total))
    only_missing = st.toggle(t("questionnaire.only_missing"), key="q_only_missing")
    answers = participant_answers(assessment, participant.id)
    _scale_help(bank)
    shown = 0
    for question in questions:
        if only_missing and question.id in answers:
            continue
        shown += 1
        _question(assessment_id, bank, participant.id, question, answers.get(question.id))
    if shown == 0:
        st.success(t("questionnaire.area_done"))
    _area_navigation(area_ids, current_area)


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
    lang = context.ui().lang
    with st.expander(t("questionnaire.scale_help")):
        for level in bank.scale.levels:
            descriptor = level.descriptor.get(lang) if level.descriptor else ""
            st.markdown(f"**{plain(level.label.get(lang))}** – {plain(descriptor)}")
        for special in (bank.scale.unknown, bank.scale.na):
            if special is not None:
                descriptor = special.descriptor.get(lang) if special.descriptor else ""
                st.markdown(f"**{plain(special.label.get(lang))}** – {plain(descriptor)}")


@st.fragment
def _question(assessment_id: str, bank: Bank, participant_id: str, question, existing) -> None:
    """One question as a fragment: answering reruns only this block, not the whole page.

    A fragment rerun is called with the arguments of the last full run, so the answer shown
    comes from the widget's own state once it exists (``existing`` may be stale by then).
    """
    if st.session_state.pop("q_count_changed", False):
        # A first answer or a cleared one changes the progress bars outside this fragment:
        # redraw the whole page (the "Sparat" note waits for that run).
        st.rerun(scope="app")
    lang = context.ui().lang
    key = f"ans|{assessment_id}|{participant_id}|{question.id}"
    ckey = f"com|{assessment_id}|{participant_id}|{question.id}"
    value, comment = existing if existing else (None, "")
    if st.session_state.get(f"cleared|{key}"):
        value, comment = None, ""
    current = st.session_state[key] if key in st.session_state else value
    st.session_state.setdefault(f"had|{key}", current is not None)
    options = bank.scale.options()
    with st.container(border=True):
        st.markdown(f"**{question.id}** {plain(question.text.get(lang))}")
        st.radio(
            t("questionnaire.answer_label", id=question.id), options,
            # Once the widget has state, that state wins; passing the default too only makes
            # Streamlit warn that the value was also set through the Session State API.
            index=0 if key in st.session_state else (options.index(value) if value in options else None),
            format_func=lambda v: bank.scale.label(v, lang), horizontal=True, key=key,
            on_change=_save_answer, args=(assessment_id, participant_id, question.id, key),
            label_visibility="collapsed", help=_guidance(question, lang),
        )
        cols = st.columns([5, 1])
        cols[0].text_input(
            t("questionnaire.comment"), value="" if ckey in st.session_state else comment,
            max_chars=MAX_TEXT, key=ckey,
            on_change=_save_comment, args=(assessment_id, participant_id, question.id, key, ckey),
            placeholder=t("questionnaire.comment_placeholder"),
        )
        if current is not None:
            cols[1].button(t("questionnaire.clear"), key=f"clr|{key}", on_click=_clear,
                           args=(assessment_id, participant_id, question.id, key))
        status = st.session_state.pop(f"status|{key}", None)
        if status:
            st.caption(t(status))


def _guidance(question, lang: str) -> str:
    """The question's activity and what its lowest and highest level look like (a tooltip)."""
    lines = [t("questionnaire.activity", activity=plain(question.activity.get(lang)))]
    if question.guidance:
        lines.append(f"**{t('questionnaire.low')}** {plain(question.guidance.low.get(lang))}")
        lines.append(f"**{t('questionnaire.high')}** {plain(question.guidance.high.get(lang))}")
    return "\n\n".join(lines)


def _save_answer(assessment_id: str, participant_id: str, question_id: str, key: str) -> None:
    value = st.session_state.get(key)
    if value is None:
        return
    comment = st.session_state.get(f"com|{assessment_id}|{participant_id}|{question_id}", "")
    context.store().set_answer(assessment_id, participant_id, question_id, value, comment or "")
    if st.session_state.pop(f"cleared|{key}", None) or not st.session_state.get(f"had|{key}"):
        st.session_state["q_count_changed"] = True
    st.session_state[f"had|{key}"] = True
    st.session_state[f"status|{key}"] = "questionnaire.saved"


def _save_comment(assessment_id: str, participant_id: str, question_id: str, key: str,
                  ckey: str) -> None:
    value = st.session_state.get(key)
    comment = st.session_state.get(ckey, "") or ""
    if value is None:
        st.session_state[f"status|{key}"] = "questionnaire.comment_needs_answer"
        return
    context.store().set_answer(assessment_id, participant_id, question_id, value, comment)
    st.session_state[f"status|{key}"] = "questionnaire.saved"


def _clear(assessment_id: str, participant_id: str, question_id: str, key: str) -> None:
    context.store().clear_answer(assessment_id, participant_id, question_id)
    # Set, not pop: only a value set here reaches the browser, which otherwise keeps showing
    # (and sends back on the next change, saving it again) the cleared answer.
    st.session_state[key] = None
    st.session_state[f"com|{assessment_id}|{participant_id}|{question_id}"] = ""
    st.session_state[f"cleared|{key}"] = True
    st.session_state[f"had|{key}"] = False
    st.session_state["q_count_changed"] = True
    st.session_state[f"status|{key}"] = "questionnaire.cleared"


def _area_navigation(area_ids: list[str], current_area: str) -> None:
    i = area_ids.index(current_area)
    cols = st.columns(2)
    if i > 0:
        cols[0].button(t("questionnaire.previous_area", area=area_ids[i - 1]), key="q_prev",
                       on_click=_go_to_area, args=(area_ids[i - 1],))
    if i < len(area_ids) - 1:
        cols[1].button(t("questionnaire.next_area", area=area_ids[i + 1]), key="q_next",
                       type="primary", on_click=_go_to_area, args=(area_ids[i + 1],))
    else:
        cols[1].page_link(st.session_state["pages"]["consensus"], label=t("questionnaire.to_consensus"),
                          icon="🤝")


def _go_to_area(area_id: str) -> None:
    """A button's callback: runs before the page is drawn, so the area select box can be set
    too (popping its key left the browser showing, and sending back, the old area)."""
    st.session_state["q_area"] = area_id
    st.session_state["q_area_select"] = area_id
