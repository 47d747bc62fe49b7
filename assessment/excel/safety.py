"""Checks an uploaded workbook's bytes before openpyxl parses any of it.

An ``.xlsx`` file is a zip archive of XML parts. ``check_package`` looks at the archive
with ``zipfile`` only and returns every problem, naming the file:

- size: more than ``MAX_FILE_BYTES`` on disk is refused without being opened;
- not a workbook: an empty file, or one that does not start with a zip signature (a CSV,
  a PDF …); a damaged zip (bad central directory, a part whose CRC does not match);
- password-protected: Excel stores an encrypted workbook as an OLE compound file
  (signature ``D0 CF 11 E0 A1 B1 1A E1``, which an old ``.xls`` also has); a zip whose
  entries carry the encryption flag;
- macros: a ``vbaProject.bin`` anywhere, Excel 4 macro sheets or dialog sheets, or a
  macro-enabled content type (``.xlsm``, ``.xltm``);
- zip bomb: more than ``MAX_PARTS`` parts, a declared uncompressed total over
  ``MAX_UNCOMPRESSED_BYTES``, or a large part that is compressed more than
  ``MAX_RATIO`` times. ``zipfile`` never inflates a part past its declared size (it
  stops there and the CRC check fails), so the declared sizes bound the work;
- XML entity attacks: any XML part with a DTD (``<!DOCTYPE``) or an entity declaration
  is refused, and so is XML that is not UTF-8 (a UTF-16 part could hide a DTD from the
  byte search). Excel and LibreOffice never write a DTD into a workbook.

XML parsing itself is protected twice. openpyxl uses ``defusedxml`` for every XML part
it reads (``fromstring`` and the worksheet ``iterparse``) when ``defusedxml`` is
installed — it decides once, when ``openpyxl`` is imported (``openpyxl.DEFUSEDXML``) —
and defusedxml refuses entity declarations and external references. With lxml
installed, openpyxl parses the workbook parts with lxml and ``resolve_entities=False``
but still reads worksheets with (defused) ``iterparse``. ``defusedxml.defuse_stdlib()``
is not used: it patches the standard library for the whole process (the app, other
libraries), and openpyxl's own switch already covers what it parses. The DTD check
above does not depend on either, so a workbook is safe to read even if the flag is off
(``OPENPYXL_DEFUSEDXML=False``) — ``xml_parsing_protected`` reports the flag.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from assessment.problems import Problem

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 500
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024  # small parts may compress well (repeated XML)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04",)
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject")
XML_SUFFIXES = (".xml", ".rels", ".vml")
_CHUNK = 64 * 1024
_DTD_MARKERS = (b"<!doctype", b"<!entity")


def xml_parsing_protected() -> bool:
    """Whether openpyxl parses XML through defusedxml in this process."""
    import openpyxl
    from openpyxl.xml import functions

    return bool(openpyxl.DEFUSEDXML) and functions.iterparse.__module__.startswith("defusedxml")


def check_package(name: str, data: bytes) -> list[Problem]:
    """Every reason not to give these bytes to openpyxl (none when it is safe to try)."""

    def problem(message: str) -> list[Problem]:
        return [Problem(name, "", message)]

    size = len(data)
    if size > MAX_FILE_BYTES:
        return problem(f"is {_mb(size)}, more than the limit of {_mb(MAX_FILE_BYTES)} for a "
                       "form; an answer form is normally well under 1 MB")
    if not data.strip():
        return problem("is empty")
    if data.startswith(OLE_SIGNATURE):
        return problem("is password-protected (encrypted) or an old .xls workbook; open it in "
                       "Excel, remove the password (File > Info > Protect Workbook) and save it "
                       "as .xlsx")
    if not data.startswith(ZIP_SIGNATURES):
        return problem(f"is not an .xlsx workbook (it starts with {_head(data)}, but an .xlsx "
                       "file is a zip archive); save it from Excel or LibreOffice as .xlsx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        return problem(f"is damaged: not a readable zip archive ({_one_line(exc)}); "
                       "save it again as .xlsx")
    with archive:
        return _check_archive(name, archive, size)


def _check_archive(name: str, archive: zipfile.ZipFile, size: int) -> list[Problem]:
    problems: list[Problem] = []
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        return [Problem(name, "", f"has {len(infos)} parts, more than the {MAX_PARTS} a "
                        "workbook may have; this looks like a zip bomb and is not opened")]
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        return [Problem(name, "", f"would unpack to {_mb(total)} from {_mb(size)} on disk, more "
                        f"than the limit of {_mb(MAX_UNCOMPRESSED_BYTES)}; this looks like a zip "
                        "bomb and is not opened")]
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            return [Problem(name, info.filename, f"is compressed {ratio:.0f} times (more than "
                            f"{MAX_RATIO}); this looks like a zip bomb and is not opened")]
    names = {info.filename for info in infos}
    if any(info.flag_bits & 0x1 for info in infos):
        return [Problem(name, "", "is encrypted; save it without a password as .xlsx")]
    macro_parts = sorted(n for n in names if _is_macro_part(n))
    if macro_parts:
        return [Problem(name, macro_parts[0], "contains macros (an .xlsm workbook); macros are "
                        "never opened here — save the form as .xlsx (Excel Workbook)")]
    missing = [part for part in REQUIRED_PARTS if part not in names]
    if missing:
        return [Problem(name, "", f"is a zip archive but not an Excel workbook (no {missing[0]}); "
                        "save it from Excel or LibreOffice as .xlsx")]
    for info in infos:
        if not info.filename.lower().endswith(XML_SUFFIXES):
            continue
        try:
            message = _check_xml_part(archive, info)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
                ValueError, NotImplementedError, RuntimeError) as exc:
            message = f"is damaged ({_one_line(exc)}); save the workbook again as .xlsx"
        if message:
            problems.append(Problem(name, info.filename, message))
            break
    return problems


def _is_macro_part(part: str) -> bool:
    lower = part.lower()
    return (lower.endswith("vbaproject.bin") or lower.startswith("xl/macrosheets/")
            or lower.startswith("xl/dialogsheets/") or lower.endswith("vbaprojectsignature.bin"))


def _check_xml_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Read one XML part in chunks (CRC checked at the end) looking for a DTD."""
    tail = b""
    first = True
    content_types = info.filename == "[Content_Types].xml"
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            if first:
                first = False
                if chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in chunk[:64]:
                    return "is not UTF-8 XML, which Excel always writes; the workbook is not opened"
            window = (tail + chunk).lower()
            if content_types and any(marker in window for marker in MACRO_CONTENT_TYPES):
                return ("declares macro-enabled content (an .xlsm workbook); save the form as "
                        ".xlsx (Excel Workbook)")
            if any(marker in window for marker in _DTD_MARKERS):
                return ("declares a DTD or XML entities, which a workbook never needs (an XML "
                        "entity attack?); the workbook is not opened")
            tail = window[-16:]
    return None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _head(data: bytes) -> str:
    head = data[:64]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and all(c.isprintable() or c.isspace() for c in text):
        shown = " ".join(text.split())[:20]
        return f"the text {shown!r}"
    return " ".join(f"{b:02X}" for b in data[:8])


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
