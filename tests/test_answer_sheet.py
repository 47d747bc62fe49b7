"""The answer sheet's model (assessment/answer_sheet.py): what an area shows and which events
from the browser are accepted. Expected figures are counted by hand from the national bank."""

from __future__ import annotations

import re

import pytest

from assessment import answer_sheet
from assessment.answer_sheet import (Applied, BadEvent, ConsensusAnswers, SheetEvent, StoreAnswers,
                                     TokenAnswers, apply_event, parse_event, sheet_data)
from assessment.bank_loader import load_banks
from assessment.document import MAX_TEXT
from assessment.i18n import translate
from assessment.storage import InvalidInput
from tests.test_app_pages import assessment_data

NATIONAL = load_banks().get("nationell-handlingsplan-2025")
# Every question in scope (kommun), as the app builds it: a shared question (``also_in``) is
# listed in each of its areas, at its place there (G1.1 is F1's third question).
AREAS = NATIONAL.scope("kommun")


def sv(key, **values):
    return translate("sv", key, **values)


def en(key, **values):
    return translate("en", key, **values)


# --- events --------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ({"kind": "answer", "question": "G1.1", "option": 0}, SheetEvent("answer", "G1.1", value=0)),
    ({"kind": "answer", "question": "F5.9", "option": 4}, SheetEvent("answer", "F5.9", value=4)),
    ({"kind": "answer", "question": "G1.2", "option": 5}, SheetEvent("answer", "G1.2", value="unknown")),
    ({"kind": "answer", "question": "G1.2", "option": 6}, SheetEvent("answer", "G1.2", value="na")),
    ({"kind": "comment", "question": "G2.1", "text": "<b>fet</b>"},
     SheetEvent("comment", "G2.1", text="<b>fet</b>")),
    ({"kind": "comment", "question": "G2.1", "text": "x" * MAX_TEXT},
     SheetEvent("comment", "G2.1", text="x" * MAX_TEXT)),
    ({"kind": "clear", "question": "F3.6"}, SheetEvent("clear", "F3.6")),
    ({"kind": "area", "area": "F2"}, SheetEvent("area", area="F2")),
    ({"kind": "jump"}, SheetEvent("jump")),
])
def test_parse_event__valid__checked_event(raw, expected):
    assert parse_event(raw, NATIONAL, AREAS) == expected


@pytest.mark.parametrize("raw, message", [
    ("answer", "an event must be an object, not str"),
    ({"kind": "drop"}, "unknown event kind 'drop'"),
    ({"question": "G1.1", "option": 1}, "unknown event kind None"),
    ({"kind": "answer", "question": "G1.1", "option": 7}, "option 7 is not one of the scale's 7"),
    ({"kind": "answer", "question": "G1.1", "option": -1}, "option -1 is not"),
    ({"kind": "answer", "question": "G1.1", "option": True}, "option True is not"),
    ({"kind": "answer", "question": "G1.1", "option": 2.0}, "option 2.0 is not"),
    ({"kind": "answer", "question": "G1.1", "option": "3"}, "option '3' is not"),
    ({"kind": "answer", "question": "G1.13", "option": 1}, "question 'G1.13' is not in"),
    ({"kind": "clear"}, "question None is not in"),
    ({"kind": "comment", "question": "G1.1", "text": 5}, "a comment must be text"),
    ({"kind": "comment", "question": "G1.1", "text": "x" * (MAX_TEXT + 1)},
     f"a comment may have at most {MAX_TEXT} characters, not {MAX_TEXT + 1}"),
    ({"kind": "area", "area": "G5"}, "area 'G5' is not in this assessment"),
])
def test_parse_event__bad__refused_with_what_is_wrong(raw, message):
    with pytest.raises(BadEvent, match="^" + re.escape(message)):
        parse_event(raw, NATIONAL, AREAS)


