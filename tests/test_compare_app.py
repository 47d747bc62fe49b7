"""The Jämför page through Streamlit's AppTest: a fresh SQLite database seeded through the
Store, the page opened as a browser does, assessments picked in its multiselect.

Exempelby kommun – Hemtjänst, three years (national bank, kommun: 59 questions in scope;
G1.1 is also F1's question and G1.3 F2's, answered once):

    question   2024-03-01      2025-03-01             2026-03-01
    G1.1       1, 3 → 2        3, 3 → 3               2 → 2
    G1.2       2, 2 → 2        Vet ej ×2 → unknown    3 → 3
    G1.3       –               –                      1 → 1
    F1.1       0, 1 → 0,5      Ej akt. ×2 → na        1 → 1

    G1 mean    2 → score 50    3 → 75                 (2+3+1)/3 = 2 → 50
    F1 mean    (0,5+2)/2 = 1,25  3 (G1.1; F1.1 is Ej   (1+2)/2 = 1,5 → 37,5
               → 31,25         aktuellt) → 75
    F2 mean    –               –                      1 (G1.3) → 25

Annanby kommun (no unit), 2026-01-15: G1.1 4, 4 → 4 (G1 100); F1.1 2 → 2 (F1 (2+4)/2 = 3
→ 75).
"""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager

from app_pages import context
from assessment.bank_loader import load_banks
from assessment.document import BankRef
from assessment.snapshots import SavedSnapshots, read_snapshots
from assessment.storage import Store
from scoring.compare import snapshot
from tests.test_app_pages import (  # noqa: F401 (english_between_runs is a fixture)
    BANK,
    EVIL,
    assessment_data,
    chart_specs,
    english_between_runs,
    goto,
    markdown_bodies,
    open_app,
    rerun,
    shown,
)

SURVEY = "kommunenkat-2023"
BANKS = load_banks()


@pytest.fixture
def store(tmp_path, monkeypatch):
    """An empty database that the app (and the test) opens through ``PSA_DB_PATH``."""
    monkeypatch.setenv("PSA_DB_PATH", str(tmp_path / "compare.sqlite3"))
    monkeypatch.delenv("PSA_DATABASE_URL", raising=False)
    context._store.clear()
    with Store.from_env() as opened:
        yield opened
    context._store.clear()


def one_person(answers: dict) -> dict:
    return {q: (v, None) for q, v in answers.items()}


@pytest.fixture
def years(store) -> list[str]:
    """The three assessments of Exempelby kommun – Hemtjänst, oldest first."""
    return [
        store.create_assessment(assessment_data(
            date="2024-03-01", answers={"G1.1": (1, 3), "G1.2": (2, 2), "F1.1": (0, 1)})),
        store.create_assessment(assessment_data(
            date="2025-03-01", answers={"G1.1": (3, 3), "G1.2": ("unknown", "unknown"),
                                        "F1.1": ("na", "na")},
            actions=[{"activity": "G1.2", "title": "Redan klar", "status": "klar"}])),
        store.create_assessment(assessment_data(
            date="2026-03-01", answers=one_person({"G1.1": 2, "G1.2": 3, "G1.3": 1, "F1.1": 1}),
            actions=[
                {"activity": "G1.1", "title": "Månadsrapport om vårdskador", "status": "klar",
                 "due": "2025-10-01"},
                {"activity": "F1.1", "title": "Journalgranskning", "status": "pågår",
                 "due": "2026-01-31"},
                {"activity": "F1.2", "title": "Senare", "due": "2026-09-01"},
                {"activity": "G1.2", "title": "Redan klar", "status": "klar"},
            ])),
    ]


@pytest.fixture
def annanby(store) -> str:
    return store.create_assessment(assessment_data(
        name="Annanby kommun", unit="", date="2026-01-15",
        answers={"G1.1": (4, 4), "F1.1": (2, None)}))


def open_compare(ids: list[str], lang: str | None = None):
    at = open_app(None, "compare", lang=lang)
    at.multiselect(key="cmp_saved").set_value(ids)
    return rerun(at)


