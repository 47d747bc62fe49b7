"""The database behind the app: every edit is stored at once and comes back as it was.

Each test runs against SQLite (a file in tmp_path) and against PostgreSQL (a throw-away
server from tests/conftest_postgres.py).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, inspect, text

from assessment.document import (
    Action,
    ActionStatus,
    Answer,
    Assessment,
    BankRef,
    Consensus,
    Effort,
    MAX_NAME,
    MAX_TEXT,
    Organisation,
    Participant,
)
from assessment.storage import (
    AlreadyExists,
    InvalidInput,
    NotFound,
    StorageError,
    Store,
    store_url_from_env,
)
from assessment.storage.engine import open_engine



# --- fixtures ----------------------------------------------------------------------------

@pytest.fixture
def full_assessment() -> Assessment:
    return Assessment(
        bank=BankRef(id="nationell-handlingsplan-2025", version="1.0"),
        organisation=Organisation(name="Region Östergötland", kind="region",
                                  unit="Vårdcentral Åby"),
        audience="vardgivare",
        date=dt.date(2025, 3, 14),
        participants=[
            Participant(id="p1", name="Åsa Öberg", role="Chefläkare"),
            Participant(id="p2", name="Erik", role="Sjuksköterska"),
            Participant(id="p3"),
        ],
        answers=[
            Answer(participant="p1", question="F1.2", value=3, comment="Vi mäter årligen"),
            Answer(participant="p1", question="F1.1", value="unknown"),
            Answer(participant="p2", question="F1.1", value=0),
            Answer(participant="p2", question="G2.4", value="na", comment="Ej relevant"),
            Answer(participant="p3", question="F1.2", value=4),
        ],
        consensus=[
            Consensus(question="F1.2", value=3, note="Enade efter diskussion"),
            Consensus(question="F1.1", value="unknown"),
        ],
        targets={"F1": 3.5, "G2": 4.0},
        importance={"F1": 3, "G3": 1},
        effort={"F1.2": Effort.high, "G2.4": Effort.low},
        actions=[
            Action(activity="F1.2", title="Inför avvikelseanalys", owner="Åsa",
                   due=dt.date(2025, 9, 1), status=ActionStatus.ongoing, note="Start i maj"),
            Action(activity="F1.1", title="Utbilda personalen"),
        ],
    )


@pytest.fixture
def assessment_id(store, full_assessment) -> str:
    """The id of ``full_assessment`` as stored."""
    return store.create_assessment(full_assessment)


def small_assessment(org_name: str = "Kommun A", people: int = 1) -> Assessment:
    return Assessment(
        bank=BankRef(id="test-bank", version="2023"),   # not installed: checked by format only
        organisation=Organisation(name=org_name, kind="kommun"),
        date=dt.date(2025, 1, 1),
        participants=[Participant(id=f"p{n}") for n in range(people)],
    )


def rows(db_url: str, table: str) -> list[dict]:
    """Every row of a table, read past the store."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {table}"))]
    finally:
        engine.dispose()


def snapshot(db_url: str):
    """What the database holds: its file's bytes and mtime for SQLite, else every table's
    columns and rows."""
    if db_url.startswith("sqlite"):
        path = db_url.removeprefix("sqlite:///")
        with open(path, "rb") as f:
            return f.read(), os.stat(path).st_mtime_ns
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            return {t: ([c["name"] for c in found.get_columns(t)], rows(db_url, t))
                    for t in sorted(found.get_table_names())}
    finally:
        engine.dispose()


def updated_at(store: Store, aid: str) -> dt.datetime:
    return next(s.updated_at for s in store.list_assessments() if s.id == aid)


# --- round trip --------------------------------------------------------------------------

def test_round_trip__full_assessment__loads_equal(store, full_assessment):
    aid = store.create_assessment(full_assessment)

    assert store.load(aid) == full_assessment


