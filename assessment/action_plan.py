"""The draft local action plan (handlingsplan): activities the team moves from the ranked list
into the plan, laid out as seeds 002/003 lay out a local plan: per item the plan's activity, a
goal, the action, who is responsible, when, its status and how and when it is followed up;
grouped by area, and the areas by time perspective (the prerequisites G1–G4 have none).

An item without an activity of the plan is a *local action* (the team's own): it is counted
and shown like the others, last, under "Lokala åtgärder" (``LOCAL``).

The app, the workbook and the report show the same fields from ``PLAN_FIELDS`` and
``plan_values``, and the same headings from ``section_heading``, each with its own labels."""

from __future__ import annotations

import datetime as dt

from assessment.bank import Bank, TimePerspective
from assessment.document import MAX_NAME, MAX_TEXT, Action, ActionStatus, Assessment
from assessment.i18n import translate

TITLE_LIMIT = 200


# An item's fields in the order a local plan shows them (``activity_text`` is the bank's).
PLAN_FIELDS = ("activity", "activity_text", "goal", "title", "owner", "due", "status",
               "follow_up", "follow_up_date", "note")
_TEXT_LIMITS = {"title": TITLE_LIMIT, "owner": MAX_NAME, "goal": MAX_TEXT, "follow_up": MAX_TEXT,
                "note": MAX_TEXT}
_DATES = ("due", "follow_up_date")
_TYPED = ("activity", "title", "goal", "owner", "due", "follow_up", "follow_up_date", "note")
LOCAL = "local"  # the section and the group of the local actions (no activity of the plan)


def activity_text(bank: Bank, question_id: str, lang: str = "sv") -> str:
    """The plan's activity in words, with a capital first letter."""
    text = bank.question(question_id).activity.get(lang).strip()
    return text[:1].upper() + text[1:]


def default_title(bank: Bank, question_id: str, lang: str = "sv") -> str:
    """A starting title for a new action: the plan's activity."""
    text = activity_text(bank, question_id, lang)
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1].rstrip() + "…"


def plan_values(bank: Bank, action: Action, lang: str = "sv") -> dict[str, object]:
    """One item's ``PLAN_FIELDS`` as shown: texts and dates, the status in words; a local
    action's activity is "" and its text "Lokal åtgärd"."""
    return {"activity": action.activity or "",
            "activity_text": (activity_text(bank, action.activity, lang) if action.activity
                              else translate(lang, "plan.local_activity")),
            "goal": action.goal, "title": action.title, "owner": action.owner, "due": action.due,
            "status": translate(lang, f"status.{action.status.value}"),
            "follow_up": action.follow_up, "follow_up_date": action.follow_up_date,
            "note": action.note}


def new_action(bank: Bank, question_id: str, lang: str = "sv") -> Action:
    return Action(activity=question_id, title=default_title(bank, question_id, lang),
                  status=ActionStatus.planned)


def planned_activities(assessment: Assessment) -> set[str]:
    return {a.activity for a in assessment.actions if a.activity}


def grouped_by_area(assessment: Assessment, bank: Bank) -> list[tuple[str, list[Action]]]:
    """The actions grouped by the area of their activity, in bank order, the local actions
    last (``LOCAL``); within a group by due date (undated last) and then in the order they
    were added."""
    index = bank.question_index()
    order = {qid: i for i, qid in enumerate(index)}
    groups: dict[str, list[tuple[int, Action]]] = {}
    for position, action in enumerate(assessment.actions):
        area = index[action.activity][0].id if action.activity else LOCAL
        groups.setdefault(area, []).append((position, action))
    result = []
    for area_id in [*(area.id for area in bank.areas), LOCAL]:
        items = groups.get(area_id)
        if not items:
            continue
        items.sort(key=lambda pa: (pa[1].due or dt.date.max, order.get(pa[1].activity, -1), pa[0]))
        result.append((area_id, [a for _, a in items]))
    return result


Section = TimePerspective | None | str  # None: the prerequisites; ``LOCAL``: local actions


