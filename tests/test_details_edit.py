"""Start's "Ändra uppgifter": the open assessment's organisation, unit, date and audience
changed (Store.update_details), through AppTest as a browser uses it.

The known assessment of tests/test_app_pages.py: Exempelby kommun – Hemtjänst, 2026-03-01,
the national bank, the organisation's own questions (kommun: 59). A care provider's
questions are 58: G1.5 is for huvudmän only. Anna and Bo both answered G1.5, so 2 of the 15
answers would no longer count for a vårdgivare.
"""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from assessment.bank_loader import load_banks
from assessment.document import Assessment
from tests.test_app_pages import (  # noqa: F401 (aid, english_between_runs, store: fixtures)
    ANNA, aid, assessment_data, english_between_runs, open_app, rerun, store)
from tests.test_workspaces import RITA, seed, signed_in
from tests.test_workspaces import ANNA as ANNA_EMAIL

BEFORE = ("Exempelby kommun", "kommun", "Hemtjänst", dt.date(2026, 3, 1), None)


def details(store, aid: str) -> tuple:
    a = store.load(aid)
    org = a.organisation
    return org.name, org.kind.value, org.unit, a.date, a.audience.value if a.audience else None


def field(at: AppTest, aid: str, kind: str, name: str):
    return getattr(at, kind)(key=f"edit|{aid}_{name}")


def save(at: AppTest, aid: str) -> AppTest:
    at.button(key=f"edit|{aid}_save").click()
    return rerun(at)


def panel_line(at: AppTest) -> str:
    return at.text[0].value


def popovers(at: AppTest) -> list[str]:
    return [p.proto.popover.label for p in at.get("popover")]


def edit_popover(at: AppTest):
    (found,) = [p for p in at.get("popover")
                if p.proto.popover.label in ("Ändra uppgifter", "Edit details")]
    return found


def alerts(at: AppTest, kind: str) -> list[str]:
    """The messages of a kind in "Ändra uppgifter"."""
    return [e.value for e in getattr(edit_popover(at), kind)]


def test_edit_details__offered_with_the_details_as_they_are(aid):
    at = open_app(aid)
    assert "Ändra uppgifter" in popovers(at)
    assert (field(at, aid, "text_input", "org").value, field(at, aid, "selectbox", "kind").value,
            field(at, aid, "text_input", "unit").value, field(at, aid, "date_input", "date").value,
            field(at, aid, "selectbox", "audience").value) == (
        "Exempelby kommun", "kommun", "Hemtjänst", dt.date(2026, 3, 1), "same")
    assert not alerts(at, "warning") and not at.checkbox  # nothing would be left out as it is


def test_edit_details__saved_and_shown_in_the_open_panel(store, aid):
    at = open_app(aid)
    assert panel_line(at).startswith("Exempelby kommun – Hemtjänst · 2026-03-01 · ")
    field(at, aid, "text_input", "org").input("Nyby kommun")
    field(at, aid, "text_input", "unit").input("Äldreomsorg")
    field(at, aid, "date_input", "date").set_value(dt.date(2026, 5, 2))
    field(at, aid, "selectbox", "audience").select("region")  # the same 59 questions
    at = rerun(at)
    assert not alerts(at, "warning") and not at.checkbox
    save(at, aid)

    assert details(store, aid) == ("Nyby kommun", "kommun", "Äldreomsorg", dt.date(2026, 5, 2),
                                   "region")
    assert panel_line(at).startswith("Nyby kommun – Äldreomsorg · 2026-05-02 · ")
    assert not at.error
    assert len(store.load(aid).answers) == 15


def test_edit_details__saved__one_run_draws_the_panel_and_an_error_shows_once(
        store, aid, script_runs):
    at = open_app(aid)
    field(at, aid, "text_input", "org").input("  ")
    script_runs.clear()
    save(at, aid)
    assert len(script_runs) == 1 and alerts(at, "error") == ["Skriv organisationens namn."]
    assert not alerts(rerun(at), "error")  # once

    field(at, aid, "text_input", "org").input("Nyby kommun")
    script_runs.clear()
    save(at, aid)

    assert len(script_runs) == 1
    assert panel_line(at).startswith("Nyby kommun – Hemtjänst · 2026-03-01 · ")


