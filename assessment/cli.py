"""The command line: ``python -m assessment`` (installed as ``psa``).

Each command is a thin wrapper over a library call: it reads files, calls ``assessment`` or
``scoring`` and prints the result. Exit codes: 0 done, 2 bad input (a file, an id, a usage
error), 1 an unexpected error, 130 interrupted. Problems are printed one per line as
*file: place: message*; a traceback is never shown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, TextIO

import pydantic_core
from pydantic import ValidationError

# The model, the files and scoring (pure Python) are imported here; the libraries only some
# commands need (Excel, the report's charts, the database, msgspec's reader) are imported by
# those commands when they run, so that `psa banks` does not wait for altair, openpyxl or
# SQLAlchemy (benchmarks/bench_cli_start.py).
from assessment import compare_cli, workshop_cli, workspace_cli
from assessment.bank import Audience, Bank
from assessment.bank_loader import BankSet, load_bank_file
from assessment.document import Assessment
from assessment.excel import cli_commands as excel_cli
from assessment.report import cli as report_cli
from assessment.cli_support import (EXIT_ERROR, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, Run,
                                     UserError, isatty, run_command)
from assessment.i18n import catalogue
from assessment.files import dump_assessment, load_assessment_file, save_assessment_file
from assessment.problems import InvalidFile, Problem, problems_from_validation
from assessment.template import TemplateError, new_assessment
from assessment.i18n import format_level, format_number, format_percent, format_score
from scoring.rollup import Rollup, rollup, rollup_to_dict
from scoring.explain import coverage_text, explain, gap_counts_text
from scoring.score import AssessmentScore, score_assessment, score_to_dict


PROGRESS_MIN_FILES = 20
TOP_PRIORITIES = 10
NAME_WIDTH = 44
ACTIVITY_WIDTH = 90

BANK_SUFFIXES = (".yaml", ".yml")
ASSESSMENT_SUFFIXES = (".json",)


# --- library-level steps the commands wrap ---------------------------------------------


@dataclass
class ScoredFile:
    file: str
    assessment: Assessment  # the file without its answers, which are in ``result``
    bank: Bank
    result: AssessmentScore


@dataclass
class ScoreRun:
    """Every file scored, and their rollup when there are two or more (all of one bank)."""

    files: list[ScoredFile]
    rollup: Rollup | None


def score_files(paths: Iterable[Path], banks: dict[str, Bank],
                progress: Progress | None = None) -> ScoreRun:
    """Load, validate and score every file, then roll them up.

    Raises ``UserError`` naming every file that cannot be read (one line each) or, when
    the files use different banks, saying they cannot be rolled up together.
    """
    from assessment.bulk_read import read_file_for_scoring  # msgspec

    paths = list(paths)
    scored: list[ScoredFile] = []
    bad: list[str] = []
    for i, path in enumerate(paths, 1):
        try:
            read = read_file_for_scoring(path, banks)
        except InvalidFile as exc:
            bad.append(exc.first_line)
        else:
            bank = banks[read.header.bank.id]
            scored.append(ScoredFile(str(path), read.header, bank,
                                     score_assessment(read.header, bank, read.answers)))
        if progress:
            progress.update(i)
    if progress:
        progress.done()
    if bad:
        raise UserError(*bad)
    if len(scored) < 2:
        return ScoreRun(scored, None)
    bank_ids = sorted({s.bank.id for s in scored})
    if len(bank_ids) > 1:
        raise UserError(
            f"these files use different banks ({', '.join(bank_ids)}) and cannot be rolled up "
            "together; score the files of each bank separately"
        )
    return ScoreRun(scored, rollup([s.result for s in scored]))


def score_run_to_dict(run: ScoreRun) -> dict:
    """The JSON document of ``score --json``."""
    return {
        "assessments": [
            {
                "file": s.file,
                "organisation": s.assessment.organisation.name,
                "unit": s.assessment.organisation.unit,
                "date": s.assessment.date.isoformat(),
                "bank": {"id": s.assessment.bank.id, "version": s.assessment.bank.version},
                **score_to_dict(s.result, s.bank),
            }
            for s in run.files
        ],
        "rollup": None if run.rollup is None else {
            "bank": run.files[0].bank.id, **rollup_to_dict(run.rollup)
        },
    }


def validate_file(path: Path, banks: dict[str, Bank]) -> list[Problem]:
    """Every problem of one bank YAML or assessment JSON file (none when it is valid)."""
    suffix = path.suffix.lower()
    try:
        if suffix in BANK_SUFFIXES:
            load_bank_file(path)
        elif suffix in ASSESSMENT_SUFFIXES:
            load_assessment_file(path, banks)
        else:
            return [Problem(str(path), "", "is neither a bank (.yaml, .yml) nor an assessment "
                                           "(.json); check the file name")]
    except InvalidFile as exc:
        return exc.problems
    except OSError as exc:  # e.g. a folder named *.yaml, which the bank loader does not catch
        return [Problem(str(path), "", f"cannot be read: {exc.strerror or exc}")]
    return []


class Progress:
    """A one-line ``\\r`` counter on a terminal; silent when the stream is not a TTY."""

    def __init__(self, stream: TextIO, total: int, label: str = "scoring"):
        self.stream = stream
        self.total = total
        self.label = label
        self.active = total > PROGRESS_MIN_FILES and isatty(stream)

    def update(self, count: int) -> None:
        if self.active:
            self.stream.write(f"\r{self.label} {count}/{self.total}")
            self.stream.flush()

    def done(self) -> None:
        if self.active:
            self.stream.write("\r" + " " * (len(self.label) + 2 * len(str(self.total)) + 2) + "\r")
            self.stream.flush()


# --- text output -------------------------------------------------------------------------

def words(lang: str) -> dict[str, str]:
    """The words of the text output, from the locale files' ``cli:`` section (Swedish where
    a translation is missing)."""
    swedish = catalogue("sv")
    chosen = catalogue(lang)
    return {key[len("cli."):]: chosen.get(key, text)
            for key, text in swedish.items() if key.startswith("cli.")}


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    """Rows as aligned columns; columns in ``right`` are right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths))
        ).rstrip()

    return [line(headers), *(line(r) for r in rows)]



