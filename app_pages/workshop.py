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

from app_pages import context, kept_keys
from app_pages.context import t
from app_pages.markdown import plain
from app_pages.join import client_address
from app_pages.state import session
from assessment.bank import Audience, Bank
from assessment.storage import AccessDenied, StorageError, Workshop, WorkshopParticipant
from assessment.storage.workshops import MAX_EXPECTED
from assessment.workshop import code_from_secret, display_code, link_from_secret
from assessment.workshop.progress import (ParticipantProgress, area_questions, progress_rows,
                                          totals)

ENV_PUBLIC_URL = "PSA_PUBLIC_URL"  # e.g. https://psa.example.se (behind a proxy)
REFRESH = "3s"


def render() -> None:
    given = st.query_params.get("f")
    secret = given or _kept_secret()
    if secret:
        try:
            workshop = context.store().workshop_for_secret(secret)
        except AccessDenied:
            _forget_secret()
            kept_keys.forget(secret)
            if given:  # a kept key that went stale is dropped without a word
                st.error(t("workshop.bad_link"))
        except StorageError as exc:
            st.error(t("workshop.error", reason=context.refusal(exc)))
            return
        else:
            memory = session()
            memory.workshop_secret, memory.new_workshop = secret, False
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


def _kept_secret() -> str | None:
    """The key of the workshop this session shows after a reload or in a new tab: the one
    held for the open assessment, else (none open) the one shown last or the newest kept;
    none once *Öppna en ny workshop* was chosen."""
    memory = session()
    if memory.new_workshop:
        return None
    keys = context.facilitator_keys()
    aid = context.ui().assessment_id
    if aid:
        return keys.get(aid)
    return memory.workshop_secret or next(reversed(keys.values()), None)


def _forget_secret() -> None:
    session().workshop_secret = None
    if "f" in st.query_params:
        del st.query_params["f"]


def _opening(assessment_id: str, assessment, bank: Bank) -> None:
    st.title(t("workshop.title"))
    st.caption(t("workshop.intro"))
    if not session().new_workshop and context.has_workshop(assessment_id):
        st.info(t("workshop.has_one"))  # a facilitator member without its key (sign-in)
    in_scope = [area.id for area, _ in bank.scope(assessment.effective_audience)]
    with st.form("open_workshop"):
        st.toggle(t("workshop.anonymous"), key="ws_anonymous")
        st.multiselect(t("workshop.day_areas"), in_scope, key="ws_areas",
                       format_func=lambda a: f"{a} {context.area_name(bank, a)}",
                       placeholder=t("workshop.day_areas_all"),
                       help=t("workshop.day_areas_help"))
        st.number_input(t("workshop.expires_after"), min_value=0, max_value=24 * 60,
                        value=0, step=5, key="ws_expires")
        st.number_input(t("workshop.expected"), min_value=0, max_value=MAX_EXPECTED,
                        value=0, step=1, key="ws_expected", help=t("workshop.expected_help"))
        st.form_submit_button(t("workshop.open"), type="primary", on_click=_open,
                              args=(assessment_id, in_scope))
    context.refused_once("open_workshop")


def _open(assessment_id: str, in_scope: list[str]) -> None:
    """*Öppna workshop*'s callback, with the form's values: the run it starts shows the
    workshop opened, or (refused) the form again with the reason once."""
    values, memory = st.session_state, session()
    minutes, day = values["ws_expires"], values["ws_areas"]
    try:
        keys = context.store().open_workshop(
            assessment_id, anonymous=values["ws_anonymous"],
            expires_after=dt.timedelta(minutes=minutes) if minutes else None,
            areas=[a for a in in_scope if a in day],  # in the bank's order
            expected=int(values["ws_expected"]) or None,
        )
    except StorageError as exc:
        context.refuse("open_workshop", t("workshop.error", reason=context.refusal(exc)))
        return
    memory.workshop_secret, memory.workshop_opened = keys.secret, True
    memory.new_workshop = False
    context.unlock(assessment_id, keys.secret)


def _running(workshop: Workshop, secret: str) -> None:
    found = context.current()
    if found is None:
        return
    _, assessment, bank = found
    code = code_from_secret(secret)
    link = join_link(workshop, secret)
    if session().projector:
        _projector(workshop, bank, assessment.effective_audience, code, link)
        return
    st.title(t("workshop.title"))
    if session().workshop_opened:
        session().workshop_opened = False
        st.info(t("workshop.opened"))
    if not kept_keys.is_saved(secret):
        st.warning(t("keys.unsaved"))
    offer_key(secret, assessment, workshop, "ws_key")
    with st.expander(t("workshop.own_link_title")):  # behind a click, never on the projector
        st.caption(t("workshop.own_link_help"))
        st.code(own_link(secret), language=None)
        st.checkbox(t("keys.bookmarked"), value=kept_keys.is_saved(secret),
                    key="ws_key_bookmarked", on_change=kept_keys.mark_saved, args=(secret,),
                    disabled=kept_keys.is_saved(secret))
        st.caption(t("keys.forget_help"))
        kept_keys.leave_button(t("keys.forget"), "ws_forget", secret, lambda: _forget_here(secret))
    kept_keys.confirm_leave("ws_forget", secret, lambda: _forget_here(secret),
                            lambda: offer_key(secret, assessment, workshop, "ws_forget_key"))
    state_text = t(f"workshop.state_{workshop.state}")
    if workshop.anonymous:
        state_text += " " + t("workshop.anonymous_on")
    if workshop.areas:
        state_text += " " + t("workshop.day_areas_on", areas=", ".join(workshop.areas))
    if workshop.expected:
        state_text += " " + t("workshop.expected_on", count=workshop.expected)
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
        st.code(link, language=None, wrap_lines=True)  # long: wrapped, never a scrolled box
    with right:
        st.image(qr_png(link), caption=t("workshop.qr_caption"), width=260,
                 alt=t("workshop.qr_alt", link=link))
    _controls(workshop, secret)
    _timer()
    st.header(t("workshop.progress"))
    st.caption(t("workshop.refreshed"))
    _progress(workshop.id, secret, bank, assessment.effective_audience, workshop.areas)
    _participants(workshop, secret)
    st.divider()
    kept_keys.leave_button(t("workshop.new_workshop"), "ws_new", secret, _new_workshop)
    kept_keys.confirm_leave("ws_new", secret, _new_workshop,
                            lambda: offer_key(secret, assessment, workshop, "ws_new_key"))


