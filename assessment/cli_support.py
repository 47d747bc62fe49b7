"""What every command of ``python -m assessment`` shares: the error for bad input, writing a
file without leaving half of it behind, and a few small helpers for batch work."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from assessment.bank_loader import BankSet, bank_dirs, load_banks

# The exit codes of every command.
EXIT_OK = 0
EXIT_ERROR = 1        # something went wrong that is not the user's input
EXIT_INVALID = 2      # bad input: a line per problem on stderr, nothing written
EXIT_INTERRUPTED = 130


def read_banks(bank_dir: str | None) -> BankSet:
    """The built-in banks plus the user's folder (``--bank-dir`` or ``PSA_BANK_DIR``)."""
    return load_banks(bank_dirs(bank_dir))


@dataclass
class Run:
    """What every command is given – ``cmd(args, run) -> exit code``: where to write, and the
    installed banks plus the user's folder (``--bank-dir`` or ``PSA_BANK_DIR``), read when a
    command first asks for them."""

    out: TextIO
    err: TextIO
    bank_dir: str | None = None
    loaded: BankSet | None = field(default=None, repr=False)  # given, or read when first asked

    @property
    def bank_set(self) -> BankSet:
        if self.loaded is None:
            self.loaded = read_banks(self.bank_dir)
        return self.loaded

    @property
    def banks(self) -> dict:
        return self.bank_set.banks


class UserError(Exception):
    """Bad input that ends a command with exit code 2 and these lines on stderr."""

    def __init__(self, *lines: str):
        self.lines = lines
        super().__init__("\n".join(lines))


def run_command(args, run: Run) -> int:
    """``args.func(args, run)``, a ``UserError`` as its lines on stderr and exit code 2."""
    try:
        return args.func(args, run)
    except UserError as exc:
        for line in exc.lines:
            print(line, file=run.err)
        return EXIT_INVALID


def isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def check_xlsx_target(path: Path, force: bool) -> Path:
    """``path`` if a workbook may be written there: an ``.xlsx`` name, and not an existing
    file unless ``force``."""
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"{path}: the file name must end in .xlsx")
    if path.exists() and not force:
        raise UserError(f"{path}: already exists; use --force to overwrite it")
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, so a failed write
    leaves the old file (or none) and never half a new one."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise UserError(f"{path}: cannot be written: {exc.strerror or exc}") from None
