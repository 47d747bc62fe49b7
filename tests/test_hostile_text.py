"""User text is text everywhere: one set of assessments whose every free-text field –
organisation, unit, participants' names and roles, comments, consensus notes, action titles,
owners and notes, a workshop's participants – carries Markdown and HTML meant to do harm
(an image from a local address, a ``javascript:`` link, bold, KaTeX, HTML, a Material icon,
a colour directive, a bare address and an e-mail address), walked page by page in Chromium
against ``streamlit run``, with a made-up ``?a=`` value as well.

On every page: no element was made from the text (no image, link, bold, formula, icon or
coloured span), the text is there as typed wherever the page shows it as text (the invisible
word joiner ``app_pages.markdown.plain`` puts before a would-be link aside), and the local
address serving the image was never asked for. The Excel export, the comparison workbook, the
Word report and the JSON file carry the same text exactly as typed.

Needs Debian's /usr/bin/chromium (skipped without it, except in CI where it fails)."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from assessment.bank_loader import load_banks
from assessment.document import Action, Answer, Assessment, Consensus, Organisation, Participant
from assessment.files import dump_assessment
from assessment.storage import Store
from tests.browser_support import (HOST, REPO, StreamlitServer, act, click, free_port,
                                   full_page_screenshot, wait_idle, watch_script_state)

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails in CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

BANK_ID = "nationell-handlingsplan-2025"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
JOINER = "\u2060"  # what plain() adds before a would-be bare link: invisible, not text
MARK = "zq"        # in every piece of the hostile text, and nowhere else in the app


def hostile(tag: str, port: int) -> str:
    """Hostile text for the field ``tag``: every construct that Markdown (as Streamlit
    renders it) would turn into an element. At most 200 characters, a name's limit."""
    text = (f"{tag} ![bild{MARK}](http://{HOST}:{port}/{tag}.png) [klick{MARK}](javascript:alert(1)) "
            f"**fet{MARK}** $x^2$ <b>html{MARK}</b> :material/pets: :red[röd{MARK}] "
            f"www.{MARK}.se {tag}@{MARK}.se")
    assert len(text) <= 200, len(text)
    return text


