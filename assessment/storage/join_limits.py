"""Typed join codes and joins, counted in the database so that every replica counts the same.

``Store`` inherits these methods (``JoinLimitMethods``); the limits are
``assessment.workshop.JoinLimits`` (see there for the streams and kinds). An attempt is
counted and the limits checked in one write transaction *before* the code is looked up or
the participant made — on SQLite writers queue (``BEGIN IMMEDIATE``), on PostgreSQL the two
streams' advisory locks serialise attempts of the same session or address across servers —
so attempts sent at once are never let through beyond the limit. An attempt the limits
refuse is kept too (``refused``, not counted), so the facilitator's lift can say how many
were refused. Addresses and sessions are kept as SHA-256 digests only.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Connection, delete, func, insert, select, text

from assessment.storage.errors import TooManyAttempts
from assessment.storage.schema import join_attempts, join_lifts
from assessment.storage.values import utc, utc_now
from assessment.workshop.codes import digest
from assessment.workshop.ratelimit import CODE, JOIN, JoinLimits

_TOO_MANY = {
    CODE: "too many wrong join codes from this browser or address; wait and try again",
    JOIN: "too many joins from this browser or address; wait and try again, or ask the "
          "facilitator to lift the lock",
}


class JoinLimitMethods:
    """The join limiter of ``Store`` (it uses its transactions)."""

    def check_join_code(self, code: str | None, client: str, session: str,
                        limits: JoinLimits = JoinLimits(), now: dt.datetime | None = None):
        """The workshop a typed ``code`` finds (``Workshop`` or ``None``, as
        ``workshop_by_code``), if the attempt is within ``limits`` for its browser ``session``
        and ``client`` address; else ``TooManyAttempts`` (with ``retry_after`` in seconds) and
        the code is not looked at — unless a facilitator lifted the address's locks and the
        code is their workshop's. A code that finds a workshop does not count."""
        now = now or utc_now()
        attempt, wait = self._admit(CODE, client, session, limits, now)
        if attempt is None:
            workshop = self._lifted_workshop(code, client)
            if workshop is None:
                raise self._refused(CODE, client, session, now, wait)
            return workshop
        workshop = self.workshop_by_code(code) if code else None
        if workshop is not None:
            self._take_back(attempt)
        return workshop

    def join_wait(self, client: str, session: str, limits: JoinLimits = JoinLimits(),
                  now: dt.datetime | None = None) -> float:
        """Seconds until this session and address may type a code again (0: now; always 0
        for an address a facilitator lifted the locks of: their workshop's code is looked at)."""
        now = now or utc_now()
        with self._reading() as conn:
            if _lifted_ids(conn, client):
                return 0.0
            return _wait(conn, CODE, _key("client", client), _key("session", session), limits,
                         now)

    def lift_join_locks(self, wid: str, secret: str, client: str,
                        now: dt.datetime | None = None) -> int:
        """The facilitator of workshop ``wid`` (``secret``) lifts the locks of the address
        ``client`` (their room's), whatever was counted: from then on that address's typed
        codes for this workshop are looked at even when its code limits are full, and its
        (and its sessions') joins count from zero. Returns how many attempts the limits
        refused from the address and its sessions since the last lift."""
        now = now or utc_now()
        key = _key("client", client)
        with self._transaction() as conn:
            self._facilitator(conn, secret, wid, write=True)
            sessions = select(join_attempts.c.session).where(join_attempts.c.client == key)
            scope = ((join_attempts.c.client == key) | join_attempts.c.session.in_(sessions),
                     join_attempts.c.lifted.is_(False))
            refused = conn.execute(select(func.count()).where(
                *scope, join_attempts.c.refused.is_(True))).scalar_one()
            conn.execute(join_attempts.update().where(*scope).values(lifted=True))
            if wid not in _lifted_ids(conn, client):
                conn.execute(insert(join_lifts).values(workshop_id=wid, client=key))
            return refused

    def _lifted_workshop(self, code: str | None, client: str):
        """The workshop of ``code`` if its facilitator lifted the locks of ``client``."""
        with self._reading() as conn:
            lifted = _lifted_ids(conn, client)
        workshop = self.workshop_by_code(code) if lifted and code else None
        return workshop if workshop is not None and workshop.id in lifted else None

    def _admit(self, kind: str, client: str, session: str, limits: JoinLimits,
               now: dt.datetime) -> tuple[int | None, float]:
        """(the counted attempt's id, 0) if ``kind``'s limits let it through, else (None,
        seconds to wait) and nothing counted."""
        by_client, by_session = _key("client", client), _key("session", session)
        with self._transaction() as conn:
            if conn.dialect.name == "postgresql":
                for key in sorted({by_client, by_session}):
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                                 {"k": _lock_id(f"{kind}:{key}")})
            conn.execute(delete(join_attempts).where(
                join_attempts.c.at < now - dt.timedelta(seconds=2 * limits.window_s)))
            wait = _wait(conn, kind, by_client, by_session, limits, now)
            if wait > 0:
                return None, wait
            return conn.execute(
                insert(join_attempts).values(client=by_client, session=by_session, at=now,
                                             lifted=False, kind=kind, refused=False)
                .returning(join_attempts.c.id)
            ).scalar_one(), 0.0

    def _refused(self, kind: str, client: str, session: str, now: dt.datetime,
                 wait: float) -> TooManyAttempts:
        """Keep a refused attempt (for the facilitator's lift to count); the error to raise."""
        with self._transaction() as conn:
            conn.execute(insert(join_attempts).values(
                client=_key("client", client), session=_key("session", session), at=now,
                lifted=False, kind=kind, refused=True))
        return TooManyAttempts(_TOO_MANY[kind], wait)

    def _take_back(self, attempt: int) -> None:
        with self._transaction() as conn:
            conn.execute(delete(join_attempts).where(join_attempts.c.id == attempt))


def _lifted_ids(conn: Connection, client: str) -> set[str]:
    """The workshops whose facilitator lifted the locks of address ``client``."""
    return set(conn.execute(select(join_lifts.c.workshop_id)
                            .where(join_lifts.c.client == _key("client", client))).scalars())


def _wait(conn: Connection, kind: str, by_client: str, by_session: str, limits: JoinLimits,
          now: dt.datetime) -> float:
    """Seconds until both streams of ``kind`` are under their limit again (0: they are now).
    Refused attempts do not count; lifted ones count for typed codes only."""
    window = dt.timedelta(seconds=limits.window_s)
    counted = [join_attempts.c.kind == kind, join_attempts.c.refused.is_(False),
               join_attempts.c.at > now - window]
    if kind == JOIN:
        counted.append(join_attempts.c.lifted.is_(False))
    per_session, per_client = limits.of(kind)
    wait = 0.0
    for stream, limit in ((join_attempts.c.session == by_session, per_session),
                          (join_attempts.c.client == by_client, per_client)):
        where = (stream, *counted)
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
