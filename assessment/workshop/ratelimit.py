"""How many wrong join codes are let through for evaluation (``Store.check_join_code``).

    limits = JoinLimits()   # 5 per browser session, 100 per client address, in 10 minutes

Each code attempt belongs to two streams: its browser session and its client address. An
attempt is evaluated only if both streams are under their limit; it is counted *before*
the code is looked up, in one database transaction (so 60 attempts sent at once get at
most the limit), and a right code takes its count back. A workshop room is usually behind
one address, so the address's limit is high and the session's low: one person typing wrong
codes locks only their own browser, and a facilitator can lift the locks of the address
their room is on (``Store.lift_join_locks``). ``hard`` bounds every attempt from an
address, lifted or not, so lifting cannot be used to guess codes without end.

The counts are rows in the database (``join_attempts``), so every replica of the app counts
the same attempts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JoinLimits:
    session: int = 5      # wrong codes per browser session …
    client: int = 100     # … and per client address, not lifted, within the window
    hard: int = 300       # every counted attempt from one address within the window
    window_s: int = 600   # ten minutes

    def __post_init__(self) -> None:
        if min(self.session, self.client, self.hard, self.window_s) < 1:
            raise ValueError("join limits must be at least 1")
