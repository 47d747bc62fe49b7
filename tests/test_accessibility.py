"""Accessibility (WCAG 2.1 AA, issue 18): axe-core run in every page of the app, with data.

One database – a unit assessed in 2025 and 2026 (participants, answers with comments,
consensus, targets, an action plan) and another unit, whose assessment is run as a workshop
that two participants have joined – and the app on it under ``streamlit run``. Chromium visits
every page (Start, Självskattning, Samsyn, Resultat, Prioritera, Jämför and its three tabs,
Workshop, Hjälp, and Delta as a participant), in Swedish and the main ones in English; in
each, axe-core's ``axe.run()`` checks the whole document. No violation of impact serious or
critical may be left; the failure lists each one's rule, impact and nodes. ``<html lang>``
follows the UI's language (WCAG 3.1.1).

axe.min.js comes from the npm registry (``scripts/test.sh`` keeps it in .cache/axe-core/, or
``PSA_AXE_JS`` names it). Without it, or without Debian's /usr/bin/chromium, the test is
skipped, except in CI, where it fails."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from assessment.document import Action, Answer, Assessment, Consensus, Organisation, Participant
from assessment.storage import Store
from tests.browser_support import (REPO, StreamlitServer, act, click, full_page_screenshot,
                                   wait_idle, watch_script_state)

pytestmark = pytest.mark.browser

BANK_ID = "nationell-handlingsplan-2025"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
BLOCKING = ("serious", "critical")

# Rules left out, each with the reason (only what cannot be fixed from the app's side).
EXCLUDED: dict[tuple[str, str], str] = {}


def axe_source() -> str:
    """axe.min.js: ``PSA_AXE_JS``, else the newest in .cache/axe-core/ (scripts/test.sh)."""
    named = os.environ.get("PSA_AXE_JS")
    candidates = [Path(named)] if named else sorted((REPO / ".cache" / "axe-core").glob("*/axe.min.js"))
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    reason = ("axe-core not found: bash scripts/test.sh fetches it from the npm registry into "
              ".cache/axe-core/ (or set PSA_AXE_JS to an axe.min.js)")
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs the accessibility test: {reason}")
    pytest.skip(reason)


def assessment(unit: str, date: dt.date, people: list[str]) -> Assessment:
    questions = ("G1.1", "G1.2", "G1.3", "G2.1", "F1.1")
    answers = [Answer(participant=p, question=q, value=(i + j) % 5,
                      comment="Rutin finns men följs inte upp" if j == 0 else "")
               for i, p in enumerate(people) for j, q in enumerate(questions)]
    return Assessment.model_validate({
        "bank": {"id": BANK_ID, "version": "2"},
        "organisation": Organisation(name="Exempelby kommun", kind="kommun", unit=unit),
        "date": date,
        "participants": [Participant(id=p, name=f"Person {p}", role="Sjuksköterska") for p in people],
        "answers": answers,
        "consensus": [Consensus(question="G1.1", value=2, note="Enades efter diskussion")],
        "targets": {"G1": 3, "G2": 2.5},
        "actions": [Action(activity="G1.1", title="Inför uppföljning av rutinen", owner="Enhetschef",
                           due=dt.date(date.year, 9, 1), status="pågår",
                           follow_up="Egenkontroll", note="Start i april")],
    })


@pytest.fixture
def world(tmp_path):
    db = tmp_path / "app.sqlite3"
    with Store(f"sqlite:///{db}") as store:
        earlier = store.create_assessment(assessment("Hemsjukvården", dt.date(2025, 3, 1), ["p1", "p2"]))
        main = store.create_assessment(assessment("Hemsjukvården", dt.date(2026, 3, 1), ["p1", "p2", "p3"]))
        # The workshop runs on another unit's assessment: one with a workshop open asks for
        # the facilitator's key on every page but Workshop.
        other = store.create_assessment(assessment("Särskilt boende", dt.date(2026, 2, 1), ["p1"]))
        keys = store.open_workshop(other)
        tokens = [store.join(keys.code, f"Deltagare {n}", "Undersköterska") for n in (1, 2)]
        store.answer_as_participant(tokens[0], "G1.1", 3, "Vi har en rutin")
    env = {"PSA_DB_PATH": str(db), "PSA_DATABASE_URL": None}
    with StreamlitServer(REPO / "app.py", env=env, cwd=REPO) as server:
        yield {"server": server, "main": main, "earlier": earlier, "secret": keys.secret,
               "token": tokens[0]}


RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' | '),
                              impact: n.impact, summary: (n.failureSummary || '').slice(0, 300)}))}));
}"""


class Audit:
    """axe-core in page after page; every violation kept with the page it was found on."""

    def __init__(self, page, source: str) -> None:
        self.page, self.source = page, source
        self.found: list[tuple[str, dict]] = []   # (where, violation)
        self.pages: list[str] = []
        self.langs: dict[str, str] = {}

    def open(self, url: str) -> None:
        self.page.goto(url)
        wait_idle(self.page, since=0, settle_ms=400)

    def check(self, where: str) -> None:
        page = self.page
        page.wait_for_timeout(500)  # charts (vega-embed) draw after the run
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self.source)
        violations = page.evaluate(RUN_AXE)
        self.pages.append(where)
        self.langs[where] = page.evaluate("document.documentElement.lang")
        for v in violations:
            nodes = [n for n in v["nodes"] if (v["id"], n["target"]) not in EXCLUDED]
            if nodes:
                self.found.append((where, {**v, "nodes": nodes}))

    def blocking(self) -> list[tuple[str, dict]]:
        return [(w, v) for w, v in self.found if v["impact"] in BLOCKING]

    def report(self, only: tuple[str, ...] | None = None) -> str:
        lines = []
        for where, v in self.found:
            if only and v["impact"] not in only:
                continue
            lines.append(f"{where}: {v['id']} ({v['impact']}) – {v['help']}, {len(v['nodes'])} node(s)")
            lines += [f"    {n['target']}  [{n['impact']}] {n['summary'].splitlines()[-1:]}"
                      for n in v["nodes"][:8]]
        return "\n".join(lines)

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for where, v in self.found:
            out.setdefault(where, {}).setdefault(v["impact"], 0)
            out[where][v["impact"]] += len(v["nodes"])
        return out


