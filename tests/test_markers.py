"""The markers the fast loop leaves out (README: `-m "not browser and not slow and not
install"`) are on the tests they name: every test that starts Chromium through a browser
fixture is marked ``browser`` by tests/conftest.py, marked by hand or not."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Modules whose browser tests take the fixture without a module-wide mark: the hook marks them.
UNMARKED_BY_HAND = ("tests/test_delta_browser.py", "tests/test_workshop_browser.py",
                    "tests/test_restart_clicks.py")


def collected(*args: str) -> list[str]:
    """The node ids pytest collects with these arguments (nothing is run)."""
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                           "-p", "no:cacheprovider", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 5), done.stdout + done.stderr  # 5: every test deselected
    return [line for line in done.stdout.splitlines() if "::" in line]


@pytest.mark.slow  # two pytest processes, each importing Playwright and the app
def test_browser_fixture__marks_the_test_browser__not_browser_leaves_it_out():
    marked = collected("-m", "browser", *UNMARKED_BY_HAND)
    assert any("test_delta_on_a_phone" in node for node in marked)
    assert any("test_workshop__two_participants" in node for node in marked)
    assert sum("test_server_killed_and_restarted" in node for node in marked) == 2
    assert collected("-m", "not browser", *UNMARKED_BY_HAND) == []


def test_markers__fast_loop_markers_registered():
    """Every marker the README's commands use is registered (pytest warns of any other)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = config["tool"]["pytest"]["ini_options"]["markers"]
    assert {"browser", "slow", "install", "postgres"} <= {m.split(":")[0] for m in markers}