def _forget_here(secret: str) -> None:
    """*Glöm nyckeln här*: this browser no longer holds the key (a shared computer)."""
    _forget_secret()
    kept_keys.forget(secret)
    context.invalidate()


def _new_workshop() -> None:
    _forget_secret()
    session().new_workshop = True


def offer_key(secret: str, assessment, workshop: Workshop | None, key: str) -> None:
    """The download of "Ledarens nyckel" for the workshop of ``secret`` (read when not given)."""
    if workshop is None:
        try:
            workshop = context.store().workshop_for_secret(secret)
        except StorageError:
            return
    kept_keys.download_button(secret, own_link(secret), assessment, workshop.created_at, key)


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
        _do(lambda store: t("workshop.locks_lifted", count=store.lift_join_locks(
            workshop.id, secret, client_address())))
    _said()


def _do(action) -> None:
    """Run ``action(store)``: the message it returns is shown once, a refusal in words."""
    try:
        session().workshop_notice = action(context.store())
    except StorageError as exc:
        session().workshop_error = context.refusal(exc)


def _said() -> None:
    """The last action's message or refusal, once."""
    memory = session()
    notice, memory.workshop_notice = memory.workshop_notice, None
    error, memory.workshop_error = memory.workshop_error, None
    if notice:
        st.success(notice)
    if error:
        st.error(t("workshop.error", reason=error))  # context.refusal: made safe already


def _participants(workshop: Workshop, secret: str) -> None:
    """Who joined: the number that may join, and removing one with their answers after a
    confirmation that says how many answers go."""
    st.subheader(t("workshop.participants"))
    cols = st.columns([2, 1], vertical_alignment="bottom")
    cols[0].number_input(t("workshop.expected_now"), min_value=0, max_value=MAX_EXPECTED,
                         value=workshop.expected or 0, step=1, key="ws_expected_now")
    cols[1].button(t("workshop.expected_save"), key="ws_expected_save",
                   on_click=_save_expected, args=(workshop.id, secret))
    try:
        people = context.store().workshop_progress(workshop.id, secret)
    except StorageError as exc:
        st.error(t("workshop.error", reason=context.refusal(exc)))
        return
    names = {p.participant_id: _who(p, n) for n, p in enumerate(people, start=1)}
    answered = {p.participant_id: len(p.answered) for p in people}
    pending = session().removing
    if pending in names:
        st.warning(t("workshop.remove_confirm", who=names[pending], count=answered[pending]))
        yes, no = st.columns(2)
        yes.button(t("workshop.remove_yes"), key="ws_remove_yes", type="primary",
                   on_click=_remove, args=(workshop.id, secret, pending, names[pending]))
        no.button(t("workshop.remove_no"), key="ws_remove_no", on_click=_removing, args=(None,))
        return
    if not people:
        return
    cols = st.columns([2, 1], vertical_alignment="bottom")
    cols[0].selectbox(t("workshop.remove_which"), list(names), key="ws_remove_which",
                      format_func=names.get)
    cols[1].button(t("workshop.remove"), key="ws_remove", on_click=_removing,
                   args=("ws_remove_which",))


# The participant list's callbacks: each runs before the run its button starts, which then
# draws the result (the message once, by ``_said``).

def _save_expected(workshop_id: str, secret: str) -> None:
    def save(store) -> str:
        expected = int(st.session_state["ws_expected_now"])
        store.set_expected_participants(workshop_id, secret, expected or None)
        return t("workshop.expected_saved")
    _do(save)


def _removing(chosen_key: str | None) -> None:
    """Ask to confirm the removal of the participant chosen in ``chosen_key`` (None: not)."""
    session().removing = st.session_state.get(chosen_key) if chosen_key else None


def _remove(workshop_id: str, secret: str, participant_id: str, who: str) -> None:
    session().removing = None
    _do(lambda store: t("workshop.removed", who=who, count=(
        store.remove_workshop_participant(workshop_id, secret, participant_id))))


def _who(person: WorkshopParticipant | ParticipantProgress, n: int) -> str:
    """A participant as the progress table names them (plain text)."""
    return plain(person.name) if person.name else t("workshop.anonymous_name", n=n)


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
        session().workshop_error = context.refusal(exc)


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
        st.error(t("workshop.error", reason=context.refusal(exc)))
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
        line = {t("workshop.col_participant"): _who(row, n),
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


def join_link(workshop: Workshop, secret: str) -> str:
    """The participants' link: with the join link's secret (never counted as a typed code);
    for a workshop opened before join links, with its code."""
    if workshop.has_link:
        return f"{_base_url()}/delta?l={link_from_secret(secret)}"
    return f"{_base_url()}/delta?kod={code_from_secret(secret)}"


def own_link(secret: str) -> str:
    return f"{_base_url()}/workshop?f={secret}"


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()
