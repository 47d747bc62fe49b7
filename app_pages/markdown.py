"""Showing user and bank text inside Markdown without it ever being interpreted.

Every text the app did not write itself – names, roles, units, organisations, comments,
notes, action titles, file names, an error's reason (which may quote the address) – goes
through ``plain`` before it meets Markdown: ``st.markdown``, captions, alerts, headings,
``st.table`` cells, help texts. Widgets' values, ``st.text``, ``st.code`` and
``st.dataframe``/``st.data_editor`` cells are shown as written already.
"""

import re

# Every ASCII character Markdown, GitHub's extensions, KaTeX ($) and Streamlit's own
# directives (:red[…], :material/…:, :emoji:) give a meaning to.
_SPECIAL = "\\`*_{}[]<>()#+-.!|~$:/=&@"

# GitHub-flavoured Markdown links bare addresses (www.…, http://…, name@host) after the
# escapes are read, so an escape cannot stop it; an invisible word joiner (U+2060) where one
# would begin does.
_BARE_LINK = re.compile(r"(?=://|@)|(?<=[wW]{3})(?=\.)")
WORD_JOINER = "\u2060"


def plain(text: str) -> str:
    """Escape every Markdown character so the text is shown exactly as written."""
    text = _BARE_LINK.sub(WORD_JOINER, text)
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)