def frame(at, column: str, within=None):
    """The rows of the (first) dataframe with this column, as dicts."""
    for df in (within or at).dataframe:
        if column in df.value.columns:
            return df.value.to_dict("records")
    raise AssertionError(f"no dataframe with a column {column!r}")


def by(rows: list[dict], column: str) -> dict:
    return {r[column]: r for r in rows}


def tab(at, index: int):
    return at.tabs[index]


def charts(at) -> list[tuple[dict, list[list[dict]]]]:
    """Each chart's spec and its data sets' rows (Streamlit sends a spec's inline data
    beside it, as Arrow)."""
    def rows(arrow) -> list[dict]:
        return pa.ipc.open_stream(arrow.data).read_all().to_pylist()

    found = []
    for element in at.get("vega_lite_chart"):
        data = [rows(d.data) for d in element.proto.datasets]
        if element.proto.HasField("data"):
            data.append(rows(element.proto.data))
        found.append((json.loads(element.proto.spec), data))
    return found


def chart_rows(at, match) -> list[dict]:
    """The rows of the chart whose spec ``match`` accepts, in the data set holding the most
    rows."""
    data = next(data for spec, data in charts(at) if match(spec))
    return max(data, key=len) if data else []


def survey(made):
    survey_bank = BANKS.get(SURVEY)
    return made.model_copy(update={"bank": BankRef(id=SURVEY, version=survey_bank.version)})


def g1() -> str:
    return f"G1 {BANKS.get(BANK).area('G1').name.sv}"


# --- picking ----------------------------------------------------------------------------------

def test_page__nothing_picked__asks_for_a_choice(store, years):
    at = open_app(None, "compare")

    assert at.title[0].value == "Jämför"
    assert [i.value for i in at.info] == ["Välj minst en självskattning att jämföra."]
    assert at.multiselect(key="cmp_saved").value == []


def test_page__quick_choice__picks_every_saved_one_of_that_bank_and_year(store, years, annanby):
    at = open_app(None, "compare")
    quick = at.selectbox(key="cmp_quick")
    option = next(o for o in quick.options if "2026" in o)
    quick.select(option)
    rerun(at)
    at.button(key="cmp_quick_choose").click()
    rerun(at)

    assert sorted(at.multiselect(key="cmp_saved").value) == sorted([years[2], annanby])
    assert "2 självskattningar jämförs" in shown(at.caption[1].value)


def test_page__choice__survives_a_page_switch(store, years):
    at = open_compare(years)
    goto(at, "results")
    goto(at, "compare")

    assert at.multiselect(key="cmp_saved").value == years


def test_page__other_bank__left_out_and_says_why(store, years):
    other = store.create_assessment(survey(assessment_data(
        name="Alby", unit="", date="2025-05-01", people=[("p1", "A", "")],
        answers={"F1.1": (1,)})))
    survey_bank = BANKS.get(SURVEY)
    at = open_compare([years[0], other, years[1]])

    [warning] = [shown(w.value) for w in at.warning]
    assert warning.startswith("1 av de valda självskattningarna kan inte jämföras med de andra")
    assert (f"- **Alby · 2025-05-01 · {SURVEY}**: använder frågebanken {survey_bank.title.sv}, de "
            f"andra {BANKS.get(BANK).title.sv}. Olika frågebanker har olika frågor") in warning
    assert "2 självskattningar jämförs" in shown(at.caption[1].value)


def test_page__uploads__valid_one_compared__broken_one_named(store, years):
    at = open_compare(years[:1])
    upload = assessment_data(date="2027-03-01", answers={"G1.1": (4, 4)})
    at.file_uploader(key="cmp_upload").upload(
        "ny.json", upload.model_dump_json().encode(), "application/json")
    rerun(at)
    assert "2 självskattningar jämförs" in shown(at.caption[1].value)

    at.file_uploader(key="cmp_upload").upload("trasig.json", b"{", "application/json")
    rerun(at)
    assert [shown(e.value) for e in at.error] == [
        "1 av de uppladdade filerna kunde inte läsas och är inte med i jämförelsen:"]
    assert at.code[0].value.startswith("trasig.json: line 1")


# --- over time --------------------------------------------------------------------------------

