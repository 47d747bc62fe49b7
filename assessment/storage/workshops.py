"""Live workshops in the store: join codes, facilitator secrets, participant tokens.

``Store`` inherits these methods (``WorkshopMethods``). Access rules, enforced here and
not only in the pages:

* ``open_workshop`` gives a join code and a facilitator secret, once; the database keeps
  only their SHA-256 digests.
* A **facilitator secret** is needed to change the workshop's state and to see progress.
* A **join code** only lets someone join (``join``) while the workshop is open; it
  stops finding the workshop when it is closed, at once or after ``expires_after``. The
  **join link** (``link_from_secret``) does the same without being a typed code: it cannot
  be guessed, so it is not counted against the wrong-code limits.
* Joins are limited per client address and browser session (``JoinLimits``), and to the
  number of participants the facilitator expects, if they gave one (``WorkshopFull``).
* A **participant token** (from ``join``) reads and writes that participant's own
  answers in that one workshop, and writes only while the workshop is open.

Codes, secrets and tokens are compared in constant time and never put into messages.
"""

from __future__ import annotations

import datetime as dt
import hmac
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Literal, NamedTuple, Sequence

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from assessment.bank import Audience
from assessment.document import Answer, AnswerValue, Participant, area_misfit
from assessment.storage.checks import answer_misfit, validated as _valid
from assessment.storage.errors import (
    AccessDenied,
    InvalidInput,
    NotFound,
    StorageError,
    WorkshopClosed,
    WorkshopFull,
)
from assessment.storage.ids import allocate_ids
from assessment.storage.values import decode_value, utc, utc_now
from assessment.storage.schema import (
    answers,
    assessments,
    participants,
    workshop_areas,
    workshop_participants,
    workshops,
)
from assessment.workshop.codes import (
    code_from_secret,
    digest,
    link_from_secret,
    lookup_prefix,
    matches,
    new_secret,
    normalise_code,
    split_token,
)
from assessment.workshop.ratelimit import JOIN, JoinLimits

WorkshopState = Literal["open", "closed", "consensus"]
WORKSHOP_STATES: tuple[str, ...] = ("open", "closed", "consensus")

_NO_DIGEST = digest("")  # compared against when nothing was found, so both paths take as long
_BAD_SECRET = "the facilitator link is not valid for this workshop"
_BAD_TOKEN = "the participant link is not valid"
_BAD_CODE = "there is no open workshop with this join code"
_BAD_LINK = "the join link is not valid, or its workshop is no longer open"
MAX_EXPECTED = 1000  # participants a facilitator may expect


class WorkshopKeys(NamedTuple):
    """What ``open_workshop`` gives, once: the join code and the facilitator secret."""

    code: str
    secret: str


@dataclass(frozen=True)
class Workshop:
    id: str
    assessment_id: str
    anonymous: bool
    state: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    expires_after: dt.timedelta | None  # how long the code still works after closing
    areas: tuple[str, ...] = ()  # the day's areas, in bank order; empty: every area
    expected: int | None = None  # participants the facilitator expects; None: no limit
    has_link: bool = True  # False for a workshop opened before join links (migration 7)

    def code_valid(self, now: dt.datetime) -> bool:
        """Whether the join code still finds this workshop at ``now``."""
        if self.state == "open":
            return True
        if self.closed_at is None or self.expires_after is None:
            return False
        return now < self.closed_at + self.expires_after


@dataclass(frozen=True)
class ParticipantView:
    """What a participant's token shows: their workshop and their own answers only."""

    workshop_id: str
    participant_id: str
    name: str
    role: str
    anonymous: bool
    state: str
    bank_id: str
    bank_version: str
    audience: Audience  # whose questions are shown
    org_name: str
    unit: str
    answers: dict[str, tuple[AnswerValue, str]] = field(default_factory=dict)
    areas: tuple[str, ...] = ()  # the workshop's areas for the day; empty: every area


@dataclass(frozen=True)
class WorkshopParticipant:
    """One participant of a workshop, for the facilitator: who, and which questions answered."""

    participant_id: str
    name: str
    role: str
    answered: frozenset[str]


