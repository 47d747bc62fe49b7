"""Prioritera: area importance and targets, each activity's effort, the ranked activities with
their explanations, the impact/effort chart, and the draft action plan (handlingsplan)."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import streamlit as st

from app_pages import context, report_io
from app_pages.context import t
from app_pages.markdown import plain
from app_pages.state import session
from assessment.action_plan import (LOCAL, PLAN_FIELDS, action_rows, apply_editor_changes,
                                    default_title, grouped_by_perspective, new_action,
                                    planned_activities, rows_from_editor, section_heading)
from assessment.bank import Bank
from assessment.document import Action, ActionStatus, Assessment, Effort
from assessment.files import dump_assessment
from assessment.storage import StorageError
from assessment.i18n import format_level
from charts.views import impact_view
from scoring.explain import defaults_left, explain
from scoring.score import AssessmentScore, score_assessment

EFFORTS = [e.value for e in Effort]
STATUSES = [s.value for s in ActionStatus]


def render() -> None:
    found = context.require_assessment()
    if found is None:
        return
    assessment_id, assessment, bank = found
    lang = context.ui().lang
    result = score_assessment(assessment, bank)
    st.title(t("prioritise.title"))
    st.caption(t("prioritise.intro"))
    report_io.download_buttons(assessment_id, assessment, bank, key="report_prioritise")
    # A reader sees every table, read-only, and none of the buttons that add to the plan.
    writable = context.may_change(assessment_id)
    _area_settings(assessment_id, assessment, bank, result, writable)
    _ranked(assessment_id, assessment, bank, result, lang, writable)
    _for_leadership(bank, result, lang)
    _knowledge_gaps(assessment_id, assessment, bank, result, lang, writable)
    _action_plan(assessment_id, assessment, bank, lang, writable)


def _area_settings(assessment_id: str, assessment: Assessment, bank: Bank, result: AssessmentScore,
                   writable: bool) -> None:
    lang = context.ui().lang
    st.header(t("prioritise.settings_title"))
    rows = [{"area": a.id, "name": bank.area(a.id).name.get(lang), "level": format_level(a.mean_level, lang),
             "target": float(a.target), "importance": a.importance} for a in result.areas]
    key = f"settings|{assessment_id}|{_digest(assessment.targets, assessment.importance)}"
    st.data_editor(
        rows, key=key, hide_index=True, width="stretch",
        disabled=["area", "name", "level"] if writable else True,
        on_change=_save_settings, args=(assessment_id, rows, key),
        column_config={
            "area": st.column_config.TextColumn(t("results.col_area"), width="small"),
            "name": st.column_config.TextColumn(t("prioritise.col_name")),
            "level": st.column_config.TextColumn(t("results.col_level"), width="small"),
            # "localized": 3 and 2,5 in a Swedish browser, not 3.0 and 2.5
            "target": st.column_config.NumberColumn(t("results.col_target"), min_value=0,
                                                    max_value=bank.scale.top, step=0.5, required=True,
                                                    format="localized"),
            "importance": st.column_config.SelectboxColumn(
                t("prioritise.col_importance"), options=[1, 2, 3], required=True,
                help=t("prioritise.importance_help")),
        },
    )


def _save_settings(assessment_id: str, rows: list[dict], key: str) -> None:
    edits = (st.session_state.get(key) or {}).get("edited_rows", {})
    store = context.store()
    try:
        for index, change in edits.items():
            area = rows[int(index)]["area"]
            if change.get("target") is not None:
                store.set_target(assessment_id, area, float(change["target"]))
            if change.get("importance") is not None:
                store.set_importance(assessment_id, area, int(change["importance"]))
    except (StorageError, TypeError, ValueError) as exc:  # refused, or not a number at all
        context.locked_message(exc if isinstance(exc, StorageError) else StorageError(str(exc)))
        return
    context.saved()


def _ranked(assessment_id: str, assessment: Assessment, bank: Bank, result: AssessmentScore,
            lang: str, writable: bool) -> None:
    st.header(t("prioritise.ranked_title"))
    # the theme cap and the unit's separate list, where the bank gives themes and levels
    st.caption(" ".join([t("prioritise.ranked_help")]
                        + ([t("prioritise.theme_cap")] if bank.themes else [])))
    if not result.priorities:
        st.info(t("prioritise.no_candidates"))
        return
    left = defaults_left(result.priorities)
    if left:
        st.info(t("prioritise.defaults_left", count=left, total=len(result.priorities)))
    planned = planned_activities(assessment)
    rows = [
        {"rank": i, "question": p.question, "activity": bank.question(p.question).title(lang),
         "why": explain(p, bank, lang), "score": round(p.score, 2),
         "effort": assessment.effort[p.question].value if p.question in assessment.effort else None,
         "in_plan": p.question in planned}
        for i, p in enumerate(result.priorities, start=1)
    ]
    key = f"ranked|{assessment_id}|{_digest(assessment.effort, sorted(planned))}"
    st.data_editor(
        rows, key=key, hide_index=True, width="stretch", placeholder=t("effort.unset"),
        disabled=["rank", "question", "activity", "why", "score"] if writable else True,
        on_change=_save_ranked, args=(assessment_id, rows, key, lang),
        column_config={
            "rank": st.column_config.NumberColumn("#", width="small"),
            "question": st.column_config.TextColumn(t("results.col_question"), width="small"),
            "activity": st.column_config.TextColumn(t("prioritise.col_activity"), width="large"),
            "why": st.column_config.TextColumn(t("prioritise.col_why"), width="large"),
            "score": st.column_config.NumberColumn(t("prioritise.col_score"), format="localized",
                                                   help=t("prioritise.score_help")),
            "effort": st.column_config.SelectboxColumn(t("prioritise.effort"), options=EFFORTS,
                                                       format_func=lambda v: t(f"effort.{v}")),
            "in_plan": st.column_config.CheckboxColumn(t("prioritise.col_in_plan")),
        },
    )
    with st.expander(t("prioritise.why_title"), expanded=True):  # the "Varför" cells in full
        st.markdown("\n".join(f"{row['rank']}. **{row['question']}** {plain(row['activity'])} – "
                               f"{plain(row['why'])}" for row in rows))
    with st.expander(t("prioritise.impact_title")):
        chart, table = impact_view(result.priorities, bank, lang)
        st.altair_chart(chart, key="chart_impact")
        st.dataframe(table, hide_index=True, width="stretch")


def _for_leadership(bank: Bank, result: AssessmentScore, lang: str) -> None:
    """A unit's assessment: what a higher level decides, ranked apart with its reasons."""
    if not result.for_leadership:
        return
    st.header(t("prioritise.leadership_title"))
    st.caption(t("prioritise.leadership_help"))
    st.dataframe(
        [{"rank": i, "question": p.question, "activity": bank.question(p.question).title(lang),
          "why": explain(p, bank, lang), "score": round(p.score, 2)}
         for i, p in enumerate(result.for_leadership, start=1)],
        hide_index=True, width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn("#", width="small"),
            "question": st.column_config.TextColumn(t("results.col_question"), width="small"),
            "activity": st.column_config.TextColumn(t("prioritise.col_activity"), width="large"),
            "why": st.column_config.TextColumn(t("prioritise.col_why"), width="large"),
            "score": st.column_config.NumberColumn(t("prioritise.col_score"), format="localized"),
        })


