"""Comparing assessments of one bank: over time, across units and against the national survey.

Pure: no files, no database, no Streamlit. Each assessment is first reduced to a
``Snapshot`` (who, when, which bank, its area and question scores by the rules of
docs/scoring.md, its action plan); the functions below take snapshots and return values
that the Jämför page, the ``compare`` command and its workbook only show.

Rules (beside docs/scoring.md, which they build on):

- Only assessments of one bank *and* one bank version are compared; ``split_comparable``
  says of every other one why it is left out.
- *Over time* is always per unit: a unit's follow-up series is its assessments of one bank
  and bank version whose organisation and unit are the same (``unit_key``: compared
  without case or surrounding spaces), by date (the same date: by key). Assessments of
  different units are never put in one series; files of several units give one series
  per unit (``timelines``). A unit with one assessment has no trend and no change. The
  previous assessment (the Resultat page's "föregående", ``previous``) is the one right
  before in that series. A change is *after − before*, only between two levels:
  an area's mean level (and score), a question's value. ``unknown`` (Vet ej), ``na`` (Ej
  aktuellt) or no answer on either side gives no change and no direction.
  Direction: ``improved`` (> 0), ``unchanged`` (0), ``worsened`` (< 0).
- Action-plan items *done in between* two assessments: items of either plan that are
  ``klar`` or whose due date falls after the earlier date and on or before the later one,
  whatever their status – except items the earlier plan already had as ``klar`` (done
  before the period). An item in both plans (same activity and title, compared without
  case and extra spaces) is shown once, with its later status.
- *Across units* takes the latest assessment of each organisation and unit; per area the
  min / median / max score over the units that have one, and the units furthest below
  their own target (gap = target − mean level, largest first).
- *Against the national survey* (questions with a ``reference``): the share positive of
  the answers of all the assessments together (the roll-up rule: level ≥ 1 ÷ all answers,
  Vet ej included, Ej aktuellt left out), the share of organisations whose value is a
  level ≥ 1 (of those whose value is a level or Vet ej) and each one's difference from the
  national share in percentage points.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Protocol, Sequence, TypeVar

from assessment.bank import Bank, Reference
from assessment.document import Action, ActionStatus, Assessment, unit_label
from assessment.i18n import translate
from scoring.areas import AreaScore, overall_score
from scoring.questions import UNKNOWN, QuestionScore, Value, is_numeric
from scoring.score import rounded, score_areas

IMPROVED = "improved"
UNCHANGED = "unchanged"
WORSENED = "worsened"
DIRECTIONS = (IMPROVED, UNCHANGED, WORSENED)

MAX_RADAR_DATES = 4
BELOW_TARGET_LIMIT = 3

# Why an assessment is left out of a comparison (``Excluded.reason``).
NOT_INSTALLED = "not_installed"          # its bank is not installed
INSTALLED_VERSION = "installed_version"  # made with another version than the installed one
OTHER_BANK = "other_bank"                # the others use another bank
OTHER_VERSION = "other_version"          # the others use another version of the same bank

_EPSILON = 1e-9


# --- one assessment, reduced ----------------------------------------------------------------

def unit_key(organisation: str, unit: str | None) -> tuple[str, str]:
    """Which unit an assessment is of: organisation and unit without case and surrounding
    spaces (" testby KOMMUN ", "hemtjänst " is Testby kommun – Hemtjänst)."""
    return organisation.strip().casefold(), (unit or "").strip().casefold()


class Dated(Protocol):
    """What the follow-up rule needs of an assessment (a ``Snapshot``, or a saved one's
    summary seen through ``assessment.history``)."""

    @property
    def key(self) -> str: ...
    @property
    def organisation(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def bank_id(self) -> str: ...
    @property
    def bank_version(self) -> str: ...


D = TypeVar("D", bound=Dated)

@dataclass(frozen=True, eq=False)
class Snapshot:
    """One scored assessment, as a comparison needs it. ``key`` names it to the caller (a
    file name, a database id); ``areas`` holds the areas in the assessment's scope, in bank
    order, each with its question scores."""

    key: str
    organisation: str
    unit: str
    kind: str
    date: dt.date
    bank_id: str
    bank_version: str
    areas: tuple[AreaScore, ...]
    actions: tuple[Action, ...] = ()
    participants: int = 0   # how many took part (the assessment's participants)
    _areas: dict[str, AreaScore] = field(init=False, repr=False)
    _questions: dict[str, QuestionScore] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_areas", {a.id: a for a in self.areas})
        object.__setattr__(self, "_questions", {q.id: q for a in self.areas for q in a.questions})

    @property
    def unit_key(self) -> tuple[str, str]:
        """Organisation and unit, compared without case and surrounding spaces."""
        return unit_key(self.organisation, self.unit)

    @property
    def unit_name(self) -> str:
        """"Exempelby kommun – Hemtjänst" (or only the organisation)."""
        return unit_label(self.organisation, self.unit)

    @property
    def overall(self) -> float | None:
        return overall_score(list(self.areas))

    def area(self, area_id: str) -> AreaScore | None:
        """The area's score, or ``None`` when the area is outside the assessment's scope."""
        return self._areas.get(area_id)

    def question(self, question_id: str) -> QuestionScore | None:
        return self._questions.get(question_id)

    def value(self, question_id: str) -> Value:
        """The question's value (a level, ``unknown``, ``na``), or ``None`` when it is not
        answered or outside the scope."""
        q = self._questions.get(question_id)
        return None if q is None else q.value


def snapshot(key: str, assessment: Assessment, bank: Bank,
             grouped: Mapping[str, list] | None = None) -> Snapshot:
    """Score ``assessment`` against ``bank`` (its own scope, targets and consensus) by the
    rules of ``scoring.score`` – without the priorities, which a comparison does not use.

    ``grouped`` gives every question's answer values when they are not in
    ``assessment.answers`` (e.g. counted in the database: ``{"G1.1": [2, 2, 3, "unknown"]}``).
    """
    areas = score_areas(assessment, bank, grouped)
    org = assessment.organisation
    return Snapshot(
        key=key, organisation=org.name, unit=org.unit, kind=org.kind.value, date=assessment.date,
        bank_id=assessment.bank.id, bank_version=assessment.bank.version, areas=tuple(areas),
        actions=tuple(assessment.actions),
        participants=len(assessment.participants),
    )


def by_date(snapshots: Iterable[D]) -> list[D]:
    """Oldest first; the same date by organisation, unit and key, so the order is stable."""
    return sorted(snapshots, key=lambda s: (s.date, unit_key(s.organisation, s.unit), s.key))


def unique_names(named: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``(key, name)`` pairs as {key: name}, a repeated name made unique with " (2)", " (3)"."""
    result: dict[str, str] = {}
    seen: Counter = Counter()
    for key, name in named:
        seen[name] += 1
        result[key] = name if seen[name] == 1 else f"{name} ({seen[name]})"
    return result


