"""User-facing texts in Swedish and English, read from one YAML file per language.

The files live in ``locales/`` (``sv.yaml`` and ``en.yaml``), package data of the
``locales`` package, read with ``importlib.resources`` (so they are found in an installed
wheel as in the repository); keys are dotted paths
(``start.title``). Swedish is the default; a key missing in English falls back to Swedish
so a half-translated string never hides the interface.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

LOCALE_PACKAGE = "locales"
LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where installed


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """The texts of ``lang`` by dotted key, read once per process: every text a page, the
    command line, a workbook or an explanation shows is looked up here (reading and parsing
    a file takes about 5 ms with libyaml, 50 ms without)."""
    text = resources.files(LOCALE_PACKAGE).joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_Loader) or {}
    flat: dict[str, str] = {}

    def walk(prefix: str, node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = str(node)

    walk("", data)
    return flat


def translate(lang: str, key: str, **values) -> str:
    """The text for ``key`` in ``lang`` with ``{name}`` placeholders filled in."""
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text


def format_decimal(value: float | None, lang: str = "sv", digits: int = 1, *, trim: bool = False,
                   sign: bool = False) -> str:
    """The one way a number becomes text: ``digits`` decimals (``trim``: without trailing
    zeros), the Swedish decimal comma, a real minus sign (U+2212), "+" before a positive number
    with ``sign``; what rounds to zero is "0" (never "-0"); None → "–".

    >>> format_decimal(-1.25, "sv", 2), format_decimal(2.5, "en", 2, trim=True, sign=True)
    ('−1,25', '+2.5')
    """
    if value is None:
        return "–"
    text = f"{abs(value):.{digits}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    zero = float(text) == 0
    if lang == "sv":
        text = text.replace(".", ",")
    if zero:
        return text
    return ("−" if value < 0 else "+" if sign else "") + text


def format_percent(value: float | None, lang: str = "sv", digits: int = 0) -> str:
    """0.625 → "63 %" (Swedish, with a space) or "63%" (English); None → "–"."""
    if value is None:
        return "–"
    number = format_decimal(100 * value, lang, digits)
    return f"{number} %" if lang == "sv" else f"{number}%"


def format_score(value: float | None, lang: str = "sv") -> str:
    """A 0–100 score with no decimals; None → "–"."""
    return format_decimal(value, lang, 0)


def format_number(value: float, lang: str = "sv") -> str:
    """1 → "1", 1.5 → "1,5" in Swedish (decimal comma), "1.5" in English; one decimal at most."""
    return format_decimal(value, lang, 1, trim=True)


def format_level(value: float | None, lang: str = "sv") -> str:
    """A level (or gap) for display; None → "–"."""
    return "–" if value is None else format_number(value, lang)
