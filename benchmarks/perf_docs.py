"""docs/performance.md: each benchmark writes its own ``## …`` section there and leaves the
others as they are."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def write_section(section: str) -> Path:
    """Replace the section whose heading is ``section``'s first line (``## Title``), up to the
    next ``## `` heading, or append it when the file has none yet; the file's path."""
    section = section.strip("\n") + "\n"
    heading = section.split("\n", 1)[0]
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Performance\n"
    start = text.find(f"\n{heading}\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        start += 1
        end = text.find("\n## ", start + len(heading))
        rest = text[end + 1:] if end != -1 else ""
        text = text[:start] + section + ("\n" + rest if rest else "")
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")
    return DOCS
