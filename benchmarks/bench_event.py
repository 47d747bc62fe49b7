"""A full event on one server: 100 participants in 10 simultaneous workshops – the latency of
saving one answer as a ratio to an uncontended save, whether every answer arrived exactly
once, and the server's memory with 100 participant sessions. SQLite, and PostgreSQL when its
server binaries are installed.

    python benchmarks/bench_event.py                   # SQLite and (if present) PostgreSQL
    python benchmarks/bench_event.py --only sqlite     # one database
    python benchmarks/bench_event.py --no-sessions     # the store-level event only

For each database (a fresh SQLite file; a throw-away PostgreSQL cluster started from
``/usr/lib/postgresql/*/bin`` as ``tests/conftest_postgres.py`` does):

(a) Uncontended: ``bench_workshop.uncontended`` – one participant alone saves 200 answers
    through the participant-token API (``Store.answer_as_participant``) at the event's pace,
    0.2–0.8 s apart; shown beside it the same back to back (300), which is about 3 × faster
    because a tight loop keeps the caches warm. The event is compared with the participant
    alone at its own pace: what the ratio measures is the other 99, not the pause.
(b) The event: 10 assessments, a workshop open on each (even ones on the whole bank, odd ones
    on a day of 3 areas), 10 participants joined to each (``Store.join``). 100 threads share
    one ``Store``, as the server's sessions do; each participant answers every question of its
    workshop's scope in a random order, waiting 0.2–0.8 s between answers (as bench_workshop's
    paced run: about 200 saves/s offered, ten times a quick real event). Median and p95 of
    every save. Target: p95 (b) ÷ p95 (a), the participant alone at the same pace, ≤ 3.
    Then from the database: every acknowledged save is there once with its value (0 lost),
    and nothing else is (0 duplicated: no extra rows, no ``seq`` used twice in an assessment).
(c) Sessions: ``streamlit run app.py`` on the same database. 97 participants open Delta at
    the WebSocket level – a minimal Streamlit client (below, ``websockets`` package, which the
    venv has through Streamlit's server; else ``pip install websockets`` into the venv): it
    connects to ``ws://127.0.0.1:<port>/_stcore/stream`` with subprotocol ``streamlit``, sends
    the browser's first ``BackMsg`` (``rerun_script`` with ``query_string="t=<token>"``,
    ``page_name="delta"`` and a ``context_info``), reads ``ForwardMsg``s until
    ``script_finished`` and keeps the connection open, 10 sessions opening at a time. The
    other 3 participants open ``/delta?t=<token>`` in headless Chromium and change one answer
    each. The server process's RSS (``/proc/<pid>/status`` VmRSS) is read before the first
    session and with all 100 connected. Target ≤ 1 GB.
    A WebSocket session runs the page's script on the server exactly as a browser's does (the
    same session, widgets and the answer sheet's component are created), but draws nothing;
    it does not click. The memory measured is the server's, which is what 100 phones cost it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import pwd
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_workshop import (BANK, PACED_ALONE, PAUSE, ROOT, TARGET_RATIO, p95, rss_mb,  # noqa: E402
                            uncontended)  # noqa: E402

from assessment.bank import Audience  # noqa: E402
from assessment.document import Assessment  # noqa: E402
from assessment.storage import Store  # noqa: E402
from assessment.storage.schema import answers  # noqa: E402
from assessment.storage.values import decode_value  # noqa: E402
from assessment.workshop.progress import area_questions  # noqa: E402

WORKSHOPS = 10
PER_WORKSHOP = 10
BROWSER_PAGES = 3
OPENING_AT_ONCE = 10
TARGET_RSS_MB = 1024
AREAS = [area for area, _ in area_questions(BANK, Audience.kommun)]


# --- the event, through the store ---------------------------------------------------------

def day_of(n: int) -> tuple[str, ...]:
    """Workshop ``n``'s areas: every area for an even n, three consecutive ones for an odd."""
    if n % 2 == 0:
        return ()
    return tuple(AREAS[(n + k) % len(AREAS)] for k in range(3))


def scope(day: tuple[str, ...]) -> list[str]:
    """The question ids a participant of a workshop on ``day`` answers (each once)."""
    return list(dict.fromkeys(q.id for _, qs in area_questions(BANK, Audience.kommun, day)
                              for q in qs))


