"""Issue 17, part 4, and issue 26, part 3: the join limiter, in the database (SQLite and
PostgreSQL): typed codes and joins, the facilitator's lift, the join link, the expected
number of participants and removing one.

Each code attempt counts in two streams, its browser session and its client address;
``Store.check_join_code`` counts and checks in one transaction before it looks at the code."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from assessment.storage import (AccessDenied, InvalidInput, NotFound, Store, TooManyAttempts,
                                WorkshopFull)
from assessment.storage.values import utc_now
from assessment.workshop import JoinLimits, link_from_secret
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


def wrong_codes(store, client: str, sessions: int, now: dt.datetime, per_session: int = 5,
                limits: JoinLimits = JoinLimits()) -> int:
    """``sessions`` × ``per_session`` wrong codes from ``client``; how many were refused."""
    refused = 0
    for n in range(sessions):
        for _ in range(per_session):
            try:
                store.check_join_code("ZZZZZZ", client, f"attacker {now} {n}", limits, now=now)
            except TooManyAttempts:
                refused += 1
    return refused


def test_lift__always_works_after_three_rounds_of_attack__for_that_workshops_code_only(store):
    """Issue 26.3: 3 × 100 wrong codes from the room's address, a lift after each: the right
    code typed afterwards is accepted every time; the lift says how many were refused; the
    lift gives no guesses at another workshop's code."""
    aid = store.create_assessment(assessment_data())
    code, secret = store.open_workshop(aid)
    wid = store.workshop_for_secret(secret).id
    other_code, _ = store.open_workshop(store.create_assessment(assessment_data()))
    refused_by_round, lifted_by_round = [], []
    for round_ in range(3):
        now = T0 + dt.timedelta(seconds=60 * round_)  # all within one 10-minute window
        refused_by_round.append(wrong_codes(store, "room", 20, now))
        if round_ == 0:  # the address is full: a right code typed now is refused too
            with pytest.raises(TooManyAttempts):
                store.check_join_code(code, "room", "colleague", now=now)
        lifted_by_round.append(store.lift_join_locks(wid, secret, "room", now=now))
        found = store.check_join_code(code, "room", f"colleague {round_}", now=now)
        assert found is not None and found.id == wid
        assert store.join_wait("room", f"colleague {round_}", now=now) == 0
        with pytest.raises(TooManyAttempts):  # another workshop's code: not looked at
            store.check_join_code(other_code, "room", f"guesser {round_}", now=now)
    # Round 1: 100 wrong codes evaluated (20 sessions × 5), then the right code refused (1);
    # rounds 2 and 3: all 100 refused, and the other workshop's code after each lift (1).
    assert refused_by_round == [0, 100, 100]
    assert lifted_by_round == [1, 100 + 1, 100 + 1]
    with pytest.raises(AccessDenied):
        store.lift_join_locks(wid, "not the secret", "room")
    assert store.check_join_code(code, "elsewhere", "s", now=T0) is not None  # not locked


def test_join_by_link__never_counted_as_a_typed_code_and_reveals_no_secret(store):
    aid = store.create_assessment(assessment_data())
    _code, secret = store.open_workshop(aid)
    link = link_from_secret(secret)
    assert secret.split(".")[1] not in link and secret not in link
    assert store.workshop_by_link(link).id == store.workshop_for_secret(secret).id
    assert wrong_codes(store, "room", 60, utc_now()) == 200  # 300 wrong codes: 100 evaluated
    token = store.join(link, "Anna", client="room", session="phone")
    assert store.participant_view(token).name == "Anna"
    for bad in (link[:-1] + ("A" if link[-1] != "A" else "B"), "0" * 16 + ".x", "ABCDEF"):
        assert store.workshop_by_link(bad) is None
    with pytest.raises(AccessDenied, match="join link is not valid"):
        store.join(link[:-2], "Bo", client="room", session="phone 2")


def test_joins__limited_per_address_and_session__a_room_of_forty_gets_in(store):
    """150 scripted joins by the link from one address: 60 let in (a room of 40 with room to
    spare), 90 refused; one browser session joins 3 times at most; a lift lets 60 more in."""
    aid = store.create_assessment(assessment_data())
    _code, secret = store.open_workshop(aid)
    wid, link = store.workshop_for_secret(secret).id, link_from_secret(secret)

    def joins(n: int, client: str, session=lambda i: f"s{i}") -> list[object]:
        results = []
        for i in range(n):
            try:
                results.append(store.join(link, f"P{i}", client=client, session=session(i)))
            except TooManyAttempts as exc:
                results.append(exc)
        return results

    results = joins(150, "wifi")
    assert sum(isinstance(r, str) for r in results) == 60
    assert all(isinstance(r, str) for r in results[:40])  # the room of 40
    assert all(isinstance(r, TooManyAttempts) and 0 < r.retry_after <= 600 for r in results[60:])
    assert len(store.workshop_progress(wid, secret)) == 60
    same = joins(5, "home", session=lambda i: "one tab")
    assert [isinstance(r, str) for r in same] == [True, True, True, False, False]
    assert store.lift_join_locks(wid, secret, "wifi") == 90
    assert sum(isinstance(r, str) for r in joins(70, "wifi")) == 60
    assert store.join(link, "Owner's tool") is not None  # no client: the owner's, not counted


