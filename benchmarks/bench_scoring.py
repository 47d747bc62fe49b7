"""How much slower is `score` than just reading the JSON? Target: at most 2×.

    python benchmarks/bench_scoring.py                # 1000 files of the national bank
    python benchmarks/bench_scoring.py --files 200 --profile

Generates the files into a temporary folder (fixed seed), then times, best of 3 runs:
  (a) ``json.load`` of every file;
  (b) the `score --json` path in process: load + validate + score + rollup + JSON output
      (``assessment.cli.run_score``, output to a StringIO); the banks are loaded once before.
The runs of (a) and (b) alternate, so that load from other processes hits both alike.
With ``--profile`` (or when the ratio is above the target) prints a cProfile of (b).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


from assessment import cli  # noqa: E402
from assessment.bank_loader import load_banks  # noqa: E402
from assessment.document import Assessment  # noqa: E402
from generate import NATIONAL_BANK, PARTICIPANTS, SEED, generate, pick_bank  # noqa: E402

TARGET = 2.0
RUNS = 3


def json_only(paths: list[Path]) -> None:
    for path in paths:
        with path.open("rb") as fh:
            json.load(fh)


def score_path(paths: list[Path], banks) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run_score(paths, banks, out, err, as_json=True)
    if code != 0:
        raise SystemExit(f"score failed ({code}): {err.getvalue()[:500]}")
    return out.getvalue()


def timed(fn, *args) -> tuple[float, float]:
    """(wall seconds by ``time.perf_counter``, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def stages(paths: list[Path], banks) -> dict[str, float]:
    """CPU seconds per step of (b), called one by one per file as (b) does (keeping what (b)
    keeps: each file's header and score)."""
    import msgspec
    import pydantic_core

    from assessment import bulk_read
    from assessment.document import answers_fit, check_against_bank, grouped_by_question
    from scoring.rollup import rollup, rollup_to_dict
    from scoring.score import score_assessment, score_to_dict

    took: dict[str, float] = {}
    clock = time.process_time  # CPU time: the machine may be busy with other work

    def add(name: str, since: float) -> float:
        now = clock()
        took[name] = took.get(name, 0.0) + now - since
        return now

    kept = []
    for path in paths:
        t = clock()
        data = path.read_bytes()
        t = add("read bytes", t)
        decoded = bulk_read._DECODER.decode(data)
        t = add("msgspec decode (answers checked)", t)
        raw = {name: value for name in bulk_read._HEADER_FIELDS
               if (value := getattr(decoded, name)) is not msgspec.UNSET}
        header = Assessment.model_validate(raw, context={"file": True})
        t = add("header: Assessment.model_validate", t)
        bank = banks[header.bank.id]
        check_against_bank(header, bank, "x")
        t = add("header: check_against_bank", t)
        answers_fit(bank, {p.id for p in header.participants}, decoded.answers)
        grouped = grouped_by_question(decoded.answers)
        t = add("answers: checked and grouped", t)
        kept.append((header, score_assessment(header, bank, grouped)))
        add("score_assessment", t)
    t = clock()
    rolled = rollup([result for _, result in kept])
    t = add("rollup", t)
    dicts = [score_to_dict(result, banks[header.bank.id]) for header, result in kept]
    t = add("score_to_dict", t)
    lines = [pydantic_core.to_json(d).decode() for d in dicts]
    lines.append(pydantic_core.to_json(rollup_to_dict(rolled)).decode())
    t = add("pydantic_core.to_json (one line per file)", t)
    json.dumps(dicts, ensure_ascii=False, indent=2)
    add("(not used: json.dumps indent=2)", t)

    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Example:\n  python benchmarks/bench_scoring.py "
                                            "--files 1000")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--bank", default=NATIONAL_BANK)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--profile", action="store_true", help="always print a profile of (b)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep the files")
    args = parser.parse_args(argv)

    bank = pick_bank(args.bank)
    start = time.perf_counter()
    banks = load_banks().banks
    bank_seconds = time.perf_counter() - start

    with tempfile.TemporaryDirectory(prefix="psa-bench-") as tmp:
        folder = args.keep or Path(tmp)
        start = time.perf_counter()
        paths = generate(folder, args.files, bank, args.seed)
        generated = time.perf_counter() - start
        size = sum(p.stat().st_size for p in paths)
        questions = len(bank.question_index())
        print(f"bank {bank.id} (version {bank.version}): {questions} questions; "
              f"{len(paths)} files × {PARTICIPANTS} participants = "
              f"{len(paths) * PARTICIPANTS * questions:,} answers, {size / 1e6:.1f} MB "
              f"(generated in {generated:.1f} s)")
        print(f"loading the banks (not in (b)): {bank_seconds * 1000:.0f} ms")

        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
              f"on {os.cpu_count()} CPUs")
        json_only(paths)  # warm the page cache
        score_path(paths, banks)
        variants = [("(b) load+validate+score+rollup", score_path)]
        labels = ["(a) json.load only", *(label for label, _ in variants)]
        wall = dict.fromkeys(labels, float("inf"))
        cpu = dict.fromkeys(labels, float("inf"))

        def keep_best(label, times):
            wall[label] = min(wall[label], times[0])
            cpu[label] = min(cpu[label], times[1])

        for _ in range(RUNS):  # alternate, so that other processes' load hits all alike
            keep_best(labels[0], timed(json_only, paths))
            for label, fn in variants:
                keep_best(label, timed(fn, paths, banks))
        a, a_cpu = wall[labels[0]], cpu[labels[0]]
        print(f"best of {RUNS}; wall time (perf_counter), and CPU time (process_time) which "
              "other processes disturb less")
        for label in labels:
            print(f"{label:38s} {wall[label]:7.3f} s {wall[label] / len(paths) * 1000:6.2f} ms/file"
                  f"  ratio {wall[label] / a:5.2f}   | CPU {cpu[label]:7.3f} s"
                  f"  ratio {cpu[label] / a_cpu:5.2f}")
        ratio = wall[labels[1]] / a
        print(f"ratio b/a = {ratio:.2f}  (target ≤ {TARGET:g}: "
              f"{'met' if ratio <= TARGET else 'NOT met'}); peak memory "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

        if args.profile or ratio > TARGET:
            print("\nwhere the time of (b) goes, step by step (CPU time):")
            for name, seconds in stages(paths, banks).items():
                print(f"  {name:38s} {seconds:7.3f} s  {seconds / len(paths) * 1000:6.2f} ms/file"
                      f"  {seconds / a_cpu:5.2f} × (a)")
            profiler = cProfile.Profile()
            profiler.enable()
            score_path(paths, banks)
            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stdout)
            print("\nprofile of (b), by own time:")
            stats.sort_stats("tottime").print_stats(20)
            print("profile of (b), by cumulative time:")
            stats.sort_stats("cumulative").print_stats(30)
    print(f"\ndocs/performance.md: {dt.date.today().isoformat()}, {os.cpu_count()} CPUs: "
          f"{len(paths)} files, (a) {a:.2f} s, (b) {wall[labels[1]]:.2f} s, ratio {ratio:.2f} "
          f"({'met' if ratio <= TARGET else 'not met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
