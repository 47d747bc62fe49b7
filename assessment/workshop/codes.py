"""Join codes, facilitator secrets and participant tokens.

* A **join code** is 6 characters from an alphabet without the look-alikes 0/O, 1/l/I
  (``ABCDEFGHJKMNPQRSTUVWXYZ23456789``: 31 characters, about 887 million codes), easy to
  read aloud from a projector.
* A **facilitator secret** is ``<workshop id>.<random part>``; the random part is 32 bytes
  from ``secrets``. The join code is derived from the random part (HMAC-SHA-256), so the
  facilitator's page, holding the secret in its address, can show the code again after a
  reload although the database keeps only hashes.
* A **join link** carries ``<workshop id>.<random part>``, the random part derived from the
  facilitator secret with HMAC-SHA-256 too (``link_from_secret``): it cannot be guessed, so
  joins by it are not counted as typed codes.
* A **participant token** is ``<lookup id>.<random part>`` in the same way.

The database stores SHA-256 digests only (``digest``); comparisons use
``hmac.compare_digest`` (``matches``). Nothing here logs anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_SEPARATOR = "."
_ID_BYTES = 8       # the public lookup part: 16 hex characters
_SECRET_BYTES = 32  # the random part


def new_secret(lookup: str | None = None) -> tuple[str, str]:
    """A new ``(lookup id, token)`` pair; the token is ``lookup id + "." + random part`` (a new
    lookup id unless one is given: a workshop's new facilitator key keeps its id)."""
    lookup = lookup or secrets.token_hex(_ID_BYTES)
    return lookup, f"{lookup}{_SEPARATOR}{secrets.token_urlsafe(_SECRET_BYTES)}"


def split_token(token: str) -> tuple[str, str] | None:
    """``(lookup id, token)`` for a well-formed token, ``None`` otherwise."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    lookup, sep, rest = token.partition(_SEPARATOR)
    if not sep or len(lookup) != 2 * _ID_BYTES or not rest:
        return None
    if any(c not in "0123456789abcdef" for c in lookup):
        return None
    return lookup, token


def code_from_secret(secret: str) -> str:
    """The join code that belongs to a facilitator secret (uniform over the alphabet)."""
    mac = hmac.new(secret.encode(), b"psa-join-code", hashlib.sha256).digest()
    number = int.from_bytes(mac, "big")  # 256 bits: the bias of the modulo is negligible
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


def link_from_secret(secret: str) -> str:
    """The join link's secret that belongs to a facilitator secret: ``<workshop id>.<random
    part>``, the random part HMAC-SHA-256 of the facilitator secret (32 bytes, URL-safe), so it
    cannot be guessed, does not reveal the facilitator secret, and the facilitator's page can
    show it again after a reload."""
    mac = hmac.new(secret.encode(), b"psa-join-link", hashlib.sha256).digest()
    return f"{secret.partition(_SEPARATOR)[0]}{_SEPARATOR}" \
        f"{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def normalise_code(text: str) -> str | None:
    """A typed code in canonical form (upper case, without spaces or dashes), or ``None`` if it
    cannot be a code. Lower-case letters are accepted; ``0``/``O``/``1``/``I``/``L`` are not in
    the alphabet, so a code containing them is simply wrong."""
    if not isinstance(text, str) or len(text) > 32:
        return None
    code = "".join(c for c in text.upper() if c not in " -\t")
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def display_code(code: str) -> str:
    """``ABCDEF`` → ``ABC DEF``, for reading aloud."""
    return f"{code[:3]} {code[3:]}"


def digest(value: str) -> str:
    """The SHA-256 digest (hex) that the database stores instead of a code, secret or token."""
    return hashlib.sha256(value.encode()).hexdigest()


def matches(value: str, stored_digest: str) -> bool:
    """Whether ``value`` hashes to ``stored_digest``, compared in constant time."""
    return hmac.compare_digest(digest(value), stored_digest)


def lookup_prefix(code: str) -> str:
    """The first 8 hex characters of a code's digest: narrows the candidates in the database;
    the full digests are then compared in constant time."""
    return digest(code)[:8]
