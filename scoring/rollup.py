"""Rolling several assessments of one bank up: per area the mean, min and max score, and per
question the share positive over all answers in all files ("Vet ej" included)."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.document import Assessment
from scoring.score import AssessmentScore


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


def rollup(scored: list[tuple[Assessment, AssessmentScore]]) -> Rollup:
    area_scores: dict[str, list[float]] = {}
    area_order: list[str] = []
    counts: dict[str, list[int]] = {}
    question_order: list[str] = []
    for assessment, result in scored:
        for area in result.areas:
            if area.id not in area_scores:
                area_scores[area.id] = []
                area_order.append(area.id)
            if area.score is not None:
                area_scores[area.id].append(area.score)
            for q in area.questions:
                if q.id not in counts:
                    counts[q.id] = [0, 0]
                    question_order.append(q.id)
        for answer in assessment.answers:
            tally = counts.get(answer.question)
            if tally is None or answer.value == "na":
                continue
            tally[1] += 1
            if type(answer.value) is int and answer.value >= 1:
                tally[0] += 1
    areas = [
        AreaRollup(
            id=a,
            mean=sum(s) / len(s) if s else None,
            min=min(s) if s else None,
            max=max(s) if s else None,
            assessments=len(s),
        )
        for a in area_order
        for s in [area_scores[a]]
    ]
    questions = [
        QuestionRollup(q, counts[q][0] / counts[q][1] if counts[q][1] else None, *counts[q])
        for q in question_order
    ]
    return Rollup(areas, questions)


def rollup_to_dict(result: Rollup) -> dict:
    r = lambda v: None if v is None else round(v, 4)  # noqa: E731
    return {
        "areas": [{"id": a.id, "mean": r(a.mean), "min": r(a.min), "max": r(a.max),
                   "assessments": a.assessments} for a in result.areas],
        "questions": [{"id": q.id, "share_positive": r(q.share_positive), "positive": q.positive,
                       "answers": q.answers} for q in result.questions],
    }