def test_edit_details__empty_name__error_and_nothing_changed(store, aid):
    at = open_app(aid)
    field(at, aid, "text_input", "org").input("  ")
    field(at, aid, "text_input", "unit").input("Äldreomsorg")
    save(at, aid)

    assert alerts(at, "error") == ["Skriv organisationens namn."]
    assert details(store, aid) == BEFORE
    assert panel_line(at).startswith("Exempelby kommun – Hemtjänst · 2026-03-01 · ")


def test_edit_details__answers_left_out__warned_with_the_count_and_saved_only_when_ticked(
        store, aid):
    at = open_app(aid)
    field(at, aid, "selectbox", "audience").select("vardgivare")
    at = rerun(at)
    assert alerts(at, "warning") == [
        "2 svar som redan har getts gäller frågor som inte ingår med de nya uppgifterna och "
        "räknas då inte längre i resultaten. Svaren raderas inte: de finns kvar och räknas "
        "igen om ni ändrar tillbaka."]

    save(at, aid)  # not ticked
    assert alerts(at, "error") == ["Kryssa i rutan för att bekräfta. Inget har ändrats."]
    assert details(store, aid) == BEFORE

    field(at, aid, "checkbox", "confirm").check()
    save(at, aid)
    assert details(store, aid)[4] == "vardgivare"
    assert len(store.load(aid).answers) == 15, "the answers are kept, as the warning says"
    assert not at.error and not alerts(at, "warning")  # as it is now, nothing more is left out


def test_edit_details__kind_changed__its_questions_count(store, aid):
    # "Frågorna för organisationens typ" follows the kind: a vårdgivare leaves G1.5 out too.
    at = open_app(aid)
    field(at, aid, "selectbox", "kind").select("vardgivare")
    at = rerun(at)
    assert alerts(at, "warning")[0].startswith("2 svar som redan har getts")
    field(at, aid, "checkbox", "confirm").check()
    save(at, aid)
    assert details(store, aid)[1:] == ("vardgivare", "Hemtjänst", dt.date(2026, 3, 1), None)


def test_edit_details__bank_without_questions_for_the_audience__error_and_nothing_changed(store):
    # Kommunenkät 2023 asks municipalities only: a region gets none of its 31 questions.
    kommunenkat = load_banks().get("kommunenkat-2023")
    doc = assessment_data(people=[(ANNA, "Anna", "")], answers={}).to_json_dict()
    doc.update(bank={"id": kommunenkat.id, "version": kommunenkat.version})
    aid = store.create_assessment(Assessment.model_validate(doc))
    at = open_app(aid)
    field(at, aid, "selectbox", "kind").select("region")
    save(rerun(at), aid)

    [error] = alerts(at, "error")
    assert error.startswith("Frågebanken ") and "har inga frågor för Region." in error
    assert details(store, aid) == BEFORE


def test_edit_details__english(aid, english_between_runs):
    at = open_app(aid, lang="en")
    assert "Edit details" in popovers(at)
    assert at.button(key=f"edit|{aid}_save").label == "Save the details"


def test_reader__no_edit_details(app_store):
    ids = seed(app_store)
    for email, offered in ((RITA, False), (ANNA_EMAIL, True)):
        at = signed_in(email, ids["a"])
        assert at.text[0].value.startswith("Region A – Hemtjänst"), email  # the open panel
        assert ("Ändra uppgifter" in popovers(at)) is offered, email
        assert bool([b for b in at.button if b.key == f"edit|{ids['a']}_save"]) is offered
        assert bool([w for w in at.text_input if (w.key or "").startswith("edit|")]) is offered
