"""How much slower is `score` than just reading the JSON? Target: at most 2×.

    python benchmarks/bench_scoring.py                # 1000 files of the national bank
    python benchmarks/bench_scoring.py --files 200 --profile

Generates the files into a temporary folder (fixed seed), then times, best of 3 runs:
  (a) ``json.load`` of every file;
  (b) the `score --json` path in process: load + validate + score + rollup + JSON output
      (``assessment.cli.run_score``, output to a StringIO); the banks are loaded once before.
The runs of (a) and (b) alternate, so that load from other processes hits both alike.
With ``--profile`` (or when the ratio is above the target) prints a cProfile of (b).

With ``--proposed`` it also times (b) with prototypes of the changes proposed for the core
(``assessment/files.py``, ``assessment/document.py``, ``scoring/``), applied one after the
other by monkeypatching, and checks that each gives byte-identical output. The core
files are not edited; the prototypes live here only to measure the proposals.
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import io
import json
import os
import pstats
import resource
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from pydantic import ValidationError  # noqa: E402

import assessment.files as files  # noqa: E402
import scoring.score as score_module  # noqa: E402
from assessment import cli  # noqa: E402
from assessment.bank_loader import load_banks  # noqa: E402
from assessment.document import (  # noqa: E402
    Answer, AnswerValue, Assessment, FreeText, ItemId, ParticipantId, Strict,
)
from scoring.questions import DISAGREEMENT_SPREAD, UNKNOWN, QuestionScore  # noqa: E402
from scoring.rollup import AreaRollup, QuestionRollup, Rollup  # noqa: E402
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


# --- prototypes of the proposed core changes ---------------------------------------------

_parse_assessment = files.parse_assessment


class _PlainAnswer(Strict):
    """``Answer`` without the wrap validator that turns a bad value's two union errors into
    one problem (a Python call for every answer, also when the value is fine)."""

    participant: ParticipantId
    question: ItemId
    value: AnswerValue
    comment: FreeText = ""


class P0Assessment(Assessment):
    """P0 (document.py + problems.py): the same file model, but one problem per bad answer
    value made afterwards, in ``problems_from_validation`` (collapse the errors whose ``loc``
    ends in a union member such as ``constrained-int`` / ``literal[...]``), so a valid file
    pays nothing for it."""

    answers: list[_PlainAnswer] = []


assert set(_PlainAnswer.model_fields) == set(Answer.model_fields)
_check_against_bank = files.check_against_bank


def p1_parse_assessment(name: str, data: bytes, banks):
    """P1 (files.py): validate the bytes with ``Assessment.model_validate_json`` (no
    ``json.loads``, no intermediate dicts); on any failure fall back to today's path, which
    gives the same problems as before. (The real change must also reject a version written
    as 1.0 or true, which ``upgrade`` rejects and ``Literal[1]`` accepts.)"""
    if len(data) <= files.MAX_ASSESSMENT_BYTES:
        try:
            assessment = files.Assessment.model_validate_json(data)
        except ValidationError:
            pass
        else:
            bank = banks.get(assessment.bank.id)
            if {"format", "version"} <= assessment.model_fields_set and bank is not None:
                if not files.check_against_bank(assessment, bank, name):
                    return assessment
    return _parse_assessment(name, data, banks)


def p2_check_against_bank(assessment, bank, file):
    """P2 (document.py): check the answers with set operations; only when one of them fails
    walk the answers one by one to name each problem."""
    answers = assessment.answers
    ids = [p.id for p in assessment.participants]
    known = set(ids)
    keys = {(a.participant, a.question) for a in answers}
    allowed = {*range(bank.scale.top + 1), "unknown", *(["na"] if bank.has_na else [])}
    if (len(known) == len(ids) and len(keys) == len(answers)
            and {p for p, _ in keys} <= known
            and {q for _, q in keys}.issubset(bank.question_index())
            and {a.value for a in answers} <= allowed):
        return _check_against_bank(assessment.model_copy(update={"answers": []}), bank, file)
    return _check_against_bank(assessment, bank, file)


def p3_score_question(question_id, area_id, answers, consensus=None, has_consensus=False):
    """P3 (scoring/questions.py): one sort instead of ``statistics.median`` + min + max,
    counts with ``list.count`` / ``Counter`` instead of generator sums."""
    numbers = sorted(v for v in answers if type(v) is int)
    n = len(numbers)
    unknown = answers.count(UNKNOWN)
    na = len(answers) - n - unknown
    if has_consensus:
        value = consensus
    elif n:
        mid = n // 2
        value = numbers[mid] if n % 2 else (numbers[mid - 1] + numbers[mid]) / 2
    elif unknown:
        value = UNKNOWN
    elif na:
        value = "na"
    else:
        value = None
    spread = numbers[-1] - numbers[0] if n else None
    counted = n + unknown
    positive = n - bisect.bisect_left(numbers, 1)
    return QuestionScore(
        id=question_id, area=area_id, value=value, consensus=has_consensus, spread=spread,
        disagreement=spread is not None and spread >= DISAGREEMENT_SPREAD,
        share_positive=positive / counted if counted else None, answers=len(answers),
        unknown_answers=unknown, na_answers=na,
        distribution={str(k): c for k, c in Counter(answers).items()},
    )


def p4_rollup(scored):
    """P4 (scoring/rollup.py): sum the per-question counts the scores already hold instead of
    a second pass over every answer. (The real change adds ``positive`` to QuestionScore;
    here it is recovered from share_positive.)"""
    area_scores: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    for _, result in scored:
        for area in result.areas:
            scores = area_scores.setdefault(area.id, [])
            if area.score is not None:
                scores.append(area.score)
            for q in area.questions:
                tally = counts.setdefault(q.id, [0, 0])
                counted = q.answers - q.na_answers
                if counted:
                    tally[0] += round(q.share_positive * counted)
                    tally[1] += counted
    areas = [AreaRollup(a, sum(s) / len(s) if s else None, min(s) if s else None,
                        max(s) if s else None, len(s)) for a, s in area_scores.items()]
    questions = [QuestionRollup(q, c[0] / c[1] if c[1] else None, *c) for q, c in counts.items()]
    return Rollup(areas, questions)


def stages(paths: list[Path], banks) -> dict[str, float]:
    """CPU seconds per step of (b): the steps ``load_assessment_file``, ``score_files`` and
    ``write_score_json`` take, called one by one per file as (b) does (keeping what (b)
    keeps: each assessment and its score), collector paused."""
    from assessment.document import check_against_bank
    from assessment.files import upgrade
    from scoring.rollup import rollup, rollup_to_dict
    from scoring.score import score_assessment, score_to_dict

    took: dict[str, float] = {}
    clock = time.process_time  # CPU time: the machine may be busy with other work

    def add(name: str, since: float) -> float:
        now = clock()
        took[name] = took.get(name, 0.0) + now - since
        return now

    kept = []
    with cli.gc_paused():
        for path in paths:
            t = clock()
            data = path.read_bytes()
            t = add("read bytes", t)
            raw = upgrade("x", json.loads(data.decode("utf-8-sig")))
            t = add("json.loads (+decode, upgrade)", t)
            doc = Assessment.model_validate(raw)
            t = add("Assessment.model_validate", t)
            bank = banks[doc.bank.id]
            check_against_bank(doc, bank, "x")
            t = add("check_against_bank", t)
            kept.append((doc, score_assessment(doc, bank)))
            add("score_assessment", t)
        t = clock()
        rolled = rollup(kept)
        t = add("rollup", t)
        dicts = [score_to_dict(result) for _, result in kept]
        t = add("score_to_dict", t)
        lines = [json.dumps(d, ensure_ascii=False) for d in dicts]
        lines.append(json.dumps(rollup_to_dict(rolled), ensure_ascii=False))
        t = add("json.dumps (one line per file)", t)
        json.dumps(dicts, ensure_ascii=False, indent=2)
        add("(not used: json.dumps indent=2)", t)
    return took


PROPOSALS = [
    ("P0 no per-answer wrap validator", files, "Assessment", P0Assessment),
    ("P1 model_validate_json", files, "parse_assessment", p1_parse_assessment),
    ("P2 set-based answer checks", files, "check_against_bank", p2_check_against_bank),
    ("P3 faster score_question", score_module, "score_question", p3_score_question),
    ("P4 rollup from the scores", cli, "rollup", p4_rollup),
]


@contextmanager
def patched(proposals):
    saved = [(module, name, getattr(module, name)) for _, module, name, _ in proposals]
    try:
        for _, module, name, replacement in proposals:
            setattr(module, name, replacement)
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def as_first_written(paths, banks):
    """(b) without the CLI's own optimisations: collector running, JSON indented."""
    @contextmanager
    def collector_running():
        yield

    def indented(run, out, *, pretty=False):
        cli._dump_json(cli.score_run_to_dict(run), out)

    saved = cli.gc_paused, cli.write_score_json
    cli.gc_paused, cli.write_score_json = collector_running, indented
    try:
        return score_path(paths, banks)
    finally:
        cli.gc_paused, cli.write_score_json = saved


def with_proposals(count: int):
    def run(paths, banks):
        with patched(PROPOSALS[:count]):
            return score_path(paths, banks)
    return run


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
    parser.add_argument("--proposed", action="store_true",
                        help="also time (b) with the proposed core changes, one after another")
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
        reference = score_path(paths, banks)
        variants = [("(b) load+validate+score+rollup", score_path)]
        if args.proposed:
            if json.loads(as_first_written(paths, banks)) != json.loads(reference):
                raise SystemExit("(b) as first written: the output differs")
            variants.append(("    (b) without the CLI's optimisations", as_first_written))
            for n in range(1, len(PROPOSALS) + 1):
                label = f"    + {PROPOSALS[n - 1][0]}"
                variant = with_proposals(n)
                if variant(paths, banks) != reference:
                    raise SystemExit(f"{label.strip()}: the output differs from today's")
                variants.append((label, variant))
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
