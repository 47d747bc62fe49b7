"""No English and no raw stored value in the Swedish interface, and no Swedish label in the
English one (issue 18).

Every page is opened through AppTest with an assessment that has answers, an effort per
activity, an action plan and an earlier assessment of the same unit, and everything a reader
sees is gathered: Markdown, texts, titles, widget labels, help, placeholders and options, tab
and expander labels, metrics, the tables' column labels and cells, and the charts' titles and
mark texts. Two things AppTest cannot see are checked elsewhere or not at all: the file
uploader's own texts (Streamlit draws them in the browser: ``test_uploader__swedish`` below
reads them in Chromium) and Streamlit's toolbars over charts and tables ("Download as PNG",
"Show data", "Search", "Fullscreen": tooltips of Streamlit's front end, with no parameter to
change them).
"""

from __future__ import annotations

import json
import math
import re

import pyarrow as pa
import pytest

from tests.test_app_pages import (  # noqa: F401 (english_between_runs is a fixture)
    ANNA,
    assessment_data,
    elements,
    english_between_runs,
    open_app,
    rerun,
)
from tests.sheet_support import open_expander

# Words Streamlit or Python write when a value or a text is missing: a None or NaN cell is
# drawn "None", a table without rows "empty", a widget without placeholder "Choose an option".
ENGLISH = re.compile(r"\b(None|nan|NaN|empty|null|Choose an? |Choose options|No options|"
                     r"Upload|Browse files|Drag and drop|per file|Download as|True|False)\b")
# Stored values that must never be shown as they are stored (each has a label in locales/).
RAW_EFFORT = {"låg", "medel", "hög"}
RAW_STATUS = {"planerad", "pågår", "klar", "pausad"}
# Words of the Swedish interface that the English one must not show in its labels.
SWEDISH = re.compile(r"\b(Självskattning|Samsyn|Resultat|Prioritera|Jämför|Hjälp|Delta|Ladda|"
                     r"Välj|Spara|Område|Fråga|Nivå|Mål|Poäng|Deltagare|Åtgärd|Insats|Viktighet|"
                     r"Vet ej|Ej aktuellt|Ansvarig|Anteckning|Öppna|Skapa|Visa|Datum)\b|"
                     r"\b(" + "|".join(sorted(RAW_EFFORT | RAW_STATUS)) + r")\b")

PAGES = ["start", "questionnaire", "consensus", "results", "prioritise", "compare", "help_page",
         "workshop", "join"]
LABEL_TYPES = {"title", "header", "subheader", "button", "download_button", "page_link",
               "expander", "tab", "text_input", "text_area", "selectbox", "multiselect", "radio",
               "toggle", "checkbox", "number_input", "date_input", "file_uploader", "metric",
               "button_group", "form_submit_button"}


def _cells(df) -> list:
    """Every cell as the reader sees it: a selectbox column's value by its option's label, a
    missing value as the table's placeholder where it has one (else None, drawn "None")."""
    config = json.loads(df.proto.columns or "{}")
    labels = {str(column): {o["value"]: o["label"] for o in
                            (config.get(str(column), {}).get("type_config") or {}).get("options", [])
                            if isinstance(o, dict)}
              for column in df.value.columns}
    placeholder = df.proto.placeholder if df.proto.HasField("placeholder") else None
    shown = []
    for row in df.value.astype(object).to_dict("records"):
        for column, v in row.items():
            missing = v is None or (isinstance(v, float) and math.isnan(v))
            shown.append(placeholder if missing and placeholder is not None
                         else labels[str(column)].get(v, v) if not missing else None)
    return shown


def _column_labels(df) -> list[str]:
    config = json.loads(df.proto.columns or "{}")
    return [config.get(str(c), {}).get("label") or str(c) for c in df.value.columns]


def _chart_texts(element) -> list[str]:
    """The chart's titles and the texts its marks write (its data's "text" and "label" fields)."""
    found: list[str] = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                if k != "values":
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("title", "text"):
            found.append(node)

    walk(json.loads(element.proto.spec))
    arrows = [element.proto.data] if element.proto.HasField("data") else []
    arrows += [d.data for d in element.proto.datasets]
    for arrow in arrows:
        for row in pa.ipc.open_stream(arrow.data).read_all().to_pylist():
            found += [str(row[k]) for k in ("text", "label", "effort", "status") if row.get(k)]
    return found


