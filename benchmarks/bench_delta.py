"""Browser click-to-idle on Delta (a workshop participant on a phone) as a ratio to Självskattning.

    python benchmarks/bench_delta.py                  # measure and print
    python benchmarks/bench_delta.py -n 50            # more clicks

One ``streamlit run`` server of the app on 127.0.0.1 and an SQLite file with two assessments of
the national bank, each with 5 participants who answered every question (fixed seed,
``benchmarks/generate.py``, as ``bench_browser.py``). On the first a workshop is open and one
more participant has joined with nothing answered yet; Debian's Chromium (headless, through
Playwright) opens their Delta page (``/delta?t=…``) on a phone's viewport (390×844, touch).
The second is open on Självskattning with its first participant chosen, on a laptop's
viewport (1280×900), and on the phone's viewport too. Both pages draw the same answer sheet
with area G1 and its 12 questions.

One measurement is one click on a level that the next G1 question does not have, so every
click writes an answer (Delta's through the participant's token, which checks the workshop
is open); click-to-idle as in ``bench_browser.py`` (from the click's ``pointerdown`` to the
end of the rerun it started, timed in the page). The three pages are clicked in turn, one
click each per round, so load from other processes hits them alike; medians of N = 30 each
after 5 warm-up clicks. Target: Delta on the phone ÷ Självskattning on the laptop ≤ 1.2.

Then four phones at once: four more participants join and open Delta on phones; one of them
taps alone (N taps), then in each round all four tap together (the four taps fired right after
one another, a few milliseconds apart, before any is waited for). Target: the p95 of the taps
together ÷ the p95 of one phone alone ≤ 2.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from playwright.sync_api import sync_playwright  # noqa: E402

from assessment.storage import Store  # noqa: E402
from assessment.storage.config import sqlite_url  # noqa: E402
from bench_browser import (CLICK_CLOCK, AppClicker, click_parser, interleaved,  # noqa: E402
                           median, quantiles, rerun_timed, seed_database, sheet_group)
from tests.browser_support import (StreamlitServer, chromium_missing_reason,  # noqa: E402
                                   hold_still, launch_chromium, runs_seen, wait_idle,
                                   watch_script_state)

TARGET = 1.2  # Delta on the phone ÷ Självskattning on the laptop, median click-to-idle
ROOM_TARGET = 2.0  # four phones tapping at once ÷ one alone, p95 tap-to-idle
PHONES = 4
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


def open_page(browser, url: str, viewport: dict, touch: bool):
    page = browser.new_context(viewport=viewport, has_touch=touch, locale="sv-SE").new_page()
    watch_script_state(page)
    page.add_init_script(CLICK_CLOCK)
    page.goto(url)
    wait_idle(page, since=0)
    page.evaluate(CLICK_CLOCK)
    try:  # the component draws itself once its script has loaded, after the run
        sheet_group(page, "G1.1").wait_for(timeout=20_000)
    except Exception:  # noqa: BLE001 - any failure to open it ends the run with the page's text
        raise SystemExit(f"{url}: the answer sheet did not open on area G1:\n"
                         f"{page.locator('body').inner_text()[:600]}") from None
    return page


def together(clickers: list[AppClicker], rounds: int, warmup: int) -> list:
    """Each round every phone taps at once: the taps fired one right after another, then each
    page's rerun waited for; the tap-to-idle of every tap after warm-up."""
    out = []
    for i in range(warmup + rounds):
        aimed = []
        for clicker in clickers:
            question, level, option = clicker.aim()
            hold_still(option)
            aimed.append((clicker, question, level, option, runs_seen(clicker.page)))
        for _, _, _, option, _ in aimed:
            option.click(no_wait_after=True)
        for clicker, question, level, _, before in aimed:
            timed = rerun_timed(clicker.page, before)
            clicker.expected[question] = level
            if i >= warmup:
                out.append(timed)
    return out


def p95(clicks: list) -> float:
    ordered = sorted(c.ms for c in clicks)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def results_table(rows: list[tuple[str, list]], base: list) -> str:
    head = ("| Click-to-idle | Median | Min | 90th pct | Max | Ratio to Självskattning (laptop) |\n"
            "|---|---:|---:|---:|---:|---:|\n")
    body = ""
    for name, clicks in rows:
        lo, med, p90, hi = quantiles([c.ms for c in clicks])
        body += (f"| {name} | {med:.0f} ms | {lo:.0f} ms | {p90:.0f} ms | {hi:.0f} ms | "
                 f"{median(clicks) / median(base):.2f} |\n")
    return head + body