def test_over_time__trend__scores_per_area_and_date(store, years):
    at = open_compare(years)

    rows = chart_rows(at, lambda s: s.get("facet", {}).get("field") == "area")
    assert [(r["date"], r["text"]) for r in rows if r["area"] == "G1"] == [
        ("2024-03-01", "50"), ("2025-03-01", "75"), ("2026-03-01", "50")]
    assert [(r["date"], r["text"]) for r in rows if r["area"] == "F1"] == [
        ("2024-03-01", "31"), ("2025-03-01", "75"), ("2026-03-01", "38")]
    table = by(frame(at, "Förändring, första till sista (poäng)", tab(at, 0)), "Område")
    # 50 → 50, but on G1.1 and G1.2 in 2024 and on G1.1–G1.3 in 2026: the bases differ
    assert table[g1()]["Förändring, första till sista (poäng)"] == (
        "0 (inte samma frågor med nivå: 2 före, 3 efter)")


def test_over_time__radar__the_three_dates_as_styled_series(store, years):
    at = open_compare(years)

    radar = next(s for s in chart_specs(at) if any(layer.get("name") == "polygons"
                                                  for layer in s.get("layer", [])))
    polygons = next(layer for layer in radar["layer"] if layer["name"] == "polygons")
    assert sorted({(r["key"], r["series"]) for r in polygons["data"]["values"]}) == [
        ("current", "2026-03-01"), ("extra1", "2024-03-01"), ("previous", "2025-03-01")]
    assert at.multiselect(key=next(m.key for m in at.multiselect
                                   if m.key.startswith("cmp_radar|"))).value == years[::-1]


def test_over_time__latest_change__per_area_with_levels_verdict_and_actions(store, years):
    at = open_compare(years)

    areas = by(frame(at, "Bedömning", tab(at, 0)), "Område")
    assert {k: areas[g1()][k] for k in ("Nivå 2025-03-01", "Nivå 2026-03-01",
                                        "Förändring (nivåer)", "Förändring (poäng)",
                                        "Bedömning", "Åtgärder mellan datumen")} == {
        "Nivå 2025-03-01": "3", "Nivå 2026-03-01": "2", "Förändring (nivåer)": "−1,00",
        # 2025 rests on G1.1 alone (G1.2 Vet ej), 2026 on G1.1–G1.3: not like with like
        "Förändring (poäng)": "−25", "Bedömning": "↓ försämrat (inte samma frågor med nivå: 1 före, 3 efter)",
        "Åtgärder mellan datumen": "Månadsrapport om vårdskador (G1.1, klar, 2025-10-01)"}
    f1 = next(r for name, r in areas.items() if name.startswith("F1 "))
    # F1: the shared G1.1 alone in 2025 (F1.1 Ej aktuellt), G1.1 and F1.1 in 2026
    assert (f1["Nivå 2025-03-01"], f1["Nivå 2026-03-01"], f1["Bedömning"]) == (
        "3", "1,5", "↓ försämrat (inte samma frågor med nivå: 1 före, 2 efter)")
    assert f1["Åtgärder mellan datumen"] == "Journalgranskning (F1.1, pågår, 2026-01-31)"
    assert "Frågor: 0 förbättrade, 0 oförändrade, 1 försämrade, 58 kan inte jämföras" in \
        shown(" ".join(c.value for c in tab(at, 0).caption))


def test_over_time__questions__only_changed_ones_with_their_levels(store, years):
    at = open_compare(years)

    rows = by(frame(at, "Frågetext", tab(at, 0)), "Fråga")
    assert list(rows) == ["G1.1", "G1.2", "G1.3", "F1.1"]
    assert [(rows[q]["Svar 2025-03-01"], rows[q]["Svar 2026-03-01"],
             rows[q]["Förändring (nivåer)"], rows[q]["Bedömning"]) for q in rows] == [
        ("3 – Etablerat", "2 – Delvis etablerat", "−1,0", "↓ försämrat"),
        ("Vet ej", "3 – Etablerat", "–", "kan inte jämföras"),
        ("–", "1 – Påbörjat", "–", "kan inte jämföras"),
        ("Ej aktuellt", "1 – Påbörjat", "–", "kan inte jämföras"),
    ]


