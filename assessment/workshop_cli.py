"""``python -m assessment workshop new-key ASSESSMENT_ID``: a new facilitator key for a live
workshop whose key was lost (the browser's kept key gone, the key file and the bookmark link
too). The command line is the database's owner, on the server; the app never gives a key
without one (docs/workshop.md)."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Sequence

from assessment.cli_support import Run
from assessment.workspace_cli import on_store

if TYPE_CHECKING:
    from assessment.storage import Store

ENV_PUBLIC_URL = "PSA_PUBLIC_URL"  # as the Workshop page: the app's address for others


def add_subcommands(subparsers, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Register ``workshop`` and its commands."""
    p = subparsers.add_parser(
        "workshop", parents=list(parents), formatter_class=argparse.RawDescriptionHelpFormatter,
        help="live workshops: a new facilitator key when it was lost",
        description="The database is $PSA_DATABASE_URL, else $PSA_DB_PATH (data/psa.sqlite3).",
        epilog="Example:\n  python -m assessment workshop new-key 1cd4dce25c0240df828aaa149b4da6d7",
    )
    sub = p.add_subparsers(dest="workshop_command", metavar="COMMAND", required=True)
    p = sub.add_parser(
        "new-key", parents=list(parents),
        help="give the assessment's newest workshop a new facilitator key; the old key, join "
             "code and join link stop working, participants' own links keep working")
    p.add_argument("assessment", metavar="ASSESSMENT_ID")
    p.set_defaults(func=_new_key)


@on_store
def _new_key(store: Store, args, run: Run) -> None:
    from assessment.workshop import display_code

    code, secret = store.new_facilitator_key(args.assessment)
    base = os.environ.get(ENV_PUBLIC_URL, "").strip().rstrip("/")
    print(f"new facilitator link (keep it to yourself): {base}/workshop?f={secret}", file=run.out)
    print(f"new join code: {display_code(code)}", file=run.out)
    if not base:
        print(f"(put the app's address before /workshop, or set {ENV_PUBLIC_URL})", file=run.out)
