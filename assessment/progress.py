"""How far a participant has come: answered questions per area, and what is left."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

from assessment.bank import Area, Bank, Question
from assessment.document import Assessment

Scope = list[tuple[Area, list[Question]]]


@dataclass(frozen=True)
class AreaProgress:
    area: str
    answered: int
    total: int


def scope(assessment: Assessment, bank: Bank) -> Scope:
    """The areas and questions the assessment covers, in bank order (empty areas left out);
    a shared question stands in each of its areas."""
    return bank.scope(assessment.effective_audience)


def answers_left_out(now: Assessment, then: Assessment, bank: Bank) -> int:
    """How many of ``now``'s answers that count (in its scope) ``then`` – the same assessment
    with other details, e.g. another audience – leaves outside its scope: kept, not counted."""
    def ids(assessment: Assessment) -> set[str]:
        return {q.id for _, questions in scope(assessment, bank) for q in questions}

    counted_now, counted_then = ids(now), ids(then)
    return sum(1 for a in now.answers
               if a.question in counted_now and a.question not in counted_then)


def area_progress(areas: Scope, done: Collection[str]) -> list[AreaProgress]:
    """Answered and total questions per area; ``done`` holds the answered question ids."""
    return [AreaProgress(area.id, sum(1 for q in questions if q.id in done), len(questions))
            for area, questions in areas]


def overall_progress(areas: Scope, done: Collection[str]) -> AreaProgress:
    """Answered and total questions in scope, each question counted once (a shared question
    stands in two areas but is one question)."""
    ids = {q.id for _, questions in areas for q in questions}
    return AreaProgress("*", len(ids.intersection(done)), len(ids))


def unanswered(areas: Scope, done: Collection[str]) -> list[tuple[str, str]]:
    """(area id, question id) of every question in scope that is not in ``done``."""
    return [(area.id, q.id) for area, questions in areas for q in questions if q.id not in done]
