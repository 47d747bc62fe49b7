"""The question bank: areas of the national plan, their questions and the answer scale.

A bank is data (YAML in ``questions/``); this module only describes and checks its
shape. Loading files and reporting errors lives in ``assessment.bank_loader``.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from assessment.i18n import format_level, translate

AREA_ID = r"^[A-Z][A-Za-z0-9]{0,9}$"
QUESTION_ID = r"^[A-Z][A-Za-z0-9]{0,9}\.[0-9]{1,3}$"

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class Audience(str, Enum):
    """Who a question is addressed to: the two kinds of huvudman and the care provider."""

    region = "region"
    kommun = "kommun"
    vardgivare = "vardgivare"


class TimePerspective(str, Enum):
    """The focus areas' time perspectives: was care safe, is it safe, will it be safe."""

    past = "past"
    now = "now"
    future = "future"


class DecisionLevel(str, Enum):
    """Who decides an activity – the bank's editorial judgement, not the plan's words: the
    huvudman's board (nämnd/huvudman), the administration's management (förvaltningsledning)
    or the service or unit itself (verksamhet/enhet). An assessment of a unit sets apart what
    a higher level decides."""

    huvudman = "huvudman"
    forvaltning = "forvaltning"
    verksamhet = "verksamhet"


class ReferenceProblems(ValueError):
    """Several cross-reference problems found at once, each with its place in the document."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{place}: {message}" for place, message in problems))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Swedish and English; both are required."""

    sv: NonEmpty
    en: NonEmpty

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.sv


class Source(Strict):
    seed: NonEmpty
    chapter: NonEmpty


class Level(Strict):
    value: int = Field(ge=0, le=10)
    label: Text
    descriptor: Text | None = None


class SpecialAnswer(Strict):
    """An answer that is not a level: "Vet ej" (unknown) or "Ej aktuellt" (na)."""

    label: Text
    descriptor: Text | None = None


class Scale(Strict):
    levels: list[Level] = Field(min_length=2)
    unknown: SpecialAnswer
    na: SpecialAnswer | None = None

    @model_validator(mode="after")
    def _levels_run_from_zero(self) -> Scale:
        values = [level.value for level in self.levels]
        if values != list(range(len(values))):
            raise ValueError(
                f"levels must be numbered 0, 1, 2, … in order without gaps; found {values}"
            )
        return self

    @property
    def top(self) -> int:
        return self.levels[-1].value

    def level(self, value: int) -> Level:
        return self.levels[value]

    def options(self) -> list[int | str]:
        """Every answer a participant can give: the levels, "unknown" and (if any) "na"."""
        return [level.value for level in self.levels] + ["unknown"] + (["na"] if self.na else [])

    def label(self, value: int | str | None, lang: str = "sv") -> str:
        """The label of an answer value, as shown to users."""
        if value == "unknown":
            return self.unknown.label.get(lang)
        if value == "na" and self.na is not None:
            return self.na.label.get(lang)
        if isinstance(value, int) and 0 <= value <= self.top:
            return self.levels[value].label.get(lang)
        return ""

    def value_label(self, value: float | str | None, lang: str = "sv") -> str:
        """A question's value in words, the one long form (Jämför's tables, the workbook): a
        level with its name, "1 – Ja, till vissa delar" (the label alone when it starts with
        its number, "3 – Etablerat"), a half level "2,5", the scale's "Vet ej" and "Ej
        aktuellt", None "–"."""
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            label = self.label(int(value), lang)
            number = format_level(value, lang)
            if not label or re.match(rf"\s*{number}\b", label):
                return label or number
            return f"{number} – {label}"
        if value == "na" and self.na is not None:
            return self.na.label.get(lang)
        return self.value_text(value, lang)

    def value_text(self, value: float | str | None, lang: str = "sv") -> str:
        """A question's value (a level, a median, "unknown", "na" or None) as a short cell
        text, the one way tables, workbooks and the command line write it: "2", "2,5",
        "Vet ej", "E/A" or "–"."""
        if value is None:
            return "–"
        if value == "unknown":
            return self.unknown.label.get(lang)
        if value == "na":
            return translate(lang, "results.na_short")
        return format_level(value, lang)


class Reference(Strict):
    """A national reference value printed in a seed (e.g. seed 004's survey results)."""

    share_positive: float = Field(ge=0, le=100)
    change: float = Field(ge=-100, le=100)
    n: int = Field(gt=0)
    year: int = Field(ge=2000, le=2100)
    source: NonEmpty