def test_over_time__earlier_step__chosen_in_the_select_box(store, years):
    at = open_compare(years)
    box = next(s for s in at.selectbox if (s.key or "").startswith("cmp_step|"))
    box.select(0)
    rerun(at)

    rows = by(frame(at, "Frågetext", tab(at, 0)), "Fråga")
    assert (rows["G1.1"]["Svar 2024-03-01"], rows["G1.1"]["Svar 2025-03-01"],
            rows["G1.1"]["Bedömning"]) == ("2 – Delvis etablerat", "3 – Etablerat", "↑ förbättrat")
    assert rows["G1.2"]["Bedömning"] == "kan inte jämföras"          # 2 → Vet ej
    areas = by(frame(at, "Bedömning", tab(at, 0)), "Område")
    # Done by 2025 (klar in the 2025 plan, not in 2024's); in the latest step it is old news.
    assert areas[g1()]["Åtgärder mellan datumen"] == "Redan klar (G1.2, klar)"


def test_over_time__one_assessment_of_the_unit__says_two_are_needed(store, years, annanby):
    at = open_compare([annanby, years[2]])
    at.selectbox(key="cmp_unit").select(json.dumps(["annanby kommun", ""]))
    rerun(at)

    assert any("Det finns bara en självskattning av Annanby kommun" in shown(i.value)
               for i in at.info)


# --- across units -----------------------------------------------------------------------------

def test_across_units__heatmap_spread_and_below_target(store, years, annanby):
    at = open_compare([*years, annanby])
    units = tab(at, 1)

    assert shown(units.caption[0].value) == (
        "Den senaste självskattningen av varje enhet: 2 enheter, daterade 2026-01-15 – 2026-03-01.")
    rows = chart_rows(at, lambda s: '"unit:N"' in json.dumps(s) or '"field": "unit"' in json.dumps(s))
    assert [(r["unit"], r["area"], r["text"]) for r in rows if r["area"] in ("G1", "F1")] == [
        ("Annanby kommun", "G1", "100"), ("Annanby kommun", "F1", "75"),
        ("Exempelby kommun – Hemtjänst", "G1", "50"), ("Exempelby kommun – Hemtjänst", "F1", "38")]
    spread = by(frame(at, "Median", units), "Område")
    assert {k: spread[g1()][k] for k in ("Lägst", "Median", "Högst", "Enheter", "Lägst hos",
                                         "Högst hos")} == {
        "Lägst": "50", "Median": "75", "Högst": "100", "Enheter": 2,
        "Lägst hos": "Exempelby kommun – Hemtjänst", "Högst hos": "Annanby kommun"}
    below = frame(at, "Gap (nivåer)", units)
    assert [(r["Område"][:2], r["Enhet"], r["Gap (nivåer)"]) for r in below] == [
        ("G1", "Exempelby kommun – Hemtjänst", "1"),
        ("F1", "Exempelby kommun – Hemtjänst", "1,5"),       # Annanby's F1 is at target 3
        ("F2", "Exempelby kommun – Hemtjänst", "2")]


def test_across_units__lowest_overall_first__reorders_the_heatmap(store, years, annanby):
    at = open_compare([*years, annanby])
    at.button_group(key="cmp_sort").set_value("overall")
    rerun(at)

    table = frame(at, "Totalt", tab(at, 1))
    # Every question once: Exempelby (2 + 3 + 1 + 1) / 4 = 1,75 of 4 → 43,75 → "44";
    # Annanby (4 + 2) / 2 = 3 → 75.
    assert [(r["Enhet"], r["Totalt"]) for r in table] == [
        ("Exempelby kommun – Hemtjänst", "44"), ("Annanby kommun", "75")]


# --- against the national survey --------------------------------------------------------------

@pytest.fixture
def municipalities(store) -> list[str]:
    """Alby, Bby and Cby answer the municipal survey (see tests/test_compare.py)."""
    people = [("p1", "A", ""), ("p2", "B", ""), ("p3", "C", "")]
    answers = {
        "Alby": {"F1.1": (2, 0, None), "F1.2": (0, 0, None)},
        "Bby": {"F1.1": ("unknown", None, None), "F1.2": (1, None, None)},
        "Cby": {"F1.1": (1, 1, 0), "F1.2": ("unknown", 2, 2)},
    }
    return [
        store.create_assessment(survey(assessment_data(
            name=name, unit="", date="2025-05-01", people=people, answers=given)))
        for name, given in answers.items()
    ]