def test_round_trip__empty_assessment__loads_equal(store):
    empty = small_assessment(people=0)

    assert store.load(store.create_assessment(empty)) == empty


def test_create__same_assessment_twice__gives_two_ids(store, full_assessment):
    first = store.create_assessment(full_assessment)
    second = store.create_assessment(full_assessment)

    assert first != second
    assert len(first) == 32 and int(first, 16) >= 0
    assert store.load(first) == store.load(second)


def test_load__unknown_id__raises_not_found(store):
    with pytest.raises(NotFound, match="no assessment with id 'nope'"):
        store.load("nope")


def test_restart__new_store_on_same_database__keeps_everything(db_url, full_assessment):
    first = Store(db_url)
    aid = first.create_assessment(full_assessment)
    first.set_answer(aid, "p3", "G2.4", 2)
    expected = first.load(aid)
    first.close()

    with Store(db_url) as second:
        assert second.load(aid) == expected
        assert [s.id for s in second.list_assessments()] == [aid]


# Names and texts as a user may type them: no surrogates, no control characters (refused
# by the format) but tab and line breaks, which are allowed.
names = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n"),
                max_size=40)
item_ids = st.from_regex(r"[A-Z][A-Za-z0-9]{0,3}\.[0-9]{1,3}", fullmatch=True)
answer_values = st.one_of(st.integers(0, 10), st.sampled_from(["unknown", "na"]))


@st.composite
def assessments(draw) -> Assessment:
    pids = draw(st.lists(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), unique=True,
                         max_size=4))
    return Assessment(
        bank=BankRef(id="b", version=draw(st.sampled_from(["1", "2025.1"]))),
        organisation=Organisation(name=draw(names.map(str.strip).filter(bool)),
                                  kind=draw(st.sampled_from(["region", "kommun", "vardgivare"])),
                                  unit=draw(names)),
        audience=draw(st.sampled_from([None, "region", "kommun"])),
        date=draw(st.dates()),
        participants=[Participant(id=p, name=draw(names), role=draw(names)) for p in pids],
        answers=[
            Answer(participant=p, question=q, value=draw(answer_values), comment=draw(names))
            for p in pids for q in draw(st.lists(item_ids, unique=True, max_size=4))
        ],
        consensus=[Consensus(question=q, value=draw(answer_values), note=draw(names))
                   for q in draw(st.lists(item_ids, unique=True, max_size=4))],
        targets=draw(st.dictionaries(st.sampled_from(["F1", "F2", "G1"]),
                                     st.floats(0, 10, allow_nan=False))),
        importance=draw(st.dictionaries(st.sampled_from(["F1", "G1", "G7"]), st.integers(1, 3))),
        effort=draw(st.dictionaries(item_ids, st.sampled_from(list(Effort)), max_size=3)),
        actions=draw(st.lists(st.builds(
            Action, activity=item_ids, title=names.map(str.strip).filter(bool), owner=names,
            due=st.none() | st.dates(), status=st.sampled_from(list(ActionStatus)), note=names,
        ), max_size=3)),
    )


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(assessment=assessments())
def test_round_trip__any_assessment__loads_equal(store, assessment):
    assert store.load(store.create_assessment(assessment)) == assessment


# --- answers and consensus ---------------------------------------------------------------

def test_set_answer__new_question__is_added_after_that_participants_answers(store, assessment_id):
    store.set_answer(assessment_id, "p1", "G3.1", 4, comment="Ny")

    answers = store.load(assessment_id).answers
    assert [(a.participant, a.question) for a in answers] == [
        ("p1", "F1.2"), ("p1", "F1.1"), ("p1", "G3.1"),
        ("p2", "F1.1"), ("p2", "G2.4"), ("p3", "F1.2"),
    ]
    assert answers[2] == Answer(participant="p1", question="G3.1", value=4, comment="Ny")


