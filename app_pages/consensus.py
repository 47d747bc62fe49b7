"""Samsyn: where participants disagree (spread ≥ 2) and where someone does not know come first;
the team records the agreed level and a note, on the answer sheet (``app_pages.answer_sheet``)
with the team's agreed levels as its answers (``ConsensusAnswers``): a sheet per question,
under the question's flags and distribution."""

from __future__ import annotations

import streamlit as st

from app_pages import answer_sheet as sheet_ui
from app_pages import context
from app_pages.context import t
from app_pages.markdown import plain
from assessment.answer_sheet import ConsensusAnswers
from assessment.bank import Bank
from charts.views import distribution_view, value_basis
from scoring.discussion import discussion_order, needs_discussion
from scoring.questions import QuestionScore
from scoring.score import score_assessment

PAGE_SIZE = 15


def render() -> None:
    found = context.require_assessment()
    if found is None:
        return
    assessment_id, assessment, bank = found
    lang = context.ui().lang
    st.title(t("consensus.title"))
    st.caption(t("consensus.intro"))
    result = score_assessment(assessment, bank)
    ordered = discussion_order(result)
    flagged = [q for q in ordered if needs_discussion(q)]
    c = st.columns(3)
    c[0].metric(t("consensus.disagreements"),  # open: not agreed yet
                sum(1 for q in ordered if q.disagreement and not q.consensus))
    c[1].metric(t("consensus.unknowns"), sum(1 for q in ordered if q.unknown_answers))
    c[2].metric(t("consensus.agreed"), len(assessment.consensus))
    show = st.segmented_control(
        t("consensus.show"), ["flagged", "all"], default="flagged", key="c_show",
        format_func=lambda k: t(f"consensus.show_{k}"),
    ) or "flagged"
    questions = flagged if show == "flagged" else [q for q in ordered if q.answers]
    if not questions:
        st.success(t("consensus.nothing_flagged") if show == "flagged" else t("consensus.no_answers"))
        return
    # Only a name the participant gave is shown: an anonymous participant's fixed id would let
    # a small group follow one person from question to question.
    names = {p.id: p.name for p in assessment.participants}
    by_question: dict[str, list[tuple[str, object, str]]] = {}
    for a in assessment.answers:
        by_question.setdefault(a.question, []).append((names.get(a.participant, ""), a.value,
                                                       a.comment))
    consensus = {c.question: c for c in assessment.consensus}
    read = ({c.question: (c.value, c.note) for c in assessment.consensus}, True)
    pages = max(1, -(-len(questions) // PAGE_SIZE))
    page = 1
    if pages > 1:
        page = st.number_input(t("consensus.page", pages=pages), 1, pages, 1, key="c_page")
    for q in questions[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]:
        _question(assessment_id, bank, q, by_question.get(q.id, []), consensus.get(q.id), lang,
                  read)


def _distribution(bank: Bank, answers: list[tuple[str, object, str]], lang: str) -> list[dict]:
    """Per answer given: how many, who (by the names they gave) and their comments – the
    reasons beside the levels, so the discussion starts from them; an unnamed participant's
    comment stands without a name, and the comments in text order, not in participants'."""
    rows = []
    for option in bank.scale.options():
        given = [(name, comment) for name, value, comment in answers if value == option]
        if given:
            comments = sorted(f"{name}: {comment}" if name else comment
                              for name, comment in given if comment)
            rows.append({t("consensus.col_answer"): bank.scale.label(option, lang),
                         t("consensus.col_count"): len(given),
                         t("consensus.col_who"): ", ".join(sorted(n for n, _ in given if n)),
                         t("consensus.col_comments"): " · ".join(comments)})
    return rows


def _question(assessment_id: str, bank: Bank, q: QuestionScore, answers, agreed, lang: str,
              read) -> None:
    question = bank.question(q.id)
    flags = []
    if q.disagreement:
        flags.append(t("consensus.flag_spread", spread=q.spread))
    if q.knowledge_gap:
        flags.append(t("consensus.flag_gap", count=q.unknown_answers, total=q.counted_answers))
    elif q.uncertain:
        flags.append(t("consensus.flag_uncertain", count=q.unknown_answers,
                       total=q.counted_answers))
    elif q.unknown_answers:
        flags.append(t("consensus.flag_unknown", count=q.unknown_answers))
    with st.container(border=True):
        st.markdown(f"**{q.id}** {plain(question.text.get(lang))}")
        if agreed is not None:  # done: the team has agreed a level
            st.success(t("consensus.agreed_done", level=bank.scale.label(agreed.value, lang)),
                       icon="✅")
        if flags:
            st.warning(" · ".join(flags))
        chart, _ = distribution_view(bank, [value for _, value, _ in answers], lang)
        st.vega_lite_chart(chart.to_dict(validate=False), key=f"dist|{q.id}",
                           alt=t("consensus.chart_alt", id=q.id))
        st.dataframe(_distribution(bank, answers, lang), hide_index=True, width="stretch")
        if q.median is not None and not q.consensus:
            st.caption(t("consensus.current_value", value=bank.scale.value_label(q.median, lang),
                         basis=value_basis(q, lang)))
        # The agreed level and its note: the sheet's answer and comment; clearing it leaves
        # the question to the median of the participants' answers.
        area = bank.question_index()[q.id][0]
        sheet_ui.draw(ConsensusAnswers(context.store(), assessment_id, q.id), bank,
                      [(area, [question])], area_key=f"cons_area|{q.id}",
                      heading=t("consensus.agreed_level"), read=read,
                      texts={"comment": t("consensus.note"), "comment_placeholder": "",
                             "clear": t("consensus.none")})