def _save_ranked(assessment_id: str, rows: list[dict], key: str, lang: str) -> None:
    edits = (st.session_state.get(key) or {}).get("edited_rows", {})
    store = context.store()
    bank = None
    try:
        for index, change in edits.items():
            question = rows[int(index)]["question"]
            if "effort" in change:
                store.set_effort(assessment_id, question, change["effort"] or None)
            if "in_plan" in change:
                bank = bank or context.banks().get(store.load(assessment_id).bank.id)
                if change["in_plan"]:  # added unless the plan has the activity already
                    store.add_action(assessment_id, new_action(bank, question, lang),
                                     unless_planned=True)
                else:
                    store.remove_activity_actions(assessment_id, question)
    except StorageError as exc:
        context.locked_message(exc)
        return
    context.saved()


def _knowledge_gaps(assessment_id: str, assessment: Assessment, bank: Bank, result: AssessmentScore,
                    lang: str, writable: bool) -> None:
    st.header(t("prioritise.gaps_title"))
    st.caption(t("prioritise.gaps_help"))
    if not result.knowledge_gaps:
        st.caption(t("results.no_gaps"))
        return
    planned = planned_activities(assessment)
    for gap in result.knowledge_gaps:
        question = bank.question(gap.question)
        cols = st.columns([5, 1])
        cols[0].markdown(f"**{gap.question}** {plain(question.text.get(lang))}")
        if gap.question in planned:
            cols[1].caption(t("prioritise.in_plan"))
        elif not writable:
            continue
        else:
            cols[1].button(t("prioritise.find_out"), key=f"gap|{gap.question}",
                           on_click=_find_out, args=(assessment_id, bank, gap.question, lang))
            context.refused_once(f"gap|{gap.question}")


