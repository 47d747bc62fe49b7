"""Browser click-to-idle on the questionnaire, as a ratio to a bare one-widget page.

    python benchmarks/bench_browser.py                # measure and print
    python benchmarks/bench_browser.py -n 50          # more clicks
    python benchmarks/bench_browser.py --no-references  # only the app and the bare page

Two ``streamlit run`` servers on 127.0.0.1, started in this run with the same flags and the
repository's .streamlit/config.toml: the app, and a bare page holding one
``st.radio("x", [0, 1, 2, 3, 4], horizontal=True)``. Debian's Chromium (headless, through
Playwright) opens the app's Självskattning page with an assessment open and a participant
chosen (national bank, 5 participants who answered every question, generated with a fixed
seed by ``benchmarks/generate.py``; area G1 and its 12 questions on screen) and the bare page.

One measurement is one click on a radio option that changes the value: on the app a different
level on the next G1 question in turn (so every click writes an answer to the database), on
the bare page a different option. Click-to-idle is timed in the page: from the click's
``pointerdown`` to the moment ``[data-testid="stApp"]``'s ``data-test-script-state`` turns
``notRunning`` after having been ``running`` (a MutationObserver records both, so a short
"running" is never missed and Playwright's polling does not add to the figure). When React
folds a very short run into one render, ``running`` never reaches the DOM; such a click is
timed to the arrival of the server's message that ends the run, read from the WebSocket.
App and bare clicks alternate one by one, so load from other processes hits both alike;
median of N = 30 each after 5 warm-up clicks.

No target of its own: issue 18 retired app ÷ bare ≤ 1.5 in favour of bench_delta.py's Delta
÷ Självskattning ≤ 1.2. The reference pages (plain Streamlit, nothing of this app) show the
floor Streamlit puts under a page like the questionnaire, so a change in the app's ratio can
be told from a change in Streamlit or the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from playwright.sync_api import sync_playwright  # noqa: E402

from assessment.document import Assessment  # noqa: E402
from assessment.storage import Store  # noqa: E402
from assessment.storage.config import sqlite_url  # noqa: E402
from generate import SEED, make_assessment, pick_bank  # noqa: E402
from tests.browser_support import (StreamlitServer, chromium_missing_reason,  # noqa: E402
                                   hold_still, launch_chromium, runs_seen, wait_idle,
                                   watch_script_state)

VIEWPORT = {"width": 1280, "height": 900}
PARTICIPANTS = 5
QUESTIONS = [f"G1.{n}" for n in range(1, 13)]
LEVELS = ["0 – Saknas", "1 – Påbörjat", "2 – Delvis etablerat", "3 – Etablerat",
          "4 – Integrerat och lärande"]

BARE_PAGE = """\
import streamlit as st

st.radio("x", [0, 1, 2, 3, 4], horizontal=True)
"""

# Reference pages (measured with ``--references``, the default): where Streamlit itself puts
# the floor for a page like the questionnaire. Each is clicked like the bare page (the first
# radio's options in turn).
LEVEL_WORDS = LEVELS + ["Vet ej", "Ej aktuellt"]
RADIO = (f'st.radio(f"Svar på G1.{{i}}", {LEVEL_WORDS!r}, horizontal=True, index=2,\n'
         '         label_visibility="collapsed", key=f"r{i}")')
TEXT = 'st.markdown(f"**G1.{i}** Frågans text, en mening om patientsäkerhetsarbetet")'
RADIO_WITH_HELP = RADIO[:-1] + (
    ',\n         help="**Aktivitet:** text\\n\\n**Låg nivå:** text\\n\\n**Hög nivå:** text")')
COMMENT = ('cols = st.columns([5, 1])\n'
           'cols[0].text_input("Kommentar", key=f"c{i}")\n'
           'cols[1].button("Rensa", key=f"b{i}")')


def reference_page(*lines: str, box: bool = True) -> str:
    """A page of 12 fragments, each drawing ``lines`` (in a bordered box unless ``box`` is
    false), as the questionnaire draws a question."""
    indent = " " * (8 if box else 4)
    body = "\n".join(indent + line for text in lines for line in text.split("\n"))
    return ("import streamlit as st\n\n"
            'st.set_page_config(layout="wide")\n\n'
            "@st.fragment\n"
            "def question(i):\n"
            + ("    with st.container(border=True):\n" if box else "")
            + body + "\n\n"
            "for i in range(1, 13):\n"
            "    question(i)\n")


def in_navigation(page: str, title: str) -> str:
    """The end of a reference page: its function ``page`` run as the first of nine pages in
    Streamlit's sidebar navigation (the app has nine)."""
    return f"""

def other():
    st.write("")


pages = [st.Page({page}, title={title!r}, default=True)] + [
    st.Page(other, title=f"Sida {{i}}", url_path=f"sida{{i}}") for i in range(8)]
st.navigation(pages).run()
"""