def grouped_by_perspective(assessment: Assessment, bank: Bank
                           ) -> list[tuple[Section, list[tuple[str, list[Action]]]]]:
    """``grouped_by_area`` under the areas' time perspectives: the prerequisites (None) first,
    then bakåt, nu and framåt, as the plan orders its focus areas, then the local actions
    (``LOCAL``, one group of that name); only those with items."""
    order = [None, *TimePerspective, LOCAL]
    sections: dict[Section, list[tuple[str, list[Action]]]] = {}
    for area_id, actions in grouped_by_area(assessment, bank):
        section = LOCAL if area_id == LOCAL else bank.area(area_id).time_perspective
        sections.setdefault(section, []).append((area_id, actions))
    return [(p, sections[p]) for p in order if p in sections]


def section_heading(section: Section, lang: str = "sv") -> str:
    """A section of ``grouped_by_perspective`` in words."""
    if section is None:
        return translate(lang, "prioritise.plan_prerequisites")
    if section == LOCAL:
        return translate(lang, "plan.local_title")
    return translate(lang, f"time.{section.value}")


def rows_from_editor(rows: list[dict], known_activities: set[str],
                     lang: str = "sv") -> tuple[list[Action], list[str]]:
    """Turn the action-plan editor's rows back into actions; problems name the row and field.

    A row without an activity is a local action. A row with anything typed in it but an
    unknown activity, no title or a date that is none is reported, never silently dropped;
    only a row with nothing typed (its status at most) is left out.
    """
    actions: list[Action] = []
    problems: list[str] = []
    for i, row in enumerate(rows, start=1):
        activity = (row.get("activity") or "").strip()
        title = (row.get("title") or "").strip()
        if not any(_typed(row.get(name)) for name in _TYPED):
            continue
        if activity and activity not in known_activities:
            problems.append(translate(lang, "plan.error_activity", row=i, activity=activity))
            continue
        if not title:
            problems.append(translate(lang, "plan.error_title", row=i))
            continue
        try:
            dates = {name: _date(row.get(name)) for name in _DATES}
        except ValueError as bad:
            problems.append(translate(lang, "plan.error_due", row=i, due=str(bad)))
            continue
        status = row.get("status") or ActionStatus.planned.value
        texts = {name: (row.get(name) or "")[:limit] for name, limit in _TEXT_LIMITS.items()}
        try:
            actions.append(Action(activity=activity or None, **texts, **dates,
                                  status=ActionStatus(status)))
        except ValueError as exc:
            problems.append(translate(lang, "plan.error_other", row=i, reason=str(exc)))
    return actions, problems


def _typed(value) -> bool:
    """Whether an editor cell holds something typed (not empty, blank or a missing NaN)."""
    return value is not None and value == value and str(value).strip() != ""


def _date(value) -> dt.date | None:
    """An editor cell's date (a date, a datetime, ``YYYY-MM-DD…`` text or empty); ValueError
    carries the text that is no date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            raise ValueError(value) from None
    return value or None


def apply_editor_changes(rows: list[dict], changes: dict) -> list[dict]:
    """Apply a ``st.data_editor`` change set (edited_rows, added_rows, deleted_rows) to the rows
    it was drawn from, giving the full new list of rows. Pure, so it is tested without a UI."""
    result = [dict(row) for row in rows]
    for index, edits in (changes.get("edited_rows") or {}).items():
        i = int(index)
        if 0 <= i < len(result):
            result[i].update(edits)
    deleted = {int(i) for i in changes.get("deleted_rows") or []}
    result = [row for i, row in enumerate(result) if i not in deleted]
    for added in changes.get("added_rows") or []:
        result.append(dict(added))
    return result


def action_rows(actions: list[Action], bank: Bank, lang: str = "sv") -> list[dict]:
    """Actions as editor rows (plain values, the status by its stored word), in
    ``PLAN_FIELDS`` order with the activity's text beside its id."""
    return [
        {**plan_values(bank, a, lang), "status": a.status.value}
        for a in actions
    ]