def set_up_event(store: Store) -> list[dict]:
    """10 assessments with a workshop each and 10 joined participants; one dict a participant."""
    people = []
    for n in range(WORKSHOPS):
        aid = store.create_assessment(Assessment.model_validate({
            "bank": {"id": BANK.id, "version": BANK.version},
            "organisation": {"name": f"Kommun {n + 1}", "kind": "kommun", "unit": ""},
            "date": dt.date.today().isoformat(),
        }))
        day = day_of(n)
        code, _secret = store.open_workshop(aid, areas=day)
        for k in range(PER_WORKSHOP):
            token = store.join(code, f"Deltagare {n + 1}.{k + 1}", "")
            pid = store.participant_view(token).participant_id
            people.append({"workshop": n, "aid": aid, "pid": pid, "token": token,
                           "questions": scope(day)})
    return people


def run_event(store: Store, people: list[dict]):
    """Every participant answers their scope at once, paced; save times, wall time, the
    acknowledged answers {(aid, pid, question): value} and the errors."""
    barrier = threading.Barrier(len(people))
    lock = threading.Lock()
    times: list[float] = []
    cpu: list[float] = []  # the saving thread's own CPU time in each save
    acked: dict[tuple[str, str, str], int] = {}
    errors: list[str] = []

    def participant(n: int) -> None:
        person = people[n]
        rng = random.Random(n)
        order = person["questions"][:]
        rng.shuffle(order)
        mine, mine_cpu, done = [], [], {}
        barrier.wait(timeout=120)
        for question in order:
            time.sleep(rng.uniform(*PAUSE))
            value = rng.randrange(5)
            began, began_cpu = time.perf_counter(), time.thread_time()
            try:
                store.answer_as_participant(person["token"], question, value)
            except Exception as exc:  # noqa: BLE001 – counted, not acknowledged
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            mine.append(time.perf_counter() - began)
            mine_cpu.append(time.thread_time() - began_cpu)
            done[(person["aid"], person["pid"], question)] = value
        with lock:
            times.extend(mine)
            cpu.extend(mine_cpu)
            acked.update(done)

    began = time.perf_counter()
    with ThreadPoolExecutor(len(people)) as pool:
        list(pool.map(participant, range(len(people))))
    return times, time.perf_counter() - began, acked, errors, cpu


def check_answers(store: Store, aids: list[str], acked: dict) -> tuple[int, int, int]:
    """(lost, duplicated, rows): acknowledged answers missing or with another value; rows
    beyond the acknowledged ones or a ``seq`` used twice in an assessment; rows read."""
    with store._engine.connect() as conn:
        rows = conn.execute(
            answers.select().with_only_columns(
                answers.c.assessment_id, answers.c.participant_id, answers.c.question_id,
                answers.c.value, answers.c.seq)
            .where(answers.c.assessment_id.in_(aids))
        ).all()
    found = Counter((r.assessment_id, r.participant_id, r.question_id) for r in rows)
    value = {(r.assessment_id, r.participant_id, r.question_id): decode_value(r.value)
             for r in rows}
    lost = sum(1 for key, v in acked.items() if found[key] == 0 or value[key] != v)
    extra = sum(n for key, n in found.items() if key not in acked) + sum(
        n - 1 for n in found.values() if n > 1)
    seqs = Counter((r.assessment_id, r.seq) for r in rows)
    extra += sum(n - 1 for n in seqs.values() if n > 1)
    return lost, extra, len(rows)


# --- a minimal Streamlit client at the WebSocket level -------------------------------------

