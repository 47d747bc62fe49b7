"""Reading assessment files to score them, many at a time (``score``, ``compare``).

A file of 20 participants holds some 1,400 answers. Building one pydantic model per answer
costs three times as much as reading the JSON, and scoring needs only each question's
values. So here the file is decoded by msgspec, which checks every answer's shape (its
fields, their types and lengths, the value's range) in C while it parses, and the
answers are handed over grouped by question (``{"G1.1": [2, 3, "unknown"], …}``).
Everything else in the file is validated by the same ``Assessment`` model as always. A
file of an earlier format version is upgraded by ``files.upgrade``, one made with an earlier
version of its bank by ``bank_upgrade`` (the header by ``upgrade``, the answers merged by the
same rules in ``merged_answers``).

The rules are exactly those of ``files.parse_assessment``, and so are the messages: a
file that does not pass here is read again by ``parse_assessment``, which either accepts
it (it may, for example, start with a byte-order mark) or names every problem at its
place. ``tests/test_bulk_read.py`` holds the two to the same verdict.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import msgspec
from pydantic import ValidationError

from assessment.bank import Bank
from assessment.bank_loader import read_capped
from assessment.bank_upgrade import can_upgrade, merged_answers
from assessment.bank_upgrade import upgrade as upgrade_to_bank
from assessment.document import (MAX_ID, MAX_ITEM_ID, MAX_LEVEL, MAX_TEXT, Assessment,
                                 answers_by_question, answers_fit, check_against_bank,
                                 grouped_by_question)
from assessment.files import MAX_ASSESSMENT_BYTES, parse_assessment, upgrade
from assessment.problems import InvalidFile
from scoring.score import ScoringInput


class _Answer(msgspec.Struct, forbid_unknown_fields=True):
    """``document.Answer``'s rules, for msgspec (strict: no bool or float for a level)."""

    participant: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ID)]
    question: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ITEM_ID)]
    value: Union[Annotated[int, msgspec.Meta(ge=0, le=MAX_LEVEL)], Literal["unknown", "na"]]
    comment: Annotated[str, msgspec.Meta(max_length=MAX_TEXT)] = ""  # control characters: below


# The file: its answers as above; every other field of ``Assessment`` decoded as plain JSON
# values for pydantic (UNSET when absent); any other field makes the decoding fail.
_HEADER_FIELDS = tuple(name for name in Assessment.model_fields if name != "answers")
_File = msgspec.defstruct(
    "_File",
    [("answers", list[_Answer], []), *((name, Any, msgspec.UNSET) for name in _HEADER_FIELDS)],
    forbid_unknown_fields=True,
)
_DECODER = msgspec.json.Decoder(_File)
# JSON escapes a control character in a string (\u0000 … \u001f); DEL may stand as it is. A
# file without these (almost every file) can hold none, so one scan of the bytes replaces a
# check of every comment.
_CONTROL_ESCAPE = re.compile(rb"\\u00(?:[01][0-9a-fA-F]|7[fF])")


def _may_hold_control(data: bytes) -> bool:
    if b"\x7f" in data:
        return True
    start = data.find(b"\\u00")  # a fast scan; the pattern only where an escape starts
    return start >= 0 and _CONTROL_ESCAPE.search(data, start) is not None


def read_for_scoring(name: str, data: bytes, banks: dict[str, Bank]) -> ScoringInput:
    """Read and check one file's bytes; raises ``InvalidFile`` (from ``parse_assessment``)
    naming every problem of a file that breaks a rule."""
    quick = _read_quickly(name, data, banks)
    if quick is not None:
        return quick
    full = parse_assessment(name, data, banks)
    return ScoringInput(full.model_copy(update={"answers": []}), answers_by_question(full))


def read_file_for_scoring(path: Path, banks: dict[str, Bank]) -> ScoringInput:
    """``read_for_scoring`` of a file on disk (refused unread when it is too large)."""
    return read_for_scoring(str(path), read_capped(path, MAX_ASSESSMENT_BYTES), banks)


def _read_quickly(name: str, data: bytes, banks: dict[str, Bank]) -> ScoringInput | None:
    """The file read and checked, or ``None`` if anything at all is off."""
    if len(data) > MAX_ASSESSMENT_BYTES or _may_hold_control(data):
        return None  # a comment may hold a control character: the careful path says where
    try:
        decoded = _DECODER.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None  # not UTF-8 JSON, an unknown field, or an answer that breaks a rule
    raw = {name: value for name in _HEADER_FIELDS
           if (value := getattr(decoded, name)) is not msgspec.UNSET}
    try:
        header = Assessment.model_validate(upgrade(name, raw), context={"file": True})
    except (InvalidFile, ValidationError):
        return None
    bank = banks.get(header.bank.id)
    if bank is None:
        return None
    answers = decoded.answers
    if can_upgrade(header, bank):  # an earlier version of the bank: merged by its rules
        header, answers = upgrade_to_bank(header, bank), merged_answers(answers, bank)
    if check_against_bank(header, bank, name):
        return None
    if not answers_fit(bank, {p.id for p in header.participants}, answers):
        return None
    return ScoringInput(header, grouped_by_question(answers))
