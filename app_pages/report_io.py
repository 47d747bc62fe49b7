"""The report downloads (Word and PDF) on Resultat and Prioritera.

Each file is built only when its button is clicked (deferred, as the Excel download is), so
drawing a page never pays for the report. The content is ``assessment.report``'s; this module
only offers it. The unit's previous assessment (the radar's "föregående" and the follow-up
text) is looked up at the click, by the rule the Resultat page uses.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import context
from app_pages.context import t
from assessment import report as report_pkg
from assessment.bank import Bank
from assessment.document import Assessment
from assessment.files import file_stem
from assessment.history import load_previous

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def report_file(store, banks, assessment_id: str, assessment: Assessment, bank: Bank, lang: str,
                render) -> bytes:
    """The report of the assessment as the page shows it, rendered by ``render``
    (``render_docx`` or ``render_pdf``), with the unit's previous assessment, as of today."""
    previous = load_previous(store, banks, assessment_id)
    return render(report_pkg.build_report(assessment, bank, lang, previous, dt.date.today()))


def download_buttons(assessment_id: str, assessment: Assessment, bank: Bank, key: str) -> None:
    lang = context.ui().lang
    store = context.store()       # the session's store, taken now: the click runs outside the page
    banks = context.banks()
    name = f"{t('report.file_name')}-{file_stem(assessment, '')}".rstrip("-")
    cols = st.columns(2)
    for col, render, ext, mime, icon in ((cols[0], report_pkg.render_docx, "docx", DOCX, "📄"),
                                         (cols[1], report_pkg.render_pdf, "pdf", PDF, "🖨️")):
        col.download_button(t(f"report.download_{ext}"), file_name=f"{name}.{ext}", mime=mime,
                            data=lambda render=render: report_file(store, banks, assessment_id, assessment,
                                                                   bank, lang, render),
                            key=f"{key}_{ext}", on_click="ignore", icon=icon,
                            help=t("report.download_help"))

