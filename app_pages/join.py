"""Delta: a participant joins a live workshop with its code and answers on their own phone.

The join link (its QR code) is ``/delta?l=<link secret>``: the secret cannot be guessed, so it
is never counted as a typed code. ``/delta?kod=CODE`` (the code typed, or an old link) is a
typed code and counted. Joins of either kind are limited per address and session. After
joining, the participant's token is kept in the page address (``?t=…``): a reload or a lost
connection continues where they were. The answers
are given on the same answer sheet as Självskattning (``app_pages/answer_sheet.py``), one
area at a time, read-only while answering is closed. The page reads and writes only through
the store's participant-token methods (``assessment.answer_sheet.TokenAnswers``), so it shows the
participant's own answers and nothing else, and never learns which assessment it is.
"""

from __future__ import annotations

import os
import secrets

import streamlit as st

from app_pages import answer_sheet, context
from app_pages.context import t
from app_pages.markdown import plain
from app_pages.state import session
from assessment.answer_sheet import TokenAnswers, first_unanswered
from assessment.document import MAX_NAME
from assessment.progress import overall_progress
from assessment.storage import (
    AccessDenied,
    ParticipantView,
    StorageError,
    TooManyAttempts,
    WorkshopClosed,
    WorkshopFull,
)
from assessment.workshop import JoinLimits, normalise_code
from assessment.workshop.progress import day_scope

# Typed codes and joins, counted in the database (so every replica counts the same ones): codes
# 5 per browser session and 100 per client address (a whole room is often behind one), joins
# 3 and 60, in 10 minutes; the facilitator can lift the locks of their room's address on the
# Workshop page.
LIMITS = JoinLimits()
AREA_KEY = "join_area"  # names the area the participant's sheet shows (PageState.areas)
ENV_CLIENT_HEADER = "PSA_CLIENT_ADDRESS_HEADER"


def _limit_keys() -> tuple[str, str]:
    """(client address, browser session): the two streams a code attempt counts in. The
    session's stream is a random id kept in its session state."""
    memory = session()
    if memory.join_stream is None:
        memory.join_stream = secrets.token_hex(16)
    return client_address(), memory.join_stream


def client_address() -> str:
    """The client's address; behind a proxy, the first address of the header named by
    ``PSA_CLIENT_ADDRESS_HEADER`` (e.g. ``X-Forwarded-For``), which only the proxy may set."""
    address = None
    try:
        header = os.environ.get(ENV_CLIENT_HEADER, "").strip()
        if header:
            forwarded = st.context.headers.get(header)
            address = forwarded.split(",")[0].strip() if isinstance(forwarded, str) else None
        else:
            address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context (bare mode): no address
        address = None
    return address if isinstance(address, str) and address else "unknown"


def render() -> None:
    st.set_page_config(layout="centered")  # one column: works on a phone
    token = st.query_params.get("t") or session().join_token
    if token:
        try:
            view = context.store().participant_view(token)
        except AccessDenied:
            _forget_token()
            st.error(t("workshop.join.bad_link"))
        except StorageError as exc:
            st.error(t("workshop.join.error", reason=plain(str(exc))))
            return
        else:
            session().join_token = token
            if st.query_params.get("t") != token:
                st.query_params["t"] = token
            _answering(token, view)
            return
    _joining()


def _forget_token() -> None:
    session().join_token = None
    if "t" in st.query_params:
        del st.query_params["t"]


# --- joining -----------------------------------------------------------------------------

def _joining() -> None:
    st.title(t("workshop.join.title"))
    link = st.query_params.get("l")
    if link:  # the join link: its secret cannot be guessed, so it is not a typed code
        workshop = _found("l", lambda: context.store().workshop_by_link(link),
                          "workshop.join.bad_join_link")
        if workshop is not None:
            _details(workshop, link, "l")
        return
    client, stream = _limit_keys()
    typed = st.query_params.get("kod")
    if typed is None:  # the form, unless this browser must wait
        try:
            wait = context.store().join_wait(client, stream, LIMITS)
        except StorageError as exc:
            st.error(t("workshop.join.error", reason=plain(str(exc))))
            return
        if wait > 0:
            st.error(t("workshop.join.too_many", seconds=int(wait) + 1))
        else:
            _code_form()
        return
    code = normalise_code(typed)
    # Counted and checked before the code is looked at, in one transaction.
    workshop = _found("kod", lambda: context.store().check_join_code(code, client, stream, LIMITS),
                      "workshop.join.wrong_code")
    if workshop is not None:
        _details(workshop, code, "kod")


