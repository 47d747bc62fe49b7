"""Imported forms (found again when imported twice) and wrong join codes counted in the
database (schema version 3).

Revision 0003, after 0002.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_forms",
        sa.Column("assessment_id", sa.Text, primary_key=True),
        sa.Column("form_key", sa.Text, primary_key=True),
        sa.Column("participant_id", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id", "participant_id"],
                                ["participants.assessment_id", "participants.id"],
                                ondelete="CASCADE"),
    )
    op.create_table(
        "join_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client", sa.Text, nullable=False),
        sa.Column("session", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted", sa.Boolean, nullable=False),
    )
    op.create_index("ix_join_attempts_client", "join_attempts", ["client", "at"])
    op.create_index("ix_join_attempts_session", "join_attempts", ["session", "at"])
