"""Workshop: the facilitator opens a live workshop on the open assessment, shows the join
code and its QR code on the projector, follows each participant's progress (refreshed
without a click), closes or reopens answering and moves the group on to Samsyn.

Two views: the facilitator's (the controls, and the bookmark link behind a click) and the
projector view (one click away: the code and the QR code large, then the live progress;
nothing else). The facilitator secret is never left on screen: a bookmark link
``/workshop?f=…`` gives it, the page keeps it in the browser session and takes it out of the
address at once. Every action on the workshop passes it to the store, which checks it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from urllib.parse import urlsplit

import pandas as pd
import segno
import streamlit as st

from app_pages import context
from app_pages.context import t
from app_pages.markdown import plain
from app_pages.join import client_address
from app_pages.state import session
from assessment.bank import Audience, Bank
from assessment.storage import AccessDenied, StorageError, Workshop
from assessment.workshop import code_from_secret, display_code
from assessment.workshop.progress import area_questions, progress_rows, totals

ENV_PUBLIC_URL = "PSA_PUBLIC_URL"  # e.g. https://psa.example.se (behind a proxy)
REFRESH = "3s"


def render() -> None:
    secret = st.query_params.get("f") or session().workshop_secret
    if secret:
        try:
            workshop = context.store().workshop_for_secret(secret)
        except AccessDenied:
            _forget_secret()
            st.error(t("workshop.bad_link"))
        except StorageError as exc:
            st.error(t("workshop.error", reason=plain(str(exc))))
            return
        else:
            session().workshop_secret = secret
            if context.facilitator_keys().get(workshop.assessment_id) != secret:
                context.unlock(workshop.assessment_id, secret)
            if "f" in st.query_params:  # kept in the session, not on screen in the address
                del st.query_params["f"]
            if context.ui().assessment_id != workshop.assessment_id:
                context.open_assessment(workshop.assessment_id)
                context.invalidate()
            _running(workshop, secret)
            return
    found = context.require_assessment()
    if found is None:
        return
    if not context.may_change(found[0]):  # a reader runs no workshop (the store refuses it)
        st.info(t("workspace.reader_form"))
        return
    _opening(*found)


def _forget_secret() -> None:
    session().workshop_secret = None
    if "f" in st.query_params:
        del st.query_params["f"]


def _opening(assessment_id: str, assessment, bank: Bank) -> None:
    st.title(t("workshop.title"))
    st.caption(t("workshop.intro"))
    in_scope = [area.id for area, _ in bank.scope(assessment.effective_audience)]
    with st.form("open_workshop"):
        anonymous = st.toggle(t("workshop.anonymous"), key="ws_anonymous")
        day = st.multiselect(t("workshop.day_areas"), in_scope, key="ws_areas",
                             format_func=lambda a: f"{a} {context.area_name(bank, a)}",
                             placeholder=t("workshop.day_areas_all"),
                             help=t("workshop.day_areas_help"))
        minutes = st.number_input(t("workshop.expires_after"), min_value=0, max_value=24 * 60,
                                  value=0, step=5, key="ws_expires")
        submitted = st.form_submit_button(t("workshop.open"), type="primary")
    if not submitted:
        return
    try:
        keys = context.store().open_workshop(
            assessment_id, anonymous=anonymous,
            expires_after=dt.timedelta(minutes=minutes) if minutes else None,
            areas=[a for a in in_scope if a in day],  # in the bank's order
        )
    except StorageError as exc:
        st.error(t("workshop.error", reason=context.refusal(exc)))
        return
    memory = session()
    memory.workshop_secret, memory.workshop_opened = keys.secret, True
    context.unlock(assessment_id, keys.secret)
    st.rerun()


def _running(workshop: Workshop, secret: str) -> None:
    found = context.current()
    if found is None:
        return
    _, assessment, bank = found
    code = code_from_secret(secret)
    link = join_link(code)
    if session().projector:
        _projector(workshop, bank, assessment.effective_audience, code, link)
        return
    st.title(t("workshop.title"))
    if session().workshop_opened:
        session().workshop_opened = False
        st.info(t("workshop.opened"))
    with st.expander(t("workshop.own_link_title")):  # behind a click, never on the projector
        st.caption(t("workshop.own_link_help"))
        st.code(_own_link(secret), language=None)
    state_text = t(f"workshop.state_{workshop.state}")
    if workshop.anonymous:
        state_text += " " + t("workshop.anonymous_on")
    if workshop.areas:
        state_text += " " + t("workshop.day_areas_on", areas=", ".join(workshop.areas))
    st.caption(state_text)
    st.button(t("workshop.projector"), key="ws_projector_on", type="primary", icon="📽️",
              on_click=_show_projector, args=(True,))
    if _local_only(link):
        st.warning(t("workshop.local_link", env=ENV_PUBLIC_URL))
    left, right = st.columns([3, 2])
    with left:
        st.caption(t("workshop.code_label"))
        st.markdown(f"# {display_code(code)}")
        # Not a caption: the instruction is for everyone in the room, and the address in it is
        # a link, which Streamlit draws faded in a caption (3:1 on white, below WCAG's 4.5:1).
        st.markdown(t("workshop.join_at", link=link.split("?")[0]))
        st.code(link, language=None)
    with right:
        st.image(qr_png(link), caption=t("workshop.qr_caption"), width=260,
                 alt=t("workshop.qr_alt", link=link))
    _controls(workshop, secret)
    _timer()
    st.header(t("workshop.progress"))
    st.caption(t("workshop.refreshed"))
    _progress(workshop.id, secret, bank, assessment.effective_audience, workshop.areas)
    st.divider()
    if st.button(t("workshop.new_workshop"), key="ws_new"):
        _forget_secret()
        st.rerun()


def _projector(workshop: Workshop, bank: Bank, audience: Audience, code: str, link: str) -> None:
    """What the room sees: the code and the QR code large, then the live progress."""
    # The sidebar (the navigation and the open assessment) is not for the room.
    st.html("<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl']"
            "{display:none}</style>")
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.markdown(f"## {t('workshop.code_label')}")
        st.markdown(f"# {display_code(code)}")
        st.markdown(f"## {t('workshop.join_at', link=link.split('?')[0])}")
        if workshop.state != "open":
            st.markdown(f"## {t(f'workshop.state_{workshop.state}')}")
    with right:
        st.image(qr_png(link), width=420, alt=t("workshop.qr_alt", link=link))
    _progress(workshop.id, session().workshop_secret, bank, audience, workshop.areas,
              large=True)
    st.button(t("workshop.projector_off"), key="ws_projector_off", on_click=_show_projector,
              args=(False,))


def _show_projector(on: bool) -> None:
    session().projector = on


def _local_only(link: str) -> bool:
    """The join link names this machine only (localhost): phones in the room cannot reach it."""
    host = urlsplit(link).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")


def _controls(workshop: Workshop, secret: str) -> None:
    cols = st.columns(3)
    if workshop.state == "open":
        cols[0].button(t("workshop.close"), key="ws_close", on_click=_set_state,
                       args=(workshop.id, secret, "closed"))
    else:
        cols[0].button(t("workshop.reopen"), key="ws_reopen", on_click=_set_state,
                       args=(workshop.id, secret, "open"))
    if workshop.state != "consensus":
        if cols[1].button(t("workshop.to_consensus"), key="ws_consensus", type="primary"):
            _set_state(workshop.id, secret, "consensus")
            st.switch_page(context.page("consensus"))
    cols[2].page_link(context.page("consensus"), label=t("workshop.consensus_link"),
                      icon="🤝")
    if st.button(t("workshop.lift_locks"), key="ws_lift", help=t("workshop.lift_locks_help")):
        try:
            lifted = context.store().lift_join_locks(workshop.id, secret, client_address())
        except StorageError as exc:
            session().workshop_error = str(exc)
        else:
            st.success(t("workshop.locks_lifted", count=lifted))
    error, session().workshop_error = session().workshop_error, None
    if error:
        st.error(t("workshop.error", reason=plain(error)))


def _timer() -> None:
    """An optional countdown for answering, shown with the progress (and on the projector)."""
    cols = st.columns([2, 1, 1], vertical_alignment="bottom")
    cols[0].number_input(t("workshop.timer_minutes"), min_value=1, max_value=240, value=15,
                         step=5, key="ws_timer_minutes")
    cols[1].button(t("workshop.timer_start"), key="ws_timer_start", on_click=_start_timer,
                   icon="⏱️")
    if session().timer_end:
        cols[2].button(t("workshop.timer_stop"), key="ws_timer_stop", on_click=_stop_timer)


def _start_timer() -> None:
    minutes = st.session_state["ws_timer_minutes"]  # as typed, also in the click's own run
    session().timer_end = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=minutes)


def _stop_timer() -> None:
    session().timer_end = None


def timer_text(end: dt.datetime, now: dt.datetime) -> str:
    """What the room sees of the countdown: "12:05 kvar" (minutes:seconds), or that time is up."""
    left = int((end - now).total_seconds())
    if left <= 0:
        return t("workshop.timer_up")
    return t("workshop.timer_left", time=f"{left // 60}:{left % 60:02d}")


def _set_state(wid: str, secret: str, state: str) -> None:
    try:
        context.store().set_workshop_state(wid, secret, state)
    except StorageError as exc:
        session().workshop_error = str(exc)


@st.fragment(run_every=REFRESH)
def _progress(wid: str, secret: str, bank: Bank, audience: Audience, day: tuple[str, ...] = (),
              large: bool = False) -> None:
    end = session().timer_end
    if end is not None:
        shown = timer_text(end, dt.datetime.now(dt.timezone.utc))
        st.markdown(f"# ⏱️ {shown}" if large else f"**⏱️ {shown}**")
    try:
        people = context.store().workshop_progress(wid, secret)
    except StorageError as exc:
        st.error(t("workshop.error", reason=plain(str(exc))))
        return
    rows = progress_rows(bank, audience, people, day)
    joined, finished = totals(rows)
    cols = st.columns(2)
    cols[0].metric(t("workshop.joined"), joined)
    cols[1].metric(t("workshop.done_all"), finished)
    if not rows:
        st.info(t("workshop.nobody"))
        return
    area_ids = [a for a, _ in area_questions(bank, audience, day)]
    table = []
    for n, row in enumerate(rows, start=1):
        # st.table's cells are Markdown: the names and roles go in as plain text.
        line = {t("workshop.col_participant"): plain(row.name) if row.name
                else t("workshop.anonymous_name", n=n),
                t("workshop.col_role"): plain(row.role)}
        for area in row.areas:
            line[area.area] = f"{area.answered}/{area.total}"
        line[t("workshop.col_total")] = f"{row.answered}/{row.total}"
        table.append(line)
    columns = [t("workshop.col_participant"), t("workshop.col_role"), *area_ids,
               t("workshop.col_total")]
    # A plain table: large enough to read on a projector, and text (not a canvas) in the page.
    st.table(pd.DataFrame(table, columns=columns).set_index(columns[0]))


# --- links and the QR code ---------------------------------------------------------------

def _base_url() -> str:
    """The app's address as participants reach it: ``PSA_PUBLIC_URL``, else the address this
    browser used, else a relative link."""
    configured = os.environ.get(ENV_PUBLIC_URL, "").strip()
    if configured:
        return configured.rstrip("/")
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 - no request context (bare mode): a relative link
        url = None
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if path.endswith("/workshop") or path == "workshop":
        path = path[: -len("workshop")].rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


def join_link(code: str) -> str:
    return f"{_base_url()}/delta?kod={code}"


def _own_link(secret: str) -> str:
    return f"{_base_url()}/workshop?f={secret}"


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()
