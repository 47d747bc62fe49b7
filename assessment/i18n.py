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


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    text = resources.files(LOCALE_PACKAGE).joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
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


def format_percent(value: float | None, lang: str = "sv", digits: int = 0) -> str:
    """0.625 → "63 %" (Swedish, with a space) or "63%" (English); None → "–"."""
    if value is None:
        return "–"
    number = f"{100 * value:.{digits}f}"
    return f"{number.replace('.', ',')} %" if lang == "sv" else f"{number}%"


def format_score(value: float | None, lang: str = "sv") -> str:
    """A 0–100 score with no decimals; None → "–"."""
    return "–" if value is None else f"{value:.0f}"


def format_number(value: float, lang: str = "sv") -> str:
    """1 → "1", 1.5 → "1,5" in Swedish (decimal comma), "1.5" in English; one decimal at most."""
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return text.replace(".", ",") if lang == "sv" else text


def format_level(value: float | None, lang: str = "sv") -> str:
    """A level (or gap) for display; None → "–"."""
    return "–" if value is None else format_number(value, lang)