def _ranked_lines(priorities: list, bank, lang: str) -> list[str]:
    """Numbered priorities, each with its activity and its reasons in words below."""
    out = []
    for n, p in enumerate(priorities, 1):
        title = shorten(bank.question(p.question).title(lang), ACTIVITY_WIDTH)
        out.append(f"{n:>3}. {p.question:<8} {format_number(p.score, lang):>5}  {title}")
        out.append(f"{'':>15}{explain(p, bank, lang)}")
    return out

def render_score(run: ScoreRun, lang: str) -> str:
    w = words(lang)
    out: list[str] = []
    for s in run.files:
        a, result, bank = s.assessment, s.result, s.bank
        org = a.organisation.label
        out += [s.file, "=" * len(s.file),
                f"{org} · {a.date.isoformat()} · {bank.title.get(lang)} ({bank.id}, "
                f"{w['version']} {bank.version})"]
        perspectives = [f"{w[k]} {format_score(v, lang)}"
                        for k, v in result.time_perspective.items() if v is not None]
        overall = f"{w['overall']}: {format_score(result.overall, lang)} {w['of_100']}"
        out += [overall + (f"  ({' · '.join(perspectives)})" if perspectives else ""),
                coverage_text(result.summary, lang, result.areas), ""]
        rows = [
            [shorten(f"{area.id} {bank.area(area.id).name.get(lang)}", NAME_WIDTH),
             format_score(area.score, lang), format_percent(area.coverage, lang),
             f"{area.knowledge_gaps}/{len(area.questions)}",
             f"{area.unknown_answers}/{area.counted_answers}", str(area.na_answers),
             format_level(area.gap, lang)]
            for area in result.areas
        ]
        out += table([w["area"], w["score"], w["coverage"], w["unknown_questions"],
                      w["unknown_answers"], w["na"], w["gap"]], rows, right={1, 2, 3, 4, 5, 6})
        out += [w["gap_note"], ""]
        top = result.priorities[:TOP_PRIORITIES]
        out.append(f"{w['priorities']} ({len(top)} {w['of']} {len(result.priorities)})")
        if not top:
            out.append("  " + w["no_priorities"])
        out += _ranked_lines(top, bank, lang)
        if result.for_leadership:  # a unit's assessment: what a higher level decides, apart
            above = result.for_leadership[:TOP_PRIORITIES]
            out += ["", f"{w['for_leadership']} ({len(above)} {w['of']} "
                        f"{len(result.for_leadership)})"]
            out += _ranked_lines(above, bank, lang)
        out += ["", w["gaps"]]
        if not result.knowledge_gaps:
            out.append("  " + w["no_gaps"])
        for k in result.knowledge_gaps:
            title = shorten(bank.question(k.question).title(lang), ACTIVITY_WIDTH)
            counts = gap_counts_text(k, lang)
            out.append(f"  {k.question:<8} {title} – {counts}")
        out.append("")
    if run.rollup is not None:
        bank = run.files[0].bank
        out += [f"{w['rollup']} {len(run.files)} {w['assessments']} ({bank.id})", ""]
        rows = [
            [shorten(f"{r.id} {bank.area(r.id).name.get(lang)}", NAME_WIDTH),
             format_score(r.mean, lang), format_score(r.min, lang), format_score(r.max, lang),
             str(r.assessments)]
            for r in run.rollup.areas
        ]
        out += table([w["area"], w["mean"], w["min"], w["max"], w["count"]], rows,
                     right={1, 2, 3, 4})
        out.append("")
    return "\n".join(out)


