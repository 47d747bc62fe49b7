"""Which of the plan's activities to work on first, and why.

Every question whose value is a number below its area's target is a candidate. Its
priority score is

    gap × importance × (1 + 0.5 × other linked areas) × effort factor

where *gap* is the area's target minus the question's value in levels, *importance* is
the area's importance (1–3, default 2), *other linked areas* counts the areas the
activity links to besides its own (an activity that serves several areas does more),
and the effort factor is 1.25 for "låg", 1.0 for "medel" or not set and 0.75 for "hög"
(quick wins rise). Equal scores: the larger gap first, then the bank's order. A disagreement in the group is named in
the explanation (until the team has agreed a level) but does not change the score.

Questions whose value is "Vet ej" are never ranked: they form the list of knowledge
gaps ("ta reda på nuläget").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from assessment.i18n import format_number
from scoring.areas import AreaScore
from scoring.questions import UNKNOWN, QuestionScore, is_numeric

LINK_WEIGHT = 0.5
EFFORT_FACTOR = {"låg": 1.25, "medel": 1.0, "hög": 0.75}
IMPORTANCE_WORD = {1: ("låg", "low"), 2: ("medel", "medium"), 3: ("hög", "high")}
EFFORT_WORD = {"låg": ("låg insats", "low effort"), "medel": ("medelstor insats", "medium effort"),
               "hög": ("stor insats", "high effort")}


@dataclass(slots=True)
class Priority:
    question: str
    area: str
    score: float
    gap: float
    links: list[str]
    effort: str | None
    disagreement: bool
    why: str
    why_en: str

    def explanation(self, lang: str) -> str:
        return self.why_en if lang == "en" else self.why


@dataclass
class KnowledgeGap:
    question: str
    area: str
    unknown_answers: int
    answers: int


def _join(items: tuple[str, ...], word: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


@lru_cache(maxsize=8192)  # few combinations recur over and over when many files are scored
def explain(gap: float, importance: int, areas: tuple[str, ...], effort: str | None,
            disagreement: bool) -> tuple[str, str]:
    """The one-line explanation in Swedish and English."""
    gap = round(gap, 1)
    levels_sv = "nivå" if gap == 1 else "nivåer"
    levels_en = "level" if gap == 1 else "levels"
    sv = [f"{format_number(gap)} {levels_sv} under målet",
          f"viktighet {IMPORTANCE_WORD[importance][0]}",
          f"kopplad till {_join(areas, 'och')}"]
    en = [f"{format_number(gap, 'en')} {levels_en} below target",
          f"importance {IMPORTANCE_WORD[importance][1]}",
          f"linked to {_join(areas, 'and')}"]
    if effort:
        sv.append(EFFORT_WORD[effort][0])
        en.append(EFFORT_WORD[effort][1])
    if disagreement:
        sv.append("oenighet i gruppen")
        en.append("disagreement in the group")
    return " · ".join(sv), " · ".join(en)


_ORDER = itemgetter(0, 1, 2)  # score, gap (both negated: largest first), bank order


def rank(areas: list[AreaScore], links: dict[str, list[str]],
         effort: dict[str, str]) -> list[Priority]:
    """The ranked candidates: questions below their area's target."""
    candidates: list[tuple[float, float, int, Priority]] = []
    order = 0
    for area in areas:
        area_id, target, importance = area.id, area.target, area.importance
        for q in area.questions:
            order += 1
            value = q.value
            if not is_numeric(value) or value >= target:
                continue
            gap = target - value
            others = links.get(q.id, ())
            q_effort = effort.get(q.id)
            score = round(gap * importance * (1 + LINK_WEIGHT * len(others))
                          * EFFORT_FACTOR.get(q_effort, 1.0), 4)
            # Once the team has agreed a level (samsyn), the spread is no longer news.
            open_disagreement = q.disagreement and not q.consensus
            linked = (area_id, *others)
            why, why_en = explain(gap, importance, linked, q_effort, open_disagreement)
            candidates.append((-score, -gap, order, Priority(
                q.id, area_id, score, gap, list(linked), q_effort, open_disagreement, why, why_en)))
    candidates.sort(key=_ORDER)
    return [c[3] for c in candidates]


def knowledge_gaps(areas: list[AreaScore]) -> list[KnowledgeGap]:
    """Questions whose value is "Vet ej", in bank order: find out the current state."""
    return [
        KnowledgeGap(q.id, area.id, q.unknown_answers, q.answers)
        for area in areas
        for q in area.questions
        if q.value == UNKNOWN
    ]


def disagreements(areas: list[AreaScore]) -> list[QuestionScore]:
    """Questions where participants' levels differ by two or more, largest spread first."""
    found = [q for area in areas for q in area.questions if q.disagreement]
    return sorted(found, key=lambda q: -(q.spread or 0))
