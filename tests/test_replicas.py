"""Issue 16, part 2: several replicas behind a real reverse proxy (docs/deploy.md).

One PostgreSQL server (``postgres_url``), two ``streamlit run`` replicas on the same database,
and Debian's nginx on loopback with deploy/nginx.conf (sticky sessions by the ``psa_route``
cookie, WebSocket upgrade). In Chromium, through the proxy only: the facilitator opens a
workshop, three participants join with the link the facilitator's page shows and answer, one
of them on each replica for certain (their route cookie chosen so) and one wherever the proxy
sends a new browser. nginx's access log (which replica served each request, and the route key)
shows that every browser stayed on one replica for all its requests, WebSocket included, and
that both replicas served participants; the database holds every answer. Then wrong join
codes through both replicas count against one per-address limit, and (issue 26.3) after 100
and after 300 wrong codes from the address the room still joins by the link, and a typed
right code is accepted after the facilitator's lift.

nginx is started as ``nginx -p <tmp> -c <conf> -g 'daemon off;'``; without it the test is
skipped (``scripts/test.sh`` installs Debian's nginx). nginx connects to the replicas from
127.0.0.2 (``proxy_bind``), so the address the app counts can only have come from the
``X-Forwarded-For`` header the proxy sets (``PSA_CLIENT_ADDRESS_HEADER``).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from assessment.storage import Store
from assessment.storage.join_limits import _key
from assessment.storage import TooManyAttempts
from assessment.workshop import JoinLimits, code_from_secret
from tests.browser_support import (
    HOST,
    REPO,
    StreamlitServer,
    act,
    click,
    free_port,
    new_assessment,
    wait_idle,
)
from tests.test_workshop_browser import LAPTOP, PHONE, answer_group, new_page

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips
    pass

NGINX_CONF = REPO / "deploy" / "nginx.conf"
PLACEHOLDERS = ("PSA_LISTEN", "PSA_APP_1", "PSA_APP_2", "PSA_ACCESS_LOG")
PROXY_SOURCE = "127.0.0.2"  # nginx's own address towards the replicas
TIME_LIMIT_S = 180
LIMITS = JoinLimits()  # the app's (app_pages/join.py)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def render_template(**values: str) -> str:
    """deploy/nginx.conf with its placeholders filled in (as envsubst would)."""
    conf = NGINX_CONF.read_text()
    for name in PLACEHOLDERS:
        conf = conf.replace("${" + name + "}", values[name])
    assert "${" not in conf, "a placeholder of deploy/nginx.conf was not filled in"
    return conf


class Nginx:
    """Debian's nginx on 127.0.0.1 in front of ``upstreams``: deploy/nginx.conf wrapped in a main
    configuration that keeps everything (pid, logs, temporary files) in a folder of its own."""

    def __init__(self, binary: str, upstreams: tuple[str, str]) -> None:
        self.binary = binary
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="psa-nginx-"))
        self.access_log = self.dir / "access.log"
        (self.dir / "psa.conf").write_text(render_template(
            PSA_LISTEN=f"{HOST}:{self.port}", PSA_APP_1=upstreams[0], PSA_APP_2=upstreams[1],
            PSA_ACCESS_LOG=str(self.access_log)))
        temp = "\n".join(f"    {kind}_temp_path {self.dir / kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        user = "user root root;\n" if os.geteuid() == 0 else ""  # the folder is root's alone
        (self.dir / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {self.dir / 'nginx.pid'};\n"
            f"error_log {self.dir / 'error.log'} info;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n{temp}\n    proxy_bind {PROXY_SOURCE};\n"
            f"    include {self.dir / 'psa.conf'};\n}}\n")
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def start(self, timeout: float = 10.0) -> None:
        command = [self.binary, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf"),
                   "-e", str(self.dir / "error.log"), "-g", "daemon off;"]
        check = subprocess.run(command[:-2] + ["-t"], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, f"nginx -t: {check.stderr}"
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"nginx exited: {self.error_log()}"
            with socket.socket() as s:
                if s.connect_ex((HOST, self.port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError(f"nginx did not listen on {self.port}: {self.error_log()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def error_log(self) -> str:
        path = self.dir / "error.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def requests(self) -> list[dict[str, str]]:
        """The access log: method, path, status, upstream and route of every request."""
        if not self.access_log.exists():
            return []
        pattern = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) '
                             r'upstream=(?P<upstream>.*?) route=(?P<route>\S+)')
        return [m.groupdict() for line in self.access_log.read_text().splitlines()
                if (m := pattern.search(line))]

    def upstream_of(self, route: str, timeout: float = 5.0) -> str:
        """The replica that served the request with ``route`` (nginx logs a request just after
        its response has gone out: wait for the line)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [r["upstream"] for r in self.requests() if r["route"] == route]
            if found:
                return found[0]
            time.sleep(0.02)
        raise AssertionError(f"no request with the route key {route} in the access log")