def _find_out(assessment_id: str, bank: Bank, question: str, lang: str) -> None:
    """*Ta reda på*'s callback: the run it starts shows the action in the plan (or the
    refusal once, under the gap)."""
    action = new_action(bank, question, lang).model_copy(
        update={"title": t("prioritise.find_out_title", id=question)})
    context.write(f"gap|{question}", lambda: context.store().add_action(
        assessment_id, action, unless_planned=True), context.saved)


def _action_plan(assessment_id: str, assessment: Assessment, bank: Bank, lang: str,
                 writable: bool) -> None:
    st.header(t("prioritise.plan_title"))
    if writable:
        st.caption(t("prioritise.plan_help"))
    else:
        st.info(t("workspace.reader_form"))
    items = context.store().action_items(assessment_id)  # with their ids: edited row by row
    rows = action_rows([item.action for item in items], bank, lang)
    ids = [item.id for item in items]
    key = f"plan|{assessment_id}|{_digest(rows, ids)}"
    question_ids = list(bank.question_index())
    text = st.column_config.TextColumn
    st.data_editor(  # its columns also when the plan is empty, so the first item can be typed in
        pd.DataFrame(rows, columns=list(PLAN_FIELDS)), key=key, hide_index=True, width="stretch",
        num_rows="dynamic" if writable else "fixed", disabled=not writable, placeholder="",
        column_order=PLAN_FIELDS,
        on_change=_save_plan, args=(assessment_id, bank, rows, ids, key, lang),
        column_config={
            # Not required: a row without an activity is a local action, and a required cell
            # left empty kept a new row in the browser (a corner triangle) until a reload lost it.
            "activity": st.column_config.SelectboxColumn(t("prioritise.col_activity_id"),
                                                         options=question_ids),
            "activity_text": text(t("prioritise.col_activity_text"), disabled=True, width="large"),
            "goal": text(t("prioritise.col_goal"), max_chars=2000, width="medium"),
            "title": text(t("prioritise.col_title"), max_chars=200, width="large"),
            "owner": text(t("prioritise.col_owner"), max_chars=200),
            "due": st.column_config.DateColumn(t("prioritise.col_due"), format="YYYY-MM-DD"),
            "status": st.column_config.SelectboxColumn(t("prioritise.col_status"), options=STATUSES,
                                                       default=ActionStatus.planned.value,
                                                       format_func=lambda v: t(f"status.{v}")),
            "follow_up": text(t("prioritise.col_follow_up"), max_chars=2000, width="medium"),
            "follow_up_date": st.column_config.DateColumn(t("prioritise.col_follow_up_date"),
                                                          format="YYYY-MM-DD"),
            "note": text(t("prioritise.col_note"), max_chars=2000),
        },
    )
    # What keeps a row the editor holds from being saved, said for as long as it holds it (the
    # editor keeps what was typed until a reload); then a refusal of the store, once.
    for problem in _unsaved(bank, rows, st.session_state.get(key) or {}, lang):
        st.error(plain(problem))
    for message in session().plan_problems.pop(assessment_id, []):  # Markdown, escaped
        st.error(message)
    sections = grouped_by_perspective(assessment, bank)
    if sections:
        with st.expander(t("prioritise.plan_by_area"), expanded=True):
            for section, groups in sections:
                st.markdown(f"### {section_heading(section, lang)}")
                for area_id, actions in groups:
                    if area_id != LOCAL:  # the local actions' section is their only group
                        st.markdown(f"**{area_id} {plain(bank.area(area_id).name.get(lang))}**")
                    for a in actions:
                        st.markdown(f"- {_plan_line(a, lang)}")
    cols = st.columns(2)
    plan = {"organisation": assessment.organisation.model_dump(mode="json"),
            "date": str(assessment.date), "actions": [a.model_dump(mode="json") for a in assessment.actions]}
    cols[0].download_button(t("prioritise.download_plan"), data=json.dumps(plan, ensure_ascii=False, indent=2),
                            file_name="handlingsplan.json", mime="application/json", key="dl_plan",
                            on_click="ignore")
    cols[1].download_button(t("start.download_json"), data=dump_assessment(assessment),
                            file_name="sjalvskattning.json", mime="application/json", key="dl_all",
                            on_click="ignore")


