"""The draft local action plan (handlingsplan): activities the team moves from the ranked list
into the plan, grouped by the area they belong to."""

from __future__ import annotations

import datetime as dt

from assessment.bank import Bank
from assessment.document import Action, ActionStatus, Assessment
from assessment.i18n import translate

TITLE_LIMIT = 200


def default_title(bank: Bank, question_id: str, lang: str = "sv") -> str:
    """A starting title for a new action: the plan's activity, with a capital first letter."""
    text = bank.question(question_id).activity.get(lang).strip()
    text = text[:1].upper() + text[1:]
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1].rstrip() + "…"


def new_action(bank: Bank, question_id: str, lang: str = "sv") -> Action:
    return Action(activity=question_id, title=default_title(bank, question_id, lang),
                  status=ActionStatus.planned)


def planned_activities(assessment: Assessment) -> set[str]:
    return {a.activity for a in assessment.actions}


def grouped_by_area(assessment: Assessment, bank: Bank) -> list[tuple[str, list[Action]]]:
    """The actions grouped by the area of their activity, in bank order; within an area by due
    date (undated last) and then in the order they were added."""
    index = bank.question_index()
    order = {qid: i for i, qid in enumerate(index)}
    groups: dict[str, list[tuple[int, Action]]] = {}
    for position, action in enumerate(assessment.actions):
        area = index[action.activity][0].id
        groups.setdefault(area, []).append((position, action))
    result = []
    for area in bank.areas:
        items = groups.get(area.id)
        if not items:
            continue
        items.sort(key=lambda pa: (pa[1].due or dt.date.max, order[pa[1].activity], pa[0]))
        result.append((area.id, [a for _, a in items]))
    return result


def rows_from_editor(rows: list[dict], known_activities: set[str],
                     lang: str = "sv") -> tuple[list[Action], list[str]]:
    """Turn the action-plan editor's rows back into actions; problems name the row and field.

    Rows with an unknown activity or an empty title are reported, never silently dropped.
    """
    actions: list[Action] = []
    problems: list[str] = []
    for i, row in enumerate(rows, start=1):
        activity = (row.get("activity") or "").strip()
        title = (row.get("title") or "").strip()
        if not activity and not title:
            continue
        if activity not in known_activities:
            problems.append(translate(lang, "plan.error_activity", row=i, activity=activity))
            continue
        if not title:
            problems.append(translate(lang, "plan.error_title", row=i))
            continue
        due = row.get("due")
        if isinstance(due, dt.datetime):
            due = due.date()
        elif isinstance(due, str) and due:
            try:
                due = dt.date.fromisoformat(due[:10])
            except ValueError:
                problems.append(translate(lang, "plan.error_due", row=i, due=due))
                continue
        status = row.get("status") or ActionStatus.planned.value
        try:
            actions.append(Action(
                activity=activity, title=title[:TITLE_LIMIT], owner=(row.get("owner") or "")[:200],
                due=due or None, status=ActionStatus(status), note=(row.get("note") or "")[:2000],
            ))
        except ValueError as exc:
            problems.append(translate(lang, "plan.error_other", row=i, reason=str(exc)))
    return actions, problems


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


def action_rows(actions: list[Action]) -> list[dict]:
    """Actions as editor rows (plain values)."""
    return [
        {"activity": a.activity, "title": a.title, "owner": a.owner, "due": a.due,
         "status": a.status.value, "note": a.note}
        for a in actions
    ]
