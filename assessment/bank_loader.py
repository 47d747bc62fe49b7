"""Loading question banks from YAML files: the built-in ones and a user's own folder.

A broken bank never stops the others from loading: each file either gives a ``Bank`` or
a list of ``Problem``s that name the file, the place (with the YAML line) and what is wrong.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from assessment.bank import Bank
from assessment.problems import InvalidFile, Problem, problems_from_validation

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "questions"
BANK_DIR_ENV = "PSA_BANK_DIR"
MAX_BANK_BYTES = 2 * 1024 * 1024
DEFAULT_BANK = "nationell-handlingsplan-2025"  # Agera för säker vård 2025–2030 (seed 001)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class BankSet:
    """The banks that loaded, by id, and the problems of those that did not."""

    banks: dict[str, Bank] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)

    def get(self, bank_id: str) -> Bank | None:
        return self.banks.get(bank_id)

    def default_id(self) -> str | None:
        """The bank a new assessment starts from: the national action plan when it loaded."""
        if DEFAULT_BANK in self.banks:
            return DEFAULT_BANK
        return next(iter(self.banks), None)


def read_text(path: Path, max_bytes: int) -> str:
    """Read a UTF-8 text file with a size cap; problems raise ``InvalidFile``."""
    name = str(path)
    return decode_utf8(name, read_capped(path, max_bytes))


def read_capped(path: Path, max_bytes: int) -> bytes:
    """A file's bytes, refusing a file over the size limit before reading it."""
    name = str(path)
    try:
        if path.is_dir():
            raise InvalidFile([Problem(name, "", "is a folder, not a file")])
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidFile([Problem(
                name, "", f"is {size:,} bytes, more than the limit of {max_bytes:,} bytes".replace(",", " ")
            )])
        return path.read_bytes()
    except OSError as exc:
        raise InvalidFile([Problem(name, "", f"cannot be read: {exc.strerror or exc}")]) from None


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


def parse_bank_text(name: str, text: str) -> Bank:
    """Parse and validate one bank's YAML text; raises ``InvalidFile`` with every problem."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            duplicates = _duplicate_keys(name, root)
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise InvalidFile([Problem(name, where, f"YAML syntax error: {what}")]) from None
    if duplicates:
        raise InvalidFile(duplicates)
    if not isinstance(data, dict):
        raise InvalidFile([Problem(
            name, "", f"must be a YAML mapping with id, version, title, source, scale and areas; "
            f"found {type(data).__name__}"
        )])
    try:
        return Bank.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(name, exc)
        raise InvalidFile(_with_lines(text, problems)) from None


def load_bank_file(path: Path) -> Bank:
    return parse_bank_text(str(path), read_text(path, MAX_BANK_BYTES))


def bank_dirs(extra: str | os.PathLike | None = None) -> list[Path]:
    """The built-in folder, then the user's folder (argument or ``PSA_BANK_DIR``)."""
    dirs = [BUILTIN_DIR]
    user = extra if extra is not None else os.environ.get(BANK_DIR_ENV)
    if user:
        dirs.append(Path(user))
    return dirs


def load_banks(dirs: list[Path] | None = None) -> BankSet:
    """Load every ``*.yaml``/``*.yml`` bank in the folders; later folders cannot shadow ids."""
    result = BankSet()
    for folder in dirs if dirs is not None else bank_dirs():
        if not folder.is_dir():
            if folder != BUILTIN_DIR:
                result.problems.append(Problem(str(folder), "", "bank folder does not exist"))
            continue
        for path in sorted(list(folder.glob("*.yaml")) + list(folder.glob("*.yml"))):
            try:
                bank = load_bank_file(path)
            except InvalidFile as exc:
                result.problems.extend(exc.problems)
                continue
            if bank.id in result.banks:
                result.problems.append(Problem(
                    str(path), "id",
                    f"bank id {bank.id!r} is already used by {result.files[bank.id]}; "
                    "give this bank another id",
                ))
                continue
            result.banks[bank.id] = bank
            result.files[bank.id] = path
    return result


_INDEX = re.compile(r"\[(\d+)\]")


def _duplicate_keys(name: str, root) -> list[Problem]:
    """YAML silently keeps the last of two equal keys; a bank must not lose data that way."""
    problems: list[Problem] = []

    def walk(node, place: str) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                k = getattr(key, "value", None)
                child = f"{place}.{k}" if place else str(k)
                if isinstance(k, str) and k in seen:
                    problems.append(Problem(
                        name, f"{child} (line {key.start_mark.line + 1})",
                        f"the key {k!r} appears twice in the same mapping; the first would be lost",
                    ))
                seen.add(k)
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{place}[{i}]")

    walk(root, "")
    return problems


def _with_lines(text: str, problems: list[Problem]) -> list[Problem]:
    """Add the YAML line number to each problem's place where the node can be found."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return problems
    out = []
    for p in problems:
        line = _line_of(root, p.place)
        place = f"{p.place} (line {line})" if line else p.place
        out.append(Problem(p.file, place, p.message))
    return out


def _line_of(node, place: str) -> int | None:
    if node is None or not place:
        return None
    best = node.start_mark.line + 1
    for part in _path_parts(place):
        if isinstance(part, int) and isinstance(node, yaml.SequenceNode):
            if part >= len(node.value):
                break
            node = node.value[part]
        elif isinstance(part, str) and isinstance(node, yaml.MappingNode):
            found = None
            for key, value in node.value:
                if getattr(key, "value", None) == part:
                    found = value
                    break
            if found is None:
                break
            node = found
        else:
            break
        best = node.start_mark.line + 1
    return best


def _path_parts(place: str) -> list[int | str]:
    parts: list[int | str] = []
    for chunk in place.split("."):
        name = _INDEX.split(chunk)
        if name[0]:
            parts.append(name[0])
        parts.extend(int(n) for n in name[1::2])
    return parts
