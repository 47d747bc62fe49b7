"""The action plan's goal, follow-up method and follow-up date (schema version 4); the
items there were get none yet.

Revision 0004, after 0003.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("actions") as actions:
        actions.add_column(sa.Column("goal", sa.Text, nullable=False, server_default=""))
        actions.add_column(sa.Column("follow_up", sa.Text, nullable=False, server_default=""))
        actions.add_column(sa.Column("follow_up_date", sa.Date, nullable=True))