# What a crafted message may put in any field: JSON's other types, empty and nested.
CRAFTED = [["G1.1"], {"id": "G1.1"}, None, 70, [], {}, [["G1.1", {"a": [1]}]], {"x": {"y": []}}]
# One proper event per field that matters to it (the field name, then the event).
FIELDS = [
    ("question", {"kind": "answer", "question": "G1.1", "option": 1}),
    ("question", {"kind": "comment", "question": "G1.1", "text": "ok"}),
    ("question", {"kind": "clear", "question": "G1.1"}),
    ("area", {"kind": "area", "area": "G1"}),
    ("option", {"kind": "answer", "question": "G1.1", "option": 1}),
    ("text", {"kind": "comment", "question": "G1.1", "text": "ok"}),
    ("kind", {"kind": "clear", "question": "G1.1"}),
]


@pytest.mark.parametrize("value", CRAFTED, ids=repr)
@pytest.mark.parametrize("field, event", FIELDS, ids=lambda x: x if isinstance(x, str) else x["kind"])
def test_parse_event__crafted_field__refused_as_a_bad_event(field, event, value):
    # A list or dict where a question or area id belongs used to raise TypeError
    # ("unhashable type") from the membership test: a traceback instead of a refusal.
    assert parse_event(event, NATIONAL, AREAS).kind == event["kind"]  # as sent: accepted
    with pytest.raises(BadEvent):
        parse_event({**event, field: value}, NATIONAL, AREAS)


@pytest.mark.parametrize("value", CRAFTED, ids=repr)
def test_event_id__crafted_id__none_and_the_event_still_read(value):
    raw = {"kind": "clear", "question": "G1.1", "id": value}
    assert answer_sheet.event_id(raw) is None
    assert parse_event(raw, NATIONAL, AREAS) == SheetEvent("clear", "G1.1")


def test_parse_event__question_outside_the_scope__refused():
    # Only G1 in scope (as for an audience that sees one area): G2.1 is not on the sheet.
    g1_only = [AREAS[0]]
    with pytest.raises(BadEvent, match="question 'G2.1' is not in this assessment"):
        parse_event({"kind": "clear", "question": "G2.1"}, NATIONAL, g1_only)
    with pytest.raises(BadEvent, match="area 'G2' is not in"):
        parse_event({"kind": "area", "area": "G2"}, NATIONAL, g1_only)


# --- what an area shows ----------------------------------------------------------------------

ANSWERS = {"G1.1": (1, "Rutin saknas"), "G1.3": ("unknown", ""), "G1.4": ("na", ""),
           "G2.1": (4, ""), "F1.1": (0, "")}


def test_sheet_data__progress__counted_by_hand():
    data = sheet_data(NATIONAL, AREAS, "G1", ANSWERS, "sv", sv)

    # 5 of 59 answered (each question once); G1 has G1.1, G1.3 and G1.4 of its 12 (Vet ej and
    # Ej aktuellt count). 59 − 5 = 54 left.
    assert data["overall"] == {"done": 5, "total": 59, "text": "Totalt besvarat: 5 av 59"}
    assert (data["area"]["done"], data["area"]["total"]) == (3, 12)
    assert data["missing"] == 54
    tabs = {a["id"]: (a["done"], a["total"]) for a in data["areas"]}
    # Per area a shared question counts where it is listed: F1 = F1.1 + G1.1 (2 of 10),
    # F2 = G1.3 + G1.4 (2 of 11); the totals add up to the 69 places, 12 + 4 + 4 + 5 + 10 + 11
    # + 6 + 8 + 9.
    assert tabs == {"G1": (3, 12), "G2": (1, 4), "G3": (0, 4), "G4": (0, 5), "F1": (2, 10),
                    "F2": (2, 11), "F3": (0, 6), "F4": (0, 8), "F5": (0, 9)}
    assert sum(total for _, total in tabs.values()) == 69
    # The first question without an answer, in bank order.
    assert data["first_missing"] == {"area": "G1", "question": "G1.2"}


