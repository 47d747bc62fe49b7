"""The question bank: areas of the national plan, their questions and the answer scale.

A bank is data (YAML in ``questions/``); this module only describes and checks its
shape. Loading files and reporting errors lives in ``assessment.bank_loader``.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

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


class Guidance(Strict):
    """What the lowest and the highest level look like in practice for one question."""

    low: Text
    high: Text


class Reference(Strict):
    """A national reference value printed in a seed (e.g. seed 004's survey results)."""

    share_positive: float = Field(ge=0, le=100)
    change: float = Field(ge=-100, le=100)
    n: int = Field(gt=0)
    year: int = Field(ge=2000, le=2100)
    source: NonEmpty


class Question(Strict):
    id: Annotated[str, StringConstraints(pattern=QUESTION_ID)]
    text: Text
    activity: Text
    guidance: Guidance | None = None
    links: list[Annotated[str, StringConstraints(pattern=AREA_ID)]] = Field(default_factory=list)
    audiences: list[Audience] = Field(min_length=1)
    reference: Reference | None = None

    @model_validator(mode="after")
    def _no_repeats(self) -> Question:
        if len(set(self.links)) != len(self.links):
            raise ValueError("links name the same area more than once")
        if len(set(self.audiences)) != len(self.audiences):
            raise ValueError("audiences name the same audience more than once")
        return self


class Area(Strict):
    id: Annotated[str, StringConstraints(pattern=AREA_ID)]
    kind: Literal["prerequisite", "focus"]
    name: Text
    aim: Text
    time_perspective: TimePerspective | None = None
    questions: list[Question] = Field(min_length=1)


class Bank(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
    version: NonEmpty
    title: Text
    description: Text | None = None
    source: Source
    scale: Scale
    areas: list[Area] = Field(min_length=1)

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
                for k, link in enumerate(question.links):
                    if link not in area_ids:
                        problems.append((
                            f"{place}.links[{k}]",
                            f"links to area {link!r}, which is not in this bank "
                            f"(areas: {', '.join(area_ids)})",
                        ))
                    elif link == area.id:
                        problems.append((
                            f"{place}.links[{k}]",
                            f"a question is always linked to its own area {area.id!r}; "
                            "list only other areas",
                        ))
        if problems:
            raise ReferenceProblems(problems)
        return self

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
        questions (kept: scoring many files asks for the same scope each time)."""
        key = audience.value if isinstance(audience, Audience) else audience
        cache = self._cache("_scope")
        found = cache.get(key)
        if found is None:
            in_scope: dict[str, list[Question]] = {}
            for area, question in self.questions_for(audience):
                in_scope.setdefault(area.id, []).append(question)
            found = [(area, in_scope[area.id]) for area in self.areas if area.id in in_scope]
            cache[key] = found
        return found

    def links_by_question(self) -> dict[str, list[str]]:
        """Every question's links to other areas: ``{"G1.1": ["F1", "F3"], …}``."""
        cache = self._cache("_links")
        if not cache:
            cache.update({q.id: list(q.links) for _, q in self.question_index().values()})
        return cache

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
