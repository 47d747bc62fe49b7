"""``python -m assessment report``: the report of one assessment as Word and/or PDF.

Registered on the main parser by ``add_subcommands``; called as ``func(args, banks)`` (like
the Excel commands) and returns the exit code: 0 done, 2 bad input – each problem on one line
naming the file and the place, never a traceback. Nothing is written unless the assessment
(and the previous one, if given) is valid; each file is written whole or not at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path
from typing import Sequence

from assessment.bank import Bank
from assessment.cli_support import EXIT_OK, Run, UserError, write_atomically
from assessment.files import load_assessment_file
from assessment.problems import InvalidFile


DESCRIPTION = (
    "Write the report of one assessment for the board or the management team: page 1 a "
    "summary for decision makers (organisation, unit, date, who took part, the radar chart, "
    "the overall picture, the five top priorities with their reasons, the knowledge gaps and "
    "the action plan's status), then the results per area with the questions' values and "
    "the team's Samsyn notes, all priorities and knowledge gaps, the action plan, a method "
    "note and texts under the patient safety report's headings. --docx writes a Word "
    "document, --pdf a PDF for print (both from the same content); give one or both. "
    "Existing files are not overwritten without --force."
)


def add_subcommands(subparsers, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    p = subparsers.add_parser(
        "report", parents=list(parents), formatter_class=argparse.RawDescriptionHelpFormatter,
        help="write the report of an assessment (Word and/or PDF)",
        description=_wrap(DESCRIPTION),
        epilog="Example:\n  python -m assessment report halland-2025.json --docx rapport.docx "
               "--pdf rapport.pdf\n"
               "  python -m assessment report halland-2026.json --previous halland-2025.json "
               "--pdf rapport.pdf --lang en",
    )
    p.add_argument("file", metavar="FILE.json", help="the assessment file")
    p.add_argument("--docx", metavar="OUT.docx", help="the Word document to write")
    p.add_argument("--pdf", metavar="OUT.pdf", help="the PDF to write")
    p.add_argument("--previous", metavar="PREVIOUS.json",
                   help="the unit's previous assessment: its levels on the radar chart and the "
                        "change in the follow-up text")
    p.add_argument("--force", action="store_true", help="overwrite the output files if they exist")
    p.set_defaults(func=cmd_report)


def _wrap(text: str) -> str:
    import textwrap

    return textwrap.fill(text, width=78)


def cmd_report(args: argparse.Namespace, run: Run) -> int:
    print(run_report(args, run.banks), file=run.out)  # a UserError: the main loop says it
    return EXIT_OK


def _target(name: str | None, suffix: str, force: bool) -> Path | None:
    if name is None:
        return None
    path = Path(name)
    if path.suffix.lower() != suffix:
        raise UserError(f"{path}: the file name must end in {suffix}")
    if path.exists() and not force:
        raise UserError(f"{path}: already exists; use --force to overwrite it")
    return path


def _load(name: str, banks: dict[str, Bank]):
    try:
        return load_assessment_file(Path(name), banks)
    except InvalidFile as exc:
        raise UserError(*(" ".join(str(p).split()) for p in exc.problems)) from None


def run_report(args: argparse.Namespace, banks: dict[str, Bank]) -> str:
    from assessment.report import build_report, render_docx, render_pdf

    if not args.docx and not args.pdf:
        raise UserError("report: give --docx OUT.docx, --pdf OUT.pdf or both")
    docx_path = _target(args.docx, ".docx", args.force)
    pdf_path = _target(args.pdf, ".pdf", args.force)
    started = time.perf_counter()
    assessment = _load(args.file, banks)
    bank = banks[assessment.bank.id]
    previous = None
    if args.previous:
        before = _load(args.previous, banks)
        previous = (before, banks[before.bank.id])
    report = build_report(assessment, bank, getattr(args, "lang", "sv"), previous, dt.date.today())
    written = []
    for path, render in ((docx_path, render_docx), (pdf_path, render_pdf)):
        if path is not None:
            write_atomically(path, render(report))
            written.append(str(path))
    seconds = time.perf_counter() - started
    return (f"wrote {' and '.join(written)} ({assessment.organisation.name}, "
            f"{len(assessment.participants)} participants, {seconds:.1f} s)")