def walk(audit: Audit, world: dict, lang: str) -> None:
    server, main, earlier = world["server"], world["main"], world["earlier"]
    page = audit.page
    tag = "" if lang == "sv" else f" [{lang}]"

    def visit(path: str, where: str, **query: str) -> None:
        audit.open(server.url(path, lang=lang, **query))
        audit.check(where + tag)

    visit("", "Start", a=main)
    visit("sjalvskattning", "Självskattning", a=main, p="p1")
    visit("samsyn", "Samsyn", a=main)
    visit("resultat", "Resultat", a=main)
    # Each chart's accessible name names it and points to its table.
    names = page.evaluate("[...document.querySelectorAll('[role=graphics-document]')]"
                          ".map(e => e.getAttribute('aria-label'))")
    hint = "Visa som tabell" if lang == "sv" else "Show as a table"
    assert len(names) == 3 and all(hint in (n or "") for n in names), names
    visit("prioritera", "Prioritera", a=main)
    visit("hjalp", "Hjälp", a=main)
    if lang != "sv":
        return
    visit("jamfor", "Jämför", a=earlier)
    act(page, lambda: click(page.get_by_role("button", name="Välj alla")), settle_ms=300)
    for name in ("Över tid", "Mellan enheter", "Mot riket"):
        act(page, lambda: click(page.get_by_role("tab", name=name)), settle_ms=300)
        audit.check(f"Jämför – {name}")
    visit("workshop", "Workshop", f=world["secret"])
    alt = page.get_by_test_id("stImage").locator("img").get_attribute("alt")
    assert alt.startswith("QR-kod som öppnar länken för att delta: http"), alt
    # The language switched in the page (no new document): <html lang> follows.
    act(page, lambda: click(page.get_by_test_id("stSidebar").get_by_text("English", exact=True)),
        settle_ms=300)
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=5000)


def test_every_page__has_no_serious_or_critical_axe_violation(browser, world):
    source = axe_source()
    audit = Audit(None, source)
    for lang in ("sv", "en"):
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      locale="sv-SE" if lang == "sv" else "en-GB")
        page = context.new_page()
        page.set_default_timeout(20_000)
        watch_script_state(page)
        audit.page = page
        try:
            walk(audit, world, lang)
        except BaseException:
            full_page_screenshot(page, SCREENSHOTS / "accessibility-failure.png")
            raise
        finally:
            context.close()

    # Delta, as a participant who has joined: a browser session of its own.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(20_000)
    watch_script_state(page)
    audit.page = page
    try:
        audit.open(world["server"].url("delta", t=world["token"]))
        page.get_by_text("Deltagare 1").first.wait_for()
        audit.check("Delta")
    finally:
        context.close()

    print("\naxe-core violations (nodes) by page and impact:")
    for where in audit.pages:
        print(f"  {where}: {audit.counts().get(where, {})}")
    print(audit.report())
    assert len(audit.pages) >= 16, audit.pages
    assert audit.blocking() == [], "serious or critical axe-core violations:\n" + audit.report(BLOCKING)
    # Headings in order on every page (a moderate rule, but what a screen reader's user moves by).
    order = [(w, v) for w, v in audit.found if v["id"] == "heading-order"]
    assert order == [], "headings out of order:\n" + "\n".join(
        f"{w}: {[n['target'] for n in v['nodes']]}" for w, v in order)
    wrong_lang = {w: lang for w, lang in audit.langs.items()
                  if lang != ("en" if w.endswith("[en]") else "sv")}
    assert wrong_lang == {}, f"<html lang> does not follow the UI's language: {wrong_lang}"


OVERFLOW = """() => {
  const doc = document.documentElement;
  const main = document.querySelector('[data-testid="stMain"]');
  return {page: doc.scrollWidth - doc.clientWidth,
          main: main ? main.scrollWidth - main.clientWidth : 0};
}"""


def test_every_page__reflows_at_320_px__no_horizontal_scrolling(browser, world):
    """WCAG 1.4.10 (reflow): at 320 CSS pixels wide – a phone, or 1280 px at 400 % zoom – no
    page scrolls sideways (a data table may scroll inside itself, as WCAG allows)."""
    server, main = world["server"], world["main"]
    context = browser.new_context(viewport={"width": 320, "height": 720}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(20_000)
    watch_script_state(page)
    wide: dict[str, dict] = {}
    try:
        for path, query in (("", {"a": main}), ("sjalvskattning", {"a": main, "p": "p1"}),
                            ("samsyn", {"a": main}), ("resultat", {"a": main}),
                            ("prioritera", {"a": main}), ("hjalp", {"a": main}),
                            ("jamfor", {"a": main}), ("delta", {"t": world["token"]})):
            page.goto(server.url(path, **query))
            wait_idle(page, since=0, settle_ms=600)
            overflow = page.evaluate(OVERFLOW)
            if overflow["page"] > 1 or overflow["main"] > 1:
                wide[path or "start"] = overflow
                full_page_screenshot(page, SCREENSHOTS / f"reflow-{path or 'start'}.png")
    finally:
        context.close()
    assert wide == {}, f"pages wider than 320 px (overflow in px): {wide}"
