"""The tables, as the newest migration leaves them (see ``migrations.py``).

Every table hangs off ``assessments`` with ``ON DELETE CASCADE``; answers also hang off
their participant, so removing a participant removes their answers. Answer and consensus
values are text: a level as its decimal digits, or ``unknown`` / ``na``.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
)

metadata = MetaData()


def _assessment_id(primary_key: bool = True) -> Column:
    return Column(
        "assessment_id", Text, ForeignKey("assessments.id", ondelete="CASCADE"),
        primary_key=primary_key, nullable=False,
    )


assessments = Table(
    "assessments", metadata,
    Column("id", Text, primary_key=True),  # uuid4 hex
    Column("bank_id", Text, nullable=False),
    Column("bank_version", Text, nullable=False),
    Column("org_name", Text, nullable=False),
    Column("org_kind", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("audience", Text, nullable=True),
    Column("date", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_assessments_updated_at", "updated_at"),
)

participants = Table(
    "participants", metadata,
    _assessment_id(),
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("position", Integer, nullable=False),
)

answers = Table(
    "answers", metadata,
    Column("assessment_id", Text, primary_key=True),
    Column("participant_id", Text, primary_key=True),
    Column("question_id", Text, primary_key=True),
    Column("value", Text, nullable=False),
    Column("comment", Text, nullable=False),
    Column("seq", Integer, nullable=False),  # insertion order within the assessment
    Column("updated_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(
        ["assessment_id", "participant_id"], ["participants.assessment_id", "participants.id"],
        ondelete="CASCADE",
    ),
)

consensus = Table(
    "consensus", metadata,
    _assessment_id(),
    Column("question_id", Text, primary_key=True),
    Column("value", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("seq", Integer, nullable=False),
)

area_settings = Table(
    "area_settings", metadata,
    _assessment_id(),
    Column("area_id", Text, primary_key=True),
    Column("target", Float, nullable=True),
    Column("importance", Integer, nullable=True),
)

efforts = Table(
    "efforts", metadata,
    _assessment_id(),
    Column("question_id", Text, primary_key=True),
    Column("effort", Text, nullable=False),
)

actions = Table(
    "actions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _assessment_id(primary_key=False),
    Column("position", Integer, nullable=False),
    Column("activity", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("due", Date, nullable=True),
    Column("status", Text, nullable=False),
    Column("note", Text, nullable=False),
    Index("ix_actions_assessment", "assessment_id", "position"),
)
