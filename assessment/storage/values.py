"""How an assessment's details, answer values and timestamps are stored, in one place for
every part of ``Store``.

The details (bank, organisation, audience, date) are columns of the ``assessments`` row. An
answer value (a level, ``"unknown"`` for Vet ej, ``"na"`` for Ej aktuellt) is stored as
text: a level by its digits (see schema.py). Timestamps are written in UTC; SQLite gives
them back without a zone, PostgreSQL with one.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assessment.document import Assessment

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


def details_to_row(a: Assessment) -> dict:
    """The ``assessments`` columns of an assessment's details."""
    return {
        "bank_id": a.bank.id, "bank_version": a.bank.version,
        "org_name": a.organisation.name, "org_kind": a.organisation.kind.value,
        "unit": a.organisation.unit, "date": a.date,
        "audience": a.audience.value if a.audience else None,
    }


def details_from_row(row) -> dict:
    """An ``assessments`` row's details as the assessment document's fields."""
    return {
        "bank": {"id": row.bank_id, "version": row.bank_version},
        "organisation": {"name": row.org_name, "kind": row.org_kind, "unit": row.unit},
        "audience": row.audience,
        "date": row.date,
    }
