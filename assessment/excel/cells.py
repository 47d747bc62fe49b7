"""Writing cells safely and laying out tables: the building blocks of every sheet.

Every string this package writes goes through ``put_text``, so user text can never become
a formula, an error value or a number:

- the cell is stored as a string cell (``data_type = "s"``, an inline string in the
  file), whatever the text starts with. openpyxl would otherwise store ``"=…"`` as a
  formula and ``"#N/A"`` as an error value; Excel and LibreOffice never evaluate a
  string cell;
- a text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a line break also gets
  the cell style's *quote prefix* (what Excel shows as a leading apostrophe), so that
  editing the cell in Excel and pressing Enter keeps it text. The apostrophe is not
  part of the value: openpyxl, pandas and a CSV export read the literal text;
- line breaks are written as ``\\n`` (Excel's line break in a cell; XML would turn a
  bare carriage return into ``\\n`` anyway), characters XML cannot hold (control
  characters other than tab and line feed) are left out, and a literal ``_xHHHH_`` is
  escaped as Excel does (``_x005F_xHHHH_``) so that Excel does not decode it.

``text_from_cell`` is the reverse, for text read from a filled-in form.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

MAX_CELL_TEXT = 32767
FORMULA_LIKE_START = ("=", "+", "-", "@", "\t", "\r", "\n")

_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_EXCEL_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")

# --- styles (created once; openpyxl shares equal styles between cells) ------------------

# One font everywhere, named: a font without a name is drawn by LibreOffice in its default
# (serif) face, wider than the widths below allow for. Arial is on every Windows and Mac;
# LibreOffice on Linux draws it as Liberation Sans or DejaVu Sans. The widths and heights
# below are measured for DejaVu Sans, the widest of them (tests/test_excel_print.py).
FONT_NAME = "Arial"
FONT_SIZE = 10
BODY = Font(name=FONT_NAME, size=FONT_SIZE)
BOLD = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
TITLE = Font(name=FONT_NAME, bold=True, size=14)
SUBTITLE = Font(name=FONT_NAME, bold=True, size=12)
ITALIC = Font(name=FONT_NAME, size=FONT_SIZE, italic=True, color="555555")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
BAND_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
THIN = Side(style="thin", color="999999")
HEADER_BORDER = Border(bottom=THIN)
INPUT_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
# Numbers centred: a right-aligned number runs into the left-aligned text beside it.
NUMBER = Alignment(vertical="top", horizontal="center")
LEFT_WRAP = Alignment(wrap_text=True, vertical="top", horizontal="left")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="bottom")

NUMBER_FORMATS = {
    "int": "0",
    "level": "0.0",
    "score": "0",
    "decimal": "0.00",
    "percent": "0%",
    "signed": "+0;-0;0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}

# Characters per unit of column width (a unit is the width of "0" in the 10 pt font):
# running text is a little narrower than "0" on average, bold headers a little wider.
# Measured in LibreOffice with DejaVu Sans (tests/test_excel_print.py).
CHARS_PER_WIDTH = 1.15
HEADER_CHARS_PER_WIDTH = 1.0
LINE_HEIGHT = 13.0
DEFAULT_WIDTH = 8.43


def new_workbook(names: Sequence[str]) -> tuple[Workbook, list[Worksheet]]:
    """A workbook whose sheets are named ``names``, in that order, and those sheets; its
    default font (every cell without a font of its own, and the column-width unit) is
    ``BODY``."""
    wb = Workbook()
    use_body_font(wb)
    sheets = [wb.active] + [wb.create_sheet() for _ in names[1:]]
    for ws, name in zip(sheets, names):
        ws.title = name
    return wb, sheets


def use_body_font(wb: Workbook) -> None:
    """Make ``BODY`` the workbook's default font (before any cell has a style of its own).

    openpyxl has no public way to do this; the workbook's font list and its Normal style are
    set directly. It is not for speed: LibreOffice measures column widths in the default
    font, and draws cells without a font of their own in it."""
    wb._fonts = IndexedList([BODY])
    wb._named_styles["Normal"].font = BODY


def clean_text(text: str) -> str:
    """The text as it is stored in a cell (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F_\1", text)
    return text[:MAX_CELL_TEXT]


def put_text(cell, text: str) -> None:
    """Write ``text`` into ``cell`` as literal text, never as a formula.

    ``cell.value = …`` guesses a formula from a leading ``=`` and an error value from
    ``#N/A``; setting ``data_type`` after it makes the cell a string cell again.
    """
    value = clean_text(text)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_LIKE_START):
        cell.quotePrefix = True


