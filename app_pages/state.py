"""What a browser session remembers between reruns, in one typed object.

Streamlit keeps a session's memory in ``st.session_state``, a dict of string keys. The
widgets' own values stay there under their ``key=`` (Streamlit reads and writes them, and a
page may read a widget's value by its key). Everything else the pages remember is a field
of ``PageState``, one object per browser session: ``session()`` gives it. A new thing to
remember is a new field here, with what it is for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import streamlit as st

from assessment.bank import Bank
from assessment.document import Assessment
from assessment.i18n import DEFAULT_LANGUAGE

_KEY = "page_state"  # the one session-state entry that holds the object


@dataclass
class UiState:
    """The URL's part of the session: read from the query parameters once, kept in sync
    with them (``context.ui``, ``context.sync_url``), so a refresh opens the same place."""

    lang: str = DEFAULT_LANGUAGE
    assessment_id: str | None = None
    participant_id: str | None = None


@dataclass(frozen=True)
class AssessmentCopy:
    """This session's copy of an assessment: the version it is, and, once asked, whether a
    workshop was opened on it (opening one bumps the version; a workshop is never taken back)."""

    assessment_id: str
    version: dt.datetime | None
    assessment: Assessment
    has_workshop: bool | None = None


@dataclass(frozen=True)
class OpenRead:
    """The open assessment as read in this run (``context.current``): with its bank, or None
    when none is open or it cannot be; ``locked``, an assessment run as a workshop whose
    facilitator secret this session has not given."""

    found: tuple[str, Assessment, Bank] | None
    locked: str | None = None


@dataclass
class SheetMemory:
    """One answer sheet's memory between its reruns (``answer_sheet.py``)."""

    ack: str | None = None                     # the id of the last event handled
    focus: tuple[str | None, int] | None = None  # (question to focus, a counter that moves it)
    problem: str | None = None                 # a refusal to show once, on the next draw
    status: dict[str, str] = field(default_factory=dict)  # question → saved-state, shown once


@dataclass
class FormsImport:
    """The last import of filled-in Excel forms into one assessment (``excel_io.py``)."""

    digest: str                                # the files imported, so they are not again
    created: int = 0                           # people added
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, participant) before
    shown: bool = False                        # the result was shown once


@dataclass
class Upload:
    """An assessment file uploaded on Jämför: read, or why not."""

    name: str
    assessment: Assessment | None
    problems: list[str] = field(default_factory=list)


@dataclass
class CompareState:
    """What the user picked on Jämför (``compare.py``)."""

    saved: list[str] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)  # by the upload's file id


@dataclass
class PageState:
    # The frame (``frame.py``, ``context.py``)
    ui: UiState | None = None                  # None until read from the URL
    pages_by_lang: dict[str, dict] = field(default_factory=dict)  # made once per language
    facilitator_keys: dict[str, str] = field(default_factory=dict)  # assessment id → secret given
    opened: OpenRead | None = None             # None: not read yet in this run
    refusal: tuple[str, str] | None = None     # (place, line): a callback's write refused, shown
                                               # once there (``context.refused_once``)
    copy: AssessmentCopy | None = None         # the last assessment loaded, to skip a re-read
    # The facilitator keys this browser keeps in its cookies (``kept_keys.py``), by workshop id
    keys_restored: bool = False                # the browser's kept keys were read (once)
    keys_saved: set[str] = field(default_factory=set)    # downloaded or bookmarked
    keys_dropped: set[str] = field(default_factory=set)  # no longer valid: deleted there
    leaving: str | None = None                 # the leave button waiting for a confirmation
    # Workshop (the facilitator's page)
    workshop_secret: str | None = None         # the facilitator secret given (bookmark link)
    projector: bool = False                    # the projector view is shown
    timer_end: dt.datetime | None = None       # when the answering time the room sees ends (UTC)
    workshop_opened: bool = False              # a workshop was just opened: say so once
    workshop_error: str | None = None          # a refused action, shown once
    workshop_notice: str | None = None         # a done action's message, shown once
    removing: str | None = None                # the participant to remove, awaiting "Ja"
    new_workshop: bool = False                 # "Öppna en ny workshop": the opening form
    # Delta (a participant's page)
    participant_mode: bool = False             # came by a join link: sees Delta only, for good
    join_token: str | None = None              # the participant's token
    join_stream: str | None = None             # a random id: the session's wrong-code counter
    # The answer sheets by their key, the plan's refused rows and the form imports by assessment
    sheets: dict[str, SheetMemory] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)   # the area a sheet shows, by area key
    plan_problems: dict[str, list[str]] = field(default_factory=dict)  # refusals, as Markdown
    forms: dict[str, FormsImport] = field(default_factory=dict)
    compare: CompareState = field(default_factory=CompareState)

    def sheet(self, key: str) -> SheetMemory:
        return self.sheets.setdefault(key, SheetMemory())


def session() -> PageState:
    """This browser session's ``PageState`` (made on first use)."""
    found = st.session_state.get(_KEY)
    if found is None:
        found = st.session_state[_KEY] = PageState()
    return found
