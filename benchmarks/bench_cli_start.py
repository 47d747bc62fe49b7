"""How long does a command of ``psa`` take from start to exit, against the least it could?
Target: ``psa banks`` ≤ 3 × the floor.

    python benchmarks/bench_cli_start.py                    # 15 rounds
    python benchmarks/bench_cli_start.py --rounds 30 --before /tmp/old-tree

The floor is a new Python process that imports pydantic and reads the installed banks' YAML
(libyaml's parser, as the bank loader does): what ``psa banks`` cannot do without. Each round
starts, as new processes with this Python, the floor and then each command
(``python -m assessment …`` with the tree on ``PYTHONPATH``, so that the tree measured is
the one imported); the order of the commands turns from round to round, so that load from
other processes hits all alike. Reported for each: the best wall time of the rounds
(``perf_counter`` around ``subprocess.run``; load from other processes only ever adds to a
start, so the best is the least disturbed) and its ratio to the floor's best in the same
run, then the median and its ratio, which a busy machine moves more.

``--before DIR`` measures ``banks`` of another tree in the same rounds (e.g. an older
commit: ``git archive COMMIT | tar -x -C DIR``), for a before/after in one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANK = "nationell-handlingsplan-2025"
TARGET = 3.0
ROUNDS = 15

FLOOR = """
import pydantic, yaml
from pathlib import Path
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
for path in sorted(Path({questions!r}).glob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
"""


def commands(folder: Path) -> dict[str, list[str]]:
    """The commands timed, by name: a listing, one bank, the help, and a file checked and
    scored (the template written in ``folder``)."""
    sheet = str(folder / "template.json")
    return {
        "banks": ["banks"],
        "bank show": ["bank", "show", BANK],
        "--help": ["--help"],
        "validate": ["validate", sheet],
        "score": ["score", sheet],
    }


def run(argv: list[str], cwd: Path, env: dict) -> float:
    """Seconds from start to exit of one process; a failure stops the benchmark."""
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[:500]}")
    return seconds


def tree_env(tree: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PSA_BANK_DIR", "PYTHONPATH")}
    env["PYTHONPATH"] = str(tree)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up writes each tree's bytecode
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="another tree whose `banks` is timed in the same rounds")
    args = parser.parse_args(argv)

    python = sys.executable
    env = tree_env(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run([python, "-m", "assessment", "template", BANK, "--out",
                        str(folder / "template.json")], cwd=folder, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        timed: dict[str, tuple[list[str], dict]] = {
            "floor": ([python, "-c", FLOOR.format(questions=str(ROOT / "questions"))], env)}
        for name, cmd in commands(folder).items():
            timed[name] = ([python, "-m", "assessment", *cmd], env)
        if args.before:
            timed["banks (--before)"] = ([python, "-m", "assessment", "banks"],
                                         tree_env(args.before.resolve()))
        for argv_, env_ in timed.values():  # warm-up: the file cache and bytecode
            run(argv_, folder, env_)
        seconds: dict[str, list[float]] = {name: [] for name in timed}
        names = list(timed)
        for n in range(args.rounds):
            shift = n % len(names)
            for name in names[shift:] + names[:shift]:
                argv_, env_ = timed[name]
                seconds[name].append(run(argv_, folder, env_))

    best = {name: min(values) for name, values in seconds.items()}
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    floor, floor_median = best["floor"], medians["floor"]
    print(f"{args.rounds} rounds, wall time of a new process, Python {sys.version.split()[0]}")
    print(f"  {'':<18} {'best':>7}  {'× floor':>7}   {'median':>7}  {'× floor':>7}")
    for name in seconds:
        print(f"  {name:<18} {best[name]:6.3f} s  {best[name] / floor:7.1f}   "
              f"{medians[name]:6.3f} s  {medians[name] / floor_median:7.1f}")
    ratio = best["banks"] / floor
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"target: banks ≤ {TARGET:g} × floor (best of {args.rounds}): {ratio:.1f} ({verdict}); "
          f"medians {medians['banks'] / floor_median:.1f}")
    others = ", ".join(f"{name} {best[name] / floor:.1f}" for name in best
                       if name not in ("floor", "banks"))
    print(f"\ndocs/performance.md: {dt.date.today().isoformat()}, {os.cpu_count()} CPUs, best of "
          f"{args.rounds}: floor {floor:.3f} s; banks {best['banks']:.3f} s = {ratio:.1f} × floor "
          f"(medians {medians['banks'] / floor_median:.1f}); {others}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