def test_sheet_data__answers__option_positions_and_comments():
    data = sheet_data(NATIONAL, AREAS, "G1", ANSWERS, "sv", sv)
    by_id = {q["id"]: q for q in data["questions"]}

    # Options: 0–4 at positions 0–4, Vet ej at 5, Ej aktuellt at 6.
    assert [o["label"] for o in data["options"]][4:] == [
        "4 – Integrerat och lärande", "Vet ej", "Ej aktuellt"]
    assert (by_id["G1.1"]["option"], by_id["G1.1"]["comment"]) == (1, "Rutin saknas")
    assert by_id["G1.3"]["option"] == 5 and by_id["G1.4"]["option"] == 6
    assert (by_id["G1.2"]["option"], by_id["G1.2"]["comment"]) == (None, "")
    # The scale help ("Vad betyder nivåerna?") lists every option with its descriptor.
    scale = NATIONAL.scale
    assert data["texts"]["scale_help"] == "Vad betyder nivåerna?"
    assert [o["hint"] for o in data["options"]] == [
        level.descriptor.sv for level in scale.levels] + [scale.unknown.descriptor.sv,
                                                          scale.na.descriptor.sv]
    q = NATIONAL.area("G1").questions[0]
    assert by_id["G1.1"]["activity"] == f"Aktivitet i handlingsplanen: {q.activity.sv}"
    # Guidance: what each level with an example looks like, under the level's label.
    assert by_id["G1.1"]["examples"] == [
        {"level": scale.label(level), "text": q.guidance[level].sv} for level in sorted(q.guidance)]
    assert by_id["G1.1"]["examples"][0]["level"] == "0 – Saknas"


def test_sheet_data__neighbours_status_and_focus():
    data = sheet_data(NATIONAL, AREAS, "G1", ANSWERS, "sv", sv,
                      status={"G1.1": "💾 Sparat"}, focus="G1.2", focus_seq=3)
    assert (data["previous"], data["next"]) == (None, "G2")
    assert [q["status"] for q in data["questions"]][:2] == ["💾 Sparat", ""]
    assert data["focus"] == {"question": "G1.2", "seq": 3}

    last = sheet_data(NATIONAL, AREAS, "F5", ANSWERS, "sv", sv)
    assert (last["previous"], last["next"], last["focus"]) == ("F4", None, None)
    assert last["area"]["time"] == "Tidsperspektiv: framåt – att vården blir säker i framtiden."
    assert last["area"]["title"] == f"F5 · {NATIONAL.area('F5').name.sv}"


@pytest.mark.parametrize("raw, expected", [
    ({"kind": "jump", "id": "k3x-7"}, "k3x-7"),
    ({"kind": "jump"}, None),
    ({"kind": "jump", "id": 7}, None),
    ({"kind": "jump", "id": "x" * 65}, None),
    ("jump", None),
])
def test_event_id__the_browsers_id_or_none(raw, expected):
    assert answer_sheet.event_id(raw) == expected


def test_sheet_data__ack_and_not_saved_text__for_the_browser():
    data = sheet_data(NATIONAL, AREAS, "G1", ANSWERS, "sv", sv, ack="k3x-7")
    assert data["ack"] == "k3x-7"
    assert data["texts"]["not_saved"].startswith("Inte sparat än")
    assert sheet_data(NATIONAL, AREAS, "G1", ANSWERS, "en", en)["ack"] is None


def test_sheet_data__everything_answered__nothing_missing():
    every = {q.id: (2, "") for _, qs in AREAS for q in qs}
    data = sheet_data(NATIONAL, AREAS, "G3", every, "sv", sv)
    assert (data["missing"], data["first_missing"]) == (0, None)
    assert answer_sheet.first_unanswered(AREAS, every) is None


def test_sheet_data__english__texts_and_labels_follow_the_language():
    data = sheet_data(NATIONAL, AREAS, "G1", ANSWERS, "en", en)
    assert data["overall"]["text"] == "Answered in total: 5 of 59"
    assert [o["label"] for o in data["options"]][-2:] == ["Don't know", "Not applicable"]
    assert data["questions"][0]["text"] == NATIONAL.area("G1").questions[0].text.en
    assert data["texts"]["answer_label"].replace("{id}", "G1.1") == "Answer to G1.1"


# --- what an event changes ------------------------------------------------------------------

@pytest.fixture
def aid(store) -> str:
    """Anna (p1) answered G1.1 = 1, G1.2 = 2, G1.3 Vet ej, G1.4 Ej aktuellt, G1.5 = 0, G2.1 = 4,
    F1.1 = 0 and F1.2 = 2 (tests/test_app_pages.py's SEED_ANSWERS)."""
    return store.create_assessment(assessment_data())


