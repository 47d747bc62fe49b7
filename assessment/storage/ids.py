"""The one allocator of participant ids: the app's pages, the form import and workshop joins
all get their ids here, inside the write transaction that locked the assessment."""

from __future__ import annotations

import re

from sqlalchemy import Connection, select

from assessment.storage.schema import participants

_PREFIX = re.compile(r"[a-z][a-z-]{0,15}")


def allocate_ids(conn: Connection, aid: str, prefix: str, count: int) -> list[str]:
    """``count`` new participant ids ``<prefix><n>``, numbered after the highest in use (inside
    the write transaction that locked the assessment, so no one else allocates meanwhile)."""
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"not a participant id prefix: {prefix!r}")
    used = set(conn.execute(
        select(participants.c.id).where(participants.c.assessment_id == aid)).scalars())
    pattern = re.compile(re.escape(prefix) + r"(\d{1,9})")
    number = max((int(m.group(1)) for pid in used if (m := pattern.fullmatch(pid))), default=0)
    ids = []
    while len(ids) < count:
        number += 1
        if f"{prefix}{number}" not in used:
            ids.append(f"{prefix}{number}")
    return ids