def test_national__rollup__shares_and_differences_in_points(store, municipalities):
    at = open_compare(municipalities)
    national = tab(at, 2)

    assert national.header[0].value == \
        "Sammanställning av 3 organisationer jämfört med riket"
    rows = by(frame(at, "Andel positiva svar", national), "Fråga")
    assert {k: rows["F1.1"][k] for k in ("Andel positiva svar", "Skillnad mot riket (pe)",
                                         "Organisationer med Ja",
                                         "Skillnad mot riket, organisationer (pe)",
                                         "Riket: andel Ja (planen har påverkat)")} == {
        "Andel positiva svar": "50,0 %", "Skillnad mot riket (pe)": "−22,0",
        "Organisationer med Ja": "66,7 %", "Skillnad mot riket, organisationer (pe)": "−5,3",
        "Riket: andel Ja (planen har påverkat)": "72 %"}
    assert rows["F1.2"]["Skillnad mot riket (pe)"] == "−23,0"


def test_national__one_organisation__its_answer_beside_the_country(store, municipalities):
    at = open_compare(municipalities)
    at.selectbox(key="cmp_national_org").select(2)   # Cby
    rerun(at)

    rows = by(frame(at, "Ert svar", tab(at, 2)), "Fråga")
    assert (rows["F1.1"]["Ert svar"], rows["F1.1"]["Riket: andel Ja (planen har påverkat)"],
            rows["F1.1"]["Riket: förändring (pe)"]) == ("1 – Ja, till vissa delar", "72 %", "+6")
    # Cby's F1.2 (Vet inte, 2, 2): one Vet inte beside two levels does not outnumber them,
    # so the median 2 stands (on an uncertain basis).
    assert rows["F1.2"]["Ert svar"] == "2 – Ja, till stor del"


def test_national__only_one_organisation__its_answers_only(store, municipalities):
    at = open_compare(municipalities[:1])

    assert [s.value for s in tab(at, 2).header] == ["Alby jämfört med riket"]
    assert by(frame(at, "Ert svar", tab(at, 2)), "Fråga")["F1.1"]["Ert svar"] == \
        "1 – Ja, till vissa delar"


def test_national__bank_without_reference__says_so(store, years):
    at = open_compare(years)
    assert any("har inga jämförelsevärden för riket" in shown(i.value) for i in tab(at, 2).info)


# --- language, free text, and the bulk read -------------------------------------------------

@pytest.mark.usefixtures("english_between_runs")
def test_page__english__texts_from_the_locale_file(store, years):
    at = open_compare(years, lang="en")

    assert at.title[0].value == "Compare"
    assert [t.label for t in at.tabs] == ["Over time", "Across units", "Against the country"]
    assert by(frame(at, "Verdict", tab(at, 0)), "Area")[f"G1 {BANKS.get(BANK).area('G1').name.en}"][
        "Verdict"] == "↓ worsened (not the same questions with a level: 1 before, 3 after)"


def test_free_text__names_and_action_titles__never_markdown(store):
    ids = [store.create_assessment(assessment_data(
        name=EVIL, unit=EVIL, date=date, answers={"G1.1": (value, value)},
        actions=[{"activity": "G1.1", "title": EVIL, "status": "klar"}]))
        for date, value in (("2025-01-01", 1), ("2026-01-01", 2))]
    other = store.create_assessment(survey(assessment_data(
        name=EVIL, unit="", date="2025-05-01", people=[("p1", "A", "")], answers={"F1.1": (1,)})))
    at = open_compare([*ids, other])

    bodies = markdown_bodies(at)
    assert any(EVIL in shown(b) for b in bodies)            # shown, as written …
    assert [b for b in bodies if EVIL in b or "<script>" in b or "**bold**" in b] == []  # … escaped


