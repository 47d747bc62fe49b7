"""The previous assessment of the same unit, for the Resultat page's "föregående" series.

The rule is ``scoring.compare.previous`` – the one the Jämför page, ``compare`` and its
workbook use for a unit's follow-up series: same organisation and unit (without case and
surrounding spaces), same bank *and* bank version, the one right before by date (the same
date: by id). This module only lets it read the store's summaries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol, Sequence

from scoring.compare import previous


class Summary(Protocol):
    id: str
    bank_id: str
    bank_version: str
    org_name: str
    unit: str
    date: dt.date


@dataclass(frozen=True)
class _Dated:
    """A summary as ``scoring.compare.Dated``."""

    key: str
    organisation: str
    unit: str
    date: dt.date
    bank_id: str
    bank_version: str
    summary: Summary

    @classmethod
    def of(cls, s: Summary) -> _Dated:
        return cls(s.id, s.org_name, s.unit or "", s.date, s.bank_id, s.bank_version, s)


def previous_of(summaries: Sequence[Summary], current_id: str) -> Summary | None:
    """The assessment right before ``current_id`` in its unit's follow-up series, or None."""
    found = previous([_Dated.of(s) for s in summaries], current_id)
    return None if found is None else found.summary


def load_previous(store, banks, current_id: str):
    """The previous assessment of ``current_id``'s unit with its bank, ``(assessment, bank)``,
    or None (no earlier one, or its bank is not installed). ``store`` is a ``Store``, ``banks``
    a ``BankSet``; the Resultat page and the report downloads use this one lookup."""
    summary = previous_of(store.list_assessments(), current_id)
    if summary is None:
        return None
    assessment = store.load(summary.id)
    bank = banks.get(assessment.bank.id)
    return None if bank is None else (assessment, bank)
