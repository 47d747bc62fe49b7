"""Reading and writing assessment JSON files, with clear messages for bad input.

``parse_assessment`` takes the bytes of a file (from disk or an upload), upgrades older
format versions, validates the shape and checks it against its bank.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from pydantic import ValidationError

from assessment.bank import Bank
from assessment.bank_loader import decode_utf8, read_capped
from assessment.bank_upgrade import upgrade as upgrade_to_bank
from assessment.document import FORMAT, FORMAT_VERSION, Assessment, check_against_bank
from assessment.problems import InvalidFile, Problem, problems_from_validation

MAX_ASSESSMENT_BYTES = 20 * 1024 * 1024

# Upgrades from an older format version to the next one: {old_version: function}.
# Version 1 is the first published format, so there is nothing to upgrade yet; a
# future version 2 adds ``1: _v1_to_v2`` here and keeps every version-1 file loading.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}


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
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidFile([Problem(
            name, f"line {exc.lineno}, column {exc.colno}", f"is not valid JSON: {exc.msg}"
        )]) from None
    return assessment_from_dict(name, raw, banks)


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
    return parse_assessment(str(path), read_capped(path, MAX_ASSESSMENT_BYTES), banks)


def dump_assessment(assessment: Assessment) -> str:
    return json.dumps(assessment.to_json_dict(), ensure_ascii=False, indent=2) + "\n"


def save_assessment_file(assessment: Assessment, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dump_assessment(assessment), encoding="utf-8")
    tmp.replace(path)
