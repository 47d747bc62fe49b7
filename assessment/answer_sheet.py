"""The questionnaire's answer sheet, without any UI: what one area shows to the person
entering one participant's answers, and the events the sheet sends back, checked.

The app draws the sheet in the browser (``app_pages/answer_sheet.py``); everything the
browser sends is untrusted, so an event names an answer by its position among the scale's
options and a question or area by its id, and ``parse_event`` refuses anything outside the
assessment's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal, get_args

from assessment.answer_edits import with_answer, without_answer
from assessment.bank import Bank, Question
from assessment.document import MAX_TEXT, Assessment
from assessment.progress import Scope, area_progress, overall_progress, unanswered
from assessment.storage import WriteStamp

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
        if area not in {a.id for a, _ in areas}:
            raise BadEvent(f"area {area!r} is not in this assessment")
        return SheetEvent("area", area=area)
    question = raw.get("question")
    if question not in {q.id for _, qs in areas for q in qs}:
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
    area to show, a question to scroll to; and for a write, the versions it went between
    (a ``WriteStamp``) and the same change for an assessment already loaded (``edit``)."""
    note: str | None = None
    area: str | None = None
    focus: str | None = None
    stamp: WriteStamp | None = None
    edit: Callable[[Assessment], Assessment] | None = None


def apply_event(store, assessment_id: str, participant_id: str, event: SheetEvent,
                areas: Scope) -> Applied:
    """Save what ``event`` changes (``store`` is a ``Store``) and say what the sheet shows next.

    A new level keeps the answer's comment; a comment needs an answer to go with it (it is
    not saved on its own); "jump" goes to the first question without an answer.
    """
    aid, pid, question = assessment_id, participant_id, event.question
    if event.kind == "answer":
        stamp = store.set_answer(aid, pid, question, event.value, comment=None)
        return Applied(note="questionnaire.saved", stamp=stamp,
                       edit=lambda a: with_answer(a, pid, question, event.value, None))
    if event.kind == "comment":
        existing = store.participant_answers(aid, pid).get(question)
        if existing is None:
            return Applied(note="questionnaire.comment_needs_answer")
        stamp = store.set_answer(aid, pid, question, existing[0], event.text)
        return Applied(note="questionnaire.saved", stamp=stamp,
                       edit=lambda a: with_answer(a, pid, question, existing[0], event.text))
    if event.kind == "clear":
        stamp = store.clear_answer(aid, pid, question)
        return Applied(note="questionnaire.cleared", stamp=stamp,
                       edit=lambda a: without_answer(a, pid, question))
    if event.kind == "area":
        return Applied(area=event.area)
    missing = first_unanswered(areas, store.participant_answers(aid, pid))
    return Applied(area=missing[0], focus=missing[1]) if missing else Applied()


def participant_answers(assessment: Assessment, participant_id: str) -> Answers:
    """One participant's answers in a loaded assessment, as ``Store.participant_answers``
    gives them."""
    return {a.question: (a.value, a.comment) for a in assessment.answers
            if a.participant == participant_id}


def first_unanswered(areas: Scope, answers: Answers) -> tuple[str, str] | None:
    """(area id, question id) of the first question in scope without an answer."""
    missing = unanswered(areas, answers)
    return missing[0] if missing else None


def sheet_data(bank: Bank, areas: Scope, area_id: str,
               answers: Answers, lang: str, t: Translate, *,
               status: dict[str, str] | None = None, focus: str | None = None,
               focus_seq: int = 0, ack: str | None = None) -> dict:
    """Everything the browser needs to draw one area of the sheet (JSON-ready).

    ``status`` maps a question id to a short note for it ("Sparat"); ``focus`` names a
    question to scroll to, once per new ``focus_seq``; ``ack`` is the id of the last event
    this session handled (``event_id``). Text is plain: the browser shows it as text, never
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
                                   status.get(q.id, ""))
                      for q in questions],
        "previous": _neighbour(areas, area_id, -1),
        "next": _neighbour(areas, area_id, +1),
        "missing": total - done,
        "first_missing": {"area": missing[0], "question": missing[1]} if missing else None,
        "focus": {"question": focus, "seq": focus_seq} if focus else None,
        "ack": ack,
        "max_comment": MAX_TEXT,
        "texts": {key: t(f"questionnaire.{key}") for key in (
            "areas", "only_missing", "area_done", "all_done", "guidance", "comment",
            "comment_placeholder", "clear", "saving", "not_saved", "scale_help")}
        | {"answer_label": t("questionnaire.answer_label", id="{id}"),
           "area_progress": t("questionnaire.area_progress", done="{done}", total="{total}"),
           "jump": t("questionnaire.jump", count="{count}"),
           "previous": t("questionnaire.previous_area", area="{area}"),
           "next": t("questionnaire.next_area", area="{area}")},
    }


def _question(bank: Bank, area_id: str, q: Question, existing: tuple[object, str] | None,
              options: list, lang: str, t: Translate, status: str) -> dict:
    value, comment = existing if existing else (None, "")
    scale = bank.scale
    areas = bank.areas_of(q.id)
    others = [a for a in areas if a != area_id]
    return {
        "id": q.id,
        "text": q.text.get(lang),
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