def route_keys(proxy: Nginx, upstreams: tuple[str, str]) -> dict[str, str]:
    """A route cookie value for each upstream: health checks with made-up keys, each sent to the
    replica its key hashes to, read back from the access log."""
    found: dict[str, str] = {}
    for n in range(64):
        key = f"probe-{n}-{secrets.token_hex(4)}"
        request = urllib.request.Request(proxy.url("_stcore/health"),
                                         headers={"Cookie": f"psa_route={key}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.read() == b"ok"
            assert "psa_route" not in (response.headers.get("Set-Cookie") or "")  # kept, not new
        found.setdefault(proxy.upstream_of(key), key)
        if len(found) == len(upstreams):
            return found
    raise AssertionError(f"64 route keys all went to {set(found)}")


@pytest.fixture
def deployment(postgres_url):
    binary = nginx_binary()
    if binary is None:
        reason = "nginx not found: install Debian's nginx package (scripts/test.sh does)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the replica test: {reason}")
        pytest.skip(reason)
    with Store(postgres_url) as store:  # the schema made once, before the replicas open it
        aid = new_assessment(store, "Replikby kommun")
    ports = (free_port(), free_port())
    upstreams = tuple(f"{HOST}:{p}" for p in ports)
    proxy = Nginx(binary, upstreams)
    env = {"PSA_DATABASE_URL": postgres_url, "PSA_DB_PATH": None,
           "PSA_PUBLIC_URL": proxy.base_url, "PSA_CLIENT_ADDRESS_HEADER": "X-Forwarded-For",
           "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    replicas = [StreamlitServer(REPO / "app.py", env=env, cwd=REPO, port=p, start_timeout=60)
                for p in ports]
    starting = [threading.Thread(target=r.start) for r in replicas]  # both at once
    for thread in starting:
        thread.start()
    for thread in starting:
        thread.join()
    try:
        for replica in replicas:
            assert replica.process is not None and replica.process.poll() is None, replica.log()
        proxy.start()
        yield proxy, upstreams, postgres_url, aid
    finally:
        proxy.stop()
        for replica in replicas:
            replica.stop()
        shutil.rmtree(proxy.dir, ignore_errors=True)


def phone(browser, proxy: Nginx, route: str | None):
    """A participant's page; with ``route``, its browser already has that route cookie."""
    page = new_page(browser, PHONE)
    if route:
        page.context.add_cookies([{"name": "psa_route", "value": route, "url": proxy.base_url}])
    return page


def join_and_answer(page, link: str, name: str, levels: dict[str, str]) -> None:
    page.goto(link)
    wait_idle(page, since=0)
    page.get_by_label("Ditt namn").fill(name)
    act(page, lambda: click(page.get_by_role("button", name="Gå med")), settle_ms=300)
    for question, level in levels.items():
        group = answer_group(page, question)
        expect(group).to_be_visible()
        act(page, lambda: click(group.get_by_text(level, exact=True)))
    expect(page.get_by_text(f"Totalt besvarat: {len(levels)} av 59")).to_be_visible()


def route_of(page) -> str:
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "psa_route"]
    return cookie["value"]


