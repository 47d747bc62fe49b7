"""What every page shares: the store, the banks, the language and the open assessment.

State that must survive a browser refresh (the open assessment, the participant, the
language) lives in the URL's query parameters; everything the team enters lives in the
database. The session's ``PageState`` (``state.py``) holds the typed ``UiState`` mirror of the
URL, the facilitator secrets given, and this session's copy of the open assessment, checked
against its version.
"""

from __future__ import annotations

import dataclasses
from typing import Callable
from urllib.parse import parse_qs, urlsplit

import streamlit as st

from app_pages.markdown import plain
from app_pages.state import AssessmentCopy, OpenRead, UiState, session
from assessment.bank import Bank
from assessment.bank_loader import BankSet, load_banks
from assessment.document import Assessment
from assessment.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from assessment.bank_upgrade import upgrade as upgrade_to_bank
from assessment.storage import (NotAMember, ReadOnlyRole, Store, StorageError,
                                WorkshopLocked, Workspace, WorkspaceDenied)


@st.cache_resource(show_spinner=False)
def banks() -> BankSet:
    return load_banks()


@st.cache_resource(show_spinner=False)
def _store() -> Store:
    return Store.from_env(banks())


def store() -> Store:
    """The store as this browser session may use it: an assessment run as a live workshop
    only with the facilitator key the session has given (the store refuses everything else
    with ``WorkshopLocked``); with sign-in, only the signed-in user's workspaces, changed only
    where they are a facilitator (``NotAMember``, ``ReadOnlyRole``)."""
    return _store().for_caller(session().facilitator_keys.values(), member=member())


def member() -> str | None:
    """The signed-in user's e-mail (``""`` when the sign-in gave none: a member of nothing)
    when sign-in is configured; None without sign-in: no workspace checks, as on one machine."""
    if not (sign_in_configured() and signed_in()):
        return None
    return str(st.user.get("email") or "")


WORKSPACE = "workspace_choice"  # the key of Start's picker (a widget): the workspace worked in


def workspace(mine: list[Workspace] | None) -> Workspace | None:
    """The workspace a signed-in member works in on Start, of ``mine`` (their workspaces;
    None without sign-in): the one picked there, else their first; None without sign-in
    (everything is in the default workspace) or for a member of none."""
    if mine is None:
        return None
    chosen = st.session_state.get(WORKSPACE)
    return next((w for w in mine if w.id == chosen), mine[0] if mine else None)


def may_change(assessment_id: str) -> bool:
    """Whether this session may change the assessment: always without sign-in; a signed-in
    member where they are a facilitator."""
    return member() is None or store().may_change(assessment_id)


def ui() -> UiState:
    """The typed UI state, read from the URL once per session and kept in sync with it."""
    memory = session()
    state = memory.ui
    if state is None:
        params = st.query_params
        lang = params.get("lang", DEFAULT_LANGUAGE)
        state = UiState(
            lang=lang if lang in LANGUAGES else DEFAULT_LANGUAGE,
            assessment_id=params.get("a"),
            participant_id=params.get("p"),
        )
        memory.ui = state
    return state


def sync_url() -> None:
    state = ui()
    wanted = {"lang": state.lang, "a": state.assessment_id, "p": state.participant_id}
    for key, value in wanted.items():
        if value and st.query_params.get(key) != value:
            st.query_params[key] = value
        elif not value and key in st.query_params:
            del st.query_params[key]


def sign_in_configured() -> bool:
    """Whether the organisation's sign-in (``[auth]`` in ``.streamlit/secrets.toml``) is on."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: sign-in is off
        return False


def signed_in() -> bool:
    """Whether the browser's user has signed in (only asked when sign-in is configured)."""
    return bool(getattr(st.user, "is_logged_in", False))


def t(key: str, **values) -> str:
    return translate(ui().lang, key, **values)