def test_set_answer__participant_without_answers__first_goes_between_the_others(store, assessment_id):
    for question in ("F1.1", "G2.4"):
        store.clear_answer(assessment_id, "p2", question)
    store.set_answer(assessment_id, "p2", "G3.1", 2)   # p2 has none now; p3 came after p2

    assert [(a.participant, a.question) for a in store.load(assessment_id).answers] == [
        ("p1", "F1.2"), ("p1", "F1.1"), ("p2", "G3.1"), ("p3", "F1.2"),
    ]


def test_set_answer__twice__overwrites_in_place_without_a_second_row(db_url, store, assessment_id):
    store.set_answer(assessment_id, "p1", "F1.2", 1, comment="Ändrat")
    store.set_answer(assessment_id, "p1", "F1.2", "na")

    answers = store.load(assessment_id).answers
    assert answers[0] == Answer(participant="p1", question="F1.2", value="na", comment="")
    assert len(answers) == 5
    assert len([r for r in rows(db_url, "answers")
                if (r["participant_id"], r["question_id"]) == ("p1", "F1.2")]) == 1


def test_set_answer__comment_none__keeps_the_saved_comment(store, assessment_id):
    store.set_answer(assessment_id, "p1", "F1.2", 1, comment="Enligt rutinen")
    store.set_answer(assessment_id, "p1", "F1.2", 3, comment=None)
    store.set_answer(assessment_id, "p1", "G3.2", 2, comment=None)   # a new answer: no comment

    by_question = {a.question: a for a in store.load(assessment_id).answers if a.participant == "p1"}
    assert by_question["F1.2"] == Answer(participant="p1", question="F1.2", value=3,
                                         comment="Enligt rutinen")
    assert by_question["G3.2"].comment == ""


def test_participant_answers__one_participant_only__values_decoded(store, assessment_id):
    store.set_answer(assessment_id, "p1", "G3.1", "unknown", comment="Vet inte")
    whole = store.load(assessment_id)

    expected = {a.question: (a.value, a.comment) for a in whole.answers if a.participant == "p1"}
    assert store.participant_answers(assessment_id, "p1") == expected
    assert store.participant_answers(assessment_id, "p1")["G3.1"] == ("unknown", "Vet inte")
    assert store.participant_answers(assessment_id, "nobody") == {}


def test_set_answer__level__is_stored_as_its_digits(db_url, store, assessment_id):
    store.set_answer(assessment_id, "p2", "F1.1", 3)

    stored = [r["value"] for r in rows(db_url, "answers")
              if (r["participant_id"], r["question_id"]) == ("p2", "F1.1")]
    assert stored == ["3"]
    assert store.load(assessment_id).answers[2].value == 3


def test_set_answer__unknown_participant__raises_not_found(store, assessment_id):
    with pytest.raises(NotFound, match="participant 'p9'"):
        store.set_answer(assessment_id, "p9", "F1.1", 2)


@pytest.mark.parametrize("value,comment", [
    (11, ""),
    (True, ""),
    ("vet ej", ""),
    (2, "x" * (MAX_TEXT + 1)),
])
def test_set_answer__outside_model_limits__rejected_and_nothing_stored(
        store, assessment_id, full_assessment, value, comment):
    with pytest.raises(InvalidInput):
        store.set_answer(assessment_id, "p1", "F1.2", value, comment=comment)

    assert store.load(assessment_id) == full_assessment


def test_clear_answer__removes_only_that_answer(store, assessment_id):
    store.clear_answer(assessment_id, "p2", "F1.1")
    store.clear_answer(assessment_id, "p2", "F1.1")  # clearing again is no error

    answers = store.load(assessment_id).answers
    assert [(a.participant, a.question) for a in answers] == [
        ("p1", "F1.2"), ("p1", "F1.1"), ("p2", "G2.4"), ("p3", "F1.2"),
    ]