def render_bank(bank: Bank, lang: str) -> str:
    w = words(lang)
    scale = [level.label.get(lang) for level in bank.scale.levels]
    scale.append(bank.scale.unknown.label.get(lang))
    if bank.scale.na is not None:
        scale.append(bank.scale.na.label.get(lang))
    out = [f"{bank.id} ({w['version']} {bank.version})", bank.title.get(lang),
           f"{w['scale']}: {' · '.join(scale)}", ""]
    for area, questions in bank.scope(None):
        tp = f", {w[area.time_perspective.value]}" if area.time_perspective else ""
        out.append(f"{area.id}  {area.name.get(lang)}  [{w[area.kind]}{tp}]")
        for q in questions:
            audiences = ", ".join(a.value for a in q.audiences)
            others = [a for a in bank.areas_of(q.id) if a != area.id]
            shared = f"  [{w['also_in']} {', '.join(others)}]" if others else ""
            out.append(f"  {q.id:<7} {q.text.get(lang)}  ({audiences}){shared}")
        out.append("")
    return "\n".join(out)


# --- commands ----------------------------------------------------------------------------


def _bank_or_fail(bank_set: BankSet, bank_id: str) -> Bank:
    bank = bank_set.get(bank_id)
    if bank is None:
        known = ", ".join(sorted(bank_set.banks)) or "none"
        lines = [f"unknown bank {bank_id!r} (installed: {known})"]
        if bank_set.problems:
            lines[0] += "; some bank files failed to load, see `python -m assessment banks`"
        raise UserError(*lines)
    return bank


def write_score_json(run: ScoreRun, out: TextIO, *, pretty: bool = False) -> None:
    """``score --json``: indented on a terminal, else compact; by pydantic's encoder (a
    third of ``json.dumps``'s time for a thousand files)."""
    out.write(pydantic_core.to_json(score_run_to_dict(run), indent=2 if pretty else None).decode())
    out.write("\n")


def _dump_json(data: object, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def cmd_banks(args: argparse.Namespace, run: Run) -> int:
    out, err = run.out, run.err
    bank_set = run.bank_set
    rows = [
        [b.id, b.version, str(len(b.areas)), str(sum(len(a.questions) for a in b.areas)),
         b.title.get(args.lang)]
        for b in bank_set.banks.values()
    ]
    w = words(args.lang)
    headers = [w["id"], w["version"].capitalize(), w["areas"].capitalize(),
               w["questions"].capitalize(), w["title"]]
    for line in table(headers, rows, right={2, 3}):
        print(line, file=out)
    for problem in bank_set.problems:
        print(problem, file=err)
    return EXIT_OK


def cmd_bank_show(args: argparse.Namespace, run: Run) -> int:
    out = run.out
    bank = _bank_or_fail(run.bank_set, args.id)
    if args.json:
        _dump_json(bank.model_dump(mode="json"), out)
    else:
        out.write(render_bank(bank, args.lang))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace, run: Run) -> int:
    out, err = run.out, run.err
    bank_set = run.bank_set
    failed = 0
    for name in args.files:
        problems = validate_file(Path(name), bank_set.banks)
        if problems:
            failed += 1
            for problem in problems:
                print(problem, file=out)
        else:
            print(f"OK {name}", file=out)
    if failed:
        total = len(args.files)
        print(f"problems in {failed} of {total} file{'s' if total != 1 else ''}", file=err)
        _note_bank_problems(bank_set, err)
        return EXIT_INVALID
    return EXIT_OK


