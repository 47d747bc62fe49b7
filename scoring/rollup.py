"""Rolling several assessments of one bank up: per area the mean, min and max score, and per
question the share positive over all answers in all files ("Vet ej" included, "Ej aktuellt"
left out). A file counts only for the questions in its own audience's scope, and a shared
question's answers once."""

from __future__ import annotations

from dataclasses import dataclass

from scoring.score import AssessmentScore, rounded


@dataclass
class AreaRollup:
    id: str
    mean: float | None
    min: float | None
    max: float | None
    assessments: int


@dataclass
class QuestionRollup:
    id: str
    share_positive: float | None
    positive: int
    answers: int


@dataclass
class Rollup:
    areas: list[AreaRollup]
    questions: list[QuestionRollup]


def rollup(results: list[AssessmentScore]) -> Rollup:
    """Roll scored assessments up; each file counts only the questions in its own scope."""
    area_scores: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    for result in results:
        seen: set[str] = set()  # a shared question stands in two areas: count its answers once
        for area in result.areas:
            scores = area_scores.setdefault(area.id, [])
            if area.score is not None:
                scores.append(area.score)
            for q in area.questions:
                if q.id in seen:
                    continue
                seen.add(q.id)
                tally = counts.setdefault(q.id, [0, 0])
                tally[0] += q.positive_answers
                tally[1] += q.counted_answers
    areas = [
        AreaRollup(
            id=a,
            mean=sum(s) / len(s) if s else None,
            min=min(s) if s else None,
            max=max(s) if s else None,
            assessments=len(s),
        )
        for a, s in area_scores.items()
    ]
    questions = [
        QuestionRollup(q, positive / answers if answers else None, positive, answers)
        for q, (positive, answers) in counts.items()
    ]
    return Rollup(areas, questions)


def rollup_to_dict(result: Rollup) -> dict:
    r = rounded
    return {
        "areas": [{"id": a.id, "mean": r(a.mean), "min": r(a.min), "max": r(a.max),
                   "assessments": a.assessments} for a in result.areas],
        "questions": [{"id": q.id, "share_positive": r(q.share_positive), "positive": q.positive,
                       "answers": q.answers} for q in result.questions],
    }
