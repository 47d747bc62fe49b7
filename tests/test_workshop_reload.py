"""Issue 26: a reload never locks the facilitator out (AppTest).

The browser keeps each facilitator key in a cookie (``app_pages/kept_keys.py``): the page
writes it with a script and a new session reads it back from ``st.context.cookies``. Here a
"reload" is a new AppTest session given the cookies the last one's script wrote (AppTest has
no browser: ``st.context.cookies`` is patched). The real browser does the same in
tests/test_workshop_reload_browser.py.
"""

from __future__ import annotations

import json
import re

import pytest
import streamlit as st

from assessment.workshop import code_from_secret, display_code
from tests.test_app_pages import assessment_data
from tests.test_workshop_pages import all_text, page, param, run


@pytest.fixture
def store(app_store):
    return app_store


@pytest.fixture
def aid(store) -> str:
    return store.create_assessment(assessment_data(name="Hemligby kommun"))


@pytest.fixture
def cookies(monkeypatch) -> dict[str, str]:
    """What the browser sends as its cookies to every new session (fill it in)."""
    jar: dict[str, str] = {}
    monkeypatch.setattr(st.context.__class__, "cookies", property(lambda self: dict(jar)))
    return jar


def kept(at) -> tuple[dict[str, str], list[str]]:
    """The cookies the page's script sets and deletes: ({name: value}, [names deleted])."""
    for element in at.sidebar.get("html"):
        body = element.proto.body
        if "data-psa-keys" in body:
            keep, drop = re.findall(r"of (\[.*?\]\]|\[.*?\])\)", body)
            return dict(json.loads(keep)), json.loads(drop)
    return {}, []


def opened_on_the_page(aid: str):
    """The facilitator opens a workshop on the Workshop page; the session and the secret."""
    at = page("workshop", a=aid)
    at = run(next(b for b in at.button if b.label == "Öppna workshop").click())
    bookmark = next(e for e in at.expander if e.label.startswith("Din ledarlänk")).code[0].value
    return at, bookmark.rsplit("?f=", 1)[1]


def facilitator_view(at, secret: str) -> bool:
    """The running workshop: its code large and the live progress."""
    return (f"# {display_code(code_from_secret(secret))}" in [m.value for m in at.markdown]
            and [m.label for m in at.metric] == ["Har gått med", "Har svarat på allt"])


def key_form(at) -> bool:
    return "Ledarens nyckel" in [w.label for w in at.text_input]


def test_reload__the_kept_key__facilitator_view_again_without_a_key_form(store, aid, cookies):
    at, secret = opened_on_the_page(aid)
    keep, _ = kept(at)
    wid = secret.split(".")[0]
    assert keep == {f"psa_ledare_{wid}": f"0:{secret}"}  # one cookie per workshop
    assert param(at, "f") is None and secret not in str(at.query_params)

    cookies.update(keep)
    for again in (page("workshop", a=aid), page("workshop")):  # F5; a tab opened anew
        assert facilitator_view(again, secret) and not key_form(again)
    assert run(page("results", a=aid)).metric  # and the assessment's other pages

    cookies.clear()  # another browser: no cookie
    fresh = page("workshop", a=aid)
    assert key_form(fresh) and not facilitator_view(fresh, secret)
    assert display_code(code_from_secret(secret)) not in all_text(fresh)


def test_reload__several_workshops_kept__each_opens(store, aid, cookies):
    other = store.create_assessment(assessment_data(name="Annanby kommun"))
    first, first_secret = opened_on_the_page(aid)
    second, second_secret = opened_on_the_page(other)
    cookies.update(kept(first)[0])
    cookies.update(kept(second)[0])

    assert facilitator_view(page("workshop", a=aid), first_secret)
    assert facilitator_view(page("workshop", a=other), second_secret)
    assert len(kept(page("workshop"))[0]) == 2  # both kept (and renewed) by a new session


@pytest.mark.parametrize("why", ["assessment deleted", "garbage", "key of another workshop"])
def test_reload__a_key_that_no_longer_matches__dropped_quietly(store, aid, cookies, why):
    _, secret = store.open_workshop(aid)
    wid = secret.split(".")[0]
    if why == "assessment deleted":
        store.delete_assessment(aid)
        cookies[f"psa_ledare_{wid}"] = f"1:{secret}"
    elif why == "garbage":
        cookies[f"psa_ledare_{wid}"] = "1:x.y<script>"
    else:
        _, other = store.open_workshop(store.create_assessment(assessment_data()))
        cookies[f"psa_ledare_{wid}"] = f"1:{other}"

    at = page("workshop")

    assert not at.error and not at.exception
    keep, drop = kept(at)
    assert drop == [f"psa_ledare_{wid}"] and keep == {}
    assert "x.y" not in "".join(e.proto.body for e in at.sidebar.get("html"))  # never echoed


