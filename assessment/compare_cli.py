"""The ``compare`` command of ``python -m assessment``: several assessments of one bank side
by side – over time, across units and against the national survey.

``add_subcommands(subparsers, parents)`` registers it on the main parser (like the Excel
commands: ``takes_banks=True``, called as ``func(args, banks)``). The command is a thin
wrapper: it reads the files, calls ``scoring.compare`` and prints JSON or a table, or
writes the workbook of ``assessment.excel.compare_export``. Exit codes: 0 done, 2 bad input
(one line per problem on stderr, each naming its file; never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence, TextIO

from assessment.bank import Bank
from assessment.bulk_read import ScoringInput, read_file_for_scoring
from assessment.cli_support import (UserError, check_xlsx_target, gc_paused, isatty,
                                    write_atomically)
from assessment.problems import InvalidFile, Problem
from scoring.compare import (
    DIRECTIONS,
    Snapshot,
    by_date,
    change,
    compare_to_dict,
    snapshot,
    split_comparable,
    timeline,
)
from assessment.i18n import format_number

EXIT_OK = 0
EXIT_INVALID = 2

_RAW = argparse.RawDescriptionHelpFormatter
NAME_WIDTH = 40


def add_subcommands(subparsers, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Register ``compare``. ``parents`` are passed on (the CLI's ``--bank-dir`` and
    ``--lang``); ``--lang`` is added here only when no parent has it."""
    p = subparsers.add_parser(
        "compare", parents=list(parents), formatter_class=_RAW,
        help="compare assessments of one bank over time, across units and with the country",
        description="\n\n".join(textwrap.fill(part, width=78) for part in (
            "Compare assessments of one bank and bank version. The assessments are sorted by "
            "date; per area the score (0–100) of each and the change from the first to the "
            "last, per question the value of each (a level, \"unknown\" for Vet ej, \"na\" "
            "for Ej aktuellt, or null) and the change between levels. Files of another bank "
            "or version, or that cannot be read, stop the command with exit code 2 and one "
            "line naming each file.",
            "--json: {\"assessments\": [{\"file\", \"date\", \"organisation\", \"unit\"}], "
            "\"areas\": [{\"id\", \"scores\", \"change\"}], \"questions\": [{\"id\", "
            "\"values\", \"change\"}]}",
            "--xlsx: a workbook with one sheet per view: the assessments, over time, across "
            "units (the latest assessment of each) and against the national survey. An "
            "existing OUT.xlsx is not overwritten without --force.",
        )),
        epilog="Example:\n  python -m assessment compare exempelby-2024.json exempelby-2025.json\n"
               "  python -m assessment compare kommuner/*.json --json > jamforelse.json\n"
               "  python -m assessment compare kommuner/*.json --xlsx jamforelse.xlsx",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="assessment files (.json)")
    output = p.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the comparison as JSON")
    output.add_argument("--xlsx", metavar="OUT.xlsx", help="write the comparison as a workbook")
    p.add_argument("--force", action="store_true", help="overwrite OUT.xlsx if it exists")
    try:
        p.add_argument("--lang", choices=("sv", "en"), default="sv",
                       help="language of the table and the workbook (default: sv)")
    except argparse.ArgumentError:  # a parent parser already gives --lang
        pass
    p.set_defaults(func=cmd_compare, takes_banks=True)


# --- library-level step ----------------------------------------------------------------------

@dataclass
class Comparison:
    bank: Bank
    snapshots: list[Snapshot]   # by date


def compare_files(paths: Sequence[Path], banks: dict[str, Bank]) -> Comparison:
    """Read, check and score every file; raises ``UserError`` naming every file that cannot be
    read or does not fit the others' bank and version (one line each)."""
    problems: list[Problem] = []
    loaded: list[tuple[str, ScoringInput]] = []
    with gc_paused():
        for path in paths:
            try:
                loaded.append((str(path), read_file_for_scoring(path, banks)))
            except InvalidFile as exc:
                problems.extend(exc.problems)
        if problems:
            raise UserError(*(_one_line(str(p)) for p in problems))
        installed = {bank_id: bank.version for bank_id, bank in banks.items()}
        choice = split_comparable(
            [(name, read.header.bank.id, read.header.bank.version) for name, read in loaded],
            installed)
        if choice.excluded:
            raise UserError(*(f"{e.key}: bank: {e.message()}" for e in choice.excluded))
        bank = banks[choice.bank_id]
        return Comparison(bank, by_date(snapshot(name, read.header, bank, read.answers)
                                        for name, read in loaded))


# --- output ------------------------------------------------------------------------------------

