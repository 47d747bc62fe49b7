"""Live workshop: the latency of saving one answer with 30 participants at once, as a ratio
to an uncontended save in the same run, and the server's memory with 30 participant sessions.

    python benchmarks/bench_workshop.py                 # measure and print
    python benchmarks/bench_workshop.py --no-browser    # skip the memory measurement

(a) Uncontended: one participant saves answers through the participant-token API
    (``Store.answer_as_participant``) into a fresh SQLite file, one after the other;
    N = 300 after 30 warm-up saves. And (a') the same participant alone at the paced run's
    pace, 0.2–0.8 s between answers, N = 200: a save after a pause costs about 3 × one in a
    tight loop with nobody else there (the caches have gone cold), so a paced run is compared
    with (a'), like with like.
(b) Contended, paced: 30 participants (threads, one shared ``Store`` as in the server)
    answer every question of the national bank in one workshop, each waiting a random
    0.2–0.8 s between answers (about 60 answers/s offered in all: ten times a quick real
    room, where a person reads a question and answers in five seconds or more). p95 of
    every save.
    Target: p95 (b) ÷ p95 (a') ≤ 3.
(c) Contended, flat out: the same without any pause, against (a) (a stress figure, not the
    target: writes to one assessment are serialised – SQLite's ``BEGIN IMMEDIATE``,
    PostgreSQL's row lock – so this measures the queue, not a room).
(d) Memory: ``streamlit run app.py`` on 127.0.0.1; 30 participants join through the store,
    and 30 headless Chromium pages open ``/delta?t=<token>`` (each its own Streamlit session)
    and answer one question each on the answer sheet. The server process's RSS
    (``/proc/<pid>/status`` VmRSS) is read before the first page (so before the app's modules
    are imported) and with all 30 sessions connected. Target ≤ 600 MB.

The same on PostgreSQL: set ``PSA_BENCH_DATABASE_URL`` to an empty database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from assessment.bank import Audience  # noqa: E402
from assessment.bank_loader import load_banks  # noqa: E402
from assessment.document import Assessment  # noqa: E402
from assessment.storage import Store  # noqa: E402
from assessment.workshop.progress import area_questions  # noqa: E402

PARTICIPANTS = 30
TARGET_RATIO = 3.0
PAUSE = (0.2, 0.8)  # seconds between one participant's answers in the paced run
PACED_ALONE = 200   # saves of the paced baseline (about 100 s: a p95 of fewer is one spike)
TARGET_RSS_MB = 600
BANK = load_banks().get("nationell-handlingsplan-2025")
QUESTIONS = [q.id for _, qs in area_questions(BANK, Audience.kommun) for q in qs]


def new_workshop(store: Store) -> tuple[str, str, str]:
    aid = store.create_assessment(Assessment.model_validate({
        "bank": {"id": BANK.id, "version": BANK.version},
        "organisation": {"name": "Benchmark kommun", "kind": "kommun", "unit": ""},
        "date": dt.date.today().isoformat(),
    }))
    code, secret = store.open_workshop(aid)
    return aid, code, secret


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def uncontended(store: Store, n: int = 300, warmup: int = 30,
                pause: tuple[float, float] | None = None) -> list[float]:
    """One participant alone saves ``n`` answers (after ``warmup`` saves not counted), back to
    back or, with ``pause``, waiting a random time in that range before each: the baseline
    of a paced run is a participant alone at the same pace (a save after a pause costs about
    3 × one in a tight loop – caches gone cold – with nobody else there)."""
    _, code, _ = new_workshop(store)
    token = store.join(code, "Ensam", "")
    rng = random.Random(0)
    times = []
    for i in range(warmup + n):
        question = QUESTIONS[i % len(QUESTIONS)]
        if pause and i >= warmup:
            time.sleep(rng.uniform(*pause))
        began = time.perf_counter()
        store.answer_as_participant(token, question, i % 5)
        if i >= warmup:
            times.append(time.perf_counter() - began)
    return times


def contended(store: Store, pause: tuple[float, float] | None) -> tuple[list[float], float]:
    _, code, _ = new_workshop(store)
    tokens = [store.join(code, f"Deltagare {n}", "") for n in range(PARTICIPANTS)]
    barrier = threading.Barrier(PARTICIPANTS)
    lock = threading.Lock()
    times: list[float] = []

    def participant(n: int) -> None:
        rng = random.Random(n)
        order = QUESTIONS[:]
        rng.shuffle(order)
        mine = []
        barrier.wait(timeout=60)
        for question in order:
            if pause:
                time.sleep(rng.uniform(*pause))
            began = time.perf_counter()
            store.answer_as_participant(tokens[n], question, rng.randrange(5))
            mine.append(time.perf_counter() - began)
        with lock:
            times.extend(mine)

    began = time.perf_counter()
    with ThreadPoolExecutor(PARTICIPANTS) as pool:
        list(pool.map(participant, range(PARTICIPANTS)))
    return times, time.perf_counter() - began


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def server_memory(tmp: Path) -> dict | None:
    sys.path.insert(0, str(ROOT / "tests"))
    from tests.browser_support import (
        StreamlitServer,
        chromium_missing_reason,
        launch_chromium,
    )
    reason = chromium_missing_reason()
    if reason:
        print(f"memory: skipped ({reason})")
        return None
    from playwright.sync_api import sync_playwright

    db = tmp / "memory.sqlite3"
    with Store(f"sqlite:///{db}") as store:
        _, code, _ = new_workshop(store)
        tokens = [store.join(code, f"Deltagare {n}", "") for n in range(PARTICIPANTS)]
    with StreamlitServer(ROOT / "app.py", env={"PSA_DB_PATH": str(db), "PSA_DATABASE_URL": None}) as server:
        pid = server.process.pid
        idle = rss_mb(pid)
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                context = browser.new_context(viewport={"width": 390, "height": 844})
                pages = []
                for token in tokens:
                    page = context.new_page()
                    page.goto(server.url("delta", t=token))
                    levels = page.locator("section.question[data-question='G1.1']"
                                          ).get_by_role("radiogroup")
                    levels.wait_for(timeout=60_000)
                    levels.get_by_role("radio").nth(2).click()
                    page.locator(".sheet .live", has_text="Sparat").wait_for(
                        state="attached", timeout=60_000)
                    pages.append(page)
                time.sleep(2)
                connected = rss_mb(pid)
                with Store(f"sqlite:///{db}") as store:
                    saved = sum(1 for t in tokens if store.participant_view(t).answers)
            finally:
                browser.close()
    return {"idle": idle, "connected": connected, "sessions": len(pages), "saved": saved}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("PSA_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        with Store(url or f"sqlite:///{tmp_path / 'bench.sqlite3'}") as store:
            backend = store._engine.dialect.name
            single = uncontended(store)
            alone = uncontended(store, PACED_ALONE, pause=PAUSE)
            paced, paced_s = contended(store, PAUSE)
            flat, flat_s = contended(store, None)
        memory = None if args.no_browser else server_memory(tmp_path)

    ratio = p95(paced) / p95(alone)
    flat_ratio = p95(flat) / p95(single)
    ms = lambda s: f"{1000 * s:.1f} ms"  # noqa: E731
    rows = [
        ("Uncontended: one participant, one save at a time (N = 300)", single, None),
        (f"Uncontended, paced: one participant alone, 0.2–0.8 s between answers "
         f"(N = {len(alone)})", alone, None),
        (f"30 participants, 0.2–0.8 s between answers ({len(paced)} saves, "
         f"{len(paced) / paced_s:.0f}/s)", paced, ratio),
        (f"30 participants flat out, no pause ({len(flat)} saves, {len(flat) / flat_s:.0f}/s)",
         flat, flat_ratio),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [f"{backend}, load average {load:.1f} on {os.cpu_count()} CPUs", "",
             "| Saving one answer | Median | p95 | Ratio of p95 to uncontended at the same pace "
             "| Target |",
             "|---|---:|---:|---:|---|"]
    for label, values, r in rows:
        target = "–"
        if r is not None and "pause" not in label:
            target = f"≤ {TARGET_RATIO:g} {'✔' if r <= TARGET_RATIO else '✘'}"
        elif r is not None:
            target = "(stress figure)"
        lines.append(f"| {label} | {ms(statistics.median(values))} | {ms(p95(values))} | "
                     f"{'1' if r is None else f'{r:.2f}'} | {target} |")
    if memory:
        ok = memory["connected"] <= TARGET_RSS_MB
        lines += ["", "| Server memory (RSS of `streamlit run app.py`) | MB | Target |",
                  "|---|---:|---|",
                  f"| Started, no session | {memory['idle']:.0f} | – |",
                  f"| {memory['sessions']} participant sessions connected (each answered one "
                  f"question; {memory['saved']} saved) | {memory['connected']:.0f} | "
                  f"≤ {TARGET_RSS_MB} {'✔' if ok else '✘'} |"]
    print("\n".join(lines))
    memory_figure = f", {memory['connected']:.0f} MB with {memory['sessions']} sessions" if memory else ""
    print(f"\ndocs/performance.md: {dt.date.today().isoformat()}, {os.cpu_count()} CPUs, "
          f"load {load:.1f}, {backend}: p95 paced {1000 * p95(paced):.1f} ms ÷ alone at that pace "
          f"{1000 * p95(alone):.1f} ms = {ratio:.2f}{memory_figure}")


if __name__ == "__main__":
    main()
