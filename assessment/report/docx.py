"""The report as a Word document (python-docx): A4, the summary on page 1, every further
section on a new page, a footer with the export date and "Sida X av Y" (Word fields)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from assessment.report.model import Bullets, Heading, Image, Paragraph, Report, Row, Section, Table

FONT = "Arial"          # named, so Word and LibreOffice never fall back to a serif
BODY_PT = 10
COMPACT_PT = 9
SMALL_PT = 8
TEXT_WIDTH_CM = 17.0    # A4 less 2 cm margins


def render_docx(report: Report) -> bytes:
    doc = Document()
    _page_setup(doc, report)
    _styles(doc)
    title = doc.add_paragraph(style="Title")
    title.add_run(report.title)
    sub = doc.add_paragraph(style="Subtitle")
    sub.add_run(report.subtitle)
    for i, section in enumerate(report.sections):
        if section.new_page and i:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _section(doc, section)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page_setup(doc, report: Report) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2)
    sec.top_margin, sec.bottom_margin = Cm(1.6), Cm(1.6)
    sec.footer_distance = Cm(0.8)
    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _run(footer, report.footer + "    ", SMALL_PT)
    label = report.page_label
    before, _, rest = label.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    _run(footer, before, SMALL_PT)
    _field(footer, "PAGE", SMALL_PT)
    _run(footer, middle, SMALL_PT)
    _field(footer, "NUMPAGES", SMALL_PT)
    _run(footer, after, SMALL_PT)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(3)
    for name, size in (("Title", 20), ("Subtitle", 11), ("Heading 1", 15), ("Heading 2", 11.5),
                       ("Heading 3", 10)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        rfonts = style.element.rPr.rFonts if style.element.rPr is not None else None
        if rfonts is not None:
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                rfonts.set(qn(attr), FONT)
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
        style.paragraph_format.space_before = Pt(8 if name.startswith("Heading") else 0)
        style.paragraph_format.space_after = Pt(3)
        style.paragraph_format.keep_with_next = True


def _section(doc, section: Section) -> None:
    size = COMPACT_PT if section.compact else BODY_PT
    doc.add_paragraph(section.title, style="Heading 1")
    for block in section.blocks:
        if isinstance(block, Heading):
            doc.add_paragraph(block.text, style=f"Heading {min(block.level, 3)}")
        elif isinstance(block, Paragraph):
            p = doc.add_paragraph()
            pt = {"small": SMALL_PT, "lead": size + 1}.get(block.style, size)
            if block.bold_prefix:
                _run(p, block.bold_prefix, pt).bold = True
            _run(p, block.text, pt)
        elif isinstance(block, Bullets):
            style = "List Number" if block.numbered else "List Bullet"
            for item in block.items:
                p = doc.add_paragraph(style=style)
                p.paragraph_format.space_after = Pt(1)
                _run(p, item, size)
        elif isinstance(block, Table):
            _table(doc, block, SMALL_PT if block.small or section.compact else size)
        elif isinstance(block, Image):
            _image(doc.add_paragraph(), block)
        elif isinstance(block, Row):
            _row(doc, block, SMALL_PT if section.compact else size)


def _image(p, block: Image) -> None:
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture = p.add_run().add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
    doc_pr = picture._inline.docPr
    doc_pr.set("descr", block.alt)
    doc_pr.set("title", block.alt)


def _row(doc, block: Row, pt: float) -> None:
    """Blocks side by side: a table of one row without borders."""
    table = doc.add_table(rows=1, cols=len(block.cells))
    table.autofit = False
    widths = [TEXT_WIDTH_CM * w / sum(block.widths) for w in block.widths]
    for cell, content, width in zip(table.rows[0].cells, block.cells, widths):
        cell.width = Cm(width)
        if isinstance(content, Image):
            _image(cell.paragraphs[0], content)
        elif isinstance(content, Paragraph):
            _run(cell.paragraphs[0], content.text, pt)
        elif isinstance(content, Table):
            _table(cell, content, pt, width - 0.3)
            first = cell.paragraphs[0]
            first._p.getparent().remove(first._p)  # the empty paragraph a new cell has


def _table(doc, block: Table, pt: float, width_cm: float = TEXT_WIDTH_CM) -> None:
    """``doc``: the document, or a table cell (a table beside an image)."""
    columns = len(block.headers) or len(block.rows[0])
    table = doc.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    weights = block.widths or (1,) * columns
    widths = [Cm(width_cm * w / sum(weights)) for w in weights]
    if block.headers:
        cells = table.add_row().cells
        for i, text in enumerate(block.headers):
            _cell(cells[i], text, pt, bold=True, right=i in block.numeric)
            _shade(cells[i], "DCE6F0")
        _repeat_header(table.rows[0])
    for row in block.rows:
        cells = table.add_row().cells
        for i, text in enumerate(row):
            _cell(cells[i], text, pt, bold=not block.headers and i == 0, right=i in block.numeric)
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = widths[i]
    if width_cm == TEXT_WIDTH_CM:
        doc.add_paragraph().paragraph_format.space_after = Pt(2)


def _cell(cell, text: str, pt: float, *, bold: bool = False, right: bool = False) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(p, text, pt).bold = bold


def _run(paragraph, text: str, pt: float):
    run = paragraph.add_run(text)  # plain text: never read as markup
    run.font.size = Pt(pt)
    run.font.name = FONT
    return run


def _field(paragraph, code: str, pt: float) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out."""
    run = _run(paragraph, "", pt)
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == code:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)
