"""A new user walks the whole app in a real Chromium against ``streamlit run`` on 127.0.0.1:
create an assessment of a unit → two participants answer eight of G1's questions (disagreeing
on G1.1, both "Vet ej" on G1.2, "Ej aktuellt" on G1.3; G1.1 is one question shared with F1 and
shows answered there too) → Samsyn flags G1.1 and the team agrees on a level → Resultat draws
the radar chart (G1 on enough basis, the focus areas reached through shared questions on too
little) → Prioritera ranks the unit's own G1.7 and lists G1.1, G1.4 and G1.5 apart for the
leadership to decide → the server is stopped and started again on the same database and port,
and everything is still there → a year later the unit assesses itself again, and Jämför shows
both dates and G1's change with its direction.

The real-browser twin of tests/test_app_flow.py. Screenshots of every page are saved in
test-artifacts/screenshots/. Needs Debian's /usr/bin/chromium (skipped without it, except in
CI where it fails)."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

import pytest

from tests.browser_support import (REPO, StreamlitServer, act, choose, click,
                                   full_page_screenshot, wait_idle, watch_script_state)

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails in CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
# nationell-handlingsplan-2025 as the bank picker names it
BANK_TITLE = "Agera för säker vård – nationell handlingsplan för ökad patientsäkerhet 2025–2030"
VIEWPORT = {"width": 1280, "height": 900}
SETTLE_MS = 300  # create and add-participant chain a second run (st.switch_page, st.rerun)

ANNA = "Anna (MAS)"
BO = "Bo (Enhetschef)"
COMMENT = "Rutin finns men följs inte upp"
# G1.1 three levels apart; neither knows G1.2 (2 Vet ej beside no level: a knowledge gap);
# G1.3 does not apply to either; G1.4–G1.8 the two agree on. G1 has 12 questions: 11 are not
# Ej aktuellt, and G1.1 (agreed) and G1.4–G1.8 give 6 of them a level: 6 / 11 ≥ half, so G1
# has enough basis for a score (the rule: values for at least half of an area's questions).
SAME = {"G1.4": "2 – Delvis etablerat", "G1.5": "2 – Delvis etablerat", "G1.6": "3 – Etablerat",
        "G1.7": "1 – Påbörjat", "G1.8": "3 – Etablerat"}
ANSWERS = {
    ANNA: {"G1.1": "0 – Saknas", "G1.2": "Vet ej", "G1.3": "Ej aktuellt", **SAME},
    BO: {"G1.1": "3 – Etablerat", "G1.2": "Vet ej", "G1.3": "Ej aktuellt", **SAME},
}
AGREED_G1_1 = 1  # Samsyn: the team agrees on "1 – Påbörjat" for G1.1

# A year later, one participant assesses the same unit again: G1.1–G1.8, every one a level.
FOLLOW_UP = {"G1.1": "3 – Etablerat", "G1.2": "3 – Etablerat", "G1.3": "4 – Integrerat och lärande",
             "G1.4": "3 – Etablerat", "G1.5": "2 – Delvis etablerat",
             "G1.6": "4 – Integrerat och lärande", "G1.7": "3 – Etablerat",
             "G1.8": "2 – Delvis etablerat"}
ORGANISATION, UNIT = "Exempelby kommun", "Hemsjukvården"


@pytest.fixture
def server(tmp_path):
    env = {"PSA_DB_PATH": str(tmp_path / "app.sqlite3"), "PSA_DATABASE_URL": None}
    with StreamlitServer(REPO / "app.py", env=env, cwd=REPO) as running:
        yield running


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(20_000)
    watch_script_state(page)
    yield page
    context.close()


@contextmanager
def failure_screenshot(page):
    """On a failure, a screenshot of where the page was: test-artifacts/screenshots/failure.png."""
    (SCREENSHOTS / "failure.png").unlink(missing_ok=True)
    try:
        yield
    except BaseException:
        try:
            full_page_screenshot(page, SCREENSHOTS / "failure.png")
        except Exception:  # noqa: BLE001 – the original failure matters more
            pass
        raise


def test_new_user__whole_flow_in_chromium__survives_server_restart(page, server):
    for old in SCREENSHOTS.glob("[0-9][0-9]-*.png"):
        old.unlink()
    with failure_screenshot(page):
        walk_the_flow(server, page)


def walk_the_flow(server, page) -> None:
    # Start: create the assessment (dated today, the form's default).
    open_url(page, server.url(""))
    expect(page.get_by_role("heading", name="Självskattning – Agera för säker vård")).to_be_visible()
    fill_new_assessment(page)
    first_date = form_date(page)
    shot(page, "01-start")
    create = page.get_by_role("button", name="Skapa och börja skatta")
    act(page, lambda: click(create), settle_ms=SETTLE_MS)

    # Självskattning: two participants, one after another on the same device.
    expect(page).to_have_url(re.compile(r"/sjalvskattning\?.*\ba=[0-9a-f]+"))
    aid = re.search(r"\ba=([0-9a-f]+)", page.url).group(1)
    add_participant(page, "Anna", "MAS")
    add_participant(page, "Bo", "Enhetschef")
    shot(page, "02-sjalvskattning-deltagare")
    for who, answers in ANSWERS.items():
        select_participant(page, who)
        give_answers(page, answers)
        # The progress bars follow each participant's own answers (Vet ej and Ej aktuellt are
        # answers too): 8 of G1's 12 questions, and of the bank's 59 (each question once).
        expect(page.get_by_text("Området: 8 av 12 besvarade")).to_be_visible()
        expect(page.get_by_text("Totalt besvarat: 8 av 59")).to_be_visible()
    # G1.1 is one activity in G1 and F1 (seed 001 lists it in both): answered once in G1, it
    # stands answered in F1 – 1 of F1's 10 – and the total still counts it once.
    act(page, lambda: click(page.locator("button.area-tab[data-area='F1']")))
    expect(page.get_by_text("Området: 1 av 10 besvarade")).to_be_visible()
    expect(answer_radio(page, "G1.1", ANSWERS[BO]["G1.1"])).to_be_checked()
    expect(question_card(page, "G1.1").locator("p.shared")).to_contain_text("också i G1")
    expect(page.get_by_text("Totalt besvarat: 8 av 59")).to_be_visible()
    act(page, lambda: click(page.locator("button.area-tab[data-area='G1']")))
    expect(page.get_by_text("Området: 8 av 12 besvarade")).to_be_visible()
    # Bo's comment on G1.1, typed on the sheet and saved with Enter.
    comment = question_card(page, "G1.1").get_by_role("textbox")
    comment.fill(COMMENT)
    act(page, lambda: comment.press("Enter"))
    expect(question_card(page, "G1.1").get_by_text("Sparat")).to_be_visible()
    # What the levels mean, unfolded on the sheet itself (no rerun).
    scale_help = page.locator("details.scale-help")
    scale_help.locator("summary").click()
    expect(scale_help.get_by_text("Vet ej", exact=True)).to_be_visible()
    expect(scale_help.get_by_text("Ej aktuellt", exact=True)).to_be_visible()
    shot(page, "03-sjalvskattning-svar")

    # Samsyn: G1.1 (three levels apart) comes first and is flagged – the only disagreement, as
    # Anna and Bo give G1.4–G1.8 the same level; the team agrees on level 1.
    go_to(page, "Samsyn")
    expect(page.get_by_test_id("stMain").locator("strong").first).to_have_text("G1.1")
    expect(page.get_by_test_id("stAlertContentWarning").first).to_contain_text(
        "Oenighet: 3 nivåer isär")
    expect(metric(page, "Oenighet (spridning ≥ 2)")).to_have_text("1")
    # The agreed level and its note: G1.1's answer sheet, under its distribution.
    expect(answer_group(page, "G1.1")).to_have_accessible_name("G1.1 Enad nivå")
    act(page, lambda: click(answer_option(page, "G1.1", "1 – Påbörjat")))
    expect(question_card(page, "G1.1").get_by_text("Sparat")).to_be_visible()
    note = question_card(page, "G1.1").get_by_role("textbox")
    note.fill("Enades efter diskussion")
    act(page, lambda: note.press("Enter"))
    expect(question_card(page, "G1.1").get_by_text("Sparat")).to_be_visible()
    expect(metric(page, "Enade frågor")).to_have_text("1")
    expect(answer_radio(page, "G1.1", "1 – Påbörjat")).to_be_checked()
    shot(page, "04-samsyn")

    # Resultat: G1.1 agreed 1, G1.4 2, G1.5 2, G1.6 3, G1.7 1, G1.8 3 (medians of two equal
    # levels); G1.2 a knowledge gap (2 Vet ej outnumber 0 levels); G1.3 Ej aktuellt →
    # G1 = (1 + 2 + 2 + 3 + 1 + 3) / 6 = 2 → 100 × 2 ÷ 4 = 50 on 6 of 11 questions: enough basis.
    # The overall is the same 50: the same six questions, each once though shared with F1–F3.
    # F1 (G1.1: 1 of 10), F2 (G1.4–G1.6: 3 of the 10 beside G1.3) and F3 (G1.7–G1.8: 2 of 6)
    # have too little basis and are left out of the radar's polygon; the radar chart is drawn.
    go_to(page, "Resultat")
    check_results(page)
    shot(page, "05-resultat")

    # Prioritera (a unit's assessment): candidates are the levels under the target 3 – G1.1 (1),
    # G1.4 (2), G1.5 (2), G1.7 (1). Only G1.7 is the unit's own (verksamhet): ranked alone;
    # G1.1 and G1.4 (förvaltning) and G1.5 (huvudman) are listed apart for the leadership.
    go_to(page, "Prioritera")
    check_ranked(page)
    shot(page, "06-prioritera")

    go_to(page, "Hjälp", heading="Hjälp för dig som leder arbetet")
    shot(page, "07-hjalp")

    # The server stops and starts again on the same database and port; the page is reloaded
    # from its URL and finds everything that was shown as saved.
    port, pid = server.port, server.process.pid
    server.restart()
    assert (server.port, server.process.pid != pid) == (port, True)
    open_url(page, server.url("sjalvskattning", lang="sv", a=aid, p="p2"))
    expect(page.get_by_role("combobox", name="Vems svar matas in?")).to_have_value(BO)
    expect(page.get_by_text("Totalt besvarat: 8 av 59")).to_be_visible()
    for question, label in ANSWERS[BO].items():
        expect(answer_radio(page, question, label)).to_be_checked()
    expect(answer_radio(page, "G1.9", "0 – Saknas")).not_to_be_checked()
    expect(question_card(page, "G1.1").get_by_role("textbox")).to_have_value(COMMENT)
    shot(page, "08-omstart-sjalvskattning")
    select_participant(page, ANNA)
    for question, label in ANSWERS[ANNA].items():
        expect(answer_radio(page, question, label)).to_be_checked()

    go_to(page, "Samsyn")
    expect(answer_radio(page, "G1.1", "1 – Påbörjat")).to_be_checked()
    expect(question_card(page, "G1.1").get_by_role("textbox")).to_have_value(
        "Enades efter diskussion")
    go_to(page, "Resultat")
    check_results(page)
    shot(page, "09-omstart-resultat")
    go_to(page, "Prioritera")
    check_ranked(page)

    # A year later: a new assessment of the same unit, one participant answers G1.1–G1.8.
    go_to(page, "Start", heading="Självskattning – Agera för säker vård")
    fill_new_assessment(page)
    year = page.get_by_test_id("stDateInput").get_by_role("spinbutton", name="year, Datum")
    click(year)
    year.press("ArrowUp")  # the form's date, a year on
    follow_up_date = form_date(page)
    assert follow_up_date.year == first_date.year + 1, (first_date, follow_up_date)
    act(page, lambda: click(page.get_by_role("button", name="Skapa och börja skatta")),
        settle_ms=SETTLE_MS)
    expect(page).to_have_url(re.compile(r"/sjalvskattning\?.*\ba=[0-9a-f]+"))
    assert re.search(r"\ba=([0-9a-f]+)", page.url).group(1) != aid
    add_participant(page, "Cecilia", "Kvalitetsutvecklare")
    give_answers(page, FOLLOW_UP)
    expect(page.get_by_text("Totalt besvarat: 8 av 59")).to_be_visible()

    # Jämför: both assessments picked; over time, G1 has improved.
    go_to(page, "Jämför")
    check_comparison(page, first_date, follow_up_date)
    shot(page, "10-jamfor")


# --- the steps, as a user does them ------------------------------------------------------------

def open_url(page, url: str) -> None:
    page.goto(url)
    wait_idle(page, since=0)


def go_to(page, title: str, *, heading: str | None = None) -> None:
    """Follow the sidebar link to a page and wait for its title."""
    link = page.get_by_test_id("stSidebarNavLink").filter(has_text=title)
    act(page, lambda: click(link))
    expect(page.get_by_role("heading", name=heading or title, exact=True)).to_be_visible()


def shot(page, name: str) -> None:
    full_page_screenshot(page, SCREENSHOTS / f"{name}.png")


def add_participant(page, name: str, role: str) -> None:
    name_box = page.get_by_label("Namn", exact=True)
    participants = page.get_by_test_id("stExpander").filter(
        has=page.locator("summary", has_text="Deltagare"))
    # The participant list is open until someone is added; then it folds and is unfolded here
    # (its form is drawn only while it is open), and stays open for the next one.
    first = name_box.is_visible()
    if not first:
        act(page, lambda: click(participants.locator("summary")))
    expect(name_box).to_be_visible()
    name_box.fill(name)
    page.get_by_label("Roll (t.ex. MAS, enhetschef)").fill(role)
    add = page.get_by_role("button", name="Lägg till deltagare")
    act(page, lambda: click(add), settle_ms=SETTLE_MS)
    # The one just added is the one whose answers are entered next.
    expect(page.get_by_role("combobox", name="Vems svar matas in?")).to_have_value(f"{name} ({role})")
    if first:  # it folds after the first participant, so that the sheet comes first
        expect(name_box).to_be_hidden()


def fill_new_assessment(page) -> None:
    """Fill in the start page's form for Exempelby kommun – Hemsjukvården (not submitted)."""
    page.get_by_label("Organisation (t.ex. Exempelby kommun)").fill(ORGANISATION)
    choose(page, page.get_by_role("combobox", name="Typ av organisation"), "Kommun")
    page.get_by_label("Enhet eller verksamhet (valfritt)").fill(UNIT)
    choose(page, page.get_by_role("combobox", name="Frågebank"), BANK_TITLE)


