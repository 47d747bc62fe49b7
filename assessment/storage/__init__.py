"""Persistence: assessments in an SQLite file (default) or a PostgreSQL database.

    from assessment.storage import Store
    store = Store.from_env()          # PSA_DATABASE_URL, else PSA_DB_PATH (data/psa.sqlite3)
    aid = store.create_assessment(assessment)
    store.set_answer(aid, "p1", "A.1", 3)

See docs/storage.md.
"""

from assessment.storage.config import ENV_DATABASE_URL, ENV_DB_PATH, store_url_from_env
from assessment.storage.errors import (
    AccessDenied,
    AlreadyExists,
    InvalidInput,
    NotAMember,
    NotFound,
    ReadOnlyRole,
    StorageError,
    TooManyAttempts,
    WorkshopClosed,
    WorkshopFull,
    WorkshopLocked,
    WorkspaceDenied,
)
from assessment.storage.store import (ActionItem, AddedParticipant, AssessmentSummary,
                                      LockedWorkshop, NewParticipant, Store)
from assessment.storage.workshops import (
    WORKSHOP_STATES,
    ParticipantView,
    Workshop,
    WorkshopKeys,
    WorkshopParticipant,
)
from assessment.storage.workspaces import (DEFAULT_WORKSPACE, FACILITATOR, READER, ROLES, Member,
                                           Workspace)

__all__ = [
    "ActionItem",
    "DEFAULT_WORKSPACE",
    "FACILITATOR",
    "Member",
    "NotAMember",
    "READER",
    "ROLES",
    "ReadOnlyRole",
    "Workspace",
    "WorkspaceDenied",
    "AddedParticipant",
    "ENV_DATABASE_URL",
    "ENV_DB_PATH",
    "WORKSHOP_STATES",
    "AccessDenied",
    "AlreadyExists",
    "AssessmentSummary",
    "InvalidInput",
    "LockedWorkshop",
    "NewParticipant",
    "NotFound",
    "ParticipantView",
    "StorageError",
    "Store",
    "Workshop",
    "TooManyAttempts",
    "WorkshopClosed",
    "WorkshopFull",
    "WorkshopLocked",
    "WorkshopKeys",
    "WorkshopParticipant",
    "store_url_from_env",
]