AreaId = Annotated[str, StringConstraints(pattern=AREA_ID)]
QuestionId = Annotated[str, StringConstraints(pattern=QUESTION_ID)]
ThemeId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,31}$")]


class Link(Strict):
    """Another area an activity serves, and where the plan says so."""

    area: AreaId
    source: NonEmpty


class SharedIn(Strict):
    """The same activity listed in another area too (seed 001 repeats most of G1's
    leadership activities in the focus areas): one question, answered once, that belongs to
    both areas. ``replaces`` is the id it had in that area in earlier bank versions (and
    places it in that area's list); ``activity`` is that area's wording in the seed.
    ``source``: where the plan itself pairs them (G1's "(fokusområde N)" tag); left out where
    the pairing is the bank's editorial judgement (the same activity in substance, untagged
    in the seed), which shares the question but gives it no breadth in the priorities."""

    area: AreaId
    replaces: QuestionId
    activity: Text
    source: NonEmpty | None = None


class Question(Strict):
    id: QuestionId
    text: Text
    activity: Text
    # A characteristic (G2–G4: "Vården blir säkrare om …") gets an activity title to act on.
    action: Text | None = None
    # What a level looks like in practice for this question: {0: …, 2: …, 4: …}.
    guidance: dict[Annotated[int, Field(ge=0, le=10)], Text] = Field(default_factory=dict)
    links: list[Link] = Field(default_factory=list)
    also_in: list[SharedIn] = Field(default_factory=list)
    competence_targets: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)
    audiences: list[Audience] = Field(min_length=1)
    reference: Reference | None = None
    # Editorial (see ``Bank.editorial``): the level that decides the activity, and its theme
    # (one of ``Bank.themes``). A bank marks every question or none.
    decided_by: DecisionLevel | None = None
    theme: ThemeId | None = None

    @model_validator(mode="after")
    def _no_repeats(self) -> Question:
        areas = [link.area for link in self.links] + [shared.area for shared in self.also_in]
        if len(set(areas)) != len(areas):
            raise ValueError("links and also_in name the same area more than once")
        if len(set(self.audiences)) != len(self.audiences):
            raise ValueError("audiences name the same audience more than once")
        return self

    def title(self, lang: str) -> str:
        """What to do: the action title where the bank gives one, else the activity."""
        return (self.action or self.activity).get(lang)


class Area(Strict):
    id: AreaId
    kind: Literal["prerequisite", "focus"]
    name: Text
    aim: Text
    time_perspective: TimePerspective | None = None
    questions: list[Question] = Field(min_length=1)


def _area_references(place: str, question: Question, own: str,
                     area_ids: list[str]) -> list[tuple[str, str]]:
    """Links and shared areas name other areas of the bank."""
    problems = []
    named = [(f"links[{k}].area", link.area) for k, link in enumerate(question.links)]
    named += [(f"also_in[{k}].area", shared.area) for k, shared in enumerate(question.also_in)]
    for where, area_id in named:
        if area_id not in area_ids:
            problems.append((f"{place}.{where}", f"names area {area_id!r}, which is not in this "
                             f"bank (areas: {', '.join(area_ids)})"))
        elif area_id == own:
            problems.append((f"{place}.{where}", f"a question always belongs to its own area "
                             f"{own!r}; name only other areas"))
    return problems


def _guidance_problems(place: str, question: Question, scale: Scale) -> list[tuple[str, str]]:
    """Guidance names levels of the scale, and at least the lowest and the top one."""
    if not question.guidance:
        return []
    levels = sorted(question.guidance)
    off_scale = [v for v in levels if v > scale.top]
    if off_scale:
        return [(f"{place}.guidance", f"names level {off_scale[0]}, but the scale runs 0–{scale.top}")]
    missing = [v for v in (0, scale.top) if v not in question.guidance]
    if missing:
        return [(f"{place}.guidance", f"needs an example for level {missing[0]} "
                 f"(guidance gives levels {', '.join(map(str, levels))}; give at least 0 and {scale.top})")]
    return []


class Theme(Strict):
    """A theme several areas' activities share (e.g. patient and family participation in G1.6,
    G4, F3.5, F4.5 and F5.7): an editorial grouping, so one theme cannot fill the top of the
    priorities."""

    id: ThemeId
    name: Text


