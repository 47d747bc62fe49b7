"""Problems found in a user's file, each naming the file, the place and what is wrong.

Every check in the core collects problems instead of stopping at the first one, so a
user can fix a file in one go. Messages are in the order *where → what → how to fix*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    file: str
    place: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.place}" if self.place else self.file
        return f"{where}: {self.message}"


class InvalidFile(Exception):
    """Raised when a file breaks the rules; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def first_line(self) -> str:
        extra = len(self.problems) - 1
        more = f" (and {extra} more problem{'s' if extra != 1 else ''})" if extra > 0 else ""
        return f"{self.problems[0]}{more}"


def place_of(loc: Iterable[int | str]) -> str:
    """Turn a pydantic ``loc`` tuple into a path like ``areas[2].questions[4].links[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def join_place(prefix: str, place: str) -> str:
    if not prefix:
        return place
    if not place:
        return prefix
    return prefix + (place if place.startswith("[") else "." + place)


def problems_from_validation(file: str, error: ValidationError, prefix: str = "") -> list[Problem]:
    """Every error of a pydantic ``ValidationError`` as a ``Problem`` with a readable place.

    Cross-reference validators raise ``ReferenceProblems`` carrying several (place, message)
    pairs; those are unpacked so each names its own place.
    """
    problems: list[Problem] = []
    merged: set[str] = set()
    for err in error.errors(include_url=False):
        loc = err["loc"]
        if loc and isinstance(loc[-1], str) and loc[-1].startswith(_ANSWER_UNION_BRANCHES):
            # An answer value fails both branches of its union (level | "unknown"/"na"):
            # one problem at the value itself, not one per branch.
            base = join_place(prefix, place_of(loc[:-1]))
            if base not in merged:
                merged.add(base)
                problems.append(Problem(file, base, (
                    f'{err.get("input")!r} is not an answer: use a level (0, 1, 2, …), '
                    '"unknown" (Vet ej) or "na" (Ej aktuellt)')))
            continue
        base = join_place(prefix, place_of(loc))
        inner = (err.get("ctx") or {}).get("error")
        nested = getattr(inner, "problems", None)
        if nested:
            problems.extend(Problem(file, join_place(base, place), msg) for place, msg in nested)
            continue
        problems.append(Problem(file, base, _plain_message(err)))
    return problems


_ANSWER_UNION_BRANCHES = ("constrained-int", "literal['unknown','na']")


def _plain_message(err: dict) -> str:
    kind = err["type"]
    msg = err["msg"]
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field (check the spelling)"
    if kind == "value_error" and msg.startswith("Value error, "):
        return msg[len("Value error, "):]
    if kind == "string_pattern_mismatch":
        value = err.get("input")
        return f"{value!r} has the wrong form ({msg.lower()})"
    return msg[0].lower() + msg[1:] if msg else kind
