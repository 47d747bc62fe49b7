"""Excel in the app: the report workbook, blank answer forms, and importing filled forms.

The workbooks are built only when a download button is clicked (deferred), so drawing a
page never pays for them. An import checks every file before anything is saved, then adds
one participant per form (``Store.add_participants``): nobody already there is touched.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from app_pages import context
from app_pages.context import t
from app_pages.markdown import plain
from app_pages.state import FormsImport, session
from assessment.bank import Bank
from assessment.document import Assessment
from assessment.excel import answer_form, apply_forms, export_workbook, read_forms
from assessment.problems import InvalidFile
from assessment.storage import NewParticipant, StorageError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FORM_MB = 10


def export_button(assessment: Assessment, bank: Bank, key: str) -> None:
    lang = context.ui().lang
    st.download_button(
        t("excel_app.export"), data=lambda: export_workbook(assessment, bank, lang),
        file_name="sjalvskattning.xlsx" if lang == "sv" else "self-assessment.xlsx", mime=XLSX,
        key=key, on_click="ignore", icon="📗",
    )


def forms_section(assessment_id: str, assessment: Assessment, bank: Bank) -> None:
    lang = context.ui().lang
    st.caption(t("excel_app.forms_help"))
    st.download_button(
        t("excel_app.form_download"),
        data=lambda: answer_form(bank, assessment.effective_audience, lang),
        file_name="svarsformular.xlsx" if lang == "sv" else "answer-form.xlsx", mime=XLSX,
        key="form_download", on_click="ignore", icon="📄",
    )
    _last_result(assessment_id)
    if not context.may_change(assessment_id):  # a reader downloads the form, imports nothing
        st.info(t("workspace.reader_form"))
        return
    uploads = st.file_uploader(t("excel_app.form_upload"), type=["xlsx"], accept_multiple_files=True,
                               key=f"form_upload|{assessment_id}", max_upload_size=MAX_FORM_MB)
    if not uploads:
        return
    files = [(u.name, u.getvalue()) for u in uploads]
    digest = hashlib.sha256(b"".join(hashlib.sha256(data).digest() for _, data in files)).hexdigest()
    last = session().forms.get(assessment_id)
    if last is not None and last.digest == digest:
        st.info(t("excel_app.form_already"))
        return
    try:
        forms = read_forms(files, context.banks().banks, bank_id=bank.id)
    except InvalidFile as exc:
        st.error(t("excel_app.form_invalid", count=len(files)))
        st.code("\n".join(str(p) for p in exc.problems[:50]), language=None)
        return
    try:
        apply_forms(assessment, forms)  # checks every form against the assessment's bank
    except InvalidFile as exc:
        st.error(t("excel_app.form_invalid", count=len(files)))
        st.code("\n".join(str(p) for p in exc.problems[:50]), language=None)
        return
    st.success(t("excel_app.form_valid", count=len(forms),
                 answers=sum(len(f.answers) for f in forms)))
    st.button(t("excel_app.form_apply"), type="primary", key="form_apply", on_click=_add_forms,
              args=(assessment_id, forms, digest))
    context.refused_once("form_apply")


def _add_forms(assessment_id: str, forms, digest: str) -> None:
    """The import button's callback: add one participant per form with their answers, in one
    transaction; everyone else, their answers and every workshop participant's link stay. A
    form imported before (in any earlier import) is not added again, and the page says so
    (``_last_result``, in the run the button starts)."""
    people = [NewParticipant(f.name, f.role, [(a.question, a.value, a.comment) for a in f.answers],
                             f.key) for f in forms]
    try:
        added = context.store().add_participants(assessment_id, people)
    except StorageError as exc:
        context.refuse("form_apply", t("excel_app.form_refused", reason=context.refusal(exc)))
        return
    session().forms[assessment_id] = FormsImport(
        digest, created=sum(1 for a in added if a.created),
        duplicates=[(f.file, a.participant_id) for f, a in zip(forms, added) if not a.created],
    )
    context.invalidate()
    context.saved()


def _last_result(assessment_id: str) -> None:
    """What the last import did (shown once, in the run its button started)."""
    result = session().forms.get(assessment_id)
    if result is None or result.shown:
        return
    result.shown = True
    if result.created:
        st.success(t("excel_app.form_added", count=result.created))
    for file, participant in result.duplicates:
        st.warning(t("excel_app.form_duplicate", file=plain(file), participant=plain(participant)))
