"""The tables, as the newest migration leaves them (see ``migrations.py``).

Every table hangs off ``assessments`` with ``ON DELETE CASCADE``; answers also hang off
their participant, so removing a participant removes their answers. A workshop's
participants hang off the workshop and off their row in ``participants``. Answer and consensus
values are text: a level as its decimal digits, or ``unknown`` / ``na``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
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
    false,
)

metadata = MetaData()

DEFAULT_WORKSPACE = "default"  # the workspace migration 6 made; everything is in it without sign-in


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
    # migration 6: the workspace it belongs to (no foreign key: SQLite cannot add a column
    # that references another table with a default; the store checks the workspace exists)
    Column("workspace_id", Text, nullable=False, server_default=DEFAULT_WORKSPACE),
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
    # migration 4: the handlingsplan's goal and follow-up
    Column("goal", Text, nullable=False, server_default=""),
    Column("follow_up", Text, nullable=False, server_default=""),
    Column("follow_up_date", Date, nullable=True),
    Index("ix_actions_assessment", "assessment_id", "position"),
)

# --- live workshops (migration 2) ------------------------------------------------------
# Only SHA-256 digests of join codes, facilitator secrets and participant tokens are kept.

workshops = Table(
    "workshops", metadata,
    Column("id", Text, primary_key=True),  # the public part of the facilitator secret
    _assessment_id(primary_key=False),
    Column("secret_hash", Text, nullable=False),
    Column("code_hash", Text, nullable=False, unique=True),
    Column("code_lookup", Text, nullable=False),  # first 8 hex characters of code_hash
    Column("anonymous", Boolean, nullable=False),
    Column("state", Text, nullable=False),  # open | closed | consensus
    Column("expires_after_s", Integer, nullable=True),  # code lifetime after closing
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    # migration 7: the join link's secret (SHA-256; none for workshops opened before) and how
    # many participants the facilitator expects (none: no limit)
    Column("link_hash", Text, nullable=True),
    Column("expected_participants", Integer, nullable=True),
    Index("ix_workshops_code_lookup", "code_lookup"),
    Index("ix_workshops_assessment", "assessment_id"),
)

# A workshop limited to the day's areas (migration 5); none: every area of the assessment.
workshop_areas = Table(
    "workshop_areas", metadata,
    Column("workshop_id", Text, ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", Text, primary_key=True),
    Column("position", Integer, nullable=False),
)

workshop_participants = Table(
    "workshop_participants", metadata,
    Column("id", Text, primary_key=True),  # the public part of the participant token
    Column("workshop_id", Text, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("assessment_id", Text, nullable=False),
    Column("participant_id", Text, nullable=False),
    Column("token_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(
        ["assessment_id", "participant_id"], ["participants.assessment_id", "participants.id"],
        ondelete="CASCADE",
    ),
    Index("ix_workshop_participants_workshop", "workshop_id"),
)

# --- migration 3: imported forms and wrong join codes ----------------------------------

# Which filled Excel form made which participant: the same form imported again is found.
# Removing the participant removes the row (then the form may be imported again).
imported_forms = Table(
    "imported_forms", metadata,
    Column("assessment_id", Text, primary_key=True),
    Column("form_key", Text, primary_key=True),  # SHA-256 of the form's id and content
    Column("participant_id", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(
        ["assessment_id", "participant_id"], ["participants.assessment_id", "participants.id"],
        ondelete="CASCADE",
    ),
)

# One row per join-code attempt admitted for evaluation (a right code removes its row), so
# every replica counts the same attempts; since migration 7 also one per join and per
# attempt refused by the limits (``kind``, ``refused``). Client address and browser session
# are kept as SHA-256 digests only.
join_attempts = Table(
    "join_attempts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client", Text, nullable=False),
    Column("session", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("lifted", Boolean, nullable=False),  # a facilitator lifted the lock it was part of
    # migration 7: a typed code or a join; refused by the limits (then not counted)
    Column("kind", Text, nullable=False, server_default="code"),  # code | join
    Column("refused", Boolean, nullable=False, server_default=false()),
    Index("ix_join_attempts_client", "client", "at"),
    Index("ix_join_attempts_session", "session", "at"),
)

# --- migration 7: a facilitator's lift ---------------------------------------------------
# The facilitator of a workshop lifted the locks of a client address (a SHA-256 digest): that
# address's typed codes for this workshop are looked at even when its limits are full.
join_lifts = Table(
    "join_lifts", metadata,
    Column("workshop_id", Text, ForeignKey("workshops.id", ondelete="CASCADE"),
           primary_key=True),
    Column("client", Text, primary_key=True),
)

# --- migration 6: workspaces and who may see them ---------------------------------------
# A signed-in user sees the assessments of the workspaces they are a member of; a facilitator
# may change them, a reader only read them. Administrators manage workspaces and members.
# E-mail addresses are kept in lower case.

workspaces = Table(
    "workspaces", metadata,
    Column("id", Text, primary_key=True),  # uuid4 hex; DEFAULT_WORKSPACE for the first one
    Column("name", Text, nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

workspace_members = Table(
    "workspace_members", metadata,
    Column("workspace_id", Text, ForeignKey("workspaces.id", ondelete="CASCADE"),
           primary_key=True),
    Column("email", Text, primary_key=True),
    Column("role", Text, nullable=False),  # facilitator | reader
    Index("ix_workspace_members_email", "email"),
)

administrators = Table(
    "administrators", metadata,
    Column("email", Text, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
