"""The workshop in a real browser: a facilitator and two participants in separate browser
contexts (Debian's Chromium, headless) against ``streamlit run`` on 127.0.0.1.

The facilitator opens a workshop; Anna and Bo join with the code on phone-sized screens and
answer G1.1 far apart; the facilitator's progress table shows them without a click; on
Samsyn their disagreement comes first. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt

import pytest

from assessment.document import Assessment
from assessment.storage import Store
from assessment.workshop import code_from_secret, display_code
from tests.browser_support import (
    REPO,
    StreamlitServer,
    act,
    click,
    full_page_screenshot,
    wait_idle,
    watch_script_state,
)

try:
    from playwright.sync_api import expect
except ImportError:  # chromium_missing_reason() says so
    pass

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
def seeded(tmp_path):
    db = tmp_path / "app.sqlite3"
    with Store(f"sqlite:///{db}") as store:
        aid = store.create_assessment(Assessment.model_validate({
            "bank": {"id": "nationell-handlingsplan-2025", "version": "1"},
            "organisation": {"name": "Exempelby kommun", "kind": "kommun", "unit": "Hemtjänst"},
            "date": dt.date(2026, 3, 1),
        }))
    env = {"PSA_DB_PATH": str(db), "PSA_DATABASE_URL": None}
    with StreamlitServer(REPO / "app.py", env=env, cwd=REPO) as server:
        yield server, aid


def new_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(20_000)
    watch_script_state(page)
    return page


def answer_group(page, question: str):
    """A question's levels on the participant's answer sheet."""
    return page.locator(f"section.question[data-question='{question}']").get_by_role("radiogroup")


def join_and_answer(browser, server, code: str, name: str, level: str):
    page = new_page(browser, PHONE)
    page.goto(server.url("delta", kod=code))
    wait_idle(page, since=0)
    page.get_by_label("Ditt namn").fill(name)
    act(page, lambda: click(page.get_by_role("button", name="Gå med")), settle_ms=300)
    group = answer_group(page, "G1.1")
    expect(group).to_be_visible()
    act(page, lambda: click(group.get_by_text(level, exact=True)))
    expect(page.get_by_text("Totalt besvarat: 1 av 59")).to_be_visible()
    full_page_screenshot(page, SCREENSHOTS / f"workshop-{name.lower()}.png")
    return page


def test_workshop__two_participants_answer__facilitator_sees_progress_and_disagreement(browser, seeded):
    server, aid = seeded
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    facilitator = new_page(browser, LAPTOP)
    try:
        facilitator.goto(server.url("workshop", a=aid))
        wait_idle(facilitator, since=0)
        act(facilitator, lambda: click(facilitator.get_by_role("button", name="Öppna workshop")),
            settle_ms=300)
        expect(facilitator.get_by_text("Ingen har gått med ännu.")).to_be_visible()
        assert "f=" not in facilitator.url  # the facilitator key is not left in the address
        # The bookmark link is behind a click; the code is the key's.
        behind = facilitator.get_by_text("Din ledarlänk (visa den inte för gruppen)")
        act(facilitator, lambda: click(behind))
        bookmark = facilitator.get_by_text("/workshop?f=").first.inner_text()
        code = code_from_secret(bookmark.split("f=", 1)[1].split("&", 1)[0].strip())
        expect(facilitator.get_by_role("heading", name=display_code(code))).to_be_visible()

        anna = join_and_answer(browser, server, code, "Anna", "0 – Saknas")
        bo = join_and_answer(browser, server, code, "Bo", "4 – Integrerat och lärande")
        # Bo sees only his own answer.
        expect(answer_group(bo, "G1.1")
               .get_by_role("radio", name="4 – Integrerat och lärande")).to_be_checked()

        # No click on the facilitator's page: the table refreshes by itself.
        table = facilitator.get_by_test_id("stTable")
        for name in ("Anna", "Bo"):
            expect(table.locator("tr", has_text=name)).to_contain_text("1/59", timeout=15_000)
        full_page_screenshot(facilitator, SCREENSHOTS / "workshop-facilitator.png")

        act(facilitator, lambda: click(facilitator.get_by_role("button", name="Gå vidare till samsyn")),
            settle_ms=300)
        expect(facilitator.get_by_role("heading", name="Samsyn", exact=True)).to_be_visible()
        expect(facilitator.get_by_text("Oenighet: 4 nivåer isär").first).to_be_visible()
        full_page_screenshot(facilitator, SCREENSHOTS / "workshop-samsyn.png")

        # The participants' pages say answering has moved on, after their next run.
        anna.reload()
        wait_idle(anna, since=0)
        expect(anna.get_by_text("Gruppen har gått vidare till samsyn.")).to_be_visible()
    except BaseException:
        full_page_screenshot(facilitator, SCREENSHOTS / "workshop-failure.png")
        raise
