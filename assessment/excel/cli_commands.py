"""The Excel commands of ``python -m assessment``: ``export``, ``form`` and ``import-xlsx``.

``add_subcommands(subparsers)`` registers them on the main parser's subparsers; each sets
``func``, called as every command is, ``func(args, run)`` (``cli_support.Run``: out, err, the
banks), which returns the exit code: 0 done, 2 bad input (each problem on one line on stderr,
never a traceback). Each command is a thin wrapper over a library call in ``assessment.excel``;
files are read and written only here. Output files are written to a temporary file
next to the target and moved into place, so a failed run never leaves half a file.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Sequence

from assessment.bank import Audience, Bank
from assessment.cli_support import (EXIT_INVALID, EXIT_OK, Run, UserError, check_xlsx_target,
                                    write_atomically)
from assessment.excel.safety import MAX_FILE_BYTES
from assessment.files import load_assessment_file, read_user_file, save_assessment_file
from assessment.problems import InvalidFile, Problem
from assessment.template import audiences_of


_RAW = argparse.RawDescriptionHelpFormatter


def add_subcommands(subparsers, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Register ``export``, ``form`` and ``import-xlsx``. ``parents`` are passed on to each
    sub-parser (e.g. the CLI's shared ``--bank-dir`` and ``--lang`` options); ``--lang`` is
    added here only when no parent has it."""
    parents = list(parents)

    def lang_option(parser: argparse.ArgumentParser) -> None:
        try:
            parser.add_argument("--lang", choices=("sv", "en"), default="sv",
                                help="language of the sheets and texts (default: sv)")
        except argparse.ArgumentError:  # a parent parser already gives --lang
            pass

    p = subparsers.add_parser(
        "export", parents=parents, formatter_class=_RAW,
        help="write an assessment as an Excel workbook",
        description="Write the assessment as an .xlsx workbook: Sammanfattning (with a radar "
                    "chart of nuläge and mål per area), Svar, Frågor, Kunskapsluckor, "
                    "Prioriteringar, Handlingsplan and Metadata (English sheet names with "
                    "--lang en). The app's Excel download gives the same workbook. An "
                    "existing OUT.xlsx is not overwritten without --force.",
        epilog="Example:\n  python -m assessment export halland-2025.json --xlsx halland-2025.xlsx",
    )
    p.add_argument("file", metavar="FILE.json", help="the assessment file")
    p.add_argument("--xlsx", required=True, metavar="OUT.xlsx", help="the workbook to write")
    p.add_argument("--force", action="store_true", help="overwrite OUT.xlsx if it exists")
    lang_option(p)
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser(
        "form", parents=parents, formatter_class=_RAW,
        help="write an empty answer form (.xlsx) for a bank",
        description="Write an offline answer form for one participant: the bank's questions "
                    "grouped by area, a drop-down with the scale's answers, a comment column "
                    "and cells for the participant's name and role. Only those cells can be "
                    "edited (the sheet is protected without a password). Give each "
                    "participant a copy, then import the filled-in forms with import-xlsx.",
        epilog="Example:\n  python -m assessment form nationell-handlingsplan-2025 "
               "--audience kommun --out formular.xlsx",
    )
    p.add_argument("bank", metavar="BANK", help="the bank id, as listed by `banks`")
    p.add_argument("--audience", choices=[a.value for a in Audience],
                   help="only the questions for region, kommun or vardgivare (default: all)")
    p.add_argument("--out", required=True, metavar="FORM.xlsx", help="the form to write")
    p.add_argument("--force", action="store_true", help="overwrite FORM.xlsx if it exists")
    lang_option(p)
    p.set_defaults(func=cmd_form)

    p = subparsers.add_parser(
        "import-xlsx", parents=parents, formatter_class=_RAW,
        help="add filled-in answer forms to an assessment",
        description="Add each filled-in form as a new participant (p1, p2, … after the "
                    "existing ones) with their answers and comments. Every form is checked "
                    "first: if any file has a problem, each problem is printed (file, sheet "
                    "and cell), nothing is imported and ASSESSMENT.json is left exactly as "
                    f"it was. Files over {MAX_FILE_BYTES // (1024 * 1024)} MB, encrypted or "
                    "macro workbooks and forms for another bank are refused.",
        epilog="Example:\n  python -m assessment import-xlsx svar/*.xlsx --into halland-2025.json",
    )
    p.add_argument("forms", nargs="+", metavar="FORM.xlsx", help="filled-in forms, one per person")
    p.add_argument("--into", required=True, metavar="ASSESSMENT.json",
                   help="the assessment file to add the answers to")
    p.add_argument("--dry-run", action="store_true",
                   help="check the forms and report what would be added, without writing")
    p.set_defaults(func=cmd_import_xlsx)