class WorkshopMethods:
    """Workshop methods of ``Store`` (they use its transactions)."""

    def _facilitator(self, conn: Connection, secret: str, wid: str | None = None,
                     write: bool = False):
        """The workshop row of a facilitator ``secret`` (``AccessDenied``), if this caller may
        also read (``write``: change) its assessment's workspace (``NotAMember``,
        ``ReadOnlyRole``): holding a workshop's key gives nothing in another workspace."""
        row = _check_secret(conn, secret, wid)
        self._check_workspace(conn, row.assessment_id, write)
        return row

    def open_workshop(self, aid: str, anonymous: bool = False,
                      expires_after: dt.timedelta | None = None,
                      areas: Sequence[str] = (), expected: int | None = None) -> WorkshopKeys:
        """Open a workshop on assessment ``aid``; returns its join code and facilitator secret.

        ``expires_after``: how long the join code keeps finding the workshop after it is
        closed (``None``: it stops at once). ``areas``: the day's areas (ids of the bank; none:
        every area) – participants see and answer only their questions. ``expected``: how
        many participants may join (``None``: no limit). ``NotFound`` for an unknown
        assessment, ``InvalidInput`` for an area not in its bank.
        """
        areas = tuple(dict.fromkeys(areas))
        _check_expected(expected)
        if expires_after is not None and expires_after < dt.timedelta(0):
            raise ValueError("expires_after must not be negative")
        seconds = None if expires_after is None else int(expires_after.total_seconds())
        for _attempt in range(8):
            wid, secret = new_secret()
            now = utc_now()
            try:
                with self._writing(aid, now, on_conflict=_CodeTaken()) as conn:
                    self._require_fit(conn, aid, lambda bank: next(filter(None, (
                        area_misfit(bank, area) for area in areas)), None))
                    conn.execute(insert(workshops).values(
                        id=wid, assessment_id=aid, anonymous=bool(anonymous), state="open",
                        expires_after_s=seconds, created_at=now, closed_at=None,
                        expected_participants=expected, **_key_digests(secret),
                    ))
                    if areas:
                        conn.execute(insert(workshop_areas), [
                            {"workshop_id": wid, "area_id": area, "position": n}
                            for n, area in enumerate(areas)])
            except _CodeTaken:
                continue  # the same code is in use by another workshop: draw again
            return WorkshopKeys(code_from_secret(secret), secret)
        raise StorageError("could not find a free join code; try again")

    def new_facilitator_key(self, aid: str) -> WorkshopKeys:
        """A new facilitator key for the newest workshop of assessment ``aid``, for when its key
        is lost (the database's owner only: the command line on the server, never the app).
        The old key, join code and join link stop working; the workshop keeps its id, state,
        participants and their links. ``AccessDenied`` for any other caller, ``NotFound`` when
        the assessment has no workshop."""
        if self._caller is not None:
            raise AccessDenied("only the database's owner may give a workshop a new key")
        for _attempt in range(8):
            try:
                with self._writing(aid, utc_now(), on_conflict=_CodeTaken()) as conn:
                    wid = conn.execute(
                        select(workshops.c.id).where(workshops.c.assessment_id == aid)
                        .order_by(workshops.c.created_at.desc()).limit(1)).scalar()
                    if wid is None:
                        raise NotFound(f"assessment {aid} has never been run as a workshop")
                    _, secret = new_secret(wid)
                    conn.execute(update(workshops).where(workshops.c.id == wid)
                                 .values(**_key_digests(secret)))
            except _CodeTaken:
                continue  # the new code is in use by another workshop: draw again
            return WorkshopKeys(code_from_secret(secret), secret)
        raise StorageError("could not find a free join code; try again")

    def workshop_by_code(self, code: str) -> Workshop | None:
        """The workshop a join code belongs to while the code is valid, else ``None``."""
        normal = normalise_code(code)
        if normal is None:
            return None
        wanted = digest(normal)
        with self._reading() as conn:
            rows = conn.execute(
                select(workshops).where(workshops.c.code_lookup == wanted[:8])
            ).all()
            found = None
            for row in rows:  # every candidate is compared; no early exit
                if hmac.compare_digest(row.code_hash, wanted):
                    found = row
            if found is None:
                return None
            workshop = _workshop(conn, found)
        return workshop if workshop.code_valid(utc_now()) else None

    def workshop_by_link(self, link: str) -> Workshop | None:
        """The workshop a join link's secret belongs to while its code is valid, else
        ``None`` (compared in constant time, as a facilitator secret)."""
        parts = split_token(link)
        with self._reading() as conn:
            row = conn.execute(select(workshops).where(workshops.c.id == parts[0])
                               ).one_or_none() if parts else None
            stored = row.link_hash if row is not None and row.link_hash else _NO_DIGEST
            if not matches(link if parts else "", stored) or stored == _NO_DIGEST:
                return None
            workshop = _workshop(conn, row)
        return workshop if workshop.code_valid(utc_now()) else None

    def has_workshop(self, aid: str) -> bool:
        """Whether a workshop was ever opened on the assessment: then its facilitator actions
        need the facilitator secret. Reveals nothing else."""
        with self._reading() as conn:
            return conn.execute(
                select(workshops.c.id).where(workshops.c.assessment_id == aid).limit(1)
            ).first() is not None

    def workshop_participant_ids(self, aid: str) -> frozenset[str]:
        """The participants who joined a workshop of the assessment with their own link: they
        answer privately on their own device, so no page shows or edits their answers one by
        one (Samsyn shows the distribution)."""
        with self._reading() as conn:
            self._check_access(conn, aid)
            return frozenset(conn.execute(
                select(workshop_participants.c.participant_id)
                .where(workshop_participants.c.assessment_id == aid)
            ).scalars())

    def workshop_for_secret(self, secret: str) -> Workshop:
        """The workshop a facilitator secret belongs to; ``AccessDenied`` for any other string."""
        with self._reading() as conn:
            return _workshop(conn, self._facilitator(conn, secret))

    def set_workshop_state(self, wid: str, secret: str, state: WorkshopState) -> Workshop:
        """Open, close or move workshop ``wid`` to consensus; needs its facilitator secret."""
        if state not in WORKSHOP_STATES:
            raise ValueError(f"state must be one of {', '.join(WORKSHOP_STATES)}")
        with self._transaction() as conn:
            row = self._facilitator(conn, secret, wid, write=True)
            now = utc_now()
            _lock_assessment(conn, row.assessment_id, now)
            row = conn.execute(select(workshops).where(workshops.c.id == wid)).one()
            if state == "open":
                closed_at = None
            else:
                closed_at = row.closed_at if row.state != "open" and row.closed_at else now
            conn.execute(update(workshops).where(workshops.c.id == wid)
                         .values(state=state, closed_at=closed_at))
            row = conn.execute(select(workshops).where(workshops.c.id == wid)).one()
            return _workshop(conn, row)

    def workshop_progress(self, wid: str, secret: str) -> list[WorkshopParticipant]:
        """Every participant who joined workshop ``wid`` (in joining order) with the questions
        they have answered; needs the facilitator secret."""
        with self._reading() as conn:
            row = self._facilitator(conn, secret, wid)
            people = conn.execute(
                select(participants.c.id, participants.c.name, participants.c.role)
                .join(workshop_participants,
                      (workshop_participants.c.assessment_id == participants.c.assessment_id)
                      & (workshop_participants.c.participant_id == participants.c.id))
                .where(workshop_participants.c.workshop_id == wid)
                .order_by(participants.c.position)
            ).all()
            done: dict[str, set[str]] = {}
            for pid, qid in conn.execute(
                select(answers.c.participant_id, answers.c.question_id)
                .join(workshop_participants,
                      (workshop_participants.c.assessment_id == answers.c.assessment_id)
                      & (workshop_participants.c.participant_id == answers.c.participant_id))
                .where(workshop_participants.c.workshop_id == wid,
                       answers.c.assessment_id == row.assessment_id)
            ):
                done.setdefault(pid, set()).add(qid)
        return [WorkshopParticipant(p.id, p.name, p.role, frozenset(done.get(p.id, ())))
                for p in people]

    def join(self, key: str, name: str = "", role: str = "", client: str | None = None,
             session: str | None = None, limits: JoinLimits = JoinLimits()) -> str:
        """Join the open workshop of ``key`` (its join code, or its join link's secret) as a
        new participant; returns their token.

        With ``client`` and ``session`` (the app always gives them) the join counts against
        ``limits`` (``TooManyAttempts``); without, it is the owner's (tools, tests). In an
        anonymous workshop the name is not stored. ``AccessDenied`` for a key that finds no
        workshop, ``WorkshopClosed`` when answering is closed, ``WorkshopFull`` when as many
        joined as the facilitator expects.
        """
        by_link = split_token(key) is not None
        workshop = self.workshop_by_link(key) if by_link else self.workshop_by_code(key)
        if workshop is None:
            raise AccessDenied(_BAD_LINK if by_link else _BAD_CODE)
        if workshop.state != "open":
            raise WorkshopClosed("answering in this workshop is closed")
        # In an anonymous workshop neither name nor role is kept: in a small group a role is
        # as good as a name.
        checked = _valid(Participant, id="x", name="" if workshop.anonymous else name,
                         role="" if workshop.anonymous else role)
        attempt = None
        now = utc_now()
        if client is not None:
            attempt, wait = self._admit(JOIN, client, session or "", limits, now)
            if attempt is None:
                raise self._refused(JOIN, client, session or "", now, wait)
        try:
            return self._add_workshop_participant(workshop, checked, now)
        except StorageError:
            if attempt is not None:  # a join that did not happen does not count
                self._take_back(attempt)
            raise

    def _add_workshop_participant(self, workshop: Workshop, checked: Participant,
                                  now: dt.datetime) -> str:
        lookup, token = new_secret()
        with self._transaction() as conn:
            _lock_assessment(conn, workshop.assessment_id, now)
            state, expected = conn.execute(
                select(workshops.c.state, workshops.c.expected_participants)
                .where(workshops.c.id == workshop.id)
            ).one()
            if state != "open":
                raise WorkshopClosed("answering in this workshop is closed")
            if expected is not None and _joined(conn, workshop.id) >= expected:
                raise WorkshopFull(f"this workshop has the {expected} participants its "
                                   "facilitator expected; ask them to make room")
            (pid,) = allocate_ids(conn, workshop.assessment_id,
                                   "anonym-" if workshop.anonymous else "d", 1)
            position = conn.execute(
                select(participants.c.position).where(
                    participants.c.assessment_id == workshop.assessment_id)
                .order_by(participants.c.position.desc()).limit(1)
            ).scalar()
            conn.execute(insert(participants).values(
                assessment_id=workshop.assessment_id, id=pid, name=checked.name,
                role=checked.role, position=(position + 1) if position is not None else 0,
            ))
            conn.execute(insert(workshop_participants).values(
                id=lookup, workshop_id=workshop.id, assessment_id=workshop.assessment_id,
                participant_id=pid, token_hash=digest(token), created_at=now,
            ))
        return token

    def set_expected_participants(self, wid: str, secret: str, expected: int | None) -> Workshop:
        """Change how many participants may join workshop ``wid`` (``None``: no limit); needs
        its facilitator secret. Those who joined already stay."""
        _check_expected(expected)
        with self._transaction() as conn:
            row = self._facilitator(conn, secret, wid, write=True)
            _lock_assessment(conn, row.assessment_id, utc_now())
            conn.execute(update(workshops).where(workshops.c.id == wid)
                         .values(expected_participants=expected))
            return _workshop(conn, conn.execute(
                select(workshops).where(workshops.c.id == wid)).one())

    def remove_workshop_participant(self, wid: str, secret: str, pid: str) -> int:
        """The facilitator of workshop ``wid`` removes participant ``pid`` of it with their
        answers; their token stops working. Returns how many answers went; ``NotFound`` if
        ``pid`` did not join this workshop."""
        with self._transaction() as conn:
            row = self._facilitator(conn, secret, wid, write=True)
            aid = row.assessment_id
            _lock_assessment(conn, aid, utc_now())
            joined = conn.execute(select(workshop_participants.c.id).where(
                workshop_participants.c.workshop_id == wid,
                workshop_participants.c.participant_id == pid)).first()
            if joined is None:
                raise NotFound("that participant has not joined this workshop")
            gone = conn.execute(delete(answers).where(
                answers.c.assessment_id == aid, answers.c.participant_id == pid)).rowcount
            conn.execute(delete(workshop_participants).where(
                workshop_participants.c.assessment_id == aid,
                workshop_participants.c.participant_id == pid))
            conn.execute(delete(participants).where(
                participants.c.assessment_id == aid, participants.c.id == pid))
            return gone

    def participant_view(self, token: str) -> ParticipantView:
        """The participant's workshop and their own answers; ``AccessDenied`` for a bad token."""
        with self._reading() as conn:
            row = _check_token(conn, token)
            a = conn.execute(select(assessments).where(assessments.c.id == row.assessment_id)).one()
            person = conn.execute(select(participants).where(
                participants.c.assessment_id == row.assessment_id,
                participants.c.id == row.participant_id,
            )).one()
            own = conn.execute(
                select(answers.c.question_id, answers.c.value, answers.c.comment)
                .where(answers.c.assessment_id == row.assessment_id,
                       answers.c.participant_id == row.participant_id)
                .order_by(answers.c.seq)
            ).all()
            day = _day_areas(conn, row.workshop_id)
        return ParticipantView(
            workshop_id=row.workshop_id, participant_id=row.participant_id, name=person.name,
            role=person.role, anonymous=bool(row.anonymous), state=row.state,
            bank_id=a.bank_id, bank_version=a.bank_version,
            audience=Audience(a.audience or a.org_kind), org_name=a.org_name, unit=a.unit,
            answers={r.question_id: (decode_value(r.value), r.comment) for r in own},
            areas=day,
        )

    def answer_as_participant(self, token: str, question_id: str, value: AnswerValue,
                              comment: str | None = "") -> None:
        """Set the token's participant's answer to one question, while the workshop is open.
        With ``comment=None`` an answer that is already there keeps its comment."""
        answer = _valid(Answer, participant="x", question=question_id, value=value,
                        comment=comment or "")
        now = utc_now()
        with self._participant_writing(token, now) as (conn, row, after):
            self._require_bank_fit(after.bank_id, lambda bank: answer_misfit(bank, answer)
                                   or _outside_the_day(bank, after.day, answer.question))
            self._put_answer(conn, row.assessment_id, row.participant_id, answer, now,
                             keep_comment=comment is None)

    def comment_as_participant(self, token: str, question_id: str, comment: str) -> bool:
        """Set only the comment of the token's participant's answer to one question, while the
        workshop is open; False, and nothing written, when there is no answer."""
        now = utc_now()
        with self._participant_writing(token, now) as (conn, row, _after):
            return self._put_comment(conn, row.assessment_id, row.participant_id, question_id,
                                     comment, now)

    def clear_answer_as_participant(self, token: str, question_id: str) -> None:
        """Remove the token's participant's answer to one question, while the workshop is open."""
        with self._participant_writing(token, utc_now()) as (conn, row, _after):
            conn.execute(delete(answers).where(
                answers.c.assessment_id == row.assessment_id,
                answers.c.participant_id == row.participant_id,
                answers.c.question_id == question_id,
            ))

    @contextmanager
    def _participant_writing(self, token: str, now: dt.datetime
                             ) -> Iterator[tuple[Connection, object, _AfterLock]]:
        """A participant's write: the token checked, the assessment locked, and then (so a
        close that came first is seen) the workshop's state, its day and the bank read in one
        query; ``WorkshopClosed`` unless it is open. Four statements a save, with the write."""
        with self._transaction() as conn:
            row = _check_token(conn, token)
            _lock_assessment(conn, row.assessment_id, now)
            rows = conn.execute(_AFTER_LOCK, {"wid": row.workshop_id}).all()
            if rows[0].state != "open":
                raise WorkshopClosed("answering in this workshop is closed")
            day = tuple(r.area_id for r in rows if r.area_id is not None)
            yield conn, row, _AfterLock(rows[0].bank_id, day)


