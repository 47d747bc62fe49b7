"""The report a manager takes to the board: one neutral model (``build_report``) rendered to
Word (``render_docx``) and PDF (``render_pdf``) with the same content."""

__all__ = ["build_report", "render_docx", "render_pdf", "report_files"]


def __getattr__(name: str):
    """``build_report``, ``render_docx`` and ``render_pdf``, imported when first asked for
    (``from assessment.report import build_report``): importing the package, as the command
    line does for its parser (``assessment.report.cli``), does not import altair,
    python-docx and ReportLab."""
    if name == "build_report":
        from assessment.report import build as module
    elif name == "render_docx":
        from assessment.report import docx as module
    elif name == "render_pdf":
        from assessment.report import pdf as module
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value


def report_files(assessment, bank, lang: str = "sv", previous=None, exported=None) -> dict[str, bytes]:
    """Both files of one report: ``{"docx": …, "pdf": …}``, from one model."""
    from assessment.report.build import build_report
    from assessment.report.docx import render_docx
    from assessment.report.pdf import render_pdf

    report = build_report(assessment, bank, lang, previous, exported)
    return {"docx": render_docx(report), "pdf": render_pdf(report)}
