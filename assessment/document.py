"""The assessment file (``psa-assessment``, JSON): the interchange format of the product.

The pydantic models check the file's own shape; ``check_against_bank`` checks that every
reference (question, area, participant, answer value) fits the bank the file names.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Iterable, Literal, Sequence, Union

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo,
                      field_validator, model_validator)

from assessment.bank import Audience, Bank
from assessment.problems import Problem

FORMAT = "psa-assessment"
FORMAT_VERSION = 2  # 2: an action-plan item's goal, follow-up method and follow-up date

MAX_NAME = 200
MAX_TEXT = 2000
MAX_LEVEL = 10  # no scale goes higher
MAX_ID = 64       # a participant's id, a bank's id
MAX_ITEM_ID = 32  # a question's or area's id, a bank's version

DEFAULT_TARGET = 3
DEFAULT_IMPORTANCE = 2

# Control characters (NUL, ESC …; tab, line feed and carriage return are text) are never
# typed by a person, cannot be stored in a workbook and can hide text in a terminal.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(text: str) -> str:
    found = CONTROL_CHARACTERS.search(text)
    if found:
        raise ValueError(f"contains the control character U+{ord(found.group()):04X} (character "
                         f"{found.start() + 1}), which a text may not hold; remove it")
    return text


def _plain_text(text: str, info: ValidationInfo) -> str:
    if info.context and info.context.get("stored"):
        # Written before the rule existed: read it with each control character as a space,
        # rather than leave the whole assessment unreadable.
        return CONTROL_CHARACTERS.sub(" ", text)
    return no_control_characters(text)


PlainText = AfterValidator(_plain_text)
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NAME), PlainText]
FreeText = Annotated[str, StringConstraints(max_length=MAX_TEXT), PlainText]
ParticipantId = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID), PlainText]
ItemId = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ITEM_ID)]

# An answer: a level (int), "unknown" (Vet ej) or "na" (Ej aktuellt).
AnswerValue = Union[Annotated[int, Field(ge=0, le=MAX_LEVEL, strict=True)], Literal["unknown", "na"]]


class Effort(str, Enum):
    low = "låg"
    medium = "medel"
    high = "hög"


class ActionStatus(str, Enum):
    planned = "planerad"
    ongoing = "pågår"
    done = "klar"
    paused = "pausad"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BankRef(Strict):
    id: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID)]
    version: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ITEM_ID)]


class Organisation(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME),
                    PlainText]
    kind: Audience
    unit: Name = ""

    @property
    def label(self) -> str:
        """"Exempelby kommun – Hemtjänst" (or only the organisation)."""
        return unit_label(self.name, self.unit)


def unit_label(organisation: str, unit: str) -> str:
    """How an organisation and its unit are named to users, one rule for pages, workbooks and
    the command line: "Exempelby kommun – Hemtjänst", or the organisation alone without a unit."""
    unit = unit.strip()
    return f"{organisation} – {unit}" if unit else organisation


class Participant(Strict):
    id: ParticipantId
    name: Name = ""
    role: Name = ""


class Answer(Strict):
    participant: ParticipantId
    question: ItemId
    value: AnswerValue
    comment: FreeText = ""


class Consensus(Strict):
    question: ItemId
    value: AnswerValue
    note: FreeText = ""


class Action(Strict):
    """One item of the local action plan (handlingsplan), as seeds 002/003 lay one out: the
    plan's activity it serves, the goal (mål), the action itself (``title``), who is
    responsible, when it is due, its status, how it is followed up (an indicator or a method)
    and when. Without an activity (None; "" is read as None) it is a *local action*, one of
    the team's own that serves none of the plan's activities."""
    activity: ItemId | None = None
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME),
                     PlainText]
    goal: FreeText = ""
    owner: Name = ""
    due: dt.date | None = None
    status: ActionStatus = ActionStatus.planned
    follow_up: FreeText = ""
    follow_up_date: dt.date | None = None
    note: FreeText = ""

    @field_validator("activity", "due", "follow_up_date", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return None if value == "" else value


class Assessment(Strict):
    format: Literal["psa-assessment"] = FORMAT
    version: Literal[2] = FORMAT_VERSION
    bank: BankRef
    organisation: Organisation
    audience: Audience | None = None
    date: dt.date
    participants: list[Participant] = Field(default_factory=list)
    answers: list[Answer] = Field(default_factory=list)
    consensus: list[Consensus] = Field(default_factory=list)
    targets: dict[ItemId, Annotated[float, Field(ge=0, le=10)]] = Field(default_factory=dict)
    importance: dict[ItemId, Annotated[int, Field(ge=1, le=3, strict=True)]] = Field(default_factory=dict)
    effort: dict[ItemId, Effort] = Field(default_factory=dict)
    actions: list[Action] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _file_names_its_format(cls, data, info: ValidationInfo):
        """A file must say what it is; only objects built in code may leave it out."""
        if info.context and info.context.get("file") and isinstance(data, dict):
            if "format" not in data or "version" not in data:
                raise ValueError("a file must name its format and version")
        return data

    @field_validator("version", mode="before")
    @classmethod
    def _whole_number_version(cls, value):
        if type(value) is not int:
            raise ValueError(f"{value!r} is not a format version (1, 2, …)")
        return value

    @property
    def effective_audience(self) -> Audience:
        """Whose questions the assessment covers: set explicitly, else the organisation's kind."""
        return self.audience or self.organisation.kind

    def target(self, area_id: str, bank: Bank) -> float:
        default = min(DEFAULT_TARGET, bank.scale.top)
        return self.targets.get(area_id, default)

    def importance_of(self, area_id: str) -> int:
        return self.importance.get(area_id, DEFAULT_IMPORTANCE)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", exclude_none=False)


