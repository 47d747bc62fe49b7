"""Excel: the assessment as a workbook, offline answer forms, and importing filled forms.

Pure functions over values (bytes in, bytes out); the CLI (``cli_commands``) and the app
read and write the files.

    data = export_workbook(assessment, bank, lang="sv")        # the report workbook
    form = answer_form(bank, audience="kommun", lang="sv")     # one empty form
    forms = read_forms([("anna.xlsx", data)], banks)           # raises InvalidFile
    assessment = apply_forms(assessment, forms)                # new participants p<n>
"""

from assessment.problems import InvalidFile

__all__ = ["FormAnswer", "FormAnswers", "InvalidFile", "answer_form", "apply_forms",
           "export_workbook", "read_forms", "sheet_names"]


def __getattr__(name: str):
    """The functions above, imported when first asked for (``from assessment.excel import
    export_workbook``): importing the package, as the command line does for its parser
    (``cli_commands``), does not import openpyxl."""
    if name in ("export_workbook", "sheet_names"):
        from assessment.excel import export as module
    elif name == "answer_form":
        from assessment.excel import form as module
    elif name in ("FormAnswer", "FormAnswers", "apply_forms", "read_forms"):
        from assessment.excel import importer as module
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value
