"""How much slower is the Excel export than pandas writing the same raw answers? Target ≤ 1.5.

    python benchmarks/bench_excel.py                  # 30 participants, the national bank
    python benchmarks/bench_excel.py --participants 60 --profile

One assessment (fixed seed) of the whole national bank: 30 participants answer every
question (about 8 % "Vet ej", 4 % "Ej aktuellt", a comment on 10 %), a few consensus
values and a 20-item action plan. Timed, best of 5, alternating so that load from other
processes hits both alike:
  (a) ``pandas.DataFrame.to_excel`` (openpyxl engine, into memory) of the raw answers with
      the same nine columns as the export's Svar sheet; the DataFrame is built before;
  (b) ``assessment.excel.export_workbook``: scoring and all seven sheets, with formats,
      column widths, row heights, print set-up and the radar chart, into memory.
Wall time (``perf_counter``) and CPU time (``process_time``) are both shown; the ratio
uses wall time. With ``--profile`` (or when the ratio is above the target) prints a
cProfile of (b).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402

from assessment.action_plan import new_action  # noqa: E402
from assessment.bank import Bank  # noqa: E402
from assessment.bank_loader import load_banks  # noqa: E402
from assessment.document import Action, ActionStatus, Assessment  # noqa: E402
from assessment.excel import export_workbook  # noqa: E402
import generate  # noqa: E402
from generate import NATIONAL_BANK, SEED  # noqa: E402

PARTICIPANTS = 30
ACTIONS = 20
RUNS = 5
TARGET = 1.5


def make_assessment(bank: Bank, participants: int, seed: int = SEED) -> Assessment:
    """``generate.make_assessment``'s answers from ``participants`` people, five consensus
    values, a target of 3 in every area and an action plan of ``ACTIONS`` items."""
    rng = random.Random(seed)
    doc = generate.make_assessment(bank, rng, 1, participants=participants)
    ids = list(bank.question_index())
    doc.update({
        "organisation": {"name": "Region Exempel", "kind": "region", "unit": "Hela regionen"},
        "date": "2025-09-01",
        "consensus": [{"question": q, "value": rng.randint(0, bank.scale.top),
                       "note": "Enades vid mötet"} for q in rng.sample(ids, 5)],
        "targets": {area.id: 3 for area in bank.areas},
    })
    assessment = Assessment.model_validate(doc)
    statuses = list(ActionStatus)
    actions: list[Action] = []
    for n, question_id in enumerate(rng.sample(ids, ACTIONS)):
        action = new_action(bank, question_id)
        actions.append(action.model_copy(update={
            "owner": rng.choice(generate.ROLES), "status": statuses[n % len(statuses)],
            "due": dt.date(2026, 1 + n % 12, 15) if n % 4 else None,
            "note": "Följs upp i patientsäkerhetsberättelsen." if n % 3 == 0 else "",
        }))
    return assessment.model_copy(update={"actions": actions})


def raw_answers(assessment: Assessment, bank: Bank) -> pd.DataFrame:
    """The same rows and columns as the export's Svar sheet."""
    index = bank.question_index()
    people = {p.id: p for p in assessment.participants}
    rows = []
    for a in assessment.answers:
        area, question = index[a.question]
        person = people[a.participant]
        rows.append({
            "Deltagar-id": person.id, "Deltagare": person.name, "Roll": person.role,
            "Område": area.id, "Fråga (id)": a.question, "Fråga": question.text.sv,
            "Svar": bank.scale.label(a.value), "Värde": a.value if type(a.value) is int else None,
            "Kommentar": a.comment,
        })
    return pd.DataFrame(rows)


def pandas_path(frame: pd.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.to_excel(out, engine="openpyxl", index=False, sheet_name="Svar")
    return out.getvalue()


def export_path(assessment: Assessment, bank: Bank) -> bytes:
    return export_workbook(assessment, bank, exported_at=dt.datetime(2025, 9, 1, 12, 0))


def timed(fn, *args) -> tuple[float, float, bytes]:
    wall, cpu = time.perf_counter(), time.process_time()
    data = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Example:\n  python benchmarks/bench_excel.py")
    parser.add_argument("--participants", type=int, default=PARTICIPANTS)
    parser.add_argument("--bank", default=NATIONAL_BANK)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--profile", action="store_true", help="always print a profile of (b)")
    args = parser.parse_args(argv)

    banks = load_banks().banks
    if args.bank not in banks:
        raise SystemExit(f"bank {args.bank!r} is not installed")
    bank = banks[args.bank]
    assessment = make_assessment(bank, args.participants)
    frame = raw_answers(assessment, bank)
    print(f"bank {bank.id} (version {bank.version}): {len(bank.question_index())} questions × "
          f"{args.participants} participants = {len(assessment.answers):,} answers, "
          f"{len(assessment.actions)} actions; openpyxl {openpyxl.__version__}, "
          f"pandas {pd.__version__}, Python {sys.version.split()[0]}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")

    pandas_path(frame)  # warm up imports and caches for both
    export_path(assessment, bank)
    labels = ("(a) pandas to_excel of the answers", "(b) export_workbook, 7 sheets")
    wall = dict.fromkeys(labels, float("inf"))
    cpu = dict.fromkeys(labels, float("inf"))
    size = {}
    for _ in range(args.runs):
        for label, fn, fn_args in ((labels[0], pandas_path, (frame,)),
                                   (labels[1], export_path, (assessment, bank))):
            seconds, cpu_seconds, data = timed(fn, *fn_args)
            wall[label] = min(wall[label], seconds)
            cpu[label] = min(cpu[label], cpu_seconds)
            size[label] = len(data)
    print(f"best of {args.runs}; wall time (perf_counter), and CPU time (process_time)")
    for label in labels:
        print(f"{label:36s} {wall[label]:7.3f} s  CPU {cpu[label]:7.3f} s  "
              f"{size[label] / 1024:6.0f} KiB")
    ratio = wall[labels[1]] / wall[labels[0]]
    cpu_ratio = cpu[labels[1]] / cpu[labels[0]]
    print(f"ratio b/a = {ratio:.2f} (CPU {cpu_ratio:.2f})  (target ≤ {TARGET:g}: "
          f"{'met' if ratio <= TARGET else 'NOT met'})")

    if args.profile or ratio > TARGET:
        profiler = cProfile.Profile()
        profiler.enable()
        export_path(assessment, bank)
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stdout)
        print("\nprofile of (b), by own time:")
        stats.sort_stats("tottime").print_stats(20)
    print(f"\ndocs/performance.md: {dt.date.today().isoformat()}, {os.cpu_count()} CPUs: "
          f"pandas {wall[labels[0]]:.3f} s, export {wall[labels[1]]:.3f} s, ratio {ratio:.2f} "
          f"(CPU {cpu_ratio:.2f}; {'met' if ratio <= TARGET else 'not met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
