"""Area scores, the overall score and the time-perspective view.

- Area score = 100 × mean of the area's numeric question values ÷ the scale's top level
  (``None`` when no question has a numeric value).
- Coverage = numeric questions ÷ questions that are not "Ej aktuellt".
- Unknown share = "Vet ej" questions ÷ questions that are not "Ej aktuellt".
- Gap = the area's target − the mean numeric value, in levels.
- Overall = mean of the area scores that are not ``None``.
- Time perspective: mean score of the areas looking back (F1), at now (F2, F3) and
  ahead (F4, F5), as the bank marks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.questions import NA, UNKNOWN, QuestionScore, is_numeric

TIME_PERSPECTIVES = ("past", "now", "future")


@dataclass(slots=True)
class AreaScore:
    id: str
    score: float | None
    mean_level: float | None
    coverage: float | None
    unknown_share: float | None
    gap: float | None
    target: float
    importance: int
    time_perspective: str | None
    questions: list[QuestionScore] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.value is not None)


def score_area(area_id: str, questions: list[QuestionScore], top: int, target: float,
               importance: int, time_perspective: str | None) -> AreaScore:
    numbers = [q.value for q in questions if is_numeric(q.value)]
    unknown = sum(1 for q in questions if q.value == UNKNOWN)
    applicable = sum(1 for q in questions if q.value != NA)
    mean = sum(numbers) / len(numbers) if numbers else None
    return AreaScore(
        id=area_id,
        score=100 * mean / top if mean is not None else None,
        mean_level=mean,
        coverage=len(numbers) / applicable if applicable else None,
        unknown_share=unknown / applicable if applicable else None,
        gap=target - mean if mean is not None else None,
        target=target,
        importance=importance,
        time_perspective=time_perspective,
        questions=questions,
    )


def mean_or_none(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def overall_score(areas: list[AreaScore]) -> float | None:
    return mean_or_none([a.score for a in areas])


def time_perspective_scores(areas: list[AreaScore]) -> dict[str, float | None]:
    return {
        tp: mean_or_none([a.score for a in areas if a.time_perspective == tp])
        for tp in TIME_PERSPECTIVES
    }
