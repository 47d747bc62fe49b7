"""One answer changed in an assessment that is already loaded, exactly as the database stores
that change (``Store.set_answer`` / ``Store.clear_answer``), so a copy kept in memory can
follow its own writes instead of being read again after every click.

Answers come out of the database grouped by participant, in the participants' order, and
within a participant in the order they were first given; a changed answer keeps its place.
"""

from __future__ import annotations

from assessment.document import Answer, AnswerValue, Assessment


def with_answer(assessment: Assessment, participant: str, question: str, value: AnswerValue,
                comment: str | None) -> Assessment:
    """``assessment`` with ``participant``'s answer to ``question`` set to ``value``; with
    ``comment=None`` an answer already there keeps its comment (a new one gets none)."""
    answers = list(assessment.answers)
    for i, old in enumerate(answers):
        if old.participant == participant and old.question == question:
            answers[i] = old.model_copy(update={
                "value": value, "comment": old.comment if comment is None else comment})
            break
    else:
        new = Answer(participant=participant, question=question, value=value,
                     comment=comment or "")
        answers.insert(_end_of(assessment, answers, participant), new)
    return assessment.model_copy(update={"answers": answers})


def without_answer(assessment: Assessment, participant: str, question: str) -> Assessment:
    """``assessment`` without ``participant``'s answer to ``question``."""
    answers = [a for a in assessment.answers
               if not (a.participant == participant and a.question == question)]
    return assessment.model_copy(update={"answers": answers})


def _end_of(assessment: Assessment, answers: list[Answer], participant: str) -> int:
    """Where a new answer of ``participant`` goes: after every answer of the participants up
    to and including them."""
    position = {p.id: i for i, p in enumerate(assessment.participants)}
    mine = position[participant]
    end = 0
    for i, answer in enumerate(answers):
        if position[answer.participant] <= mine:
            end = i + 1
    return end
