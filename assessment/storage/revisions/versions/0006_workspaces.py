"""Workspaces with members and roles, the administrators, and the default workspace
(``default``, named *Standard*) that every assessment there was goes into (schema version 6).

Revision 0006, after 0005. ``assessments.workspace_id`` has no foreign key: SQLite cannot add
a column that references another table with a default; the store checks the workspace exists.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    workspaces = op.create_table(
        "workspaces",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "workspace_members",
        sa.Column("workspace_id", sa.Text, sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("email", sa.Text, primary_key=True),
        sa.Column("role", sa.Text, nullable=False),
    )
    op.create_index("ix_workspace_members_email", "workspace_members", ["email"])
    op.create_table(
        "administrators",
        sa.Column("email", sa.Text, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.bulk_insert(workspaces, [{"id": "default", "name": "Standard",
                                 "created_at": dt.datetime.now(dt.timezone.utc)}])
    with op.batch_alter_table("assessments") as assessments:
        assessments.add_column(sa.Column("workspace_id", sa.Text, nullable=False,
                                         server_default="default"))
