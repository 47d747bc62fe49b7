"""The lock files (README: "Dependencies and the lock files") pin what pyproject.toml asks
for: every dependency pinned once, with hashes, at a release its range admits, and the app
and the tests on the same releases."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SELF = canonicalize_name(PROJECT["name"])
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\]+)")


def pins(lock: str) -> dict[str, tuple[str, int]]:
    """The lock's pins: name → (version, number of hashes)."""
    found: dict[str, tuple[str, int]] = {}
    name = None
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match[1])
            assert name not in found, f"{lock}: {name} pinned twice"
            found[name] = (match[2], 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
        else:
            assert line.startswith((" ", "#")) or not line.strip(), f"{lock}: not a pin: {line}"
            if not line.startswith(" "):
                name = None
    return found


def asked(*extras: str) -> list[Requirement]:
    """What pyproject.toml asks for: the dependencies and those of ``extras`` (the project's
    own extras, as ``[postgres]`` in the test extra, followed)."""
    wanted = [Requirement(r) for r in PROJECT["dependencies"]]
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for text in PROJECT["optional-dependencies"][extra]:
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) == SELF:
                todo += sorted(requirement.extras)
            else:
                wanted.append(requirement)
    return wanted


@pytest.mark.parametrize(("lock", "extras"), [("requirements.lock", ("postgres",)),
                                               ("requirements-test.lock", ("test",))])
def test_lock__pins_every_dependency_in_its_range_with_hashes(lock, extras):
    pinned = pins(lock)
    assert pinned and all(hashes for _, hashes in pinned.values())
    assert SELF not in pinned  # the project itself is installed from the tree, without deps
    for requirement in asked(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{lock} does not pin {name}"
        assert requirement.specifier.contains(pinned[name][0], prereleases=True), (
            f"{lock}: {name}=={pinned[name][0]} is outside {requirement.specifier}")
        for extra in requirement.extras:  # psycopg[binary]: psycopg-binary pinned too
            assert canonicalize_name(f"{name}-{extra}") in pinned, f"{lock}: {name}[{extra}]"


def test_locks__the_app_and_the_tests_run_the_same_releases():
    app, test = pins("requirements.lock"), pins("requirements-test.lock")
    assert {n: v for n, (v, _) in app.items()} == {n: test[n][0] for n in app if n in test}
    assert set(app) <= set(test)
    assert "ruff" in test and "ruff" not in app
