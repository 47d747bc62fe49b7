"""A workshop limited to the day's areas (schema version 5).

Revision 0005, after 0004.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop_areas",
        sa.Column("workshop_id", sa.Text, sa.ForeignKey("workshops.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("area_id", sa.Text, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
