"""Reading many assessments at once for scoring (the Jämför page's saved assessments).

``Store`` inherits these methods (``BulkMethods``). ``Store.load`` takes about 11 ms for a
20-participant assessment of the national bank (pydantic builds one model per answer), 3 s
for 300; scoring needs only each question's values. So ``scoring_inputs`` reads every
chosen assessment in one read transaction, one query per table for up to ``CHUNK`` ids at a
time, with the answers *counted* per assessment, question and value in the database, and
gives per assessment what scoring needs: its header (everything but the answers) and the
answer values grouped by question – the same ``ScoringInput`` that
``assessment.bulk_read`` gives for a file. One made with an earlier version of the bank
that is compared (``upgrade_to``) has the answers the upgrade may change read one by one,
without comments, and merged by ``assessment.bank_upgrade``'s rules.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from sqlalchemy import Connection, and_, func, select

from scoring.score import ScoringInput
from assessment.bank import Bank
from assessment.bank_upgrade import Given, merged_answers, touched_questions, upgrade, upgrades
from assessment.document import Action, Assessment, grouped_by_question
from assessment.storage.values import decode_value, details_from_row
from assessment.storage.schema import (
    actions,
    answers,
    area_settings,
    assessments,
    consensus,
    efforts,
    participants,
)

CHUNK = 500  # ids per IN (…) list

ACTION_COLUMNS = [actions.c[name] for name in Action.model_fields]  # the model's order



class BulkMethods:
    """Bulk reads of ``Store`` (they use its read transaction)."""

    def scoring_inputs(self, ids: Iterable[str],
                       upgrade_to: Bank | None = None) -> dict[str, ScoringInput]:
        """Every assessment of ``ids`` as scoring needs it, by id, in the order given
        (an id given twice is read once); ``NotFound`` if any id is unknown.

        ``header`` is the assessment exactly as ``load`` gives it but without its answers
        (``answers == []``): details, participants, consensus, targets, importance, effort
        and action plan. ``answers`` holds each answered question's values – one per
        participant who answered – sorted by question id and then by stored value (levels
        by their digits, then ``na``, then ``unknown``); unanswered questions are left out::

            {"G1.1": [2, 2, 3, "unknown"], "G1.2": [1, "na"]}

        With ``upgrade_to``, one made with an earlier version of that bank comes as
        ``bank_upgrade.upgrade`` makes it: the header in that version, each participant's
        answers to one activity merged (the values then in the participants' order).

        Score with ``scoring.score.score_areas(header, bank, answers)`` or
        ``scoring.compare.snapshot(id, header, bank, answers)``. Everything is read in one
        read transaction, so all assessments come from one consistent state. For a caller
        (``Store.for_caller``) an assessment run as a workshop without its key given raises
        ``WorkshopLocked``, one of another workspace than the member's ``NotAMember``.
        """
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        found: dict[str, _Parts] = {}
        with self._reading() as conn:
            self._check_members(conn, wanted)
            locked = self._locked_ids(conn, wanted)
            if locked:
                self._check_access(conn, locked[0])  # raises WorkshopLocked
            for chunk in _chunks(wanted, CHUNK):
                found.update(_read_chunk(conn, chunk, upgrade_to))
        missing = [aid for aid in wanted if aid not in found]
        if missing:
            raise self._not_found(missing[0])
        return {aid: found[aid].scoring_input(upgrade_to) for aid in wanted}


class _Parts:
    """One assessment's rows, collected from the tables of one chunk."""

    def __init__(self, row) -> None:
        self.details = details_from_row(row)
        self.participants: list[dict] = []
        self.consensus: list[dict] = []
        self.targets: dict[str, float] = {}
        self.importance: dict[str, int] = {}
        self.effort: dict[str, str] = {}
        self.actions: list[dict] = []
        self.answers: dict[str, list] = {}
        self.given: list[Given] = []  # one by one: of an earlier version, to be merged

    def upgrades_to(self, bank: Bank | None) -> bool:
        return bank is not None and upgrades(bank, self.details["bank"]["id"],
                                             self.details["bank"]["version"])

    def scoring_input(self, upgrade_to: Bank | None) -> ScoringInput:
        header = Assessment.model_validate({
            **self.details,
            "participants": self.participants,
            "consensus": self.consensus,
            "targets": self.targets,
            "importance": self.importance,
            "effort": self.effort,
            "actions": self.actions,
        })
        if self.upgrades_to(upgrade_to):  # the counted answers are of untouched questions
            return ScoringInput(upgrade(header, upgrade_to), {
                **self.answers, **grouped_by_question(merged_answers(self.given, upgrade_to))})
        return ScoringInput(header, self.answers)


def _read_chunk(conn: Connection, ids: list[str], upgrade_to: Bank | None) -> dict[str, _Parts]:
    """The assessments of ``ids`` that exist, with their rows: one query per table (and one
    for the answers of those of an earlier version of ``upgrade_to``)."""
    parts = {
        row.id: _Parts(row)
        for row in conn.execute(select(assessments).where(assessments.c.id.in_(ids)))
    }
    if not parts:
        return parts
    for aid, pid, name, role in conn.execute(
        select(participants.c.assessment_id, participants.c.id, participants.c.name,
               participants.c.role)
        .where(participants.c.assessment_id.in_(ids))
        .order_by(participants.c.assessment_id, participants.c.position)
    ):
        parts[aid].participants.append({"id": pid, "name": name, "role": role})
    # Of an earlier version, the answers an upgrade may change are read one by one, to be
    # merged; all others are counted.
    earlier = [aid for aid, part in parts.items() if part.upgrades_to(upgrade_to)]
    touched = touched_questions(upgrade_to) if earlier else set()
    one_by_one = and_(answers.c.assessment_id.in_(earlier), answers.c.question_id.in_(touched))
    counted = (
        select(answers.c.assessment_id, answers.c.question_id, answers.c.value, func.count())
        .where(answers.c.assessment_id.in_(ids))
        .group_by(answers.c.assessment_id, answers.c.question_id, answers.c.value)
        .order_by(answers.c.assessment_id, answers.c.question_id, answers.c.value)
    )
    for aid, qid, value, count in conn.execute(counted.where(~one_by_one) if earlier else counted):
        parts[aid].answers.setdefault(qid, []).extend([decode_value(value)] * count)
    for aid, pid, qid, value in conn.execute(
        select(answers.c.assessment_id, answers.c.participant_id, answers.c.question_id,
               answers.c.value)
        .join(participants, and_(participants.c.assessment_id == answers.c.assessment_id,
                                 participants.c.id == answers.c.participant_id))
        .where(one_by_one)
        .order_by(answers.c.assessment_id, participants.c.position, answers.c.seq)  # as load
    ) if earlier else ():
        parts[aid].given.append(Given(pid, qid, decode_value(value)))
    for aid, qid, value, note in conn.execute(
        select(consensus.c.assessment_id, consensus.c.question_id, consensus.c.value,
               consensus.c.note)
        .where(consensus.c.assessment_id.in_(ids))
        .order_by(consensus.c.assessment_id, consensus.c.seq)
    ):
        parts[aid].consensus.append({"question": qid, "value": decode_value(value), "note": note})
    for aid, area_id, target, weight in conn.execute(
        select(area_settings.c.assessment_id, area_settings.c.area_id,
               area_settings.c.target, area_settings.c.importance)
        .where(area_settings.c.assessment_id.in_(ids))
        .order_by(area_settings.c.assessment_id, area_settings.c.area_id)
    ):
        if target is not None:
            parts[aid].targets[area_id] = target
        if weight is not None:
            parts[aid].importance[area_id] = weight
    for aid, qid, effort in conn.execute(
        select(efforts.c.assessment_id, efforts.c.question_id, efforts.c.effort)
        .where(efforts.c.assessment_id.in_(ids))
        .order_by(efforts.c.assessment_id, efforts.c.question_id)
    ):
        parts[aid].effort[qid] = effort
    for row in conn.execute(
        select(actions.c.assessment_id, *ACTION_COLUMNS)
        .where(actions.c.assessment_id.in_(ids))
        .order_by(actions.c.assessment_id, actions.c.position, actions.c.id)
    ):
        item = row._asdict()
        parts[item.pop("assessment_id")].actions.append(item)
    return parts


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
