"""Shared test set-up: the PostgreSQL server fixture (started on loopback when installed) and
Debian's Chromium for the browser tests."""

import os

import pytest

pytest_plugins = ["tests.conftest_postgres"]

# The fixtures that start Chromium: a test that uses one, directly or through another
# fixture, is marked ``browser`` (so `-m "not browser"` leaves out every such test).
BROWSER_FIXTURES = ("browser",)


def pytest_collection_modifyitems(config, items):
    """Mark ``browser`` every test whose fixtures (their closure) include a browser fixture."""
    for item in items:
        if any(name in getattr(item, "fixturenames", ()) for name in BROWSER_FIXTURES):
            if item.get_closest_marker("browser") is None:
                item.add_marker(pytest.mark.browser)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """The URL of a new, empty database of each kind (the SQLite file in a folder that does
    not exist yet)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'psa.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(db_url):
    """A ``Store`` on each kind of database (pages' tests define a ``store`` of their own)."""
    from assessment.storage import Store

    with Store(db_url) as opened:
        yield opened


@pytest.fixture
def app_store(tmp_path, monkeypatch):
    """An empty SQLite database that the app (and the test) opens through ``PSA_DB_PATH``;
    the pages' tests use it as their ``store``."""
    from app_pages import context
    from assessment.storage import Store

    monkeypatch.setenv("PSA_DB_PATH", str(tmp_path / "app.sqlite3"))
    monkeypatch.delenv("PSA_DATABASE_URL", raising=False)
    context._store.clear()  # the app caches its Store per process: make it open this database
    with Store.from_env() as opened:
        yield opened
    context._store.clear()


@pytest.fixture
def script_runs(monkeypatch) -> list[int]:
    """The app's script runs, counted (``frame.run`` starts each with ``context.begin_run``):
    clear it before an action, and a page that draws the action's result in the run the action
    started leaves one."""
    from app_pages import context

    counted: list[int] = []
    begin = context.begin_run

    def counting() -> None:
        counted.append(1)
        begin()

    monkeypatch.setattr(context, "begin_run", counting)
    return counted


@pytest.fixture
def browser():
    """Headless Chromium (Debian's /usr/bin/chromium) through Playwright; skipped when it is
    not installed, except in CI, where the browser tests must run."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import chromium_missing_reason, launch_chromium

    reason = chromium_missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the browser test: {reason}")
        pytest.skip(reason)
    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        try:
            yield chromium
        finally:
            chromium.close()
