"""The facilitator keys this browser keeps, so that a reload, a second tab or a tab closed and
opened again keeps the facilitator in.

A facilitator secret this session holds (from opening a workshop, the bookmark link or the
key form) is written into a cookie of this browser, one per workshop:
``psa_ledare_<workshop id>`` = ``<saved>:<secret>`` (``saved`` is 1 once the key was
downloaded or bookmarked), ``SameSite=Strict``, path ``/``, kept for 30 days after the last
use (the computer by the projector is often shared: *Glöm nyckeln här* drops it at once; the
key file keeps it for longer), ``Secure`` on https. Streamlit has no call that sets a
cookie, so a small script in the page does (``st.html`` with ``unsafe_allow_javascript``); a
new session reads them back from ``st.context.cookies`` (what the browser sent when it opened
the session's connection). The key is never put into an address (the projector shows the
address bar). A kept key that no longer finds its workshop (the assessment was deleted) is
dropped without a word.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Callable

import streamlit as st

from app_pages import context
from app_pages.context import t
from app_pages.state import session
from assessment.document import Assessment
from assessment.files import file_stem
from assessment.storage import AccessDenied, StorageError, Workshop
from assessment.workshop.codes import split_token

PREFIX = "psa_ledare_"
MAX_AGE = 30 * 24 * 3600  # seconds; every session that holds the key renews it
_WORKSHOP_ID = re.compile(r"[0-9a-f]{16}")
_SECRET = re.compile(r"[0-9a-f]{16}\.[A-Za-z0-9_-]{20,100}")  # as codes.new_secret makes them


def workshop_id(secret: str) -> str | None:
    """The workshop id a well-formed secret begins with, else None."""
    if not isinstance(secret, str) or not _SECRET.fullmatch(secret):
        return None
    parts = split_token(secret)
    return parts[0] if parts else None


def _cookies() -> dict[str, str]:
    try:
        return dict(st.context.cookies)
    except Exception:  # noqa: BLE001 - no request context (bare mode): nothing kept
        return {}


def restore() -> None:
    """Once per browser session (the first run): give this session the keys its browser kept,
    one per assessment (of two workshops on one, the one opened last), the newest last."""
    memory = session()
    if memory.keys_restored:
        return
    memory.keys_restored = True
    found: dict[str, tuple[Workshop, str]] = {}
    for name, value in _cookies().items():
        wid = name[len(PREFIX):] if name.startswith(PREFIX) else None
        if wid is None or not _WORKSHOP_ID.fullmatch(wid):
            continue
        saved, _, secret = value.partition(":")
        if workshop_id(secret) != wid:
            memory.keys_dropped.add(wid)
            continue
        try:
            workshop = context.store().workshop_for_secret(secret)
        except AccessDenied:  # its workshop is gone: the key opens nothing
            memory.keys_dropped.add(wid)
            continue
        except StorageError:  # e.g. of a workspace this user is no member of: kept, not used
            continue
        if saved == "1":
            memory.keys_saved.add(wid)
        known = found.get(workshop.assessment_id)
        if known is None or workshop.created_at > known[0].created_at:
            found[workshop.assessment_id] = (workshop, secret)
    for aid, (_, secret) in sorted(found.items(), key=lambda item: item[1][0].created_at):
        memory.facilitator_keys.setdefault(aid, secret)


def forget(secret: str) -> None:
    """Drop a key that no longer opens its workshop, from this session and the browser."""
    memory = session()
    for aid in [a for a, s in memory.facilitator_keys.items() if s == secret]:
        del memory.facilitator_keys[aid]
    wid = workshop_id(secret)
    if wid:
        memory.keys_dropped.add(wid)


# Kept as a hidden element of the sidebar (like frame.LANG_SCRIPT). The names and values are
# checked against _WORKSHOP_ID and _SECRET before they go in, and written as JSON.
_SCRIPT = """<span data-psa-keys hidden></span>
<style>[data-testid="stElementContainer"]:has(span[data-psa-keys]) {{ display: none; }}</style>
<script>(() => {{
  const tail = "; Path=/; SameSite=Strict" + (location.protocol === "https:" ? "; Secure" : "");
  for (const [name, value] of {keep})
    document.cookie = name + "=" + value + "; Max-Age={age}" + tail;
  for (const name of {drop}) document.cookie = name + "=; Max-Age=0" + tail;
}})();</script>"""


def write() -> None:
    """Keep every key this session holds in the browser's cookies, and delete the dropped
    ones. The script changes (and runs again) only when a key or its saved mark does. Not
    in the projector view: nothing of the key is in the page the room sees (the view before
    it has kept it)."""
    memory = session()
    if memory.projector:
        return
    keep, held = [], set()
    for secret in memory.facilitator_keys.values():
        wid = workshop_id(secret)
        if wid is not None:
            held.add(wid)
            keep.append([PREFIX + wid, f"{int(wid in memory.keys_saved)}:{secret}"])
    drop = sorted(PREFIX + wid for wid in memory.keys_dropped - held  # given again: kept
                  if _WORKSHOP_ID.fullmatch(wid))
    if keep or drop:
        st.sidebar.html(_SCRIPT.format(keep=json.dumps(sorted(keep)), drop=json.dumps(drop),
                                       age=MAX_AGE), unsafe_allow_javascript=True)


def is_saved(secret: str) -> bool:
    return workshop_id(secret) in session().keys_saved


def mark_saved(secret: str) -> None:
    wid = workshop_id(secret)
    if wid:
        session().keys_saved.add(wid)


def key_file(secret: str, link: str, assessment: Assessment, opened: dt.datetime) -> bytes:
    """The text file "Ledarens nyckel": which workshop, its bookmark link and what to do."""
    org = assessment.organisation
    return t("keys.file", organisation=org.label, date=str(assessment.date),
             opened=opened.date().isoformat(), link=link).encode("utf-8")


def download_button(secret: str, link: str, assessment: Assessment, opened: dt.datetime,
                    key: str) -> None:
    """"Ladda ner ledarens nyckel": the key file; downloading it counts as saving the key."""
    st.download_button(
        t("keys.download"), data=key_file(secret, link, assessment, opened), icon="🔑",
        file_name=f"{t('keys.file_name')}-{file_stem(assessment, 'workshop')}.txt",
        mime="text/plain", key=key, on_click=mark_saved, args=(secret,))


def leave_button(label: str, key: str, secret: str | None, leave: Callable[[], None]) -> None:
    """A button that leaves a workshop (``leave``, in its callback) at once when its key
    (``secret``; None: there is none to keep) is saved; else ``confirm_leave`` asks first."""
    st.button(label, key=key, on_click=_leave_pressed, args=(key, secret, leave))


def _leave_pressed(key: str, secret: str | None, leave: Callable[[], None]) -> None:
    if secret is None or is_saved(secret):
        leave()
    else:
        session().leaving = key


def confirm_leave(key: str, secret: str | None, leave: Callable[[], None],
                  offer: Callable[[], None]) -> None:
    """After ``leave_button(key=key)`` was pressed with the key unsaved: a warning, ``offer``
    (the key's download) and *Lämna ändå* / *Avbryt*."""
    memory = session()
    if memory.leaving != key or secret is None:
        return
    if is_saved(secret):  # saved meanwhile, with the download below
        st.success(t("keys.saved"))
    else:
        st.warning(t("keys.leave_unsaved"))
        offer()
    cols = st.columns(2)
    cols[0].button(t("keys.leave_anyway"), key=f"{key}_anyway", on_click=_leave_anyway,
                   args=(leave,))
    cols[1].button(t("keys.leave_cancel"), key=f"{key}_cancel", on_click=_leave_anyway,
                   args=(None,))


def _leave_anyway(leave: Callable[[], None] | None) -> None:
    """*Lämna ändå* (``leave``) or *Avbryt* (None): the question is answered either way."""
    session().leaving = None
    if leave is not None:
        leave()
