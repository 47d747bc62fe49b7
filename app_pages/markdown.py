"""Showing user and bank text inside Markdown without it ever being interpreted."""

_SPECIAL = "\\`*_{}[]<>()#+-.!|~$"


def plain(text: str) -> str:
    """Escape every Markdown character so the text is shown exactly as written."""
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)