def date_names(snapshots: Iterable[Snapshot]) -> dict[str, str]:
    """Each snapshot's date, "2025-03-01" (unique: "2025-03-01 (2)")."""
    return unique_names((s.key, s.date.isoformat()) for s in snapshots)


def full_names(snapshots: Iterable[Snapshot]) -> dict[str, str]:
    """"2025-03-01 · Exempelby kommun – Hemtjänst", unique."""
    return unique_names((s.key, f"{s.date.isoformat()} · {s.unit_name}") for s in snapshots)


def unit_names(snapshots: Iterable[Snapshot]) -> dict[str, str]:
    """"Exempelby kommun – Hemtjänst", unique."""
    return unique_names((s.key, s.unit_name) for s in snapshots)


# --- what can be compared ---------------------------------------------------------------------

@dataclass(frozen=True)
class Excluded:
    """An assessment left out of a comparison, and why (``reason``: one of the constants
    above). ``expected_*`` name the bank and version it was compared with (for
    ``installed_version``: the installed version)."""

    key: str
    reason: str
    bank_id: str
    version: str
    expected_bank: str = ""
    expected_version: str = ""

    def message(self) -> str:
        """An English one-line reason, for the command line."""
        if self.reason == NOT_INSTALLED:
            return (f"bank {self.bank_id!r} is not installed, so this assessment cannot be "
                    "scored or compared")
        if self.reason == INSTALLED_VERSION:
            return (f"was made with version {self.version!r} of bank {self.bank_id!r}, but "
                    f"version {self.expected_version!r} is installed; its answers were given "
                    "to that version's questions, which may ask something else, so it cannot "
                    "be scored or compared – answer the installed version in a new assessment")
        if self.reason == OTHER_VERSION:
            return (f"uses version {self.version!r} of bank {self.bank_id!r}, the others "
                    f"version {self.expected_version!r}; questions and scales may differ "
                    "between versions, so compare assessments of one version")
        return (f"uses bank {self.bank_id!r}, the others {self.expected_bank!r}; assessments "
                "of different banks have different questions and cannot be compared")