def run_score(paths: list[Path], banks: dict[str, Bank], out: TextIO, err: TextIO, *,
              as_json: bool = False, lang: str = "sv") -> int:
    """The whole ``score`` command after parsing: load, score, roll up and print."""
    run = score_files(paths, banks, Progress(err, len(paths)))
    if as_json:
        write_score_json(run, out, pretty=isatty(out))
    else:
        out.write(render_score(run, lang))
    return EXIT_OK


def cmd_score(args: argparse.Namespace, run: Run) -> int:
    out, err = run.out, run.err
    bank_set = run.bank_set
    try:
        return run_score([Path(f) for f in args.files], bank_set.banks, out, err,
                         as_json=args.json, lang=args.lang)
    except UserError:
        _note_bank_problems(bank_set, err)
        raise


def _note_bank_problems(bank_set: BankSet, err: TextIO) -> None:
    if bank_set.problems:
        files = len({p.file for p in bank_set.problems})
        print(f"note: {files} bank file{'s' if files != 1 else ''} failed to load; "
              "`python -m assessment banks` shows why", file=err)


def cmd_template(args: argparse.Namespace, run: Run) -> int:
    out = run.out
    bank = _bank_or_fail(run.bank_set, args.bank)
    try:
        assessment = new_assessment(bank, organisation=args.organisation, kind=args.kind,
                                    unit=args.unit, date=args.date)
    except TemplateError as exc:
        raise UserError(f"{args.out}: {exc}") from None
    except ValidationError as exc:
        raise UserError(*(str(p) for p in problems_from_validation(args.out, exc))) from None
    path = Path(args.out)
    try:
        if args.force:
            save_assessment_file(assessment, path)
        else:
            with path.open("x", encoding="utf-8") as fh:  # "x": never overwrite
                fh.write(dump_assessment(assessment))
    except FileExistsError:
        raise UserError(f"{path}: already exists; use --force to overwrite it") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be written: {exc.strerror or exc}") from None
    print(f"wrote {path} ({bank.id}, {assessment.organisation.kind.value})", file=out)
    return EXIT_OK


# --- parser ------------------------------------------------------------------------------


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=78)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-31") from None


