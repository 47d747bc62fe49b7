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

from assessment.bank import Bank
from assessment.document import MAX_TEXT, Answer, Assessment, BankRef, Consensus

_RANK = {"na": 0, "unknown": 1}  # a level (any int) ranks 2


def can_upgrade(assessment: Assessment, bank: Bank) -> bool:
    return (assessment.bank.id == bank.id and assessment.bank.version != bank.version
            and assessment.bank.version in bank.upgrades_from)


def read_as(bank: Bank | None, version: str) -> str:
    """The version an assessment made with ``version`` of ``bank`` is read as: the installed
    one when it upgrades from it, else its own."""
    return bank.version if bank is not None and version in bank.upgrades_from else version


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


def _merged(items: list, replaced: dict[str, str], bank: Bank, key) -> list:
    """One item per key, chosen and annotated by the rules above, in the order first seen."""
    groups: dict[object, list] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    result = []
    for group in groups.values():
        if len(group) == 1 and group[0].question not in replaced:
            result.append(group[0])  # nothing to merge or rename (most of them): as it is
            continue
        kept = min(group, key=lambda i: (-_rank(i.value), i.question in replaced))
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


def _rank(value) -> int:
    return _RANK.get(value, 2) if isinstance(value, str) else 2


def _comment(item: Answer | Consensus) -> str:
    return item.comment if isinstance(item, Answer) else item.note
