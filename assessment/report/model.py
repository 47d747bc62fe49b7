"""The report as plain data: one model, rendered to Word (``report.docx``) and to PDF
(``report.pdf``), so both carry exactly the same content.

A ``Report`` is a title block and a list of ``Section``s; a section holds blocks in order:
``Heading``, ``Paragraph``, ``Bullets``, ``Table``, ``Image`` and ``Row`` (blocks side by side). Every text is plain text
(names, notes and titles the team typed are never read as markup by a renderer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2            # 1 is the section's own title; 2 and 3 below it


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "normal"     # "normal", "lead" (larger), "small" (notes, captions)
    bold_prefix: str = ""     # a bold lead-in before the text, e.g. "Deltagare: "


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()    # relative column widths (same length as headers)
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    name: str = ""                    # what the table is, for tests and alt text
    small: bool = False


@dataclass(frozen=True)
class Image:
    png: bytes
    width_cm: float
    alt: str


@dataclass(frozen=True)
class Row:
    """Blocks side by side (page 1: the facts beside the radar chart)."""

    cells: tuple[Union[Paragraph, Table, Image], ...]
    widths: tuple[float, ...]         # relative widths


Block = Union[Heading, Paragraph, Bullets, Table, Image, Row]


@dataclass
class Section:
    key: str                  # "summary", "areas", "priorities", "plan", "method", "psb"
    title: str
    blocks: list[Block] = field(default_factory=list)
    new_page: bool = True     # starts on a new page (the summary is page 1)
    compact: bool = False     # set in a smaller type, to keep the summary on one page

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self


@dataclass
class Report:
    lang: str
    title: str
    subtitle: str
    footer: str               # "Exempelby kommun · Självskattning 2026-03-01 · Exporterad 2026-03-05"
    page_label: str           # "Sida {page} av {pages}"
    sections: list[Section] = field(default_factory=list)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)