def open_assessment(assessment_id: str | None, participant_id: str | None = None) -> None:
    state = ui()
    state.assessment_id = assessment_id
    state.participant_id = participant_id
    sync_url()


def begin_run() -> None:
    """Called once at the top of every run: the open assessment is read at most once per run."""
    invalidate()


def invalidate() -> None:
    """Read the open assessment again when next asked (after a write that changes it)."""
    session().opened = None


def current() -> tuple[str, Assessment, Bank] | None:
    """The open assessment with its bank, read from the database once per run; None if none is
    open or it cannot be opened (a message says why)."""
    memory = session()
    if memory.opened is None:
        memory.opened = _read_current()
    return memory.opened.found


def _read_current() -> OpenRead:
    state = ui()
    if not state.assessment_id:
        return OpenRead(None)
    try:
        assessment = _load(state.assessment_id)
    except WorkshopLocked:
        return OpenRead(None, locked=state.assessment_id)  # require_assessment asks for the key
    except StorageError as exc:
        st.error(t("common.cannot_open", reason=refusal(exc)))
        open_assessment(None)
        return OpenRead(None)
    bank = banks().get(assessment.bank.id)
    if bank is None:
        st.error(t("common.bank_missing", bank=plain(assessment.bank.id)))
        return OpenRead(None)
    return OpenRead((state.assessment_id, assessment, bank))


def _copy(assessment_id: str) -> AssessmentCopy | None:
    copy = session().copy
    return copy if copy is not None and copy.assessment_id == assessment_id else None


def _load(assessment_id: str) -> Assessment:
    """The assessment, loaded again only when it has changed since this session last loaded
    it (every write bumps its ``updated_at``; the version is read before the content, so a
    write in between only causes one more load)."""
    version = store().updated_at(assessment_id)
    copy = _copy(assessment_id)
    if version is not None and copy is not None and copy.version == version:
        return copy.assessment
    assessment = store().load(assessment_id)
    bank = banks().get(assessment.bank.id)
    if bank is not None:  # made with an earlier version of its bank: read as the installed one
        assessment = upgrade_to_bank(assessment, bank)
    session().copy = AssessmentCopy(assessment_id, version, assessment)
    return assessment


def require_assessment() -> tuple[str, Assessment, Bank] | None:
    """The open assessment, or a hint to start one (and None). An assessment run as a live
    workshop shows only to the facilitator: a session that has not given its secret gets a
    form for it instead (and None). One whose bank has no questions for its audience (a
    file can hold one) has nothing for any page to show: a message says so (and None)."""
    found = current()
    locked = session().opened.locked
    if found is None and locked:
        _secret_form(locked)
        return None
    if found is None:
        st.info(t("common.no_assessment"))
        st.page_link(page("start"), label=t("common.go_start"), icon="➡️")
        return None
    _, assessment, bank = found
    if not bank.questions_for(assessment.effective_audience):
        st.warning(t("common.no_questions", audience=t(f"kind.{assessment.effective_audience.value}")))
        st.page_link(page("start"), label=t("common.go_start"), icon="➡️")
        return None
    if not facilitator_may_open(found[0]):
        _secret_form(found[0])
        return None
    if not may_change(found[0]):
        st.info(t("workspace.reader"))
    return found


def facilitator_may_open(assessment_id: str) -> bool:
    """Whether this session may see and change the assessment: always, unless a workshop was
    opened on it; then only after the facilitator's secret was given in this session (or kept
    by this browser, ``kept_keys``), or for a signed-in facilitator of its workspace (the
    store's rule, ``Store._check_access``)."""
    if assessment_id in session().facilitator_keys:
        return True
    if not has_workshop(assessment_id):
        return True
    return member() is not None and may_change(assessment_id)


def has_workshop(assessment_id: str) -> bool:
    """``Store.has_workshop``, asked again only when the assessment's version changed."""
    copy = _copy(assessment_id)
    if copy is not None and copy.has_workshop is not None:
        return copy.has_workshop
    has = store().has_workshop(assessment_id)
    if copy is not None:
        session().copy = dataclasses.replace(copy, has_workshop=has)
    return has


