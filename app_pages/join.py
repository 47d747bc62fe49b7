"""Delta: a participant joins a live workshop with its code and answers on their own phone.

The join link is ``/delta?kod=CODE``. After joining, the participant's token is kept in the
page address (``?t=…``): a reload or a lost connection continues where they were. The page
reads and writes only through the store's participant-token methods, so it shows the
participant's own answers and nothing else, and never learns which assessment it is.
"""

from __future__ import annotations

import os
import secrets

import streamlit as st

from app_pages import context
from app_pages.context import t
from app_pages.markdown import plain
from assessment.bank import Bank
from assessment.document import MAX_NAME, MAX_TEXT
from assessment.storage import (
    AccessDenied,
    InvalidInput,
    ParticipantView,
    StorageError,
    TooManyAttempts,
    WorkshopClosed,
)
from assessment.workshop import JoinLimits, normalise_code
from assessment.progress import overall_progress
from assessment.workshop.progress import area_questions, in_scope

# Wrong codes, counted in the database (so every replica counts the same ones): 5 per browser
# session, 100 per client address (a whole room is often behind one) in 10 minutes; the
# facilitator can lift the locks of their room's address on the Workshop page.
LIMITS = JoinLimits()
TOKEN_KEY = "join_token"
DRAWN_KEY = "join_drawn"  # set once this session has drawn the answers (and their callbacks)
ENV_CLIENT_HEADER = "PSA_CLIENT_ADDRESS_HEADER"


def _limit_keys() -> tuple[str, str]:
    """(client address, browser session): the two streams a code attempt counts in. The
    session's stream is a random id kept in its session state."""
    session = st.session_state.get("join_stream")
    if session is None:
        session = st.session_state["join_stream"] = secrets.token_hex(16)
    return client_address(), session


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
    except Exception:  # no request context (bare mode): no address
        address = None
    return address if isinstance(address, str) and address else "unknown"


def render() -> None:
    st.set_page_config(layout="centered")  # one column: works on a phone
    token = st.query_params.get("t") or st.session_state.get(TOKEN_KEY)
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
            st.session_state[TOKEN_KEY] = token
            if st.query_params.get("t") != token:
                st.query_params["t"] = token
            _answering(token, view)
            return
    _joining()


def _forget_token() -> None:
    st.session_state.pop(TOKEN_KEY, None)
    if "t" in st.query_params:
        del st.query_params["t"]


# --- joining -----------------------------------------------------------------------------

def _joining() -> None:
    st.title(t("workshop.join.title"))
    client, session = _limit_keys()
    try:
        wait = context.store().join_wait(client, session, LIMITS)
    except StorageError as exc:
        st.error(t("workshop.join.error", reason=plain(str(exc))))
        return
    if wait > 0:
        st.error(t("workshop.join.too_many", seconds=int(wait) + 1))
        return
    typed = st.query_params.get("kod")
    if typed is None:
        _code_form()
        return
    code = normalise_code(typed)
    try:  # counted and checked before the code is looked at, in one transaction
        workshop = context.store().check_join_code(code, client, session, LIMITS)
    except TooManyAttempts as exc:
        st.error(t("workshop.join.too_many", seconds=int(exc.retry_after) + 1))
        return
    except StorageError as exc:
        st.error(t("workshop.join.error", reason=plain(str(exc))))
        return
    if workshop is None:
        del st.query_params["kod"]
        st.error(t("workshop.join.wrong_code"))
        _code_form()
        return
    if workshop.state != "open":
        st.info(t("workshop.join.closed"))
        return
    st.success(t("workshop.join.found"))
    if workshop.anonymous:
        st.caption(t("workshop.join.anonymous"))
    with st.form("join_details"):
        name = "" if workshop.anonymous else st.text_input(
            t("workshop.join.name"), max_chars=MAX_NAME, key="join_name")
        role = st.text_input(t("workshop.join.role"), max_chars=MAX_NAME, key="join_role")
        submitted = st.form_submit_button(t("workshop.join.join"), type="primary", width="stretch")
    if not submitted:
        return
    if not workshop.anonymous and not name.strip():
        st.error(t("workshop.join.name_required"))
        return
    try:
        token = context.store().join(code, name.strip(), role.strip())
    except WorkshopClosed:
        st.info(t("workshop.join.closed"))
        return
    except AccessDenied:
        st.error(t("workshop.join.wrong_code"))
        return
    except StorageError as exc:
        st.error(t("workshop.join.error", reason=plain(str(exc))))
        return
    st.session_state[TOKEN_KEY] = token
    del st.query_params["kod"]
    st.query_params["t"] = token
    st.rerun()