def test_joins__a_hundred_at_once_from_one_address__exactly_the_limit_let_in(store):
    _code, secret = store.open_workshop(store.create_assessment(assessment_data()))
    link = link_from_secret(secret)
    limits = JoinLimits(join_client=30)

    results = at_once(100, lambda i: store.join(link, f"P{i}", client="wifi", session=f"s{i}",
                                                limits=limits))

    assert sum(isinstance(r, str) for r in results) == 30
    assert sum(isinstance(r, TooManyAttempts) for r in results) == 70
    assert len(store.workshop_progress(store.workshop_for_secret(secret).id, secret)) == 30


def test_expected_participants__joins_beyond_refused_until_one_is_removed_or_more_expected(store):
    aid = store.create_assessment(assessment_data())
    code, secret = store.open_workshop(aid, expected=3)
    workshop = store.workshop_for_secret(secret)
    assert workshop.expected == 3
    tokens = [store.join(code, f"P{i}", client="room", session=f"s{i}") for i in range(3)]
    with pytest.raises(WorkshopFull, match="3 participants"):
        store.join(code, "P3", client="room", session="s3")
    with store._engine.connect() as conn:  # the refused join does not count against the room
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM join_attempts WHERE kind = 'join' AND NOT refused"
        ).scalar_one() == 3
    pid = store.participant_view(tokens[0]).participant_id
    assert store.remove_workshop_participant(workshop.id, secret, pid) == 0
    store.join(code, "P3", client="room", session="s3")
    assert store.set_workshop_state(workshop.id, secret, "open").expected == 3
    assert store.set_expected_participants(workshop.id, secret, 5).expected == 5
    store.join(code, "P4")
    assert [p.name for p in store.workshop_progress(workshop.id, secret)] == ["P1", "P2", "P3",
                                                                              "P4"]
    for bad in (0, -1, 1001):
        with pytest.raises(InvalidInput):
            store.set_expected_participants(workshop.id, secret, bad)
    with pytest.raises(AccessDenied):
        store.set_expected_participants(workshop.id, "not the secret", None)


def test_remove_workshop_participant__with_answers__token_ends_others_kept(store):
    aid = store.create_assessment(assessment_data())
    code, secret = store.open_workshop(aid)
    wid = store.workshop_for_secret(secret).id
    anna, bo = store.join(code, "Anna"), store.join(code, "Bo")
    for question, level in (("G1.1", 1), ("G1.2", 2)):
        store.answer_as_participant(anna, question, level)
    store.answer_as_participant(bo, "G1.1", 4)
    pid = store.participant_view(anna).participant_id
    with pytest.raises(AccessDenied):
        store.remove_workshop_participant(wid, "not the secret", pid)
    with pytest.raises(NotFound):
        store.remove_workshop_participant(wid, secret, "p1")  # not one of this workshop's
    assert store.remove_workshop_participant(wid, secret, pid) == 2
    with pytest.raises(AccessDenied):
        store.participant_view(anna)
    assert [p.name for p in store.workshop_progress(wid, secret)] == ["Bo"]
    saved = store.load(aid)
    assert pid not in {p.id for p in saved.participants}
    assert [(a.question, a.value) for a in saved.answers
            if a.participant == store.participant_view(bo).participant_id] == [("G1.1", 4)]


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


def test_revision_0007__version_6_workshop_and_attempts__kept_and_counted_as_typed_codes(db_url):
    from sqlalchemy import create_engine, text

    from assessment.storage.join_limits import _key
    from tests import legacy_databases
    from assessment.workshop import code_from_secret, digest, lookup_prefix, new_secret

    wid, secret = new_secret()
    code = code_from_secret(secret)
    legacy_databases.load(db_url, 6)  # a database as the program before revision 0007 left it
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO assessments (id, bank_id, bank_version, org_name, org_kind, unit, "
                "date, created_at, updated_at) VALUES ('a9', 'psa-kommun', '2', 'Gammal kommun', "
                "'kommun', '', '2025-01-01', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"))
            conn.execute(text(
                "INSERT INTO workshops (id, assessment_id, secret_hash, code_hash, code_lookup, "
                "anonymous, state, created_at) VALUES (:id, 'a9', :s, :c, :l, FALSE, 'open', "
                "'2025-01-01 00:00:00')"),
                {"id": wid, "s": digest(secret), "c": digest(code), "l": lookup_prefix(code)})
            conn.execute(text("INSERT INTO join_attempts (client, session, at, lifted) "
                              "VALUES (:c, :s, :at, FALSE)"),
                         {"c": _key("client", "room"), "s": _key("session", "s"), "at": utc_now()})
    finally:
        engine.dispose()

    with Store(db_url) as store:
        workshop = store.workshop_by_code(code)
        assert (workshop.id, workshop.expected, workshop.has_link) == (wid, None, False)
        assert store.workshop_by_link(link_from_secret(secret)) is None  # no link before 7
        limits = JoinLimits(session=2)
        store.check_join_code("ZZZZZZ", "room", "s", limits)  # the old attempt counts: 2 of 2
        with pytest.raises(TooManyAttempts):
            store.check_join_code("ZZZZZZ", "room", "s", limits)
        assert store.join(code, "Anna") is not None
