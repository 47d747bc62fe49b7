"""How many typed join codes and joins are let through (``Store.check_join_code``,
``Store.join``).

    limits = JoinLimits()   # codes: 5 per browser session, 100 per client address;
                            # joins: 3 per browser session, 60 per client address; in 10 minutes

Each attempt belongs to two streams: its browser session and its client address. It is let
through only if both streams of its kind are under their limit; it is counted *before* the
code is looked up or the participant made, in one database transaction (so 60 attempts sent
at once get at most the limit). A right code takes its count back; a join that fails (the
workshop closed or full) too.

* **Typed codes** are what an attacker guesses with. A workshop room is usually behind one
  address, so the address's limit is high and the session's low: one person typing wrong
  codes locks only their own browser. These counts are never lifted, so an address gets at
  most ``client`` guesses in any ``window_s`` seconds (``guesses_per_hour``).
* **Joins**, by the join link (its secret cannot be guessed, so it is not a typed code) or by
  a typed code, are limited so that nobody can flood a workshop with participants; the
  address's limit lets a room of 40 in with room to spare.
* A facilitator's lift (``Store.lift_join_locks``) always works: from then on their room's
  address has *that workshop's* typed code looked at even when its code limits are full (no
  other code, so lifting gives no guesses), and its joins count from zero again.

The counts are rows in the database (``join_attempts``), so every replica of the app counts
the same attempts.
"""

from __future__ import annotations

from dataclasses import dataclass

CODE, JOIN = "code", "join"  # the kinds of attempt


@dataclass(frozen=True)
class JoinLimits:
    session: int = 5         # typed codes per browser session …
    client: int = 100        # … and per client address, within the window
    join_session: int = 3    # joins per browser session …
    join_client: int = 60    # … and per client address (until a facilitator lifts them)
    window_s: int = 600      # ten minutes

    def __post_init__(self) -> None:
        if min(self.session, self.client, self.join_session, self.join_client,
               self.window_s) < 1:
            raise ValueError("join limits must be at least 1")

    def of(self, kind: str) -> tuple[int, int]:
        """(per session, per client address) for attempts of ``kind``."""
        return (self.session, self.client) if kind == CODE else (self.join_session,
                                                                 self.join_client)

    def guesses_per_hour(self) -> int:
        """The most typed codes one client address has looked at in an hour: ``client`` in
        every window of ``window_s`` seconds (an attempt frees its place ``window_s`` after it
        was made), and an hour holds ``3600 / window_s`` windows, rounded up."""
        return -(-3600 // self.window_s) * self.client