def unlock(assessment_id: str, secret: str) -> None:
    """Remember for this browser session the facilitator secret its user gave: the store lets
    the session's reads and writes of the assessment through with it."""
    session().facilitator_keys[assessment_id] = secret
    invalidate()


def facilitator_keys() -> dict[str, str]:
    return session().facilitator_keys


def page(name: str) -> st.Page:
    """One of the app's pages (``frame.py`` names them), for a link or a switch to it."""
    return session().pages_by_lang[ui().lang][name]


def locked_message(exc: StorageError) -> None:
    """A write or read the store refused (a workshop's lock, a value that does not fit the
    bank, a row someone removed): say so in one line, never as a traceback."""
    st.error(refused_text(exc))


def refused_text(exc: StorageError) -> str:
    """``locked_message``'s line, for a page that shows it in a place of its own."""
    return (t("common.locked_now") if isinstance(exc, WorkshopLocked)
            else t("common.refused", reason=refusal(exc)))


def write(place: str, change: Callable[[], None],
          after: Callable[[], None] | None = None) -> None:
    """Run one write of the store on the open assessment (then ``after``) in a widget's
    callback: the run the callback starts reads the assessment again and draws the result.
    If refused, everything stays as it was and the reason (``refused_text``) waits for
    ``refused_once(place)``."""
    try:
        change()
    except StorageError as exc:
        refuse(place, refused_text(exc))
        return
    if after is not None:
        after()
    invalidate()


def refuse(place: str, text: str) -> None:
    """From a callback: ``text`` (plain, or Markdown made safe) is shown once by
    ``refused_once(place)`` in the run the callback starts."""
    session().refusal = (place, text)


def refused_once(place: str) -> None:
    """A callback's refusal for ``place`` (``refuse``), shown here, once."""
    memory = session()
    if memory.refusal is not None and memory.refusal[0] == place:
        st.error(memory.refusal[1])
        memory.refusal = None


def refusal(exc: StorageError) -> str:
    """Why the store refused, in one line: the workspace rules in the UI's language, anything
    else as the store says it."""
    if isinstance(exc, NotAMember):
        return t("workspace.not_member")
    if isinstance(exc, ReadOnlyRole):
        return t("workspace.read_only")
    if isinstance(exc, WorkspaceDenied):
        return t("workspace.not_admin")
    return plain(str(exc))


def _secret_form(assessment_id: str) -> None:
    st.warning(t("common.locked"))
    form = f"unlock|{assessment_id}"
    with st.form(form):
        st.text_input(t("common.secret"), type="password", max_chars=200, key=f"{form}|key")
        st.form_submit_button(t("common.unlock"), on_click=_unlock, args=(assessment_id, form))
    refused_once(form)


def _unlock(assessment_id: str, form: str) -> None:
    """*Lås upp*'s callback: the run it starts shows the assessment, or says the key is wrong."""
    secret = _key_from(st.session_state.get(f"{form}|key", ""))
    if not secret:
        return
    try:
        workshop = store().workshop_for_secret(secret)
    except StorageError:
        workshop = None
    if workshop is None or workshop.assessment_id != assessment_id:
        refuse(form, t("common.wrong_secret"))
        return
    unlock(assessment_id, secret)


def _key_from(text: str) -> str:
    """The key typed or pasted into the key form: the key itself, or the bookmark link
    ``…/workshop?f=KEY`` that holds it (as the key file gives it)."""
    text = (text or "").strip()
    if "?" in text:
        return (parse_qs(urlsplit(text).query).get("f") or [""])[0].strip()
    return text


def area_name(bank: Bank, area_id: str) -> str:
    return bank.area(area_id).name.get(ui().lang)


def saved(message_key: str = "common.saved") -> None:
    st.toast(t(message_key), icon="💾")