class WebSocketSessions:
    """Streamlit sessions opened over raw WebSockets, held open by an asyncio loop in a thread
    (so Playwright's sync API can run in the main thread meanwhile)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.connections: list = []
        self.drains: list = []

    def open(self, people: list[tuple[str, str, int]]) -> list[dict]:
        """Open a Delta session for each (token, question, option), then answer that
        question with that option in it, as a tap on the answer sheet does."""
        return asyncio.run_coroutine_threadsafe(self._open_all(people), self.loop).result()

    async def _open_all(self, people: list[tuple[str, str, int]]) -> list[dict]:
        gate = asyncio.Semaphore(OPENING_AT_ONCE)

        async def one(person: tuple[str, str, int]) -> dict:
            async with gate:
                return await self._open_one(*person)

        return list(await asyncio.gather(*(one(p) for p in people)))

    async def _open_one(self, token: str, question: str, option: int) -> dict:
        import websockets
        from streamlit.proto.BackMsg_pb2 import BackMsg

        began = time.perf_counter()
        ws = await websockets.connect(
            f"ws://127.0.0.1:{self.port}/_stcore/stream", subprotocols=["streamlit"],
            max_size=None, open_timeout=120)
        back = BackMsg()
        state = back.rerun_script  # what the browser sends first, for /delta?t=<token>
        state.query_string = f"t={token}"
        state.page_name = "delta"
        state.page_script_hash = ""
        state.context_info.url = f"http://127.0.0.1:{self.port}/delta?t={token}"
        state.context_info.timezone = "Europe/Stockholm"
        state.context_info.timezone_offset = -60
        state.context_info.locale = "sv-SE"
        await ws.send(back.SerializeToString())
        first = await self._until_finished(ws)
        opened = time.perf_counter() - began
        answered = None
        if first["ok"] and first["sheet"]:
            # The tap: the sheet component's trigger (``setTriggerValue("event", …)`` in
            # answer_sheet.js), sent as the browser sends it – a rerun of the sheet's fragment
            # with the component's event aggregator widget set.
            from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX

            sheet_id, fragment = first["sheet"]
            context = state.context_info
            back = BackMsg()
            state = back.rerun_script
            state.query_string = f"t={token}"
            state.page_name = "delta"
            state.page_script_hash = first["page"]
            state.fragment_id = fragment
            state.context_info.CopyFrom(context)
            own = state.widget_states.widgets.add()  # the component's state (it keeps none)
            own.id = sheet_id
            own.json_value = "{}"
            widget = state.widget_states.widgets.add()
            widget.id = f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{sheet_id}__events"
            widget.json_trigger_value = json.dumps([{"event": "event", "value": {
                "kind": "answer", "question": question, "option": option,
                "id": f"ws-{token[:6]}-1"}}])
            began = time.perf_counter()
            await ws.send(back.SerializeToString())
            tap = await self._until_finished(ws)
            answered = time.perf_counter() - began if tap["ok"] else None
        self.connections.append(ws)
        self.drains.append(asyncio.ensure_future(self._drain(ws)))
        return {"seconds": opened, "ok": first["ok"] and bool(first["sheet"]),
                "answer_seconds": answered, "elements": first["elements"]}

    @staticmethod
    async def _until_finished(ws) -> dict:
        """Read ForwardMsgs until the run finishes (past an early finish for a rerun)."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        elements: Counter = Counter()
        sheet = None
        page = ""
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                page = msg.new_session.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                elements[element.WhichOneof("type")] += 1
                if element.WhichOneof("type") == "bidi_component":
                    sheet = (element.bidi_component.id, msg.delta.fragment_id)
            elif kind == "script_finished" and (
                    msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                ok = msg.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                             ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
                return {"ok": ok and not elements["exception"], "elements": elements,
                        "sheet": sheet, "page": page, "status": msg.script_finished}

    @staticmethod
    async def _drain(ws) -> None:
        with contextlib.suppress(Exception):
            async for _ in ws:  # keep reading, so pings are answered and nothing piles up
                pass

    def open_count(self) -> int:
        from websockets.protocol import State

        return sum(1 for ws in self.connections if ws.state is State.OPEN)

    def close(self) -> None:
        async def close_all() -> None:
            await asyncio.gather(*(ws.close() for ws in self.connections),
                                 return_exceptions=True)
            for task in self.drains:
                task.cancel()

        asyncio.run_coroutine_threadsafe(close_all(), self.loop).result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def sessions(people: list[dict], acked: dict, env: dict, store_url: str) -> dict:
    """100 participant sessions on ``streamlit run app.py``: WebSocket clients and a few
    Chromium pages, each changing one answer; the server's RSS before and with all of them."""
    sys.path.insert(0, str(ROOT / "tests"))
    from tests.browser_support import StreamlitServer, chromium_missing_reason, launch_chromium

    reason = chromium_missing_reason()
    in_browser = [] if reason else [p for p in people if p["workshop"] % 2 == 0][:BROWSER_PAGES]
    if reason:
        print(f"browser pages: skipped ({reason})")
    over_ws = [p for p in people if p not in in_browser]
    changes: dict[str, tuple[str, int]] = {}  # token: (question, the new value)
    for person in people:
        question = "G1.1" if person in in_browser else person["questions"][0]
        changes[person["token"]] = (
            question, (acked[(person["aid"], person["pid"], question)] + 2) % 5)
    with StreamlitServer(ROOT / "app.py", env=env, start_timeout=60) as server:
        pid = server.process.pid
        idle = rss_mb(pid)
        clients = WebSocketSessions(server.port)
        try:
            opened = clients.open([(p["token"], *changes[p["token"]]) for p in over_ws])
            if in_browser:
                from playwright.sync_api import sync_playwright

                with sync_playwright() as pw:
                    browser = launch_chromium(pw)
                    try:
                        context = browser.new_context(viewport={"width": 390, "height": 844})
                        for person in in_browser:
                            question, new = changes[person["token"]]
                            page = context.new_page()
                            page.goto(server.url("delta", t=person["token"]))
                            levels = page.locator(f"section.question[data-question='{question}']"
                                                  ).get_by_role("radiogroup")
                            levels.wait_for(timeout=60_000)
                            levels.get_by_role("radio").nth(new).click()
                            page.locator(".sheet .live", has_text="Sparat").wait_for(
                                state="attached", timeout=60_000)
                        time.sleep(2)
                        connected = rss_mb(pid)
                        still_open = clients.open_count()
                    finally:
                        browser.close()
            else:
                time.sleep(2)
                connected = rss_mb(pid)
                still_open = clients.open_count()
        finally:
            clients.close()
    with Store(store_url) as store:
        saved = {token: store.participant_view(token).answers[q][0] == new
                 for token, (q, new) in changes.items()}
    times = [o["seconds"] for o in opened]
    taps = [o["answer_seconds"] for o in opened if o["answer_seconds"] is not None]
    return {"idle": idle, "connected": connected, "ws": len(opened),
            "ws_ok": sum(o["ok"] for o in opened), "ws_open": still_open,
            "ws_saved": sum(saved[p["token"]] for p in over_ws),
            "browser": len(in_browser), "browser_saved": sum(saved[p["token"]] for p in in_browser),
            "first_median": statistics.median(times), "first_p95": p95(times),
            "tap_median": statistics.median(taps) if taps else float("nan"),
            "tap_p95": p95(taps) if taps else float("nan"),
            "elements": opened[0]["elements"] if opened else Counter()}


# --- PostgreSQL, a throw-away cluster --------------------------------------------------------

@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    """The URL of an empty database on a new local PostgreSQL server, or None without the
    binaries (the same steps as ``tests/conftest_postgres.py``'s fixture)."""
    sys.path.insert(0, str(ROOT))
    from tests.conftest_postgres import SUPERUSER, PostgresServer, _free_port, _run, find_bindir

    bindir = find_bindir()
    if bindir is None:
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="psa-bench-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        owner = pwd.getpwnam(SUPERUSER)
        os.chown(root, owner.pw_uid, owner.pw_gid)
        as_owner = ["runuser", "-u", SUPERUSER, "--"]
    data, log = root / "data", root / "server.log"
    started = False
    try:
        _run(as_owner + [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust",
                         "-E", "UTF8", "--no-locale", "--no-sync"], "initdb")
        port = _free_port()
        # Default durability (synchronous_commit on), unlike the tests: a real server's commits.
        _run(as_owner + [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t",
                         "60", "-o", f"-h 127.0.0.1 -p {port} -k {root}", "start"], "pg_ctl start")
        started = True
        server = PostgresServer("127.0.0.1", port, SUPERUSER, "psa_bench")
        with server.connect("postgres") as admin:
            admin.execute(f'CREATE DATABASE "{server.database}"')
        yield server.url()
    finally:
        if started:
            subprocess.run(as_owner + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                       "-w", "stop"], capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)


