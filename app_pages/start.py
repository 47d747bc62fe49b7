"""Start: create an assessment, open a saved one, or upload an assessment file."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import context, excel_io, kept_keys
from app_pages import workshop as workshop_page
from app_pages.context import t
from app_pages.markdown import plain
from assessment.bank import Audience
from assessment.demo import demo_assessment, is_demo
from assessment.document import MAX_NAME, Assessment, BankRef, unit_label
from assessment.files import dump_assessment, file_stem, parse_assessment
from assessment.problems import InvalidFile
from assessment.progress import answers_left_out
from assessment.storage import (FACILITATOR, InvalidInput, LockedWorkshop, StorageError,
                                Workspace)
from assessment.storage.checks import validated

KINDS = [a.value for a in Audience]


def render() -> None:
    st.title(t("start.title"))
    st.caption(t("start.intro"))
    found = context.current()
    if found is not None and context.facilitator_may_open(found[0]):
        _render_open(*found)
    # With sign-in: the member's workspaces, read once for the whole page.
    mine = context.store().list_workspaces() if context.member() is not None else None
    if mine is not None and not _render_workspace(mine):
        return
    chosen = context.workspace(mine)
    may_create = chosen is None or chosen.role == FACILITATOR  # None: no sign-in
    if may_create:
        _render_example(chosen)
    new_tab, open_tab, upload_tab = st.tabs([t("start.new"), t("start.saved"), t("start.upload")])
    with new_tab:
        _render_new(chosen) if may_create else st.info(t("workspace.reader_create"))
    with open_tab:
        _render_saved(chosen, may_create)
    with upload_tab:
        _render_upload(chosen) if may_create else st.info(t("workspace.reader_create"))


def _render_workspace(mine: list[Workspace]) -> bool:
    """With sign-in: the workspace picker for a member of several, a line naming the one of a
    member of one; False, with a message, for a member of none."""
    if not mine:
        st.warning(t("workspace.none", email=plain(context.member() or "–")))
        return False
    label = {w.id: f"{w.name} ({t(f'workspace.role_{w.role}')})" for w in mine}
    if len(mine) > 1:
        st.selectbox(t("workspace.pick"), list(label), format_func=label.get,
                     key=context.WORKSPACE)
    else:
        st.caption(t("workspace.one", name=plain(label[mine[0].id])))
    return True


def _create_and_open(assessment: Assessment, chosen: Workspace | None, page: str) -> None:
    """Store a new assessment in the chosen workspace and open it on ``page``; if refused, a
    message says why."""
    try:
        assessment_id = context.store().create_assessment(assessment, chosen.id if chosen else None)
    except StorageError as exc:
        context.locked_message(exc)
        return
    context.open_assessment(assessment_id)
    st.switch_page(context.page(page))


def _render_open(assessment_id: str, assessment: Assessment, bank) -> None:
    org = assessment.organisation
    with st.container(border=True):
        st.markdown(f"**{t('start.open_now')}**")
        st.text(f"{org.label} · {assessment.date} · "
                f"{bank.title.get(context.ui().lang)}")
        if is_demo(assessment):
            st.caption(t("start.example_open"))
        cols = st.columns(4)
        cols[0].page_link(context.page("questionnaire"), label=t("start.continue"),
                          icon="📝")
        cols[1].download_button(
            t("start.download_json"), data=lambda: dump_assessment(assessment).encode("utf-8"),
            file_name=f"{file_stem(assessment, 'sjalvskattning')}.json", mime="application/json",
            key="download_open", on_click="ignore")
        with cols[2]:
            excel_io.export_button(assessment, bank, key="excel_open")
        secret = context.facilitator_keys().get(assessment_id)
        with cols[3]:
            kept_keys.leave_button(t("start.close"), "close_open", secret, _close)
        kept_keys.confirm_leave("close_open", secret, _close,
                                lambda: workshop_page.offer_key(secret, assessment, None,
                                                                "close_key"))
        if context.may_change(assessment_id):
            with st.popover(t("start.edit_details"), icon="✏️"):
                _edit_details(assessment_id, assessment, bank)


def _close() -> None:
    context.open_assessment(None)


def _edit_details(assessment_id: str, assessment: Assessment, bank) -> None:
    """The open assessment's organisation, unit, date and audience, changed with the same
    fields and checks as a new one. Answers to questions that the new kind or audience leaves
    out stay in the database but no longer count: saving then needs a tick first."""
    prefix = f"edit|{assessment_id}"
    _, kind, _, _ = _detail_fields(prefix, assessment)
    audience = _audience_field(prefix, assessment)
    left_out = _answers_left_out(assessment, bank, kind, audience)
    if left_out:
        st.warning(t("start.edit_left_out", count=left_out))
        st.checkbox(t("start.edit_left_out_confirm"), key=f"{prefix}_confirm")
    st.button(t("start.edit_save"), type="primary", key=f"{prefix}_save",
              on_click=_save_details, args=(assessment_id, assessment, bank, prefix))
    context.refused_once(prefix)


def _save_details(assessment_id: str, assessment: Assessment, bank, prefix: str) -> None:
    """*Spara uppgifterna*'s callback, with the fields' values by their keys: the run it starts
    draws the details saved, or the first problem once (``context.refused_once(prefix)``)."""
    values = st.session_state
    name, kind, unit, date, audience = (values[f"{prefix}_{field}"] for field in
                                        ("org", "kind", "unit", "date", "audience"))
    changed = _details_or_problem(bank, name, kind, unit, date, audience)
    if isinstance(changed, str):
        context.refuse(prefix, changed)
        return
    if _answers_left_out(assessment, bank, kind, audience) and not values.get(f"{prefix}_confirm"):
        context.refuse(prefix, t("start.edit_confirm_first"))
        return
    context.write(prefix, lambda: context.store().update_details(
        assessment_id, changed.organisation, changed.date, changed.audience))


def _answers_left_out(assessment: Assessment, bank, kind: str, audience: str) -> int:
    """``progress.answers_left_out`` with the organisation of ``kind`` answering
    ``audience``'s questions (the fields' choices)."""
    org = assessment.organisation.model_copy(update={"kind": Audience(kind)})
    then = assessment.model_copy(update={"organisation": org,
                                         "audience": _chosen_audience(audience)})
    return answers_left_out(assessment, then, bank)


def _render_example(chosen: Workspace | None) -> None:
    """One click opens a fresh copy of the made-up example assessment (assessment.demo)."""
    cols = st.columns([1, 3], vertical_alignment="center")
    clicked = cols[0].button(t("start.example"), key="open_example", icon="🧪")
    cols[1].caption(t("start.example_help"))
    if not clicked:
        return
    try:
        assessment = demo_assessment(context.banks().banks)
    except InvalidFile as exc:  # its bank is not installed, or replaced by another version
        st.error(t("start.example_invalid"))
        st.code("\n".join(str(p) for p in exc.problems[:50]), language=None)
        return
    _create_and_open(assessment, chosen, "results")


def _render_new(chosen: Workspace | None) -> None:
    bank_set = context.banks()
    if not bank_set.banks:
        st.error(t("start.no_banks"))
        return
    lang = context.ui().lang
    bank_ids = list(bank_set.banks)
    with st.form("new_assessment", clear_on_submit=False):
        name, kind, unit, date = _detail_fields("new")
        bank_id = st.selectbox(t("start.bank"), bank_ids, index=bank_ids.index(bank_set.default_id()),
                               format_func=lambda b: bank_set.banks[b].title.get(lang), key="new_bank")
        audience = _audience_field("new")
        submitted = st.form_submit_button(t("start.create"), type="primary")
    if not submitted:
        return
    bank = bank_set.banks[bank_id]
    assessment = _checked_details(bank, name, kind, unit, date, audience)
    if assessment is not None:
        _create_and_open(assessment, chosen, "questionnaire")


def _detail_fields(prefix: str, now: Assessment | None = None) -> tuple[str, str, str, dt.date]:
    """The organisation's name, its kind, the unit and the date, as a new assessment asks for
    them and the open one's "Ändra uppgifter" shows them (``now``: as they are); the widgets'
    keys begin with ``prefix``."""
    org = now.organisation if now else None
    name = st.text_input(t("start.organisation"), max_chars=MAX_NAME, key=f"{prefix}_org",
                         value=org.name if org else "")
    kind = st.selectbox(t("start.kind"), KINDS, format_func=lambda k: t(f"kind.{k}"),
                        key=f"{prefix}_kind", index=KINDS.index(org.kind.value) if org else 0)
    unit = st.text_input(t("start.unit"), max_chars=MAX_NAME, key=f"{prefix}_unit",
                         value=org.unit if org else "")
    date = st.date_input(t("start.date"), value=now.date if now else dt.date.today(),
                         format="YYYY-MM-DD", key=f"{prefix}_date")
    return name, kind, unit, date


AUDIENCES = ["same", *KINDS]  # "same": the organisation's kind


def _audience_field(prefix: str, now: Assessment | None = None) -> str:
    """Whose questions are shown: "same" (the organisation's kind) or one of ``KINDS``."""
    current = now.audience.value if now and now.audience else "same"
    return st.selectbox(t("start.audience"), AUDIENCES, key=f"{prefix}_audience",
                        index=AUDIENCES.index(current),
                        format_func=lambda k: t("start.audience_same") if k == "same"
                        else t(f"kind.{k}"), help=t("start.audience_help"))


def _chosen_audience(audience: str) -> Audience | None:
    """The audience an assessment is given for the field's choice (None: its organisation's)."""
    return None if audience == "same" else Audience(audience)


def _checked_details(bank, name: str, kind: str, unit: str, date: dt.date,
                     audience: str) -> Assessment | None:
    """An assessment of ``bank`` with these details, checked as every write is; None, with a
    message, without a name, with a value the store refuses, or when the bank has no
    questions for its audience."""
    checked = _details_or_problem(bank, name, kind, unit, date, audience)
    if isinstance(checked, str):
        st.error(checked)
        return None
    return checked


def _details_or_problem(bank, name: str, kind: str, unit: str, date: dt.date,
                        audience: str) -> Assessment | str:
    """``_checked_details``' assessment, or its message (a line for ``st.error``)."""
    if not name.strip():
        return t("start.name_required")
    try:
        assessment = validated(Assessment, bank=BankRef(id=bank.id, version=bank.version),
                               organisation={"name": name, "kind": kind, "unit": unit},
                               audience=_chosen_audience(audience), date=date)
    except InvalidInput as exc:  # only a crafted message gets past the form's limits
        return context.refused_text(exc)
    whose = assessment.effective_audience
    if not bank.questions_for(whose):
        return t("start.no_questions", bank=plain(bank.title.get(context.ui().lang)),
                 audience=t(f"kind.{whose.value}"))
    return assessment


def _render_saved(chosen_workspace: Workspace | None, may_change: bool) -> None:
    summaries = context.store().list_assessments()  # with sign-in: the member's workspaces'
    locked = context.store().locked_workshops()     # run as a workshop in another browser
    if chosen_workspace is not None:
        summaries = [s for s in summaries if s.workspace_id == chosen_workspace.id]
        locked = [w for w in locked if w.workspace_id == chosen_workspace.id]
    if not summaries:
        st.info(t("start.none_saved"))
    else:
        _saved_list(summaries, may_change)
    if locked:
        _locked_list(locked)


def _locked_list(locked: list[LockedWorkshop]) -> None:
    """The workshops this browser holds no key of: that each exists, when it was opened and
    how it is opened, nothing of its content (its organisation, answers and results are the
    facilitator's until the key is given)."""
    st.markdown(f"**{t('start.locked_title')}**")
    st.caption(t("start.locked_help"))
    for n, workshop in enumerate(locked):
        cols = st.columns([3, 1], vertical_alignment="center")
        cols[0].markdown(t("start.locked_row", date=workshop.opened_at.date().isoformat()))
        if cols[1].button(t("start.locked_open"), key=f"locked_{n}"):
            context.open_assessment(workshop.assessment_id)
            st.switch_page(context.page("workshop"))


def _saved_list(summaries, may_change: bool) -> None:
    bank_set = context.banks()
    rows = []
    for s in summaries:
        bank = bank_set.get(s.bank_id)
        total = _scope_size(bank, s.org_kind, s.audience) if bank else 0
        rows.append({
            t("start.col_organisation"): s.org_name,
            t("start.col_unit"): s.unit,
            t("start.col_date"): s.date,
            t("start.col_bank"): s.bank_id,
            t("start.col_participants"): s.participants,
            t("start.col_progress"): (s.answered_questions / total) if total else 0.0,
            t("start.col_updated"): s.updated_at,
        })
    st.dataframe(
        rows, hide_index=True, width="stretch",
        column_config={t("start.col_progress"): st.column_config.ProgressColumn(
            t("start.col_progress"), min_value=0.0, max_value=1.0, format="percent")},
    )
    labels = {s.id: f"{unit_label(s.org_name, s.unit)} · {s.date}" for s in summaries}
    chosen = st.selectbox(t("start.choose"), list(labels), format_func=labels.get, key="open_choice")
    cols = st.columns(2)
    if cols[0].button(t("start.open"), type="primary", key="open_saved"):
        context.open_assessment(chosen)
        st.switch_page(context.page("questionnaire"))
    context.refused_once("delete_saved")
    if not may_change:
        return
    with cols[1].popover(t("start.delete")):
        if not context.facilitator_may_open(chosen):
            st.warning(t("common.locked"))
            return
        st.warning(t("start.delete_warning", name=plain(labels[chosen])))
        st.button(t("start.delete_confirm"), key="delete_saved", on_click=_delete,
                  args=(chosen,))


def _delete(assessment_id: str) -> None:
    """*Ta bort*'s callback: the run it starts lists the assessments left (or says why the
    store refused, e.g. deleted meanwhile in another window)."""
    def closed() -> None:
        if context.ui().assessment_id == assessment_id:
            context.open_assessment(None)

    context.write("delete_saved", lambda: context.store().delete_assessment(assessment_id),
                  after=closed)


def _scope_size(bank, kind: str, audience: str | None) -> int:
    return len(bank.questions_for(audience or kind))


def _render_upload(chosen: Workspace | None) -> None:
    st.caption(t("start.upload_help"))
    upload = st.file_uploader(t("start.upload_label"), type=["json"], key="upload_json",
                              max_upload_size=20)
    if upload is None:
        return
    data = upload.getvalue()
    try:
        assessment = parse_assessment(upload.name, data, context.banks().banks)
    except InvalidFile as exc:
        st.error(t("start.upload_invalid", file=plain(upload.name)))
        st.code("\n".join(str(p) for p in exc.problems[:50]), language=None)
        return
    org = assessment.organisation
    st.success(t("start.upload_valid", name=plain(org.name), date=str(assessment.date),
                 answers=len(assessment.answers)))
    if st.button(t("start.upload_open"), type="primary", key="upload_open"):
        _create_and_open(assessment, chosen, "results")