# The app's answer sheet (its component and data for G1), with the answers kept in the
# session instead of a database. Clicked like the app.
SHEET_PAGE = f"""\
import sys
sys.path.insert(0, {str(ROOT)!r})
from functools import partial

import streamlit as st

from app_pages.answer_sheet import _SHEET
from assessment import answer_sheet
from assessment.bank_loader import DEFAULT_BANK, load_banks
from assessment.i18n import translate

st.set_page_config(layout="wide")
BANK = load_banks().get(DEFAULT_BANK)
AREAS = [(a, list(a.questions)) for a in BANK.areas]


def on_event():
    event = answer_sheet.parse_event(st.session_state["sheet"].event, BANK, AREAS)
    st.session_state["answers"][event.question] = (event.value, "")
    st.session_state["status"] = {{event.question: "questionnaire.saved"}}


@st.fragment
def sheet():
    answers = st.session_state.setdefault("answers", {{}})
    tr = partial(translate, "sv")
    status = {{q: tr(m) for q, m in st.session_state.pop("status", {{}}).items()}}
    data = answer_sheet.sheet_data(BANK, AREAS, "G1", answers, "sv", tr, status=status)
    _SHEET(key="sheet", data=data, on_event_change=on_event)
"""

# The sheet in a nine-page navigation: the floor for the questionnaire as it is drawn now.
SHEET_ALONE = SHEET_PAGE + in_navigation("sheet", "Självskattning")

# The same sheet on a page of its own: what the sheet costs without the navigation.
SHEET_ONLY = SHEET_PAGE + "\n\nsheet()\n"

# The bare page's radio as the first of nine pages in the sidebar navigation: what Streamlit's
# navigation alone adds to every click.
BARE_IN_NAVIGATION = """\
import streamlit as st


def radio():
    st.radio("x", [0, 1, 2, 3, 4], horizontal=True)
""" + in_navigation("radio", "Sida")

# Each reference: a short name ("sheet…" ones are clicked like the app), its row's label
# and its page.
REFERENCES = [
    ("radios", "12 plain radios, each in an `@st.fragment`", reference_page(RADIO, box=False)),
    ("minimal", "12 question blocks of only a box, the text and the radio",
     reference_page(TEXT, RADIO)),
    ("blocks", "12 question blocks as the app drew them before the answer sheet",
     reference_page(TEXT, RADIO_WITH_HELP, COMMENT)),
    ("navigation", "the bare page's radio as the first of nine pages in the sidebar navigation",
     BARE_IN_NAVIGATION),
    ("sheet_only", "the answer sheet alone on a page of its own, no database", SHEET_ONLY),
    ("sheet", "the answer sheet alone in a nine-page navigation, no database", SHEET_ALONE),
]
REFERENCE_PAGES = {label: page for _, label, page in REFERENCES}
SHEET_REFERENCES = {label for short, label, _ in REFERENCES if short.startswith("sheet")}

# The time of the last pointerdown, for the click-to-idle figure.
CLICK_CLOCK = """
(() => {
  if (window.__benchClock) return;
  window.__benchClock = true;
  window.__benchClickAt = 0;
  document.addEventListener('pointerdown', () => { window.__benchClickAt = performance.now(); }, true);
})();
"""


# --- data ----------------------------------------------------------------------------------

def seed_database(db: Path) -> tuple[str, str]:
    """An assessment of the national bank with 5 participants who answered every question;
    (its id, the first participant's id)."""
    bank = pick_bank()
    doc = make_assessment(bank, random.Random(SEED), 1)
    keep = [p["id"] for p in doc["participants"][:PARTICIPANTS]]
    doc["participants"] = doc["participants"][:PARTICIPANTS]
    doc["answers"] = [a for a in doc["answers"] if a["participant"] in keep]
    doc["organisation"]["kind"] = "kommun"  # every question in scope
    with Store(sqlite_url(db)) as store:
        return store.create_assessment(Assessment.model_validate(doc)), keep[0]


# --- one click -----------------------------------------------------------------------------

class Missed(RuntimeError):
    """The click did not start a rerun."""


@dataclass
class Click:
    ms: float          # click-to-idle: to the DOM's notRunning, or to the last message (fallback)
    from_dom: bool     # the DOM showed running → notRunning for this click
    message_ms: float  # to the arrival of the message that ends the run (session status)
    start_ms: float    # to the arrival of the message that starts the run


