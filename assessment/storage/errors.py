"""What can go wrong when storing assessments, as one-line messages meant for users."""

from __future__ import annotations


class StorageError(Exception):
    """The database cannot be opened or cannot do what was asked; the message is one line."""


class NotFound(StorageError):
    """An assessment (or a participant in it) that is not in the database."""


class AlreadyExists(StorageError):
    """Adding something whose id is already taken."""


def first_line(error: BaseException) -> str:
    """The first line of an error's text (database drivers add hints on later lines)."""
    text = str(getattr(error, "orig", None) or error).strip()
    return " ".join(text.splitlines()[0].split()) if text else type(error).__name__


class InvalidInput(StorageError):
    """A value that does not fit the assessment's bank (its questions, areas and scale) or the
    format's limits (lengths, ranges); nothing was written."""


class AccessDenied(StorageError):
    """A join code, facilitator secret or participant token that does not give this access.

    The message never contains the code, secret or token."""


class WorkshopClosed(AccessDenied):
    """The workshop exists, but answering in it is closed (or it moved on to consensus)."""


class WorkshopFull(AccessDenied):
    """The workshop has as many participants as its facilitator expected."""


class WorkshopLocked(StorageError):
    """The assessment is run as a live workshop and the caller has not given its facilitator
    key: nothing of it may be read or changed (``Store.for_caller``)."""


class WorkspaceDenied(StorageError):
    """A signed-in caller (``Store.for_caller(member=…)``) asking for what their workspaces
    and roles do not allow, e.g. managing members without being an administrator."""


class NotAMember(WorkspaceDenied):
    """The assessment or workspace belongs to a workspace the caller is not a member of."""


class ReadOnlyRole(WorkspaceDenied):
    """The caller is a reader in the workspace: they may see and download, not change."""


class TooManyAttempts(StorageError):
    """Too many wrong join codes from this browser session or client address, recently."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after