def _code_form() -> None:
    st.caption(t("workshop.join.intro"))
    with st.form("join_code"):
        typed = st.text_input(t("workshop.join.code"), max_chars=12, key="join_code")
        if st.form_submit_button(t("workshop.join.find"), type="primary", width="stretch"):
            st.query_params["kod"] = typed.strip()[:12] or "-"
            st.rerun()


# --- answering ---------------------------------------------------------------------------

def _answering(token: str, view: ParticipantView) -> None:
    lang = context.ui().lang
    bank = context.banks().get(view.bank_id)
    st.title(t("workshop.join.title"))
    st.caption(plain(view.org_name + (f" – {view.unit}" if view.unit else "")))
    if bank is None:
        st.error(t("common.bank_missing", bank=plain(view.bank_id)))
        return
    who = view.name or ""
    st.caption((t("workshop.join.you", who=plain(who)) if who else t("workshop.join.you_anonymous"))
               + " " + t("workshop.join.own_only"))
    open_ = view.state == "open"
    if view.state == "closed":
        st.info(t("workshop.join.answering_closed"))
    elif view.state == "consensus":
        st.info(t("workshop.join.consensus"))
    areas = area_questions(bank, view.audience)
    overall = overall_progress(bank.scope(view.audience), view.answers)  # each question once
    total, done = overall.total, overall.answered
    st.progress(done / total if total else 1.0,
                text=t("workshop.join.progress", done=done, total=total))
    if total and done == total:
        st.success(t("workshop.join.all_done"))
    area_ids = [a for a, _ in areas]
    current = st.session_state.get("join_area")
    if current not in area_ids:
        current = next((a for a, qs in areas if any(q.id not in view.answers for q in qs)),
                       area_ids[0])
        st.session_state["join_area"] = current
    st.selectbox(
        t("workshop.join.area"), area_ids, key="join_area",
        format_func=lambda a: f"{a} {bank.area(a).name.get(lang)} "
                              f"({sum(1 for q in dict(areas)[a] if q.id in view.answers)}"
                              f"/{len(dict(areas)[a])})",
    )
    area = bank.area(current)
    st.subheader(f"{area.id} · {plain(area.name.get(lang))}")
    st.caption(plain(area.aim.get(lang)))
    # A new session (the server restarted under the page) has no callbacks yet for the radios
    # the page shows: a click that reaches it before its first run is through is saved by
    # ``_question`` itself, and the page is drawn again from the database.
    fresh = DRAWN_KEY not in st.session_state
    redraw = [_question(token, view, bank, question, view.answers.get(question.id), open_, fresh)
              for question in dict(areas)[current]]
    st.session_state[DRAWN_KEY] = True
    if any(redraw):
        st.rerun()
    i = area_ids.index(current)
    if i > 0:
        st.button(t("workshop.join.previous"), key="join_prev", width="stretch",
                  on_click=_go, args=(area_ids[i - 1],))
    if i < len(area_ids) - 1:
        st.button(t("workshop.join.next"), key="join_next", type="primary", width="stretch",
                  on_click=_go, args=(area_ids[i + 1],))
    st.caption(t("workshop.join.keep_link"))


