"""Earlier assessments of the same unit, for the "föregående" series and follow-up."""

from __future__ import annotations

from typing import Protocol


class Summary(Protocol):
    id: str
    bank_id: str
    org_name: str
    unit: str
    date: object


def _same_unit(a: Summary, b: Summary) -> bool:
    return (a.bank_id == b.bank_id and a.org_name.strip().casefold() == b.org_name.strip().casefold()
            and (a.unit or "").strip().casefold() == (b.unit or "").strip().casefold())


def previous_of(summaries: list[Summary], current_id: str) -> Summary | None:
    """The latest assessment of the same organisation, unit and bank dated before the current."""
    current = next((s for s in summaries if s.id == current_id), None)
    if current is None:
        return None
    earlier = [s for s in summaries if s.id != current_id and _same_unit(s, current)
               and str(s.date) < str(current.date)]
    return max(earlier, key=lambda s: str(s.date), default=None)
