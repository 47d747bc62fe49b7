"""Scoring one question from its participants' answers and the team's consensus.

Rules (the product's contract, see docs/scoring.md):
- knowledge gap: the "Vet ej" answers outnumber the levels given ("Ej aktuellt" not
  counted): 4 of 5 and 1 of 1 are gaps, 2 Vet ej beside 3 levels and 1 beside 1 are not –
  unless the team has agreed a level;
- uncertain basis: a value that is a median although at least a third of the answers that
  are not "Ej aktuellt" are "Vet ej" (2 of 5, 1 of 3, 1 of 2): shown with the value, and
  listed among the knowledge gaps as well;
- value: the consensus value where one is set; ``"unknown"`` for a knowledge gap;
  otherwise the median of the numeric answers; with no numeric answer ``"na"`` if every
  answer was "Ej aktuellt", and ``None`` if nobody answered;
- spread: max − min of the numeric answers; disagreement when spread ≥ 2 levels;
- share positive: answers with level ≥ 1 ÷ all answers, "Vet ej" included and
  "Ej aktuellt" left out.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

UNKNOWN = "unknown"
NA = "na"
DISAGREEMENT_SPREAD = 2
UNCERTAIN_SHARE = 3  # a value's basis is uncertain when Vet ej × 3 ≥ the levels and Vet ej

Value = int | float | str | None


@dataclass(slots=True)
class QuestionScore:
    id: str
    area: str
    value: Value
    consensus: bool = False
    spread: int | None = None
    disagreement: bool = False
    share_positive: float | None = None
    answers: int = 0
    unknown_answers: int = 0
    na_answers: int = 0
    positive_answers: int = 0
    values: tuple = field(default=(), repr=False, compare=False)  # the answer values, as given
    median: float | None = None  # of the levels given, whatever the value
    knowledge_gap: bool = False  # the value is Vet ej: find out the current state
    uncertain: bool = False  # a median although at least a third answered Vet ej
    unknown_could_change: bool = False  # the Vet ej could move the median by answering

    @property
    def open_disagreement(self) -> bool:
        """Levels two or more apart and no level agreed on Samsyn yet: what the team still
        has to discuss, and the only disagreement any count or list shows."""
        return self.disagreement and not self.consensus


    @property
    def levels(self) -> int:
        """How many answers are levels: what a median rests on."""
        return self.answers - self.unknown_answers - self.na_answers

    @property
    def distribution(self) -> dict[str, int]:
        """How many gave each answer: ``{"2": 3, "unknown": 1, …}``, in order of first answer."""
        return {str(k): c for k, c in Counter(self.values).items()}

    @property
    def counted_answers(self) -> int:
        """Answers in the share-positive denominator: levels and "Vet ej", not "Ej aktuellt"."""
        return self.answers - self.na_answers


_is_int = int.__instancecheck__  # isinstance(value, int), as a C function for ``filter``


def is_numeric(value: Value) -> bool:
    """A level or a median (not a word, ``None`` or a bool)."""
    kind = type(value)
    return kind is int or kind is float or (
        kind is not bool and isinstance(value, (int, float)))


def could_move(numbers: list[int], added: int, median: float | None) -> bool:
    """Whether ``added`` more answers could move the median of the sorted ``numbers``. A median
    only moves towards what is added, so it is enough to put them all at the lowest and all at
    the highest: 1, 1, 1 stays 1 whatever two more answer (every level the same, the Vet ej a
    minority), and so does 0, 0, 0, 0, 1 with one more."""
    if not added or median is None:
        return False
    n, middle = len(numbers), ((len(numbers) + added - 1) // 2, (len(numbers) + added) // 2)
    low = sum(numbers[i - added] if i >= added else -math.inf for i in middle) / 2
    high = sum(numbers[i] if i < n else math.inf for i in middle) / 2
    return low != median or high != median


def score_question(question_id: str, area_id: str, answers: list, consensus: Value = None,
                   has_consensus: bool = False) -> QuestionScore:
    """Score one question from its answer values (ints, ``"unknown"`` or ``"na"``)."""
    numbers = sorted(filter(_is_int, answers))
    n = len(numbers)
    unknown = answers.count(UNKNOWN)
    na = len(answers) - n - unknown
    median = statistics.median(numbers) if n else None
    gap = not has_consensus and unknown > n
    uncertain = (not has_consensus and not gap and unknown > 0
                 and unknown * UNCERTAIN_SHARE >= n + unknown)
    if has_consensus:
        value: Value = consensus
    elif gap:
        value = UNKNOWN
    elif n:
        value = median
    elif na:
        value = NA
    else:
        value = None
    spread = numbers[-1] - numbers[0] if n else None
    counted = n + unknown
    positive = n - bisect_left(numbers, 1)
    return QuestionScore(
        question_id,
        area_id,
        value,
        has_consensus,
        spread,
        spread is not None and spread >= DISAGREEMENT_SPREAD,
        positive / counted if counted else None,
        len(answers),
        unknown,
        na,
        positive,
        tuple(answers),
        median,
        value == UNKNOWN,
        uncertain,
        not has_consensus and could_move(numbers, unknown, median),
    )