class CompetenceTarget(Strict):
    """One of Socialstyrelsen's national competence targets for patient safety (2024)."""

    number: int = Field(ge=1)
    name: Text


def _number(question_id: str) -> int:
    """A question's place in its area's list: the number after the dot."""
    return int(question_id.split(".")[1])


class Bank(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
    version: NonEmpty
    # Earlier versions whose assessment files are upgraded to this one (see assessment.upgrade).
    upgrades_from: list[NonEmpty] = Field(default_factory=list)
    title: Text
    description: Text | None = None
    source: Source
    scale: Scale
    areas: list[Area] = Field(min_length=1)
    competence_targets: list[CompetenceTarget] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    # What in this bank is the editors' judgement rather than the seed's text (the decision
    # levels and themes), said wherever they are used.
    editorial: Text | None = None

    @model_validator(mode="after")
    def _cross_references(self) -> Bank:
        problems: list[tuple[str, str]] = []
        area_ids = [area.id for area in self.areas]
        seen_areas: set[str] = set()
        for i, area_id in enumerate(area_ids):
            if area_id in seen_areas:
                problems.append((f"areas[{i}].id", f"area id {area_id!r} is used twice"))
            seen_areas.add(area_id)
        seen_questions: set[str] = set()
        target_numbers = {t.number for t in self.competence_targets}
        for i, area in enumerate(self.areas):
            for j, question in enumerate(area.questions):
                place = f"areas[{i}].questions[{j}]"
                if question.id in seen_questions:
                    problems.append((f"{place}.id", f"question id {question.id!r} is used twice"))
                seen_questions.add(question.id)
                if not question.id.startswith(area.id + "."):
                    problems.append((
                        f"{place}.id",
                        f"question {question.id!r} must start with its area id {area.id!r} and a dot",
                    ))
                problems += _guidance_problems(place, question, self.scale)
                problems += _area_references(place, question, area.id, area_ids)
                problems += [(f"{place}.competence_targets", f"names target {n}, which the "
                              f"bank's competence_targets do not list")
                             for n in question.competence_targets if n not in target_numbers]
        replaced = [(i, j, k, shared.replaces) for i, area in enumerate(self.areas)
                    for j, q in enumerate(area.questions) for k, shared in enumerate(q.also_in)]
        for i, j, k, former in replaced:
            place = f"areas[{i}].questions[{j}].also_in[{k}].replaces"
            shared = self.areas[i].questions[j].also_in[k]
            if former in seen_questions:
                problems.append((place, f"{former!r} is a question of this bank; a shared "
                                 "question replaces an id that is no longer used"))
            elif not former.startswith(shared.area + "."):
                problems.append((place, f"{former!r} must start with the area id "
                                 f"{shared.area!r} and a dot"))
        formers = [r[3] for r in replaced]
        for former in {f for f in formers if formers.count(f) > 1}:
            problems.append(("also_in", f"{former!r} is replaced by more than one question"))
        problems += self._editorial_problems()
        if problems:
            raise ReferenceProblems(problems)
        return self

    def _editorial_problems(self) -> list[tuple[str, str]]:
        """Decision levels and themes: every question marked or none, each theme one of the
        bank's, and a bank that marks them says they are editorial."""
        problems: list[tuple[str, str]] = []
        theme_ids = [t.id for t in self.themes]
        if len(set(theme_ids)) != len(theme_ids):
            problems.append(("themes", "a theme id is used twice"))
        places = [(f"areas[{i}].questions[{j}]", q) for i, area in enumerate(self.areas)
                  for j, q in enumerate(area.questions)]
        for field in ("decided_by", "theme"):
            marked = [place for place, q in places if getattr(q, field) is not None]
            if marked and len(marked) != len(places):
                first = next(place for place, q in places if getattr(q, field) is None)
                problems.append((f"{first}.{field}", f"{len(marked)} of {len(places)} questions "
                                 f"give {field}: give it for every question or for none"))
            if marked and self.editorial is None:
                problems.append(("editorial", f"the questions give {field}, an editorial "
                                 "judgement: say so in the bank's editorial text"))
        problems += [(f"{place}.theme", f"names theme {q.theme!r}, which the bank's themes do "
                      f"not list ({', '.join(theme_ids) or 'none'})")
                     for place, q in places if q.theme is not None and q.theme not in theme_ids]
        return problems

    def themes_by_question(self) -> dict[str, str | None]:
        """Each question's editorial theme (None where the bank gives none)."""
        return {q.id: q.theme for _, q in self.question_index().values()}

    def decision_levels(self) -> dict[str, str | None]:
        """Each question's editorial decision level, as its value ("huvudman", …) or None."""
        return {q.id: q.decided_by.value if q.decided_by else None
                for _, q in self.question_index().values()}

    def theme(self, theme_id: str) -> Theme:
        return next(t for t in self.themes if t.id == theme_id)

    # --- look-ups -----------------------------------------------------------------

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)

    def question(self, question_id: str) -> Question:
        return self.question_index()[question_id][1]

    def question_index(self) -> dict[str, tuple[Area, Question]]:
        """Every question by id, with its area, in bank order."""
        cached = self.__dict__.get("_question_index")
        if cached is None:
            cached = {q.id: (area, q) for area in self.areas for q in area.questions}
            object.__setattr__(self, "_question_index", cached)
        return cached

    def questions_for(self, audience: Audience | str | None) -> list[tuple[Area, Question]]:
        """The questions that apply to an audience (all of them for ``None``), in bank order."""
        if audience is None:
            return list(self.question_index().values())
        audience = Audience(audience)
        return [(a, q) for a, q in self.question_index().values() if audience in q.audiences]

    def scope(self, audience: Audience | str | None) -> list[tuple[Area, list[Question]]]:
        """The areas with questions for ``audience``, in bank order, each with those
        questions in the seed's order – a shared question in every area it belongs to, at
        its place in that area's list (kept: scoring many files asks for the same scope)."""
        key = audience.value if isinstance(audience, Audience) else audience
        cache = self._cache("_scope")
        found = cache.get(key)
        if found is None:
            in_scope: dict[str, list[tuple[int, Question]]] = {}
            for area, question in self.questions_for(audience):
                in_scope.setdefault(area.id, []).append((_number(question.id), question))
                for shared in question.also_in:
                    in_scope.setdefault(shared.area, []).append((_number(shared.replaces), question))
            found = [(area, [q for _, q in sorted(in_scope[area.id], key=lambda nq: nq[0])])
                     for area in self.areas if area.id in in_scope]
            cache[key] = found
        return found

    def areas_of(self, question_id: str) -> list[str]:
        """The areas a question belongs to: its own first, then those it is shared with."""
        question = self.question(question_id)
        return [question.id.split(".")[0]] + [shared.area for shared in question.also_in]

    def activity_in(self, question: Question, area_id: str) -> Text:
        """The seed's wording of the question's activity in ``area_id``."""
        for shared in question.also_in:
            if shared.area == area_id:
                return shared.activity
        return question.activity

    def replaced_ids(self) -> dict[str, str]:
        """Ids of earlier versions that a shared question replaces: ``{"F1.3": "G1.1", …}``."""
        return {shared.replaces: q.id for _, q in self.question_index().values()
                for shared in q.also_in}

    def links_by_question(self) -> dict[str, list[str]]:
        """The other areas each activity serves – shared areas, then linked ones:
        ``{"G1.1": ["F1"], "G1.2": ["F1"], …}``."""
        cache = self._cache("_links")
        if not cache:
            cache.update({q.id: [s.area for s in q.also_in] + [link.area for link in q.links]
                          for _, q in self.question_index().values()})
        return cache

    def sourced_pairings(self) -> frozenset[str]:
        """The questions the plan itself pairs with another area – a link, or a shared area
        whose pairing names its source in the seed: the ones given breadth in the
        priorities. An editorial pairing (``also_in`` without a source) is not among them."""
        cache = self._cache("_sourced")
        if not cache:
            cache[None] = frozenset(
                q.id for _, q in self.question_index().values()
                if q.links or any(s.source for s in q.also_in))
        return cache[None]

    def competence_target(self, number: int) -> CompetenceTarget:
        return next(t for t in self.competence_targets if t.number == number)

    def _cache(self, name: str) -> dict:
        """A dict kept on this (frozen) bank for values derived from it."""
        cache = self.__dict__.get(name)
        if cache is None:
            cache = {}
            object.__setattr__(self, name, cache)
        return cache

    @property
    def has_na(self) -> bool:
        return self.scale.na is not None
