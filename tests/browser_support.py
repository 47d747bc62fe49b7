"""What the real-browser tests and the browser benchmark share: a ``streamlit run`` server on
127.0.0.1 that can be stopped and started again on the same port and database, Debian's
Chromium driven by Playwright, and ``wait_idle`` – the end of a Streamlit rerun as the page
shows it.

    with StreamlitServer(REPO / "app.py", env={"PSA_DB_PATH": str(db)}) as server:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page()
            watch_script_state(page)                  # before the first goto
            page.goto(server.url("sjalvskattning", a=aid))
            wait_idle(page, since=0)                  # the first run of the new document
            act(page, lambda: click(page.get_by_text("3 – Etablerat").first))
            server.restart()                          # same port, same database

Playwright never downloads a browser here: Chromium is Debian's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import datetime
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the server helpers work without Playwright
    PlaywrightTimeout = TimeoutError  # noqa: N816

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
HOST = "127.0.0.1"


def new_assessment(store, name: str) -> str:
    """A new assessment of the national bank (version 1) for a kommun, nobody in it yet, stored
    with ``store``; its id."""
    from assessment.document import Assessment

    return store.create_assessment(Assessment.model_validate({
        "bank": {"id": "nationell-handlingsplan-2025", "version": "1"},
        "organisation": {"name": name, "kind": "kommun", "unit": ""},
        "date": datetime.date(2026, 3, 1),
    }))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class ServerError(RuntimeError):
    pass


class StreamlitServer:
    """``streamlit run <script>`` on 127.0.0.1 and a free port, started and stopped on demand.

    The port is chosen once, so ``restart()`` brings the app back on the same address (the
    browser's URL stays valid). Output goes to a log file, shown in the error when the server
    does not come up."""

    def __init__(self, script: Path, *, env: dict[str, str | None] | None = None,
                 port: int | None = None, cwd: Path | None = None,
                 start_timeout: float = 30.0) -> None:
        self.script = Path(script)
        self.port = port or free_port()
        self.cwd = cwd or self.script.parent
        # ``env`` adds to this process's environment; a None value removes the variable.
        self.env = {k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None}
        self.start_timeout = start_timeout
        fd, log_path = tempfile.mkstemp(prefix="streamlit-", suffix=".log")
        os.close(fd)
        self.log_path = Path(log_path)
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def url(self, path: str = "", **query: str) -> str:
        q = urllib.parse.urlencode(query)
        return f"{self.base_url}/{path.lstrip('/')}" + (f"?{q}" if q else "")

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "streamlit", "run", str(self.script),
            "--server.headless", "true", "--server.port", str(self.port),
            "--server.address", HOST, "--browser.gatherUsageStats", "false",
            # Other people edit the sources while tests run: no "source changed" reruns.
            "--server.fileWatcherType", "none",
        ]

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            raise ServerError("the server is already running")
        log = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(self.command(), cwd=self.cwd, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        finally:
            log.close()
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        health = f"{self.base_url}/_stcore/health"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"streamlit exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(health, timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise ServerError(f"{health} did not answer within {self.start_timeout:.0f} s:\n{self.log()}")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server process (SIGTERM, then SIGKILL) and wait until the port is free."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
        self._wait_port_free(timeout)

    def _wait_port_free(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                if s.connect_ex((HOST, self.port)) != 0:
                    return
            time.sleep(0.05)
        raise ServerError(f"port {self.port} still in use {timeout:.0f} s after the server stopped")

    def kill(self, timeout: float = 10.0) -> None:
        """SIGKILL the server process, as a crash would (no shutdown of any kind), and wait
        until the port is free; ``start()`` brings it back on the same port."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.kill()
        process.wait(timeout=timeout)
        self._wait_port_free(timeout)

    def restart(self) -> None:
        """Stop the process and start a new one on the same port and database."""
        self.stop()
        self.start()

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def __enter__(self) -> StreamlitServer:
        self.start()
        return self

    def __exit__(self, exc_type, *_exc) -> None:
        self.stop()
        if exc_type is None:  # keep the log of a failed run for a look afterwards
            self.log_path.unlink(missing_ok=True)


def chromium_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} not found: install Debian's chromium package (scripts/test.sh does)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed: pip install -e '.[test]'"
    return None