class _AfterLock(NamedTuple):
    bank_id: str
    day: tuple[str, ...]


class _CodeTaken(StorageError):
    pass


def _key_digests(secret: str) -> dict[str, str]:
    """What a workshop row keeps of its facilitator secret, join code and join link: digests."""
    code = code_from_secret(secret)
    return {"secret_hash": digest(secret), "code_hash": digest(code),
            "code_lookup": lookup_prefix(code), "link_hash": digest(link_from_secret(secret))}


def _check_secret(conn: Connection, secret: str, wid: str | None = None):
    """The workshop row of a facilitator secret (and of ``wid`` when given), else AccessDenied."""
    parts = split_token(secret)
    lookup = parts[0] if parts else ""
    row = None
    if parts and (wid is None or hmac.compare_digest(lookup, wid)):
        row = conn.execute(select(workshops).where(workshops.c.id == lookup)).one_or_none()
    ok = matches(secret if isinstance(secret, str) else "", row.secret_hash if row else _NO_DIGEST)
    if row is None or not ok:
        raise AccessDenied(_BAD_SECRET)
    return row


def _check_token(conn: Connection, token: str):
    """The participant row (with its workshop's state) of a token, else AccessDenied."""
    parts = split_token(token)
    row = conn.execute(_TOKEN_ROW, {"lookup": parts[0]}).one_or_none() if parts else None
    ok = matches(token if isinstance(token, str) else "", row.token_hash if row else _NO_DIGEST)
    if row is None or not ok:
        raise AccessDenied(_BAD_TOKEN)
    return row


