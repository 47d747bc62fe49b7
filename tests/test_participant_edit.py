"""Självskattning's "Deltagare": renaming a participant and removing one with their answers
(Store.update_participant, Store.remove_participant), through AppTest as a browser uses it.

The known assessment of tests/test_app_pages.py: Anna (p1, MAS) has 8 answers (G1.1–G1.5,
G2.1, F1.1, F1.2), Bo (p2) 7 (the same but G1.3): 15 in all.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.sheet_support import open_expander, sheet, values
from tests.test_app_pages import (  # noqa: F401 (aid, english_between_runs, store: fixtures)
    ANNA, BO, ROOT, aid, assessment_data, english_between_runs, open_app, query, rerun, store)
from tests.test_workspaces import RITA, seed, signed_in
from tests.test_workspaces import ANNA as ANNA_EMAIL


def people_open(aid: str, participant: str | None = ANNA) -> AppTest:
    """Självskattning with "Deltagare" unfolded, the sheet on ``participant``."""
    at = open_app(aid, "questionnaire", participant=participant)
    return open_expander(at, "people")


def pick(at: AppTest, aid: str, pid: str) -> AppTest:
    """Choose the participant to rename or remove."""
    at.selectbox(key=f"q_edit_who|{aid}").select(pid)
    return rerun(at)


def submit(at: AppTest, form: str) -> AppTest:
    next(b for b in at.button if (b.key or "").startswith(f"FormSubmitter:{form}")).click()
    return rerun(at)


def confirm_box(at: AppTest, aid: str, pid: str):
    return at.checkbox(key=f"q_edit|{aid}|{pid}|remove")


def who(at: AppTest, aid: str):
    return at.selectbox(key=f"q_who_{aid}")


def answers_of(store, aid: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in store.load(aid).answers:
        counts[a.participant] = counts.get(a.participant, 0) + 1
    return counts


# --- renaming ----------------------------------------------------------------------------

def test_rename__name_and_role_stored_and_shown_in_whose_answers(store, aid):
    at = pick(people_open(aid), aid, BO)
    at.text_input(key=f"q_edit|{aid}|{BO}|name").input("Bosse")
    at.text_input(key=f"q_edit|{aid}|{BO}|role").input("Undersköterska")
    submit(at, "edit_participant")

    assert [(p.id, p.name, p.role) for p in store.load(aid).participants] == [
        (ANNA, "Anna", "MAS"), (BO, "Bosse", "Undersköterska")]
    assert who(at, aid).options == ["Anna (MAS)", "Bosse (Undersköterska)"]
    assert who(at, aid).value == ANNA and query(at, "p") == ANNA  # still entering Anna's answers
    assert answers_of(store, aid) == {ANNA: 8, BO: 7}, "renaming keeps the answers"
    assert not at.error


def test_rename__empty_name__error_and_nothing_changed(store, aid):
    at = pick(people_open(aid), aid, BO)
    at.text_input(key=f"q_edit|{aid}|{BO}|name").input("   ")
    submit(at, "edit_participant")

    assert "Skriv deltagarens namn." in [e.value for e in at.error]
    assert [(p.name, p.role) for p in store.load(aid).participants] == [("Anna", "MAS"), ("Bo", "")]


# --- removing ----------------------------------------------------------------------------

def test_edit__nobody_chosen__no_fields_until_one_is(aid):
    at = people_open(aid)
    chooser = at.selectbox(key=f"q_edit_who|{aid}")
    assert (chooser.label, chooser.value, chooser.placeholder) == (
        "Ändra eller ta bort en deltagare", None, "Välj deltagare")
    assert chooser.options == ["Anna (MAS)", "Bo"]
    assert [w.label for w in at.text_input] == ["Namn", "Roll (t.ex. MAS, enhetschef)"]  # to add
    assert not at.checkbox


def test_remove__confirmation_names_the_answers_that_go(aid):
    at = pick(people_open(aid), aid, BO)
    assert confirm_box(at, aid, BO).label == (
        "Ja, ta bort Bo och deltagarens 7 svar. Det går inte att ångra.")
    at = pick(at, aid, ANNA)
    assert confirm_box(at, aid, ANNA).label == (
        r"Ja, ta bort Anna \(MAS\) och deltagarens 8 svar. Det går inte att ångra.")


def test_remove__without_confirmation__nothing_removed(store, aid):
    at = pick(people_open(aid), aid, BO)
    submit(at, "remove_participant")

    assert [w.value for w in at.warning] == [
        "Kryssa i rutan för att bekräfta. Ingen deltagare har tagits bort."]
    assert [p.id for p in store.load(aid).participants] == [ANNA, BO]
    assert answers_of(store, aid) == {ANNA: 8, BO: 7}


def test_remove__confirmed__participant_and_their_answers_gone(store, aid):
    at = pick(people_open(aid), aid, BO)
    confirm_box(at, aid, BO).check()
    submit(at, "remove_participant")

    assert [p.id for p in store.load(aid).participants] == [ANNA]
    assert answers_of(store, aid) == {ANNA: 8}  # Bo's 7 are gone, Anna's 8 kept
    assert who(at, aid).options == ["Anna (MAS)"]
    assert query(at, "p") == ANNA and values(at)["G1.1"] == 1  # still Anna's sheet
    chooser = at.selectbox(key=f"q_edit_who|{aid}")
    assert chooser.options == ["Anna (MAS)"] and chooser.value is None and not at.checkbox
    assert not at.error and not at.warning


def test_remove_and_rename__one_run_each_draws_the_result(store, aid, script_runs):
    at = pick(people_open(aid), aid, BO)
    at.text_input(key=f"q_edit|{aid}|{BO}|name").input("Bosse")
    script_runs.clear()
    submit(at, "edit_participant")
    assert len(script_runs) == 1 and who(at, aid).options == ["Anna (MAS)", "Bosse"]

    confirm_box(at, aid, BO).check()
    script_runs.clear()
    submit(at, "remove_participant")

    assert len(script_runs) == 1 and who(at, aid).options == ["Anna (MAS)"]
    assert [p.id for p in store.load(aid).participants] == [ANNA]


def test_remove__the_participant_on_the_sheet__sheet_moves_to_the_next(store, aid):
    at = people_open(aid, participant=ANNA)
    assert values(at)["G1.1"] == 1  # Anna's answer
    at = pick(at, aid, ANNA)
    confirm_box(at, aid, ANNA).check()
    submit(at, "remove_participant")

    assert [p.id for p in store.load(aid).participants] == [BO]
    assert answers_of(store, aid) == {BO: 7}
    assert query(at, "p") == BO
    assert who(at, aid).value == BO and who(at, aid).options == ["Bo"]
    assert values(at)["G1.1"] == 3 and values(at)["G1.3"] is None  # Bo's answers
    assert sheet(at)["overall"]["text"] == "Totalt besvarat: 7 av 59"
    assert not at.error and not at.exception

    rerun(at)  # and it stays there
    assert query(at, "p") == BO and values(at)["G1.1"] == 3


def test_remove__the_last_participant__asked_to_add_one(store):
    aid = store.create_assessment(assessment_data(people=[(ANNA, "Anna", "MAS")],
                                                  answers={"G1.1": (2,)}))
    at = pick(people_open(aid), aid, ANNA)
    assert confirm_box(at, aid, ANNA).label == (
        r"Ja, ta bort Anna \(MAS\) och deltagarens 1 svar. Det går inte att ångra.")
    confirm_box(at, aid, ANNA).check()
    submit(at, "remove_participant")

    assert store.load(aid).participants == [] and store.load(aid).answers == []
    assert query(at, "p") is None
    assert any(i.value.startswith("Lägg till en deltagare") for i in at.info)
    assert not at.error


def test_remove__a_participant_without_answers__says_so(store, aid):
    store.new_participant(aid, "Cecilia", "")
    at = pick(people_open(aid), aid, "p3")
    assert confirm_box(at, aid, "p3").label == "Ja, ta bort Cecilia (deltagaren har inga svar ännu)."
    confirm_box(at, aid, "p3").check()
    submit(at, "remove_participant")
    assert [p.id for p in store.load(aid).participants] == [ANNA, BO]


def test_remove__english__confirmation_in_english(aid, english_between_runs):
    at = open_app(aid, "questionnaire", participant=ANNA, lang="en")
    at = pick(open_expander(at, "people"), aid, BO)
    assert confirm_box(at, aid, BO).label == (
        "Yes, remove Bo and their answers (7). This cannot be undone.")
    assert [b.label for b in at.button if (b.key or "").startswith("FormSubmitter:")] == [
        "Add participant", "Save name and role", "Remove the participant"]


# --- who may ------------------------------------------------------------------------------

def test_workshop_participants__not_offered_for_rename_or_remove(store, aid):
    code, secret = store.open_workshop(aid)
    store.join(code, "Cia", "SSK")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["f"] = secret  # the facilitator's bookmark opens Workshop, unlocked
    at.run()
    at.switch_page("views/workshop.py")
    at = rerun(at)
    at.switch_page("views/questionnaire.py")
    at = open_expander(rerun(at), "people")
    assert any("1 deltagare svarar själva i workshoppen" in c.value for c in at.caption)

    assert at.selectbox(key=f"q_edit_who|{aid}").options == ["Anna (MAS)", "Bo"]


def test_reader__no_rename_or_remove(app_store):
    ids = seed(app_store)
    for email, offered in ((RITA, False), (ANNA_EMAIL, True)):
        at = signed_in(email, ids["a"], participant=ANNA)
        at.session_state[f"q_people|{ids['a']}"] = True
        at.switch_page("views/questionnaire.py")
        at = rerun(at)
        chooser = [s for s in at.selectbox if s.key == f"q_edit_who|{ids['a']}"]
        assert bool(chooser) is offered, email
        if offered:
            at = pick(at, ids["a"], BO)
        forms = {(b.key or "").split("-")[0] for b in at.button}
        assert ("FormSubmitter:edit_participant" in forms) is offered, email
        assert ("FormSubmitter:remove_participant" in forms) is offered, email
        assert bool(at.checkbox) is offered, email
    assert [p.name for p in app_store.load(ids["a"]).participants] == ["Anna", "Bo"]
