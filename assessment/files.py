"""Reading and writing assessment JSON files, with clear messages for bad input.

``parse_assessment`` takes the bytes of a file (from disk or an upload), upgrades older
format versions, validates the shape and checks it against its bank.

``read_user_file`` is the one way a file named by a user is opened — assessment JSON, bank
YAML, filled-in Excel forms: it must be a regular file (not a folder, a FIFO or a device
such as ``/dev/zero``) no larger than the reader's limit, checked before anything is read.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Callable

from pydantic import ValidationError

from assessment.bank import Bank
from assessment.bank_upgrade import upgrade as upgrade_to_bank
from assessment.document import FORMAT, FORMAT_VERSION, Assessment, check_against_bank
from assessment.problems import InvalidFile, Problem, problems_from_validation

MAX_ASSESSMENT_BYTES = 20 * 1024 * 1024
MAX_JSON_DEPTH = 64     # an assessment file is 4 levels deep
MAX_NUMBER_DIGITS = 30  # no number in an assessment file needs more



def _v1_to_v2(raw: dict) -> dict:
    """Version 2 adds an action-plan item's goal, follow-up and follow-up date, all optional:
    a version-1 file is the same file at version 2 (its items have none yet)."""
    return {**raw, "version": 2}


# Upgrades from an older format version to the next one: {old_version: function}; every
# version-1 file keeps loading.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2}


def parse_assessment(name: str, data: bytes, banks: dict[str, Bank]) -> Assessment:
    """Parse an assessment file's bytes; raises ``InvalidFile`` naming every problem."""
    if len(data) > MAX_ASSESSMENT_BYTES:
        raise InvalidFile([Problem(
            name, "", f"is {len(data)} bytes, more than the limit of {MAX_ASSESSMENT_BYTES} bytes"
        )])
    fast = _validate_fast(data)
    if fast is not None:
        return _checked(name, fast, banks)
    text = decode_utf8(name, data)
    try:
        raw = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise InvalidFile([Problem(
            name, f"line {exc.lineno}, column {exc.colno}", f"is not valid JSON: {exc.msg}"
        )]) from None
    except _LongNumber as exc:
        raise InvalidFile([Problem(
            name, _line_column(text, text.find(exc.digits)),
            f"has a number of {len(exc.digits)} digits (at most {MAX_NUMBER_DIGITS}); "
            "no value in an assessment file is that large — correct the number"
        )]) from None
    except RecursionError:
        raise InvalidFile([Problem(
            name, _line_column(text, _too_deep_at(text)),
            f"is nested more than {MAX_JSON_DEPTH} levels deep (an assessment file is 4 "
            "levels deep); this is not an assessment file"
        )]) from None
    if _depth(raw) > MAX_JSON_DEPTH:
        raise InvalidFile([Problem(
            name, _line_column(text, _too_deep_at(text)),
            f"is nested more than {MAX_JSON_DEPTH} levels deep (an assessment file is 4 "
            "levels deep); this is not an assessment file"
        )])
    return assessment_from_dict(name, raw, banks)


class _LongNumber(ValueError):
    def __init__(self, digits: str):
        super().__init__(digits)
        self.digits = digits


def _bounded_int(digits: str) -> int:
    """``json``'s integer parser, refusing a number longer than any value needs (Python's
    own limit, 4,300 digits, says "use sys.set_int_max_str_digits()")."""
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _LongNumber(digits)
    return int(digits)


def _depth(value: object, limit: int = MAX_JSON_DEPTH + 1) -> int:
    """How deep lists and objects nest, counted no further than ``limit``."""
    deepest, level, todo = 0, 0, [(value, 1)]
    while todo:
        node, level = todo.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, level)
            if deepest >= limit:
                return deepest
            todo.extend((child, level + 1) for child in (node.values() if isinstance(node, dict)
                                                          else node))
    return deepest


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]')


def _too_deep_at(text: str) -> int:
    """Where the nesting first goes past ``MAX_JSON_DEPTH`` (strings skipped); -1 if nowhere."""
    level = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            level += 1
            if level > MAX_JSON_DEPTH:
                return match.start()
        elif token in "]}":
            level -= 1
    return -1


def _line_column(text: str, index: int) -> str:
    if index < 0:
        return ""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


def assessment_from_dict(name: str, raw: object, banks: dict[str, Bank]) -> Assessment:
    raw = upgrade(name, raw)
    try:
        assessment = Assessment.model_validate(raw)
    except ValidationError as exc:
        raise InvalidFile(problems_from_validation(name, exc)) from None
    return _checked(name, assessment, banks)


