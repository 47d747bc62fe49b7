"""How answer values and timestamps are stored, in one place for every part of ``Store``.

An answer value (a level, ``"unknown"`` for Vet ej, ``"na"`` for Ej aktuellt) is stored as
text: a level by its digits (see schema.py). Timestamps are written in UTC; SQLite gives
them back without a zone, PostgreSQL with one.
"""

from __future__ import annotations

import datetime as dt

WORDS = ("unknown", "na")


def encode_value(value: int | str) -> str:
    return value if value in WORDS else str(value)


def decode_value(text: str) -> int | str:
    return text if text in WORDS else int(text)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def utc(moment: dt.datetime) -> dt.datetime:
    """A stored timestamp as an aware UTC time, from either database."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)
