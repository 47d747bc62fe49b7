"""Area scores, the overall score and the time-perspective view.

- Area score = 100 × mean of the area's numeric question values ÷ the scale's top level
  (``None`` when no question has a numeric value).
- Coverage = numeric questions ÷ questions that are not "Ej aktuellt".
- Unknown share = knowledge-gap questions ÷ questions that are not "Ej aktuellt"; the
  answers' unknown share = "Vet ej" answers ÷ answers that are not "Ej aktuellt".
- Gap = the area's target − the mean numeric value, in levels.
- Overall = 100 × mean of the numeric values of the questions in scope, each question
  counted once (a shared question belongs to two areas), ÷ the top level; it is reported
  with the areas it covers, so an area whose every question is unknown is named, not hidden.
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
    top: int = 4

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.value is not None)

    @property
    def unknown_answers(self) -> int:
        return sum(q.unknown_answers for q in self.questions)

    @property
    def counted_answers(self) -> int:
        """Answers that are levels or Vet ej (not Ej aktuellt)."""
        return sum(q.counted_answers for q in self.questions)

    @property
    def unknown_answer_share(self) -> float | None:
        counted = self.counted_answers
        return self.unknown_answers / counted if counted else None

    @property
    def na_answers(self) -> int:
        return sum(q.na_answers for q in self.questions)

    @property
    def na_questions(self) -> int:
        return sum(1 for q in self.questions if q.value == NA)

    @property
    def knowledge_gaps(self) -> int:
        return sum(1 for q in self.questions if q.value == UNKNOWN)

    @property
    def all_unknown(self) -> bool:
        """No score because every answered question is a knowledge gap."""
        return self.score is None and self.knowledge_gaps > 0


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
        top=top,
    )


def mean_or_none(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


@dataclass(frozen=True, slots=True)
class Overall:
    """The overall score and what it rests on: ``areas_scored`` of ``areas`` have a score;
    ``unscored`` names the others (``all_unknown``: those whose every question is Vet ej)."""

    score: float | None
    areas_scored: int
    areas: int
    unscored: tuple[str, ...]
    all_unknown: tuple[str, ...]
    questions_scored: int
    questions: int            # questions in scope whose value is not Ej aktuellt
    knowledge_gaps: int
    unknown_answers: int      # Vet ej answers, each question once
    counted_answers: int      # answers that are levels or Vet ej, each question once

    @property
    def unknown_answer_share(self) -> float | None:
        return self.unknown_answers / self.counted_answers if self.counted_answers else None


def overall(areas: list[AreaScore]) -> Overall:
    distinct: dict[str, QuestionScore] = {}
    for area in areas:
        for q in area.questions:
            distinct.setdefault(q.id, q)
    values = {qid: q.value for qid, q in distinct.items()}
    numbers = [v for v in values.values() if is_numeric(v)]
    applicable = sum(1 for v in values.values() if v != NA)
    top = areas[0].top if areas else 1
    return Overall(
        score=100 * sum(numbers) / len(numbers) / top if numbers else None,
        areas_scored=sum(1 for a in areas if a.score is not None),
        areas=len(areas),
        unscored=tuple(a.id for a in areas if a.score is None),
        all_unknown=tuple(a.id for a in areas if a.all_unknown),
        questions_scored=len(numbers),
        questions=applicable,
        knowledge_gaps=sum(1 for v in values.values() if v == UNKNOWN),
        unknown_answers=sum(q.unknown_answers for q in distinct.values()),
        counted_answers=sum(q.counted_answers for q in distinct.values()),
    )


def overall_score(areas: list[AreaScore]) -> float | None:
    return overall(areas).score


def time_perspective_scores(areas: list[AreaScore]) -> dict[str, float | None]:
    return {
        tp: mean_or_none([a.score for a in areas if a.time_perspective == tp])
        for tp in TIME_PERSPECTIVES
    }