def build_parser() -> argparse.ArgumentParser:
    # Options every command accepts, before or after the command name.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--bank-dir", metavar="DIR", default=argparse.SUPPRESS,
        help="a folder of your own bank YAML files, added to the built-in banks "
             "(default: $PSA_BANK_DIR)",
    )
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=("sv", "en"), default="sv",
                      help="language of names and texts (default: sv)")
    raw = argparse.RawDescriptionHelpFormatter

    parser = argparse.ArgumentParser(
        prog="python -m assessment", parents=[common], formatter_class=raw,
        description="Patient-safety self-assessment: question banks, assessment files, scores.",
        epilog="Example:\n  python -m assessment banks\n"
               "  python -m assessment score region-*.json --json > scores.json\n\n"
               "Exit codes: 0 done, 2 invalid input, 1 unexpected error, 130 interrupted.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "banks", parents=[common, lang], formatter_class=raw,
        help="list the installed question banks",
        description=_wrap("List the installed banks (id, version, number of areas and "
                          "questions, title). Banks that fail to load are reported on stderr; "
                          "the exit code is still 0."),
        epilog="Example:\n  python -m assessment banks --bank-dir ./my-banks",
    )
    p.set_defaults(func=cmd_banks)

    p = sub.add_parser(
        "bank", parents=[common], formatter_class=raw, help="show one bank",
        description="Commands on one bank.",
        epilog="Example:\n  python -m assessment bank show nationell-handlingsplan-2025",
    )
    bank_sub = p.add_subparsers(dest="bank_command", metavar="COMMAND", required=True)
    p = bank_sub.add_parser(
        "show", parents=[common, lang], formatter_class=raw,
        help="a bank's areas and questions",
        description=_wrap("Print a bank's scale, areas and questions (with their audiences). "
                          "Exit code 2 for an unknown id."),
        epilog="Example:\n  python -m assessment bank show nationell-handlingsplan-2025 --lang en\n"
               "  python -m assessment bank show kommunenkat-2023 --json > bank.json",
    )
    p.add_argument("id", help="the bank id, as listed by `banks`")
    p.add_argument("--json", action="store_true", help="print the whole bank as JSON")
    p.set_defaults(func=cmd_bank_show)

    p = sub.add_parser(
        "validate", parents=[common], formatter_class=raw,
        help="check bank YAML and assessment JSON files",
        description=_wrap("Check each file: a bank (.yaml, .yml) or an assessment (.json), "
                          "against the installed banks. Prints \"OK FILE\" for a valid file "
                          "and every problem of the others, one per line as FILE: PLACE: "
                          "MESSAGE. Exit code 2 when any file has a problem."),
        epilog="Example:\n  python -m assessment validate questions/my-bank.yaml halland-2025.json",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "score", parents=[common, lang], formatter_class=raw,
        help="score assessment files and roll them up",
        description=_wrap("Score each assessment: overall, per area score, coverage, unknown "
                          "share and gap, the top priorities with their reasons and the "
                          "knowledge gaps. With two or more files, which must all use one "
                          "bank, also the rollup: per area mean, min and max, per question "
                          "the share positive. Files that cannot be read stop the command "
                          "with exit code 2 and one line naming each.")
        + "\n\n" + _wrap("--json is indented on a terminal; piped or redirected it has one "
                          "assessment per line (the same JSON, written faster)."),
        epilog="Example:\n  python -m assessment score halland-2025.json\n"
               "  python -m assessment score units/*.json --json > scores.json",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true",
                   help="print JSON: {\"assessments\": [...], \"rollup\": {...} or null} "
                        "(--lang then only matters for the text output)")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser(
        "template", parents=[common], formatter_class=raw,
        help="write an empty assessment file for a bank",
        description=_wrap("Write an assessment with no participants and no answers, ready "
                          "to be filled in; it validates as it is. An existing file is never "
                          "overwritten without --force."),
        epilog="Example:\n  python -m assessment template nationell-handlingsplan-2025 "
               "--out halland.json \\\n      --organisation \"Region Halland\" --kind region "
               "--date 2025-09-01",
    )
    p.add_argument("bank", metavar="BANK", help="the bank id, as listed by `banks`")
    p.add_argument("--out", required=True, metavar="FILE.json", help="the file to write")
    p.add_argument("--organisation", metavar="NAME",
                   help="the organisation's name (default: \"Ny organisation\")")
    p.add_argument("--kind", choices=[a.value for a in Audience],
                   help="region, kommun or vardgivare (default: the bank's first audience)")
    p.add_argument("--unit", default="", metavar="U", help="the unit assessed, if not all of it")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="(default: today)")
    p.add_argument("--force", action="store_true", help="overwrite FILE.json if it exists")
    p.set_defaults(func=cmd_template)

    excel_cli.add_subcommands(sub, parents=[common, lang])
    compare_cli.add_subcommands(sub, parents=[common, lang])
    report_cli.add_subcommands(sub, parents=[common, lang])
    workspace_cli.add_subcommands(sub, parents=[common])
    workshop_cli.add_subcommands(sub, parents=[common])
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (never raises, never prints a traceback)."""
    out, err = sys.stdout, sys.stderr
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
            return exc.code if isinstance(exc.code, int) else EXIT_INVALID
        if not hasattr(args, "bank_dir"):
            args.bank_dir = None
        return run_command(args, Run(out, err, args.bank_dir))
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        except OSError:
            pass
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"error: {message}", file=err)
        return EXIT_ERROR
