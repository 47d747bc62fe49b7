"""Wrong join codes, counted in the database so that every replica counts the same ones.

``Store`` inherits these methods (``JoinLimitMethods``); the limits are
``assessment.workshop.JoinLimits`` (see there for the streams). ``check_join_code`` counts the
attempt and checks the limits in one write transaction *before* the code is looked up —
on SQLite writers queue (``BEGIN IMMEDIATE``), on PostgreSQL the two streams' advisory locks
serialise attempts of the same session or address across servers — so attempts sent at
once are never evaluated beyond the limit. Addresses and sessions are kept as SHA-256
digests only.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Connection, delete, func, insert, select, text, true, update

from assessment.storage.errors import TooManyAttempts
from assessment.storage.schema import join_attempts
from assessment.storage.values import utc, utc_now
from assessment.workshop.codes import digest
from assessment.workshop.ratelimit import JoinLimits

_TOO_MANY = "too many wrong join codes from this browser or address; wait and try again"


class JoinLimitMethods:
    """The wrong-code limiter of ``Store`` (it uses its transactions)."""

    def check_join_code(self, code: str | None, client: str, session: str,
                        limits: JoinLimits = JoinLimits(), now: dt.datetime | None = None):
        """The workshop ``code`` finds (``Workshop`` or ``None``, as ``workshop_by_code``), if
        the attempt is within ``limits`` for its browser ``session`` and ``client`` address;
        else ``TooManyAttempts`` (with ``retry_after`` in seconds) and the code is not looked
        at. A code that finds a workshop does not count against the limits."""
        attempt = self._admit_attempt(client, session, limits, now or utc_now())
        workshop = self.workshop_by_code(code) if code else None
        if workshop is not None:
            with self._transaction() as conn:
                conn.execute(delete(join_attempts).where(join_attempts.c.id == attempt))
        return workshop

    def join_wait(self, client: str, session: str, limits: JoinLimits = JoinLimits(),
                  now: dt.datetime | None = None) -> float:
        """Seconds until this session and address may try a code again (0: now)."""
        now = now or utc_now()
        with self._reading() as conn:
            return _wait(conn, _key("client", client), _key("session", session), limits, now)

    def lift_join_locks(self, wid: str, secret: str, client: str,
                        now: dt.datetime | None = None) -> int:
        """The facilitator of workshop ``wid`` (``secret``) lifts the wrong-code locks of the
        address ``client`` (their room's): that address's and its sessions' recent attempts
        stop counting, except against ``JoinLimits.hard``. Returns how many were lifted."""
        now = now or utc_now()
        key = _key("client", client)
        with self._transaction() as conn:
            self._facilitator(conn, secret, wid, write=True)
            sessions = select(join_attempts.c.session).where(join_attempts.c.client == key)
            return conn.execute(
                update(join_attempts)
                .where(join_attempts.c.lifted.is_(False),
                       (join_attempts.c.client == key) | join_attempts.c.session.in_(sessions))
                .values(lifted=True)
            ).rowcount

    def _admit_attempt(self, client: str, session: str, limits: JoinLimits,
                       now: dt.datetime) -> int:
        by_client, by_session = _key("client", client), _key("session", session)
        with self._transaction() as conn:
            if conn.dialect.name == "postgresql":
                for key in sorted({by_client, by_session}):
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_id(key)})
            conn.execute(delete(join_attempts).where(
                join_attempts.c.at < now - dt.timedelta(seconds=2 * limits.window_s)))
            wait = _wait(conn, by_client, by_session, limits, now)
            if wait > 0:
                raise TooManyAttempts(_TOO_MANY, wait)
            return conn.execute(
                insert(join_attempts).values(client=by_client, session=by_session, at=now,
                                             lifted=False)
                .returning(join_attempts.c.id)
            ).scalar_one()


def _wait(conn: Connection, by_client: str, by_session: str, limits: JoinLimits,
          now: dt.datetime) -> float:
    """Seconds until every stream is under its limit again (0: it is now)."""
    window = dt.timedelta(seconds=limits.window_s)
    recent = join_attempts.c.at > now - window
    streams = (
        (join_attempts.c.session == by_session, join_attempts.c.lifted.is_(False), limits.session),
        (join_attempts.c.client == by_client, join_attempts.c.lifted.is_(False), limits.client),
        (join_attempts.c.client == by_client, true(), limits.hard),
    )
    wait = 0.0
    for stream, counted, limit in streams:
        where = (stream, counted, recent)
        if conn.execute(select(func.count()).where(*where)).scalar_one() < limit:
            continue
        # The stream is full: it frees when its limit-th newest attempt leaves the window.
        oldest = conn.execute(select(join_attempts.c.at).where(*where)
                              .order_by(join_attempts.c.at.desc())
                              .offset(limit - 1).limit(1)).scalar_one()
        wait = max(wait, (utc(oldest) + window - now).total_seconds())
    return max(wait, 0.0)


def _key(kind: str, value: str) -> str:
    return digest(f"{kind}:{value}")


def _lock_id(key: str) -> int:
    """A signed 64-bit advisory lock number for a stream."""
    return int.from_bytes(hashlib.sha256(f"psa-join:{key}".encode()).digest()[:8], "big",
                          signed=True)