def launch_chromium(playwright):
    """Debian's Chromium, headless; Playwright's own browser download is never used."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


# --- the end of a rerun ----------------------------------------------------------------------

APP = '[data-testid="stApp"]'

# Installed in every document of a watched page, before Streamlit's own code. Two views of the
# script runs, both timed with performance.now():
# - the DOM: every change of stApp's data-test-script-state, seen by a MutationObserver, so a
#   "running" shorter than Playwright's polling is still counted (__psaRuns, __psaRunningAt,
#   __psaIdleAt). React may fold a very short run into one render, so that "running" never
#   reaches the DOM at all (a bare one-widget page does this now and then); hence
# - the server's messages: the WebSocket frames are read as they arrive (the ForwardMsg's field
#   9, session_status_changed, with script_is_running true or false), so every run is counted
#   by its start and its end whatever the DOM showed (__psaStarted, __psaStartedAt,
#   __psaStopped, __psaStoppedAt). Streamlit's code sees the frames unchanged. A new connection
#   (the server restarted) leaves no run of the old one open.
_WATCH = r"""
(() => {
  if (window.__psaWatching) return;
  window.__psaWatching = true;
  Object.assign(window, {__psaRuns: 0, __psaRunningAt: 0, __psaIdleAt: 0, __psaLog: [],
                         __psaStarted: 0, __psaStartedAt: 0, __psaStopped: 0, __psaStoppedAt: 0});
  const APP = '[data-testid="stApp"]';
  const seen = new WeakSet();
  const record = (app) => {
    const state = app.getAttribute('data-test-script-state');
    const now = performance.now();
    window.__psaLog.push([state, now]);
    if (window.__psaLog.length > 200) window.__psaLog.shift();
    if (state === 'running') { window.__psaRuns += 1; window.__psaRunningAt = now; }
    if (state === 'notRunning') window.__psaIdleAt = now;
  };
  const attach = () => {
    const app = document.querySelector(APP);
    if (!app || seen.has(app)) return;
    seen.add(app);
    record(app);
    new MutationObserver(() => record(app))
      .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  };
  const start = () => {
    attach();
    new MutationObserver(attach).observe(document.documentElement, {childList: true, subtree: true});
  };
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);

  // Protocol buffers wire format, top level only: [field number, varint or bytes] pairs.
  const varint = (b, i) => {
    let v = 0, shift = 0, x;
    do { x = b[i++]; v += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80 && i < b.length);
    return [v, i];
  };
  const fields = (b) => {
    const out = [];
    let i = 0;
    while (i < b.length) {
      let tag, v;
      [tag, i] = varint(b, i);
      const wire = tag & 7, field = Math.floor(tag / 8);
      if (wire === 0) { [v, i] = varint(b, i); out.push([field, v]); }
      else if (wire === 2) { [v, i] = varint(b, i); out.push([field, b.subarray(i, i + v)]); i += v; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else break;
    }
    return out;
  };
  const SESSION_STATUS_CHANGED = 9, SCRIPT_IS_RUNNING = 2;
  const onFrame = (event) => {
    if (!(event.data instanceof ArrayBuffer)) return;
    const now = performance.now();
    try {
      for (const [field, value] of fields(new Uint8Array(event.data))) {
        if (field !== SESSION_STATUS_CHANGED || typeof value === 'number') continue;
        const running = fields(value).some(([f, v]) => f === SCRIPT_IS_RUNNING && v === 1);
        if (running) { window.__psaStarted += 1; window.__psaStartedAt = now; }
        else { window.__psaStopped += 1; window.__psaStoppedAt = now; }
      }
    } catch (e) { /* not a ForwardMsg */ }
  };
  const Native = window.WebSocket;
  if (Native && !Native.__psaWrapped) {
    const Watched = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', onFrame);
        this.addEventListener('open', () => { window.__psaStopped = window.__psaStarted; });
      }
    };
    Watched.__psaWrapped = true;
    window.WebSocket = Watched;
  }
})();
"""


def watch_script_state(page) -> None:
    """Watch the script runs in this page and every page it navigates to (call it before the
    first ``goto``: the WebSocket is watched from the moment it is opened)."""
    page.add_init_script(_WATCH)


def runs_seen(page) -> int:
    """How many script runs the page has seen start so far (0 without ``watch_script_state``)."""
    return page.evaluate("Math.max(window.__psaStarted || 0, window.__psaRuns || 0)")


_STATE = f"document.querySelector('{APP}')?.getAttribute('data-test-script-state')"
_IDLE = (f"{_STATE} === 'notRunning' && (window.__psaStopped || 0) >= (window.__psaStarted || 0)")


def wait_idle(page, *, since: int | None = None, appear_ms: float = 1500, settle_ms: float = 0,
              timeout_ms: float = 30_000) -> None:
    """Wait until the rerun an action started has finished.

    First wait briefly (``appear_ms``) for a rerun to start; a rerun that never shows is
    tolerated (not every action reruns). With ``watch_script_state`` installed a start is
    counted however short the run (pass ``since``, ``runs_seen(page)`` taken before the
    action, to wait for a run that started after that point). Then wait for
    ``data-test-script-state="notRunning"`` with every started run ended – held for
    ``settle_ms`` when the action may chain a second run (``st.rerun()``, ``st.switch_page()``)."""
    if page.evaluate("!!window.__psaWatching"):
        base = runs_seen(page) if since is None else since
        started = (f"Math.max(window.__psaStarted || 0, window.__psaRuns || 0) > {base}"
                   + (f" || {_STATE} === 'running'" if since is None else ""))
        try:
            page.wait_for_function(started, timeout=appear_ms, polling=20)
        except PlaywrightTimeout:  # the rerun did not happen
            pass
        last_end = "Math.max(window.__psaIdleAt, window.__psaStoppedAt)"
        quiet = f"performance.now() - {last_end} >= {settle_ms}" if settle_ms else "true"
        page.wait_for_function(f"({_IDLE}) && {quiet}", timeout=timeout_ms, polling=20)
        return
    try:
        page.wait_for_selector(f'{APP}[data-test-script-state="running"]', state="attached",
                               timeout=appear_ms)
    except PlaywrightTimeout:
        pass
    page.wait_for_selector(f'{APP}[data-test-script-state="notRunning"]', state="attached",
                           timeout=timeout_ms)
    if settle_ms:
        page.wait_for_timeout(settle_ms)
        page.wait_for_selector(f'{APP}[data-test-script-state="notRunning"]', state="attached",
                               timeout=timeout_ms)


def act(page, action, *, settle_ms: float = 0, timeout_ms: float = 30_000):
    """Do ``action()`` (a click, a fill …) and wait for the rerun it starts to finish."""
    before = runs_seen(page)
    result = action()
    wait_idle(page, since=before, settle_ms=settle_ms, timeout_ms=timeout_ms)
    return result


# --- acting on Streamlit widgets ---------------------------------------------------------------

def hold_still(locator, *, timeout_ms: float = 5000) -> None:
    """Scroll the element into view and wait until it stops moving: Streamlit's widgets
    (react-aria) drop a press that lands while the page is still scrolling."""
    locator.scroll_into_view_if_needed()
    page = locator.page
    deadline = time.monotonic() + timeout_ms / 1000
    last = None
    while time.monotonic() < deadline:
        box = locator.bounding_box()
        if box is not None and box == last:
            return
        last = box
        page.wait_for_timeout(60)


def click(locator) -> None:
    """Click a widget once it is in view and still."""
    hold_still(locator)
    locator.click()


def choose(page, combobox, option: str) -> bool:
    """Pick ``option`` in a Streamlit select box (a combobox); False when it was already chosen.
    Opens the list by click, and by the keyboard when a click does not open it."""
    if combobox.input_value() == option:
        return False
    hold_still(combobox)
    combobox.click()
    item = page.get_by_role("option", name=option, exact=True)
    for _ in range(2):
        try:
            item.wait_for(state="visible", timeout=1500)
            break
        except PlaywrightTimeout:
            combobox.press("ArrowDown")
    item.click()
    return True


def full_page_screenshot(page, path: Path) -> Path:
    """A screenshot of the whole page. Streamlit scrolls inside its main section rather than
    the document, so the viewport is stretched to the content for the shot and put back."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("""() => Math.max(
        ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
            .map(e => e.scrollHeight), document.documentElement.scrollHeight)""")
    if size and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12_000)})
        page.wait_for_timeout(250)
    try:
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        if size and height > size["height"]:
            page.set_viewport_size(size)
    return path