def put(cell, value, number_format: str | None = None) -> None:
    """Write any value: text through ``put_text``, numbers and dates as they are."""
    if value is None:
        return
    if isinstance(value, str):
        put_text(cell, value)
        return
    if isinstance(value, bool):
        raise TypeError("write booleans as words (excel.yes / excel.no), not as TRUE/FALSE")
    cell.value = value
    if number_format:
        cell.number_format = number_format


def text_from_cell(value) -> str:
    """Text read from a form cell: Excel's ``_xHHHH_`` escapes decoded, line breaks as ``\\n``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        text = value.isoformat()
    else:
        text = str(value)
    if "_x" in text:
        text = _EXCEL_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """One column of a table: its header, the kind of value, (for long text) its width and
    the key code finds it by (``TableRange.column_of``; the header is translated text).

    kind: ``text`` (sized to its content), ``wrap`` (long text, fixed width, wrapped),
    or a number kind from ``NUMBER_FORMATS``.
    """

    header: str
    kind: str = "text"
    width: float | None = None
    key: str | None = None


@dataclass(frozen=True)
class TableRange:
    """Where ``write_table`` wrote a table, and its columns' keys in order."""

    header_row: int
    first_row: int
    last_row: int  # == header_row when there are no rows
    keys: tuple[str | None, ...]

    @property
    def columns(self) -> int:
        return len(self.keys)

    @property
    def ref(self) -> str:
        return f"A{self.header_row}:{get_column_letter(self.columns)}{max(self.last_row, self.header_row)}"

    def column_of(self, key: str) -> int:
        """The number (1 for A) of the column whose ``Col.key`` is ``key``."""
        if key not in self.keys:
            raise KeyError(f"no column {key!r} in the table at row {self.header_row} "
                           f"(its keys: {', '.join(str(k) for k in self.keys)})")
        return self.keys.index(key) + 1


