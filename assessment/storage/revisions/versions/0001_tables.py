"""The tables: assessments, their participants, answers, consensus, area settings, efforts
and the action plan (schema version 1).

Revision 0001, the first.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _assessment_id(primary_key: bool = True) -> sa.Column:
    return sa.Column("assessment_id", sa.Text,
                     sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                     primary_key=primary_key, nullable=False)


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("bank_id", sa.Text, nullable=False),
        sa.Column("bank_version", sa.Text, nullable=False),
        sa.Column("org_name", sa.Text, nullable=False),
        sa.Column("org_kind", sa.Text, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("audience", sa.Text, nullable=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_assessments_updated_at", "assessments", ["updated_at"])
    op.create_table(
        "participants",
        _assessment_id(),
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "answers",
        sa.Column("assessment_id", sa.Text, primary_key=True),
        sa.Column("participant_id", sa.Text, primary_key=True),
        sa.Column("question_id", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id", "participant_id"],
                                ["participants.assessment_id", "participants.id"],
                                ondelete="CASCADE"),
    )
    op.create_table(
        "consensus",
        _assessment_id(),
        sa.Column("question_id", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "area_settings",
        _assessment_id(),
        sa.Column("area_id", sa.Text, primary_key=True),
        sa.Column("target", sa.Float, nullable=True),
        sa.Column("importance", sa.Integer, nullable=True),
    )
    op.create_table(
        "efforts",
        _assessment_id(),
        sa.Column("question_id", sa.Text, primary_key=True),
        sa.Column("effort", sa.Text, nullable=False),
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _assessment_id(primary_key=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("activity", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_actions_assessment", "actions", ["assessment_id", "position"])
