"""The frame of the app around every page: page settings, language switch, the open
assessment in the sidebar, the navigation and the shared state. ``app.py`` runs it; it lives
in a module so that it is compiled once, not on every run of the entry script.
"""

from __future__ import annotations

import json

import streamlit as st

from app_pages import context, kept_keys
from app_pages.markdown import plain
from app_pages.state import session
from assessment.i18n import LANGUAGES
from assessment.storage import StorageError

t = context.t


def run() -> None:
    st.set_page_config(page_title="Agera för säker vård – självskattning", page_icon="🩺",
                       layout="wide")
    context.begin_run()
    state = context.ui()
    _language_switch(state)
    _document_language(state.lang)
    _uploader_texts(state.lang)
    try:
        context.store()
    except StorageError as exc:
        st.error(t("app.database_error", reason=plain(str(exc))))
        st.stop()
    for problem in context.banks().problems:
        st.sidebar.warning(t("app.bank_problem", problem=plain(str(problem))))

    # The pages in the UI's language, made once per browser session and language: making them
    # checks each page's file, about a millisecond a run.
    memory = session()
    pages = memory.pages_by_lang.get(state.lang)
    if pages is None:
        pages = memory.pages_by_lang[state.lang] = _pages()
    navigation = _navigation(pages)
    context.sync_url()
    navigation.run()
    kept_keys.write()  # after the page: a key it was just given is kept at once


def _language_switch(state: context.UiState) -> None:
    with st.sidebar:
        st.segmented_control(
            t("app.language"), options=list(LANGUAGES), default=state.lang,
            format_func=lambda code: {"sv": "Svenska", "en": "English"}[code], key="lang_switch",
            on_change=_switch_language,
        )


def _switch_language() -> None:
    """The switch's callback: the run it starts is already in the language chosen (pressing
    the chosen one again deselects it, which changes nothing)."""
    state = context.ui()
    choice = st.session_state.get("lang_switch")
    if choice and choice != state.lang:
        state.lang = choice
        context.sync_url()


# Streamlit's file uploader has no parameter for its own texts: the button says "Upload" and the
# line beside it "20MB per file • JSON" in English whatever the app's language. In any other
# language, a style sheet puts the app's texts in their place (the English ones kept for a
# screen reader: they are made invisible, not removed). Streamlit's drag text ("Drag and drop
# files here", shown only while a file is dragged over) and its error messages stay English.
UPLOADER_CSS = """
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p::after {{
  content: {button}; font-size: 1rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: {instructions}; font-size: 0.875rem; }}
"""


def _uploader_texts(lang: str) -> None:
    if lang != "en":
        css = UPLOADER_CSS.format(button=json.dumps(t("app.upload_button"), ensure_ascii=False),
                                  instructions=json.dumps(t("app.upload_instructions"),
                                                          ensure_ascii=False))
        st.html(f"<style>{css}</style>")


# Streamlit's page is <html lang="en"> whatever the app's language, and it has no setting for
# it: this script sets the document's language to the UI's (WCAG 2.1, 3.1.1), on the first run
# and on every switch. The language is one of LANGUAGES, never text from the URL. The element
# that carries the script is hidden, so it takes no room in the sidebar.
LANG_SCRIPT = """<span data-psa-lang hidden></span>
<style>[data-testid="stElementContainer"]:has(span[data-psa-lang]) {{ display: none; }}</style>
<script>document.documentElement.lang = "{lang}";</script>"""


def _document_language(lang: str) -> None:
    if lang in LANGUAGES:
        st.sidebar.html(LANG_SCRIPT.format(lang=lang), unsafe_allow_javascript=True)


def _navigation(pages: dict[str, st.Page]):
    """The navigation this session may see (stops the run where it may see nothing yet)."""
    # A participant who came through a join link (?l=… or ?kod=…) or has joined (?t=…) sees
    # only the Delta page: no list of assessments, no other participants' answers, no
    # facilitator pages.
    # The mode sticks to the browser session, so a mistyped code keeps the participant there.
    memory = session()
    if any(st.query_params.get(p) for p in ("l", "kod", "t")) or memory.join_token:
        memory.participant_mode = True
    if memory.participant_mode:
        navigation = st.navigation(list(pages.values()), position="hidden")
        if navigation.url_path != pages["join"].url_path:
            st.info(t("app.participant_only"))
            st.page_link(pages["join"], label=t("nav.join"), icon="📱")
            st.stop()
        return navigation
    sign_in = context.sign_in_configured()
    if sign_in and not context.signed_in():
        # Central hosting: the facilitator's side needs the organisation's sign-in (OIDC);
        # participants still join with a code, without an account.
        st.title(t("app.sign_in_title"))
        st.write(t("app.sign_in_text"))
        st.button(t("app.sign_in"), on_click=st.login, type="primary", key="sign_in")
        st.stop()
    if sign_in:
        st.sidebar.button(t("app.sign_out"), on_click=st.logout, key="sign_out")
    kept_keys.restore()  # a reload or a second tab: the keys this browser keeps
    found = context.current()
    if found is not None:
        _, assessment, _ = found
        org = assessment.organisation
        st.sidebar.markdown(f"**{t('app.open_assessment')}**")
        st.sidebar.text(f"{org.label}\n{assessment.date}")
    # Administration only for an administrator, and only with sign-in (without it there are
    # no members to manage in the app: the command line does that).
    admin = sign_in and context.store().is_administrator()
    return st.navigation([page for name, page in pages.items() if name != "admin" or admin])


def _pages() -> dict[str, st.Page]:
    return {
        "start": st.Page("views/start.py", title=t("nav.start"), icon="🏠", default=True),
        "questionnaire": st.Page("views/questionnaire.py", title=t("nav.questionnaire"), icon="📝",
                                 url_path="sjalvskattning"),
        "consensus": st.Page("views/consensus.py", title=t("nav.consensus"), icon="🤝", url_path="samsyn"),
        "results": st.Page("views/results.py", title=t("nav.results"), icon="📊", url_path="resultat"),
        "prioritise": st.Page("views/prioritise.py", title=t("nav.prioritise"), icon="🎯",
                              url_path="prioritera"),
        "compare": st.Page("views/compare.py", title=t("nav.compare"), icon="📈", url_path="jamfor"),
        "help": st.Page("views/help_page.py", title=t("nav.help"), icon="❔", url_path="hjalp"),
        "workshop": st.Page("views/workshop.py", title=t("nav.workshop"), icon="📣", url_path="workshop"),
        "join": st.Page("views/join.py", title=t("nav.join"), icon="📱", url_path="delta"),
        "admin": st.Page("views/admin.py", title=t("nav.admin"), icon="🔑", url_path="admin"),
    }