def _validate_fast(data: bytes) -> Assessment | None:
    """A current-version file validated straight from its JSON bytes (pydantic's parser):
    about twice as fast as ``json.loads`` and then validating. Anything else (an older
    version, a byte-order mark, any problem) returns ``None`` and takes the careful path,
    which names every problem."""
    try:
        return Assessment.model_validate_json(data, context={"file": True})
    except ValueError:
        return None


def _checked(name: str, assessment: Assessment, banks: dict[str, Bank]) -> Assessment:
    bank = banks.get(assessment.bank.id)
    if bank is None:
        known = ", ".join(sorted(banks)) or "none"
        raise InvalidFile([Problem(
            name, "bank.id", f"bank {assessment.bank.id!r} is not installed (installed: {known})"
        )])
    assessment = upgrade_to_bank(assessment, bank)  # an earlier version of the bank
    problems = check_against_bank(assessment, bank, name)
    if problems:
        raise InvalidFile(problems)
    return assessment


def upgrade(name: str, raw: object) -> dict:
    """Check format and version, and upgrade an older file to the current version."""
    if not isinstance(raw, dict):
        raise InvalidFile([Problem(
            name, "", f"must be a JSON object with \"format\": \"{FORMAT}\"; found {type(raw).__name__}"
        )])
    fmt = raw.get("format")
    if fmt != FORMAT:
        raise InvalidFile([Problem(
            name, "format", f"is {fmt!r}, not {FORMAT!r}: this is not an assessment file"
        )])
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidFile([Problem(name, "version", f"{version!r} is not a format version (1, 2, …)")])
    if version > FORMAT_VERSION:
        raise InvalidFile([Problem(
            name, "version",
            f"format version {version} is newer than this program understands "
            f"(up to {FORMAT_VERSION}); update the program to open it",
        )])
    while version < FORMAT_VERSION:
        raw = MIGRATIONS[version](raw)
        version = raw["version"]
    return raw


def load_assessment_file(path: Path, banks: dict[str, Bank]) -> Assessment:
    return parse_assessment(str(path), read_user_file(path, MAX_ASSESSMENT_BYTES), banks)


# --- opening a user's file -------------------------------------------------------------------

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
_BINARY = getattr(os, "O_BINARY", 0)


def read_user_file(path: Path, max_bytes: int, what: str = "file") -> bytes:
    """A user's file's bytes, or ``InvalidFile`` naming it: it must be a regular file (a
    folder, a FIFO, a socket or a device — even behind a symlink — is refused unread) of at
    most ``max_bytes``, checked before it is opened and again on the open file. ``what``
    names the kind of file in the size message ("an answer form")."""
    name = str(path)
    try:
        _check_kind(name, os.stat(path), max_bytes, what)
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as fh:
            _check_kind(name, os.fstat(fh.fileno()), max_bytes, what)  # the same file still?
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InvalidFile([Problem(name, "", f"cannot be read: {exc.strerror or exc}")]) from None
    if len(data) > max_bytes:  # it grew while being read
        raise InvalidFile([Problem(name, "", _too_large(len(data), max_bytes, what))])
    return data


def _check_kind(name: str, info: os.stat_result, max_bytes: int, what: str) -> None:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise InvalidFile([Problem(name, "", "is a folder, not a file")])
    if not stat.S_ISREG(mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else
                "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
                "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise InvalidFile([Problem(name, "", f"is {kind}, not a regular file; save the data "
                                             "to a file and name that file")])
    if info.st_size > max_bytes:
        raise InvalidFile([Problem(name, "", _too_large(info.st_size, max_bytes, what))])


def _too_large(size: int, limit: int, what: str) -> str:
    def shown(n: int) -> str:
        return f"{n / 1048576:.1f} MB" if limit >= 1048576 else f"{n} bytes"

    return f"is {shown(size)}, more than the limit of {shown(limit)} for {what}"


def decode_utf8(name: str, data: bytes) -> str:
    if not data.strip():
        raise InvalidFile([Problem(name, "", "is empty")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidFile([Problem(
            name, f"line {line}", f"is not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        )]) from None
    return text


def file_stem(assessment: Assessment, fallback: str) -> str:
    """A download's file name (without extension) from the organisation, unit and date:
    letters, digits, ``-`` and ``_`` only, or ``fallback`` when nothing is left."""
    base = f"{assessment.organisation.name}-{assessment.organisation.unit}-{assessment.date}"
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in base).strip("-") or fallback


def dump_assessment(assessment: Assessment) -> str:
    return json.dumps(assessment.to_json_dict(), ensure_ascii=False, indent=2) + "\n"


def save_assessment_file(assessment: Assessment, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dump_assessment(assessment), encoding="utf-8")
    tmp.replace(path)