def _lock_assessment(conn: Connection, aid: str, now: dt.datetime) -> None:
    """Bump the assessment's ``updated_at``: on PostgreSQL this locks its row, so writes to one
    assessment (and workshop state changes) follow each other."""
    if conn.execute(BUMP, {"aid": aid, "now": now}).rowcount == 0:
        raise NotFound(f"there is no assessment with id {aid!r}")


def _outside_the_day(bank, day: tuple[str, ...], question_id: str) -> str | None:
    """Why a question is not answered in a workshop limited to the day's areas, or None."""
    if not day or set(bank.areas_of(question_id)) & set(day):
        return None
    return f"question {question_id!r} is not among this workshop's areas ({', '.join(day)})"


def _check_expected(expected: int | None) -> None:
    if expected is not None and not (isinstance(expected, int) and 1 <= expected <= MAX_EXPECTED):
        raise InvalidInput(f"the expected number of participants is 1 to {MAX_EXPECTED}")


def _joined(conn: Connection, wid: str) -> int:
    return conn.execute(select(func.count()).where(
        workshop_participants.c.workshop_id == wid)).scalar_one()


def _day_areas(conn: Connection, wid: str) -> tuple[str, ...]:
    return tuple(conn.execute(_DAY_AREAS, {"wid": wid}).scalars())