def click_to_idle(page, option) -> Click:
    """Click ``option`` (a radio option, in view and still) and time it from its pointerdown to
    the end of the rerun it started."""
    hold_still(option)
    before = runs_seen(page)
    option.click()
    return rerun_timed(page, before)


def rerun_timed(page, before: int) -> Click:
    """Wait for the rerun a click started (``before``: the runs seen before it) and time it."""
    wait_idle(page, since=before, appear_ms=3000, timeout_ms=30_000)
    if runs_seen(page) <= before:
        raise Missed("no rerun after the click")
    t = page.evaluate("({click: window.__benchClickAt, running: window.__psaRunningAt,"
                      " idle: window.__psaIdleAt, started: window.__psaStartedAt,"
                      " stopped: window.__psaStoppedAt})")
    from_dom = t["running"] > t["click"] and t["idle"] > t["running"]
    message_ms = t["stopped"] - t["click"]
    return Click(t["idle"] - t["click"] if from_dom else message_ms, from_dom, message_ms,
                 t["started"] - t["click"])


def sheet_group(page, question: str):
    """A question's levels on the answer sheet (a radio group named by the question's text)."""
    return page.locator(f"section.question[data-question='{question}']").get_by_role("radiogroup")


class AppClicker:
    """Each call answers the next G1 question with a level it does not have yet; ``expected``
    holds the level each question should now have in the database."""

    def __init__(self, page) -> None:
        self.page = page
        self.turn = 0
        self.expected: dict[str, int] = {}

    def aim(self):
        """The next question and a level it does not have: (question, level, the option)."""
        question = QUESTIONS[self.turn % len(QUESTIONS)]
        self.turn += 1
        group = sheet_group(self.page, question)
        checked = group.evaluate(
            "g => [...g.querySelectorAll('input[type=radio]')].findIndex(r => r.checked)")
        level = (checked + 1) % len(LEVELS) if checked in range(len(LEVELS)) else 2
        return question, level, group.get_by_role("radio").nth(level)

    def __call__(self) -> Click:
        question, level, option = self.aim()
        elapsed = click_to_idle(self.page, option)
        self.expected[question] = level
        return elapsed


def bare_clicker(page):
    """Each call picks the next option of the bare radio."""
    options = page.get_by_test_id("stRadioOption")
    turn = {"i": 0}

    def click_once() -> Click:
        turn["i"] += 1
        return click_to_idle(page, options.nth(turn["i"] % 5))

    return click_once


def interleaved(clickers: list, n: int, warmup: int) -> tuple[list[list[Click]], int]:
    """Click each page in turn, one click each per round; the timings after warm-up (one list
    per clicker) and how many clicks were retried."""
    timings: list[list[Click]] = [[] for _ in clickers]
    retried = 0
    for i in range(warmup + n):
        for clicker, out in zip(clickers, timings):
            for attempt in range(3):
                try:
                    value = clicker()
                    break
                except Missed:
                    retried += 1
                    if attempt == 2:
                        raise
            if i >= warmup:
                out.append(value)
    return timings, retried


# --- output --------------------------------------------------------------------------------

def quantiles(values: list[float]) -> tuple[float, float, float, float]:
    """(min, median, 90th percentile, max)."""
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return ordered[0], statistics.median(ordered), p90, ordered[-1]


def median(clicks: list[Click], attr: str = "ms") -> float:
    return statistics.median(getattr(c, attr) for c in clicks)