def test_set_consensus__new_and_overwritten__one_row_per_question(db_url, store, assessment_id):
    store.set_consensus(assessment_id, "G2.4", "na", note="Gäller ej oss")
    store.set_consensus(assessment_id, "F1.2", 4)

    assert store.load(assessment_id).consensus == [
        Consensus(question="F1.2", value=4),
        Consensus(question="F1.1", value="unknown"),
        Consensus(question="G2.4", value="na", note="Gäller ej oss"),
    ]
    assert len(rows(db_url, "consensus")) == 3


def test_clear_consensus__removes_it(store, assessment_id):
    store.clear_consensus(assessment_id, "F1.2")

    assert store.load(assessment_id).consensus == [Consensus(question="F1.1", value="unknown")]


# --- targets, importance, effort ---------------------------------------------------------

def test_set_target__set_changed_and_removed(db_url, store, assessment_id):
    store.set_target(assessment_id, "G3", 2)
    store.set_target(assessment_id, "F1", 1.5)
    store.set_target(assessment_id, "G2", None)

    loaded = store.load(assessment_id)
    assert loaded.targets == {"F1": 1.5, "G3": 2.0}
    assert loaded.importance == {"F1": 3, "G3": 1}  # untouched by targets
    assert len(rows(db_url, "area_settings")) == 2  # G2 had only a target: its row is gone


def test_set_importance__set_changed_and_removed(store, assessment_id):
    store.set_importance(assessment_id, "G2", 2)
    store.set_importance(assessment_id, "F1", 1)
    store.set_importance(assessment_id, "G3", None)

    loaded = store.load(assessment_id)
    assert loaded.importance == {"F1": 1, "G2": 2}
    assert loaded.targets == {"F1": 3.5, "G2": 4.0}


@pytest.mark.parametrize("call", [
    lambda s, aid: s.set_target(aid, "F1", 10.5),
    lambda s, aid: s.set_target(aid, "F1", -1),
    lambda s, aid: s.set_importance(aid, "F1", 4),
    lambda s, aid: s.set_importance(aid, "F1", 2.0),
    lambda s, aid: s.set_effort(aid, "F1.1", "enorm"),
    lambda s, aid: s.set_target(aid, "X" * 33, 1),
], ids=["target>10", "target<0", "importance 4", "importance float", "effort word", "long id"])
def test_priorities__outside_model_limits__rejected(store, assessment_id, full_assessment, call):
    with pytest.raises(InvalidInput):
        call(store, assessment_id)

    assert store.load(assessment_id) == full_assessment


def test_set_effort__set_overwritten_and_removed(db_url, store, assessment_id):
    store.set_effort(assessment_id, "F1.1", "medel")
    store.set_effort(assessment_id, "F1.2", Effort.low)
    store.set_effort(assessment_id, "G2.4", None)

    assert store.load(assessment_id).effort == {"F1.1": Effort.medium, "F1.2": Effort.low}
    assert len(rows(db_url, "efforts")) == 2


# --- details and participants ------------------------------------------------------------

def test_update_details__changes_organisation_date_and_audience(store, assessment_id):
    store.update_details(assessment_id, Organisation(name="  Region Skåne ", kind="region"),
                         dt.date(2026, 1, 31), None)

    loaded = store.load(assessment_id)
    assert loaded.organisation == Organisation(name="Region Skåne", kind="region", unit="")
    assert (loaded.date, loaded.audience) == (dt.date(2026, 1, 31), None)


def test_update_details__name_too_long__rejected(store, assessment_id):
    organisation = Organisation(name="Region", kind="region")
    organisation.name = "x" * (MAX_NAME + 1)  # assigned after validation

    with pytest.raises(InvalidInput):
        store.update_details(assessment_id, organisation, dt.date(2026, 1, 1), None)


def test_add_participant__comes_last(store, assessment_id):
    store.add_participant(assessment_id, Participant(id="p4", name="Nils", role="Läkare"))

    assert store.load(assessment_id).participants[-1] == Participant(id="p4", name="Nils",
                                                                     role="Läkare")