def main(argv: list[str] | None = None) -> int:
    args = click_parser(__doc__.splitlines()[0]).parse_args(argv)
    reason = chromium_missing_reason()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="psa-bench-delta-") as tmp, ExitStack() as stack:
        db = Path(tmp) / "bench.sqlite3"
        workshop_aid, _ = seed_database(db)
        aid, pid = seed_database(db)
        with Store(sqlite_url(db)) as store:
            code, _secret = store.open_workshop(workshop_aid)
            token = store.join(code, "Deltagare", "")
            room = [store.join(code, f"Telefon {n}", "") for n in range(1, PHONES + 1)]
            other = store.load(aid).participants[1].id  # the phone's Självskattning: another's
        env = {"PSA_DB_PATH": str(db), "PSA_DATABASE_URL": None}
        server = stack.enter_context(StreamlitServer(ROOT / "app.py", env=env, cwd=ROOT))
        browser = launch_chromium(stack.enter_context(sync_playwright()))
        own = server.url("sjalvskattning", lang="sv", a=aid, p=pid)
        pages = {"delta": open_page(browser, server.url("delta", t=token), PHONE, True),
                 "laptop": open_page(browser, own, LAPTOP, False),
                 "phone": open_page(browser, server.url("sjalvskattning", lang="sv", a=aid,
                                                        p=other), PHONE, True)}
        clickers = {name: AppClicker(page) for name, page in pages.items()}
        timings, retried = interleaved(list(clickers.values()), args.clicks, args.warmup)
        phones = [AppClicker(open_page(browser, server.url("delta", t=t), PHONE, True))
                  for t in room]
        alone, _ = interleaved(phones[:1], args.clicks, args.warmup)
        at_once = together(phones, args.clicks, args.warmup)
        browser.close()
        delta, laptop, phone = timings
        with Store(sqlite_url(db)) as store:
            loaded = store.load(aid).answers
            found = {
                "delta": {q: v for q, (v, _) in store.participant_view(token).answers.items()},
                "laptop": {a.question: a.value for a in loaded if a.participant == pid},
                "phone": {a.question: a.value for a in loaded if a.participant == other},
            }
            for n, (t, clicker) in enumerate(zip(room, phones)):
                clickers[f"room {n + 1}"] = clicker
                found[f"room {n + 1}"] = {q: v for q, (v, _) in
                                          store.participant_view(t).answers.items()}
        for name, clicker in clickers.items():
            wrong = {q: (level, found[name].get(q)) for q, level in clicker.expected.items()
                     if found[name].get(q) != level}
            if wrong:
                raise SystemExit(f"{name}: the clicked answers are not in the database "
                                 f"(expected, saved): {wrong}")

    ratio = median(delta) / median(laptop)
    met = ratio <= TARGET
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    table = results_table([
        ("Självskattning on a laptop (1280×900): click an answer", laptop),
        ("Självskattning on a phone (390×844)", phone),
        ("Delta on a phone (390×844): a participant's answer, saved through the token", delta),
    ], laptop)
    print(table)
    print(f"ratio Delta (phone) ÷ Självskattning (phone) = {median(delta) / median(phone):.2f}")
    print(f"ratio Delta (phone) ÷ Självskattning (laptop) = {ratio:.2f} (target ≤ {TARGET:g}: "
          f"{'met' if met else 'missed'}); load average {load:.1f} on {os.cpu_count()} CPUs; "
          f"{retried} clicks repeated")
    room_ratio = p95(at_once) / p95(alone[0])
    room_met = room_ratio <= ROOM_TARGET
    print(f"{PHONES} phones tapping at once: p95 {p95(at_once):.0f} ms (median "
          f"{median(at_once):.0f} ms, {len(at_once)} taps) ÷ one phone alone p95 "
          f"{p95(alone[0]):.0f} ms (median {median(alone[0]):.0f} ms) = {room_ratio:.2f} "
          f"(target ≤ {ROOM_TARGET:g}: {'met' if room_met else 'missed'})")
    print(f"\ndocs/performance.md: {dt.date.today().isoformat()}, {os.cpu_count()} CPUs, "
          f"load {load:.1f}: Delta (phone) {median(delta):.0f} ms ÷ Självskattning (laptop) "
          f"{median(laptop):.0f} ms = {ratio:.2f} ({'met' if met else 'missed'}); "
          f"÷ Självskattning (phone) {median(delta) / median(phone):.2f}; {PHONES} phones at "
          f"once p95 {p95(at_once):.0f} ms ÷ one alone {p95(alone[0]):.0f} ms = {room_ratio:.2f} "
          f"({'met' if room_met else 'missed'})")
    return 0 if met and room_met else 1


if __name__ == "__main__":
    sys.exit(main())