def _workshop(conn: Connection, row) -> Workshop:
    return Workshop(
        id=row.id, assessment_id=row.assessment_id, anonymous=bool(row.anonymous),
        state=row.state, created_at=utc(row.created_at),
        closed_at=utc(row.closed_at) if row.closed_at else None,
        expires_after=(dt.timedelta(seconds=row.expires_after_s)
                       if row.expires_after_s is not None else None),
        areas=_day_areas(conn, row.id), expected=row.expected_participants,
        has_link=row.link_hash is not None,
    )


# Built once: a participant's save runs these on every tap (building a statement anew cost
# as much as running it).
BUMP = (update(assessments).where(assessments.c.id == bindparam("aid"))
        .values(updated_at=bindparam("now")))
_TOKEN_ROW = (select(workshop_participants, workshops.c.state, workshops.c.anonymous)
              .join(workshops, workshops.c.id == workshop_participants.c.workshop_id)
              .where(workshop_participants.c.id == bindparam("lookup")))
_DAY_AREAS = (select(workshop_areas.c.area_id)
              .where(workshop_areas.c.workshop_id == bindparam("wid"))
              .order_by(workshop_areas.c.position))
# The workshop's state, the assessment's bank and the day's areas (one row each, or one row
# with no area): what a participant's save checks once the assessment is locked.
_AFTER_LOCK = (
    select(workshops.c.state, assessments.c.bank_id, workshop_areas.c.area_id)
    .join(assessments, assessments.c.id == workshops.c.assessment_id)
    .outerjoin(workshop_areas, workshop_areas.c.workshop_id == workshops.c.id)
    .where(workshops.c.id == bindparam("wid"))
    .order_by(workshop_areas.c.position)
)
