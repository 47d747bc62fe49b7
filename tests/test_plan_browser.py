"""The action plan's "+" row in a real Chromium (issue 26, "No input vanishes"): a row added with
the data grid's "+" and only an action typed is saved, as a local action, and is still there
after a reload. While the activity and the action were required cells the grid kept such a
row in the browser (a corner triangle), never sent it, and a reload lost it."""

from __future__ import annotations

import pytest

from assessment.storage import Store
from tests.browser_support import (REPO, StreamlitServer, act, new_assessment, wait_idle,
                                   watch_script_state)
from tests.test_browser_e2e import grid_rows

try:
    from playwright.sync_api import expect
except ImportError:  # the browser tests are skipped without Playwright
    expect = None

pytestmark = pytest.mark.browser


def test_plan__plus_row_with_only_an_action__saved_as_a_local_action(browser, tmp_path):
    db = tmp_path / "app.sqlite3"
    with Store(f"sqlite:///{db}") as store:
        aid = new_assessment(store, "Exempelby kommun")
    env = {"PSA_DB_PATH": str(db), "PSA_DATABASE_URL": None}
    with StreamlitServer(REPO / "app.py", env=env, cwd=REPO) as server:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
        page = context.new_page()
        page.set_default_timeout(20_000)
        watch_script_state(page)
        page.goto(server.url("prioritera", a=aid))
        wait_idle(page, since=0)
        plan = page.get_by_test_id("stDataFrame").last  # the plan's editor, empty
        plan.scroll_into_view_if_needed()
        plan.hover()
        act(page, lambda: page.get_by_role("button", name="Add row").last.click())
        # The new row is the last: select its first cell, then go right to Åtgärd (activity,
        # its text, goal, action) and type there.
        box = plan.bounding_box()
        page.mouse.click(box["x"] + 60, box["y"] + box["height"] - 18)
        page.wait_for_timeout(300)  # the cell's editor opens, and Escape closes it
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")  # opens the cell's editor
        page.wait_for_timeout(300)
        page.keyboard.type("Nytt larmsystem", delay=20)
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        # Leaving the grid sends its edits.
        act(page, lambda: page.mouse.click(box["x"] - 60, box["y"] - 150), settle_ms=500)

        with Store(f"sqlite:///{db}") as store:
            assert [(a.activity, a.title, a.status.value) for a in store.load(aid).actions] == [
                (None, "Nytt larmsystem", "planerad")]
        page.reload()
        wait_idle(page, since=0)
        rows = grid_rows(page.get_by_test_id("stDataFrame").last)
        assert rows[0][:4] == ["Aktivitet (id)", "Aktivitet i handlingsplanen", "Mål", "Åtgärd"]
        assert rows[1][:4] == ["", "Lokal åtgärd", "", "Nytt larmsystem"]
        expect(page.get_by_text("Nytt larmsystem · planerad")).to_be_visible()
        context.close()
