"""Bringing an assessment made with an earlier version of its bank up to the installed one.

Version 2 of the national bank makes each leadership activity that seed 001 repeats in a
focus area one question (``Question.also_in``): F1.3 is now G1.1, and so on
(``Bank.replaced_ids``). An assessment of version 1 holds answers to both ids; here they
become answers to the one question, by these rules:

- an answer, consensus value or effort given under only one of the ids moves to the kept id;
- a participant who answered both keeps one answer: a level before Vet ej before Ej
  aktuellt; of two different levels, the one given under the kept id (in G1);
- nothing is lost: the answer not kept, and its comment, are added to the kept answer's
  comment ("F1.3: 2 – Delvis etablerat; <comment>");
- action-plan items of the old id name the kept one.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from assessment.bank import Bank
from assessment.document import MAX_TEXT, Answer, Assessment, BankRef, Consensus

_RANK = {"na": 0, "unknown": 1}  # a level (any int) ranks 2


def upgrades(bank: Bank, bank_id: str, version: str) -> bool:
    """Whether an assessment made with ``version`` of bank ``bank_id`` is read as ``bank``:
    an earlier version of it, which it upgrades from."""
    return bank_id == bank.id and version != bank.version and version in bank.upgrades_from


def can_upgrade(assessment: Assessment, bank: Bank) -> bool:
    return upgrades(bank, assessment.bank.id, assessment.bank.version)


def read_as(bank: Bank | None, version: str) -> str:
    """The version an assessment made with ``version`` of ``bank`` is read as: the installed
    one when it upgrades from it, else its own."""
    return bank.version if bank is not None and upgrades(bank, bank.id, version) else version


def upgrade(assessment: Assessment, bank: Bank) -> Assessment:
    """The assessment in ``bank``'s version (unchanged if it is not an earlier one)."""
    if not can_upgrade(assessment, bank):
        return assessment
    replaced = bank.replaced_ids()
    answers = _merged(assessment.answers, replaced, bank,
                      key=lambda a: (a.participant, replaced.get(a.question, a.question)))
    consensus = _merged(assessment.consensus, replaced, bank,
                        key=lambda c: replaced.get(c.question, c.question))
    effort = {}
    for question, value in sorted(assessment.effort.items(), key=lambda kv: kv[0] in replaced):
        effort.setdefault(replaced.get(question, question), value)
    actions = [a.model_copy(update={"activity": replaced[a.activity]})
               if a.activity in replaced else a for a in assessment.actions]
    return assessment.model_copy(update={
        "bank": BankRef(id=bank.id, version=bank.version), "answers": answers,
        "consensus": consensus, "effort": effort, "actions": actions})


def touched_questions(bank: Bank) -> set[str]:
    """The question ids whose answers an upgrade to ``bank`` may change: the ids it replaces
    and those they become. Every other answer is kept as it is."""
    replaced = bank.replaced_ids()
    return {*replaced, *replaced.values()}


def merged_answers(answers: Iterable, bank: Bank) -> list[Given]:
    """The answers (anything with ``participant``, ``question`` and ``value``) of an earlier
    version as ``upgrade`` leaves them, without their comments: what scoring needs, without
    building every answer as a model (``score`` and Jämför read many at once)."""
    replaced = bank.replaced_ids()
    groups = _groups(answers, key=lambda a: (a.participant, replaced.get(a.question, a.question)))
    return [Given(participant, question, _kept(group, replaced).value)
            for (participant, question), group in groups.items()]


class Given(NamedTuple):
    """An answer without its comment."""

    participant: str
    question: str
    value: int | str


def _merged(items: list, replaced: dict[str, str], bank: Bank, key) -> list:
    """One item per key, chosen and annotated by the rules above, in the order first seen."""
    result = []
    for group in _groups(items, key).values():
        if len(group) == 1 and group[0].question not in replaced:
            result.append(group[0])  # nothing to merge or rename (most of them): as it is
            continue
        kept = _kept(group, replaced)
        others = [i for i in group if i is not kept]
        text = _comment(kept)
        for other in others:
            if other.value != kept.value or _comment(other):
                note = f"{other.question}: {bank.scale.label(other.value)}"
                note += f"; {_comment(other)}" if _comment(other) else ""
                text = f"{text} [{note}]" if text else f"[{note}]"
        field = "comment" if isinstance(kept, Answer) else "note"
        result.append(kept.model_copy(update={
            "question": replaced.get(kept.question, kept.question), field: text[:MAX_TEXT]}))
    return result


def _groups(items: Iterable, key) -> dict[object, list]:
    groups: dict[object, list] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _kept(group: list, replaced: dict[str, str]):
    """The one kept of a group: a level before Vet ej before Ej aktuellt; of two levels, the
    one under the kept id; else the first."""
    if len(group) == 1:
        return group[0]
    return min(group, key=lambda i: (-_rank(i.value), i.question in replaced))


def _rank(value) -> int:
    return _RANK.get(value, 2) if isinstance(value, str) else 2


def _comment(item: Answer | Consensus) -> str:
    return item.comment if isinstance(item, Answer) else item.note
