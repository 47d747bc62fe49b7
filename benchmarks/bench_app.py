"""Server-side time of the Streamlit app, as ratios to a bare one-widget page.

    python benchmarks/bench_app.py                    # measure and print
    python benchmarks/bench_app.py --profile          # and a cProfile of both app measurements

Everything runs in this process through Streamlit's AppTest (``streamlit.testing.v1``), which
executes the page script exactly as the server does and turns its output into elements; no
browser is involved. A fresh SQLite database in a temporary folder holds the assessments,
generated with a fixed seed by ``benchmarks/generate.py`` (realistic answers: levels,
"Vet ej", "Ej aktuellt", comments, a few consensus values).

(a) Answering one question: on the Självskattning page (national bank, 5 participants, every
    question answered, area G1 with its 12 questions open) G1.1 is answered on the answer
    sheet (the event its script sends, put on its trigger by ``tests/sheet_support.py``) and
    the page reruns, alternating two values so every run is a real change that is written to
    the database. Median of N = 30 after 5 warm-up runs. The same for a bare page holding one
    ``st.radio``: ``at.radio(key=…).set_value(v).run()``. Target: app ÷ bare ≤ 4.
(a') The same answer as the browser sends it: the sheet is an ``st.fragment``, and AppTest
    (which always reruns the whole app) cannot request a fragment rerun, so a page holding
    only that fragment (``answer_sheet.sheet`` for G1, same event, same write) is timed the
    same way.
(b) The Resultat page with all its charts (radar with nuläge, mål and föregående, time
    perspectives, heatmap of every question, tables) for a 20-participant assessment of
    the whole national bank: ``at.run()``, median of N = 20 after 3 warm-up runs.
    Target: ≤ 300 ms; reported with its ratio to the bare page's rerun.

App and bare runs alternate one by one, so load from other processes hits both alike. When a
target is missed (or with ``--profile``) a cProfile of the measurement says where the time
goes, grouped by package, with the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from streamlit.testing.v1 import AppTest  # noqa: E402

from assessment.document import Assessment  # noqa: E402
from assessment.storage import Store  # noqa: E402
from script_profile import script_thread_profile  # noqa: E402
from generate import SEED, make_assessment, pick_bank  # noqa: E402
from tests import sheet_support  # noqa: E402

ANSWER_TARGET = 4.0          # app ÷ bare, answering one question
RESULTS_TARGET_MS = 300.0    # Resultat page, all charts


BARE_PAGE = """\
import streamlit as st

st.radio("Svar", [0, 1, 2, 3, 4, "unknown", "na"], key="r", horizontal=True,
         format_func=str, index=None)
"""


# --- data --------------------------------------------------------------------------------

def seed_database(store: Store) -> tuple[str, str]:
    """(the 5-participant assessment, the 20-participant assessment with a previous one)."""
    bank = pick_bank()
    rng = random.Random(SEED)
    small = make_assessment(bank, rng, 1)
    keep = {p["id"] for p in small["participants"][:5]}
    small["participants"] = small["participants"][:5]
    small["answers"] = [a for a in small["answers"] if a["participant"] in keep]
    small["organisation"]["kind"] = "kommun"   # every question in scope
    big = make_assessment(bank, rng, 2)
    big["organisation"].update(kind="kommun", unit="Hemsjukvården")
    big["date"] = "2026-03-01"
    earlier = make_assessment(bank, rng, 3)
    earlier["organisation"] = dict(big["organisation"])
    earlier["date"] = "2025-03-01"
    store.create_assessment(Assessment.model_validate(earlier))
    return (store.create_assessment(Assessment.model_validate(small)),
            store.create_assessment(Assessment.model_validate(big)))


def open_page(aid: str, page: str, participant: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["a"] = aid
    if participant:
        at.query_params["p"] = participant
    at.run()
    at.switch_page(f"views/{page}.py")
    at.run()
    _check(at)
    return at


def bare_page(folder: Path) -> AppTest:
    script = folder / "bare_page.py"
    script.write_text(BARE_PAGE, encoding="utf-8")
    at = AppTest.from_file(str(script), default_timeout=120)
    at.run()
    _check(at)
    return at


FRAGMENT_PAGE = """\
import streamlit as st