# --- one database, and the report --------------------------------------------------------------

def measure(url: str, env: dict, with_sessions: bool) -> dict:
    with Store(url) as store:
        backend = store._engine.dialect.name
        hot = uncontended(store)
        single = uncontended(store, PACED_ALONE, pause=PAUSE)
        people = set_up_event(store)
        times, seconds, acked, errors, cpu = run_event(store, people)
        lost, duplicated, rows = check_answers(store, sorted({p["aid"] for p in people}), acked)
    result = {"backend": backend, "hot": hot, "single": single, "event": times, "cpu": cpu,
              "seconds": seconds,
              "acked": len(acked), "errors": errors, "lost": lost, "duplicated": duplicated,
              "rows": rows, "offered": sum(len(p["questions"]) for p in people)}
    if with_sessions:
        result["sessions"] = sessions(people, acked, env, url)
    return result


def report(r: dict) -> list[str]:
    ms = lambda s: f"{1000 * s:.1f} ms"  # noqa: E731
    ratio = p95(r["event"]) / p95(r["single"])
    mark = lambda ok: "✔" if ok else "✘"  # noqa: E731
    lines = [f"{r['backend']}:",
             "| Saving one answer | Median | p95 | p95 ÷ p95 alone at that pace | Target |",
             "|---|---:|---:|---:|---|",
             f"| Uncontended: one participant alone, 0.2–0.8 s apart (N = {len(r['single'])}) | "
             f"{ms(statistics.median(r['single']))} | {ms(p95(r['single']))} | 1 | – |",
             f"| (the same back to back, N = {len(r['hot'])}: warm caches) | "
             f"{ms(statistics.median(r['hot']))} | {ms(p95(r['hot']))} | – | – |",
             f"| The event: {WORKSHOPS * PER_WORKSHOP} participants in {WORKSHOPS} workshops, "
             f"0.2–0.8 s apart ({len(r['event'])} saves in {r['seconds']:.0f} s, "
             f"{len(r['event']) / r['seconds']:.0f}/s) | {ms(statistics.median(r['event']))} | "
             f"{ms(p95(r['event']))} | {ratio:.2f} | ≤ {TARGET_RATIO:g} "
             f"{mark(ratio <= TARGET_RATIO)} |",
             "",
             f"Where the event's save time goes: the saving thread's own CPU time median "
             f"{ms(statistics.median(r['cpu']))}, p95 {ms(p95(r['cpu']))}; the rest of the wall "
             "time is waiting (for the GIL among 100 threads, the database's write lock, the "
             "commit, the other load on the machine).",
             f"Answers: {r['offered']} offered, {r['acked']} acknowledged, {len(r['errors'])} "
             f"errors, {r['rows']} rows in the database: {r['lost']} lost, {r['duplicated']} "
             f"duplicated {mark(not r['lost'] and not r['duplicated'] and not r['errors'])}"]
    for error in Counter(r["errors"]).most_common(3):
        lines.append(f"  error ×{error[1]}: {error[0][:200]}")
    s = r.get("sessions")
    if s:
        total = s["ws_open"] + s["browser"]
        lines += [
            "",
            "| Server memory (RSS of `streamlit run app.py`) | MB | Target |",
            "|---|---:|---|",
            f"| Started, no session | {s['idle']:.0f} | – |",
            f"| {total} sessions: {s['ws_open']} WebSocket clients open ({s['ws_ok']} of "
            f"{s['ws']} drew Delta's sheet, {s['ws_saved']} changed an answer), "
            f"{s['browser']} Chromium pages ({s['browser_saved']} changed an answer) | "
            f"{s['connected']:.0f} | "
            f"≤ {TARGET_RSS_MB} {mark(s['connected'] <= TARGET_RSS_MB)} |",
            "",
            f"First run of Delta over WebSocket ({OPENING_AT_ONCE} opening at a time): median "
            f"{ms(s['first_median'])}, p95 {ms(s['first_p95'])}; a tap on the sheet (fragment "
            f"rerun with the save) median {ms(s['tap_median'])}, p95 {ms(s['tap_p95'])}; "
            f"elements of one page: "
            + ", ".join(f"{k} {v}" for k, v in sorted(s["elements"].items()))]
    return lines


