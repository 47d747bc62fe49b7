"""Excel: the assessment as a workbook, offline answer forms, and importing filled forms.

Pure functions over values (bytes in, bytes out); the CLI (``cli_commands``) and the app
read and write the files.

    data = export_workbook(assessment, bank, lang="sv")        # the report workbook
    form = answer_form(bank, audience="kommun", lang="sv")     # one empty form
    forms = read_forms([("anna.xlsx", data)], banks)           # raises InvalidFile
    assessment = apply_forms(assessment, forms)                # new participants p<n>
"""

from assessment.excel.export import export_workbook, sheet_names
from assessment.excel.form import answer_form
from assessment.excel.importer import FormAnswer, FormAnswers, apply_forms, read_forms
from assessment.problems import InvalidFile

__all__ = ["FormAnswer", "FormAnswers", "InvalidFile", "answer_form", "apply_forms",
           "export_workbook", "read_forms", "sheet_names"]
