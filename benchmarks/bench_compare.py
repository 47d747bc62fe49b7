"""Comparing 300 assessments of the whole national bank (every municipality in a year): the
Jämför page's server-side time and the ``compare`` command's time as a ratio to json.load.

    python benchmarks/bench_compare.py                # measure and print
    python benchmarks/bench_compare.py --profile      # and a cProfile of both
    python benchmarks/bench_compare.py --earlier      # files of the bank's earlier version

The files are generated with a fixed seed by ``benchmarks/generate.py`` (20 participants
answering every question: levels, "Vet ej", "Ej aktuellt", comments, a few consensus values).
With ``--earlier`` each file is made one of the earlier version the bank upgrades from (last
year's files and saved assessments): every answer to an activity that version asked twice is
given under its old id as well, so every read merges them (``assessment.bank_upgrade``). The
targets are for current files; ``--earlier`` shows what last year's cost.

(a) The page: the same files stored in a fresh SQLite database, the Jämför page opened in
    Streamlit's AppTest (the server's work, no browser) with all 300 picked, and ``at.run()``
    timed – *cold*: the page's snapshot cache emptied before each run, so every assessment
    is read from the database and scored; *warm*: a rerun (a widget changed) with the cache
    filled. Median of N runs after one warm-up. Target: ≤ 2 s.
(b) The command: ``compare FILE… --json`` in process (``assessment.compare_cli.cmd_compare``,
    output to a StringIO; the banks loaded once before) against ``json.load`` of every file,
    runs alternating, best of 3. Target: ratio ≤ 2. ``--xlsx`` is timed once, for information.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from script_profile import script_thread_profile  # noqa: E402
from generate import PARTICIPANTS, SEED, generate, pick_bank  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from assessment import compare_cli  # noqa: E402
from assessment.bank_loader import load_banks  # noqa: E402
from assessment.cli_support import Run  # noqa: E402
from assessment.bulk_read import read_for_scoring  # noqa: E402
from assessment.document import Assessment  # noqa: E402
from assessment.storage import Store  # noqa: E402
from scoring.compare import by_date, compare_to_dict, snapshot  # noqa: E402

PAGE_TARGET_S = 2.0
CLI_TARGET = 2.0
RUNS = 3


def timed(fn, *args) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


# --- (b) the command -----------------------------------------------------------------------------

def json_only(paths: list[Path]) -> None:
    for path in paths:
        with path.open("rb") as fh:
            json.load(fh)


def compare_path(paths: list[Path], bank_set, *, xlsx: Path | None = None) -> str:
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(files=[str(p) for p in paths], json=xlsx is None,
                              xlsx=str(xlsx) if xlsx else None, force=True, lang="sv")
    code = compare_cli.cmd_compare(args, Run(out, err, loaded=bank_set))
    if code != 0:
        raise SystemExit(f"compare failed ({code}): {err.getvalue()[:500]}")
    return out.getvalue()


def cli_stages(paths: list[Path], banks) -> dict[str, float]:
    """CPU seconds per step of (b), called one by one as ``compare_files`` does."""
    took: dict[str, float] = {}
    clock = time.process_time

    def add(name: str, since: float) -> float:
        now = clock()
        took[name] = took.get(name, 0.0) + now - since
        return now

    snaps = []
    for path in paths:
        t = clock()
        data = path.read_bytes()
        t = add("read bytes", t)
        read = read_for_scoring(str(path), data, banks)
        t = add("read_for_scoring (msgspec + pydantic header)", t)
        bank = banks[read.header.bank.id]
        snaps.append(snapshot(str(path), read.header, bank, read.answers))
        add("snapshot (scoring without priorities)", t)
    t = clock()
    text = json.dumps(compare_to_dict(by_date(snaps), bank), ensure_ascii=False)
    add("compare_to_dict + json.dumps", t)
    assert text
    return took


# --- (a) the page ----------------------------------------------------------------------------------

def as_earlier_version(paths: list[Path], bank) -> None:
    """Rewrite each file as made with the earlier version ``bank`` upgrades from: each answer
    to an activity that version asked twice is given under its old id too."""
    old_ids: dict[str, list[str]] = {}
    for old, kept in bank.replaced_ids().items():
        old_ids.setdefault(kept, []).append(old)
    for path in paths:
        doc = json.loads(path.read_text("utf-8"))
        doc["bank"]["version"] = bank.upgrades_from[0]
        doc["answers"] += [{**a, "question": old} for a in doc["answers"]
                           for old in old_ids.get(a["question"], ())]
        path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def seed_database(store: Store, paths: list[Path]) -> list[str]:
    return [store.create_assessment(Assessment.model_validate_json(p.read_bytes())) for p in paths]


def open_compare(ids: list[str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("views/compare.py")
    at.run()
    at.session_state["cmp_saved"] = ids   # as if all 300 were picked in the multiselect
    at.run()
    check(at, len(ids))
    return at


def check(at: AppTest, count: int) -> None:
    if at.exception:
        raise SystemExit(f"the page failed: {at.exception}")
    captions = " ".join(c.value for c in at.caption)
    if f"{count} självskattningar jämförs" not in captions:
        raise SystemExit(f"the page does not compare {count} assessments: {captions[:300]}")


def page_runs(at: AppTest, count: int, n: int, cold: bool) -> list[tuple[float, float]]:
    from app_pages import compare as page  # noqa: PLC0415

    times = []
    for _ in range(n):
        if cold:
            page._snapshots.clear()
        times.append(timed(at.run))
        check(at, count)
    return times


def page_profile(at: AppTest) -> pstats.Stats:
    """cProfile of one cold run, of the page script's own thread."""
    from app_pages import compare as page  # noqa: PLC0415

    with script_thread_profile() as script:
        page._snapshots.clear()
        at.run()
    return pstats.Stats(script)