def test_read_snapshots__same_as_scoring_each_loaded_assessment(store, years, annanby):
    bank = BANKS.get(BANK)
    summaries = [s for s in store.list_assessments() if s.id in (*years, annanby)]

    bulk = {s.key: s for s in read_snapshots(store, summaries, bank)}
    for s in summaries:
        one = snapshot(s.id, store.load(s.id), bank)
        got = bulk[s.id]
        assert [q for a in got.areas for q in a.questions] == [q for a in one.areas for q in a.questions]
        assert [(a.id, a.score, a.target) for a in got.areas] == [
            (a.id, a.score, a.target) for a in one.areas]
        assert got.actions == one.actions and (got.date, got.unit) == (one.date, one.unit)


def test_read_snapshots__cached_until_the_assessment_changes(store, years):
    at = open_compare(years)
    before = shown(" ".join(c.value for c in tab(at, 0).caption))
    store.set_answer(years[2], "p1", "G1.1", 4)     # 2026: G1.1 2 → 4: now improved
    rerun(at)

    after = shown(" ".join(c.value for c in tab(at, 0).caption))
    assert "0 förbättrade, 0 oförändrade, 1 försämrade" in before
    assert "1 förbättrade, 0 oförändrade, 0 försämrade" in after


def test_saved_snapshots__kept_until_changed__at_most_limit__deleted_left_out(store, years):
    bank = BANKS.get(BANK)
    kept = SavedSnapshots(limit=2)

    def g1_1(aid: str) -> float | None:
        summaries = [s for s in store.list_assessments() if s.id in years]
        got = kept.of(store, summaries, bank)
        return {q.id: q.value for a in got[aid].areas for q in a.questions}.get("G1.1")

    assert g1_1(years[2]) == 2
    assert len(kept) == 2                           # three read, the oldest left
    store.set_answer(years[2], "p1", "G1.1", 4)     # a changed assessment is read again
    assert g1_1(years[2]) == 4
    store.delete_assessment(years[0])
    summaries = [s for s in store.list_assessments() if s.id in years]
    assert set(kept.of(store, summaries, bank)) == {years[1], years[2]}


# --- follow-up never mixes units ------------------------------------------------------------
#
# Exempelby kommun, two units, one person answering G1.1 only (G1's mean level is G1.1):
#
#     Hemsjukvården     2025-03-01  3 → G1 75     2026-03-01  4 → G1 100    change +25
#     Korttidsboendet   2025-09-01  1 → G1 25     2026-09-01  0 → G1 0      change −25
#
# One series of all four by date would run 75, 25, 100, 0: −75 "försämrat", no unit's change.

@pytest.fixture
def two_units(store) -> list[str]:
    return [store.create_assessment(assessment_data(
        unit=unit, date=date, people=[("p1", "A", "")], answers={"G1.1": (value,)}))
        for unit, date, value in (("Hemsjukvården", "2025-03-01", 3),
                                  ("Korttidsboendet", "2025-09-01", 1),
                                  ("Hemsjukvården", "2026-03-01", 4),
                                  ("Korttidsboendet", "2026-09-01", 0))]


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """The page's deferred downloads by file name: each the callable a click would run."""
    made = {}
    register = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return made


def trend_change(at) -> str:
    table = by(frame(at, "Förändring, första till sista (poäng)", tab(at, 0)), "Område")
    return table[g1()]["Förändring, första till sista (poäng)"]


def test_over_time__two_units__each_trend_its_own(store, two_units):
    at = open_compare(two_units)

    assert at.selectbox(key="cmp_unit").value == json.dumps(["exempelby kommun", "hemsjukvården"])
    rows = chart_rows(at, lambda s: s.get("facet", {}).get("field") == "area")
    assert [(r["date"], r["text"]) for r in rows if r["area"] == "G1"] == [
        ("2025-03-01", "75"), ("2026-03-01", "100")]
    assert trend_change(at) == "+25"

    at.selectbox(key="cmp_unit").select(json.dumps(["exempelby kommun", "korttidsboendet"]))
    rerun(at)
    rows = chart_rows(at, lambda s: s.get("facet", {}).get("field") == "area")
    assert [(r["date"], r["text"]) for r in rows if r["area"] == "G1"] == [
        ("2025-09-01", "25"), ("2026-09-01", "0")]
    assert trend_change(at) == "−25"
    areas = by(frame(at, "Bedömning", tab(at, 0)), "Område")
    assert (areas[g1()]["Nivå 2025-09-01"], areas[g1()]["Nivå 2026-09-01"],
            areas[g1()]["Bedömning"]) == ("1", "0", "↓ försämrat")