@dataclass(frozen=True)
class BankChoice:
    """The bank and version a comparison uses, the keys compared (in the order given) and
    the ones left out."""

    bank_id: str | None
    version: str | None
    included: list[str]
    excluded: list[Excluded]


def split_comparable(items: Sequence[tuple[str, str, str]],
                     installed: Mapping[str, str]) -> BankChoice:
    """Which of ``items`` – ``(key, bank id, bank version)`` – can be compared together.

    ``installed`` maps each installed bank's id to its version. An assessment whose bank is
    not installed, or was made with another version than the installed one, is left out.
    Of the rest, the bank and version most of them use wins (a tie: the one named first);
    every other one is left out with the reason.
    """
    excluded: list[Excluded] = []
    usable: list[tuple[str, str, str]] = []
    for key, bank_id, version in items:
        if bank_id not in installed:
            excluded.append(Excluded(key, NOT_INSTALLED, bank_id, version))
        elif installed[bank_id] != version:
            excluded.append(Excluded(key, INSTALLED_VERSION, bank_id, version, bank_id,
                                     installed[bank_id]))
        else:
            usable.append((key, bank_id, version))
    if not usable:
        return BankChoice(None, None, [], excluded)
    counts = Counter((b, v) for _, b, v in usable)
    first_seen = {}
    for _, b, v in usable:
        first_seen.setdefault((b, v), len(first_seen))
    bank_id, version = max(counts, key=lambda bv: (counts[bv], -first_seen[bv]))
    included = []
    for key, b, v in usable:
        if (b, v) == (bank_id, version):
            included.append(key)
        else:
            reason = OTHER_VERSION if b == bank_id else OTHER_BANK
            excluded.append(Excluded(key, reason, b, v, bank_id, version))
    order = {key: i for i, (key, _, _) in enumerate(items)}
    excluded.sort(key=lambda e: order[e.key])
    return BankChoice(bank_id, version, included, excluded)


