"""How far participants have come: answered questions per area, and what is left."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.bank import Area, Bank, Question
from assessment.document import Assessment


@dataclass(frozen=True)
class AreaProgress:
    area: str
    answered: int
    total: int

    @property
    def share(self) -> float:
        return self.answered / self.total if self.total else 1.0


def scope(assessment: Assessment, bank: Bank) -> list[tuple[Area, list[Question]]]:
    """The areas and questions the assessment covers, in bank order (empty areas left out)."""
    grouped: dict[str, tuple[Area, list[Question]]] = {}
    for area, question in bank.questions_for(assessment.effective_audience):
        grouped.setdefault(area.id, (area, []))[1].append(question)
    return list(grouped.values())


def answered_by(assessment: Assessment, participant: str | None) -> set[str]:
    """Question ids answered by one participant (by anyone for ``None``)."""
    return {a.question for a in assessment.answers if participant is None or a.participant == participant}


def area_progress(assessment: Assessment, bank: Bank, participant: str | None) -> list[AreaProgress]:
    done = answered_by(assessment, participant)
    return [
        AreaProgress(area.id, sum(1 for q in questions if q.id in done), len(questions))
        for area, questions in scope(assessment, bank)
    ]


def overall_progress(progress: list[AreaProgress]) -> AreaProgress:
    return AreaProgress("*", sum(p.answered for p in progress), sum(p.total for p in progress))


def unanswered(assessment: Assessment, bank: Bank, participant: str | None) -> list[tuple[str, str]]:
    """(area id, question id) of every question in scope the participant has not answered."""
    done = answered_by(assessment, participant)
    return [(area.id, q.id) for area, questions in scope(assessment, bank) for q in questions
            if q.id not in done]


def participant_answers(assessment: Assessment, participant: str) -> dict[str, tuple[object, str]]:
    """question id → (value, comment) for one participant."""
    return {a.question: (a.value, a.comment) for a in assessment.answers if a.participant == participant}
