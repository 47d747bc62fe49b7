"""Join codes and secrets (assessment/workshop, no database). The wrong-code limiter is in
the database: tests/test_workshop_limits.py."""

from __future__ import annotations

from collections import Counter

import pytest

from assessment.workshop import (
    CODE_ALPHABET,
    code_from_secret,
    digest,
    display_code,
    matches,
    new_secret,
    normalise_code,
    split_token,
)


def test_alphabet__no_look_alikes():
    assert len(CODE_ALPHABET) == 31 and not set("0O1lLIi") & set(CODE_ALPHABET)


def test_code_from_secret__six_characters_spread_over_the_whole_alphabet():
    codes = [code_from_secret(new_secret()[1]) for _ in range(2000)]

    assert all(len(c) == 6 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert len(set(codes)) == len(codes)
    counts = Counter("".join(codes))
    assert set(counts) == set(CODE_ALPHABET)
    expected = 6 * 2000 / 31
    assert all(0.7 * expected < n < 1.3 * expected for n in counts.values())


def test_code_from_secret__same_secret_same_code():
    _, secret = new_secret()
    assert code_from_secret(secret) == code_from_secret(secret)


def test_new_secret__lookup_part_and_random_part():
    lookup, token = new_secret()
    assert split_token(token) == (lookup, token)
    assert len(token.split(".", 1)[1]) >= 43  # 32 random bytes


@pytest.mark.parametrize("bad", ["", "abc", "ABCDEF0123456789.x", "0123456789abcde.x",
                                 "0123456789abcdef.", "0123456789abcdef" + "." + "x" * 300, None])
def test_split_token__malformed__none(bad):
    assert split_token(bad) is None


@pytest.mark.parametrize("typed,expected", [
    ("abcdef", "ABCDEF"), ("ABC DEF", "ABCDEF"), (" abc-def ", "ABCDEF"), ("ABCDE", None),
    ("ABCDE0", None), ("ABCDEO", None), ("ABCDE1", None), ("ABCDEI", None), ("abcdel", None),
])
def test_normalise_code(typed, expected):
    assert normalise_code(typed) == expected


def test_display_code__two_groups_of_three():
    assert display_code("ABCDEF") == "ABC DEF"


def test_matches__digest_compared():
    assert matches("x", digest("x")) and not matches("y", digest("x"))
    assert len(digest("x")) == 64
