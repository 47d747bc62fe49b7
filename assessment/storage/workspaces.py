"""Workspaces: which signed-in users see which assessments, and what they may do there.

Every assessment belongs to one workspace (an organisation or a unit). ``Store`` inherits
these methods (``WorkspaceMethods``). A store as opened (the command line, tools) and the
app's store without sign-in have no member (``_member is None``): they see and change every
assessment, as before workspaces. ``Store.for_caller(keys, member=email)`` is a signed-in
user: they see only the assessments of the workspaces they are a member of; a
``facilitator`` may create, change and delete them and run workshops, a ``reader`` may only
read them (``NotAMember``, ``ReadOnlyRole``). Administrators (a table of e-mail addresses)
create workspaces and add members; the first one is made on the command line
(``python -m assessment workspace admin EMAIL``), which is the database's owner.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from assessment.storage.errors import (AlreadyExists, InvalidInput, NotAMember, NotFound,
                                       ReadOnlyRole, WorkspaceDenied)
from assessment.storage.schema import (DEFAULT_WORKSPACE, administrators, assessments,
                                       workspace_members, workspaces)
from assessment.storage.values import utc, utc_now

FACILITATOR, READER = "facilitator", "reader"
ROLES = (FACILITATOR, READER)
NAME_MAX = 200


@dataclass(frozen=True)
class Workspace:
    """A workspace, with the caller's role in it (``None``: not a member: the owner, who may
    do anything, or an administrator managing it)."""
    id: str
    name: str
    created_at: dt.datetime  # UTC
    role: str | None = None


@dataclass(frozen=True)
class Member:
    email: str
    role: str


def kept_email(email: str) -> str:
    """An e-mail address as it is kept and compared: trimmed, in lower case."""
    return (email or "").strip().lower()


def normal_email(email: str) -> str:
    """``kept_email``, checked: ``InvalidInput`` if it is no e-mail address."""
    address = kept_email(email)
    local, _, domain = address.partition("@")
    if not local or "." not in domain or len(address) > 320 or any(c.isspace() for c in address):
        raise InvalidInput(f"{email.strip()!r} is not an e-mail address")
    return address


class WorkspaceMethods:
    """Workspace methods of ``Store`` (they use its transactions)."""

    _member: str | None = None  # None: no sign-in (every assessment); else the caller's e-mail

    # --- workspaces and members (an administrator's, or the owner's) ----------------------

    def create_workspace(self, name: str) -> str:
        """A new workspace; returns its id. ``AlreadyExists`` if the name is taken."""
        name = " ".join((name or "").split())
        if not name or len(name) > NAME_MAX:
            raise InvalidInput(f"a workspace name has 1 to {NAME_MAX} characters")
        wid = uuid.uuid4().hex
        taken = AlreadyExists(f"there is already a workspace named {name!r}")
        with self._transaction(on_conflict=taken) as conn:
            self._require_admin(conn)
            conn.execute(insert(workspaces).values(id=wid, name=name, created_at=utc_now()))
        return wid

    def list_workspaces(self, managed: bool = False) -> list[Workspace]:
        """The workspaces this caller works in, by name, with their role: for the owner every
        one (role ``None``). ``managed``: every workspace, for an administrator to manage
        (``WorkspaceDenied`` for anyone else)."""
        with self._reading() as conn:
            if managed:
                self._require_admin(conn)
            roles = self._roles(conn) if self._member is not None else {}
            rows = conn.execute(select(workspaces).order_by(workspaces.c.name)).all()
        return [Workspace(r.id, r.name, utc(r.created_at), roles.get(r.id)) for r in rows
                if managed or self._member is None or r.id in roles]

    def workspace(self, ref: str) -> Workspace:
        """The workspace named ``ref`` or with id ``ref``, for managing it (the command line,
        the admin page); ``NotFound`` if there is none."""
        for found in self.list_workspaces(managed=True):
            if ref in (found.id, found.name):
                return found
        raise NotFound(f"there is no workspace {ref!r}")

    def add_member(self, workspace_id: str, email: str, role: str) -> None:
        """Make ``email`` a member of the workspace with ``role`` (a member already there gets
        the new role)."""
        if role not in ROLES:
            raise InvalidInput(f"the role must be {' or '.join(ROLES)}, not {role!r}")
        email = normal_email(email)
        with self._transaction() as conn:
            self._require_admin(conn)
            self._require_workspace(conn, workspace_id)
            conn.execute(delete(workspace_members).where(
                workspace_members.c.workspace_id == workspace_id,
                workspace_members.c.email == email))
            conn.execute(insert(workspace_members).values(
                workspace_id=workspace_id, email=email, role=role))

    def remove_member(self, workspace_id: str, email: str) -> bool:
        """Take ``email`` out of the workspace; False if they were not in it."""
        with self._transaction() as conn:
            self._require_admin(conn)
            return conn.execute(delete(workspace_members).where(
                workspace_members.c.workspace_id == workspace_id,
                workspace_members.c.email == kept_email(email))).rowcount > 0

    def members(self, workspace_id: str) -> list[Member]:
        """The workspace's members by e-mail (administrators only)."""
        with self._reading() as conn:
            self._require_admin(conn)
            self._require_workspace(conn, workspace_id)
            return [Member(r.email, r.role) for r in conn.execute(
                select(workspace_members).where(workspace_members.c.workspace_id == workspace_id)
                .order_by(workspace_members.c.email))]

    def move_assessment(self, aid: str, workspace_id: str) -> None:
        """Put assessment ``aid`` in another workspace (administrators only; an assessment run
        as a workshop also needs its facilitator key, ``WorkshopLocked``)."""
        with self._transaction() as conn:
            self._require_admin(conn)
            self._require_workspace(conn, workspace_id)
            self._check_workshop_key(conn, aid)
            if conn.execute(update(assessments).where(assessments.c.id == aid)
                            .values(workspace_id=workspace_id)).rowcount == 0:
                raise NotFound(f"there is no assessment with id {aid!r}")

    def add_administrator(self, email: str) -> None:
        """Make ``email`` an administrator (nothing happens if they are one already)."""
        email = normal_email(email)
        with self._transaction() as conn:
            self._require_admin(conn)
            if not self._admin_row(conn, email):
                conn.execute(insert(administrators).values(email=email, created_at=utc_now()))

    def administrators(self) -> list[str]:
        with self._reading() as conn:
            self._require_admin(conn)
            return list(conn.execute(select(administrators.c.email)
                                     .order_by(administrators.c.email)).scalars())

    def is_administrator(self) -> bool:
        """Whether this caller may manage workspaces (the owner always may)."""
        with self._reading() as conn:
            return self._member is None or self._is_admin(conn)

    def role_for(self, aid: str) -> str | None:
        """This caller's role in the workspace of assessment ``aid``: ``None`` for the owner
        (who may do anything) and for a member of another workspace (who may do nothing)."""
        if self._member is None:
            return None
        with self._reading() as conn:
            return conn.execute(_ROLE_FOR_ASSESSMENT,
                                {"aid": aid, "email": self._member}).scalar()

    def may_change(self, aid: str) -> bool:
        """Whether this caller's role lets it change assessment ``aid``: not a reader's (nor
        a non-member's); the pages draw the answers read-only then."""
        return self._member is None or self.role_for(aid) == FACILITATOR

    # --- the checks ---------------------------------------------------------------------

    def _is_admin(self, conn: Connection) -> bool:
        return self._member is not None and self._admin_row(conn, self._member)

    @staticmethod
    def _admin_row(conn: Connection, email: str) -> bool:
        return conn.execute(select(administrators.c.email)
                            .where(administrators.c.email == email)).first() is not None

    def _require_admin(self, conn: Connection) -> None:
        if self._member is not None and not self._is_admin(conn):
            raise WorkspaceDenied("only an administrator can manage workspaces and members")

    @staticmethod
    def _require_workspace(conn: Connection, workspace_id: str) -> None:
        if conn.execute(select(workspaces.c.id)
                        .where(workspaces.c.id == workspace_id)).first() is None:
            raise NotFound(f"there is no workspace with id {workspace_id!r}")

    def _roles(self, conn: Connection) -> dict[str, str]:
        """workspace id → this member's role there."""
        return dict(conn.execute(_ROLES, {"email": self._member}).all())

    def _require_role(self, conn: Connection, workspace_id: str, write: bool) -> None:
        """``NotAMember`` / ``ReadOnlyRole`` unless the caller may read (or, with ``write``,
        change) what is in the workspace; ``NotFound`` for an unknown workspace."""
        if self._member is None:
            self._require_workspace(conn, workspace_id)
            return
        _require(self._roles(conn).get(workspace_id), write, "that workspace")

    def _check_workspace(self, conn: Connection, aid: str, write: bool) -> str | None:
        """``NotAMember`` / ``ReadOnlyRole`` unless the caller may read (or change) ``aid``;
        the caller's role there (None without sign-in)."""
        if self._member is None:
            return None
        role = conn.execute(_ROLE_FOR_ASSESSMENT, {"aid": aid, "email": self._member}).scalar()
        _require(role, write, "the workspace of this assessment")
        return role

    def _check_members(self, conn: Connection, ids: list[str]) -> None:
        """``NotAMember`` if any of ``ids`` is in a workspace the caller is not a member of."""
        if self._member is None or not ids:
            return
        mine = list(self._roles(conn))
        for start in range(0, len(ids), 500):
            if conn.execute(select(assessments.c.id).where(
                    assessments.c.id.in_(ids[start:start + 500]),
                    assessments.c.workspace_id.not_in(mine)).limit(1)).first() is not None:
                _require(None, False, "the workspace of an assessment asked for")


def _require(role: str | None, write: bool, what: str) -> None:
    if role is None:
        raise NotAMember(f"you are not a member of {what}; ask an administrator to add you")
    if write and role != FACILITATOR:
        raise ReadOnlyRole(f"you are a reader in {what}: you may see and download, not change")


_ROLES = select(workspace_members.c.workspace_id, workspace_members.c.role).where(
    workspace_members.c.email == bindparam("email"))
_ROLE_FOR_ASSESSMENT = (
    select(workspace_members.c.role)
    .join(assessments, assessments.c.workspace_id == workspace_members.c.workspace_id)
    .where(assessments.c.id == bindparam("aid"), workspace_members.c.email == bindparam("email"))
)

__all__ = ["DEFAULT_WORKSPACE", "FACILITATOR", "READER", "ROLES", "Member", "Workspace",
           "WorkspaceMethods", "kept_email", "normal_email"]