def _go(area_id: str) -> None:
    st.session_state["join_area"] = area_id


def _question(token: str, view: ParticipantView, bank: Bank, question, existing, open_: bool,
              fresh: bool) -> bool:
    """One question's radio, comment and status. True when the browser showed a ``fresh``
    session (one that had not drawn the answers yet) another answer than the database's: a
    click, saved here (or said not to be), and the page must be drawn again."""
    lang = context.ui().lang
    key = f"wans|{view.participant_id}|{question.id}"
    ckey = f"wcom|{view.participant_id}|{question.id}"
    value, comment = existing if existing else (None, "")
    options = bank.scale.options()
    if not fresh and (key not in st.session_state or st.session_state.get(key) != value):
        # The database is the truth (another tab of the same participant may have answered).
        st.session_state[key] = value
    with st.container(border=True):
        st.markdown(f"**{question.id}** {plain(question.text.get(lang))}")
        shown = st.radio(
            t("questionnaire.answer_label", id=question.id), options,
            # A fresh session keeps the browser's choice: the page shows it until it is saved.
            index=options.index(value) if fresh and value in options else None,
            format_func=lambda v: bank.scale.label(v, lang), key=key, disabled=not open_,
            on_change=_save, args=(token, bank, view, question.id, key, ckey),
            label_visibility="collapsed", help=_guidance(question, bank.scale, lang),
        )
        st.text_input(
            t("questionnaire.comment"), value="" if ckey in st.session_state else comment,
            max_chars=MAX_TEXT, key=ckey, disabled=not open_,
            on_change=_save, args=(token, bank, view, question.id, key, ckey),
            placeholder=t("questionnaire.comment_placeholder"),
        )
        unsaved = fresh and shown != value
        if unsaved and shown is not None:  # clicked before this session had the callback
            _save(token, bank, view, question.id, key, ckey)
        if value is not None and open_:
            st.button(t("questionnaire.clear"), key=f"wclr|{key}", on_click=_clear,
                      args=(token, question.id, key, ckey))
        status = st.session_state.pop(f"wstatus|{key}", None) if not unsaved else None
        if status:
            st.caption(t(status))
    return unsaved


def _save(token: str, bank: Bank, view: ParticipantView, question_id: str, key: str,
          ckey: str) -> None:
    value = st.session_state.get(key)
    comment = st.session_state.get(ckey, "") or ""
    if value is None:
        st.session_state[f"wstatus|{key}"] = "questionnaire.comment_needs_answer"
        return
    if not in_scope(bank, view.audience, question_id):
        return
    try:
        context.store().answer_as_participant(token, question_id, value, comment)
    except WorkshopClosed:
        st.session_state[f"wstatus|{key}"] = "workshop.join.not_saved"
    except InvalidInput:
        st.session_state[f"wstatus|{key}"] = "workshop.join.refused"
    except StorageError:
        st.session_state[f"wstatus|{key}"] = "workshop.join.bad_link"
    else:
        st.session_state[f"wstatus|{key}"] = "questionnaire.saved"


def _clear(token: str, question_id: str, key: str, ckey: str) -> None:
    try:
        context.store().clear_answer_as_participant(token, question_id)
    except StorageError:
        st.session_state[f"wstatus|{key}"] = "workshop.join.not_saved"
        return
    st.session_state[key] = None
    st.session_state[ckey] = ""
    st.session_state[f"wstatus|{key}"] = "questionnaire.cleared"


def _guidance(question, scale, lang: str) -> str:
    """The question's activity and what its levels look like in practice (a tooltip)."""
    lines = [t("questionnaire.activity", activity=plain(question.activity.get(lang)))]
    lines += [f"**{plain(scale.label(level, lang))}:** {plain(text.get(lang))}"
              for level, text in sorted(question.guidance.items())]
    return "\n\n".join(lines)