def results_table(app: list[Click], bare: list[Click],
                  references: dict[str, list[Click]] | None = None) -> str:
    ratio = median(app) / median(bare)
    message_ratio = median(app, "message_ms") / median(bare, "message_ms")
    rows = [("Bare page: one `st.radio`, click an option", bare, "1", "1", "–"),
            ("Självskattning: click an answer (5 participants, G1's 12 questions on screen)",
             app, f"{ratio:.2f}", f"{message_ratio:.2f}", "–")]
    for name, clicks in (references or {}).items():
        rows.append((f"Reference: {name}", clicks, f"{median(clicks) / median(bare):.2f}",
                     f"{median(clicks, 'message_ms') / median(bare, 'message_ms'):.2f}", "–"))
    head = ("| Click-to-idle | Median | Min | 90th pct | Max | Runs the DOM showed | "
            "Median to the run's last message | Ratio to bare | Ratio, last message |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    body = ""
    for name, clicks, r, mr in rows:
        lo, med, p90, hi = quantiles([c.ms for c in clicks])
        shown = sum(c.from_dom for c in clicks)
        body += (f"| {name} | {med:.0f} ms | {lo:.0f} ms | {p90:.0f} ms | {hi:.0f} ms | "
                 f"{shown} of {len(clicks)} | {median(clicks, 'message_ms'):.0f} ms | {r} | {mr} |\n")
    return head + body


def breakdown_table(app: list[Click], bare: list[Click]) -> str:
    """Medians of the three legs of a click: to the run's start message (browser → server →
    script starts), the run (the server runs the script and streams its output), and the
    browser's work after the last message until the DOM shows notRunning."""
    head = ("| Leg (median) | Bare page | Självskattning | Difference |\n"
            "|---|---:|---:|---:|\n")
    legs = [
        ("click → run starts (message arrives)", lambda c: c.start_ms),
        ("run starts → run's last message arrives", lambda c: c.message_ms - c.start_ms),
        ("last message → DOM notRunning", lambda c: c.ms - c.message_ms),
    ]
    body = ""
    for name, leg in legs:
        b = statistics.median(leg(c) for c in bare)
        a = statistics.median(leg(c) for c in app)
        body += f"| {name} | {b:.0f} ms | {a:.0f} ms | {a - b:+.0f} ms |\n"
    return head + body


# --- main ----------------------------------------------------------------------------------

def click_parser(description: str) -> argparse.ArgumentParser:
    """The options of a benchmark that clicks in the browser: clicks and warm-up."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-n", "--clicks", type=int, default=30, help="clicks per page (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up clicks per page (default 5)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = click_parser(__doc__.splitlines()[0])
    parser.add_argument("--no-references", dest="references", action="store_false",
                        help="leave out the reference pages (REFERENCE_PAGES)")
    args = parser.parse_args(argv)
    reason = chromium_missing_reason()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="psa-bench-browser-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        db = folder / "bench.sqlite3"
        aid, pid = seed_database(db)
        env = {"PSA_DB_PATH": str(db), "PSA_DATABASE_URL": None}
        scripts = {"bare": BARE_PAGE, **(REFERENCE_PAGES if args.references else {})}
        servers = {"app": stack.enter_context(StreamlitServer(ROOT / "app.py", env=env, cwd=ROOT))}
        for i, (name, text) in enumerate(scripts.items()):
            script = folder / f"page{i}.py"
            script.write_text(text, encoding="utf-8")
            servers[name] = stack.enter_context(StreamlitServer(script, env=env, cwd=ROOT))
        pw = stack.enter_context(sync_playwright())
        browser = launch_chromium(pw)
        pages = {}
        for name, server in servers.items():
            url = (server.url("sjalvskattning", lang="sv", a=aid, p=pid) if name == "app"
                   else server.url(""))
            page = browser.new_context(viewport=VIEWPORT).new_page()
            watch_script_state(page)
            page.add_init_script(CLICK_CLOCK)
            page.goto(url)
            wait_idle(page, since=0)
            page.evaluate(CLICK_CLOCK)
            pages[name] = page
        if sheet_group(pages["app"], "G1.1").count() != 1:
            raise SystemExit("the questionnaire did not open on area G1")
        app = AppClicker(pages["app"])
        clickers = [app] + [AppClicker(pages[name]) if name in SHEET_REFERENCES
                            else bare_clicker(pages[name]) for name in scripts]
        timings, retried = interleaved(clickers, args.clicks, args.warmup)
        browser.close()
        app_clicks, bare_clicks, *reference_clicks = timings
        references = dict(zip(list(scripts)[1:], reference_clicks))
        with Store(sqlite_url(db)) as store:
            saved = {a.question: a.value for a in store.load(aid).answers if a.participant == pid}
        wrong = {q: (level, saved.get(q)) for q, level in app.expected.items() if saved.get(q) != level}
        if wrong:
            raise SystemExit(f"the clicked answers are not in the database (expected, saved): {wrong}")

    ratio = median(app_clicks) / median(bare_clicks)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(results_table(app_clicks, bare_clicks, references))
    print(breakdown_table(app_clicks, bare_clicks))
    floor = ""
    if references:
        sheet = references[next(label for short, label, _ in REFERENCES if short == "sheet")]
        floor = (f", the sheet alone in the navigation {median(sheet) / median(bare_clicks):.2f} ×"
                 f" (app ÷ it {median(app_clicks) / median(sheet):.2f})")
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs; {retried} clicks repeated")
    print(f"\ndocs/performance.md: {dt.date.today().isoformat()}, {os.cpu_count()} CPUs, "
          f"load {load:.1f}: app {median(app_clicks):.0f} ms ÷ bare {median(bare_clicks):.0f} ms"
          f" = {ratio:.2f}{floor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
