"""Join links, expected participants, joins and refusals counted, lifts (issue 26 §3): the
join link's digest and the expected number of participants on ``workshops``; the kind of an
attempt (a typed code or a join) and whether the limits refused it on ``join_attempts``;
and ``join_lifts``, the client addresses a workshop's facilitator lifted the locks of.
Workshops there were get no link (their QR code keeps carrying the code) and no expected
number; attempts there were are typed codes, not refused.

Revision 0007, after 0006.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshops") as workshops:
        workshops.add_column(sa.Column("link_hash", sa.Text, nullable=True))
        workshops.add_column(sa.Column("expected_participants", sa.Integer, nullable=True))
    with op.batch_alter_table("join_attempts") as attempts:
        attempts.add_column(sa.Column("kind", sa.Text, nullable=False, server_default="code"))
        attempts.add_column(sa.Column("refused", sa.Boolean, nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        "join_lifts",
        sa.Column("workshop_id", sa.Text,
                  sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        sa.Column("client", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("workshop_id", "client"),
    )