def wait_for_websockets(proxy: Nginx, routes: list[str], timeout: float = 10.0) -> None:
    """nginx logs a WebSocket when it closes: wait until every route's is in the log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        upgraded = {r["route"] for r in proxy.requests()
                    if r["path"].startswith("/_stcore/stream") and r["status"] == "101"}
        if set(routes) <= upgraded:
            return
        time.sleep(0.1)
    raise AssertionError(f"no WebSocket logged for {set(routes) - upgraded}")


def client_attempts(conn, client: str) -> int:
    """The typed codes counted for ``client`` (refused ones are kept, not counted)."""
    return conn.execute(text("SELECT count(*) FROM join_attempts WHERE client = :c "
                             "AND kind = 'code' AND NOT refused"),
                        {"c": _key("client", client)}).scalar_one()


def typed_code_accepted(browser, proxy: Nginx, code: str) -> bool:
    """A new phone opens ``/delta?kod=CODE`` (the code typed): the name form, or refused."""
    page = phone(browser, proxy, None)
    page.goto(proxy.url(f"delta?kod={code}"))
    wait_idle(page, since=0)
    accepted, refused = page.get_by_label("Ditt namn"), page.get_by_text("För många felaktiga")
    expect(accepted.or_(refused)).to_be_visible()
    found = accepted.is_visible()
    page.context.close()
    return found


@pytest.mark.browser
@pytest.mark.postgres
def test_two_replicas_behind_nginx__workshop_sticky_on_both__wrong_codes_counted_together(
        browser, deployment):
    started = time.monotonic()
    proxy, upstreams, db_url, aid = deployment
    keys = route_keys(proxy, upstreams)  # a route cookie for each replica

    # The facilitator: a new browser, so nginx picks its replica and sets its cookie.
    facilitator = new_page(browser, LAPTOP)
    facilitator.goto(proxy.url(f"workshop?a={aid}"))
    wait_idle(facilitator, since=0)
    act(facilitator, lambda: click(facilitator.get_by_role("button", name="Öppna workshop")),
        settle_ms=300)
    expect(facilitator.get_by_text("Ingen har gått med ännu.")).to_be_visible()
    shown = facilitator.get_by_test_id("stCode").filter(has_text="/delta?l=")
    expect(shown).to_be_visible()
    link = shown.inner_text().strip()
    assert link.startswith(proxy.base_url + "/delta?l=")  # PSA_PUBLIC_URL: the proxy's address
    click(facilitator.get_by_text("Din ledarlänk (visa den inte för gruppen)"))
    bookmark = facilitator.get_by_test_id("stCode").filter(has_text="/workshop?f=")
    expect(bookmark).to_be_visible()
    secret = bookmark.inner_text().strip().rsplit("?f=", 1)[1]
    code = code_from_secret(secret)
    expect(facilitator.get_by_role("img", name=re.compile("QR"))).to_be_visible()

    people = {  # name: (route cookie, answers)
        "Anna": (keys[upstreams[0]], {"G1.1": "0 – Saknas", "G1.2": "1 – Påbörjat"}),
        "Bo": (keys[upstreams[1]], {"G1.1": "4 – Integrerat och lärande", "G1.2": "3 – Etablerat"}),
        "Cleo": (None, {"G1.1": "3 – Etablerat"}),  # a new browser, wherever nginx sends it
    }
    pages = {}
    for name, (route, levels) in people.items():
        pages[name] = phone(browser, proxy, route)
        join_and_answer(pages[name], link, name, levels)

    # The facilitator's replica sees every participant's answers, from both replicas.
    table = facilitator.get_by_test_id("stTable")
    for name, (_, levels) in people.items():
        expect(table.locator("tr", has_text=name)).to_contain_text(f"{len(levels)}/59",
                                                                   timeout=15_000)

    routes = {"facilitator": route_of(facilitator)} | {n: route_of(p) for n, p in pages.items()}
    assert re.fullmatch(r"[0-9a-f]{32}", routes["facilitator"])  # nginx's new random key
    assert re.fullmatch(r"[0-9a-f]{32}", routes["Cleo"])
    for page in [facilitator, *pages.values()]:
        page.context.close()  # closes the WebSockets, which nginx then logs
    wait_for_websockets(proxy, list(routes.values()))

    # Every browser stayed on one replica: its page, scripts, media (the QR code) and WebSocket.
    served: dict[str, set[str]] = defaultdict(set)
    paths: dict[str, set[str]] = defaultdict(set)
    for request in proxy.requests():
        served[request["route"]].add(request["upstream"])
        paths[request["route"]].add(request["path"].split("?")[0])
    replica_of = {}
    for who, route in routes.items():
        assert len(served[route]) == 1 and served[route] <= set(upstreams), (who, served[route])
        replica_of[who] = next(iter(served[route]))
    assert "/_stcore/stream" in paths[routes["facilitator"]]
    assert any(p.startswith("/media/") for p in paths[routes["facilitator"]])  # the QR code
    assert {replica_of[n] for n in people} == set(upstreams)  # participants on both replicas
    assert replica_of["Anna"] == upstreams[0] and replica_of["Bo"] == upstreams[1]

    # Every answer is in the database.
    with Store(db_url) as store:
        saved = store.load(aid)
    by_id = {p.id: p.name for p in saved.participants}
    answered = {(by_id[a.participant], a.question, a.value) for a in saved.answers}
    expected = {(name, q, int(level[0])) for name, (_, levels) in people.items()
                for q, level in levels.items()}
    assert answered == expected, answered

    # Wrong codes: one limit per client address across the replicas. Earlier attempts from
    # the same address fill it but for six; three wrong codes on each replica fill it.
    with Store(db_url) as store:
        for n in range(LIMITS.client - 6):
            store.check_join_code("ZZZZZZ", "127.0.0.1", f"earlier {n}", LIMITS)
    wrong = {upstream: phone(browser, proxy, keys[upstream]) for upstream in upstreams}
    for _round in range(3):
        for page in wrong.values():  # each load is a new Streamlit session: a new session stream
            page.goto(proxy.url("delta?kod=ZZZZZZ"))
            wait_idle(page, since=0)
            expect(page.get_by_text("Koden finns inte")).to_be_visible()
    with Store(db_url) as store, store._engine.connect() as conn:
        counted = client_attempts(conn, "127.0.0.1")
        assert counted == LIMITS.client
        # Counted by the browser's address from X-Forwarded-For, not by the proxy's.
        assert client_attempts(conn, PROXY_SOURCE) == 0 and client_attempts(conn, "unknown") == 0
        assert store.join_wait("127.0.0.1", "a new session", LIMITS) > 0
    for page in wrong.values():  # the next wrong code is refused on either replica
        page.goto(proxy.url("delta?kod=ZZZZZZ"))
        wait_idle(page, since=0)
        expect(page.get_by_text("För många felaktiga försök")).to_be_visible()
    for page in wrong.values():
        page.context.close()
    with Store(db_url) as store, store._engine.connect() as conn:
        assert client_attempts(conn, "127.0.0.1") == LIMITS.client  # refused ones not counted
    wrong_served = {r["upstream"] for r in proxy.requests()
                    if r["route"] in {keys[u] for u in upstreams} and r["path"].startswith("/delta")}
    assert wrong_served == set(upstreams)

    # Issue 26.3: 100 wrong codes from the address: the room joins by the link (never counted
    # as a typed code); a typed right code waits for the facilitator's lift.
    measured = {}
    join_and_answer(phone(browser, proxy, None), link, "Dora", {"G1.1": "3 – Etablerat"})
    measured["100: link"] = "accepted"
    assert not typed_code_accepted(browser, proxy, code)
    # 200 more from 40 more browsers on the address: 300, every one refused.
    with Store(db_url) as store:
        refused = 0
        for n in range(40):
            for _ in range(5):
                try:
                    store.check_join_code("ZZZZZZ", "127.0.0.1", f"attacker {n}", LIMITS)
                except TooManyAttempts:
                    refused += 1
    assert refused == 200
    join_and_answer(phone(browser, proxy, None), link, "Eva", {"G1.1": "3 – Etablerat"})
    measured["300: link"] = "accepted"
    assert not typed_code_accepted(browser, proxy, code)
    # The facilitator lifts the lock from the room's address (their page on either replica):
    # refused were 2 page loads above, 2 typed right codes and the 200: 204.
    lifting = new_page(browser, LAPTOP)
    lifting.goto(proxy.url(f"workshop?f={secret}"))
    wait_idle(lifting, since=0)
    lift = lifting.get_by_role("button", name="Häv spärren för felaktiga koder")
    act(lifting, lambda: click(lift), settle_ms=300)
    expect(lifting.get_by_text("Spärren är hävd för din nätverksadress. 204 försök från den "
                               "hade nekats sedan förra gången.")).to_be_visible()
    lifting.context.close()
    join_and_answer(phone(browser, proxy, None), proxy.url(f"delta?kod={code}"), "Fia",
                    {"G1.1": "3 – Etablerat"})
    measured["300: typed after the lift"] = "accepted"
    with Store(db_url) as store:
        names = {p.name for p in store.load(aid).participants}
    assert {"Dora", "Eva", "Fia"} <= names

    elapsed = time.monotonic() - started
    print(f"answers saved: {len(answered)}; replicas: {replica_of}; "
          f"wrong codes counted for 127.0.0.1: {counted}/{LIMITS.client}; "
          f"after wrong codes: {measured}; {elapsed:.0f} s")
    assert elapsed < TIME_LIMIT_S


def test_compose_and_image__the_tested_proxy_configuration(tmp_path):
    """compose.yaml runs what the test above runs (docker is not run here): nginx with
    deploy/nginx.conf, its placeholders filled in by the nginx image's envsubst of every
    environment variable, in front of two replicas of the Dockerfile's image on one
    PostgreSQL database, each with the health check and the proxy's client-address header."""
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    services = compose["services"]
    proxy = services["proxy"]
    assert set(proxy["environment"]) == set(PLACEHOLDERS)
    assert "./deploy/nginx.conf:/etc/nginx/templates/default.conf.template:ro" in proxy["volumes"]
    replicas = [services[name] for name in ("app1", "app2")]
    assert replicas[0] == replicas[1] and replicas[0]["build"] == "."
    assert {f"{name}:8501" for name in ("app1", "app2")} == {
        proxy["environment"]["PSA_APP_1"], proxy["environment"]["PSA_APP_2"]}
    env = replicas[0]["environment"]
    assert env["PSA_DATABASE_URL"].startswith("postgresql+psycopg://") and "@db:5432/" in env["PSA_DATABASE_URL"]
    conf = NGINX_CONF.read_text()
    assert f"proxy_set_header {env['PSA_CLIENT_ADDRESS_HEADER']} $remote_addr;" in conf
    dockerfile = (REPO / "Dockerfile").read_text()
    probe = "urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2)"
    assert probe in " ".join(replicas[0]["healthcheck"]["test"]) and probe in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert '"--server.address", "0.0.0.0", "--server.port", "8501"' in dockerfile

    # As the image's entrypoint does it: envsubst of every defined variable leaves nginx's
    # own $variables alone and gives what the test above runs.
    envsubst = shutil.which("envsubst")
    if envsubst is None:
        pytest.skip("envsubst not found (Debian's gettext-base)")
    values = {k: str(v) for k, v in proxy["environment"].items()}
    filled = subprocess.run([envsubst, " ".join(f"${{{n}}}" for n in {**os.environ, **values})],
                            input=conf, env={**os.environ, **values}, capture_output=True,
                            text=True, check=True).stdout
    assert filled == render_template(**values)