def shown(at) -> tuple[list[str], list[str], list]:
    """(every text a reader sees, the labels among them, every table cell)."""
    everything, labels, cells = [], [], []
    for e in elements(at):
        if e.type == "dataframe":
            labels += _column_labels(e)
            cells += _cells(e)
            continue
        if e.type == "vega_lite_chart":
            everything += _chart_texts(e)
            continue
        for attr in ("value", "label", "help", "placeholder"):
            value = getattr(e, attr, None) if attr != "value" or e.type not in LABEL_TYPES else None
            if isinstance(value, str) and value:
                everything.append(value)
                if attr == "label" and e.type in LABEL_TYPES:
                    labels.append(value)
        if e.type in ("selectbox", "multiselect", "radio", "button_group"):
            everything += [str(o) for o in getattr(e, "options", [])]
    everything += labels
    return everything, labels, cells


@pytest.fixture
def seeded(store) -> list[str]:
    """The ids of the earlier assessment and of the one with data (opened on every page)."""
    earlier = store.create_assessment(assessment_data(date="2025-03-01",
                                                      answers={"G1.1": (1, 2), "F1.1": (0, 0)}))
    return [earlier, store.create_assessment(assessment_data(
        effort={"G1.1": "låg", "F1.1": "hög"},
        actions=[{"activity": "G1.1", "title": "Månadsrapport", "status": "pågår", "due": "2026-05-01"},
                 {"activity": "F1.1", "title": "Journalgranskning"}]))]


@pytest.fixture
def store(app_store):
    return app_store


def walk(ids: list[str], page: str, lang: str):
    at = open_app(ids[-1], page, participant=ANNA, lang=lang)
    if page == "questionnaire":
        open_expander(at, "people")
        open_expander(at, "excel")
    if page == "compare":
        at.multiselect(key="cmp_saved").set_value(ids)
        rerun(at)
        at.toggle(key="cmp_only_changed").set_value(False)
        rerun(at)
    return at


def problems_in_swedish(at) -> list[str]:
    everything, _, cells = shown(at)
    found = [f"text: {s!r}" for s in everything if ENGLISH.search(s)]
    for cell in cells:
        if cell is None or (isinstance(cell, float) and math.isnan(cell)):
            found.append("cell: None")  # Streamlit draws a missing cell as "None"
        elif isinstance(cell, str) and (cell in RAW_EFFORT or ENGLISH.search(cell)):
            found.append(f"cell: {cell!r}")
    return found


def problems_in_english(at) -> list[str]:
    everything, labels, cells = shown(at)
    found = [f"label: {s!r}" for s in labels if SWEDISH.search(s)]
    found += [f"cell: {c!r}" for c in cells if isinstance(c, str) and c in RAW_EFFORT | RAW_STATUS]
    found += [f"text: {s!r}" for s in everything if s in RAW_EFFORT | RAW_STATUS]
    return found


@pytest.mark.parametrize("page", PAGES)
def test_swedish__page_with_data__no_english_or_raw_value(seeded, page):
    at = walk(seeded, page, "sv")

    assert problems_in_swedish(at) == []


@pytest.mark.parametrize("page", PAGES)
def test_english__page_with_data__no_swedish_label_or_raw_value(seeded, english_between_runs, page):
    at = walk(seeded, page, "en")

    assert problems_in_english(at) == []


def test_compare__radar_dates_emptied__placeholder_in_swedish(seeded):
    at = walk(seeded, "compare", "sv")
    radar = next(m for m in at.multiselect if (m.key or "").startswith("cmp_radar"))

    assert radar.placeholder == "Välj datum"  # Streamlit's own would be "Choose options"


@pytest.mark.browser
def test_uploader__swedish__button_and_instructions_in_swedish(tmp_path, browser):
    """Streamlit 1.67's file uploader takes no texts of its own; the app's style sheet puts
    "Ladda upp" and its instructions in place of "Upload" and "20MB per file • JSON"."""
    from pathlib import Path

    from tests.browser_support import StreamlitServer

    script = Path(__file__).resolve().parent.parent / "app.py"
    env = {"PSA_DB_PATH": str(tmp_path / "app.sqlite3"), "PSA_DATABASE_URL": None}
    seen = {}
    with StreamlitServer(script, env=env) as server:
        for lang in ("sv", "en"):
            page = browser.new_page()
            page.goto(server.url("", lang=lang))
            page.locator("[role=tab]").nth(2).click()
            zone = page.locator("[data-testid=stFileUploaderDropzone]").first
            zone.wait_for()
            seen[lang] = zone.evaluate("""z => {
                const after = (el) => getComputedStyle(el, '::after').content;
                const size = (el) => getComputedStyle(el).fontSize;
                const button = z.querySelector('[data-testid=stBaseButton-secondary] p');
                const line = z.querySelector('[data-testid=stFileUploaderDropzoneInstructions] span');
                return [after(button), size(button), after(line), size(line)];
            }""")
            page.close()

    assert seen["sv"] == ['"Ladda upp"', "0px", '"Dra hit filer eller klicka på Ladda upp"', "0px"]
    assert seen["en"][0] == "none" and seen["en"][1] != "0px"  # Streamlit's own English texts
