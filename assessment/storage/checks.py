"""The checks every write of ``Store`` makes before it writes: the document models' limits
as ``InvalidInput`` (one line naming the field), and whether a row fits the assessment's bank."""

from __future__ import annotations

from pydantic import ValidationError

from assessment.bank import Bank
from assessment.document import Answer, Consensus, question_misfit, value_misfit
from assessment.problems import problems_from_validation
from assessment.storage.errors import InvalidInput


def validated(build, *args, **kwargs):
    """``build(*args, **kwargs)`` (a model or a validator), its ``ValidationError`` as
    ``InvalidInput`` naming the first field and what is wrong."""
    try:
        return build(*args, **kwargs)
    except ValidationError as exc:
        problems = problems_from_validation("", exc)
        first = problems[0]
        raise InvalidInput(f"{first.place}: {first.message}" if first.place else first.message
                           ) from None


def answer_misfit(bank: Bank, answer: Answer | Consensus) -> str | None:
    """Why an answer or consensus value does not fit the bank (its question, its value)."""
    return question_misfit(bank, answer.question) or value_misfit(bank, answer.value)