def anna(store, aid: str) -> StoreAnswers:
    """Anna's answers through the store, as Självskattning saves them."""
    return StoreAnswers(store, aid, "p1")


def saved(store, aid: str) -> dict[str, tuple]:
    return store.participant_answers(aid, "p1")


def applied_write(store, aid: str, event: SheetEvent) -> Applied:
    """Apply ``event`` as Anna's sheet does; the whole assessment, as loaded, shows the same
    answers as her sheet reads."""
    applied = apply_event(anna(store, aid), event, AREAS)
    mine = {a.question: (a.value, a.comment) for a in store.load(aid).answers
            if a.participant == "p1"}
    assert mine == saved(store, aid)
    return applied


def test_apply_event__answer__saved_and_the_comment_kept(store, aid):
    store.set_answer(aid, "p1", "G1.2", 2, "Enligt rutinen")
    applied = applied_write(store, aid, SheetEvent("answer", "G1.2", value="na"))

    assert applied.note == "questionnaire.saved"
    assert saved(store, aid)["G1.2"] == ("na", "Enligt rutinen")


def test_apply_event__first_answer__saved_without_comment(store, aid):
    applied = applied_write(store, aid, SheetEvent("answer", "G1.9", value=3))

    assert applied.note == "questionnaire.saved"
    assert saved(store, aid)["G1.9"] == (3, "")


def test_apply_event__comment__saved_only_with_an_answer(store, aid):
    assert applied_write(store, aid, SheetEvent("comment", "G1.1", text="Ny")).note == \
        "questionnaire.saved"
    assert saved(store, aid)["G1.1"] == (1, "Ny")

    before = saved(store, aid)
    assert apply_event(anna(store, aid), SheetEvent("comment", "G1.6", text="Ny"), AREAS) == \
        Applied(note="questionnaire.comment_needs_answer")
    assert saved(store, aid) == before


def test_apply_event__clear__answer_gone(store, aid):
    assert applied_write(store, aid, SheetEvent("clear", "G1.5")).note == "questionnaire.cleared"
    assert "G1.5" not in saved(store, aid) and len(saved(store, aid)) == 7


def test_apply_event__area_and_jump__what_to_show(store, aid):
    before = saved(store, aid)
    assert apply_event(anna(store, aid), SheetEvent("area", area="F3"), AREAS) == Applied(area="F3")
    # Anna's first question without an answer, in bank order, is G1.6.
    assert apply_event(anna(store, aid), SheetEvent("jump"), AREAS) == \
        Applied(area="G1", focus="G1.6")
    assert saved(store, aid) == before


def test_token_answers__the_participants_own__saved_while_open_and_read_only_after(store, aid):
    code, secret = store.open_workshop(aid)
    token = store.join(code, "Cia", "")
    source = TokenAnswers(store, token, store.participant_view(token).participant_id)
    assert source.read() == ({}, True)  # Anna's and Bo's answers are not the participant's

    assert apply_event(source, SheetEvent("answer", "G1.2", value=3), AREAS) == \
        Applied(note="questionnaire.saved")
    apply_event(source, SheetEvent("comment", "G1.2", text="Enligt rutinen"), AREAS)
    apply_event(source, SheetEvent("answer", "G1.2", value="unknown"), AREAS)  # comment kept
    assert apply_event(source, SheetEvent("jump"), AREAS) == Applied(area="G1", focus="G1.1")
    assert source.read() == ({"G1.2": ("unknown", "Enligt rutinen")}, True)

    store.set_workshop_state(store.workshop_for_secret(secret).id, secret, "closed")
    assert source.read() == ({"G1.2": ("unknown", "Enligt rutinen")}, False)
    for event in (SheetEvent("answer", "G1.3", value=1), SheetEvent("clear", "G1.2"),
                  SheetEvent("comment", "G1.2", text="Ny")):
        assert apply_event(source, event, AREAS) == Applied(note="workshop.join.not_saved")
    assert source.read()[0] == {"G1.2": ("unknown", "Enligt rutinen")}