def test_start__locked_workshop__others_see_that_it_exists_and_how_it_opens(store, aid, cookies):
    store.create_assessment(assessment_data(name="Annanby kommun"))
    at, secret = opened_on_the_page(aid)
    opened = store.workshop_for_secret(secret).created_at.date().isoformat()

    someone = run(page("start"))  # another browser: no key
    text = all_text(someone)
    assert someone.selectbox(key="open_choice").options == [
        "Annanby kommun – Hemtjänst · 2026-03-01"]
    assert f"Workshop öppnad {opened}" in text and "Låsta workshoppar" in text
    assert "Hemligby" not in text  # nothing of its content
    someone = run(next(b for b in someone.button if b.label == "Ange nyckeln").click())
    assert key_form(someone)  # how it is opened: the key
    someone.switch_page("views/workshop.py")  # AppTest's next run stays where the app went
    someone.text_input[0].input(f"  https://psa.example.se/workshop?f={secret}\n")  # the file's
    someone = run(next(b for b in someone.button if b.label == "Lås upp").click())
    assert facilitator_view(someone, secret)

    cookies.update(kept(at)[0])
    holder = run(page("start"))  # the browser that holds the key
    options = holder.selectbox(key="open_choice").options
    assert "Hemligby kommun – Hemtjänst · 2026-03-01" in options
    assert "Låsta workshoppar" not in all_text(holder)


def test_workshop_page__key_unsaved__new_workshop_asks_first_then_leaves(store, aid, cookies):
    at, secret = opened_on_the_page(aid)
    assert any("Spara ledarens nyckel" in w.value for w in at.warning)
    assert [d for d in at.get("download_button")], "the key is offered as a file"

    at = run(at.button(key="ws_new").click())
    assert any("inte sparad" in w.value for w in at.warning)
    assert facilitator_view(at, secret), "still in the workshop until confirmed"
    at = run(at.button(key="ws_new_cancel").click())
    assert facilitator_view(at, secret) and not any("inte sparad" in w.value for w in at.warning)

    at = run(at.button(key="ws_new").click())
    at = run(at.button(key="ws_new_anyway").click())
    assert any(b.label == "Öppna workshop" for b in at.button)  # the opening form

    saved = page("workshop", f=secret)
    saved = run(saved.checkbox(key="ws_key_bookmarked").check())  # bookmarked: saved
    assert not any("Spara ledarens nyckel" in w.value for w in saved.warning)
    assert kept(saved)[0][f"psa_ledare_{secret.split('.')[0]}"] == f"1:{secret}"
    saved = run(saved.button(key="ws_new").click())  # no question asked
    assert any(b.label == "Öppna workshop" for b in saved.button)


def test_start__closing_a_workshop_whose_key_is_unsaved__asks_first(store, aid, cookies):
    at, secret = opened_on_the_page(aid)
    at.switch_page("views/start.py")
    at = run(at)

    at = run(at.button(key="close_open").click())
    assert any("inte sparad" in w.value for w in at.warning)
    assert param(at, "a") == aid
    at = run(at.button(key="close_open_anyway").click())
    assert param(at, "a") is None


def test_start__closing_a_workshop_whose_key_is_unsaved__one_run_a_click(
        store, aid, cookies, script_runs):
    at, secret = opened_on_the_page(aid)
    at.switch_page("views/start.py")
    at = run(at)

    script_runs.clear()
    at = run(at.button(key="close_open").click())
    assert len(script_runs) == 1 and any("inte sparad" in w.value for w in at.warning)
    script_runs.clear()
    at = run(at.button(key="close_open_anyway").click())
    assert len(script_runs) == 1 and param(at, "a") is None
    assert not any(b.key == "close_open" for b in at.button)  # closed: drawn so at once


def test_key_file__names_the_workshop_and_holds_the_bookmark_link(store, aid):
    import datetime as dt

    from app_pages import kept_keys

    text = kept_keys.key_file("k", "https://psa.example.se/workshop?f=k", store.load(aid),
                              dt.datetime(2026, 3, 1, 9, tzinfo=dt.timezone.utc)).decode()
    assert "Ledarens nyckel" in text and "Hemligby kommun – Hemtjänst, 2026-03-01" in text
    assert "https://psa.example.se/workshop?f=k" in text and "Visa den inte för gruppen" in text


def test_workshop_page__forget_the_key_here__cookie_deleted_key_form_then_kept_again(
        store, aid, cookies):
    at, secret = opened_on_the_page(aid)
    name = f"psa_ledare_{secret.split('.')[0]}"
    run(at.checkbox(key="ws_key_bookmarked").check())

    at = run(at.button(key="ws_forget").click())  # saved: no question asked

    assert kept(at) == ({}, [name])
    assert key_form(at) and not facilitator_view(at, secret)
    next(w for w in at.text_input if w.label == "Ledarens nyckel").input(secret)
    at = run(next(b for b in at.button if b.label == "Lås upp").click())
    assert facilitator_view(at, secret)
    assert kept(at) == ({name: f"1:{secret}"}, [])  # given again: kept again, not deleted
