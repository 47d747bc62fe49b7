"""The bulk reader (``score``, ``compare``) gives the same verdict as ``parse_assessment``.

Every file, valid or broken in one of many ways, is read both ways: either both refuse it
with the same problems, or both accept it with the same header and the same answer values
per question. Valid files must take the quick path, or the reader would be no faster.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import bulk_read
from assessment.bulk_read import read_for_scoring
from assessment.document import answers_by_question
from assessment.files import parse_assessment
from assessment.problems import InvalidFile
from tests.helpers import assessment_dict, make_bank

WITH_NA = make_bank({"F1": 2, "G1": 1}, top=4, na=True, bank_id="with-na")
WITHOUT_NA = make_bank({"F2": 2}, top=3, na=False, bank_id="without-na", version="2")
BANKS = {b.id: b for b in (WITH_NA, WITHOUT_NA)}

EXAMPLES = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def outcome_of_careful(data: bytes):
    try:
        full = parse_assessment("f.json", data, BANKS)
    except InvalidFile as exc:
        return "refused", [str(p) for p in exc.problems]
    return "read", (full.model_copy(update={"answers": []}), answers_by_question(full))


def outcome_of_bulk(data: bytes):
    try:
        read = read_for_scoring("f.json", data, BANKS)
    except InvalidFile as exc:
        return "refused", [str(p) for p in exc.problems]
    return "read", (read.header, read.answers)


def values_for(bank):
    words = ["unknown", "na"] if bank.has_na else ["unknown"]
    return st.one_of(st.integers(0, bank.scale.top), st.sampled_from(words))


@st.composite
def valid_docs(draw) -> dict:
    bank = draw(st.sampled_from([WITH_NA, WITHOUT_NA]))
    questions = [q.id for _, q in bank.questions_for(None)]
    people = draw(st.integers(1, 4))
    answers = {q: draw(st.lists(st.one_of(st.none(), values_for(bank)),
                                min_size=people, max_size=people)) for q in questions}
    doc = assessment_dict(bank, answers=answers, participants=people)
    for answer in doc["answers"]:
        if draw(st.booleans()):
            answer["comment"] = draw(st.sampled_from(["", "Rutin finns.", "å" * 2000]))
    draw(st.randoms()).shuffle(doc["answers"])  # any order, as files come
    return doc


BAD_VALUES = [True, False, 1.0, 2.5, -1, 4, 5, 11, "Unknown", "na", None, [1], {"v": 1}, "3"]
BAD_IDS = ["zz", "", 5, None, ["p1"], "p" * 65, "F1.1", "X.9", "F" * 33]
BAD_COMMENTS = [None, 5, "x" * 2001, ["a"]]
FIELDS = ["participant", "question", "value"]


def mutations(doc: dict) -> st.SearchStrategy:
    """One change that may break the file (or leave it valid), as a function of the doc."""
    n = len(doc["answers"])

    def at(i, fn):
        def change(d):
            if d["answers"]:
                fn(d["answers"][i % len(d["answers"])])
        return change

    answer_changes = [
        st.builds(lambda i, f: at(i, lambda a: a.pop(f)), st.integers(0, n), st.sampled_from(FIELDS)),
        st.builds(lambda i: at(i, lambda a: a.update(extra=1)), st.integers(0, n)),
        st.builds(lambda i, v: at(i, lambda a: a.update(value=v)), st.integers(0, n),
                  st.sampled_from(BAD_VALUES)),
        st.builds(lambda i, f, v: at(i, lambda a: a.update({f: v})), st.integers(0, n),
                  st.sampled_from(["participant", "question"]), st.sampled_from(BAD_IDS)),
        st.builds(lambda i, v: at(i, lambda a: a.update(comment=v)), st.integers(0, n),
                  st.sampled_from(BAD_COMMENTS)),
        st.builds(lambda i, v: (lambda d: d["answers"] and d["answers"].__setitem__(
            i % len(d["answers"]), v)), st.integers(0, n), st.sampled_from([5, "a", [1], None])),
        st.builds(lambda i: (lambda d: d["answers"] and d["answers"].append(
            dict(d["answers"][i % len(d["answers"])]))), st.integers(0, n)),  # answered twice
    ]
    header_changes = [
        st.builds(lambda v: (lambda d: d.__setitem__("answers", v)), st.sampled_from([None, {}, "x"])),
        st.builds(lambda k: (lambda d: d.pop(k)), st.sampled_from(["format", "version", "date"])),
        st.builds(lambda v: (lambda d: d.__setitem__("version", v)), st.sampled_from([True, 1, 2, "1"])),  # 1: upgraded
        st.just(lambda d: d.__setitem__("surprise", 1)),
        st.just(lambda d: d["participants"].append(dict(d["participants"][0]))),
        st.just(lambda d: d["participants"][0].update(extra="x")),
        st.builds(lambda v: (lambda d: d["bank"].update(v)),
                  st.sampled_from([{"id": "nope"}, {"version": "9"}, {"id": 5}])),
        st.builds(lambda v: (lambda d: d.__setitem__("date", v)),
                  st.sampled_from(["2026-13-01", "", None, "2026-02-28"])),
        st.builds(lambda v: (lambda d: d["consensus"].append(v)),
                  st.sampled_from([{"question": "X.1", "value": 1}, {"question": "F1.1", "value": 9},
                                   {"question": "F2.1", "value": "na"}])),
        st.builds(lambda v: (lambda d: d.__setitem__("targets", v)),
                  st.sampled_from([{"Z9": 2}, {"F1": 7}, {"F1": True}])),
    ]
    return st.one_of(*answer_changes, *header_changes)


def encode(doc: dict, how: str) -> bytes:
    data = json.dumps(doc, ensure_ascii=False).encode()
    return {"plain": data, "bom": b"\xef\xbb\xbf" + data, "garbage": data + b"}",
            "latin-1": json.dumps(doc, ensure_ascii=False).encode("latin-1", "replace")}[how]


@EXAMPLES
@given(st.data())
def test_bulk_read__any_file__same_verdict_as_parse_assessment(data):
    doc = data.draw(valid_docs())
    for change in data.draw(st.lists(mutations(doc), max_size=3)):
        try:
            change(doc)
        except (KeyError, IndexError, AttributeError, TypeError, ValueError):
            pass  # the change does not apply to this doc (it is then unchanged or less so)
    raw = encode(doc, data.draw(st.sampled_from(["plain", "plain", "plain", "bom", "garbage",
                                                 "latin-1"])))
    assert outcome_of_bulk(raw) == outcome_of_careful(raw)


@settings(max_examples=100, deadline=None)
@given(valid_docs())
def test_bulk_read__valid_file__takes_the_quick_path(doc):
    data = json.dumps(doc, ensure_ascii=False).encode()
    quick = bulk_read._read_quickly("f.json", data, BANKS)
    assert quick is not None
    full = parse_assessment("f.json", data, BANKS)
    assert quick.header == full.model_copy(update={"answers": []})
    assert quick.answers == answers_by_question(full)


def test_bulk_read__answers__grouped_by_question_in_file_order():
    doc = assessment_dict(WITH_NA, answers={"F1.1": [2, "unknown", 4], "G1.1": [None, "na", 1]})
    read = read_for_scoring("f.json", json.dumps(doc).encode(), BANKS)
    assert read.answers == {"F1.1": [2, "unknown", 4], "G1.1": ["na", 1]}
    assert read.header.answers == [] and [p.id for p in read.header.participants] == ["p1", "p2", "p3"]


@pytest.mark.parametrize("value, place", [
    (True, "answers[1].value"),    # JSON true is not the level 1
    (2.0, "answers[1].value"),     # nor is 2.0 the level 2
    (5, "answers[1].value"),       # above the top level 4
])
def test_bulk_read__bad_value__named_like_parse_assessment(value, place):
    doc = assessment_dict(WITH_NA, answers={"F1.1": [2, value]})
    with pytest.raises(InvalidFile) as exc:
        read_for_scoring("f.json", json.dumps(doc).encode(), BANKS)
    assert exc.value.problems[0].file == "f.json"
    assert exc.value.problems[0].place == place


def test_bulk_read__valid_file__never_reads_it_twice(monkeypatch):
    def careful(*args):
        raise AssertionError("the careful path was taken for a valid file")

    monkeypatch.setattr(bulk_read, "parse_assessment", careful)
    doc = assessment_dict(WITHOUT_NA, answers={"F2.1": [3, 0], "F2.2": ["unknown", 1]})
    read = read_for_scoring("f.json", json.dumps(doc).encode(), BANKS)
    assert read.answers == {"F2.1": [3, 0], "F2.2": ["unknown", 1]}
