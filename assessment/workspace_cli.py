"""``python -m assessment workspace …``: workspaces, their members and the administrators,
in the database the app uses (``PSA_DATABASE_URL``, else ``PSA_DB_PATH``). The command line
is the database's owner: it needs no sign-in, so it makes the first administrator, who then
adds members on the app's Administration page (docs/workshop.md)."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import TYPE_CHECKING, Sequence

from assessment.cli_support import EXIT_ERROR, EXIT_OK, Run, UserError

if TYPE_CHECKING:
    from assessment.storage import Store

_RAW = argparse.RawDescriptionHelpFormatter
# assessment.storage.ROLES, written out: the database code (SQLAlchemy) is imported only when
# a workspace command runs, not to build the parser of every command (tests/test_workspaces.py
# checks that the two are the same).
ROLES = ("facilitator", "reader")


def add_subcommands(subparsers, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Register ``workspace`` and its commands."""
    p = subparsers.add_parser(
        "workspace", parents=list(parents), formatter_class=_RAW,
        help="workspaces, their members and administrators (for sign-in)",
        description="With sign-in, a user sees the assessments of the workspaces they are a "
                    "member of: a facilitator may change them, a reader only read them.\nThe "
                    "database is $PSA_DATABASE_URL, else $PSA_DB_PATH (data/psa.sqlite3).",
        epilog="Example:\n  python -m assessment workspace admin it@region.se\n"
               "  python -m assessment workspace create \"Region Halland\"\n"
               "  python -m assessment workspace add-member \"Region Halland\" anna@region.se "
               "--role facilitator",
    )
    sub = p.add_subparsers(dest="workspace_command", metavar="COMMAND", required=True)
    p = sub.add_parser("list", parents=list(parents),
                       help="every workspace with its members, and the administrators")
    p.set_defaults(func=_list)
    p = sub.add_parser("create", parents=list(parents), help="a new workspace")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=_create)
    p = sub.add_parser("add-member", parents=list(parents),
                       help="give an e-mail a role in a workspace (a new role replaces the old)")
    p.add_argument("workspace", metavar="WORKSPACE", help="its name or id")
    p.add_argument("email", metavar="EMAIL", help="the e-mail the user signs in with")
    p.add_argument("--role", choices=ROLES, required=True)
    p.set_defaults(func=_add_member)
    p = sub.add_parser("remove-member", parents=list(parents), help="take an e-mail out")
    p.add_argument("workspace", metavar="WORKSPACE", help="its name or id")
    p.add_argument("email", metavar="EMAIL")
    p.set_defaults(func=_remove_member)
    p = sub.add_parser("admin", parents=list(parents),
                       help="make an e-mail an administrator (manages workspaces in the app)")
    p.add_argument("email", metavar="EMAIL")
    p.set_defaults(func=_admin)
    p = sub.add_parser("move", parents=list(parents),
                       help="put an assessment (by id) in another workspace")
    p.add_argument("assessment", metavar="ASSESSMENT_ID")
    p.add_argument("workspace", metavar="WORKSPACE", help="its name or id")
    p.set_defaults(func=_move)


def on_store(action):
    """Run ``action(store, args, run)`` on the database; a store's refusal of the input is
    exit code 2 with its line, a database that cannot be used exit code 1."""
    def command(args, run: Run) -> int:
        from assessment.storage import AlreadyExists, InvalidInput, NotFound, StorageError, Store

        try:
            with Store.from_env() as store:
                action(store, args, run)
        except (InvalidInput, NotFound, AlreadyExists) as exc:
            raise UserError(f"error: {exc}") from None
        except StorageError as exc:
            print(f"error: {exc}", file=run.err)
            return EXIT_ERROR
        return EXIT_OK
    return command


@on_store
def _list(store: Store, args, run: Run) -> None:
    counts = Counter(s.workspace_id for s in store.list_assessments())
    for workspace in store.list_workspaces():
        n = counts[workspace.id]
        print(f"{workspace.name} ({workspace.id}): {n} assessment{'' if n == 1 else 's'}",
              file=run.out)
        for member in store.members(workspace.id):
            print(f"  {member.email} {member.role}", file=run.out)
    print(f"administrators: {', '.join(store.administrators()) or 'none'}", file=run.out)


@on_store
def _create(store: Store, args, run: Run) -> None:
    wid = store.create_workspace(args.name)
    print(f"created workspace {store.workspace(wid).name} ({wid})", file=run.out)


@on_store
def _add_member(store: Store, args, run: Run) -> None:
    from assessment.storage.workspaces import kept_email

    workspace = store.workspace(args.workspace)
    store.add_member(workspace.id, args.email, args.role)
    print(f"{kept_email(args.email)} is {args.role} in {workspace.name}", file=run.out)


@on_store
def _remove_member(store: Store, args, run: Run) -> None:
    from assessment.storage import NotFound
    from assessment.storage.workspaces import kept_email

    workspace = store.workspace(args.workspace)
    if not store.remove_member(workspace.id, args.email):
        raise NotFound(f"{args.email} is not a member of {workspace.name}")
    print(f"removed {kept_email(args.email)} from {workspace.name}", file=run.out)


@on_store
def _admin(store: Store, args, run: Run) -> None:
    from assessment.storage.workspaces import kept_email

    store.add_administrator(args.email)
    print(f"{kept_email(args.email)} is an administrator", file=run.out)


@on_store
def _move(store: Store, args, run: Run) -> None:
    workspace = store.workspace(args.workspace)
    store.move_assessment(args.assessment, workspace.id)
    print(f"moved {args.assessment} to {workspace.name}", file=run.out)