def form_date(page) -> dt.date:
    """The date the start page's form holds (its date field keeps it in a hidden input)."""
    field = page.get_by_test_id("stDateInput").filter(has_text="Datum")
    return dt.date.fromisoformat(field.locator("input[type='date']").input_value())


def give_answers(page, answers: dict[str, str]) -> None:
    """Answer each question (id → the option's label) for the selected participant."""
    for question, label in answers.items():
        act(page, lambda: click(answer_option(page, question, label)))
        expect(answer_radio(page, question, label)).to_be_checked()
        expect(question_card(page, question).get_by_text("Sparat")).to_be_visible()


def select_participant(page, who: str) -> None:
    who_box = page.get_by_role("combobox", name="Vems svar matas in?")
    if who_box.input_value() != who:
        act(page, lambda: choose(page, who_box, who))
    expect(who_box).to_have_value(who)


def answer_group(page, question: str):
    """The question's levels: a radio group named by its question's text."""
    return question_card(page, question).get_by_role("radiogroup")


def answer_option(page, question: str, label: str):
    """The option's label on the answer sheet (what a user clicks)."""
    return question_card(page, question).locator("label.option").filter(
        has=page.get_by_text(label, exact=True))


def question_card(page, question: str):
    """The block of one question on the answer sheet."""
    return page.locator(f"section.question[data-question='{question}']")


