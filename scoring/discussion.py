"""The order in which the team discusses questions on the Samsyn page: open disagreements
first (largest spread first), then questions where someone answered "Vet ej", then the
questions the team has agreed a level for (done), then the rest in bank order. Questions
nobody answered come last. A shared question (in two areas) is discussed once."""

from __future__ import annotations

from scoring.questions import QuestionScore
from scoring.score import AssessmentScore


def discussion_order(result: AssessmentScore) -> list[QuestionScore]:
    distinct: dict[str, QuestionScore] = {}
    for area in result.areas:
        for q in area.questions:
            distinct.setdefault(q.id, q)
    questions = list(distinct.values())
    position = {q.id: i for i, q in enumerate(questions)}

    def key(q: QuestionScore) -> tuple:
        if q.consensus and needs_discussion(q):
            group = 2  # discussed and agreed: after what is still open
        elif q.disagreement:
            group = 0
        elif q.unknown_answers:
            group = 1
        elif q.answers:
            group = 3
        else:
            group = 4
        return (group, -(q.spread or 0) if group == 0 else 0, position[q.id])

    return sorted(questions, key=key)


def needs_discussion(q: QuestionScore) -> bool:
    return q.disagreement or q.unknown_answers > 0