WORDS = {
    "sv": {"area": "Område", "change": "Förändring", "question": "Fråga",
           "questions": "Frågor, första till sista", "improved": "förbättrade",
           "unchanged": "oförändrade", "worsened": "försämrade", "none": "kan inte jämföras",
           "score_note": "Poäng 0–100 per område; förändring = sista − första.",
           "unknown": "Vet ej", "na": "Ej akt.", "wrote": "skrev", "assessments": "självskattningar"},
    "en": {"area": "Area", "change": "Change", "question": "Question",
           "questions": "Questions, first to last", "improved": "improved",
           "unchanged": "unchanged", "worsened": "worsened", "none": "cannot be compared",
           "score_note": "Score 0–100 per area; change = last − first.",
           "unknown": "Unknown", "na": "N/A", "wrote": "wrote", "assessments": "assessments"},
}


def render_text(comparison: Comparison, lang: str) -> str:
    """The areas as a table (one column per assessment) and the questions that changed."""
    w = WORDS[lang]
    bank, snaps = comparison.bank, comparison.snapshots
    line = timeline(snaps, bank)
    out = []
    for n, s in enumerate(snaps, 1):
        out.append(f"[{n}] {s.date.isoformat()}  {s.unit_name}  ({s.key})")
    out.append("")
    headers = [w["area"], *(f"[{n}]" for n in range(1, len(snaps) + 1)), w["change"]]
    rows = [[_shorten(f"{a.id} {bank.area(a.id).name.get(lang)}"),
             *(_number(v, lang, 0) for v in a.scores), _signed(a.change, lang, 0)]
            for a in line.areas]
    out += _table(headers, rows)
    out += [w["score_note"], ""]
    if len(snaps) > 1:
        directions = {d: 0 for d in (*DIRECTIONS, None)}
        changed = []
        for q in line.questions:
            first, last = q.values[0], q.values[-1]
            moved = change(first, last)
            directions[moved.direction] += 1
            if first != last:
                delta = "–" if moved.delta is None else (
                    ("+" if moved.delta > 0 else "-" if moved.delta < 0 else "")
                    + format_number(abs(moved.delta), lang))
                changed.append([q.id, _value(first, w, lang), _value(last, w, lang), delta])
        summary = ", ".join(f"{directions[d]} {w[d]}" for d in DIRECTIONS)
        out.append(f"{w['questions']}: {summary}, {directions[None]} {w['none']}")
        if changed:
            out += _table([w["question"], "[1]", f"[{len(snaps)}]", w["change"]], changed)
        out.append("")
    return "\n".join(out)


def _value(value, w: dict, lang: str) -> str:
    if value is None:
        return "–"
    if value == "unknown":
        return w["unknown"]
    if value == "na":
        return w["na"]
    return format_number(value, lang)


def _number(value: float | None, lang: str, digits: int) -> str:
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "sv" else text


def _signed(value: float | None, lang: str, digits: int) -> str:
    if value is None:
        return "–"
    text = _number(value, lang, digits)
    return text if text.startswith("-") or text.strip("0,.") == "" else "+" + text


def _shorten(text: str) -> str:
    return text if len(text) <= NAME_WIDTH else text[: NAME_WIDTH - 1] + "…"


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    return ["  ".join(c.ljust(wd) if i == 0 else c.rjust(wd)
                      for i, (c, wd) in enumerate(zip(r, widths))).rstrip()
            for r in [headers, *rows]]


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- the command ------------------------------------------------------------------------------

def cmd_compare(args: argparse.Namespace, banks: dict[str, Bank],
                out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        target = check_xlsx_target(Path(args.xlsx), args.force) if args.xlsx else None
        comparison = compare_files([Path(f) for f in args.files], banks)
        if args.json:
            doc = compare_to_dict(comparison.snapshots, comparison.bank)
            out.write(json.dumps(doc, ensure_ascii=False, indent=2 if isatty(out) else None))
            out.write("\n")
        elif target is not None:
            # openpyxl is imported only when a workbook is asked for.
            from assessment.excel.compare_export import compare_workbook  # noqa: PLC0415

            write_atomically(target, compare_workbook(comparison.snapshots, comparison.bank, args.lang))
            w = WORDS[args.lang]
            print(f"{w['wrote']} {target} ({len(comparison.snapshots)} {w['assessments']}, "
                  f"{comparison.bank.id})", file=out)
        else:
            out.write(render_text(comparison, args.lang))
    except UserError as exc:
        for line in exc.lines:
            print(line, file=err)
        return EXIT_INVALID
    return EXIT_OK