from app_pages import answer_sheet, context
from assessment.answer_sheet import StoreAnswers
from assessment.progress import scope

bank = context.banks().get({bank!r})
if "areas" not in st.session_state:  # the page's own work, done once: a fragment rerun skips it
    st.session_state["areas"] = scope(context.store().load({aid!r}), bank)
source = StoreAnswers(context.store(), {aid!r}, "p01")
answer_sheet.sheet(source, bank, st.session_state["areas"])
"""


def fragment_page(folder: Path, aid: str) -> AppTest:
    """A page that runs only what the browser's answer now reruns: the answer sheet's fragment
    (``app_pages.answer_sheet.sheet``, G1's questions) and its database write."""
    script = folder / "one_question.py"
    script.write_text(FRAGMENT_PAGE.format(bank=pick_bank().id, aid=aid), encoding="utf-8")
    at = AppTest.from_file(str(script), default_timeout=120)
    at.run()
    _check(at)
    return at


def _check(at: AppTest) -> None:
    if at.exception:
        raise SystemExit(f"the page failed: {at.exception[0].message}")


# --- timing ------------------------------------------------------------------------------

Timing = tuple[float, float]  # (wall seconds, CPU seconds of this process)


def answer_once(at: AppTest, key: str, value) -> Timing:
    """Answer as the page's widget does: the bare page's radio, or an event from the app's
    answer sheet (``key`` None; ``tests/sheet_support.py`` puts it on the sheet's trigger)."""
    wall, cpu = time.perf_counter(), time.process_time()
    if key is None:
        sheet_support.answer(at, "G1.1", value)
    else:
        at.radio(key=key).set_value(value).run()
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    _check(at)
    return elapsed


def rerun_once(at: AppTest) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    at.run()
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    _check(at)
    return elapsed


def interleaved(app_step, bare_step, n: int, warmup: int) -> tuple[list[Timing], list[Timing]]:
    """Run app and bare steps alternately; the timings after the warm-up. The CPU time
    (``time.process_time``: both AppTest's thread and the script thread, nothing of other
    processes) shows the cost when other work on the machine makes the wall clock noisy."""
    app, bare = [], []
    for i in range(warmup + n):
        a, b = app_step(i), bare_step(i)
        if i >= warmup:
            app.append(a)
            bare.append(b)
    return app, bare


def profile(step, n: int) -> tuple[pstats.Stats, pstats.Stats, float]:
    """cProfile of ``n`` steps: (the script thread – the server's work –, AppTest's own work
    in the calling thread, wall seconds)."""
    caller = cProfile.Profile()
    start = time.perf_counter()
    with script_thread_profile() as script:
        caller.enable()
        for i in range(n):
            step(i)
        caller.disable()
    return pstats.Stats(script), pstats.Stats(caller), time.perf_counter() - start


PACKAGES = [
    ("app_pages/", "app_pages (page code)"),
    ("/charts/", "charts (Altair builders)"),
    ("/scoring/", "scoring"),
    ("/assessment/storage/", "assessment.storage (Store)"),
    ("/assessment/", "assessment (models, i18n)"),
    ("/streamlit/testing/", "streamlit.testing (AppTest's own tree building)"),
    ("/streamlit/elements/vega_charts", "streamlit vega_charts (spec → protobuf)"),
    ("/streamlit/", "streamlit (other)"),
    ("/altair/", "altair (to_dict, validation)"),
    ("/jsonschema/", "jsonschema (Altair's spec validation)"),
    ("/referencing/", "jsonschema (Altair's spec validation)"),
    ("/narwhals/", "narwhals (Altair data handling)"),
    ("/sqlalchemy/", "sqlalchemy"),
    ("sqlite3", "sqlite3"),
    ("/pydantic", "pydantic"),
    ("/pandas/", "pandas"),
    ("/pyarrow/", "pyarrow"),
    ("/google/protobuf/", "protobuf"),
    ("json/", "json"),
]


WAITING = ("acquire' of '_thread.lock", "wait' of", "join", "time.sleep")


def by_package(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own time (tottime) summed per package, largest first; waiting for the script thread
    is left out."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        if any(w in name for w in WAITING) or "threading.py" in filename:
            continue
        label = next((lbl for part, lbl in PACKAGES if part in filename), "other (stdlib, builtins)")
        totals[label] += tottime
    return sorted(totals.items(), key=lambda kv: -kv[1])


def report_profile(title: str, profiled: tuple[pstats.Stats, pstats.Stats, float], runs: int) -> str:
    script, caller, wall = profiled
    lines = [f"cProfile of {title}: {runs} runs, {1000 * wall / runs:.0f} ms per run under the profiler."]
    for name, stats in (("page script (server side)", script), ("AppTest's own work", caller)):
        packages = by_package(stats)
        total = sum(t for _, t in packages)
        lines.append(f"{name}: {1000 * total / runs:.1f} ms/run, own time per package:")
        for label, seconds in packages:
            if seconds / total >= 0.02:
                lines.append(f"  {100 * seconds / total:5.1f} %  "
                             f"{1000 * seconds / runs:7.1f} ms/run  {label}")
    out = io.StringIO()
    script.stream = out
    script.sort_stats("cumulative").print_stats(r"(app_pages|charts|scoring|assessment|views)/", 25)
    lines.append("Top project functions in the page script, by cumulative time (seconds for all runs):")
    lines += ["  " + line for line in out.getvalue().splitlines()
              if line.strip() and ("/" in line or "ncalls" in line) and "List reduced" not in line]
    return "\n".join(lines)


# --- output ------------------------------------------------------------------------------

def ms(seconds: float) -> float:
    return 1000 * seconds


def results_table(rows: list[tuple[str, float, float, str, str, str]]) -> str:
    head = ("| Measurement | Median wall | Median CPU | Ratio to bare (wall) | Ratio to bare (CPU) "
            "| Target |\n|---|---:|---:|---:|---:|---|\n")
    return head + "".join(f"| {name} | {ms(w):.1f} ms | {ms(c):.1f} ms | {rw} | {rc} | {target} |\n"
                          for name, w, c, rw, rc, target in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Example:\n  python benchmarks/bench_app.py --profile")
    parser.add_argument("--answers", type=int, default=30, help="timed answers (default 30)")
    parser.add_argument("--results", type=int, default=20, help="timed Resultat runs (default 20)")
    parser.add_argument("--profile", action="store_true", help="always print the cProfile")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="psa-bench-app-") as tmp:
        folder = Path(tmp)
        os.environ["PSA_DB_PATH"] = str(folder / "bench.sqlite3")
        os.environ.pop("PSA_DATABASE_URL", None)
        from app_pages import context  # noqa: PLC0415 (after the database is chosen)
        context._store.clear()
        store = Store.from_env()
        small_id, big_id = seed_database(store)

        bare = bare_page(folder)
        # (a) one answer: G1.1 of the first participant, alternating two levels.
        quest = open_page(small_id, "questionnaire", participant="p01")
        if not sheet_support.has_sheet(quest):
            raise SystemExit("no answer sheet on the questionnaire page")
        app_answer = lambda i: answer_once(quest, None, (1, 3)[i % 2])  # noqa: E731
        bare_answer = lambda i: answer_once(bare, "r", (1, 3)[i % 2])  # noqa: E731
        answer_app, answer_bare = interleaved(app_answer, bare_answer, args.answers, warmup=5)
        saved = {(a.participant, a.question): a.value for a in store.load(small_id).answers}
        assert saved["p01", "G1.1"] in (1, 3), "the answer was not written to the database"
        # (a') the same answer as the browser now sends it: a rerun of the question's fragment.
        fragment = fragment_page(folder, small_id)
        fragment_answer = lambda i: answer_once(fragment, None, (2, 4)[i % 2])  # noqa: E731
        fragment_app, fragment_bare = interleaved(fragment_answer, bare_answer, args.answers, warmup=5)
        saved = {(a.participant, a.question): a.value for a in store.load(small_id).answers}
        assert saved["p01", "G1.1"] in (2, 4), "the fragment did not write the answer"

        # (b) the Resultat page.
        results = open_page(big_id, "results")
        charts = len(results.get("vega_lite_chart"))
        app_results, bare_rerun = interleaved(lambda i: rerun_once(results), lambda i: rerun_once(bare),
                                              args.results, warmup=3)

        wall = lambda timings: statistics.median(t[0] for t in timings)  # noqa: E731
        cpu = lambda timings: statistics.median(t[1] for t in timings)  # noqa: E731
        figures = {
            "answer": (wall(answer_app), cpu(answer_app), wall(answer_bare), cpu(answer_bare)),
            "fragment": (wall(fragment_app), cpu(fragment_app), wall(fragment_bare), cpu(fragment_bare)),
            "results": (wall(app_results), cpu(app_results), wall(bare_rerun), cpu(bare_rerun)),
        }
        aw, ac, bw, bc = figures["answer"]
        fw, fc, fbw, fbc = figures["fragment"]
        fragment_ok = {"wall": fw / fbw <= ANSWER_TARGET, "cpu": fc / fbc <= ANSWER_TARGET}
        rw, rc, rbw, rbc = figures["results"]
        answer_ok = {"wall": aw / bw <= ANSWER_TARGET, "cpu": ac / bc <= ANSWER_TARGET}
        results_ok = {"wall": ms(rw) <= RESULTS_TARGET_MS, "cpu": ms(rc) <= RESULTS_TARGET_MS}
        mark = lambda ok: "✔" if ok else "✘"  # noqa: E731
        rows = [
            ("Bare page: one `st.radio` set + rerun", bw, bc, "1", "1", "–"),
            ("Självskattning: answer one question (5 participants, G1 open)", aw, ac,
             f"{aw / bw:.1f}", f"{ac / bc:.1f}",
             f"ratio ≤ {ANSWER_TARGET:g}: wall {mark(answer_ok['wall'])} CPU {mark(answer_ok['cpu'])}"),
            ("Självskattning: the same answer as a fragment rerun (what the browser triggers)", fw, fc,
             f"{fw / fbw:.1f}", f"{fc / fbc:.1f}",
             f"ratio ≤ {ANSWER_TARGET:g}: wall {mark(fragment_ok['wall'])} CPU {mark(fragment_ok['cpu'])}"),
            ("Bare page: rerun", rbw, rbc, "1", "1", "–"),
            (f"Resultat: whole page, {charts} charts (20 participants, every question)", rw, rc,
             f"{rw / rbw:.0f}", f"{rc / rbc:.0f}",
             f"≤ {RESULTS_TARGET_MS:g} ms: wall {mark(results_ok['wall'])} CPU {mark(results_ok['cpu'])}"),
        ]
        table = results_table(rows)
        print(table)
        span = lambda timings: (f"{ms(min(t[0] for t in timings)):.1f}–"  # noqa: E731
                                f"{ms(max(t[0] for t in timings)):.1f} ms")
        spread = (f"answer: app {span(answer_app)}, fragment {span(fragment_app)}, "
                  f"bare {span(answer_bare)}; "
                  f"Resultat {span(app_results)}")
        print("wall-clock min–max:", spread)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average during the run: {load:.1f} on {os.cpu_count()} CPUs")

        if args.profile or not all(answer_ok.values()):
            print("\n" + report_profile("answering one question", profile(app_answer, 20), 20))
        if args.profile or not all(results_ok.values()):
            print("\n" + report_profile("the Resultat page",
                                         profile(lambda i: rerun_once(results), 10), 10))
        store.close()
        context._store.clear()

    met = all(answer_ok.values()) and all(results_ok.values())
    print(f"\ndocs/performance.md: {dt.date.today().isoformat()}, {os.cpu_count()} CPUs, "
          f"load {load:.1f}: answer {aw / bw:.1f} × bare (fragment {fw / fbw:.1f} ×), "
          f"Resultat {ms(rw):.0f} ms ({charts} charts); "
          f"{'targets met' if met else 'a target missed'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
