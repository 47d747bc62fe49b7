"""The ``compare`` command of ``python -m assessment``: several assessments of one bank side
by side – over time, across units and against the national survey.

``add_subcommands(subparsers, parents)`` registers it on the main parser; like every command
it is called as ``func(args, run)`` (``cli_support.Run``: out, err, the banks). It is a thin
wrapper: it reads the files, calls ``scoring.compare`` and prints JSON or a table, or
writes the workbook of ``assessment.excel.compare_export``. Exit codes: 0 done, 2 bad input
(one line per problem on stderr, each naming its file; never a traceback).
"""

from __future__ import annotations

import argparse
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from assessment.cli_support import (EXIT_INVALID, EXIT_OK, Run, UserError, check_xlsx_target,
                                    isatty, write_atomically)
from assessment.i18n import format_decimal, format_number, format_percent, translate
from assessment.problems import InvalidFile, Problem

if TYPE_CHECKING:
    from assessment.bank import Bank
    from scoring.compare import Snapshot, UnitTimeline
    from scoring.score import ScoringInput

# Scoring and the comparison (scoring.compare) are imported by the functions that use them,
# when the command runs: the parser of every command is built from this module.

_RAW = argparse.RawDescriptionHelpFormatter
NAME_WIDTH = 40


def add_subcommands(subparsers, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Register ``compare``. ``parents`` are passed on (the CLI's ``--bank-dir`` and
    ``--lang``); ``--lang`` is added here only when no parent has it."""
    p = subparsers.add_parser(
        "compare", parents=list(parents), formatter_class=_RAW,
        help="compare assessments of one bank over time, across units and with the country",
        description="\n\n".join(textwrap.fill(part, width=78) for part in (
            "Compare assessments of one bank and bank version. Over time is per unit "
            "(organisation and unit, without case or surrounding spaces): each unit's own "
            "assessments by date; per area the score (0–100) of each and the change from the "
            "unit's first to its last, per question the value of each (a level, \"unknown\" "
            "for Vet ej, \"na\" for Ej aktuellt, or null) and the change between levels. A "
            "unit with one assessment has no trend. Assessments of different units are never "
            "compared over time. For the municipal survey the latest assessment of each unit "
            "is set beside the national figure (the share of municipalities answering that "
            "the national plan has influenced this). Files of another bank or version, or "
            "that cannot be read, stop the command with exit code 2 and one line naming each "
            "file.",
            "--json (docs/compare.md): {\"bank\": {\"id\", \"version\"}, \"assessments\": "
            "[{\"file\", \"date\", \"organisation\", \"unit\"}], \"over_time\": "
            "[{\"organisation\", \"unit\", \"name\", \"files\", \"dates\", \"trend\", "
            "\"areas\": [{\"id\", \"scores\", \"change\"}], \"questions\": [{\"id\", "
            "\"values\", \"change\"}]}], \"national\": null or {\"label\", \"files\", "
            "\"questions\": [{\"id\", \"reference\", \"share_positive\", \"difference\", "
            "...}]}}",
            "--xlsx: a workbook with one sheet per view: the assessments, over time (one "
            "block per unit, the unit named), across units (the latest assessment of each) "
            "and against the national survey. An "
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
    p.set_defaults(func=cmd_compare)


# --- library-level step ----------------------------------------------------------------------

@dataclass
class Comparison:
    bank: Bank
    snapshots: list[Snapshot]   # by date


def compare_files(paths: Sequence[Path], banks: dict[str, Bank]) -> Comparison:
    """Read, check and score every file; raises ``UserError`` naming every file that cannot be
    read or does not fit the others' bank and version (one line each)."""
    from assessment.bulk_read import read_file_for_scoring
    from scoring.compare import by_date, snapshot, split_comparable

    loaded: list[tuple[str, ScoringInput]] = []
    installed = {bank_id: bank.version for bank_id, bank in banks.items()}
    lines: list[str] = []
    for path in paths:
        try:
            loaded.append((str(path), read_file_for_scoring(path, banks)))
        except InvalidFile as exc:
            other_version = _other_version(path, exc.problems, installed)
            lines += [other_version] if other_version else [_one_line(str(p)) for p in exc.problems]
    if lines:
        raise UserError(*lines)
    choice = split_comparable(
        [(name, read.header.bank.id, read.header.bank.version) for name, read in loaded],
        installed)
    if choice.excluded:
        raise UserError(*(f"{e.key}: bank: {e.message()}" for e in choice.excluded))
    bank = banks[choice.bank_id]
    return Comparison(bank, by_date(snapshot(name, read.header, bank, read.answers)
                                    for name, read in loaded))


def _other_version(path: Path, problems: Sequence[Problem], installed: dict[str, str]) -> str:
    """A file made with another version of an installed bank, as one line saying it cannot
    be scored or compared (``scoring.compare``'s ``installed_version`` reason) instead of
    the problems that follow from it (questions or values the installed version lacks);
    "" for any other file."""
    from scoring.compare import INSTALLED_VERSION, Excluded

    if not any(p.place == "bank.version" for p in problems):
        return ""
    try:
        ref = json.loads(path.read_bytes().decode("utf-8-sig"))["bank"]
        bank_id, version = str(ref["id"]), str(ref["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    if bank_id not in installed:
        return ""
    excluded = Excluded(str(path), INSTALLED_VERSION, bank_id, version, bank_id, installed[bank_id])
    return f"{path}: bank.version: {excluded.message()}"


# --- output ------------------------------------------------------------------------------------

def _words(lang: str):
    """The command's texts in ``lang`` (``compare_cli.*`` in locales/)."""
    return lambda key, **values: translate(lang, f"compare_cli.{key}", **values)


def render_text(comparison: Comparison, lang: str) -> str:
    """Over time one block per unit (its own assessments: the areas as a table, one column
    per assessment, and the questions that changed), then, for banks with national
    reference values, the latest assessment of each unit beside the country."""
    from scoring.compare import has_reference, timelines

    w = _words(lang)
    bank = comparison.bank
    per_unit = timelines(comparison.snapshots, bank)
    out = [w("units", count=len(per_unit)), ""]
    for unit in per_unit:
        out += _unit_text(unit, bank, w, lang)
    if has_reference(bank):
        out += _national_text(comparison.snapshots, bank, w, lang)
    return "\n".join(out)


def _unit_text(unit: UnitTimeline, bank: Bank, w, lang: str) -> list[str]:
    from scoring.compare import DIRECTIONS, change

    line = unit.line
    snaps = line.snapshots
    if not unit.has_trend:
        out = [w("single", name=unit.name), f"[1] {snaps[0].date.isoformat()}  ({snaps[0].key})", ""]
        rows = [[_shorten(f"{a.id} {bank.area(a.id).name.get(lang)}"), _number(a.scores[0], lang, 0)]
                for a in line.areas]
        return out + _table([w("area"), "[1]"], rows) + [""]
    out = [w("unit", name=unit.name, count=len(snaps))]
    for n, s in enumerate(snaps, 1):
        out.append(f"[{n}] {s.date.isoformat()}  ({s.key})")
    out.append("")
    headers = [w("area"), *(f"[{n}]" for n in range(1, len(snaps) + 1)), w("change")]
    rows = [[_shorten(f"{a.id} {bank.area(a.id).name.get(lang)}"),
             *(_number(v, lang, 0) for v in a.scores), _signed(a.change, lang, 0)]
            for a in line.areas]
    out += _table(headers, rows)
    other = [w("other_basis_item", area=a.id, before=len(a.bases[0]), after=len(a.bases[-1]))
             for a in line.areas if not a.same_basis and a.change is not None]
    out += [w("score_note")] + ([w("other_basis", items="; ".join(other))] if other else []) + [""]
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
            changed.append([q.id, bank.scale.value_text(first, lang), bank.scale.value_text(last, lang), delta])
    summary = ", ".join(f"{directions[d]} {w(d)}" for d in DIRECTIONS)
    out.append(f"{w('questions')}: {summary}, {directions[None]} {w('none')}")
    if changed:
        out += _table([w("question"), "[1]", f"[{len(snaps)}]", w("change")], changed)
    out.append("")
    return out


def _national_text(snapshots: list[Snapshot], bank: Bank, w, lang: str) -> list[str]:
    from scoring.compare import latest_per_unit, national, national_label

    latest = latest_per_unit(snapshots)
    out = [w("national", count=len(latest)),
           f"{w('theirs')}: {national_label(bank, lang)}", ""]
    rows = [[item.id, format_percent(item.share_positive, lang),
             format_percent(item.reference.share_positive / 100, lang),
             _signed(item.difference, lang, 0)]
            for item in national(latest, bank)]
    out += _table([w("question"), w("ours"), w("theirs"), w("difference")], rows)
    out.append("")
    return out


def _number(value: float | None, lang: str, digits: int) -> str:
    return format_decimal(value, lang, digits)


def _signed(value: float | None, lang: str, digits: int) -> str:
    return format_decimal(value, lang, digits, sign=True)


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

def cmd_compare(args: argparse.Namespace, run: Run) -> int:
    from scoring.compare import compare_to_dict, national_label

    banks, out, err = run.banks, run.out, run.err
    try:
        target = check_xlsx_target(Path(args.xlsx), args.force) if args.xlsx else None
        comparison = compare_files([Path(f) for f in args.files], banks)
        if args.json:
            doc = compare_to_dict(comparison.snapshots, comparison.bank)
            if doc["national"] is not None:
                doc["national"] = {"label": national_label(comparison.bank, args.lang),
                                   **doc["national"]}
            out.write(json.dumps(doc, ensure_ascii=False, indent=2 if isatty(out) else None))
            out.write("\n")
        elif target is not None:
            # openpyxl is imported only when a workbook is asked for.
            from assessment.excel.compare_export import compare_workbook  # noqa: PLC0415

            write_atomically(target, compare_workbook(comparison.snapshots, comparison.bank, args.lang))
            w = _words(args.lang)
            print(f"{w('wrote')} {target} ({len(comparison.snapshots)} {w('assessments')}, "
                  f"{comparison.bank.id})", file=out)
        else:
            out.write(render_text(comparison, args.lang))
    except UserError as exc:
        for line in exc.lines:
            print(line, file=err)
        return EXIT_INVALID
    return EXIT_OK