def answer_radio(page, question: str, label: str):
    return answer_group(page, question).get_by_role("radio", name=label, exact=True)


def metric(page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def check_results(page) -> None:
    expect(page.get_by_role("heading", name="Resultat", exact=True)).to_be_visible()
    # 100 × mean of G1.1 1, G1.4 2, G1.5 2, G1.6 3, G1.7 1, G1.8 3 ÷ 4 = 100 × 2 ÷ 4 = 50
    expect(metric(page, "Totalpoäng (0–100)")).to_have_text("50")
    expect(metric(page, "Kunskapsluckor")).to_have_text("1")  # G1.2 (no question uncertain)
    expect(metric(page, "Deltagare")).to_have_text("2")
    radar = page.get_by_test_id("stVegaLiteChart").first
    expect(radar).to_have_class(re.compile(r"\bvega-embed\b"))
    drawing = radar.locator("canvas, svg.marks").first
    expect(drawing).to_be_visible()
    box = drawing.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200, box
    assert chart_is_drawn(drawing), "the radar chart is blank"
    if drawing.evaluate("e => e.tagName.toLowerCase()") == "svg":
        # One axis per area, the series in the legend, and the polygons layer drawn.
        labels = radar.locator(".area_labels_marks text").all_text_contents()
        assert labels == ["G1", "G2", "G3", "G4", "F1", "F2", "F3", "F4", "F5"], labels
        assert radar.locator(".role-legend-label text").all_text_contents() == ["Nuläge", "Mål"]
        shapes = radar.locator(".polygons_marks path").evaluate_all(
            "paths => paths.map(p => p.getAttribute('d') || '')")
        assert any(len(d) > 10 for d in shapes), shapes
    # The areas with a score on too little basis are named beside the radar, not drawn in it:
    # F1 1 of 10 questions with a level, F2 3 of 10 (G1.3 Ej aktuellt aside), F3 2 of 6; G1
    # (6 of 11) is drawn, and the unanswered areas have no score at all.
    expect(page.get_by_test_id("stMain").get_by_text(
        "Ritas inte i nuläget (för lite underlag, se tabellen): F1, F2, F3.", exact=True)
    ).to_be_visible()


def chart_is_drawn(drawing) -> bool:
    """An SVG with marks, or a canvas with more than one colour."""
    return drawing.evaluate("""e => {
        if (e.tagName.toLowerCase() === 'svg') return e.querySelectorAll('path, text').length > 10;
        const data = e.getContext('2d').getImageData(0, 0, e.width, e.height).data;
        for (let i = 4; i < data.length; i += 4) {
            if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return true;
        }
        return false;
    }""")


def check_ranked(page) -> None:
    """The unit's own list and the leadership's, worked out by hand (target 3, importance 2,
    effort not set: factor 1; breadth 1.25 where seed 001 tags the G1 activity with a focus
    area – G1.1, G1.4, G1.5 and G1.7 all are):

    G1.7 (verksamhet)  value 1:           (3 − 1) × 2 × 1.25 = 5   – the unit's list, alone
    G1.1 (förvaltning) value 1 (samsyn):  (3 − 1) × 2 × 1.25 = 5   – the leadership's, first
    G1.4 (förvaltning) value 2:           (3 − 2) × 2 × 1.25 = 2.5 – second
    G1.5 (huvudman)    value 2:           (3 − 2) × 2 × 1.25 = 2.5 – third (same score and gap
                                                                    as G1.4: the bank's order)
    G1.6 and G1.8 are at the target (3), G1.2 a knowledge gap (never ranked), G1.3 Ej aktuellt."""
    assert ((3 - 1) * 2 * 1.25, (3 - 2) * 2 * 1.25) == (5, 2.5)
    expect(page.get_by_role("heading", name="Föreslagna aktiviteter i prioritetsordning")).to_be_visible()
    ranked = page.locator("[class*='st-key-ranked'] table[role='grid']")
    rows = ranked.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td[aria-colindex='1']")).to_have_text("1")
    expect(rows.first.locator("td[aria-colindex='2']")).to_have_text("G1.7")
    expect(rows.first.locator("td[aria-colindex='4']")).to_contain_text(
        "Nuläget är 1 av 4 enligt 2 svar och målet är 3")

    heading = page.get_by_role("heading", name="För ledningen att besluta")
    expect(heading).to_be_visible()
    leadership = page.get_by_test_id("stElementContainer").filter(has=heading).locator(
        "xpath=following-sibling::*[.//*[@data-testid='stDataFrame']][1]"
    ).locator("table[role='grid'] tbody tr")
    expect(leadership).to_have_count(3)
    for rank, (question, why) in enumerate([
            ("G1.1", "Nuläget är 1 av 4 enligt gruppens samsyn och målet är 3"),
            ("G1.4", "Nuläget är 2 av 4 enligt 2 svar och målet är 3"),
            ("G1.5", "Nuläget är 2 av 4 enligt 2 svar och målet är 3")], start=1):
        row = leadership.nth(rank - 1)
        expect(row.locator("td[aria-colindex='1']")).to_have_text(str(rank))
        expect(row.locator("td[aria-colindex='2']")).to_have_text(question)
        expect(row.locator("td[aria-colindex='4']")).to_contain_text(why)
    expect(leadership.nth(0).locator("td[aria-colindex='4']")).to_contain_text(
        "beslutar förvaltningsledningen om den, inte enheten")
    expect(leadership.nth(2).locator("td[aria-colindex='4']")).to_contain_text(
        "beslutar nämnden eller huvudmannen om den, inte enheten")

    # G1.2 is not ranked: it is listed among the knowledge gaps (Ta reda på nuläget).
    expect(page.get_by_test_id("stMain").locator("strong").filter(
        has_text=re.compile(r"^G1\.2$"))).to_have_count(1)


def pick_saved(page, labels: list[str]) -> None:
    """Pick saved assessments in the Jämför page's multiselect, one after another."""
    picker = page.get_by_role("combobox", name="Sparade självskattningar att jämföra")
    for label in labels:
        click(picker)
        act(page, lambda: click(page.get_by_role("option", name=label, exact=True)))
    picker.press("Escape")
    for label in labels:
        expect(page.get_by_test_id("stMultiSelect").get_by_text(label, exact=True)).to_be_visible()


def grid_rows(frame) -> list[list[str]]:
    """A dataframe's header and rows as the grid's accessible table gives them."""
    table = frame.locator("table[role='grid']")
    expect(table.locator("td").first).to_be_attached()
    return [row.locator("th, td").all_text_contents() for row in table.locator("tr").all()]


def check_comparison(page, before: dt.date, after: dt.date) -> None:
    """Over time: both dates in the trend table and G1's change between them, worked out by
    hand from the answers given above (levels 0–4, score = 100 × mean level ÷ 4):

    G1 before: G1.1 agreed 1, G1.4 2, G1.5 2, G1.6 3, G1.7 1, G1.8 3; G1.2 a knowledge gap
               (2 Vet ej, no level), G1.3 Ej aktuellt → 12 / 6 = 2 (6 of 11 questions: enough)
    G1 after:  G1.1 3, G1.2 3, G1.3 4, G1.4 3, G1.5 2, G1.6 4, G1.7 3, G1.8 2
               → 24 / 8 = 3 (8 of 12: enough)
    → +1 level, 50 → 75 = +25 points: improved – on different questions with a level (6
    before, 8 after: G1.2 and G1.3 have one only after), which the verdict says.
    Per question (each once): G1.1 1 → 3, G1.4 2 → 3, G1.6 3 → 4, G1.7 1 → 3 improved (4);
    G1.5 2 → 2 unchanged (1); G1.8 3 → 2 worsened (1); G1.2 (Vet ej before), G1.3 (Ej aktuellt
    before) and the 51 unanswered questions cannot be compared: 59 − 6 = 53.
    The focus areas reached through the shared questions stay on too little basis (after: F1
    1 of 10, F2 4 of 11, F3 2 of 6); G2 is unanswered both times: it cannot be compared."""
    before_levels = [AGREED_G1_1] + [int(SAME[q][0]) for q in SAME]
    after_levels = [int(label[0]) for label in FOLLOW_UP.values()]
    mean_before = sum(before_levels) / len(before_levels)
    mean_after = sum(after_levels) / len(after_levels)
    score_before, score_after = 100 * mean_before / 4, 100 * mean_after / 4
    assert (before_levels, sum(after_levels), len(after_levels)) == ([1, 2, 2, 3, 1, 3], 24, 8)
    assert (mean_before, mean_after, score_before, score_after) == (2, 3, 50, 75)
    names = [f"{ORGANISATION} – {UNIT} · {d.isoformat()} · nationell-handlingsplan-2025"
             for d in (before, after)]
    pick_saved(page, names)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("2 självskattningar jämförs", exact=False)).to_be_visible()
    over_time = page.get_by_role("tabpanel", name="Över tid")
    expect(over_time).to_be_visible()
    expect(over_time.get_by_role("combobox", name="Jämför", exact=True)).to_have_value(
        f"{before.isoformat()} → {after.isoformat()}")
    expect(over_time.get_by_text(
        "Frågor: 4 förbättrade, 1 oförändrade, 1 försämrade, 53 kan inte jämföras")).to_be_visible()

    g1 = "G1 Engagerad ledning och tydlig styrning"
    areas = over_time.get_by_test_id("stDataFrame").filter(has_text="Förändring (poäng)")
    rows = grid_rows(areas)
    assert rows[0][:6] == ["Område", f"Nivå {before.isoformat()}", f"Nivå {after.isoformat()}",
                           "Förändring (nivåer)", "Förändring (poäng)", "Bedömning"], rows[0]
    assert rows[1][:6] == [g1, "2", "3", "+1,00", "+25",
                           "↑ förbättrat (inte samma frågor med nivå: 6 före, 8 efter)"], rows[1]
    assert rows[2][0].startswith("G2 ") and rows[2][5] == "kan inte jämföras", rows[2]

    # The trend chart is drawn, and its table has a column per date.
    trend = over_time.get_by_test_id("stVegaLiteChart").first
    expect(trend.locator("canvas, svg.marks").first).to_be_visible()
    table_fold = over_time.get_by_test_id("stExpander").first
    click(table_fold.locator("summary"))
    trend_rows = grid_rows(table_fold.get_by_test_id("stDataFrame"))
    assert trend_rows[0][:4] == ["Område", before.isoformat(), after.isoformat(),
                                 "Förändring, första till sista (poäng)"], trend_rows[0]
    assert trend_rows[1][:4] == [g1, "50", "75",
                                 "+25 (inte samma frågor med nivå: 6 före, 8 efter)"], trend_rows[1]
