"""Ranking the plan's activities where the team is below its target.

Every question whose value is a level below its area's target is a candidate; a shared
question (one activity in two areas) is one candidate, judged in the area where its gap
weighs most. Its score:

    gap × importance × breadth × effort factor

- gap = target − value (levels), importance 1–3 (2 by default), of that area;
- breadth = 1.25 when the plan itself pairs the activity with another area (a link or a
  shared area whose pairing names its source in the seed, ``Bank.sourced_pairings``), else
  1 – once, not per area, so one theme cannot pile up; an editorial pairing (G1.6 and F2.4,
  the same activity in substance but untagged in the seed) shares the question, not the bonus;
- effort factor = 1.25 for *låg*, 1.0 for *medel* or not set, 0.75 for *hög*.

Candidates are ranked by score, then the larger gap, then the bank's order; then at most
``THEME_CAP`` of one (editorial) theme stay among the first ``TOP`` places (``cap_themes``).
An assessment of a unit lists the activities a higher level decides apart (``set_apart``:
"för ledningen att besluta"); a whole organisation's ranks them all. A disagreement
in the group is named (until the team has agreed a level) but does not change the score.
A ``Priority`` carries its reasons as data; ``scoring.explain`` puts them into words.

Questions whose value is "Vet ej" (knowledge gaps) are never ranked: they form their own
list – find out the current state first. A question whose median rests on an uncertain
basis (at least a third answered Vet ej) is ranked, names its count, and is listed among the
knowledge gaps as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.areas import AreaScore
from scoring.questions import UNKNOWN, QuestionScore, is_numeric

BREADTH_BONUS = 1.25
# One theme cannot fill the top: at most THEME_CAP of one theme among the first TOP places.
THEME_CAP = 2
TOP = 5
# The level of a unit's own actions (``DecisionLevel.verksamhet``); the others decide above it.
UNIT_LEVEL = "verksamhet"
EFFORT_FACTOR = {"låg": 1.25, "medel": 1.0, "hög": 0.75}

# The next step a priority suggests (``Priority.next_step``).
AGREE = "agree"          # levels far apart: agree the current level on Samsyn first
FIND_OUT = "find_out"    # Vet ej answers that could move the median: ask them, then plan
PLAN = "plan"            # put it in the action plan with an owner and a date


@dataclass(slots=True)
class Priority:
    question: str
    area: str                # the area whose gap weighs most
    areas: list[str]         # every area the activity serves, ``area`` first
    score: float
    gap: float
    value: float             # the current level
    target: float
    importance: int
    effort: str | None
    disagreement: bool       # open: levels two or more apart and no agreed level yet
    unknown_answers: int
    counted_answers: int     # levels and Vet ej
    importance_set: bool     # the team set the area's importance (else the default)
    effort_set: bool
    levels: int              # the levels the value rests on
    consensus: bool          # the value is the team's agreed level
    uncertain: bool = False  # at least a third answered Vet ej (osäkert underlag)
    unknown_could_change: bool = False  # the Vet ej answers could move the median
    theme: str | None = None          # the bank's editorial theme of the activity
    moved_for_theme: bool = False     # moved below the TOP places: its theme had THEME_CAP
    decided_by: str | None = None     # the bank's editorial decision level
    set_apart: bool = False           # a unit's assessment: for a higher level to decide

    @property
    def next_step(self) -> str:
        if self.disagreement:
            return AGREE
        return FIND_OUT if self.unknown_could_change else PLAN


@dataclass
class KnowledgeGap:
    question: str
    area: str
    unknown_answers: int
    answers: int              # answers that are levels or Vet ej
    levels: int               # answers that are levels
    value: float | None = None  # the median where the question has one (osäkert underlag)

    @property
    def uncertain(self) -> bool:
        """Listed for its share of Vet ej, though it has a value (and is ranked)."""
        return self.value is not None


def rank(areas: list[AreaScore], links: dict[str, list[str]], effort: dict[str, str],
         importance_set: frozenset[str] | set[str] = frozenset(),
         sourced: frozenset[str] | set[str] = frozenset()) -> list[Priority]:
    """The ranked candidates: questions below their area's target, each once. ``links``:
    the other areas each activity serves (``Bank.links_by_question``); ``importance_set``:
    the areas whose importance the team has set; ``sourced``: the questions whose pairing
    with another area the plan itself gives (``Bank.sourced_pairings``), given breadth."""
    best: dict[str, tuple[float, float, int, str, AreaScore, QuestionScore]] = {}
    order = 0
    for area in areas:
        for q in area.questions:
            order += 1
            value = q.value
            if not is_numeric(value) or value >= area.target:
                continue
            weight = (area.target - value) * area.importance
            seen = best.get(q.id)
            if seen is None or weight > seen[0]:
                best[q.id] = (weight, area.target - value, seen[2] if seen else order, area.id,
                              area, q)
    candidates = []
    for question_id, (_, gap, order, area_id, area, q) in best.items():
        home = question_id.split(".")[0]
        serves = [area_id] + [a for a in (home, *links.get(question_id, ())) if a != area_id]
        q_effort = effort.get(question_id)
        score = round(gap * area.importance * (BREADTH_BONUS if question_id in sourced else 1.0)
                      * EFFORT_FACTOR.get(q_effort, 1.0), 4)
        priority = Priority(
            question_id, area_id, serves, score, gap, q.value, area.target, area.importance,
            q_effort,
            # Once the team has agreed a level (samsyn), the spread is no longer news.
            q.open_disagreement,
            q.unknown_answers, q.counted_answers, area_id in importance_set,
            question_id in effort, q.levels, q.consensus, q.uncertain, q.unknown_could_change)
        candidates.append((-score, -gap, order, priority))
    candidates.sort(key=lambda c: c[:3])
    return [c[3] for c in candidates]


def cap_themes(ranked: list[Priority], themes: dict[str, str | None]) -> list[Priority]:
    """At most ``THEME_CAP`` of one theme among the first ``TOP`` places, applied after
    ranking: the third and later of a theme move below the fifth place, in their order, and
    the next candidates of other themes move up. Where too few candidates of other themes
    remain, the moved ones fill the places left. An activity without a theme is never
    capped. Marks ``theme`` on each and ``moved_for_theme`` on those that end below the top."""
    top: list[Priority] = []
    moved: list[Priority] = []
    rest: list[Priority] = []
    counts: dict[str, int] = {}
    for p in ranked:
        p.theme = themes.get(p.question)
        if len(top) == TOP:
            rest.append(p)
        elif p.theme is not None and counts.get(p.theme, 0) >= THEME_CAP:
            moved.append(p)
        else:
            if p.theme is not None:
                counts[p.theme] = counts.get(p.theme, 0) + 1
            top.append(p)
    result = top + moved + rest
    end_of_moved = len(top) + len(moved)  # the moved ones stand right after the top
    for place, p in enumerate(result):
        p.moved_for_theme = TOP <= place < end_of_moved
    return result


def set_apart(ranked: list[Priority], decided_by: dict[str, str | None], unit: bool,
              ) -> tuple[list[Priority], list[Priority]]:
    """(The assessment's own actions, those a higher level decides – "för ledningen att
    besluta"), each list in ranked order; every priority names its decision level. Only a
    unit's assessment (``unit``) sets any apart; an activity with no decision level is the
    unit's own."""
    own, above = [], []
    for p in ranked:
        p.decided_by = decided_by.get(p.question)
        p.set_apart = unit and p.decided_by not in (None, UNIT_LEVEL)
        (above if p.set_apart else own).append(p)
    return own, above


def knowledge_gaps(areas: list[AreaScore]) -> list[KnowledgeGap]:
    """Questions whose value is "Vet ej", then those whose value rests on an uncertain basis
    (with their value), each in bank order and once: find out the current state."""
    found: dict[str, KnowledgeGap] = {}
    for area in areas:
        for q in area.questions:
            if (q.value == UNKNOWN or q.uncertain) and q.id not in found:
                found[q.id] = KnowledgeGap(q.id, area.id, q.unknown_answers, q.counted_answers,
                                           q.levels, q.value if q.uncertain else None)
    return sorted(found.values(), key=lambda k: k.uncertain)  # stable: bank order within


def disagreements(areas: list[AreaScore]) -> list[QuestionScore]:
    """Open disagreements: questions where participants' levels differ by two or more and
    the team has not agreed a level on Samsyn yet, largest spread first, each once."""
    found: dict[str, QuestionScore] = {}
    for area in areas:
        for q in area.questions:
            if q.open_disagreement:
                found.setdefault(q.id, q)
    return sorted(found.values(), key=lambda q: -(q.spread or 0))