def summary(r: dict) -> str:
    ratio = p95(r["event"]) / p95(r["single"])
    s = r.get("sessions")
    memory = (f", {s['connected']:.0f} MB with {s['ws_open'] + s['browser']} sessions "
              f"({s['ws_open']} WebSocket + {s['browser']} Chromium; {s['idle']:.0f} MB at start)"
              if s else "")
    return (f"{r['backend']}: p95 {1000 * p95(r['event']):.1f} ms ÷ alone at that pace "
            f"{1000 * p95(r['single']):.1f} ms (back to back {1000 * p95(r['hot']):.1f} ms) = {ratio:.2f}; {r['lost']} lost, "
            f"{r['duplicated']} duplicated of {r['acked']}{memory}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--no-sessions", action="store_true")
    args = parser.parse_args()
    results = []
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "event.sqlite3"
            results.append(measure(f"sqlite:///{db}", {"PSA_DB_PATH": str(db),
                                                       "PSA_DATABASE_URL": None},
                                   not args.no_sessions))
    if args.only in (None, "postgresql"):
        with postgres() as url:
            if url is None:
                print("postgresql: skipped (no server binaries in /usr/lib/postgresql/*/bin)")
            else:
                results.append(measure(url, {"PSA_DATABASE_URL": url}, not args.no_sessions))
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs\n")
    for r in results:
        print("\n".join(report(r)) + "\n")
    print(f"docs/performance.md: {dt.date.today().isoformat()}, {os.cpu_count()} CPUs, "
          f"load {load:.1f}; " + "; ".join(summary(r) for r in results))


if __name__ == "__main__":
    main()