def test_excel_download__two_units__a_block_per_unit_with_its_own_change(store, two_units,
                                                                           downloads):
    open_compare(two_units)

    wb = load_workbook(io.BytesIO(downloads["jamforelse.xlsx"]()))
    over = wb["Över tid"]
    headings = [row[0].value for row in over.iter_rows()
                if isinstance(row[0].value, str) and row[0].value.startswith("Exempelby")]
    assert headings == ["Exempelby kommun – Hemsjukvården: 2 självskattningar",
                        "Exempelby kommun – Korttidsboendet: 2 självskattningar"]
    for heading, dates, g1_row in (
            (headings[0], ["2025-03-01", "2026-03-01"], [75, 100, 25, "↑ förbättrat"]),
            (headings[1], ["2025-09-01", "2026-09-01"], [25, 0, -25, "↓ försämrat"])):
        at_row = next(r[0].row for r in over.iter_rows() if r[0].value == heading)
        header = [c.value for c in over[at_row + 1]]
        first = [c.value for c in over[at_row + 2]]
        assert header[2:4] == dates and header[4:6] == ["Förändring (poäng)", "Bedömning"]
        assert first[0] == "G1" and first[2:6] == g1_row


def test_over_time__unit_with_one_assessment__no_trend_in_the_workbook(store, annanby, years,
                                                                        downloads):
    open_compare([annanby, *years])

    over = load_workbook(io.BytesIO(downloads["jamforelse.xlsx"]()))["Över tid"]
    texts = [row[0].value for row in over.iter_rows() if isinstance(row[0].value, str)]
    assert "Exempelby kommun – Hemtjänst: 3 självskattningar" in texts
    assert ("Annanby kommun: en självskattning (2026-01-15) – ingen trend. Utvecklingen visas "
            "när enheten har minst två självskattningar.") in texts


# --- the national figure, named ---------------------------------------------------------------

def test_national__caption_names_what_the_national_figure_is(store, municipalities):
    at = open_compare(municipalities)

    captions = " ".join(shown(c.value) for c in tab(at, 2).caption)
    assert ("Riket: andel kommuner i riket som svarade att den nationella handlingsplanen har "
            "påverkat detta (Ja, till stor del eller Ja, till vissa delar) i Socialstyrelsens "
            "enkät 2023, n = 211") in captions


def test_help__follow_up_per_unit_and_the_national_figure_named(store):
    at = open_app(None, "help_page")

    after = shown(at.markdown[2].value)
    assert "utvecklingen visas per enhet" in after
    assert "Olika enheter jämförs aldrig över tid" in after
    assert ("Rikets siffra: Andel kommuner i riket som svarade att den nationella "
            "handlingsplanen har påverkat detta (Ja, till stor del eller Ja, till vissa delar), "
            "2023, n = 211.") in after


def test_over_time__last_years_assessment_of_the_earlier_bank_version__merged_and_compared(store):
    # Saved with version 1 of the national bank, which asked G1.1 a second time as F1.3: Anna
    # answered G1.1 1 and F1.3 3 (G1's kept), Bo only F1.3 3 (moved to G1.1): G1.1 is the
    # median of 1 and 3 = 2, G1's only answered question → 2 / 4 = 50. This year (version 2)
    # G1.1 is 3 → 75. Read as it is, without the merge, G1 would be 1 → 25.
    last_year = assessment_data(date="2025-03-01", answers={"G1.1": (1, None), "F1.3": (3, 3)})
    old = store.create_assessment(last_year.model_copy(
        update={"bank": BankRef(id=BANK, version="1")}))
    new = store.create_assessment(assessment_data(date="2026-03-01",
                                                  answers=one_person({"G1.1": 3})))

    at = open_compare([old, new])

    rows = chart_rows(at, lambda s: s.get("facet", {}).get("field") == "area")
    assert [(r["date"], r["text"]) for r in rows if r["area"] == "G1"] == [
        ("2025-03-01", "50"), ("2026-03-01", "75")]