def _found(param: str, find, wrong: str):
    """The workshop ``find()`` gives for query parameter ``param``; ``None`` after saying why
    in words (and the code form again when it finds none)."""
    try:
        workshop = find()
    except TooManyAttempts as exc:
        st.error(t("workshop.join.too_many", seconds=int(exc.retry_after) + 1))
        return None
    except StorageError as exc:
        st.error(t("workshop.join.error", reason=plain(str(exc))))
        return None
    if workshop is None:
        del st.query_params[param]
        st.error(t(wrong))
        _code_form()
    return workshop


def _details(workshop, key: str, param: str) -> None:
    """The name form, then the join by ``key`` (a code or the link's secret) from query
    parameter ``param``."""
    if workshop.state != "open":
        st.info(t("workshop.join.closed"))
        return
    st.success(t("workshop.join.found"))
    if workshop.anonymous:
        st.caption(t("workshop.join.anonymous"))
    with st.form("join_details"):
        name = "" if workshop.anonymous else st.text_input(
            t("workshop.join.name"), max_chars=MAX_NAME, key="join_name")
        role = "" if workshop.anonymous else st.text_input(
            t("workshop.join.role"), max_chars=MAX_NAME, key="join_role")
        submitted = st.form_submit_button(t("workshop.join.join"), type="primary", width="stretch")
    if not submitted:
        return
    if not workshop.anonymous and not name.strip():
        st.error(t("workshop.join.name_required"))
        return
    client, stream = _limit_keys()
    try:
        token = context.store().join(key, name.strip(), role.strip(), client, stream, LIMITS)
    except TooManyAttempts as exc:
        st.error(t("workshop.join.too_many_joins", seconds=int(exc.retry_after) + 1))
        return
    except WorkshopClosed:
        st.info(t("workshop.join.closed"))
        return
    except WorkshopFull:
        st.warning(t("workshop.join.full"))
        return
    except AccessDenied:
        st.error(t("workshop.join.wrong_code"))
        return
    except StorageError as exc:
        st.error(t("workshop.join.error", reason=plain(str(exc))))
        return
    session().join_token = token
    del st.query_params[param]
    st.query_params["t"] = token
    # Stays: the join is made in this run, after the code was counted and checked in it (the
    # rate limit counts each check) and its four kinds of refusal are drawn in place; the
    # rerun draws the answer sheet of the token just put in the address.
    st.rerun()


def _code_form() -> None:
    st.caption(t("workshop.join.intro"))
    with st.form("join_code"):
        st.text_input(t("workshop.join.code"), max_chars=12, key="join_code")
        st.form_submit_button(t("workshop.join.find"), type="primary", width="stretch",
                              on_click=_find_code)


def _find_code() -> None:
    """*Hitta workshoppen*'s callback: the code goes into the address (``?kod=``), and the run
    it starts counts and checks it."""
    st.query_params["kod"] = (st.session_state.get("join_code") or "").strip()[:12] or "-"


# --- answering ---------------------------------------------------------------------------

def _answering(token: str, view: ParticipantView) -> None:
    bank = context.banks().get(view.bank_id)
    st.title(t("workshop.join.title"))
    st.caption(plain(view.org_name + (f" – {view.unit}" if view.unit else "")))
    if bank is None:
        st.error(t("common.bank_missing", bank=plain(view.bank_id)))
        return
    who = view.name or ""
    st.caption((t("workshop.join.you", who=plain(who)) if who else t("workshop.join.you_anonymous"))
               + " " + t("workshop.join.own_only"))
    if view.state == "closed":
        st.info(t("workshop.join.answering_closed"))
    elif view.state == "consensus":
        st.info(t("workshop.join.consensus"))
    areas = day_scope(bank, view.audience, view.areas)
    shown = session().areas
    if areas and shown.get(AREA_KEY) not in {a.id for a, _ in areas}:
        # A participant starts (or comes back) where something is left to answer.
        missing = first_unanswered(areas, view.answers)
        shown[AREA_KEY] = missing[0] if missing else areas[0][0].id
    overall = overall_progress(areas, view.answers)
    if overall.total and overall.answered == overall.total:
        st.success(t("workshop.join.all_done"))
    # The same answer sheet as Självskattning, saving through the token.
    answer_sheet.sheet(TokenAnswers(context.store(), token, view.participant_id), bank, areas,
                       area_key=AREA_KEY)
    st.caption(t("workshop.join.keep_link"))
