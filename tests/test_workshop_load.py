"""Load: 30 participants answer the whole national bank at once in one workshop.

In-process only (threads against the real store, no network), bounded in count (30 × 59
answers) and in time (each participant stops at a deadline and the test then fails).
Runs against SQLite and, when installed, PostgreSQL. Prints answers per second and the
p95 write latency (``pytest -s`` shows them).
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, text

from assessment.bank import Audience
from assessment.bank_loader import load_banks
from assessment.document import Assessment
from assessment.storage import Store
from assessment.workshop.progress import area_questions

pytestmark = pytest.mark.slow  # 30 participants answering every question, per database

PARTICIPANTS = 30
DEADLINE_S = 120
BANK = load_banks().get("nationell-handlingsplan-2025")
# Each question once (a shared question stands in two areas).
QUESTIONS = list(dict.fromkeys(q.id for _, qs in area_questions(BANK, Audience.kommun) for q in qs))


def value_for(participant: int, question: str):
    """A deterministic answer, so the stored one can be checked."""
    choice = (participant * 7 + sum(map(ord, question))) % 7
    return {5: "unknown", 6: "na"}.get(choice, choice)


def test_load__30_participants_answer_all_59_questions__every_answer_once(db_url):
    assert len(QUESTIONS) == 59
    with Store(db_url) as store:
        aid = store.create_assessment(Assessment.model_validate({
            "bank": {"id": BANK.id, "version": BANK.version},
            "organisation": {"name": "Lasttest kommun", "kind": "kommun", "unit": ""},
            "date": "2026-03-01",
        }))
        code, secret = store.open_workshop(aid)
        wid = store.workshop_for_secret(secret).id
        deadline = time.monotonic() + DEADLINE_S
        start = threading.Barrier(PARTICIPANTS)
        latencies: list[float] = []
        lock = threading.Lock()

        def participant(n: int) -> tuple[str, int]:
            token = store.join(code, f"Deltagare {n}", "")
            order = QUESTIONS[:]
            random.Random(n).shuffle(order)
            mine = []
            start.wait(timeout=60)
            for question in order:
                if time.monotonic() > deadline:
                    break
                began = time.perf_counter()
                store.answer_as_participant(token, question, value_for(n, question))
                mine.append(time.perf_counter() - began)
            with lock:
                latencies.extend(mine)
            return token, len(mine)

        began = time.perf_counter()
        with ThreadPoolExecutor(PARTICIPANTS) as pool:
            results = list(pool.map(participant, range(PARTICIPANTS)))  # re-raises any error
        elapsed = time.perf_counter() - began

        assert [count for _, count in results] == [len(QUESTIONS)] * PARTICIPANTS, "deadline hit"
        for n, (token, _) in enumerate(results):
            view = store.participant_view(token)
            assert view.answers == {q: (value_for(n, q), "") for q in QUESTIONS}
        progress = store.workshop_progress(wid, secret)
        assert len(progress) == PARTICIPANTS
        assert all(p.answered == frozenset(QUESTIONS) for p in progress)

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            total, distinct = conn.execute(text(
                "SELECT COUNT(*), COUNT(DISTINCT participant_id || '|' || question_id) "
                "FROM answers WHERE assessment_id = :aid"), {"aid": aid}).one()
            seqs = conn.execute(text(
                "SELECT COUNT(DISTINCT seq) FROM answers WHERE assessment_id = :aid"),
                {"aid": aid}).scalar()
    finally:
        engine.dispose()
    assert total == distinct == seqs == PARTICIPANTS * len(QUESTIONS)

    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    backend = db_url.split(":", 1)[0].split("+")[0]
    print(f"\n[{backend}] {len(latencies)} answers in {elapsed:.2f} s: "
          f"{len(latencies) / elapsed:.0f} answers/s, p95 write {1000 * p95:.1f} ms, "
          f"median {1000 * latencies[len(latencies) // 2]:.1f} ms")