# --- commands ----------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, run: Run) -> int:
    return _run(_export, args, run)


def cmd_form(args: argparse.Namespace, run: Run) -> int:
    return _run(_form, args, run)


def cmd_import_xlsx(args: argparse.Namespace, run: Run) -> int:
    return _run(_import, args, run)


def _run(step, args: argparse.Namespace, run: Run) -> int:
    out, err = run.out, run.err
    try:
        message = step(args, run.banks)
    except InvalidFile as exc:
        for problem in exc.problems:
            print(_one_line(str(problem)), file=err)
        return EXIT_INVALID
    print(message, file=out)
    return EXIT_OK


def _export(args: argparse.Namespace, banks: dict[str, Bank]) -> str:
    from assessment.excel.export import export_workbook  # openpyxl: only when a command runs

    path = Path(args.xlsx)
    check_xlsx_target(path, args.force)
    assessment = load_assessment_file(Path(args.file), banks)
    bank = banks[assessment.bank.id]
    write_atomically(path, export_workbook(assessment, bank, lang=getattr(args, "lang", "sv")))
    return f"wrote {path} ({assessment.organisation.name}, {len(assessment.participants)} participants)"


def _form(args: argparse.Namespace, banks: dict[str, Bank]) -> str:
    from assessment.excel.form import answer_form

    bank = banks.get(args.bank)
    if bank is None:
        known = ", ".join(sorted(banks)) or "none"
        raise UserError(f"unknown bank {args.bank!r} (installed: {known})")
    if args.audience and Audience(args.audience) not in audiences_of(bank):
        choices = ", ".join(a.value for a in audiences_of(bank))
        raise UserError(f"bank {bank.id!r} has no questions for {args.audience!r}; "
                      f"choose one of: {choices}")
    path = Path(args.out)
    check_xlsx_target(path, args.force)
    data = answer_form(bank, audience=args.audience, lang=getattr(args, "lang", "sv"))
    write_atomically(path, data)
    count = len(bank.questions_for(args.audience))
    return f"wrote {path} ({bank.id}, {count} questions)"


def _import(args: argparse.Namespace, banks: dict[str, Bank]) -> str:
    from assessment.excel.importer import added_participants, apply_forms, read_forms

    target = Path(args.into)
    assessment = load_assessment_file(target, banks)
    files, problems = _read_files([Path(name) for name in args.forms])
    try:
        forms = read_forms(files, banks, bank_id=assessment.bank.id) if files else []
    except InvalidFile as exc:
        problems.extend(exc.problems)
    if problems:
        order = {name: i for i, name in enumerate(args.forms)}
        problems.sort(key=lambda p: order.get(p.file, len(order)))
        raise InvalidFile(problems + [Problem(str(target), "", "not changed: fix the files "
                                              "above and import them all again")])
    merged = apply_forms(assessment, forms)
    added = added_participants(assessment, merged)
    summary = ", ".join(_who(p) for p in added)
    if args.dry_run:
        return f"would add {len(added)} participant{'s' if len(added) != 1 else ''} to {target}: {summary}"
    try:
        save_assessment_file(merged, target)
    except OSError as exc:
        raise UserError(f"{target}: cannot be written: {exc.strerror or exc}") from None
    answers = len(merged.answers) - len(assessment.answers)
    return (f"added {len(added)} participant{'s' if len(added) != 1 else ''} with {answers} "
            f"answers to {target}: {summary}")


# --- files -------------------------------------------------------------------------------


def _read_files(paths: list[Path]) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """Each form's bytes; a file over the size limit is refused without being read."""
    files: list[tuple[str, bytes]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            files.append((str(path), read_user_file(path, MAX_FILE_BYTES, "a form")))
        except InvalidFile as exc:  # not a regular file, too large, unreadable
            problems.extend(exc.problems)
    return files, problems


def _who(participant) -> str:
    name = participant.name or "(no name)"
    role = f", {participant.role}" if participant.role else ""
    return f"{participant.id} {name}{role}"


def _one_line(text: str) -> str:
    return " ".join(text.split())