def test_add_participant__id_taken__raises_already_exists(store, assessment_id, full_assessment):
    with pytest.raises(AlreadyExists, match="'p2'"):
        store.add_participant(assessment_id, Participant(id="p2", name="Annan"))

    assert store.load(assessment_id) == full_assessment


def test_update_participant__changes_name_and_role_in_place(store, assessment_id):
    store.update_participant(assessment_id, Participant(id="p2", name="Erika", role="Chef"))

    assert [p.name for p in store.load(assessment_id).participants] == ["Åsa Öberg", "Erika", ""]


def test_update_participant__unknown_id__raises_not_found(store, assessment_id):
    with pytest.raises(NotFound, match="'p9'"):
        store.update_participant(assessment_id, Participant(id="p9"))


def test_remove_participant__removes_their_answers(db_url, store, assessment_id):
    store.remove_participant(assessment_id, "p1")

    loaded = store.load(assessment_id)
    assert [p.id for p in loaded.participants] == ["p2", "p3"]
    assert {a.participant for a in loaded.answers} == {"p2", "p3"}
    assert {r["participant_id"] for r in rows(db_url, "answers")} == {"p2", "p3"}
    assert len(loaded.consensus) == 2  # the group's values stay


def test_remove_participant__then_add_again__comes_last_without_old_answers(store, assessment_id):
    store.remove_participant(assessment_id, "p1")
    store.add_participant(assessment_id, Participant(id="p1"))

    loaded = store.load(assessment_id)
    assert [p.id for p in loaded.participants] == ["p2", "p3", "p1"]
    assert "p1" not in {a.participant for a in loaded.answers}


# --- action plan -------------------------------------------------------------------------

def test_add_action__comes_last(store, assessment_id, full_assessment):
    store.add_action(assessment_id, Action(activity="G2.4", title="Följ upp", due=""))

    assert store.load(assessment_id).actions == [
        *full_assessment.actions, Action(activity="G2.4", title="Följ upp"),
    ]


# --- whole assessments -------------------------------------------------------------------

@pytest.mark.parametrize("change,message", [
    (lambda a: a.participants.append(Participant(id="p1")),
     "participants[3].id 'p1' is used twice"),
    (lambda a: a.answers.append(Answer(participant="p9", question="F1.1", value=1)),
     "answers[5].participant 'p9' is not in participants"),
    (lambda a: a.answers.append(Answer(participant="p1", question="F1.1", value=1)),
     "answers[5] answers 'F1.1' a second time"),
    (lambda a: a.consensus.append(Consensus(question="F1.1", value=1)),
     "consensus[2].question 'F1.1' has two consensus values"),
])
def test_create_assessment__keys_clash__storage_error_and_nothing_stored(
        store, full_assessment, change, message):
    change(full_assessment)

    with pytest.raises(StorageError, match=message.replace("[", r"\[").replace("]", r"\]")):
        store.create_assessment(full_assessment)
    assert store.list_assessments() == []


def test_delete_assessment__removes_it_and_all_its_rows(db_url, store, assessment_id):
    kept = store.create_assessment(small_assessment())

    store.delete_assessment(assessment_id)

    with pytest.raises(NotFound):
        store.load(assessment_id)
    assert [s.id for s in store.list_assessments()] == [kept]
    for table in ("answers", "consensus", "area_settings", "efforts", "actions"):
        assert rows(db_url, table) == [], table
    assert {r["assessment_id"] for r in rows(db_url, "participants")} == {kept}


def test_list_assessments__counts_participants_and_answered_questions(store, assessment_id):
    store.create_assessment(small_assessment(people=0))

    summary = next(s for s in store.list_assessments() if s.id == assessment_id)

    assert summary.participants == 3
    # F1.1, F1.2, G2.4 answered; F1.1, F1.2 also agreed on
    assert summary.answered_questions == 3
    assert (summary.bank_id, summary.bank_version) == ("nationell-handlingsplan-2025", "1.0")
    assert (summary.org_name, summary.org_kind, summary.unit) == (
        "Region Östergötland", "region", "Vårdcentral Åby")
    assert summary.date == dt.date(2025, 3, 14)
    assert summary.updated_at.tzinfo == dt.timezone.utc


