"""The report as a PDF for print (ReportLab, pure Python: no LibreOffice, no system
programs). A4; the summary on page 1; a footer with the export date and "Sida X av Y".

The font is DejaVu Sans where the system has it (most Linux installations), else Bitstream
Vera, which ReportLab ships – so Swedish text always prints, on any machine. Characters
neither font has are replaced by a near equivalent (→ by ->) or "?", never dropped silently.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (Image as RLImage, KeepInFrame, ListFlowable, ListItem, PageBreak,
                                Paragraph as RLParagraph, SimpleDocTemplate, Spacer, Table as RLTable,
                                TableStyle)

from assessment.report.model import Bullets, Heading, Image, Paragraph, Report, Row, Section, Table

MARGIN = 2 * cm
TEXT_WIDTH = A4[0] - 2 * MARGIN
ACCENT = colors.HexColor("#1F3A5F")
HEADER_FILL = colors.HexColor("#DCE6F0")

_SYSTEM_FONTS = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/local/share/fonts/DejaVuSans.ttf", "/usr/local/share/fonts/DejaVuSans-Bold.ttf"),
]
_REPLACEMENTS = {"→": "->", "←": "<-", "≥": ">=", "≤": "<=", "−": "-", "–": "-", "—": "-",
                 "…": "...", "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "•": "·",
                 "\u00a0": " ", "\u202f": " "}


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str, frozenset[int]]:
    """(regular, bold) font names registered with ReportLab, and the characters they have.

    Once per process: ReportLab's font registry is global, so the fonts are registered
    once; without that, every text ``fit`` checks would read the TrueType files again
    (20–50 ms each, seconds for a report)."""
    vera = Path(reportlab.__file__).parent / "fonts"
    candidates = [*_SYSTEM_FONTS, (str(vera / "Vera.ttf"), str(vera / "VeraBd.ttf"))]
    for regular, bold in candidates:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont("ReportSans", regular))
            pdfmetrics.registerFont(TTFont("ReportSans-Bold", bold))
            pdfmetrics.registerFontFamily("ReportSans", normal="ReportSans", bold="ReportSans-Bold")
            charmap = pdfmetrics.getFont("ReportSans").face.charToGlyph
            return "ReportSans", "ReportSans-Bold", frozenset(charmap)
    raise RuntimeError("no TrueType font found for the PDF report")  # ReportLab ships Vera


def printable(text: str) -> str:
    """``text`` as escaped Paragraph text: user text is never read as markup, and a
    character the font lacks becomes a near equivalent."""
    return escape(fit(text)).replace("\n", "<br/>")


def fit(text: str) -> str:
    """``text`` with each character the font lacks replaced by a near equivalent or "?"."""
    have = fonts()[2]
    out = []
    for ch in text:
        if ord(ch) in have or ch in "\n\t":
            out.append(ch)
        else:
            out.append("".join(c if ord(c) in have else "?" for c in _REPLACEMENTS.get(ch, "?")))
    return "".join(out)


def _styles(compact: bool = False) -> dict[str, ParagraphStyle]:
    regular, bold, _ = fonts()
    body = 8.8 if compact else 10
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, textColor=ACCENT,
                                spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=10.5, leading=13,
                                   textColor=colors.HexColor("#444444"), spaceAfter=6),
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=13 if compact else 14, leading=17,
                             textColor=ACCENT, spaceBefore=2, spaceAfter=4),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=10.5, leading=13, textColor=ACCENT,
                             spaceBefore=5 if compact else 8, spaceAfter=2),
        "h3": ParagraphStyle("h3", fontName=bold, fontSize=9.5, leading=12, textColor=ACCENT,
                             spaceBefore=4, spaceAfter=2),
        "normal": ParagraphStyle("normal", fontName=regular, fontSize=body, leading=body * 1.25,
                                 spaceAfter=3),
        "lead": ParagraphStyle("lead", fontName=regular, fontSize=body + 1, leading=(body + 1) * 1.25,
                               spaceAfter=3),
        "small": ParagraphStyle("small", fontName=regular, fontSize=7.5, leading=9.3, spaceAfter=3,
                                textColor=colors.HexColor("#333333")),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=7.5, leading=9.2),
        "cell_bold": ParagraphStyle("cell_bold", fontName=bold, fontSize=7.5, leading=9.2),
        "cell_right": ParagraphStyle("cell_right", fontName=regular, fontSize=7.5, leading=9.2,
                                     alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", fontName=bold, fontSize=7.5, leading=9.2),
        "cell_head_right": ParagraphStyle("cell_head_right", fontName=bold, fontSize=7.5,
                                          leading=9.2, alignment=TA_RIGHT),
        "list": ParagraphStyle("list", fontName=regular, fontSize=body - 0.5,
                               leading=(body - 0.5) * 1.22, spaceAfter=1.5),
    }


def render_pdf(report: Report) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=1.5 * cm, bottomMargin=1.6 * cm, title=report.title,
                            author=report.footer.split(" · ")[0], lang=report.lang)
    base = _styles()
    story: list = [RLParagraph(printable(report.title), base["title"]),
                   RLParagraph(printable(report.subtitle), base["subtitle"])]
    for i, section in enumerate(report.sections):
        if section.new_page and i:
            story.append(PageBreak())
        if section.compact and i == 0:
            # Page 1 is one page whatever the names and texts: shrunk to fit if need be.
            story = [KeepInFrame(doc.width, doc.height - 14, story + _section(section),
                                 mode="shrink")]
        else:
            story += _section(section)
    footer, label = report.footer, report.page_label
    doc.build(story, canvasmaker=lambda *a, **k: _NumberedCanvas(footer, label, *a, **k))
    return buffer.getvalue()


def _section(section: Section) -> list:
    st = _styles(section.compact)
    flow: list = [RLParagraph(printable(section.title), st["h1"])]
    for block in section.blocks:
        if isinstance(block, Heading):
            flow.append(RLParagraph(printable(block.text), st["h2" if block.level <= 2 else "h3"]))
        elif isinstance(block, Paragraph):
            text = printable(block.text)
            if block.bold_prefix:
                text = f"<b>{printable(block.bold_prefix)}</b>{text}"
            flow.append(RLParagraph(text, st.get(block.style, st["normal"])))
        elif isinstance(block, Bullets):
            items = [ListItem(RLParagraph(printable(item), st["list"]), leftIndent=14)
                     for item in block.items]
            kind = dict(bulletType="1", bulletFormat="%s.") if block.numbered else dict(
                bulletType="bullet", start="•" if ord("•") in fonts()[2] else "-")
            flow.append(ListFlowable(items, leftIndent=14, bulletFontName=fonts()[0],
                                     bulletFontSize=st["list"].fontSize, **kind))
            flow.append(Spacer(1, 2))
        elif isinstance(block, Table):
            flow.append(_table(block, st))
            flow.append(Spacer(1, 4))
        elif isinstance(block, Image):
            flow.append(_image(block))
        elif isinstance(block, Row):
            widths = [TEXT_WIDTH * w / sum(block.widths) for w in block.widths]
            cells = []
            for content, width in zip(block.cells, widths):
                if isinstance(content, Image):
                    cells.append(_image(content))
                elif isinstance(content, Table):
                    cells.append(_table(content, st, width - 8))
                else:
                    cells.append(RLParagraph(printable(content.text), st["normal"]))
            row = RLTable([cells], colWidths=widths, hAlign="LEFT")
            row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
            flow.append(row)
    return flow


def _image(block: Image) -> RLImage:
    with PILImage.open(io.BytesIO(block.png)) as img:
        w, h = img.size
    width = block.width_cm * cm
    image = RLImage(io.BytesIO(block.png), width=width, height=width * h / w)
    image.hAlign = "CENTER"
    return image


def _table(block: Table, st: dict[str, ParagraphStyle], width: float = TEXT_WIDTH) -> RLTable:
    columns = len(block.headers) or len(block.rows[0])
    weights = block.widths or (1,) * columns
    widths = [width * w / sum(weights) for w in weights]
    data = []
    if block.headers:
        data.append([RLParagraph(printable(h), st["cell_head_right" if i in block.numeric else
                                                  "cell_head"]) for i, h in enumerate(block.headers)])
    for row in block.rows:
        data.append([RLParagraph(printable(text), st[
            "cell_right" if i in block.numeric else
            ("cell_bold" if not block.headers and i == 0 else "cell")]) for i, text in enumerate(row)])
    table = RLTable(data, colWidths=widths, repeatRows=1 if block.headers else 0, hAlign="LEFT")
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    if block.headers:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    table.setStyle(TableStyle(style))
    return table


class _NumberedCanvas(rl_canvas.Canvas):
    """Draws the footer on every page once the number of pages is known: "Sida 2 av 7"."""

    def __init__(self, footer: str, label: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._label = label
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        regular = fonts()[0]
        self.setFont(regular, 7.5)
        self.setFillColor(colors.HexColor("#444444"))
        y = 0.9 * cm
        self.drawString(MARGIN, y, fit(self._footer))
        page = self._label.format(page=self._pageNumber, pages=total)
        self.drawRightString(A4[0] - MARGIN, y, page)