def answers_by_question(assessment: Assessment, participants: set[str] | None = None) -> dict[str, list]:
    """Every question's answer values, in file order, optionally from some participants only:
    ``{"G1.1": [2, 3, "unknown"], …}`` (unanswered questions are left out)."""
    answers = assessment.answers
    if participants is not None:
        answers = [a for a in answers if a.participant in participants]
    return grouped_by_question(answers)


def grouped_by_question(answers: Iterable) -> dict[str, list]:
    """The values of ``answers`` (anything with ``question`` and ``value``) by question, in
    the answers' order."""
    grouped: dict[str, list] = {}
    for answer in answers:
        grouped.setdefault(answer.question, []).append(answer.value)
    return grouped


def allowed_values(bank: Bank) -> set:
    """The values an answer may have in ``bank``: its levels, Vet ej and, if the bank has
    it, Ej aktuellt."""
    return {*range(bank.scale.top + 1), "unknown", *(("na",) if bank.has_na else ())}


def answers_fit(bank: Bank, participants: set[str], answers: Sequence) -> bool:
    """Whether every answer (anything with ``participant``, ``question`` and ``value``)
    keeps the rules ``check_against_bank`` names one by one: a participant of the
    assessment, a question of the bank, a value of ``allowed_values``, one answer per
    participant and question. Files, the bulk reader and the store decide by this."""
    return (
        {a.participant for a in answers} <= participants
        and {a.question for a in answers} <= bank.question_index().keys()
        and {a.value for a in answers} <= allowed_values(bank)
        and len({(a.participant, a.question) for a in answers}) == len(answers)
    )


def value_misfit(bank: Bank, value) -> str | None:
    """Why an answer or consensus value does not fit the bank's scale, or None."""
    top = bank.scale.top
    if isinstance(value, int) and value > top:
        return f"level {value} is outside the scale 0–{top} of bank {bank.id!r}"
    if value == "na" and not bank.has_na:
        return f"bank {bank.id!r} has no \"Ej aktuellt\" answer; use a level or \"unknown\""
    return None


def question_misfit(bank: Bank, question_id: str, what: str = "question") -> str | None:
    """Why ``question_id`` is not a question (activity) of the bank, or None."""
    if question_id in bank.question_index():
        return None
    return f"{what} {question_id!r} is not in bank {bank.id!r}"


def action_misfit(bank: Bank, action: Action) -> str | None:
    """Why an action's activity is not one of the bank's, or None (a local action has none)."""
    return None if action.activity is None else question_misfit(bank, action.activity, "activity")


def area_misfit(bank: Bank, area_id: str) -> str | None:
    area_ids = [a.id for a in bank.areas]
    if area_id in area_ids:
        return None
    return f"area {area_id!r} is not in bank {bank.id!r} ({', '.join(area_ids)})"


def target_misfit(bank: Bank, value: float) -> str | None:
    top = bank.scale.top
    return None if value <= top else f"target {value:g} is above the top level {top} of the scale"


def check_against_bank(assessment: Assessment, bank: Bank, file: str) -> list[Problem]:
    """Every place where the assessment does not fit its bank (ids, values, duplicates)."""
    problems: list[Problem] = []

    def add(place: str, message: str) -> None:
        problems.append(Problem(file, place, message))

    if assessment.bank.version != bank.version:
        add("bank.version",
            f"the file was made with version {assessment.bank.version!r} of bank {bank.id!r}, "
            f"but version {bank.version!r} is installed")

    def check(place: str, misfit: str | None) -> None:
        if misfit is not None:
            add(place, misfit)

    def check_value(place: str, value) -> None:
        check(place, value_misfit(bank, value))

    seen_p: set[str] = set()
    for i, p in enumerate(assessment.participants):
        if p.id in seen_p:
            add(f"participants[{i}].id", f"participant id {p.id!r} is used twice")
        seen_p.add(p.id)

    answers = assessment.answers
    if answers_fit(bank, seen_p, answers):
        answers = []  # all fine: skip the one-by-one walk that names each problem's place
    seen_answers: set[tuple[str, str]] = set()
    for i, a in enumerate(answers):
        if a.participant not in seen_p:
            add(f"answers[{i}].participant", f"participant {a.participant!r} is not in participants")
        check(f"answers[{i}].question", question_misfit(bank, a.question))
        key = (a.participant, a.question)
        if key in seen_answers:
            add(f"answers[{i}]", f"participant {a.participant!r} answers {a.question!r} twice")
        seen_answers.add(key)
        check_value(f"answers[{i}].value", a.value)

    seen_c: set[str] = set()
    for i, c in enumerate(assessment.consensus):
        check(f"consensus[{i}].question", question_misfit(bank, c.question))
        if c.question in seen_c:
            add(f"consensus[{i}].question", f"question {c.question!r} has two consensus values")
        seen_c.add(c.question)
        check_value(f"consensus[{i}].value", c.value)

    for name, mapping in (("targets", assessment.targets), ("importance", assessment.importance)):
        for key in mapping:
            check(f"{name}.{key}", area_misfit(bank, key))
    for key, value in assessment.targets.items():
        check(f"targets.{key}", target_misfit(bank, value))
    for key in assessment.effort:
        check(f"effort.{key}", question_misfit(bank, key))
    for i, action in enumerate(assessment.actions):
        check(f"actions[{i}].activity", action_misfit(bank, action))
    return problems