def test_list_assessments__consensus_only_question__counts_as_answered(store):
    aid = store.create_assessment(small_assessment())
    store.set_consensus(aid, "K2.1", 2)
    store.set_answer(aid, "p0", "K2.1", 3)
    store.set_answer(aid, "p0", "K2.2", 3)

    assert store.list_assessments()[0].answered_questions == 2


def test_list_assessments__newest_edit_first(store):
    older = store.create_assessment(small_assessment("Äldre"))
    newer = store.create_assessment(small_assessment("Nyare"))
    assert [s.id for s in store.list_assessments()] == [newer, older]

    store.set_answer(older, "p0", "K1.1", 1)

    assert [s.id for s in store.list_assessments()] == [older, newer]


EDITS = {
    "update_details": lambda s, aid: s.update_details(
        aid, Organisation(name="Ny", kind="kommun"), dt.date(2025, 2, 1), None),
    "add_participant": lambda s, aid: s.add_participant(aid, Participant(id="p7")),
    "update_participant": lambda s, aid: s.update_participant(aid, Participant(id="p1")),
    "remove_participant": lambda s, aid: s.remove_participant(aid, "p3"),
    "set_answer": lambda s, aid: s.set_answer(aid, "p1", "F1.2", 2),
    "clear_answer": lambda s, aid: s.clear_answer(aid, "p1", "F1.2"),
    "set_consensus": lambda s, aid: s.set_consensus(aid, "F1.2", 2),
    "clear_consensus": lambda s, aid: s.clear_consensus(aid, "F1.2"),
    "set_target": lambda s, aid: s.set_target(aid, "F1", 2.5),
    "set_importance": lambda s, aid: s.set_importance(aid, "F1", None),
    "set_effort": lambda s, aid: s.set_effort(aid, "F1.2", "medel"),
    "add_action": lambda s, aid: s.add_action(aid, Action(activity="F1.1", title="T")),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_every_edit__bumps_updated_at(store, assessment_id, edit):
    before = updated_at(store, assessment_id)

    edit(store, assessment_id)

    assert updated_at(store, assessment_id) > before


@pytest.mark.parametrize("edit", [*EDITS.values(), lambda s, aid: s.delete_assessment(aid)],
                         ids=[*EDITS.keys(), "delete_assessment"])
def test_every_edit__unknown_assessment__raises_not_found_and_stores_nothing(store, edit):
    with pytest.raises(NotFound, match="'nope'"):
        edit(store, "nope")

    assert store.list_assessments() == []


# --- several writers at once -------------------------------------------------------------

@pytest.mark.slow  # 400 writes from 8 threads, per database
@pytest.mark.parametrize("sharing", ["one store for all threads", "a store per thread"])
def test_concurrent_answers__8_threads_x_50__every_answer_kept_once(db_url, sharing):
    with Store(db_url) as setup:
        aid = setup.create_assessment(small_assessment(people=8))
    shared = Store(db_url) if sharing == "one store for all threads" else None
    start = threading.Barrier(8)

    def answer_50(n: int) -> None:
        store = shared or Store(db_url)
        try:
            start.wait()
            for q in range(50):
                store.set_answer(aid, f"p{n}", f"K{q % 5}.{q}", q % 5, comment=f"{n}/{q}")
        finally:
            if store is not shared:
                store.close()

    try:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(answer_50, range(8)))
    finally:
        if shared:
            shared.close()

    with Store(db_url) as check:
        answers = check.load(aid).answers
    assert len(answers) == 400
    assert {(a.participant, a.comment) for a in answers} == {
        (f"p{n}", f"{n}/{q}") for n in range(8) for q in range(50)
    }
    assert len(rows(db_url, "answers")) == 400


