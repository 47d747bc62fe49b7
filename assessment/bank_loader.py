"""Loading question banks from YAML files: the built-in ones and a user's own folder.

A broken bank never stops the others from loading: each file either gives a ``Bank`` or
a list of ``Problem``s that name the file, the place (with the YAML line) and what is wrong.

The built-in banks are package data of the ``questions`` package (the repository's
``questions/`` folder, installed with the program) and are read with ``importlib.resources``;
if they are missing the installation is broken and ``MissingBuiltinBanks`` is raised.

A bank's YAML is looked at event by event before it is built: anchors and aliases (``&a`` /
``*a``, which can make a small file expand without bound — "billion laughs"), nesting
deeper than ``MAX_YAML_DEPTH`` and integers longer than ``MAX_NUMBER_DIGITS`` are refused
with their line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from assessment.bank import Bank
from assessment.files import decode_utf8, read_user_file
from assessment.problems import InvalidFile, Problem, problems_from_validation

BUILTIN_PACKAGE = "questions"  # the built-in banks: package data of this package
# None: the built-in banks of the installed package. Tests may point it at another folder
# (a folder that does not exist then means no built-in banks).
BUILTIN_DIR: Path | None = None
BANK_DIR_ENV = "PSA_BANK_DIR"
MAX_BANK_BYTES = 2 * 1024 * 1024
MAX_YAML_DEPTH = 20      # the built-in banks nest 6 levels
MAX_NUMBER_DIGITS = 30
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
    """Read a user's UTF-8 text file with a size cap (``files.read_user_file``); problems
    raise ``InvalidFile``."""
    return decode_utf8(str(path), read_capped(path, max_bytes))


read_capped = read_user_file  # the one way a user's file is opened (assessment.files)


class MissingBuiltinBanks(RuntimeError):
    """The program's own banks are not installed with it: the installation is broken."""


def builtin_banks() -> list:
    """The built-in bank files (``importlib.resources`` traversables), by name; raises
    ``MissingBuiltinBanks`` when the package or its YAML files are not installed."""
    try:
        root = resources.files(BUILTIN_PACKAGE)
        found = sorted((entry for entry in root.iterdir()
                        if entry.name.endswith((".yaml", ".yml")) and entry.is_file()),
                       key=lambda entry: entry.name)
    except (ModuleNotFoundError, OSError) as exc:
        raise MissingBuiltinBanks(
            f"the built-in question banks (package {BUILTIN_PACKAGE!r}) are not installed "
            f"({exc}); reinstall the program") from None
    if not found:
        raise MissingBuiltinBanks(
            f"the built-in question banks are missing from {root}: the package holds no "
            "*.yaml bank; reinstall the program")
    return found


def parse_bank_text(name: str, text: str) -> Bank:
    """Parse and validate one bank's YAML text; raises ``InvalidFile`` with every problem."""
    try:
        _check_events(name, text)
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


def _check_events(name: str, text: str) -> None:
    """Refuse aliases, deep nesting and huge integers, streaming the YAML's events (so
    that none of them costs more than reading the text)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise InvalidFile([Problem(
                name, f"line {line}", f"uses the YAML alias *{event.anchor}; a bank may not use "
                "anchors and aliases (&name, *name) — write the text out in full")])
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise InvalidFile([Problem(
                    name, f"line {line}", f"is nested more than {MAX_YAML_DEPTH} levels deep "
                    "(a bank is 6 levels deep); this is not a question bank")])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif (isinstance(event, yaml.ScalarEvent) and not event.style
              and len(event.value) > MAX_NUMBER_DIGITS and _LONG_INT.fullmatch(event.value)):
            raise InvalidFile([Problem(
                name, f"line {line}", f"has a number of {len(event.value)} digits (at most "
                f"{MAX_NUMBER_DIGITS}); no value in a bank is that large — correct the number "
                "or put text in quotes")])


_LONG_INT = re.compile(r"[-+]?[0-9_]+")


def load_bank_file(path: Path) -> Bank:
    return parse_bank_text(str(path), read_text(path, MAX_BANK_BYTES))


def bank_dirs(extra: str | os.PathLike | None = None) -> list[Path | None]:
    """The built-in banks (``None``: the installed package's, or ``BUILTIN_DIR``), then the
    user's folder (argument or ``PSA_BANK_DIR``)."""
    dirs: list[Path | None] = [None]
    user = extra if extra is not None else os.environ.get(BANK_DIR_ENV)
    if user:
        dirs.append(Path(user))
    return dirs


def _bank_files(folder: Path | None) -> list | None:
    """The bank files of one folder (``None``: the built-in banks); ``None`` when a user's
    folder does not exist."""
    if folder is None:
        if BUILTIN_DIR is None:
            return builtin_banks()
        folder = BUILTIN_DIR
        if not folder.is_dir():
            return []
    elif not folder.is_dir():
        return None
    return sorted(list(folder.glob("*.yaml")) + list(folder.glob("*.yml")))


def _load_one(entry) -> Bank:
    if isinstance(entry, Path):
        return load_bank_file(entry)
    # a built-in bank, read with importlib.resources (the program's own file, no cap)
    return parse_bank_text(str(entry), decode_utf8(str(entry), entry.read_bytes()))


def load_banks(dirs: list[Path | None] | None = None) -> BankSet:
    """Load every ``*.yaml``/``*.yml`` bank in the folders (``None`` stands for the built-in
    banks); later folders cannot shadow ids. Raises ``MissingBuiltinBanks`` when the
    built-in banks are asked for and not installed."""
    result = BankSet()
    for folder in dirs if dirs is not None else bank_dirs():
        paths = _bank_files(folder)
        if paths is None:
            result.problems.append(Problem(str(folder), "", "bank folder does not exist"))
            continue
        for path in paths:
            try:
                bank = _load_one(path)
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
