""""Bara du ser dina svar här" is true (issue 18): a participant who joined a workshop with
their own link answers privately – the facilitator's Självskattning neither lists nor edits
them one by one – and an anonymous workshop keeps neither a name nor a role."""

from __future__ import annotations

from tests.test_workshop_pages import aid, all_text, joined, page, run, store  # noqa: F401


def test_store__workshop_participant_ids__those_who_joined_with_their_own_link(store, aid):
    code, _ = store.open_workshop(aid)
    _, token = joined(store, code, "Cia", "SSK")
    joined_id = store.participant_view(token).participant_id

    assert store.workshop_participant_ids(aid) == {joined_id}
    listed = [p.id for p in store.load(aid).participants]
    assert joined_id in listed and len(listed) == 3  # Anna and Bo, entered by the facilitator


def test_questionnaire__workshop_participants__not_listed_to_the_facilitator(store, aid):
    code, secret = store.open_workshop(aid)
    _, token = joined(store, code, "Cia", "SSK")
    cia = store.participant_view(token).participant_id
    store.answer_as_participant(token, "G1.1", 3, "Min egen kommentar")

    at = page("workshop", f=secret)            # the facilitator's session, with the key
    at.switch_page("views/questionnaire.py")
    run(at)

    (who,) = [s for s in at.selectbox if s.label == "Vems svar matas in?"]
    assert who.options == ["Anna (MAS)", "Bo"]  # Cia is not among them
    assert "1 deltagare svarar själva i workshoppen" in " ".join(c.value for c in at.caption)
    assert "Min egen kommentar" not in all_text(at) and cia not in all_text(at)


def test_join__anonymous_workshop__asks_for_no_role_and_keeps_none(store, aid):
    code, _ = store.open_workshop(aid, anonymous=True)
    at = page("join", kod=code)
    assert [w.key for w in at.text_input if w.key in ("join_name", "join_role")] == []

    token = store.join(code, "Cia", "Sjuksköterska på avdelning 7")  # even if sent
    me = store.participant_view(token).participant_id
    (p,) = [p for p in store.load(aid).participants if p.id == me]
    assert (p.name, p.role) == ("", "")
