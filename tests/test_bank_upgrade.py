"""Upgrading an assessment made with version 1 of the national bank to version 2, where
G1.1 is one question that also stands in F1 in place of F1.3 (docs/scoring.md, "One
activity, one question"). Every file is read the way the program reads it, through
``assessment.files.parse_assessment``, against the real built-in bank."""

from __future__ import annotations

import json

import pytest

from assessment import bank_upgrade, bulk_read
from assessment.bank_loader import load_banks
from assessment.document import Assessment, check_against_bank
from assessment.files import dump_assessment, parse_assessment
from assessment.problems import InvalidFile
from assessment.snapshots import read_snapshots
from scoring.compare import snapshot
from scoring.score import score_assessment

BANKS = load_banks().banks
BANK = BANKS["nationell-handlingsplan-2025"]
# The national scale's labels, as the note of an answer not kept quotes them.
LEVEL_1, LEVEL_2 = "1 – Påbörjat", "2 – Delvis etablerat"


def v1_file(answers=(), consensus=(), effort=None, actions=(), version="1") -> bytes:
    """A version-1 assessment file. ``answers``: (participant, question, value[, comment]);
    ``consensus``: (question, value[, note])."""
    doc = {
        "format": "psa-assessment",
        "version": 1,
        "bank": {"id": BANK.id, "version": version},
        "organisation": {"name": "Testby kommun", "kind": "kommun"},
        "date": "2025-10-01",
        "participants": [{"id": "p1"}, {"id": "p2"}],
        "answers": [{"participant": a[0], "question": a[1], "value": a[2],
                     "comment": a[3] if len(a) > 3 else ""} for a in answers],
        "consensus": [{"question": c[0], "value": c[1], "note": c[2] if len(c) > 2 else ""}
                      for c in consensus],
        "effort": effort or {},
        "actions": list(actions),
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def read(data: bytes):
    return parse_assessment("v1.json", data, BANKS)


def answers_of(assessment) -> list[tuple]:
    return [(a.participant, a.question, a.value, a.comment) for a in assessment.answers]


def test_bank__national_version_2__upgrades_from_1_and_g1_1_replaces_f1_3():
    # the premise of every test here
    assert (BANK.version, BANK.upgrades_from) == ("2", ["1"])
    assert BANK.replaced_ids()["F1.3"] == "G1.1"
    assert BANK.scale.label(2) == LEVEL_2


def test_upgrade__only_f1_3_answered__moves_to_g1_1_with_its_comment():
    upgraded = read(v1_file([("p1", "F1.3", 2, "vi följer upp"), ("p2", "G1.2", 3)]))

    assert answers_of(upgraded) == [("p1", "G1.1", 2, "vi följer upp"), ("p2", "G1.2", 3, "")]


def test_upgrade__both_ids_same_level__one_answer_nothing_to_note():
    upgraded = read(v1_file([("p1", "G1.1", 2), ("p1", "F1.3", 2), ("p2", "F1.3", 1)]))

    # p1 gave 2 twice: one answer 2; p2 only under F1.3: moved
    assert answers_of(upgraded) == [("p1", "G1.1", 2, ""), ("p2", "G1.1", 1, "")]


def test_upgrade__both_ids_same_level_with_a_comment__comment_kept_in_the_note():
    upgraded = read(v1_file([("p1", "G1.1", 2), ("p1", "F1.3", 2, "se F1")]))

    assert answers_of(upgraded) == [("p1", "G1.1", 2, f"[F1.3: {LEVEL_2}; se F1]")]


@pytest.mark.parametrize("g1_first", [True, False], ids=["G1.1 first", "F1.3 first"])
def test_upgrade__both_ids_different_levels__g1_kept_other_in_comment(g1_first):
    pair = [("p1", "G1.1", 3, "ledningen"), ("p1", "F1.3", 2, "uppföljning")]
    upgraded = read(v1_file(pair if g1_first else pair[::-1]))

    # of two levels G1's 3 is kept, whichever came first in the file; F1.3's 2 and its
    # comment are written into the kept comment
    assert answers_of(upgraded) == [
        ("p1", "G1.1", 3, f"ledningen [F1.3: {LEVEL_2}; uppföljning]")]


@pytest.mark.parametrize("g1_value,f1_value,kept,note", [
    # a level wins over Vet ej, whichever id it was given under
    pytest.param("unknown", 1, 1, "[G1.1: Vet ej]", id="level under F1.3"),
    pytest.param(3, "unknown", 3, "[F1.3: Vet ej]", id="level under G1.1"),
    # Vet ej wins over Ej aktuellt
    pytest.param("na", "unknown", "unknown", "[G1.1: Ej aktuellt]", id="vet ej over na"),
    pytest.param(2, "na", 2, "[F1.3: Ej aktuellt]", id="level over na"),
])
def test_upgrade__level_vet_ej_ej_aktuellt__level_before_vet_ej_before_na(
        g1_value, f1_value, kept, note):
    upgraded = read(v1_file([("p1", "G1.1", g1_value), ("p1", "F1.3", f1_value)]))

    assert answers_of(upgraded) == [("p1", "G1.1", kept, note)]


def test_upgrade__consensus__same_rule_and_note():
    upgraded = read(v1_file(consensus=[("G1.1", 3, "enades i maj"), ("F1.3", 1),
                                       ("F2.1", "unknown")]))

    # G1.1: G1's 3 kept, F1.3's 1 noted; F2.1 (replaced by G1.3) alone: moved
    assert [(c.question, c.value, c.note) for c in upgraded.consensus] == [
        ("G1.1", 3, f"enades i maj [F1.3: {LEVEL_1}]"), ("G1.3", "unknown", "")]


@pytest.mark.parametrize("effort,expected", [
    pytest.param({"F1.3": "låg"}, {"G1.1": "låg"}, id="only F1.3"),
    pytest.param({"F1.3": "låg", "G1.1": "hög"}, {"G1.1": "hög"}, id="both: G1 kept"),
    pytest.param({"G1.1": "hög", "F1.3": "låg"}, {"G1.1": "hög"}, id="both other order"),
])
def test_upgrade__effort__moves_to_the_kept_id(effort, expected):
    upgraded = read(v1_file(effort=effort))

    assert {k: v.value for k, v in upgraded.effort.items()} == expected


def test_upgrade__action_of_f1_3__names_g1_1():
    upgraded = read(v1_file(actions=[
        {"activity": "F1.3", "title": "Återkoppla vårdskador till ledningen", "owner": "MAS"},
        {"activity": "G1.2", "title": "Annat"}]))

    assert [(a.activity, a.title, a.owner) for a in upgraded.actions] == [
        ("G1.1", "Återkoppla vårdskador till ledningen", "MAS"), ("G1.2", "Annat", "")]


def test_upgrade__upgraded_file__valid_in_version_2_and_reads_back_the_same():
    upgraded = read(v1_file(
        [("p1", "G1.1", 3), ("p1", "F1.3", 2), ("p2", "F1.3", 1), ("p2", "F2.1", 4)],
        consensus=[("F1.3", 2)], effort={"F1.3": "medel"},
        actions=[{"activity": "F1.3", "title": "Följ upp"}]))

    assert upgraded.bank.version == "2"
    assert check_against_bank(upgraded, BANK, "v1.json") == []
    again = parse_assessment("again.json", dump_assessment(upgraded).encode("utf-8"), BANKS)
    assert again == upgraded
    # no id of version 1 is left anywhere
    used = ({a.question for a in upgraded.answers} | {c.question for c in upgraded.consensus}
            | set(upgraded.effort) | {a.activity for a in upgraded.actions})
    assert not used & set(BANK.replaced_ids())


def test_upgrade__scored__one_question_in_g1_and_f1():
    result = score_assessment(read(v1_file([("p1", "G1.1", 3), ("p1", "F1.3", 1),
                                            ("p2", "F1.3", 1)])), BANK)

    # p1 keeps G1's 3, p2's 1 moves: median(1, 3) = 2, on 2 levels, in both areas
    g1 = next(q for q in result.area("G1").questions if q.id == "G1.1")
    f1 = next(q for q in result.area("F1").questions if q.id == "G1.1")
    assert (g1.value, g1.levels) == (f1.value, f1.levels) == (2, 2)
    assert "F1.3" not in [q.id for q in result.area("F1").questions]


def test_upgrade__read_for_scoring__quick_path_merges_by_the_same_rules(monkeypatch):
    # score and compare read a version-1 file without building it whole (bulk_read)
    monkeypatch.setattr(bulk_read, "parse_assessment", lambda *args: pytest.fail("careful path"))
    data = v1_file([("p1", "F1.3", 2), ("p1", "G1.1", 3), ("p2", "F1.3", "unknown"),
                    ("p2", "G1.2", 3)])

    read = bulk_read.read_for_scoring("v1.json", data, BANKS)

    # p1 answered both ids: G1's 3 is kept; p2's Vet ej moves from F1.3 to G1.1
    assert read.answers == {"G1.1": [3, "unknown"], "G1.2": [3]}
    assert (read.header.version, read.header.bank.version, read.header.answers) == (2, "2", [])


def stored_v1(store, answers) -> str:
    """A version-1 assessment saved before version 2 was installed: its rows as they were."""
    raw = json.loads(v1_file(answers))
    raw["version"] = 2  # the file format's version; the bank's stays "1"
    return store.create_assessment(Assessment.model_validate(raw))


def test_upgrade__saved_v1_read_in_bulk__merged_as_a_whole_load_is(store):
    # Jämför reads saved assessments in bulk (Store.scoring_inputs), not one by one
    aid = stored_v1(store, [("p1", "F1.3", 2), ("p1", "G1.1", 3), ("p2", "F1.3", "unknown"),
                            ("p2", "G1.2", 3)])

    read = store.scoring_inputs([aid], upgrade_to=BANK)[aid]
    as_stored = store.scoring_inputs([aid])[aid]

    # p1 answered both ids: G1's 3 is kept; p2's Vet ej moves from F1.3 to G1.1
    assert read.answers == {"G1.1": [3, "unknown"], "G1.2": [3]}
    whole = bank_upgrade.upgrade(store.load(aid), BANK)
    assert read.header == whole.model_copy(update={"answers": []})
    assert read.header.bank.version == "2"
    # without a bank to read it as, the rows as they are
    assert as_stored.header.bank.version == "1"
    assert as_stored.answers == {"F1.3": [2, "unknown"], "G1.1": [3], "G1.2": [3]}
    [snap] = read_snapshots(store, store.list_assessments(), BANK)
    scored = snapshot(aid, whole, BANK)
    assert (snap.bank_version, snap.areas) == (scored.bank_version, scored.areas)


def test_upgrade__version_the_bank_does_not_upgrade_from__refused_naming_the_version():
    with pytest.raises(InvalidFile) as raised:
        read(v1_file([("p1", "G1.1", 2)], version="0"))

    [problem] = raised.value.problems
    assert problem.place == "bank.version"
    assert "'0'" in problem.message and "'2'" in problem.message
