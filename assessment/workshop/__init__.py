"""Live workshops: join codes, secrets and tokens, rate limiting of wrong codes, progress.

No Streamlit here; the pages (``app_pages/join.py``, ``app_pages/workshop.py``) and the
store (``assessment.storage.Store``) use it. See docs/workshop.md.
"""

from assessment.workshop.codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    code_from_secret,
    digest,
    display_code,
    link_from_secret,
    lookup_prefix,
    matches,
    new_secret,
    normalise_code,
    split_token,
)
from assessment.workshop.ratelimit import JoinLimits

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "JoinLimits",
    "code_from_secret",
    "digest",
    "display_code",
    "link_from_secret",
    "lookup_prefix",
    "matches",
    "new_secret",
    "normalise_code",
    "split_token",
]
