"""Live workshops: join codes, facilitator secrets and participant tokens, as SHA-256 digests
only (schema version 2).

Revision 0002, after 0001.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("assessment_id", sa.Text, sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("secret_hash", sa.Text, nullable=False),
        sa.Column("code_hash", sa.Text, nullable=False, unique=True),
        sa.Column("code_lookup", sa.Text, nullable=False),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("expires_after_s", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_workshops_code_lookup", "workshops", ["code_lookup"])
    op.create_index("ix_workshops_assessment", "workshops", ["assessment_id"])
    op.create_table(
        "workshop_participants",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("workshop_id", sa.Text, sa.ForeignKey("workshops.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("assessment_id", sa.Text, nullable=False),
        sa.Column("participant_id", sa.Text, nullable=False),
        sa.Column("token_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id", "participant_id"],
                                ["participants.assessment_id", "participants.id"],
                                ondelete="CASCADE"),
    )
    op.create_index("ix_workshop_participants_workshop", "workshop_participants",
                    ["workshop_id"])
