"""${message}

Revision ${up_revision}, after ${down_revision | comma,n}. Writes out every table and column it
makes (no import of schema.py); schema.py is changed to match. No downgrade: the schema is
only ever upgraded.
"""

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}
