"""The example assessment a newcomer can open from Start: a made-up municipality (Exempelby
kommun) with five participants, disagreements, Vet ej, agreed levels and an action plan, so
that every page has something to show before the first workshop.

The example is an ordinary assessment file (``questions/demo/exempelby.json``, package data of
the ``questions`` package), read with ``importlib.resources`` and checked like any uploaded
file against the installed banks.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from assessment.bank import Bank
from assessment.document import Assessment
from assessment.files import parse_assessment

DEMO_PACKAGE = "questions"
DEMO_FILE = "demo/exempelby.json"


def demo_bytes() -> bytes:
    """The example assessment file as shipped with the program."""
    return resources.files(DEMO_PACKAGE).joinpath(DEMO_FILE).read_bytes()


def demo_assessment(banks: dict[str, Bank] | None = None) -> Assessment:
    """The example assessment, checked against ``banks`` (by default the installed ones);
    raises ``InvalidFile`` if its bank is missing or of another version."""
    if banks is None:
        from assessment.bank_loader import load_banks
        banks = load_banks().banks
    return parse_assessment(DEMO_FILE, demo_bytes(), banks)


@cache
def _demo_organisation() -> tuple[str, str]:
    organisation = json.loads(demo_bytes())["organisation"]
    return organisation["name"], organisation.get("unit", "")


def is_demo(assessment: Assessment) -> bool:
    """Whether ``assessment`` is (a copy of) the example: its organisation and unit are the
    example's, whose names say that they are made up."""
    org = assessment.organisation
    return (org.name, org.unit) == _demo_organisation()
