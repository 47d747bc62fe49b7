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
- Enough basis: an area has values for at least half of its questions ("Ej aktuellt"
  aside, unanswered questions counted); with fewer its score rests on too little (often a
  shared question or two) and is shown as "för lite underlag", never named strongest or
  weakest, and left out of the radar's polygon and the time perspective.
- Time perspective: mean score of the areas looking back (F1), at now (F2, F3) and
  ahead (F4, F5), as the bank marks them, of the areas with enough basis.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.questions import NA, UNKNOWN, QuestionScore, is_numeric

TIME_PERSPECTIVES = ("past", "now", "future")
MIN_COVERAGE = 0.5  # an area's score needs values for at least half of its questions


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
    def uncertain(self) -> int:
        """Questions with a value although at least a third answered Vet ej."""
        return sum(1 for q in self.questions if q.uncertain)

    @property
    def open_disagreements(self) -> int:
        return sum(1 for q in self.questions if q.open_disagreement)

    @property
    def valued(self) -> int:
        """Questions whose value is a level (the numerator of coverage)."""
        return sum(1 for q in self.questions if is_numeric(q.value))

    @property
    def applicable(self) -> int:
        """Questions whose value is not Ej aktuellt (the denominator of coverage)."""
        return sum(1 for q in self.questions if q.value != NA)

    @property
    def enough_basis(self) -> bool:
        """A score resting on values for at least half of the area's questions."""
        return self.score is not None and self.coverage is not None \
            and self.coverage >= MIN_COVERAGE

    @property
    def solid_level(self) -> float | None:
        """The mean level where it rests on enough basis: what tables and the radar show."""
        return self.mean_level if self.enough_basis else None

    @property
    def solid_gap(self) -> float | None:
        """The gap where the level rests on enough basis."""
        return self.gap if self.enough_basis else None

    @property
    def thin(self) -> bool:
        """A score, but on values for fewer than half of the questions: för lite underlag."""
        return self.score is not None and not self.enough_basis

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
    knowledge_gaps: int       # questions without a value because Vet ej outnumber the levels
    unknown_answers: int      # Vet ej answers, each question once
    counted_answers: int      # answers that are levels or Vet ej, each question once
    in_scope: int = 0         # every question in scope, each once (the bank's, for the audience)
    answered: int = 0         # questions with a value of any kind (someone answered, or samsyn)
    na_questions: int = 0     # questions set aside as Ej aktuellt
    uncertain: int = 0        # questions with a value although at least a third said Vet ej
    disagreements: int = 0    # open disagreements, each question once
    thin: tuple[str, ...] = ()  # areas with a score on too little basis (för lite underlag)
    na_answers: int = 0       # Ej aktuellt answers, each question once
    areas_enough: int = 0     # areas whose score rests on enough basis

    @property
    def unanswered(self) -> int:
        return self.in_scope - self.answered

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
        in_scope=len(values),
        answered=sum(1 for v in values.values() if v is not None),
        na_questions=sum(1 for v in values.values() if v == NA),
        uncertain=sum(1 for q in distinct.values() if q.uncertain),
        disagreements=sum(1 for q in distinct.values() if q.open_disagreement),
        thin=tuple(a.id for a in areas if a.thin),
        na_answers=sum(q.na_answers for q in distinct.values()),
        areas_enough=sum(1 for a in areas if a.enough_basis),
    )


def overall_score(areas: list[AreaScore]) -> float | None:
    return overall(areas).score


def time_perspective_scores(areas: list[AreaScore]) -> dict[str, float | None]:
    """The mean score per time perspective of its areas with enough basis (an area on too
    little basis is named apart by ``thin_by_perspective``, never averaged in)."""
    return {
        tp: mean_or_none([a.score for a in areas if a.time_perspective == tp and a.enough_basis])
        for tp in TIME_PERSPECTIVES
    }


def thin_by_perspective(areas: list[AreaScore]) -> dict[str, tuple[str, ...]]:
    """Per time perspective, its areas left out for too little basis."""
    return {tp: tuple(a.id for a in areas if a.time_perspective == tp and a.thin)
            for tp in TIME_PERSPECTIVES}


def distinct_levels(areas: list[AreaScore]) -> dict[str, float]:
    """Every question whose value is a level, each once: ``{"G1.1": 2, …}``."""
    levels: dict[str, float] = {}
    for area in areas:
        for q in area.questions:
            if is_numeric(q.value):
                levels.setdefault(q.id, q.value)
    return levels


@dataclass(frozen=True, slots=True)
class OverallChange:
    """The overall before and after, compared like with like: ``before`` and ``after`` are
    the overall over the ``common`` questions with a level both times; ``same_basis`` when
    those are all the questions of both (then they equal the two overalls)."""

    before: float | None
    after: float | None
    common: int
    same_basis: bool
    total_before: float | None
    total_after: float | None
    questions_before: int
    questions_after: int


def overall_change(before: list[AreaScore], after: list[AreaScore]) -> OverallChange:
    """How the overall changed, over the questions with a level in both assessments."""
    old, new = distinct_levels(before), distinct_levels(after)
    common = [qid for qid in new if qid in old]
    top_old = before[0].top if before else 1
    top_new = after[0].top if after else 1

    def score(levels: dict[str, float], ids: list[str], top: int) -> float | None:
        return 100 * sum(levels[q] for q in ids) / len(ids) / top if ids else None

    return OverallChange(
        before=score(old, common, top_old), after=score(new, common, top_new),
        common=len(common), same_basis=set(old) == set(new),
        total_before=score(old, list(old), top_old), total_after=score(new, list(new), top_new),
        questions_before=len(old), questions_after=len(new))