def _save_plan(assessment_id: str, bank: Bank, rows: list[dict], ids: list[int], key: str,
               lang: str) -> None:
    """Write the editor's changes item by item (by id), as answers are: an edited row changes
    only the fields edited, a deleted row removes that item, an added row adds one; items
    others added or changed meanwhile stay as they are. "Sparat" only when something was
    written (a new row with nothing typed in it yet is not)."""
    changes = st.session_state.get(key) or {}
    if _unsaved(bank, rows, changes, lang):
        return  # nothing is written while a row is incomplete; the page says why
    known = set(bank.question_index())
    store = context.store()
    written = 0
    try:
        for index, edits in (changes.get("edited_rows") or {}).items():
            i = int(index)
            if not 0 <= i < len(rows) or i in {int(d) for d in changes.get("deleted_rows") or []}:
                continue
            row = _complete({**rows[i], **edits}, bank, known, lang)
            edited, _ = rows_from_editor([row], known, lang)
            if not edited:  # emptied: the item goes
                store.remove_action(assessment_id, ids[i])
                written += 1
                continue
            fields = {name: getattr(edited[0], name) for name in Action.model_fields
                      if name in edits or row.get(name) != rows[i].get(name)}
            if fields:
                store.update_action(assessment_id, ids[i], **fields)
                written += 1
        for index in changes.get("deleted_rows") or []:
            if 0 <= int(index) < len(ids):
                store.remove_action(assessment_id, ids[int(index)])
                written += 1
        added = [_complete(dict(row), bank, known, lang) for row in changes.get("added_rows") or []]
        for action in rows_from_editor(added, known, lang)[0]:
            store.add_action(assessment_id, action)
            written += 1
    except StorageError as exc:  # e.g. the item was removed in another window meanwhile
        session().plan_problems[assessment_id] = [context.refused_text(exc)]
        return
    if written:
        context.saved()


def _unsaved(bank: Bank, rows: list[dict], changes: dict, lang: str) -> list[str]:
    """Why the editor's rows (``rows`` with ``changes``) cannot be saved: one line per row
    with something typed but no action, an unknown activity or a date that is none."""
    known = set(bank.question_index())
    new_rows = [_complete(row, bank, known, lang) for row in apply_editor_changes(rows, changes)]
    return rows_from_editor(new_rows, known, lang)[1]


def _plan_line(a: Action, lang: str) -> str:
    """One item of the plan in words: the action, its activity, then what is set of goal,
    owner, due date, status and follow-up."""
    parts = [f"{plain(a.title)} ({a.activity})" if a.activity else plain(a.title)]
    if a.goal:
        parts.append(t("prioritise.plan_goal", goal=plain(a.goal)))
    parts += [plain(a.owner)] if a.owner else []
    parts += [str(a.due)] if a.due else []
    parts.append(t("status." + a.status.value))
    if a.follow_up:
        parts.append(t("prioritise.plan_follow_up", how=plain(a.follow_up)))
    if a.follow_up_date:
        parts.append(t("prioritise.plan_follow_up_date", date=str(a.follow_up_date)))
    return " · ".join(parts)


def _complete(row: dict, bank: Bank, known: set[str], lang: str) -> dict:
    """An editor row with the defaults a new item gets: the activity's title, status planned."""
    if row.get("activity") in known and not (row.get("title") or "").strip():
        row["title"] = default_title(bank, row["activity"], lang)
    row["status"] = row.get("status") or ActionStatus.planned.value
    return row


def _digest(*parts) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:10]