def test_comment_without_an_answer__refused_by_every_source__nothing_saved(store, aid):
    code, _secret = store.open_workshop(aid)
    token = store.join(code, "Cia", "")
    store.set_consensus(aid, "G1.1", 2, "Enade efter diskussion")
    sources = [anna(store, aid), TokenAnswers(store, token, "d1"), ConsensusAnswers(store, aid)]
    before = [source.read()[0] for source in sources]

    for source in sources:  # G1.6: none of them has an answer to it
        assert apply_event(source, SheetEvent("comment", "G1.6", text="Ny"), AREAS) == \
            Applied(note="questionnaire.comment_needs_answer")
    assert [source.read()[0] for source in sources] == before
    assert "G1.6" not in before[0] and before[1] == {} and before[2] == {
        "G1.1": (2, "Enade efter diskussion")}


def test_consensus_answers__level_keeps_the_note_and_note_keeps_the_level(store, aid):
    source = ConsensusAnswers(store, aid, "G1.1")
    apply_event(source, SheetEvent("answer", "G1.1", value=2), AREAS)
    apply_event(source, SheetEvent("comment", "G1.1", text="Enade"), AREAS)
    apply_event(source, SheetEvent("answer", "G1.1", value=3), AREAS)
    assert source.read()[0] == {"G1.1": (3, "Enade")}
    store.set_consensus(aid, "G1.1", 1)  # the store's own call, without a note: note emptied
    assert source.read()[0] == {"G1.1": (1, "")}


def test_comment_alone__over_long__refused_and_nothing_saved(store, aid):
    with pytest.raises(InvalidInput, match=f"at most {MAX_TEXT} characters"):
        store.set_answer_comment(aid, "p1", "G1.1", "x" * (MAX_TEXT + 1))
    with pytest.raises(InvalidInput, match=f"at most {MAX_TEXT} characters"):
        store.set_consensus_note(aid, "G1.1", "x" * (MAX_TEXT + 1))
    assert saved(store, aid)["G1.1"] == (1, "")


def test_sheet_data__read_only__said_to_the_browser():
    assert sheet_data(NATIONAL, AREAS, "G1", {}, "sv", sv)["read_only"] is False
    assert sheet_data(NATIONAL, AREAS, "G1", {}, "sv", sv, read_only=True)["read_only"] is True


def test_sheet_data__shared_question__in_each_area_with_its_wording_and_a_note():
    # G1.5 is also F2's seventh question (it replaced F2.7); the seed words it a little
    # differently in F2 ("ett patientsäkerhetsperspektiv").
    g1 = {q["id"]: q for q in sheet_data(NATIONAL, AREAS, "G1", ANSWERS, "sv", sv)["questions"]}
    f2 = sheet_data(NATIONAL, AREAS, "F2", ANSWERS, "sv", sv)["questions"]
    assert [q["id"] for q in f2][:7] == ["G1.3", "F2.2", "G1.4", "G1.6", "F2.5", "F2.6", "G1.5"]
    by_id = {q["id"]: q for q in f2}
    assert g1["G1.5"]["activity"] == ("Aktivitet i handlingsplanen: säkerställa patientsäkerhets"
                                      "perspektiv i beställning och upphandling av hälso- och "
                                      "sjukvård och i avtalsuppföljningen")
    assert by_id["G1.5"]["activity"] == ("Aktivitet i handlingsplanen: säkerställa ett patient"
                                         "säkerhetsperspektiv i beställning och upphandling av "
                                         "hälso- och sjukvård och i avtalsuppföljningen")
    # The note names the other area; one answer shows in both (G1.3's Vet ej at option 5).
    assert g1["G1.5"]["shared"] == (
        "Samma aktivitet finns också i F2: ni svarar en gång, och svaret räknas i båda områdena.")
    assert by_id["G1.5"]["shared"] == (
        "Samma aktivitet finns också i G1: ni svarar en gång, och svaret räknas i båda områdena.")
    assert g1["G1.3"]["option"] == by_id["G1.3"]["option"] == 5
    assert g1["G1.2"]["shared"] == "" and by_id["F2.2"]["shared"] == ""
    # Guidance for levels 0, 2 and 4, the same in both areas.
    assert [e["level"] for e in by_id["G1.5"]["examples"]] == [
        "0 – Saknas", "2 – Delvis etablerat", "4 – Integrerat och lärande"]
    assert by_id["G1.5"]["examples"] == g1["G1.5"]["examples"]
