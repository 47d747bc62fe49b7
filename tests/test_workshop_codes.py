"""Join codes and secrets (assessment/workshop, no database). The wrong-code limiter is in
the database: tests/test_workshop_limits.py."""

from __future__ import annotations

from collections import Counter

import pytest

from pathlib import Path

from assessment.workshop import (
    CODE_ALPHABET,
    CODE_LENGTH,
    JoinLimits,
    code_from_secret,
    link_from_secret,
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


def test_guessing__code_space_limits_and_guesses_per_hour__as_docs_workshop_md_states():
    """Issue 26.3: 31 characters, 6 of them: 31**6 = 961**3 = 887 503 681 codes. An address
    has 100 typed codes looked at in any 10 minutes, 6 windows an hour: 600 guesses an hour
    (and 5 a browser session). With 100 workshops open at once a guess finds one with chance
    100 / 887 503 681; 600 guesses an hour find one in 887 503 681 / 60 000 = 14 792 hours
    (about 1.7 years) on average."""
    space = len(CODE_ALPHABET) ** CODE_LENGTH
    assert space == 887_503_681 == 961 ** 3
    limits = JoinLimits()
    assert (limits.session, limits.client, limits.window_s) == (5, 100, 600)
    assert limits.guesses_per_hour() == 600
    assert round(space / (limits.guesses_per_hour() * 100)) == 14_792
    assert (limits.join_session, limits.join_client) == (3, 60)
    docs = (Path(__file__).parents[1] / "docs" / "workshop.md").read_text(encoding="utf-8")
    for stated in ("887 503 681", "600 guesses an hour", "14 792 hours", "60 joins"):
        assert stated in docs, stated


def test_link_from_secret__unguessable_stable_and_not_the_secret():
    wid, secret = new_secret()
    link = link_from_secret(secret)
    assert link == link_from_secret(secret) and split_token(link) == (wid, link)
    assert len(link.partition(".")[2]) == 43  # 32 bytes, URL-safe base64 without padding
    assert secret.partition(".")[2] not in link
    assert link != link_from_secret(new_secret()[1])