# --- changes ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """From ``before`` to ``after``: ``delta`` = after − before when both are levels (else
    ``None``), and its direction (``None`` when there is no delta)."""

    before: Value
    after: Value
    delta: float | None
    direction: str | None


def change(before: Value, after: Value) -> Change:
    if not (is_numeric(before) and is_numeric(after)):
        return Change(before, after, None, None)
    delta = after - before
    if abs(delta) < _EPSILON:
        return Change(before, after, 0, UNCHANGED)
    return Change(before, after, delta, IMPROVED if delta > 0 else WORSENED)


def difference(first, last) -> float | None:
    """last − first when both are levels or scores; ``None`` otherwise."""
    return change(first, last).delta


# --- over time ------------------------------------------------------------------------------

@dataclass(frozen=True)
class AreaSeries:
    id: str
    scores: list[float | None]   # 0–100, one per snapshot
    levels: list[float | None]   # mean level, one per snapshot
    bases: tuple[frozenset[str], ...] = ()  # the questions with a level, one set per snapshot

    @property
    def change(self) -> float | None:
        """Score of the last snapshot − score of the first; ``None`` with fewer than two."""
        return difference(self.scores[0], self.scores[-1]) if len(self.scores) > 1 else None

    @property
    def same_basis(self) -> bool:
        """The first and the last mean rest on the same questions (like with like)."""
        return not self.bases or self.bases[0] == self.bases[-1]


@dataclass(frozen=True)
class QuestionSeries:
    id: str
    area: str
    values: list[Value]          # a level, "unknown", "na" or None, one per snapshot

    @property
    def change(self) -> float | None:
        """Value of the last snapshot − value of the first, when both are levels; ``None``
        with fewer than two."""
        return difference(self.values[0], self.values[-1]) if len(self.values) > 1 else None


@dataclass(frozen=True)
class Timeline:
    snapshots: list[Snapshot]
    areas: list[AreaSeries]
    questions: list[QuestionSeries]


def timeline(snapshots: Sequence[Snapshot], bank: Bank) -> Timeline:
    """Every area and question in the scope of any of ``snapshots`` (bank order), with one
    score or value per snapshot, in the order given (``by_date`` for a trend)."""
    area_ids = {a.id for s in snapshots for a in s.areas}
    question_ids = {q for s in snapshots for q in s._questions}
    areas = []
    for area in bank.areas:
        if area.id not in area_ids:
            continue
        scored = [s.area(area.id) for s in snapshots]
        areas.append(AreaSeries(area.id, [a.score if a else None for a in scored],
                                [a.mean_level if a else None for a in scored],
                                tuple(frozenset(q.id for q in a.questions if is_numeric(q.value))
                                      if a else frozenset() for a in scored)))
    questions = [
        QuestionSeries(q.id, area.id, [s.value(q.id) for s in snapshots])
        for area in bank.areas for q in area.questions if q.id in question_ids
    ]
    return Timeline(list(snapshots), areas, questions)


@dataclass(frozen=True)
class AreaStep:
    id: str
    level: Change                # mean level before → after
    score_before: float | None
    score_after: float | None
    actions: list[Action]        # done in between, aimed at this area
    basis_before: int = 0        # questions with a level before (what the mean rests on)
    basis_after: int = 0
    same_basis: bool = True      # the same questions have a level both times

    @property
    def score_change(self) -> float | None:
        return difference(self.score_before, self.score_after)


@dataclass(frozen=True)
class QuestionStep:
    id: str
    area: str
    change: Change


@dataclass(frozen=True)
class Step:
    """The change from one assessment to the next one of the same unit."""

    before: Snapshot
    after: Snapshot
    areas: list[AreaStep]
    questions: list[QuestionStep]

    def counts(self) -> dict[str | None, int]:
        """How many questions improved, stayed, worsened, or cannot be compared (``None``)."""
        counted = Counter(q.change.direction for q in self.questions)
        return {d: counted.get(d, 0) for d in (*DIRECTIONS, None)}


def step(before: Snapshot, after: Snapshot, bank: Bank) -> Step:
    """Per area and per question, what changed from ``before`` to ``after``, with the
    action-plan items done in between next to the area they aim at. An area's change says
    whether its means rest on the same questions both times (``same_basis``): like with like,
    or the verdict names the different bases."""
    pair = timeline([before, after], bank)
    done = actions_between(before, after, bank)
    areas = [
        AreaStep(a.id, change(a.levels[0], a.levels[1]), a.scores[0], a.scores[1],
                 done.get(a.id, []), len(a.bases[0]), len(a.bases[1]), a.same_basis)
        for a in pair.areas
    ]
    questions = [QuestionStep(q.id, q.area, change(q.values[0], q.values[1]))
                 for q in pair.questions]
    return Step(before, after, areas, questions)


def basis_note(same: bool, before: int, after: int, lang: str) -> str:
    """" (inte samma frågor med nivå: 2 före, 1 efter)" beside a change whose two means rest
    on different questions; "" for like with like."""
    return "" if same else " " + translate(lang, "compare.other_basis", before=before, after=after)


def steps(snapshots: Sequence[Snapshot], bank: Bank) -> list[Step]:
    """Each assessment against the one before it (give them ``by_date``)."""
    return [step(a, b, bank) for a, b in zip(snapshots, snapshots[1:])]


def actions_between(before: Snapshot, after: Snapshot, bank: Bank) -> dict[str, list[Action]]:
    """The action-plan items done between the two dates, by the area of their activity
    (see the module's rules); within an area by due date (undated last), then title."""

    def same(action: Action) -> tuple[str, str]:
        return action.activity, " ".join(action.title.split()).casefold()

    earlier = {same(a): a for a in before.actions}
    later = {same(a): a for a in after.actions}
    index = bank.question_index()
    grouped: dict[str, list[Action]] = {}
    for key, action in {**earlier, **later}.items():
        if key in earlier and earlier[key].status == ActionStatus.done:
            continue  # done before the period began
        due_between = action.due is not None and before.date < action.due <= after.date
        if action.status != ActionStatus.done and not due_between:
            continue
        if action.activity not in index:
            continue
        grouped.setdefault(index[action.activity][0].id, []).append(action)
    for items in grouped.values():
        items.sort(key=lambda a: (a.due or dt.date.max, a.title.casefold()))
    return grouped


def radar_dates(snapshots: Sequence[Snapshot], limit: int = MAX_RADAR_DATES) -> list[Snapshot]:
    """The latest ``limit`` of a unit's snapshots (given ``by_date``), newest first: the
    radar's series current, previous, extra1, extra2."""
    return list(reversed(snapshots[-limit:]))


def units(snapshots: Iterable[D]) -> dict[tuple[str, str], list[D]]:
    """Each unit's follow-up series (see the module's rules): the assessments of each
    organisation and unit (``unit_key``), each list by date; units with the most
    assessments first, then by name. Give assessments of one bank and version (a
    comparison's, or ``previous`` picks them)."""
    grouped: dict[tuple[str, str], list[D]] = {}
    for s in snapshots:
        grouped.setdefault(unit_key(s.organisation, s.unit), []).append(s)
    order = sorted(grouped, key=lambda k: (-len(grouped[k]), k))
    return {k: by_date(grouped[k]) for k in order}


def previous(items: Iterable[D], key: str) -> D | None:
    """The assessment right before ``key`` in its unit's follow-up series – same
    organisation and unit, same bank and bank version, the one before it by date (the
    same date: by key) – or ``None`` (the first of its unit, or ``key`` not among them)."""
    items = list(items)
    current = next((i for i in items if i.key == key), None)
    if current is None:
        return None
    same = [i for i in items if (i.bank_id, i.bank_version) == (current.bank_id, current.bank_version)
            and unit_key(i.organisation, i.unit) == unit_key(current.organisation, current.unit)]
    series = by_date(same)
    at = next(n for n, i in enumerate(series) if i.key == key)
    return series[at - 1] if at > 0 else None


@dataclass(frozen=True)
class UnitTimeline:
    """One unit's follow-up series: its name (the latest assessment's spelling) and its
    timeline. ``has_trend`` is false for a unit with one assessment: no change is given."""

    key: tuple[str, str]
    name: str
    line: Timeline

    @property
    def has_trend(self) -> bool:
        return len(self.line.snapshots) > 1


def timelines(snapshots: Iterable[Snapshot], bank: Bank) -> list[UnitTimeline]:
    """Over time, per unit (``units`` order): one timeline for each unit's own assessments,
    never one across units."""
    return [UnitTimeline(key, series[-1].unit_name, timeline(series, bank))
            for key, series in units(snapshots).items()]


# --- across units ---------------------------------------------------------------------------

def latest_per_unit(snapshots: Iterable[Snapshot]) -> list[Snapshot]:
    """The latest snapshot of each organisation and unit, by name."""
    latest = {key: group[-1] for key, group in units(snapshots).items()}
    return [latest[k] for k in sorted(latest)]


@dataclass(frozen=True)
class AreaSpread:
    id: str
    min: float | None
    median: float | None
    max: float | None
    units: int                   # units with a score for the area
    lowest: list[Snapshot]       # the units at the minimum
    highest: list[Snapshot]      # the units at the maximum


def spread(snapshots: Sequence[Snapshot], bank: Bank) -> list[AreaSpread]:
    """Per area (bank order) the min, median and max score over the units that have one."""
    result = []
    for area in bank.areas:
        scored = [(s, s.area(area.id).score) for s in snapshots
                  if s.area(area.id) is not None]
        if not scored:
            continue
        values = [v for _, v in scored if v is not None]
        if not values:
            result.append(AreaSpread(area.id, None, None, None, 0, [], []))
            continue
        low, high = min(values), max(values)
        result.append(AreaSpread(
            area.id, low, statistics.median(values), high, len(values),
            [s for s, v in scored if v is not None and abs(v - low) < _EPSILON],
            [s for s, v in scored if v is not None and abs(v - high) < _EPSILON],
        ))
    return result


@dataclass(frozen=True)
class BelowTarget:
    area: str
    snapshot: Snapshot
    level: float
    target: float

    @property
    def gap(self) -> float:
        return self.target - self.level


def furthest_below_target(snapshots: Sequence[Snapshot], bank: Bank,
                          limit: int = BELOW_TARGET_LIMIT) -> dict[str, list[BelowTarget]]:
    """Per area (bank order) the ``limit`` units whose mean level is furthest below their
    own target; units at or above target are not listed."""
    result: dict[str, list[BelowTarget]] = {}
    for area in bank.areas:
        below = []
        for s in snapshots:
            a = s.area(area.id)
            if a is not None and a.mean_level is not None and a.target - a.mean_level > _EPSILON:
                below.append(BelowTarget(area.id, s, a.mean_level, a.target))
        below.sort(key=lambda b: (-b.gap, b.snapshot.unit_key, b.snapshot.key))
        if below:
            result[area.id] = below[:limit]
    return result


# --- against the national survey ------------------------------------------------------------

@dataclass(frozen=True)
class NationalItem:
    """One question with a national reference value, for one or several assessments."""

    id: str
    area: str
    reference: Reference
    values: list[Value]          # each assessment's value, in the order given
    positive_answers: int
    counted_answers: int         # levels and Vet ej; Ej aktuellt left out
    positive_organisations: int  # value a level ≥ 1
    counted_organisations: int   # value a level or Vet ej

    @property
    def share_positive(self) -> float | None:
        """Of all answers in all the assessments (the roll-up rule), 0–1."""
        return self.positive_answers / self.counted_answers if self.counted_answers else None

    @property
    def difference(self) -> float | None:
        """``share_positive`` − the national share, in percentage points."""
        share = self.share_positive
        return None if share is None else 100 * share - self.reference.share_positive

    @property
    def organisations_share(self) -> float | None:
        """Of the organisations (like the national figure, one answer per municipality), 0–1."""
        if not self.counted_organisations:
            return None
        return self.positive_organisations / self.counted_organisations

    @property
    def organisations_difference(self) -> float | None:
        share = self.organisations_share
        return None if share is None else 100 * share - self.reference.share_positive


def has_reference(bank: Bank) -> bool:
    return national_reference(bank) is not None


def national_reference(bank: Bank) -> Reference | None:
    """The bank's first national reference value (its year and n name the survey)."""
    return next((q.reference for _, q in bank.question_index().values() if q.reference), None)


def national_label(bank: Bank, lang: str) -> str:
    """What the national figure is, in words, with the survey's year and n from the bank:
    "Andel kommuner i riket som svarade att den nationella handlingsplanen har påverkat
    detta (Ja, till stor del eller Ja, till vissa delar), 2023, n = 211"."""
    reference = national_reference(bank)
    return "" if reference is None else translate(lang, "compare.national_label",
                                                  year=reference.year, n=reference.n)


def national(snapshots: Sequence[Snapshot], bank: Bank) -> list[NationalItem]:
    """Every question with a national reference (bank order), for ``snapshots`` together –
    give ``latest_per_unit`` so that no organisation counts twice."""
    items = []
    for area, question in bank.question_index().values():
        if question.reference is None:
            continue
        positive = counted = orgs_positive = orgs_counted = 0
        values = []
        for s in snapshots:
            q = s.question(question.id)
            values.append(None if q is None else q.value)
            if q is None:
                continue
            positive += q.positive_answers
            counted += q.counted_answers
            if is_numeric(q.value):
                orgs_counted += 1
                orgs_positive += q.value >= 1
            elif q.value == UNKNOWN:
                orgs_counted += 1
        items.append(NationalItem(question.id, area.id, question.reference, values, positive,
                                  counted, orgs_positive, orgs_counted))
    return items


# --- the command line's JSON ----------------------------------------------------------------

def compare_to_dict(snapshots: Sequence[Snapshot], bank: Bank) -> dict:
    """The JSON document of ``compare --json`` (docs/compare.md):

    - ``bank``: ``{"id", "version"}``;
    - ``assessments``: every file by date, ``{"file", "date", "organisation", "unit"}``;
    - ``over_time``: one entry per unit (``units`` order), ``{"organisation", "unit",
      "name", "files", "dates", "trend", "areas": [{"id", "scores", "change"}],
      "questions": [{"id", "values", "change"}]}`` – scores and values one per file of
      that unit, in ``files`` order; ``change`` = last − first of the unit. ``trend`` is
      false for a unit with one assessment, and every ``change`` is then null;
    - ``national`` (banks with national reference values, else null): the latest
      assessment of each unit together, ``{"files", "questions": [{"id", "reference":
      {"share_positive", "change", "n", "year"}, "share_positive", "difference",
      "organisations_share", "organisations_difference", "answers"}]}`` – shares 0–1 of
      ours, the reference and the differences in percentage points as the seed prints them.
    """
    ordered = by_date(snapshots)
    over_time = []
    for unit in timelines(ordered, bank):
        line, last = unit.line, unit.line.snapshots[-1]
        over_time.append({
            "organisation": last.organisation, "unit": last.unit, "name": unit.name,
            "files": [s.key for s in line.snapshots],
            "dates": [s.date.isoformat() for s in line.snapshots],
            "trend": unit.has_trend,
            "areas": [{"id": a.id, "scores": [rounded(v) for v in a.scores],
                       "change": rounded(a.change)} for a in line.areas],
            "questions": [{"id": q.id, "values": [_json_value(v) for v in q.values],
                           "change": rounded(q.change)} for q in line.questions],
        })
    return {
        "bank": {"id": bank.id, "version": bank.version},
        "assessments": [
            {"file": s.key, "date": s.date.isoformat(), "organisation": s.organisation,
             "unit": s.unit}
            for s in ordered
        ],
        "over_time": over_time,
        "national": _national_dict(ordered, bank) if has_reference(bank) else None,
    }


def _national_dict(snapshots: Sequence[Snapshot], bank: Bank) -> dict:
    latest = latest_per_unit(snapshots)
    return {
        "files": [s.key for s in latest],
        "questions": [
            {"id": item.id,
             "reference": {"share_positive": _figure(item.reference.share_positive),
                           "change": _figure(item.reference.change), "n": item.reference.n,
                           "year": item.reference.year},
             "share_positive": rounded(item.share_positive),
             "difference": rounded(item.difference),
             "organisations_share": rounded(item.organisations_share),
             "organisations_difference": rounded(item.organisations_difference),
             "answers": item.counted_answers}
            for item in national(latest, bank)
        ],
    }


def _figure(value: float) -> float | int:
    """A printed figure as printed: 72, not 72.0."""
    return int(value) if float(value).is_integer() else value


def _json_value(value: Value):
    return rounded(value) if isinstance(value, float) else value


