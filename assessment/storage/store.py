"""``Store``: assessments in a database, one short transaction per edit.

Every edit the app makes (an answer, a consensus value, a target, …) is written at once
as a per-row upsert, so two people answering at the same moment never overwrite each
other's rows. Each write also bumps ``assessments.updated_at``. Every input is checked before it
is written, whoever sends it (a page, a crafted browser message, a tool): against the models of
``assessment.document`` (lengths, value ranges) and, inside the write's transaction, against
the assessment's bank (its questions, areas and scale; ``document.check_against_bank``'s
rules). A value that does not fit raises ``InvalidInput`` with a one-line message and nothing
is written. An assessment whose bank is not installed is checked against the format only.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
import uuid
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, union, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from assessment.bank import Audience, Bank
from assessment.document import (
    Action,
    Answer,
    AnswerValue,
    Assessment,
    Consensus,
    Effort,
    FreeText,
    ItemId,
    Organisation,
    Participant,
    action_misfit,
    area_misfit,
    check_against_bank,
    question_misfit,
    target_misfit,
    value_misfit,
)
from assessment.storage.checks import answer_misfit, validated as _valid
from assessment.storage.bulk import ACTION_COLUMNS, BulkMethods
from assessment.storage.config import store_url_from_env
from assessment.storage.engine import WRITE, open_engine, open_error
from assessment.storage.errors import (AlreadyExists, InvalidInput, NotFound,
                                       StorageError, WorkshopLocked, first_line)
from assessment.storage.ids import allocate_ids
from assessment.storage.join_limits import JoinLimitMethods
from assessment.storage.migrations import migrate
from assessment.storage.values import (decode_value, details_from_row, details_to_row,
                                       encode_value, utc, utc_now)
from assessment.storage.schema import (
    actions,
    answers,
    area_settings,
    assessments,
    consensus,
    efforts,
    imported_forms,
    participants,
    workshops,
)
from assessment.storage.workshops import BUMP, WorkshopMethods
from assessment.storage.workspaces import (DEFAULT_WORKSPACE, FACILITATOR, WorkspaceMethods,
                                           kept_email)
from assessment.workshop.codes import digest, matches


# The model's own types for the dict entries set one at a time.
_fields = Assessment.model_fields
_TARGETS = TypeAdapter(_fields["targets"].annotation)
_IMPORTANCE = TypeAdapter(_fields["importance"].annotation)
_EFFORT = TypeAdapter(_fields["effort"].annotation)
_ITEM_ID = TypeAdapter(ItemId)
_TEXT = TypeAdapter(FreeText)  # a comment or a note set on its own
_DATE = TypeAdapter(dt.date)
_AUDIENCE = TypeAdapter(Audience | None)


@dataclass(frozen=True)
class NewParticipant:
    """A participant to add with their answers (``Store.add_participants``); the store gives
    the id. ``answers`` are ``(question id, value, comment)``; ``form_key`` identifies the filled
    form they came from, so the same form imported again is found (``None``: not from a form)."""
    name: str = ""
    role: str = ""
    answers: Sequence[tuple[str, AnswerValue, str]] = ()
    form_key: str | None = None


@dataclass(frozen=True)
class AddedParticipant:
    """What ``add_participants`` did with one ``NewParticipant``: the id it was given, or, for a
    form imported before (``created`` false), the id of the participant that form made then."""
    participant_id: str
    created: bool


@dataclass(frozen=True)
class ActionItem:
    """One item of the action plan with its id, for editing it row by row."""
    id: int
    action: Action


@dataclass(frozen=True)
class AssessmentSummary:
    """One line of the list of assessments."""

    id: str
    bank_id: str
    bank_version: str
    org_name: str
    org_kind: Audience
    unit: str
    date: dt.date
    updated_at: dt.datetime  # UTC
    participants: int
    answered_questions: int  # distinct questions with an answer or a consensus value
    audience: Audience | None = None  # whose questions are scored (None: the organisation's kind)
    workspace_id: str = DEFAULT_WORKSPACE


@dataclass(frozen=True)
class LockedWorkshop:
    """An assessment run as a workshop that this caller may not open (``locked_workshops``):
    only that it exists and when its last workshop was opened, nothing of its content."""
    assessment_id: str
    opened_at: dt.datetime  # UTC
    workspace_id: str = DEFAULT_WORKSPACE


class Store(WorkshopMethods, BulkMethods, JoinLimitMethods, WorkspaceMethods):
    """Assessments in an SQLite file or a PostgreSQL database.

    ``Store()`` opens the database the environment names (see ``store_url_from_env``);
    ``Store(url)`` opens ``url``. Opening creates or migrates the schema and raises
    ``StorageError`` for a database that cannot be used. A ``Store`` may be shared by
    threads. Example::

        store = Store.from_env()
        aid = store.create_assessment(assessment)
        store.set_answer(aid, "p1", "A.1", 3)
        assert store.load(aid).answers[-1].value == 3

    Many assessments at once, for scoring: ``store.scoring_inputs(ids)`` (``bulk.py``).

    A ``Store`` as opened is the database's owner (the command line, tools, tests): it reads
    and writes every assessment. The app works through ``store.for_caller(keys)``, which
    holds what the browser session has given: on an assessment run as a live workshop every
    read and write then needs that workshop's facilitator key (``WorkshopLocked``); with
    sign-in, ``for_caller(keys, member=email)`` also limits it to the member's workspaces
    and role (``workspaces.py``: ``NotAMember``, ``ReadOnlyRole``).
    """

    _caller: frozenset[str] | None = None  # None: the owner; else the facilitator keys given

    def __init__(self, url: str | None = None, banks=None):
        """``banks`` (a ``BankSet``, or a mapping of bank id to ``Bank``) are what writes are
        checked against; by default the installed banks, loaded at the first write."""
        self._banks = [banks]   # shared with the ``for_caller`` views; loaded when first needed
        url = url or store_url_from_env()
        self._engine, self.location = open_engine(url)
        backend = self._engine.dialect.name
        self._insert = sqlite_insert if backend == "sqlite" else pg_insert
        self._upserts: dict[bool, object] = {}   # keep_comment → the answer upsert
        self._write_lock = threading.RLock() if backend == "sqlite" else nullcontext()
        try:
            migrate(self._engine, self.location)
        except StorageError:
            self._engine.dispose()
            raise
        except (SQLAlchemyError, self._engine.dialect.loaded_dbapi.Error) as exc:
            self._engine.dispose()
            raise open_error(self.location, backend, exc) from None

    @classmethod
    def from_env(cls, banks=None) -> Store:
        """The store at ``PSA_DATABASE_URL``, else the SQLite file at ``PSA_DB_PATH``."""
        return cls(store_url_from_env(), banks)

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    def for_caller(self, facilitator_keys: Iterable[str] = (), member: str | None = None) -> Store:
        """This store as one caller sees it: an assessment on which a workshop was ever opened
        is read and changed only with one of its facilitator keys in ``facilitator_keys``;
        every other read or write of it raises ``WorkshopLocked``. With ``member`` (the
        signed-in user's e-mail) only the assessments of the member's workspaces are listed
        and read (else ``NotAMember``), and changed only where they are a facilitator (else
        ``ReadOnlyRole``). Shares the connections (closing either closes both). Participants'
        token methods and the facilitator's secret methods check their own token or secret
        as before."""
        view = copy.copy(self)
        view._caller = frozenset(k for k in facilitator_keys if isinstance(k, str) and k)
        view._member = None if member is None else kept_email(member)
        return view

    def _locked_ids(self, conn: Connection, ids: list[str]) -> list[str]:
        """Those of ``ids`` this caller may not read: run as a workshop, none of whose keys it
        has given, and not in a workspace where it is a facilitator member."""
        if self._caller is None or not ids:
            return []
        mine = self._roles(conn) if self._member is not None else {}
        hashes: dict[str, list[str]] = {}
        for start in range(0, len(ids), 500):
            for aid, secret_hash, workspace_id in conn.execute(
                select(workshops.c.assessment_id, workshops.c.secret_hash,
                       assessments.c.workspace_id)
                .join(assessments, assessments.c.id == workshops.c.assessment_id)
                .where(workshops.c.assessment_id.in_(ids[start:start + 500]))
            ):
                if mine.get(workspace_id) != FACILITATOR:
                    hashes.setdefault(aid, []).append(secret_hash)
        given = {digest(k) for k in self._caller}
        return [aid for aid in ids if aid in hashes and given.isdisjoint(hashes[aid])]

    def _check_access(self, conn: Connection, aid: str, write: bool = False) -> None:
        """``NotAMember`` unless the caller's workspaces hold assessment ``aid``, ``ReadOnlyRole``
        for a write by a reader, ``WorkshopLocked`` unless this caller may read and change it
        (run inside the transaction that reads or writes it, so a workshop opened meanwhile
        counts). A facilitator member of the assessment's workspace needs no key: the workspace
        is theirs to run (a reader still needs one)."""
        if self._check_workspace(conn, aid, write) != FACILITATOR:
            self._check_workshop_key(conn, aid)

    def _check_workshop_key(self, conn: Connection, aid: str) -> None:
        """``WorkshopLocked`` unless this caller holds a facilitator key of a workshop run on
        ``aid`` (the owner and an assessment never run as a workshop pass)."""
        if self._caller is None:
            return
        hashes = conn.execute(_WORKSHOP_SECRETS, {"aid": aid}).scalars().all()
        if hashes and not any(matches(k, h) for k in self._caller for h in hashes):
            raise WorkshopLocked(
                "this assessment is run as a live workshop: only its facilitator can see and "
                "change it; give the facilitator key (the bookmark link from the Workshop page)"
            )

    def _bank(self, bank_id: str) -> Bank | None:
        if self._banks[0] is None:
            from assessment.bank_loader import load_banks  # it imports the file rules
            self._banks[0] = load_banks()
        return self._banks[0].get(bank_id)

    def _require_fit(self, conn: Connection, aid: str, check) -> None:
        """``InvalidInput`` unless ``check(bank)`` (a misfit message, or None) passes for the
        assessment's bank; run inside the write's transaction, before anything is written."""
        self._require_bank_fit(conn.execute(_BANK_ID, {"aid": aid}).scalar_one_or_none(), check)

    def _require_bank_fit(self, bank_id: str | None, check) -> None:
        """``InvalidInput`` unless ``check(bank)`` passes for bank ``bank_id`` (a bank that is
        not installed is not checked)."""
        bank = self._bank(bank_id) if bank_id is not None else None
        misfit = check(bank) if bank is not None else None
        if misfit:
            raise InvalidInput(misfit)

    def _whole_fits(self, a: Assessment) -> None:
        """``InvalidInput`` unless a whole assessment's rows fit its bank (read as the installed
        version of it, as every reader does; another version number is the readers' to name)."""
        bank = self._bank(a.bank.id)
        if bank is None:
            return
        from assessment.bank_upgrade import upgrade  # it builds on the document models
        problems = [p for p in check_against_bank(upgrade(a, bank), bank, "")
                    if p.place != "bank.version"]
        if problems:
            extra = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise InvalidInput(f"{problems[0].place}: {problems[0].message}{extra}")

    def close(self) -> None:
        """Close every pooled connection; the store must not be used afterwards."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # --- whole assessments ---------------------------------------------------------

    def create_assessment(self, a: Assessment, workspace: str | None = None) -> str:
        """Store a new assessment with all its content in ``workspace`` (an id; by default the
        default workspace), where a signed-in caller must be a facilitator; returns its new id."""
        a = _checked(a)
        _check_structure(a)
        self._whole_fits(a)
        aid = uuid.uuid4().hex
        now = utc_now()
        workspace = workspace or DEFAULT_WORKSPACE
        with self._transaction() as conn:
            self._require_role(conn, workspace, write=True)
            conn.execute(insert(assessments).values(
                id=aid, created_at=now, updated_at=now, workspace_id=workspace,
                **details_to_row(a)
            ))
            _insert_content(conn, aid, a, now)
        return aid

    def delete_assessment(self, aid: str) -> None:
        with self._transaction() as conn:
            self._check_access(conn, aid, write=True)
            gone = conn.execute(delete(assessments).where(assessments.c.id == aid)).rowcount
            if gone == 0:
                raise self._not_found(aid)

    def updated_at(self, aid: str) -> dt.datetime | None:
        """When assessment ``aid`` last changed (every write bumps it); None for an unknown id.
        A cheap check of whether a loaded copy is still current."""
        with self._reading() as conn:
            version = conn.execute(_VERSION, {"aid": aid}).scalar_one_or_none()
            if version is not None:
                self._check_access(conn, aid)
            return version

    def load(self, aid: str) -> Assessment:
        """The assessment as stored; ``NotFound`` for an unknown id."""
        with self._reading() as conn:
            row = conn.execute(select(assessments).where(assessments.c.id == aid)).one_or_none()
            if row is None:
                raise self._not_found(aid)
            self._check_access(conn, aid)
            people = conn.execute(
                select(participants.c.id, participants.c.name, participants.c.role)
                .where(participants.c.assessment_id == aid)
                .order_by(participants.c.position)
            ).all()
            answer_rows = conn.execute(
                select(answers.c.participant_id, answers.c.question_id,
                       answers.c.value, answers.c.comment)
                .join(participants, and_(
                    participants.c.assessment_id == answers.c.assessment_id,
                    participants.c.id == answers.c.participant_id,
                ))
                .where(answers.c.assessment_id == aid)
                .order_by(participants.c.position, answers.c.seq)
            ).all()
            consensus_rows = conn.execute(
                select(consensus.c.question_id, consensus.c.value, consensus.c.note)
                .where(consensus.c.assessment_id == aid)
                .order_by(consensus.c.seq)
            ).all()
            settings = conn.execute(
                select(area_settings.c.area_id, area_settings.c.target, area_settings.c.importance)
                .where(area_settings.c.assessment_id == aid)
                .order_by(area_settings.c.area_id)
            ).all()
            effort_rows = conn.execute(
                select(efforts.c.question_id, efforts.c.effort)
                .where(efforts.c.assessment_id == aid)
                .order_by(efforts.c.question_id)
            ).all()
            action_rows = conn.execute(
                select(*ACTION_COLUMNS)
                .where(actions.c.assessment_id == aid)
                .order_by(actions.c.position, actions.c.id)
            ).all()
        return Assessment.model_validate({
            **details_from_row(row),
            "participants": [{"id": p.id, "name": p.name, "role": p.role} for p in people],
            "answers": [
                {"participant": r.participant_id, "question": r.question_id,
                 "value": decode_value(r.value), "comment": r.comment}
                for r in answer_rows
            ],
            "consensus": [
                {"question": r.question_id, "value": decode_value(r.value), "note": r.note}
                for r in consensus_rows
            ],
            "targets": {s.area_id: s.target for s in settings if s.target is not None},
            "importance": {s.area_id: s.importance for s in settings if s.importance is not None},
            "effort": {r.question_id: r.effort for r in effort_rows},
            "actions": [r._asdict() for r in action_rows],
        }, context={"stored": True})

    def list_assessments(self) -> list[AssessmentSummary]:
        """Every assessment, the most recently edited first; for a caller
        (``for_caller``) without those run as a workshop whose key it has not given, and for a
        member only those of their workspaces."""
        answered = union(
            select(answers.c.assessment_id, answers.c.question_id),
            select(consensus.c.assessment_id, consensus.c.question_id),
        ).subquery()
        with self._reading() as conn:
            rows = conn.execute(
                select(assessments).order_by(
                    assessments.c.updated_at.desc(), assessments.c.created_at.desc(),
                    assessments.c.id,
                )
            ).all()
            people = dict(conn.execute(
                select(participants.c.assessment_id, func.count())
                .group_by(participants.c.assessment_id)
            ).all())
            questions = dict(conn.execute(
                select(answered.c.assessment_id, func.count()).group_by(answered.c.assessment_id)
            ).all())
            if self._member is not None:
                mine = self._roles(conn)
                rows = [r for r in rows if r.workspace_id in mine]
            locked = set(self._locked_ids(conn, [r.id for r in rows]))
        return [
            AssessmentSummary(
                id=r.id, bank_id=r.bank_id, bank_version=r.bank_version, org_name=r.org_name,
                org_kind=Audience(r.org_kind), unit=r.unit, date=r.date,
                updated_at=utc(r.updated_at), participants=people.get(r.id, 0),
                answered_questions=questions.get(r.id, 0),
                audience=Audience(r.audience) if r.audience else None,
                workspace_id=r.workspace_id,
            )
            for r in rows if r.id not in locked
        ]

    def locked_workshops(self) -> list[LockedWorkshop]:
        """The assessments run as a workshop that ``list_assessments`` leaves out for this
        caller (no key of theirs given; for a member, in their workspaces), the workshop opened
        last first. Empty for the owner, who may open everything."""
        opened = func.max(workshops.c.created_at)
        with self._reading() as conn:
            rows = conn.execute(
                select(workshops.c.assessment_id, opened, assessments.c.workspace_id)
                .join(assessments, assessments.c.id == workshops.c.assessment_id)
                .group_by(workshops.c.assessment_id, assessments.c.workspace_id)
                .order_by(opened.desc(), workshops.c.assessment_id)
            ).all()
            if self._member is not None:
                mine = self._roles(conn)
                rows = [r for r in rows if r.workspace_id in mine]
            locked = set(self._locked_ids(conn, [r.assessment_id for r in rows]))
        return [LockedWorkshop(r.assessment_id, utc(r[1]), r.workspace_id)
                for r in rows if r.assessment_id in locked]

    def update_details(
        self, aid: str, organisation: Organisation, date: dt.date, audience: Audience | None
    ) -> None:
        """Set the organisation, the date and the audience (``None``: the organisation's kind)."""
        organisation = _checked(organisation)
        date = _valid(_DATE.validate_python, date)
        audience = _valid(_AUDIENCE.validate_python, audience)
        with self._writing(aid) as conn:
            conn.execute(update(assessments).where(assessments.c.id == aid).values(
                org_name=organisation.name, org_kind=organisation.kind.value,
                unit=organisation.unit, date=date,
                audience=audience.value if audience else None,
            ))

    # --- participants --------------------------------------------------------------

    def add_participant(self, aid: str, participant: Participant) -> None:
        """Add a participant after the others; ``AlreadyExists`` if the id is taken."""
        p = _checked(participant)
        taken = AlreadyExists(f"participant id {p.id!r} is already used in assessment {aid}")
        with self._writing(aid, on_conflict=taken) as conn:
            position = select(func.coalesce(func.max(participants.c.position), -1) + 1).where(
                participants.c.assessment_id == aid
            ).scalar_subquery()
            conn.execute(insert(participants).values(
                assessment_id=aid, id=p.id, name=p.name, role=p.role, position=position
            ))

    def new_participant(self, aid: str, name: str = "", role: str = "", prefix: str = "p") -> str:
        """Add a participant after the others with an id the store allocates (``p1``, ``p2``, …,
        one past the highest number in use, so a removed participant's id is not reused);
        returns the id. Two sessions adding at once get different ids."""
        return self.add_participants(aid, [NewParticipant(name, role)], prefix)[0].participant_id

    def add_participants(self, aid: str, people: Sequence[NewParticipant],
                         prefix: str = "p") -> list[AddedParticipant]:
        """Add ``people`` with their answers in one transaction, after the participants already
        there, each with a new id from the store's allocator; everyone else, their answers and
        every workshop token stay as they are. A person whose ``form_key`` was imported before
        (in this or an earlier call) is not added again: their entry names the participant it
        made then (``created`` false). Returns one entry per person, in order."""
        checked = [_new_person(i, person) for i, person in enumerate(people)]
        now = utc_now()
        result: list[AddedParticipant] = []
        with self._writing(aid, now) as conn:
            self._require_fit(conn, aid, lambda bank: next(filter(None, (
                question_misfit(bank, qid) or value_misfit(bank, value)
                for person in checked for qid, value, _ in person.answers)), None))
            known = dict(conn.execute(
                select(imported_forms.c.form_key, imported_forms.c.participant_id)
                .where(imported_forms.c.assessment_id == aid)
            ).all()) if any(p.form_key for p in checked) else {}
            ids = allocate_ids(conn, aid, prefix, len(checked))
            position = conn.execute(
                select(func.coalesce(func.max(participants.c.position), -1) + 1)
                .where(participants.c.assessment_id == aid)
            ).scalar_one()
            seq = conn.execute(select(func.coalesce(func.max(answers.c.seq), -1) + 1)
                               .where(answers.c.assessment_id == aid)).scalar_one()
            for person in checked:
                if person.form_key and person.form_key in known:
                    result.append(AddedParticipant(known[person.form_key], False))
                    continue
                pid = ids.pop(0)
                conn.execute(insert(participants).values(
                    assessment_id=aid, id=pid, name=person.name, role=person.role,
                    position=position,
                ))
                position += 1
                if person.answers:
                    conn.execute(insert(answers), [
                        {"assessment_id": aid, "participant_id": pid, "question_id": qid,
                         "value": encode_value(value), "comment": comment, "seq": seq + n,
                         "updated_at": now}
                        for n, (qid, value, comment) in enumerate(person.answers)
                    ])
                    seq += len(person.answers)
                if person.form_key:
                    conn.execute(insert(imported_forms).values(
                        assessment_id=aid, form_key=person.form_key, participant_id=pid,
                        created_at=now,
                    ))
                    known[person.form_key] = pid
                result.append(AddedParticipant(pid, True))
        return result

    def update_participant(self, aid: str, participant: Participant) -> None:
        """Change a participant's name and role; ``NotFound`` for an unknown id."""
        p = _checked(participant)
        with self._writing(aid) as conn:
            changed = conn.execute(
                update(participants)
                .where(participants.c.assessment_id == aid, participants.c.id == p.id)
                .values(name=p.name, role=p.role)
            ).rowcount
            if changed == 0:
                raise NotFound(f"participant {p.id!r} is not in assessment {aid}")

    def remove_participant(self, aid: str, pid: str) -> None:
        """Remove a participant and their answers (nothing happens for an unknown id)."""
        with self._writing(aid) as conn:
            conn.execute(delete(answers).where(
                answers.c.assessment_id == aid, answers.c.participant_id == pid
            ))
            conn.execute(delete(participants).where(
                participants.c.assessment_id == aid, participants.c.id == pid
            ))

    # --- answers and consensus -----------------------------------------------------

    def set_answer(
        self, aid: str, pid: str, question_id: str, value: AnswerValue, comment: str | None = ""
    ) -> None:
        """Set (or overwrite) one participant's answer to one question. With ``comment=None``
        an answer that is already there keeps its comment."""
        answer = _valid(Answer, participant=pid, question=question_id, value=value,
                        comment=comment or "")
        unknown = NotFound(f"participant {pid!r} is not in assessment {aid}")
        now = utc_now()
        with self._writing(aid, now, on_conflict=unknown) as conn:
            self._require_fit(conn, aid, lambda bank: answer_misfit(bank, answer))
            self._put_answer(conn, aid, answer.participant, answer, now,
                             keep_comment=comment is None)

    def set_answer_comment(self, aid: str, pid: str, question_id: str, comment: str) -> bool:
        """Set only the comment of one participant's answer, in one statement, so a level saved
        meanwhile (another tab) stays; False, and nothing written, when there is no answer
        (a comment is not saved on its own)."""
        now = utc_now()
        with self._writing(aid, now) as conn:
            return self._put_comment(conn, aid, pid, question_id, comment, now)

    def participant_answers(self, aid: str, pid: str) -> dict[str, tuple[AnswerValue, str]]:
        """question id → (value, comment) of one participant's answers: what the questionnaire
        shows after every click, without loading the whole assessment."""
        with self._reading() as conn:
            self._check_access(conn, aid)
            rows = conn.execute(_PARTICIPANT_ANSWERS, {"aid": aid, "pid": pid}).all()
        return {r.question_id: (decode_value(r.value), r.comment) for r in rows}

    def _put_answer(self, conn: Connection, aid: str, pid: str, answer: Answer,
                    now: dt.datetime, keep_comment: bool = False) -> None:
        """Upsert one checked answer (inside a write transaction that locked ``aid``)."""
        conn.execute(self._answer_upsert(keep_comment), {
            "aid": aid, "pid": pid, "qid": answer.question, "value": encode_value(answer.value),
            "comment": answer.comment, "now": now,
        })

    def _put_comment(self, conn: Connection, aid: str, pid: str, question_id: str, comment: str,
                     now: dt.datetime) -> bool:
        """Update the comment of one answer (inside a write transaction that locked ``aid``);
        whether there was an answer."""
        comment = _valid(_TEXT.validate_python, comment)
        return conn.execute(_COMMENT_UPDATE, {
            "aid": aid, "pid": pid, "qid": question_id, "comment": comment, "now": now,
        }).rowcount > 0

    def _answer_upsert(self, keep_comment: bool):
        """The upsert of one answer, built once per store: building it anew for every click
        cost more than running it (SQLAlchemy builds the ``excluded`` columns each time)."""
        built = self._upserts.get(keep_comment)
        if built is None:
            stmt = self._insert(answers).values(
                assessment_id=bindparam("aid"), participant_id=bindparam("pid"),
                question_id=bindparam("qid"), value=bindparam("value"),
                comment=bindparam("comment"), seq=_next_seq(answers, bindparam("aid")),
                updated_at=bindparam("now"),
            )
            built = self._upserts[keep_comment] = stmt.on_conflict_do_update(
                index_elements=[answers.c.assessment_id, answers.c.participant_id,
                                answers.c.question_id],
                set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at}
                | ({} if keep_comment else {"comment": stmt.excluded.comment}),
            )
        return built

    def clear_answer(self, aid: str, pid: str, question_id: str) -> None:
        with self._writing(aid) as conn:
            conn.execute(delete(answers).where(
                answers.c.assessment_id == aid, answers.c.participant_id == pid,
                answers.c.question_id == question_id,
            ))

    def set_consensus(self, aid: str, question_id: str, value: AnswerValue,
                      note: str | None = "") -> None:
        """Set (or overwrite) the value the group agreed on for one question. With
        ``note=None`` a value that is already there keeps its note (in the same statement, so
        a note saved meanwhile stays)."""
        agreed = _valid(Consensus, question=question_id, value=value, note=note or "")
        with self._writing(aid) as conn:
            self._require_fit(conn, aid, lambda bank: answer_misfit(bank, agreed))
            stmt = self._insert(consensus).values(
                assessment_id=aid, question_id=agreed.question, value=encode_value(agreed.value),
                note=agreed.note, seq=_next_seq(consensus, aid),
            )
            conn.execute(stmt.on_conflict_do_update(
                index_elements=[consensus.c.assessment_id, consensus.c.question_id],
                set_={"value": stmt.excluded.value}
                | ({} if note is None else {"note": stmt.excluded.note}),
            ))

    def set_consensus_note(self, aid: str, question_id: str, note: str) -> bool:
        """Set only the note of one agreed value, in one statement, so a level agreed meanwhile
        stays; False, and nothing written, when no value is agreed for the question."""
        note = _valid(_TEXT.validate_python, note)
        with self._writing(aid) as conn:
            return conn.execute(update(consensus).where(
                consensus.c.assessment_id == aid, consensus.c.question_id == question_id
            ).values(note=note)).rowcount > 0

    def clear_consensus(self, aid: str, question_id: str) -> None:
        with self._writing(aid) as conn:
            conn.execute(delete(consensus).where(
                consensus.c.assessment_id == aid, consensus.c.question_id == question_id
            ))

    # --- priorities ----------------------------------------------------------------

    def set_target(self, aid: str, area_id: str, value: float | None) -> None:
        """Set an area's target level; ``None`` removes it (the default applies again)."""
        self._set_area(aid, area_id, "target", _TARGETS, value, target_misfit)

    def set_importance(self, aid: str, area_id: str, value: int | None) -> None:
        """Set an area's importance (1–3); ``None`` removes it."""
        self._set_area(aid, area_id, "importance", _IMPORTANCE, value, lambda bank, value: None)

    def set_effort(self, aid: str, question_id: str, effort: Effort | str | None) -> None:
        """Set the effort a question's activity takes; ``None`` removes it."""
        if effort is None:
            question_id = _valid(_ITEM_ID.validate_python, question_id)
            with self._writing(aid) as conn:
                conn.execute(delete(efforts).where(
                    efforts.c.assessment_id == aid, efforts.c.question_id == question_id
                ))
            return
        ((question_id, effort),) = _valid(_EFFORT.validate_python, {question_id: effort}).items()
        with self._writing(aid) as conn:
            self._require_fit(conn, aid, lambda bank: question_misfit(bank, question_id))
            stmt = self._insert(efforts).values(
                assessment_id=aid, question_id=question_id, effort=effort.value
            )
            conn.execute(stmt.on_conflict_do_update(
                index_elements=[efforts.c.assessment_id, efforts.c.question_id],
                set_={"effort": stmt.excluded.effort},
            ))

    def _set_area(self, aid: str, area_id: str, column: str, adapter: TypeAdapter, value,
                  value_misfit_of) -> None:
        key = (area_settings.c.assessment_id == aid, area_settings.c.area_id == area_id)
        if value is None:
            area_id = _valid(_ITEM_ID.validate_python, area_id)
            with self._writing(aid) as conn:
                conn.execute(update(area_settings).where(*key).values({column: None}))
                conn.execute(delete(area_settings).where(
                    *key, area_settings.c.target.is_(None), area_settings.c.importance.is_(None)
                ))
            return
        ((area_id, value),) = _valid(adapter.validate_python, {area_id: value}).items()
        with self._writing(aid) as conn:
            self._require_fit(conn, aid, lambda bank: area_misfit(bank, area_id)
                              or value_misfit_of(bank, value))
            stmt = self._insert(area_settings).values(
                {"assessment_id": aid, "area_id": area_id, column: value}
            )
            conn.execute(stmt.on_conflict_do_update(
                index_elements=[area_settings.c.assessment_id, area_settings.c.area_id],
                set_={column: stmt.excluded[column]},
            ))

    # --- action plan ---------------------------------------------------------------

    def add_action(self, aid: str, action: Action, *, unless_planned: bool = False) -> int | None:
        """Add an action at the end of the plan; returns its id. With ``unless_planned`` nothing
        is added (None) when the plan already has an item for the action's activity (a local
        action, without one, is always added)."""
        action = _checked(action)
        with self._writing(aid) as conn:
            self._require_fit(conn, aid, lambda bank: action_misfit(bank, action))
            if unless_planned and conn.execute(
                select(actions.c.id).where(actions.c.assessment_id == aid,
                                           actions.c.activity == action.activity).limit(1)
            ).first() is not None:
                return None
            position = select(func.coalesce(func.max(actions.c.position), -1) + 1).where(
                actions.c.assessment_id == aid
            ).scalar_subquery()
            return conn.execute(
                insert(actions).values(_action_row(aid, position, action))
                .returning(actions.c.id)
            ).scalar_one()

    def action_items(self, aid: str) -> list[ActionItem]:
        """The action plan with each item's id, in order (the same order as ``load``)."""
        with self._reading() as conn:
            if conn.execute(_VERSION, {"aid": aid}).first() is None:
                raise self._not_found(aid)
            self._check_access(conn, aid)
            rows = conn.execute(
                select(actions).where(actions.c.assessment_id == aid)
                .order_by(actions.c.position, actions.c.id)
            ).all()
        return [ActionItem(r.id, _action_from_row(r)) for r in rows]

    def update_action(self, aid: str, action_id: int, **changes) -> Action:
        """Change the given fields (``title``, ``owner``, ``due``, ``status``, ``note``,
        ``activity``) of one item; the others keep what is stored, so two people editing
        different fields or items keep both edits. ``NotFound`` if the item is gone."""
        unknown = set(changes) - set(Action.model_fields)
        if unknown:
            raise ValueError(f"not fields of an action: {', '.join(sorted(unknown))}")
        with self._writing(aid) as conn:
            row = conn.execute(select(actions).where(
                actions.c.assessment_id == aid, actions.c.id == action_id)).one_or_none()
            if row is None:
                raise NotFound(f"action item {action_id} is not in the plan of assessment {aid} "
                               "(someone removed it)")
            merged = _valid(Action.model_validate, {**_action_from_row(row).model_dump(), **changes})
            self._require_fit(conn, aid, lambda bank: action_misfit(bank, merged))
            values = _action_row(aid, row.position, merged)
            conn.execute(update(actions).where(actions.c.id == action_id).values(values))
        return merged

    def remove_action(self, aid: str, action_id: int) -> bool:
        """Remove one item of the plan; False if it was already gone."""
        with self._writing(aid) as conn:
            return conn.execute(delete(actions).where(
                actions.c.assessment_id == aid, actions.c.id == action_id)).rowcount > 0

    def remove_activity_actions(self, aid: str, activity: str) -> int:
        """Remove every item of the plan for one activity (question id); how many went."""
        with self._writing(aid) as conn:
            return conn.execute(delete(actions).where(
                actions.c.assessment_id == aid, actions.c.activity == activity)).rowcount

    # --- transactions --------------------------------------------------------------

    @contextmanager
    def _transaction(
        self, on_conflict: StorageError | None = None
    ) -> Iterator[Connection]:
        """One write transaction; database errors become one-line ``StorageError``s.

        On SQLite the writers of this process queue on a lock first: SQLite's own busy
        handler makes a waiting writer sleep in growing steps (up to 100 ms) even when the
        lock frees a millisecond later, which gave 30 concurrent participants a p95 of
        100 ms for a 2 ms write. Writers in other processes still wait through the busy
        timeout."""
        try:
            with self._write_lock, self._engine.connect() as conn:
                conn.execution_options(**{WRITE: True})
                with conn.begin():
                    yield conn
        except IntegrityError as exc:
            if on_conflict is not None:
                raise on_conflict from exc
            raise StorageError(f"the database at {self.location} refused the change: "
                               f"{first_line(exc)}") from exc
        except SQLAlchemyError as exc:
            raise StorageError(f"database error at {self.location}: {first_line(exc)}") from exc

    @contextmanager
    def _writing(
        self, aid: str, now: dt.datetime | None = None, on_conflict: StorageError | None = None
    ) -> Iterator[Connection]:
        """A write to assessment ``aid``: bumps its ``updated_at`` first, ``NotFound`` if absent.

        On PostgreSQL the bump also locks the assessment's row, so writes to one
        assessment follow each other (SQLite's ``BEGIN IMMEDIATE`` does the same).
        """
        with self._transaction(on_conflict) as conn:
            if conn.execute(BUMP, {"aid": aid, "now": now or utc_now()}).rowcount == 0:
                raise self._not_found(aid)
            self._check_access(conn, aid, write=True)
            yield conn

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A read transaction that sees one consistent state of the database."""
        try:
            with self._engine.connect() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    yield conn
        except SQLAlchemyError as exc:
            raise StorageError(f"database error at {self.location}: {first_line(exc)}") from exc

    def _not_found(self, aid: str) -> NotFound:
        return NotFound(f"there is no assessment with id {aid!r} in {self.location}")


# --- rows ------------------------------------------------------------------------------

def _insert_content(conn: Connection, aid: str, a: Assessment, now: dt.datetime) -> None:
    """Insert every part of ``a`` under ``aid`` (the assessment row exists already)."""
    rows_by_table = [
        (participants, [
            {"assessment_id": aid, "id": p.id, "name": p.name, "role": p.role, "position": i}
            for i, p in enumerate(a.participants)
        ]),
        (answers, [
            {"assessment_id": aid, "participant_id": x.participant, "question_id": x.question,
             "value": encode_value(x.value), "comment": x.comment, "seq": i, "updated_at": now}
            for i, x in enumerate(a.answers)
        ]),
        (consensus, [
            {"assessment_id": aid, "question_id": c.question, "value": encode_value(c.value),
             "note": c.note, "seq": i}
            for i, c in enumerate(a.consensus)
        ]),
        (area_settings, [
            {"assessment_id": aid, "area_id": area_id, "target": a.targets.get(area_id),
             "importance": a.importance.get(area_id)}
            for area_id in {**a.targets, **a.importance}
        ]),
        (efforts, [
            {"assessment_id": aid, "question_id": qid, "effort": effort.value}
            for qid, effort in a.effort.items()
        ]),
        (actions, [_action_row(aid, i, action) for i, action in enumerate(a.actions)]),
    ]
    for table, rows in rows_by_table:
        if rows:
            conn.execute(insert(table), rows)


def _action_from_row(row) -> Action:
    return Action.model_validate({name: getattr(row, name) for name in Action.model_fields})


def _new_person(index: int, person: NewParticipant) -> NewParticipant:
    """``person`` with its name, role and answers checked by the document's models."""
    checked = _valid(Participant, id="x", name=person.name, role=person.role)
    seen: set[str] = set()
    rows = []
    for qid, value, comment in person.answers:
        answer = _valid(Answer, participant="x", question=qid, value=value, comment=comment or "")
        if answer.question in seen:
            raise StorageError(f"cannot add participant {index + 1}: question "
                               f"{answer.question!r} is answered twice")
        seen.add(answer.question)
        rows.append((answer.question, answer.value, answer.comment))
    return NewParticipant(checked.name, checked.role, tuple(rows), person.form_key or None)


def _action_row(aid: str, position, action: Action) -> dict:
    """The row of one action; a local action's activity is stored as "" (the column is NOT
    NULL), which ``Action`` reads back as None."""
    return {"assessment_id": aid, "position": position,
            **action.model_dump(mode="python"), "activity": action.activity or "",
            "status": action.status.value}


# Built once: the questionnaire runs these on every click.
_VERSION = select(assessments.c.updated_at).where(assessments.c.id == bindparam("aid"))
_BANK_ID = select(assessments.c.bank_id).where(assessments.c.id == bindparam("aid"))
_WORKSHOP_SECRETS = select(workshops.c.secret_hash).where(
    workshops.c.assessment_id == bindparam("aid"))
_PARTICIPANT_ANSWERS = (
    select(answers.c.question_id, answers.c.value, answers.c.comment)
    .where(answers.c.assessment_id == bindparam("aid"), answers.c.participant_id == bindparam("pid"))
)


_COMMENT_UPDATE = (
    update(answers)
    .where(answers.c.assessment_id == bindparam("aid"), answers.c.participant_id == bindparam("pid"),
           answers.c.question_id == bindparam("qid"))
    .values(comment=bindparam("comment"), updated_at=bindparam("now"))
)


def _next_seq(table, aid):
    """The next insertion number within an assessment (writes to one assessment are serial)."""
    return select(func.coalesce(func.max(table.c.seq), -1) + 1).where(
        table.c.assessment_id == aid
    ).scalar_subquery()


def _check_structure(a: Assessment) -> None:
    """What the tables' keys need: unique participants and answers, answers by participants."""
    people: set[str] = set()
    for i, p in enumerate(a.participants):
        if p.id in people:
            raise StorageError(f"cannot store the assessment: participants[{i}].id "
                               f"{p.id!r} is used twice")
        people.add(p.id)
    answered: set[tuple[str, str]] = set()
    for i, x in enumerate(a.answers):
        if x.participant not in people:
            raise StorageError(f"cannot store the assessment: answers[{i}].participant "
                               f"{x.participant!r} is not in participants")
        if (x.participant, x.question) in answered:
            raise StorageError(f"cannot store the assessment: answers[{i}] answers "
                               f"{x.question!r} a second time for {x.participant!r}")
        answered.add((x.participant, x.question))
    agreed: set[str] = set()
    for i, c in enumerate(a.consensus):
        if c.question in agreed:
            raise StorageError(f"cannot store the assessment: consensus[{i}].question "
                               f"{c.question!r} has two consensus values")
        agreed.add(c.question)


def _checked(model: BaseModel):
    """The model validated again (fields may have been assigned after it was built)."""
    return _valid(type(model).model_validate, model.model_dump())

