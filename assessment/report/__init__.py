"""The report a manager takes to the board: one neutral model (``build_report``) rendered to
Word (``render_docx``) and PDF (``render_pdf``) with the same content."""

from assessment.report.build import build_report
from assessment.report.docx import render_docx
from assessment.report.pdf import render_pdf

__all__ = ["build_report", "render_docx", "render_pdf", "report_files"]


def report_files(assessment, bank, lang: str = "sv", previous=None, exported=None) -> dict[str, bytes]:
    """Both files of one report: ``{"docx": …, "pdf": …}``, from one model."""
    report = build_report(assessment, bank, lang, previous, exported)
    return {"docx": render_docx(report), "pdf": render_pdf(report)}
