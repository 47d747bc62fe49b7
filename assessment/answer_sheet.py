"""The questionnaire's answer sheet, without any UI: what one area shows to the person
entering one participant's answers, and the events the sheet sends back, checked.

The app draws the sheet in the browser (``app_pages/answer_sheet.py``) on every page where
someone answers: Självskattning, where one person enters a participant's answers, Delta,
where a participant answers on their own phone, and Samsyn, where the team records the level
it agreed on (the sheet's comment is the note from the discussion). What differs between
them – whose answers, how they are saved, whether they can still be changed – is an
``AnswerSource`` (``StoreAnswers``, ``TokenAnswers`` or ``ConsensusAnswers``), not another UI. Everything the browser sends is
untrusted, so an event names an answer by its position among the scale's
options and a question or area by its id, and ``parse_event`` refuses anything outside the
assessment's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal, Protocol, get_args

from assessment.bank import Bank, Question
from assessment.document import MAX_TEXT
from assessment.progress import Scope, area_progress, overall_progress, unanswered
from assessment.storage import WorkshopClosed

Answers = dict[str, tuple[object, str]]   # question id → (value, comment)
Translate = Callable[..., str]            # (key, **values) → text in the UI's language
EventKind = Literal["answer", "comment", "clear", "area", "jump"]
KINDS: tuple[EventKind, ...] = get_args(EventKind)


class BadEvent(ValueError):
    """An event from the browser that does not fit the sheet (never shown as a traceback)."""


@dataclass(frozen=True)
class SheetEvent:
    kind: EventKind
    question: str | None = None
    value: int | str | None = None      # an answer's value (kind "answer")
    text: str = ""                      # a comment (kind "comment")
    area: str | None = None             # the area to show (kind "area")


def parse_event(raw: object, bank: Bank, areas: Scope) -> SheetEvent:
    """The event the browser sent, checked against the scale and the questions in scope."""
    if not isinstance(raw, dict):
        raise BadEvent(f"an event must be an object, not {type(raw).__name__}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise BadEvent(f"unknown event kind {kind!r}")
    if kind == "jump":
        return SheetEvent("jump")
    if kind == "area":
        area = raw.get("area")
        if not isinstance(area, str) or area not in {a.id for a, _ in areas}:
            raise BadEvent(f"area {area!r} is not in this assessment")
        return SheetEvent("area", area=area)
    question = raw.get("question")
    if not isinstance(question, str) or question not in {q.id for _, qs in areas for q in qs}:
        raise BadEvent(f"question {question!r} is not in this assessment")
    if kind == "clear":
        return SheetEvent("clear", question=question)
    if kind == "comment":
        text = raw.get("text")
        if not isinstance(text, str):
            raise BadEvent("a comment must be text")
        if len(text) > MAX_TEXT:
            raise BadEvent(f"a comment may have at most {MAX_TEXT} characters, not {len(text)}")
        return SheetEvent("comment", question=question, text=text)
    options = bank.scale.options()
    index = raw.get("option")
    if type(index) is not int or not 0 <= index < len(options):
        raise BadEvent(f"option {index!r} is not one of the scale's {len(options)} answers")
    return SheetEvent("answer", question=question, value=options[index])


MAX_EVENT_ID = 64


def event_id(raw: object) -> str | None:
    """The id the browser gave an event, sent back in the next sheet (``sheet_data``'s
    ``ack``) so that the browser knows it arrived; None for an event without a proper one."""
    ident = raw.get("id") if isinstance(raw, dict) else None
    return ident if isinstance(ident, str) and len(ident) <= MAX_EVENT_ID else None


@dataclass(frozen=True)
class Applied:
    """What an applied event asks of the page: a note for its question (a text key), the
    area to show, a question to scroll to."""
    note: str | None = None
    area: str | None = None
    focus: str | None = None


class AnswerSource(Protocol):
    """Whose answers a sheet shows and how it saves them: what the pages that draw the sheet
    do differently. ``key`` names the sheet (one per person answering, ``participant_id``).
    A write refused because answering is closed raises ``WorkshopClosed``."""
    key: str
    participant_id: str

    def read(self) -> tuple[Answers, bool]:
        """The answers, and whether they can be changed now."""

    def set(self, question: str, value, comment: str | None) -> None:
        """Save an answer; ``comment=None`` keeps the comment the answer has."""

    def set_comment(self, question: str, comment: str) -> bool:
        """Save only the comment of an answer (a level saved meanwhile stays); False, and
        nothing saved, when the question has no answer."""

    def clear(self, question: str) -> None:
        """Remove an answer."""


@dataclass(frozen=True)
class StoreAnswers:
    """A participant of an assessment, through the ``Store`` (Självskattning)."""
    store: object
    assessment_id: str
    participant_id: str

    @property
    def key(self) -> str:
        return f"sheet|{self.assessment_id}|{self.participant_id}"

    def read(self) -> tuple[Answers, bool]:
        return (self.store.participant_answers(self.assessment_id, self.participant_id),
                self.store.may_change(self.assessment_id))  # a reader's are read-only

    def set(self, question: str, value, comment: str | None) -> None:
        self.store.set_answer(self.assessment_id, self.participant_id, question, value,
                              comment=comment)

    def set_comment(self, question: str, comment: str) -> bool:
        return self.store.set_answer_comment(self.assessment_id, self.participant_id, question,
                                             comment)

    def clear(self, question: str) -> None:
        self.store.clear_answer(self.assessment_id, self.participant_id, question)


@dataclass(frozen=True)
class TokenAnswers:
    """The participant of a workshop token, through the store's token methods (Delta): their
    own answers only, changed only while the workshop is open for answers."""
    store: object
    token: str
    participant_id: str  # names the sheet (the token itself stays out of the page)

    @property
    def key(self) -> str:
        return f"sheet|delta|{self.participant_id}"

    def read(self) -> tuple[Answers, bool]:
        view = self.store.participant_view(self.token)
        return view.answers, view.state == "open"

    def set(self, question: str, value, comment: str | None) -> None:
        self.store.answer_as_participant(self.token, question, value, comment)

    def set_comment(self, question: str, comment: str) -> bool:
        return self.store.comment_as_participant(self.token, question, comment)

    def clear(self, question: str) -> None:
        self.store.clear_answer_as_participant(self.token, question)


@dataclass(frozen=True)
class ConsensusAnswers:
    """The levels the team agreed on for an assessment and their notes, through the ``Store``
    (Samsyn). ``question`` names the sheet when each question has one of its own."""
    store: object
    assessment_id: str
    question: str = ""
    participant_id: str = "consensus"  # no participant's: the team's

    @property
    def key(self) -> str:
        return f"sheet|consensus|{self.assessment_id}|{self.question}"

    def read(self) -> tuple[Answers, bool]:
        agreed = self.store.load(self.assessment_id).consensus
        return ({c.question: (c.value, c.note) for c in agreed},
                self.store.may_change(self.assessment_id))  # a reader's are read-only

    def set(self, question: str, value, comment: str | None) -> None:
        self.store.set_consensus(self.assessment_id, question, value, comment)

    def set_comment(self, question: str, comment: str) -> bool:
        return self.store.set_consensus_note(self.assessment_id, question, comment)

    def clear(self, question: str) -> None:
        self.store.clear_consensus(self.assessment_id, question)


def apply_event(source: AnswerSource, event: SheetEvent, areas: Scope) -> Applied:
    """Save what ``event`` changes through ``source`` and say what the sheet shows next.

    A new level keeps the answer's comment and a comment the answer's level, each written
    alone so that two tabs saving one answer's level and comment at once keep both; a comment
    needs an answer to go with it (it is not saved on its own); "jump" goes to the first
    question without an answer. A write refused because answering is closed is noted on its
    question, not saved.
    """
    question = event.question
    try:
        if event.kind == "answer":
            source.set(question, event.value, None)
            return Applied(note="questionnaire.saved")
        if event.kind == "comment":
            if not source.set_comment(question, event.text):
                return Applied(note="questionnaire.comment_needs_answer")
            return Applied(note="questionnaire.saved")
        if event.kind == "clear":
            source.clear(question)
            return Applied(note="questionnaire.cleared")
    except WorkshopClosed:
        return Applied(note="workshop.join.not_saved")
    if event.kind == "area":
        return Applied(area=event.area)
    missing = first_unanswered(areas, source.read()[0])
    return Applied(area=missing[0], focus=missing[1]) if missing else Applied()


def first_unanswered(areas: Scope, answers: Answers) -> tuple[str, str] | None:
    """(area id, question id) of the first question in scope without an answer."""
    missing = unanswered(areas, answers)
    return missing[0] if missing else None


def sheet_data(bank: Bank, areas: Scope, area_id: str,
               answers: Answers, lang: str, t: Translate, *,
               status: dict[str, str] | None = None, focus: str | None = None,
               focus_seq: int = 0, ack: str | None = None, read_only: bool = False,
               heading: str | None = None, texts: dict[str, str] | None = None) -> dict:
    """Everything the browser needs to draw one area of the sheet (JSON-ready).

    With a ``heading`` the sheet draws the questions alone (mode "questions"), each named by
    its id and the heading ("G1.5 Enad nivå") instead of its text, without the area's title,
    progress and navigation: the page shows the question and what goes with it above the
    sheet (Samsyn). ``texts`` replaces some of the sheet's texts ("comment", "clear").

    ``status`` maps a question id to a short note for it ("Sparat"); ``focus`` names a
    question to scroll to, once per new ``focus_seq``; ``ack`` is the id of the last event
    this session handled (``event_id``); ``read_only`` shows the answers without letting them
    be changed (answering is closed). Text is plain: the browser shows it as text, never
    as HTML or Markdown.
    """
    status = status or {}
    area, questions = next((a, qs) for a, qs in areas if a.id == area_id)
    options = bank.scale.options()
    scale = bank.scale
    hints = [level.descriptor for level in scale.levels] + [scale.unknown.descriptor] + (
        [scale.na.descriptor] if scale.na else [])
    missing = first_unanswered(areas, answers)
    progress = area_progress(areas, answers)
    here = next(p for p in progress if p.area == area_id)
    overall = overall_progress(areas, answers)
    done, total = overall.answered, overall.total
    return {
        "lang": lang,
        "mode": "questions" if heading else "area",
        "options": [{"label": scale.label(v, lang), "hint": h.get(lang) if h else ""}
                    for v, h in zip(options, hints)],
        "overall": {"done": done, "total": total,
                    "text": t("questionnaire.overall_progress", done=done, total=total)},
        "areas": [{"id": a.id, "name": a.name.get(lang), "done": p.answered, "total": p.total}
                  for (a, _), p in zip(areas, progress)],
        "area": {
            "id": area.id,
            "title": f"{area.id} · {area.name.get(lang)}",
            "aim": area.aim.get(lang),
            "time": t(f"time.{area.time_perspective.value}_long") if area.time_perspective else "",
            "done": here.answered,
            "total": here.total,
        },
        "questions": [_question(bank, area.id, q, answers.get(q.id), options, lang, t,
                                   status.get(q.id, ""), heading)
                      for q in questions],
        "previous": _neighbour(areas, area_id, -1),
        "next": _neighbour(areas, area_id, +1),
        "missing": total - done,
        "first_missing": {"area": missing[0], "question": missing[1]} if missing else None,
        "focus": {"question": focus, "seq": focus_seq} if focus else None,
        "ack": ack,
        "read_only": read_only,
        "max_comment": MAX_TEXT,
        "texts": {key: t(f"questionnaire.{key}") for key in (
            "areas", "only_missing", "area_done", "all_done", "guidance", "comment",
            "comment_placeholder", "clear", "saving", "not_saved", "scale_help")}
        | {"answer_label": t("questionnaire.answer_label", id="{id}"),
           "area_progress": t("questionnaire.area_progress", done="{done}", total="{total}"),
           "jump": t("questionnaire.jump", count="{count}"),
           "previous": t("questionnaire.previous_area", area="{area}"),
           "next": t("questionnaire.next_area", area="{area}")} | (texts or {}),
    }


def _question(bank: Bank, area_id: str, q: Question, existing: tuple[object, str] | None,
              options: list, lang: str, t: Translate, status: str,
              heading: str | None = None) -> dict:
    value, comment = existing if existing else (None, "")
    scale = bank.scale
    areas = bank.areas_of(q.id)
    others = [a for a in areas if a != area_id]
    return {
        "id": q.id,
        "text": heading or q.text.get(lang),
        "activity": t("questionnaire.activity", activity=bank.activity_in(q, area_id).get(lang)),
        # One activity, one question: answered once, it counts in each of its areas.
        "shared": t("questionnaire.shared", areas=" och ".join(others) if lang == "sv"
                    else " and ".join(others)) if others else "",
        "examples": [{"level": scale.label(level, lang), "text": text.get(lang)}
                     for level, text in sorted(q.guidance.items())],
        "targets": t("questionnaire.competence_targets", targets="; ".join(
            f"{n} {bank.competence_target(n).name.get(lang)}" for n in q.competence_targets))
        if q.competence_targets else "",
        "option": options.index(value) if value in options else None,
        "comment": comment,
        "status": status,
    }


def _neighbour(areas: Scope, area_id: str, step: int) -> str | None:
    ids = [a.id for a, _ in areas]
    i = ids.index(area_id) + step
    return ids[i] if 0 <= i < len(ids) else None