class Trap:
    """A tiny HTTP server on 127.0.0.1 that records every path asked of it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.requests: list[str] = []
        trap = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                trap.requests.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer((HOST, self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Trap:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def assessment(h, unit: str, date: dt.date, people: list[str]) -> Assessment:
    """An assessment of ``unit`` whose every text field is hostile (``h(tag)``)."""
    participants = [Participant(id=p, name=h(f"namn-{p}"), role=h(f"roll-{p}")) for p in people]
    levels = {0: 0, 1: 4}
    answers = [Answer(participant=p, question=q, value=levels[i] if q == "G1.1" else 2,
                      comment=h(f"kommentar-{p}-{q}"))
               for i, p in enumerate(people) for q in ("G1.1", "G1.2")]
    return Assessment.model_validate({
        "bank": {"id": BANK_ID, "version": "2"},
        "organisation": Organisation(name=h("org"), kind="kommun", unit=unit),
        "date": date,
        "participants": participants,
        "answers": answers,
        "consensus": [Consensus(question="G1.2", value=2, note=h("samsyn-G1.2"))],
        "actions": [Action(activity="G1.1", title=h(f"atgard-{date.year}"),
                           owner=h(f"ansvarig-{date.year}"), note=h(f"anteckning-{date.year}"),
                           status="klar" if date.year == 2026 else "planerad")],
    })


@pytest.fixture
def trap():
    with Trap() as running:
        yield running


@pytest.fixture
def world(tmp_path, trap):
    """The database: a unit assessed in 2025 and 2026 (the second to be run as a workshop
    later) and another unit, every text hostile; and the app on it."""
    def h(tag: str) -> str:
        return hostile(tag, trap.port)

    banks = load_banks()
    assert BANK_ID in banks.banks
    db = tmp_path / "app.sqlite3"
    with Store(f"sqlite:///{db}") as store:
        earlier = store.create_assessment(assessment(h, h("enhet"), dt.date(2025, 3, 1), ["p1", "p2"]))
        main = store.create_assessment(assessment(h, h("enhet"), dt.date(2026, 3, 1), ["p1", "p2"]))
        other = store.create_assessment(assessment(h, h("annan-enhet"), dt.date(2026, 2, 1), ["p1"]))
    env = {"PSA_DB_PATH": str(db), "PSA_DATABASE_URL": None}
    with StreamlitServer(REPO / "app.py", env=env, cwd=REPO) as server:
        yield {"server": server, "db": db, "h": h, "banks": banks,
               "ids": {"earlier": earlier, "main": main, "other": other}}


# The elements under a test id and those inside shadow roots (the answer sheet is a component).
ROOTS = """const roots = [document.querySelector('[data-testid="%s"]')];
  for (let i = 0; i < roots.length; i++)
    for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  const all = (sel) => roots.flatMap(r => [...r.querySelectorAll(sel)]);"""

# What counts as an element made from the text. Headings' own anchor links (href "#…") and
# the app's own bold and icons do not carry the mark; everything the hostile text could
# make does.
MADE = """(mark) => {
  %s
  const made = [];
  const add = (why, el) => made.push(why + ': ' + el.outerHTML.slice(0, 160));
  for (const el of all('img, image, source, video, audio, iframe, object')) {
    const src = el.getAttribute('src') || el.getAttribute('href') || el.getAttribute('srcset') || '';
    if (src.includes(mark) || src.includes('127.0.0.1:' + window.__trapPort)
        || (el.getAttribute('alt') || '').includes(mark)) add('image', el);
  }
  for (const el of all('a')) {
    const href = el.getAttribute('href') || '';
    if (el.textContent.includes(mark) || (!href.startsWith('#') && href.includes(mark))
        || href.toLowerCase().startsWith('javascript')) add('link', el);
  }
  for (const el of all('strong, b, em, i, del, s, sup, sub, code, mark')) {
    const text = el.textContent.trim();
    if (text === 'fet' + mark || text === 'html' + mark || text === 'röd' + mark) add('markup', el);
  }
  for (const el of all('.katex, math')) add('katex', el);
  for (const el of all('.stMarkdownColoredText')) add('colour', el);
  for (const el of all('span, i')) {
    if (el.children.length === 0 && el.textContent.trim() === 'pets') add('icon', el);
  }
  return made;
}""" % (ROOTS % "stApp")

# Everything the page's main part shows as text (the sidebar's plain text has the
# organisation and unit on every page): its text content and the values in its inputs, with
# plain()'s invisible word joiners taken out.
SHOWN = """(joiner) => {
  %s
  const values = all('input, textarea').map(e => e.value);
  return [...roots.map(r => r.textContent), ...values].join('\\n').split(joiner).join('');
}""" % (ROOTS % "stMain")


def new_page(browser, trap):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.add_init_script(f"window.__trapPort = {trap.port};")
    watch_script_state(page)
    return page


def open_url(page, url: str) -> None:
    page.goto(url)
    wait_idle(page, since=0, settle_ms=300)
    page.wait_for_timeout(300)  # images (if any were made) are asked for


def check(page, trap, where: str, shown: list[str], found: list[str]) -> None:
    """Nothing made from the text on the page; each of ``shown`` there as typed; the image
    address not asked for. What is wrong goes into ``found`` (every page is walked)."""
    found += [f"{where}: made from user text: {m}" for m in page.evaluate(MADE, MARK)]
    text = page.evaluate(SHOWN, JOINER)
    found += [f"{where}: not shown as typed: {s!r}" for s in shown if s not in text]
    found += [f"{where}: the image address was asked for: {r}" for r in trap.requests]
    trap.requests.clear()
    CHECKED.append((where, len(shown)))


CHECKED: list[tuple[str, int]] = []  # (page, texts looked for): what the walk saw


def test_hostile_text__every_page_and_export__shows_it_as_typed(browser, world, trap):
    server, h, ids = world["server"], world["h"], world["ids"]
    main = ids["main"]
    page = new_page(browser, trap)
    problems: list[str] = []  # what is wrong, page by page
    CHECKED.clear()
    try:
        walk(page, server, trap, h, ids, problems)
        # The workshop: run on the 2026 assessment, two participants join with hostile names.
        with Store(f"sqlite:///{world['db']}") as store:
            keys = store.open_workshop(main)
            tokens = [store.join(keys.code, h(f"ws-namn-{n}"), h(f"ws-roll-{n}")) for n in (1, 2)]
            store.answer_as_participant(tokens[0], "G1.1", 3, h("ws-kommentar-1"))
        open_url(page, server.url("workshop", f=keys.secret))
        table = page.get_by_test_id("stTable")
        expect(table.locator("tr", has_text="ws-namn-1")).to_contain_text("1/59", timeout=15_000)
        check(page, trap, "Workshop (progress table)", [h(f"ws-namn-{n}") for n in (1, 2)]
              + [h(f"ws-roll-{n}") for n in (1, 2)], problems)
        full_page_screenshot(page, SCREENSHOTS / "hostile-text-workshop.png")
        open_url(page, server.url("delta", t=tokens[0]))
        check(page, trap, "Delta", [h("org"), h("enhet"), h("ws-namn-1"), h("ws-kommentar-1")],
              problems)
    except BaseException:
        full_page_screenshot(page, SCREENSHOTS / "hostile-text-failure.png")
        raise
    finally:
        page.context.close()

    assert problems == [], "\n".join(problems)
    assert len(CHECKED) >= 14 and sum(n for _, n in CHECKED) >= 20, CHECKED
    exports(world, trap)


def walk(page, server, trap, h, ids, problems) -> None:
    main, earlier = ids["main"], ids["earlier"]
    # A made-up ?a= value: said to be unknown, shown as typed.
    made_up = (f"[Klicka här](http://{HOST}:{trap.port}/a-{MARK}) "
               f"![bild](http://{HOST}:{trap.port}/a-{MARK}.png) **{MARK}**")
    open_url(page, server.url("resultat") + "?a=" + quote(made_up))
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text("kunde inte öppnas")
    check(page, trap, "made-up ?a=", [made_up], problems)

    org_unit = [h("org"), h("enhet")]
    open_url(page, server.url("", a=main))
    check(page, trap, "Start", org_unit, problems)

    open_url(page, server.url("sjalvskattning", a=main, p="p1"))
    page.locator("button.area-tab[data-area='G1']").wait_for()
    check(page, trap, "Självskattning", [f"{h('namn-p1')} ({h('roll-p1')})",
                                          h("kommentar-p1-G1.1"), h("kommentar-p1-G1.2")], problems)

    open_url(page, server.url("samsyn", a=main))
    check(page, trap, "Samsyn", [], problems)
    act(page, lambda: click(page.get_by_role("radio", name="Alla besvarade").or_(
        page.get_by_role("button", name="Alla besvarade")).first), settle_ms=300)
    check(page, trap, "Samsyn (all)", [h("samsyn-G1.2")], problems)

    open_url(page, server.url("resultat", a=main))
    check(page, trap, "Resultat", org_unit, problems)

    open_url(page, server.url("prioritera", a=main))
    check(page, trap, "Prioritera", [h("atgard-2026"), h("ansvarig-2026")], problems)

    open_url(page, server.url("hjalp", a=main))
    check(page, trap, "Hjälp", [], problems)

    open_url(page, server.url("jamfor", a=earlier))
    check(page, trap, "Jämför (nothing chosen)", [], problems)
    act(page, lambda: click(page.get_by_role("button", name="Välj alla")), settle_ms=300)
    for tab in ("Över tid", "Mellan enheter", "Mot riket"):
        act(page, lambda: click(page.get_by_role("tab", name=tab)), settle_ms=200)
        check(page, trap, f"Jämför – {tab}", [h("enhet")] if tab == "Över tid" else [], problems)
    check(page, trap, "Jämför", [h("atgard-2026")], problems)


def exports(world, trap) -> None:
    """The Excel export, the comparison workbook, the Word report and the JSON file."""
    import openpyxl
    from docx import Document

    from assessment.excel import export_workbook
    from assessment.excel.compare_export import compare_workbook
    from assessment.report import build_report, render_docx
    from scoring.compare import snapshot

    h, ids, banks = world["h"], world["ids"], world["banks"]
    with Store(f"sqlite:///{world['db']}") as store:
        a = store.load(ids["main"])
        others = [store.load(ids[k]) for k in ("earlier", "other")]
    bank = banks.get(BANK_ID)
    texts = ([a.organisation.name, a.organisation.unit]
             + [x for p in a.participants for x in (p.name, p.role)]
             + [x.comment for x in a.answers] + [c.note for c in a.consensus]
             + [x for act_ in a.actions for x in (act_.title, act_.owner, act_.note)])
    assert all(MARK in t for t in texts) and len(texts) >= 18

    def cells(data: bytes) -> list:
        book = openpyxl.load_workbook(io.BytesIO(data))
        return [c for ws in book.worksheets for row in ws.iter_rows() for c in row
                if isinstance(c.value, str)]

    excel = cells(export_workbook(a, bank, "sv"))
    values = [c.value for c in excel]
    missing = [t for t in texts if not any(t in v for v in values)]
    assert missing == [], f"Excel export: not as typed: {missing}"
    assert all(c.data_type == "s" for c in excel if MARK in c.value)

    snaps = [snapshot(k, x, bank) for k, x in zip(("main", "earlier", "other"), [a, *others])]
    compared = [c.value for c in cells(compare_workbook(snaps, bank, "sv"))]
    assert h("org") in compared and h("enhet") in " ".join(compared)

    doc = Document(io.BytesIO(render_docx(build_report(a, bank, "sv", None, dt.date(2026, 3, 5)))))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    parts += [p.text for s in doc.sections for p in s.footer.paragraphs]
    report = "\n".join(parts)
    in_report = [a.organisation.name, a.organisation.unit, a.consensus[0].note,
                 *(x for act_ in a.actions for x in (act_.title, act_.owner, act_.note))]
    missing = [t for t in in_report if t not in report]
    assert missing == [], f"Word report: not as typed: {missing}"
    assert JOINER not in report

    assert json.loads(dump_assessment(a)) == json.loads(a.model_dump_json())
    assert all(t in dump_assessment(a) or json.dumps(t, ensure_ascii=False)[1:-1] in dump_assessment(a)
               for t in texts)
    assert trap.requests == []