@pytest.mark.slow  # 8 threads, per database
def test_concurrent_answers__same_questions_from_8_threads__one_row_each(db_url):
    with Store(db_url) as setup:
        aid = setup.create_assessment(small_assessment(people=1))
    start = threading.Barrier(8)

    def overwrite(n: int) -> None:
        with Store(db_url) as store:
            start.wait()
            for q in range(50):
                store.set_answer(aid, "p0", f"K1.{q}", n % 11, comment=f"thread {n}")
                store.set_consensus(aid, f"K1.{q}", n % 11)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(overwrite, range(8)))

    with Store(db_url) as check:
        loaded = check.load(aid)
    assert sorted(a.question for a in loaded.answers) == sorted(f"K1.{q}" for q in range(50))
    assert all(a.comment == f"thread {a.value}" for a in loaded.answers)
    assert len(rows(db_url, "answers")) == 50
    assert len(rows(db_url, "consensus")) == 50


# --- opening -----------------------------------------------------------------------------

def test_open__file_that_is_not_a_database__storage_error_naming_the_path(tmp_path):
    path = tmp_path / "psa.sqlite3"
    path.write_text("Det här är ingen databas\n" * 100)

    with pytest.raises(StorageError) as raised:
        Store(f"sqlite:///{path}")

    message = str(raised.value)
    assert message.startswith(f"{path} is not an SQLite database")
    assert "\n" not in message and "sqlalche.me" not in message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert path.read_text() == "Det här är ingen databas\n" * 100


def test_open__folder_as_database__storage_error(tmp_path):
    with pytest.raises(StorageError, match="is a folder, not an SQLite database"):
        Store(f"sqlite:///{tmp_path}")


def test_open__other_programs_sqlite_database__refused(tmp_path):
    path = tmp_path / "other.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE answers (x)"))
    engine.dispose()

    with pytest.raises(StorageError, match="database of another program"):
        Store(f"sqlite:///{path}")


def test_open__postgres_not_running__one_line_storage_error():
    with pytest.raises(StorageError) as raised:
        Store("postgresql+psycopg://nobody@127.0.0.1:1/psa")

    message = str(raised.value)
    assert message.startswith(
        "cannot open the database at postgresql+psycopg://nobody@127.0.0.1:1/psa")
    assert "\n" not in message


def test_sqlite_connections__wal_normal_sync_busy_timeout_foreign_keys(tmp_path):
    engine, _ = open_engine(f"sqlite:///{tmp_path / 'psa.sqlite3'}")
    try:
        with engine.connect() as conn:
            pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                       for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")}
    finally:
        engine.dispose()

    assert pragmas == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 15000,
                       "foreign_keys": 1}


def test_store_url_from_env__database_url_wins():
    url = "postgresql+psycopg://psa@db:5432/psa"

    assert store_url_from_env({"PSA_DATABASE_URL": url, "PSA_DB_PATH": "x.db"}) == url


def test_store_url_from_env__db_path__absolute_sqlite_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    assert store_url_from_env({"PSA_DB_PATH": "sub/x.db"}) == f"sqlite:///{tmp_path}/sub/x.db"
    assert store_url_from_env({}) == f"sqlite:///{tmp_path}/data/psa.sqlite3"


def test_from_env__nothing_set__creates_data_folder_and_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PSA_DATABASE_URL", raising=False)
    monkeypatch.delenv("PSA_DB_PATH", raising=False)

    with Store.from_env() as store:
        store.create_assessment(small_assessment())
        assert store.location == str(tmp_path / "data" / "psa.sqlite3")

    assert (tmp_path / "data" / "psa.sqlite3").is_file()


def test_from_env__database_url__uses_it(db_url, monkeypatch):
    monkeypatch.setenv("PSA_DATABASE_URL", db_url)

    with Store.from_env() as store:
        aid = store.create_assessment(small_assessment())
    with Store(db_url) as store:
        assert [s.id for s in store.list_assessments()] == [aid]
