"""What every command of ``python -m assessment`` shares: the error for bad input, writing a
file without leaving half of it behind, and a few small helpers for batch work."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO


class UserError(Exception):
    """Bad input that ends a command with exit code 2 and these lines on stderr."""

    def __init__(self, *lines: str):
        self.lines = lines
        super().__init__("\n".join(lines))


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
