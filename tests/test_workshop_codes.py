"""Join codes, secrets and the wrong-code limiter (assessment/workshop, no database)."""

from __future__ import annotations

from collections import Counter

import pytest

from assessment.workshop import (
    CODE_ALPHABET,
    RateLimiter,
    code_from_secret,
    digest,
    display_code,
    matches,
    new_secret,
    normalise_code,
    split_token,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


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


def test_rate_limiter__blocks_after_max_failures_until_the_window_passes():
    clock = FakeClock()
    limiter = RateLimiter(3, window=60, clock=clock)
    for _ in range(3):
        assert limiter.allowed("s1")
        limiter.failure("s1")

    assert not limiter.allowed("s1") and limiter.allowed("s2")
    assert limiter.retry_after("s1") == 60
    clock.now += 30
    assert limiter.retry_after("s1") == 30
    clock.now += 30.001
    assert limiter.allowed("s1") and limiter.retry_after("s1") == 0


def test_rate_limiter__sliding_window_forgets_old_failures_one_by_one():
    clock = FakeClock()
    limiter = RateLimiter(2, window=10, clock=clock)
    limiter.failure("k")
    clock.now += 6
    limiter.failure("k")
    assert not limiter.allowed("k")
    clock.now += 5  # the first failure is 11 s old
    assert limiter.allowed("k")


def test_rate_limiter__reset_and_bounded_number_of_keys():
    clock = FakeClock()
    limiter = RateLimiter(1, window=60, clock=clock, max_keys=100)
    limiter.failure("a")
    limiter.reset("a")
    assert limiter.allowed("a")
    for n in range(1000):
        limiter.failure(f"k{n}")
    assert len(limiter._failures) == 100
    assert not limiter.allowed("k999") and limiter.allowed("k0")  # the oldest went first
