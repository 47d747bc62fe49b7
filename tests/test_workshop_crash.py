"""Crash: SIGKILL the server and the participants' process while they answer.

A ``streamlit run`` server on 127.0.0.1 serves the app on an SQLite file (or a PostgreSQL
database, when a server is installed) while another process (the participants: 5 threads
answering through the participant-token API) writes to the same database and prints a line for every answer the store acknowledged. After about
60 acknowledged answers both processes are killed with SIGKILL, mid-transaction. After a
restart every acknowledged answer is there, the database is intact, and the workshop goes
on (the server answers, participants can answer again). Bounded: 60 s at most.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import selectors
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest

from sqlalchemy import create_engine, text

from assessment.bank import Audience
from assessment.bank_loader import load_banks
from assessment.document import Assessment
from assessment.storage import Store
from assessment.workshop.progress import area_questions
from tests.browser_support import REPO, StreamlitServer

pytestmark = pytest.mark.slow  # a server and a writer started and killed, per database

BANK = load_banks().get("nationell-handlingsplan-2025")
QUESTIONS = [q.id for _, qs in area_questions(BANK, Audience.kommun) for q in qs]
PARTICIPANTS = 5
KILL_AFTER = 60
LIMIT_S = 60
ACK = re.compile(r"ACK (\d+) (\S+) (\d+)\n")

WRITER = textwrap.dedent('''
    import sys, threading
    sys.path.insert(0, {repo!r})
    from assessment.storage import Store
    store = Store({url!r})
    tokens = {tokens!r}
    questions = {questions!r}
    out = threading.Lock()

    def answer(n):
        for i, q in enumerate(questions):
            value = (n + i) % 5
            store.answer_as_participant(tokens[n], q, value)
            with out:
                print("ACK", n, q, value, flush=True)

    threads = [threading.Thread(target=answer, args=(n,)) for n in range(len(tokens))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("DONE", flush=True)
''')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request, tmp_path) -> tuple[str, dict]:
    """(URL, the server's environment) for an SQLite file or a PostgreSQL database."""
    if request.param == "sqlite":
        db = tmp_path / "psa.sqlite3"
        return f"sqlite:///{db}", {"PSA_DB_PATH": str(db), "PSA_DATABASE_URL": None}
    url = request.getfixturevalue("postgres_url")
    return url, {"PSA_DATABASE_URL": url}


def test_sigkill_while_answering__every_acknowledged_answer_survives(database):
    url, server_env = database
    with Store(url) as store:
        aid = store.create_assessment(Assessment.model_validate({
            "bank": {"id": BANK.id, "version": BANK.version},
            "organisation": {"name": "Krasch kommun", "kind": "kommun", "unit": ""},
            "date": dt.date(2026, 3, 1),
        }))
        code, secret = store.open_workshop(aid)
        tokens = [store.join(code, f"Deltagare {n}", "") for n in range(PARTICIPANTS)]

    server = StreamlitServer(REPO / "app.py", env=server_env)
    server.start()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER.format(repo=str(REPO), url=url, tokens=tokens,
                                             questions=QUESTIONS)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    acked: list[tuple[int, str, int]] = []
    try:
        selector = selectors.DefaultSelector()
        selector.register(writer.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + LIMIT_S
        while len(acked) < KILL_AFTER and time.monotonic() < deadline:
            if not selector.select(timeout=1):
                assert writer.poll() is None, writer.stderr.read()
                continue
            line = writer.stdout.readline()
            found = ACK.fullmatch(line)
            assert found, line + writer.stderr.read()
            acked.append((int(found[1]), found[2], int(found[3])))
        assert len(acked) >= KILL_AFTER, "the participants did not get going in time"
        os.kill(writer.pid, signal.SIGKILL)
        server.kill()
        writer.wait(timeout=10)
        # Lines printed in full before the kill are acknowledged answers; a line the kill cut
        # short is not counted (its answer may or may not be there).
        for n, q, value in ACK.findall(writer.stdout.read()):
            acked.append((int(n), q, int(value)))
    finally:
        if writer.poll() is None:
            writer.kill()
        writer.wait(timeout=10)

    try:
        server.start()  # the same port and database
        with urllib.request.urlopen(f"{server.base_url}/_stcore/health", timeout=5) as response:
            assert response.read().strip() == b"ok"

        if url.startswith("sqlite"):
            engine = create_engine(url)
            try:
                with engine.connect() as conn:
                    assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            finally:
                engine.dispose()
        with Store(url) as store:
            views = [store.participant_view(t) for t in tokens]
            for n, q, value in acked:
                assert views[n].answers.get(q) == (value, ""), (n, q, value)
            # The workshop goes on: answering and the facilitator's view still work.
            store.answer_as_participant(tokens[0], QUESTIONS[-1], 4)
            progress = store.workshop_progress(store.workshop_for_secret(secret).id, secret)
            assert QUESTIONS[-1] in progress[0].answered
            assert sum(len(p.answered) for p in progress) >= len(acked)
    finally:
        server.stop()
