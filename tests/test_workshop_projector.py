"""The room's view of a workshop (issue 18): one click from the facilitator's page to the
code and the QR code large, then the live progress – and never the facilitator key, which is
not left in the address either. A join link that only this computer can open is warned of."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app_pages.workshop import _local_only, timer_text
from assessment.workshop import code_from_secret, display_code
from tests.test_workshop_pages import aid, all_text, joined, page, param, run, store  # noqa: F401


def test_projector__one_click__code_qr_progress_and_no_key_or_controls(store, aid):
    code, secret = store.open_workshop(aid)
    joined(store, code, "Cia", "SSK")
    at = page("workshop", f=secret)
    assert param(at, "f") is None  # taken out of the address at once

    run(at.button(key="ws_projector_on").click())

    text = all_text(at)
    assert f"# {display_code(code)}" in [m.value for m in at.markdown]
    (qr,) = at.get("image")
    assert [(m.label, m.value) for m in at.metric] == [("Har gått med", "1"),
                                                       ("Har svarat på allt", "0")]
    (progress,) = at.table
    assert list(progress.value.index) == ["Cia"]  # the live progress
    assert secret not in text and "?f=" not in text
    assert not any(e.label.startswith("Din ledarlänk") for e in at.expander)
    labels = {b.label for b in at.button}
    assert labels == {"Tillbaka till ledarvyn"}, labels  # no close, consensus or new workshop

    run(at.button(key="ws_projector_off").click())
    assert {"Stäng svarandet", "Projektorvy"} <= {b.label for b in at.button}
    assert code_from_secret(secret) == code


def test_projector__answering_closed__the_room_is_told(store, aid):
    code, secret = store.open_workshop(aid)
    store.set_workshop_state(store.workshop_for_secret(secret).id, secret, "closed")
    at = page("workshop", f=secret)
    run(at.button(key="ws_projector_on").click())

    assert "## Svarandet är stängt." in [m.value for m in at.markdown]


@pytest.mark.parametrize("link,local", [
    ("http://localhost:8501/delta?kod=ABC", True),
    ("http://127.0.0.1:8501/delta?kod=ABC", True),
    ("http://[::1]:8501/delta?kod=ABC", True),
    ("http://192.168.1.20:8501/delta?kod=ABC", False),
    ("https://psa.region.se/delta?kod=ABC", False),
    ("/delta?kod=ABC", False),  # relative: the browser's own address
])
def test_local_only__names_this_machine(link, local):
    assert _local_only(link) is local


def test_timer__started__the_room_sees_the_time_left(store, aid):
    code, secret = store.open_workshop(aid)
    at = page("workshop", f=secret)
    at.number_input(key="ws_timer_minutes").set_value(10)
    run(at.button(key="ws_timer_start").click())

    shown = [m.value for m in at.markdown if m.value.startswith("**⏱️")]
    assert len(shown) == 1 and re.fullmatch(r"\*\*⏱️ (10:00|9:[0-5]\d) kvar att svara\*\*", shown[0])

    run(at.button(key="ws_projector_on").click())
    assert any(re.fullmatch(r"# ⏱️ (10:00|9:[0-5]\d) kvar att svara", m.value) for m in at.markdown)


def test_timer_text__minutes_and_seconds_then_time_is_up():
    now = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.timezone.utc)
    assert timer_text(now + dt.timedelta(minutes=12, seconds=5), now) == "12:05 kvar att svara"
    assert timer_text(now + dt.timedelta(seconds=59), now) == "0:59 kvar att svara"
    assert timer_text(now, now) == "Tiden för svarandet är ute"
    assert timer_text(now - dt.timedelta(minutes=3), now) == "Tiden för svarandet är ute"


# --- a workshop limited to the day's areas -------------------------------------------------

def test_day_areas__opened_with_two__participants_answer_only_those_and_progress_counts_them(
        store, aid):
    from assessment.bank_loader import load_banks
    from assessment.storage import InvalidInput
    from assessment.workshop.progress import day_scope, progress_rows
    from tests.test_workshop_pages import sheet, shown_code

    at = page("workshop", a=aid)
    at.multiselect(key="ws_areas").set_value(["G2", "G1"])
    run(at.button[0].click())
    code = shown_code(at)
    workshop = store.workshop_by_code(code)
    assert workshop.areas == ("G1", "G2")  # in the bank's order
    assert "Dagens områden: G1, G2." in " ".join(c.value for c in at.caption)

    participant, token = joined(store, code, "Cia", "SSK")
    assert store.participant_view(token).areas == ("G1", "G2")
    assert [a["id"] for a in sheet(participant)["areas"]] == ["G1", "G2"]
    store.answer_as_participant(token, "G1.1", 2)
    with pytest.raises(InvalidInput, match="not among this workshop's areas"):
        store.answer_as_participant(token, "F1.1", 2)   # F1 is not today's

    bank = load_banks().get(store.load(aid).bank.id)
    audience = store.load(aid).effective_audience
    total = sum(len({q.id for q in qs}) for _, qs in day_scope(bank, audience, ("G1", "G2")))
    people = store.workshop_progress(workshop.id, at.session_state["page_state"].workshop_secret)
    (row,) = progress_rows(bank, audience, people, workshop.areas)
    assert [a.area for a in row.areas] == ["G1", "G2"] and (row.answered, row.total) == (1, total)


def test_day_areas__an_area_not_in_the_bank__refused(store, aid):
    from assessment.storage import InvalidInput

    with pytest.raises(InvalidInput, match="area 'X9' is not in bank"):
        store.open_workshop(aid, areas=["G1", "X9"])
    assert not store.has_workshop(aid)