def write_header(ws: Worksheet, row: int, headers: Sequence[str], column: int = 1) -> None:
    for offset, header in enumerate(headers):
        cell = ws.cell(row=row, column=column + offset)
        put_text(cell, header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = HEADER_ALIGN


def write_table(ws: Worksheet, columns: Sequence[Col], rows: Iterable[Sequence], *,
                top: int = 1, freeze: bool = True, autofilter: bool = True,
                size_columns: bool | str = True) -> TableRange:
    """Write a header row at ``top`` and the rows below it, with number formats, wrapped
    text, column widths and row heights that fit the text; optionally freeze the header and
    add an autofilter.

    ``size_columns``: ``True`` sizes each column to its content (long text at its ``Col``
    width); ``"grow"`` does the same but never narrows a column (a table below another on
    the same sheet); ``False`` keeps the widths. Either way text wraps in the column's
    final width, each row is as high as its tallest cell and no header word is broken."""
    keys = tuple(c.key for c in columns)
    named = [key for key in keys if key is not None]
    if len(set(named)) < len(named):
        raise ValueError(f"two columns of one table have the same key: {named}")
    write_header(ws, top, [c.header for c in columns])
    alignments = [NUMBER if c.kind in NUMBER_FORMATS else WRAP for c in columns]
    formats = [NUMBER_FORMATS.get(c.kind) for c in columns]
    wrap = [c.kind == "wrap" for c in columns]
    button = 2 if autofilter else 0
    # A header wraps onto two or three lines rather than widening a column of numbers, but
    # never inside a word.
    widths = [max(min(_text_width(c.header, header=True), 12 if c.kind in NUMBER_FORMATS else 20),
                  _word_width(c.header) + button)
              for c in columns]
    row_number = top
    texts: list[tuple[int, int, str]] = []
    for values in rows:
        row_number += 1
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            target = ws.cell(row=row_number, column=index + 1)
            target.alignment = alignments[index]
            if formats[index]:
                target.number_format = formats[index]
            if isinstance(value, str):
                put_text(target, value)
                if len(value) > 4:
                    texts.append((row_number, index, value))
                if not wrap[index]:
                    widths[index] = max(widths[index], _text_width(value))
            elif isinstance(value, bool):
                raise TypeError("write booleans as words (excel.yes / excel.no)")
            else:
                target.value = value
                widths[index] = max(widths[index], _number_width(value, columns[index].kind))
    final_widths = []
    for index, column in enumerate(columns):
        dimension = ws.column_dimensions[get_column_letter(index + 1)]
        wanted = max(column.width or min(max(widths[index], 6), 45), _word_width(column.header))
        if size_columns == "grow":
            dimension.width = max(wanted, dimension.width or 0)
        elif size_columns:
            dimension.width = wanted
        else:
            dimension.width = max(dimension.width or DEFAULT_WIDTH, _word_width(column.header))
        final_widths.append(dimension.width or DEFAULT_WIDTH)
    lines: dict[int, int] = {}
    for number, index, text in texts:
        count = _lines(text, final_widths[index] - 1)
        if count > lines.get(number, 1):
            lines[number] = count
    row_dimensions = ws.row_dimensions
    for number, count in lines.items():
        row_dimensions[number].height = line_height(count)
    height = estimated_height(((c.header, max(w - button, 1)) for c, w in zip(columns, final_widths)),
                              header=True)
    if height:
        row_dimensions[top].height = height
    result = TableRange(top, top + 1, row_number, keys)
    if freeze:
        ws.freeze_panes = ws.cell(row=top + 1, column=1)
    if autofilter:
        ws.auto_filter.ref = result.ref
    return result


def wrapped_note(ws: Worksheet, row: int, text: str, columns: int) -> int:
    """An italic note in ``row`` across the first ``columns`` columns (merged), wrapped in
    their width together and its row as high as the text needs; returns ``row``."""
    cell = ws.cell(row=row, column=1)
    put_text(cell, text)
    cell.font = ITALIC
    cell.alignment = WRAP
    columns = max(columns, 1)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    width = sum(ws.column_dimensions[get_column_letter(n)].width or DEFAULT_WIDTH
                for n in range(1, columns + 1))
    ws.row_dimensions[row].height = estimated_height([(text, width)]) or line_height(1)
    return row


@dataclass(frozen=True)
class PageFrame:
    """What every printed page of a workbook says around the sheet: ``title`` (top right;
    the sheet's name top left) and ``page``, the page number in words with ``{page}`` and
    ``{pages}`` ("Sida {page} av {pages}", bottom centre)."""

    title: str
    page: str


def page_setup(ws: Worksheet, frame: PageFrame, *, landscape: bool = True,
               title_rows: str | None = None, one_page: bool = False) -> None:
    """A4, fitted to the page width (as many pages down as needed, or one page with
    ``one_page``), with the header rows repeated on every page, the sheet's name and the
    frame's title at the top and the page number at the bottom of every page. The pages are
    numbered through the workbook ("Sida 3 av 34"), as Excel and LibreOffice number a whole
    workbook printed (LibreOffice counts ``&N`` over all sheets even where a sheet starts
    again at 1)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if one_page:
        ws.page_setup.fitToHeight = 1
    if title_rows:
        ws.print_title_rows = title_rows
    font = f"{FONT_NAME},Regular"
    parts = ((ws.oddHeader.left, "&A"), (ws.oddHeader.right, _header_text(frame.title)),
             (ws.oddFooter.center, _header_text(frame.page).replace("{page}", "&P")
              .replace("{pages}", "&N")))
    for part, text in parts:
        part.text, part.font, part.size = text, font, 8


def _header_text(text: str) -> str:
    """Text for a page header or footer: ``&`` starts a code there, so it is doubled."""
    return clean_text(text).replace("\n", " ").replace("&", "&&")


def estimated_height(texts: Iterable[tuple[str, float]], header: bool = False) -> float | None:
    """A row height (points) that shows every (text, column width) pair wrapped; ``None``
    when one line is enough. ``header``: bold header text."""
    rate = HEADER_CHARS_PER_WIDTH if header else CHARS_PER_WIDTH
    lines = max((_lines(text, width - 1, rate) for text, width in texts), default=1)
    return line_height(lines) if lines > 1 else None


def line_height(lines: int) -> float:
    """The height (points) of a row of ``lines`` lines of the body font, with a little room."""
    return LINE_HEIGHT * lines + 2


def _lines(text: str, width: float, rate: float = CHARS_PER_WIDTH) -> int:
    """How many lines ``text`` takes, wrapped at spaces in a column ``width`` wide (a word
    longer than a line is broken, as Excel does)."""
    per_line = max(int(width * rate), 1)
    if len(text) <= per_line and "\n" not in text:
        return 1
    lines = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0
        if len(paragraph) > per_line:
            for word in paragraph.split(" "):
                size = len(word)
                need = size if used == 0 else used + 1 + size
                if need <= per_line:
                    used = need
                    continue
                if used:
                    count += 1
                full, rest = divmod(size, per_line)
                if rest == 0:
                    full, rest = full - 1, per_line
                count += full
                used = rest
        lines += count
    return lines


def _text_width(text: str, header: bool = False) -> float:
    longest = max((len(part) for part in text.split("\n")), default=0)
    # Headers wrap, so a long header needs only about half its length.
    return min(longest, 18) / HEADER_CHARS_PER_WIDTH + 2 if header else longest / CHARS_PER_WIDTH + 2


def _word_width(header: str) -> float:
    """The width the longest word of a (bold) header needs on one line."""
    longest = max((len(word) for word in header.split()), default=0)
    return longest / HEADER_CHARS_PER_WIDTH + 2


def _number_width(value, kind: str) -> float:
    if kind in ("date",):
        return 12
    if kind == "datetime":
        return 17
    return 8
