"""Progress in a workshop, per participant and per area, from the questions each answered.

    rows = progress_rows(bank, audience, store.workshop_progress(wid, secret))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from assessment.bank import Audience, Bank, Question
from assessment.progress import AreaProgress, Scope


def day_scope(bank: Bank, audience: Audience, day: Sequence[str] = ()) -> Scope:
    """The areas and questions a workshop's participants answer: the assessment's scope for
    ``audience``, limited to the day's areas when the workshop has some (``Workshop.areas``)."""
    scope = bank.scope(audience)
    return [(area, questions) for area, questions in scope if area.id in day] if day else scope


def area_questions(bank: Bank, audience: Audience,
                   day: Sequence[str] = ()) -> list[tuple[str, list[Question]]]:
    """The areas (ids) and their questions for ``audience`` (and the day), in bank order; empty
    areas left out; a shared question stands in each of its areas."""
    return [(area.id, questions) for area, questions in day_scope(bank, audience, day)]


@dataclass(frozen=True)
class ParticipantProgress:
    participant_id: str
    name: str
    role: str
    areas: tuple[AreaProgress, ...]
    answered: int  # questions answered, each counted once (a shared one is in two areas)
    total: int


def progress_rows(bank: Bank, audience: Audience, people: Iterable,
                  day: Sequence[str] = ()) -> list[ParticipantProgress]:
    """Per participant (``WorkshopParticipant``s, in order), answered/total per area of the day.
    Answers to questions outside it are not counted, so "har svarat på allt" means the day's."""
    scope = area_questions(bank, audience, day)
    ids = {q.id for _, questions in scope for q in questions}
    return [
        ParticipantProgress(
            p.participant_id, p.name, p.role,
            tuple(AreaProgress(area_id, sum(1 for q in questions if q.id in p.answered),
                               len(questions))
                  for area_id, questions in scope),
            len(ids.intersection(p.answered)), len(ids),
        )
        for p in people
    ]


def totals(rows: Sequence[ParticipantProgress]) -> tuple[int, int]:
    """(joined, answered everything)."""
    return len(rows), sum(1 for r in rows if r.total and r.answered == r.total)
