"""Answer sets of issue 28 ("honest results"), built on the national bank: the measured
cases whose page-1 sentences misled, kept so that tests (tests/test_honest_results.py) and
a before/after measurement score exactly the same answers.

- ``kommun_workshop``: five participants; the MAS, the verksamhetschef and the enhetschef
  rate the leadership questions (G1) and G4's core question G4.1, where the sjuksköterska
  and the undersköterska honestly answer Vet ej; everyone rates the rest.
- ``limited_workshop``: a workshop that covered G1–G3 only; F1–F5 are reached only through
  G1's shared questions.
- ``care_provider``: a vårdgivare whose 12 F2–F3 and F5 questions are Ej aktuellt
  (``with_zeros``: the same provider answering 0 instead).
"""

from __future__ import annotations

from assessment.bank import Bank
from assessment.document import Assessment

PEOPLE = [("mas", "MAS"), ("vc", "Verksamhetschef"), ("ec", "Enhetschef"),
          ("ssk", "Sjuksköterska"), ("usk", "Undersköterska")]
U = "unknown"

# G1 as the three managers rate it; the two others answer Vet ej (2 of 5 each).
G1_MANAGERS = {
    "G1.1": (1, 1, 1), "G1.2": (0, 0, 0), "G1.3": (1, 2, 1), "G1.4": (2, 2, 2),
    "G1.5": (0, 0, 0), "G1.6": (1, 1, 2), "G1.7": (2, 1, 2), "G1.8": (1, 1, 1),
    "G1.9": (0, 1, 0), "G1.10": (1, 1, 1), "G1.11": (2, 2, 1), "G1.12": (1, 0, 1),
}
# Everyone else's answers where they differ from the default (1 from everyone).
KOMMUN_OTHERS = {
    "G4.1": (0, 0, 0, U, U),          # the core of G4, rated 0 by all who know it
    "G4.2": (2, 2, 2, 2, 2), "G4.3": (2, 2, 2, 2, 2), "G4.4": (2, 2, 2, 2, 2),
    "G4.5": (2, 2, 2, 2, 2),
    "F1.9": (U, U, U, U, 1),          # 4 of 5 Vet ej: a knowledge gap either way
    "F3.5": (1, 1, 1, U, U),          # 2 of 5 Vet ej beside three equal levels
    "F5.5": (2, 1, 2, U, U),          # 2 of 5 Vet ej beside levels that differ
    "F2.2": (0, 2, 1, 1, 1),          # a disagreement (spread 2)
    "F3.3": (0, 3, 1, 1, 1),          # a disagreement (spread 3)
    "G2.1": (2, 2, 2, 2, 2), "G2.2": (2, 2, 2, 2, 2), "G2.3": (2, 2, 2, 2, 2),
    "G3.1": (2, 2, 2, 2, 2),
}


def _assessment(bank: Bank, kind: str, answers: dict[str, tuple], people=PEOPLE,
                **extra) -> Assessment:
    ids = [p for p, _ in people]
    return Assessment.model_validate({
        "bank": {"id": bank.id, "version": bank.version},
        "organisation": {"name": "Exempelby kommun" if kind == "kommun" else "Exempelvården AB",
                         "kind": kind, "unit": "Äldreomsorgen"},
        "date": "2026-11-20",
        "participants": [{"id": pid, "name": "", "role": role} for pid, role in people],
        "answers": [{"participant": pid, "question": q, "value": v}
                    for q, values in answers.items() for pid, v in zip(ids, values)
                    if v is not None],
        **extra,
    })


def _distinct(bank: Bank, kind: str) -> list[str]:
    seen: dict[str, None] = {}
    for _, questions in bank.scope(kind):
        for q in questions:
            seen.setdefault(q.id)
    return list(seen)


def kommun_workshop(bank: Bank) -> Assessment:
    answers: dict[str, tuple] = {}
    for qid in _distinct(bank, "kommun"):
        if qid in G1_MANAGERS:
            answers[qid] = (*G1_MANAGERS[qid], U, U)
        else:
            answers[qid] = KOMMUN_OTHERS.get(qid, (1, 1, 1, 1, 1))
    return _assessment(bank, "kommun", answers)


def limited_workshop(bank: Bank) -> Assessment:
    """G1–G3 only, everyone rating; G1.9–G1.11 (F4's and F5's shared questions) rated 3."""
    answers: dict[str, tuple] = {}
    for qid in _distinct(bank, "kommun"):
        if qid in ("G1.9", "G1.10", "G1.11"):
            answers[qid] = (3, 3, 3, 3, 3)
        elif qid.split(".")[0] in ("G1", "G2", "G3"):
            answers[qid] = (1, 1, 2, 1, 1)
    return _assessment(bank, "kommun", answers)


NA_QUESTIONS = ("F2.2", "F2.5", "F2.6", "F2.8", "F2.9", "F3.3", "F3.4", "F5.3", "F5.4", "F5.5",
                "F5.6", "F5.7")


def care_provider(bank: Bank, with_zeros: bool = False) -> Assessment:
    """Every question 2 from three people, except the 12 of NA_QUESTIONS: Ej aktuellt (or 0)."""
    people = PEOPLE[:3]
    answers = {qid: ((0,) * 3 if with_zeros else ("na",) * 3) if qid in NA_QUESTIONS else (2, 2, 2)
               for qid in _distinct(bank, "vardgivare")}
    return _assessment(bank, "vardgivare", answers, people=people)
