"""An empty assessment for a bank: the starting point a team fills in.

No file I/O here: ``new_assessment`` returns an ``Assessment``; the CLI (or a page) writes it.
"""

from __future__ import annotations

import datetime as dt

from assessment.bank import Audience, Bank
from assessment.document import Assessment

DEFAULT_ORGANISATION = "Ny organisation"


class TemplateError(ValueError):
    """The requested template cannot be made (e.g. the bank has no questions for the kind)."""


def audiences_of(bank: Bank) -> list[Audience]:
    """The audiences that have at least one question in the bank, in the order of ``Audience``."""
    present = {a for _, q in bank.question_index().values() for a in q.audiences}
    return [a for a in Audience if a in present]


def default_kind(bank: Bank) -> Audience:
    """The first audience the bank addresses: ``region`` for the national plan, ``kommun``
    for a municipal survey."""
    return audiences_of(bank)[0]


def new_assessment(bank: Bank, *, organisation: str | None = None,
                   kind: Audience | str | None = None, unit: str = "",
                   date: dt.date | None = None) -> Assessment:
    """An assessment of ``bank`` with no participants, answers, targets or actions.

    Raises ``TemplateError`` when ``kind`` is given and the bank has no question for it,
    since such an assessment would score nothing, and pydantic's ``ValidationError`` for a
    name or unit the file format does not accept (blank, too long).
    """
    if kind is None:
        chosen = default_kind(bank)
    else:
        chosen = Audience(kind)
        available = audiences_of(bank)
        if chosen not in available:
            raise TemplateError(
                f"bank {bank.id!r} has no questions for {chosen.value!r}; "
                f"choose one of: {', '.join(a.value for a in available)}"
            )
    # Validated as one document so that a bad value is named by its place in the file
    # (``organisation.name``), as a user would see it when validating the file.
    return Assessment.model_validate({
        "bank": {"id": bank.id, "version": bank.version},
        "organisation": {"name": organisation or DEFAULT_ORGANISATION, "kind": chosen.value,
                         "unit": unit},
        "date": date or dt.date.today(),
    })