STEPS = [  # (label, file part, function name): cumulative time of one cold run
    ("Store.list_assessments (the picker's list)", "storage/store.py", "list_assessments"),
    ("read_snapshots: Store.scoring_inputs + scoring", "assessment/snapshots.py",
     "read_snapshots"),
    ("  of which reading (a query per table, answers counted in SQL)", "storage/bulk.py",
     "scoring_inputs"),
    ("  of which scoring (snapshot ×300)", "scoring/compare.py", "snapshot"),
    ("over time tab", "app_pages/compare.py", "_over_time"),
    ("across units tab (heatmap 300 × 9, tables)", "app_pages/compare.py", "_across_units"),
    ("against the country tab", "app_pages/compare.py", "_against_national"),
    ("  of which charts to Vega-Lite + st.vega_lite_chart", "app_pages/chart_block.py",
     "chart_block"),
    ("the whole page script", "app_pages/compare.py", "render"),
]


def step_times(stats: pstats.Stats) -> list[tuple[str, float]]:
    result = []
    for label, file_part, name in STEPS:
        total = sum(ct for (file, _, func), (_, _, _, ct, _) in stats.stats.items()
                    if func == name and file.replace("\\", "/").endswith(file_part))
        result.append((label, total))
    return result


# --- main ------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Example:\n  python benchmarks/bench_compare.py --files 300")
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--cold", type=int, default=5, help="cold page runs (default 5)")
    parser.add_argument("--warm", type=int, default=10, help="warm page runs (default 10)")
    parser.add_argument("--profile", action="store_true", help="print the profiles too")
    parser.add_argument("--earlier", action="store_true",
                        help="files of the earlier version of the bank (merged when read)")
    args = parser.parse_args(argv)

    bank = pick_bank()
    bank_set = load_banks()
    banks = bank_set.banks
    with tempfile.TemporaryDirectory(prefix="psa-bench-compare-") as tmp:
        folder = Path(tmp)
        paths = generate(folder / "files", args.files, bank, args.seed)
        if args.earlier:
            as_earlier_version(paths, bank)
        size = sum(p.stat().st_size for p in paths)
        print(f"{len(paths)} files of {bank.id}{' (earlier version)' if args.earlier else ''}, "
              f"{size / 1e6:.1f} MB, "
              f"{len(paths) * PARTICIPANTS * len(bank.question_index()):,} answers")

        # (b) the command
        json_only(paths)
        compare_path(paths, bank_set)
        best = {"json": (float("inf"),) * 2, "compare": (float("inf"),) * 2}
        for _ in range(RUNS):
            for name, fn in (("json", lambda: json_only(paths)),
                             ("compare", lambda: compare_path(paths, bank_set))):
                w, c = timed(fn)
                best[name] = (min(best[name][0], w), min(best[name][1], c))
        stages = cli_stages(paths, banks)
        xlsx_seconds, _ = timed(lambda: compare_path(paths, bank_set, xlsx=folder / "out.xlsx"))
        a_w, a_c = best["json"]
        b_w, b_c = best["compare"]
        print(f"(a) json.load       {a_w:.3f} s wall  {a_c:.3f} s CPU")
        print(f"(b) compare --json  {b_w:.3f} s wall  {b_c:.3f} s CPU   ratio {b_w / a_w:.2f} "
              f"wall, {b_c / a_c:.2f} CPU (target ≤ {CLI_TARGET:g})")
        for name, seconds in stages.items():
            print(f"    {name:44s} {seconds:.3f} s  {seconds / a_c:.2f} × (a)")
        print(f"compare --xlsx      {xlsx_seconds:.2f} s")

        # (a) the page
        os.environ["PSA_DB_PATH"] = str(folder / "bench.sqlite3")
        os.environ.pop("PSA_DATABASE_URL", None)
        from app_pages import context  # noqa: PLC0415 (after the database is chosen)

        context._store.clear()
        with Store.from_env() as store:
            ids = seed_database(store, paths)
        at = open_compare(ids)
        page_runs(at, len(ids), 1, cold=True)  # warm-up
        cold = page_runs(at, len(ids), args.cold, cold=True)
        warm = page_runs(at, len(ids), args.warm, cold=False)
        median = lambda runs, i: statistics.median(r[i] for r in runs)  # noqa: E731
        page = {"cold": (median(cold, 0), median(cold, 1)), "warm": (median(warm, 0), median(warm, 1))}
        print(f"page cold  {page['cold'][0]:.2f} s wall  {page['cold'][1]:.2f} s CPU  "
              f"(min–max wall {min(r[0] for r in cold):.2f}–{max(r[0] for r in cold):.2f}; "
              f"target ≤ {PAGE_TARGET_S:g} s)")
        print(f"page warm  {page['warm'][0]:.2f} s wall  {page['warm'][1]:.2f} s CPU")
        stats = page_profile(at)
        steps = step_times(stats)
        for label, seconds in steps:
            print(f"    {label:52s} {seconds:.2f} s")
        if args.profile:
            stats.sort_stats("cumulative").print_stats(40)
            profiler = cProfile.Profile()
            profiler.enable()
            compare_path(paths, bank_set)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        context._store.clear()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    met = page["cold"][0] <= PAGE_TARGET_S and b_w / a_w <= CLI_TARGET
    print(f"\ndocs/performance.md: {dt.date.today().isoformat()}, {os.cpu_count()} CPUs, "
          f"load {load:.1f}{', earlier version' if args.earlier else ''}: page cold {page['cold'][0]:.2f} s (warm {page['warm'][0]:.2f} s), "
          f"compare --json {b_w:.3f} s ÷ json.load {a_w:.3f} s = {b_w / a_w:.2f}; "
          f"{'targets met' if met else 'a target missed'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
