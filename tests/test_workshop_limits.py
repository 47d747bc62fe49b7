"""Issue 17, part 4: the wrong-code limiter, in the database (SQLite and PostgreSQL).

Each code attempt counts in two streams, its browser session and its client address;
``Store.check_join_code`` counts and checks in one transaction before it looks at the code."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from assessment.storage import AccessDenied, Store, TooManyAttempts
from assessment.workshop import JoinLimits
from tests.test_app_pages import assessment_data

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


def counting(store):
    """Count how often the store looks a code up (an evaluation)."""
    seen = []
    original = store.workshop_by_code

    def looked_up(code):
        seen.append(code)
        return original(code)

    store.workshop_by_code = looked_up
    return seen


def at_once(n: int, attempt) -> list[object]:
    """Run ``attempt(i)`` in ``n`` threads released together; each result or exception."""
    results: list[object] = [None] * n
    start = threading.Barrier(n)

    def run(i):
        start.wait()
        try:
            results[i] = attempt(i)
        except Exception as exc:  # noqa: BLE001 - the outcome is what is checked
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_sixty_wrong_codes_at_once_from_one_address__exactly_the_limit_evaluated(store):
    limits = JoinLimits(session=5, client=30)
    seen = counting(store)

    results = at_once(60, lambda i: store.check_join_code("ZZZZZZ", "10.0.0.1", f"s{i}", limits))

    assert len(seen) == 30
    assert sum(isinstance(r, TooManyAttempts) for r in results) == 30
    assert sum(r is None for r in results) == 30


def test_sixty_wrong_codes_at_once_from_one_session__five_evaluated(store):
    seen = counting(store)
    results = at_once(60, lambda i: store.check_join_code("ZZZZZZ", "10.0.0.1", "one", JoinLimits()))
    assert len(seen) == 5 and sum(isinstance(r, TooManyAttempts) for r in results) == 55


def test_one_person_types_thirty_wrong_codes__the_room_still_joins(store):
    aid = store.create_assessment(assessment_data())
    code, _ = store.open_workshop(aid)
    refused = 0
    for _ in range(30):  # one browser on the room's address
        try:
            store.check_join_code("ZZZZZZ", "192.0.2.1", "mistyper")
        except TooManyAttempts as exc:
            refused += 1
            assert 0 < exc.retry_after <= 600
    assert refused == 25  # 5 evaluated, then that browser waits
    for n in range(5):  # … it reloads five times (new sessions): 25 more wrong codes evaluated
        for _ in range(5):
            store.check_join_code("ZZZZZZ", "192.0.2.1", f"reloaded {n}")

    # 30 wrong codes from the address; 29 colleagues on the same address still join.
    for n in range(29):
        assert store.check_join_code(code, "192.0.2.1", f"colleague {n}") is not None
    assert store.join_wait("192.0.2.1", "colleague 0") == 0


def test_a_right_code__does_not_count(store):
    code, _ = store.open_workshop(store.create_assessment(assessment_data()))
    limits = JoinLimits(session=2, client=2)
    for _ in range(10):
        assert store.check_join_code(code, "a", "s", limits) is not None
    assert store.join_wait("a", "s", limits) == 0


def test_window__the_stream_frees_when_its_oldest_counted_attempt_leaves_it(store):
    limits = JoinLimits(session=2, window_s=600)
    store.check_join_code("ZZZZZZ", "a", "s", limits, now=T0)
    store.check_join_code("ZZZZZZ", "a", "s", limits, now=T0 + dt.timedelta(seconds=100))

    with pytest.raises(TooManyAttempts) as refused:
        store.check_join_code("ZZZZZZ", "a", "s", limits, now=T0 + dt.timedelta(seconds=200))
    assert refused.value.retry_after == 400  # the first attempt leaves the window at T0 + 600
    assert store.join_wait("a", "s", limits, now=T0 + dt.timedelta(seconds=599)) == 1
    assert store.join_wait("a", "s", limits, now=T0 + dt.timedelta(seconds=600)) == 0
    assert store.join_wait("a", "other session", limits, now=T0 + dt.timedelta(seconds=200)) == 0


def test_facilitator_lifts_the_locks_of_their_rooms_address(store):
    aid = store.create_assessment(assessment_data())
    _code, secret = store.open_workshop(aid)
    wid = store.workshop_for_secret(secret).id
    limits = JoinLimits(session=2, client=4, hard=6)
    for session in ("s1", "s1", "s2", "s2"):
        store.check_join_code("ZZZZZZ", "room", session, limits)
    store.check_join_code("ZZZZZZ", "elsewhere", "s9", limits)
    assert store.join_wait("room", "s3", limits) > 0  # the address is full: the room is locked

    with pytest.raises(AccessDenied):
        store.lift_join_locks(wid, "not the secret", "room")
    assert store.lift_join_locks(wid, secret, "room") == 4

    assert store.join_wait("room", "s1", limits) == 0 and store.join_wait("room", "s3", limits) == 0
    # Lifting cannot be used to guess without end: every attempt counts against ``hard``.
    store.check_join_code("ZZZZZZ", "room", "s5", limits)
    store.check_join_code("ZZZZZZ", "room", "s6", limits)
    assert store.lift_join_locks(wid, secret, "room") == 2
    with pytest.raises(TooManyAttempts):
        store.check_join_code("ZZZZZZ", "room", "s7", limits)


def test_two_replicas__count_the_same_attempts(db_url, store):
    limits = JoinLimits(session=5)
    with Store(db_url) as replica:  # another app server on the same database
        for n in range(5):
            (store if n % 2 else replica).check_join_code("ZZZZZZ", "a", "s", limits)
        with pytest.raises(TooManyAttempts):
            store.check_join_code("ZZZZZZ", "a", "s", limits)
        with pytest.raises(TooManyAttempts):
            replica.check_join_code("ZZZZZZ", "a", "s", limits)


def test_addresses_and_sessions__kept_as_digests_only(db_url, store):
    store.check_join_code("ZZZZZZ", "198.51.100.23", "session-xyz")
    with store._engine.connect() as conn:
        rows = [tuple(r) for r in conn.exec_driver_sql("SELECT client, session FROM join_attempts")]
    assert len(rows) == 1 and "198.51.100.23" not in repr(rows) and "session-xyz" not in repr(rows)
